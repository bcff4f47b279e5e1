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
