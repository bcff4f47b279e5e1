"""The Competitors page (and the overview's rank changes) through Streamlit's AppTest, on
tests/fixture_benchmark.py; the figures are computed by hand in tests/test_benchmark.py.
Without a configuration file the dashboard counts days in UTC, as the fixture does."""

import pytest

from tests import fixture_benchmark
from tests.apptest import captions, frame, metric, opener

PAGE = "pages/competitors.py"
PERIOD = {"start": fixture_benchmark.START, "end": fixture_benchmark.END}


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return fixture_benchmark.build(str(tmp_path_factory.mktemp("competitors-app") / "bench.duckdb"))


@pytest.fixture()
def app(db, monkeypatch):
    return opener(monkeypatch, db, page=PAGE)


def test_one_platform_from_the_link(app):
    at = app(**PERIOD, platform="x", metric="likes")
    assert at.title[0].value == "Competitors"
    assert [s.value for s in at.selectbox if s.key in ("cmp_platform", "cmp_metric")] == ["x", "likes"]
    # the company's cards on X (hand-computed in test_benchmark.py)
    assert metric(at, "Audience").value == "1,200"
    assert metric(at, "Likes").value == "80"
    assert metric(at, "Likes").delta == "no change"             # 80 in both periods: neutral
    assert metric(at, "Likes").proto.color == metric(at, "Likes").proto.GRAY
    assert metric(at, "Likes").proto.direction == metric(at, "Likes").proto.NONE
    assert metric(at, "Follower growth %").value == "9.1%"      # 100 / 1100
    assert metric(at, "Engagement rate").value == "4.1%"        # (60 + 30) / 1100 / 2
    assert metric(at, "Share of voice").value == "38.3%"        # 90 / 235
    assert all(m.help for m in at.metric)                       # every figure carries its formula
    text = captions(at)
    # likes: Contoso 100 leads; the company 80, second (first before); averages (100 + 20)/2, (80 + 100 + 20)/3
    assert ("Rank 2 of 3 (was 1); leader Contoso at 100, gap -20 (-20%). Competitor avg 60, landscape avg 66.67."
            in text.replace("\\", ""))
    # a tie: N and F both grew 1/11 → both second
    assert "Rank 2 of 3 (was 1); leader Contoso at 15.0%" in text.replace("\\", "")
    # X has no video views: no card for them
    assert "Video views" not in [m.label for m in at.metric]
    # the link carries the page's own choices, next to the filters
    assert at.query_params["platform"] == "x" and at.query_params["metric"] == "likes"
    assert at.query_params["top"] == "engagements"
    assert at.query_params["start"] == PERIOD["start"]


def test_all_platforms_say_what_is_not_like_for_like(app):
    at = app(**PERIOD)
    assert at.query_params["platform"] == "all"
    warning = " ".join(w.value for w in at.warning).replace("\\", "")
    assert "Not like for like" in warning
    assert "Not on YouTube: Contoso." in warning
    assert "Not on Instagram: Fabrikam." in warning
    assert "The Bluesky data of Contoso starts 04 Mar 2026" in warning
    assert "Contoso added another Instagram account, whose data starts 05 Mar 2026" in warning
    assert metric(at, "Likes").value == "150"          # 80 + 40 + 10 + 20
    assert metric(at, "Video views").value == "5,000"  # YouTube's
    ranks = frame(at, "Metric")
    likes = ranks[ranks.Metric == "Likes"].set_index("Organization")
    # Contoso's likes are left out (its Bluesky data starts mid-period), so N leads F
    assert likes.loc["Northwind", "Value"] == "150" and likes.loc["Northwind", "Rank"] == "1 of 2"
    assert likes.loc["Contoso", "Value"] == "—" and likes.loc["Contoso", "Note"] == "see below"
    # a note that holds for several metrics is said once, under the table
    assert "Notes: " in captions(at) and "The Bluesky data of Contoso starts 04 Mar 2026" in captions(at)
    assert likes.loc["Fabrikam", "Gap to leader"] == "-110 (-73%)"   # 40 − 150, against the leader's 150


def test_what_changed_lists_the_passes(app):
    at = app(**PERIOD)
    text = " ".join(md.value for md in at.markdown).replace("\\", "")
    assert "▼ Contoso passed Northwind on likes on X: 100 against 80 (previous period: 40 against 80)." in text
    assert "▲ Northwind passed Fabrikam on video views on YouTube: 5,000 against 3,000" in text
    assert "• Contoso passed Fabrikam on audience across all platforms" in text  # between competitors
    at = app(**PERIOD, platform="youtube")
    text = " ".join(md.value for md in at.markdown).replace("\\", "")
    assert "video views on YouTube" in text and "on X" not in text


def test_rank_table_top_posts_and_coverage_tables(app):
    at = app(**PERIOD, platform="instagram")
    ranks = frame(at, "Metric")
    assert set(ranks.Organization) == {"Northwind", "Contoso", "Fabrikam", "Competitor average", "Landscape average"}
    er = ranks[ranks.Metric == "Engagement rate"].set_index("Organization")
    assert er.loc["Contoso", "Value"] == "35.0%" and er.loc["Contoso", "Rank"] == "1 of 2"   # (0.1 + 0.6) / 2
    assert er.loc["Fabrikam", "Note"] == "see below"
    assert "Fabrikam has no account on Instagram." in captions(at)
    posts = frame(at, "organization")
    assert posts.organization.tolist()[0] == "Contoso · Instagram"
    # Instagram: ci2 60, ni1 50, ci1 30; text shown as text, a javascript: link is no link
    assert posts.text.tolist() == ["Post ci2", "Post ni1", fixture_benchmark.MARKUP]
    assert posts.link.tolist()[:2] == ["https://example.com/ci2", "https://example.com/ni1"]
    assert posts.link.isna().tolist()[2]
    assert posts.engagement_rate.tolist() == pytest.approx([0.6, 0.125, 0.1])
    coverage = frame(at, "Organization")
    assert coverage.set_index("Organization").loc["Fabrikam", "Instagram"] == "—"
    assert coverage.set_index("Organization").loc["Contoso", "Instagram"] == "since 2026-02-22 (an account added 2026-03-05)"
    downloads = [d.proto.label for d in at.main.get("download_button")]
    assert len([label for label in downloads if "CSV" in label]) == 3  # rank table, top posts, coverage
    assert "The download holds every platform, with the averages as columns." in captions(at)


def test_choices_write_the_link(app):
    at = app(**PERIOD)
    at.selectbox(key="cmp_platform").set_value("youtube").run()
    assert not at.exception
    assert at.query_params["platform"] == "youtube"
    assert metric(at, "Video views").value == "5,000"
    at.selectbox(key="cmp_top").set_value("views").run()
    assert at.query_params["top"] == "views"
    assert frame(at, "organization")["views"].tolist() == [5000, 3000]
    at.text_input(key="cmp_search").set_value("ny1").run()
    assert at.query_params["search"] == "ny1"
    assert frame(at, "organization").text.tolist() == ["Post ny1"]


def test_a_search_from_the_link_filters_the_top_posts(app):
    at = app(**PERIOD, search="sale", top="likes")
    assert at.text_input(key="cmp_search").value == "sale"
    assert frame(at, "organization").text.tolist() == [fixture_benchmark.MARKUP]


def test_unknown_choices_in_the_link_are_ignored_with_a_notice(app):
    at = app(**PERIOD, platform="tiktok", metric="<b>x</b>")
    warnings = " ".join(w.value for w in at.warning)
    assert "Ignored platform=tiktok" in warnings
    assert "Ignored metric=\\<b\\>x\\<\\/b\\>" in warnings   # escaped: shown as text, not markup
    assert at.query_params["platform"] == "all" and at.query_params["metric"] == "engagement_rate"


def test_the_overview_shows_rank_changes(app):
    at = app(page=None, **PERIOD)
    warning = next(w.value for w in at.warning if "Passed by a competitor" in w.value).replace("\\", "")
    assert "Passed by a competitor (6)" in warning
    assert "Contoso passed Northwind on engagement rate on X: 6.0% against 4.1%" in warning
    assert "… and 1 more on the Competitors page" in warning   # five shown
    success = next(s.value for s in at.success).replace("\\", "")
    assert "Moved ahead of a competitor (1)" in success
    assert "Northwind passed Fabrikam on video views on YouTube" in success
    # the overview's cards are unchanged
    assert [m.label for m in at.metric][:4] == ["Audience", "Follower growth %", "Likes", "Engagement rate"]


# --- Figures that read right (issue 12), on tests/fixture_precision.py -----------------------

import json  # noqa: E402
import re  # noqa: E402

from socialdash import colours  # noqa: E402
from tests import fixture_precision  # noqa: E402
from tests.apptest import plain  # noqa: E402

CLOSE = {"start": fixture_precision.START, "end": fixture_precision.END}


@pytest.fixture(scope="module")
def close_db(tmp_path_factory):
    return fixture_precision.build(str(tmp_path_factory.mktemp("competitors-precision") / "close.duckdb"))


@pytest.fixture()
def close_app(close_db, monkeypatch):
    return opener(monkeypatch, close_db, page=PAGE)


def numbers(data) -> list:
    """A trace's numbers, whether listed or packed by Plotly ({"dtype", "bdata"})."""
    if isinstance(data, dict):
        import base64

        import numpy as np
        return np.frombuffer(base64.b64decode(data["bdata"]), dtype=data["dtype"]).tolist()
    return list(data)


def charts(at) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def all_text(at) -> str:
    """Everything the page writes: markdown, captions, headings, alerts, cards and tables."""
    parts = [e.value for kind in ("markdown", "caption", "subheader", "info", "warning", "success")
             for e in getattr(at, kind)]
    parts += [f"{m.label} {m.value} {m.delta}" for m in at.metric]
    parts += [plain(d.value).to_string() for d in at.dataframe]
    return "\n".join(str(p) for p in parts)


def test_ranked_values_read_differently(close_app):
    at = close_app(**CLOSE)
    # posts per day 14/31 = 0.4516 (Northwind, 2nd) and 15/31 = 0.4839 (Contoso Airlines, 1st):
    # at one decimal both read "0.5/day"
    assert metric(at, "Posts per day").value == "0.45/day"
    text = captions(at)
    assert ("Rank 2 of 3 (was 1); leader Contoso Airlines at 0.48/day, gap -0.03/day (-7%). "
            "Competitor avg 0.40/day, landscape avg 0.42/day.") in text   # (15 + 10)/31/2, 39/31/3
    # likes 2,155,893 against 2,157,343: not "2.16M against 2.16M", the gap not "(0%)"
    assert metric(at, "Likes").value == "2.156M"
    assert ("Rank 2 of 3 (was 1); leader Contoso Airlines at 2.157M, gap -1,450 (-0.1%). "
            "Competitor avg 1.58M, landscape avg 1.77M.") in text
    # share of voice 2,155,893 / 5,313,236 = 40.58 % against 2,157,343 / 5,313,236 = 40.60 %
    assert metric(at, "Share of voice").value == "40.58%"
    ranks = frame(at, "Metric")
    freq = ranks[ranks.Metric == "Posts per day"].set_index("Organization")
    assert freq["Value"].to_dict() == {"Northwind": "0.45/day", "Contoso Airlines": "0.48/day", "Fabrikam": "0.32/day",
                                       "Competitor average": "0.40/day", "Landscape average": "0.42/day"}
    assert freq.loc["Northwind", "Rank"] == "2 of 3" and freq.loc["Contoso Airlines", "Rank"] == "1 of 3"
    assert freq.loc["Northwind", "Rank change"] == "▼ 1" and freq.loc["Contoso Airlines", "Rank change"] == "▲ 1"
    likes = ranks[ranks.Metric == "Likes"].set_index("Organization")
    assert likes.loc["Northwind", "Value"] == "2.156M" and likes.loc["Contoso Airlines", "Value"] == "2.157M"
    assert likes.loc["Northwind", "Gap to leader"] == "-1,450 (-0.1%)"
    assert likes.loc["Northwind", "Previous period"] == "14.0k"   # 14 posts of 1,000 likes
    # the passes say the same, with the digits they need
    sentences = " ".join(md.value for md in at.markdown).replace("\\", "")
    assert ("Contoso Airlines passed Northwind on posts per day on X: 0.48/day against 0.45/day "
            "(previous period: 0.32/day against 0.45/day).") in sentences
    # the bars of share of voice, ranked: 40.58 %, 40.60 %, 18.82 %
    sov = next(c for c in charts(at) if c["data"][0].get("orientation") == "h" and c["data"][0].get("text"))
    assert [t["text"][0] for t in sov["data"]] == ["40.58%", "40.60%", "18.82%"]


def test_a_change_that_rounds_to_nothing_is_neutral(close_app):
    at = close_app(**CLOSE)
    for label in ("Posts per day", "Follower growth %", "Audience"):   # 14 posts in both periods, no growth
        card = metric(at, label)
        assert card.delta == "no change"
        assert card.proto.color == card.proto.GRAY and card.proto.direction == card.proto.NONE
    likes = metric(at, "Likes")   # 14,000 → 2,155,893: up, green
    assert likes.delta.startswith("+") and likes.proto.color == likes.proto.GREEN


def test_one_colour_per_organization_on_every_chart(close_app):
    at = close_app(**CLOSE)
    # the company #1f77b4, then the competitors by id: contoso, fab (socialdash/colours.py)
    expected = {"Northwind": colours.PALETTE[0], "Contoso Airlines": colours.PALETTE[1], "Fabrikam": colours.PALETTE[2]}
    seen = 0
    for spec in charts(at):
        for trace in spec["data"]:
            if trace.get("name") in expected:
                colour = (trace.get("line") or {}).get("color") or (trace.get("marker") or {}).get("color")
                assert colour == expected[trace["name"]], (trace["name"], colour)
                seen += 1
            elif trace["type"] == "bar" and trace.get("orientation") == "h" and "customdata" in trace:
                assert trace["marker"]["color"] == [expected[n] for n in trace["y"]]
                seen += 1
            elif str(trace.get("name", "")).startswith(("Competitor average", "Landscape average")):
                colour = (trace.get("line") or {}).get("color") or (trace.get("marker") or {}).get("color")
                assert colour == colours.NEUTRAL
    assert seen >= 10   # the chosen metric, platform by platform, audience, share of voice and its trend


def test_charts_keep_their_labels_clear(close_app):
    at = close_app(**CLOSE)
    specs = charts(at)
    for spec in specs:
        legend = spec["layout"].get("legend") or {}
        if spec["layout"].get("showlegend") is not False and legend.get("orientation") == "h":
            # above the plot, never over the dates or the lines
            assert legend.get("yanchor") == "bottom" and legend.get("y", 0) >= 1, legend
        # no label drawn inside the plot where a bar or a line could sit under it
        assert not spec["layout"].get("annotations")
    # the chosen metric: bars lying down, each value beside its organization's name, the
    # averages (15.4 %, 7.2 %, 20.0 %; competitor average 13.6 %, landscape 14.2 %) in the legend
    bars = next(s for s in specs if s["data"][0].get("customdata"))
    assert bars["data"][0]["orientation"] == "h"
    assert bars["layout"]["yaxis"]["ticktext"] == ["Northwind  <b>15.4%</b>", "Contoso Airlines  <b>7.2%</b>",
                                                   "Fabrikam  <b>20.0%</b>"]
    assert [t["name"] for t in bars["data"][1:]] == ["Competitor average 13.6%", "Landscape average 14.2%"]
    # share of voice: labels level and outside their bars (inside a thin bar they turned vertical)
    sov = next(s for s in specs if s["data"][0].get("orientation") == "h" and s["data"][0].get("text"))
    assert all(t["textangle"] == 0 and t["textposition"] == "outside" for t in sov["data"])
    # the weekly share of voice: 85.7 % in the week of 16 March (600,000 / 700,000), inside the range
    trend = next(s for s in specs if s["layout"].get("yaxis", {}).get("title", {}).get("text") == "Share of voice"
                 and s["data"][0]["type"] == "scatter")
    highest = max(y for t in trend["data"] for y in numbers(t["y"]) if y == y)
    assert highest == pytest.approx(600_000 / 700_000)
    assert trend["layout"]["yaxis"]["range"][1] >= highest * 1.05
    # a tick under each point (weeks from Monday; the first starts with the period on Sunday 1 March)
    assert trend["layout"]["xaxis"]["tickvals"] == ["2026-03-01", "2026-03-02", "2026-03-09", "2026-03-16",
                                                    "2026-03-23", "2026-03-30"]
    # no row of dashes for a metric ranked nowhere (X reports no video views)
    heatmap = next(s for s in specs if s["data"][0]["type"] == "heatmap")
    assert "Video views" not in heatmap["data"][0]["y"] and len(heatmap["data"][0]["y"]) == 8


def test_headings_describe_the_platforms_selected(app):
    at = app(**PERIOD)
    assert [h.value for h in at.subheader][0] == "Northwind across all platforms"
    at = app(**PERIOD, platforms="x,bluesky")
    assert [h.value for h in at.subheader][0] == "Northwind across X and Bluesky"
    assert "across all platforms" not in all_text(at)
    assert at.selectbox(key="cmp_platform").format_func("all") == "All selected: X and Bluesky"
    heatmap = next(c for c in charts(at) if c["data"][0]["type"] == "heatmap")
    assert heatmap["data"][0]["x"] == ["All selected", "X", "Bluesky"]
    # one platform in the filter bar: it alone, not once more as "all platforms"
    at = app(**PERIOD, platforms="x")
    assert [h.value for h in at.subheader][0] == "Northwind on X"
    assert at.selectbox(key="cmp_platform").options == ["X"]
    bullets = " ".join(md.value for md in at.markdown).replace("\\", "")
    assert bullets.count("Contoso passed Northwind on likes on X") == 1
    assert "across all platforms" not in all_text(at)


def test_an_empty_period_says_so_and_ranks_nothing(app):
    at = app(start="2020-01-01", end="2020-01-31")
    info = " ".join(i.value for i in at.info).replace("\\", "")
    assert ("No data for 01 Jan 2020 – 31 Jan 2020: the warehouse's data starts on 22 Feb 2026. "
            "Choose a later period.") in info
    assert not at.metric and not at.get("plotly_chart")
    assert not [d for d in at.main.dataframe]
    text = all_text(at)
    assert not re.search(r"Rank \d+ of|\bNone\b|\bnan\b", text), text
