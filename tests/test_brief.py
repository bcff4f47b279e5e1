"""The meeting brief on the hand-computed fixture (tests/fixture_warehouse.py, with the
connector runs and hostile name of tests/fixture_meeting.py): its figures are those of
socialdash.metrics, written out by hand below, and every text from the warehouse is escaped."""

import datetime as dt
import html
import math
import re

import pandas as pd

import pytest

from socialdash import brief, colours, metrics, standing
from socialdash.config import Settings
from socialdash.period import Period
from socialdash.viewstate import View
from socialdash.warehouse import open_warehouse, upsert, writing
from tests import fixture_meeting
from tests.fixture_warehouse import NOW, PERIOD, SETTINGS

VIEW = View(PERIOD)
TODAY = dt.date(2026, 1, 14)


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return fixture_meeting.build(str(tmp_path_factory.mktemp("brief") / "meeting.duckdb"), hostile=True)


@pytest.fixture()
def con(db):
    c = open_warehouse(db)
    yield c
    c.close()


@pytest.fixture(scope="module")
def page(db):
    c = open_warehouse(db)
    try:
        return brief.build(c, VIEW, SETTINGS, NOW, TODAY, as_of=brief.data_as_of(c, SETTINGS),
                           link="http://dash.example/?start=2026-01-05&end=2026-01-11")
    finally:
        c.close()


def kpi(frame, key):
    return frame.set_index("metric").loc[key]


def test_headline_figures_are_the_overview_s_and_follow_metrics_md(con):
    k = brief.kpis(con, VIEW, SETTINGS, NOW)
    assert k["metric"].tolist() == list(standing.KPIS)
    card = standing.headline_card(con, VIEW, SETTINGS, NOW).set_index("org_id")
    for key in standing.KPIS[:-1]:  # the same numbers as the overview's
        assert kpi(k, key)["value"] == pytest.approx(card.loc["acme", key])
    # audience: 1300 + 700 + 200 = 2,200; the previous period's (to Jan 4): 1000 + 500 + 200 = 1,700,
    # so +500 = +29 %; Rival 4,100 > Acme > Other 400
    assert tuple(kpi(k, "audience")[["value_text", "delta_text", "rank_text"]]) == ("2,200", "+500 (29%)", "Rank 2 of 3")
    # growth 400 / 1800; no account had a count on Dec 29, so no change; Rival 10 %, Other 0 %
    assert tuple(kpi(k, "follower_growth_pct")[["value_text", "delta_text", "rank_text"]]) == ("22.2%", "—", "Rank 1 of 3")
    # likes 100 + 40 + 30 + 20 + 5 = 195. Rival's Bluesky data starts Jan 7 (r3), after the period's first
    # day, so its totals are left out (metrics.scorecard, as on the Competitors page): ranked 1 of 2 (Other 10).
    # The previous period (Dec 29 – Jan 4): Acme's data starts Jan 1, so no likes figure and no change.
    assert tuple(kpi(k, "likes")[["value_text", "delta_text", "rank_text"]]) == ("195", "—", "Rank 1 of 2")
    # (122/1100 + 50/1100 + 39/1300 + 25/500 + 10/200) / 5 = 5.73 %, against p4's 7/1000 = 0.7 %
    assert kpi(k, "engagement_rate")["value"] == pytest.approx((122 / 1100 + 50 / 1100 + 39 / 1300 + 0.05 + 0.05) / 5)
    # a mean, not a total: Rival's (360/3000 + 120/3300) / 2 = 7.8 % is ranked; p4 was first before
    assert tuple(kpi(k, "engagement_rate")[["value_text", "delta_text", "rank_text"]]) == ("5.7%", "+5.0 pp", "Rank 2 of 3 (was 1)")
    # 246 / (246 + 530 + 12) = 31.2 % (Rival's engagements count in the whole); before, no figure
    assert tuple(kpi(k, "share_of_voice")[["value_text", "delta_text", "rank_text"]]) == ("31.2%", "—", "Rank 1 of 2")
    # like for like (X: Rival has no Bluesky item): Acme's X items i1 30, i2 90, i3 600, i6 11520, i9 45
    # (i4 on Bluesky is pending anyway): median 90 min against i10's 5 min; Rival's 20, 40, 200: 40 min
    assert tuple(kpi(k, "median_response_minutes")[["value_text", "delta_text", "rank_text"]]) == (
        "90 min", "+85 min", "Rank 2 of 2 like for like (X) (was 1)")
    # 2 of (8 − 2 pending) within 60 min
    assert tuple(kpi(k, "sla_attainment")[["value_text", "delta_text"]]) == ("33.3%", "-66.7 pp")
    assert "X only" in kpi(k, "sla_attainment")["formula"]
    # shares 6/9 and 3/9 of 3 departments: 100 × H / ln 3 = 57.9; before, care alone (i10): 0
    h = -(2 / 3 * math.log(2 / 3) + 1 / 3 * math.log(1 / 3))
    assert kpi(k, "coop_index")["value"] == pytest.approx(100 * h / math.log(3))
    assert tuple(kpi(k, "coop_index")[["value_text", "delta_text", "rank_text"]]) == (
        "58", "+58", "Company only: Dandelion (multiple hub and spoke)")
    assert all(f.startswith(metrics.METRICS[m].formula) for m, f in zip(k["metric"], k["formula"]))


def test_without_the_company_there_are_no_headline_figures(con):
    assert brief.kpis(con, View(PERIOD, orgs=("rival", "other")), SETTINGS, NOW).empty


def test_where_we_stand_is_plain_text(con):
    stand = brief.where_we_stand(con, VIEW, SETTINGS, NOW)
    assert stand["company"] == "Acme"
    other = fixture_meeting.HOSTILE
    # Rival's totals are left out (its Bluesky data starts mid-period), so Acme leads Other on likes and share
    # of voice: 195 against 10 (185 more, 1,850 % of 10); 31.2 % against 12 / 788 = 1.5 %
    assert stand["leads"] == [
        "Leads on follower growth %: 22.2%, ahead of Rival (10.0%) by 12.2 percentage points.",
        f"Leads on likes: 195, ahead of {other} (10) by 185 (1,850%).",
        f"Leads on share of voice: 31.2%, ahead of {other} (1.5%) by 29.7 percentage points.",
    ]
    # no possessive of a name ("Rival's"): the other organization's value follows "for"
    assert stand["trails"][0] == "Trails on audience: 2,200 against 4,100 for Rival, behind by 1,900 (46%); ranks 2 of 3."
    assert not any("\\" in s for s in stand["leads"] + stand["trails"])  # no Markdown escapes left


def test_filters_in_words(con):
    view = View(PERIOD, platforms=("x", "bluesky"), orgs=("acme", "rival"), departments=("care",))
    assert brief.filters(con, view) == [
        ("Period", "05 Jan 2026 – 11 Jan 2026 (7 days)"),
        ("Compared with", "29 Dec 2025 – 04 Jan 2026"),
        ("Platforms", "X, Bluesky"),
        ("Organizations", "Acme, Rival"),
        ("Departments", "Customer Service"),
    ]
    assert [v for _, v in brief.filters(con, VIEW)][2:] == ["All platforms", "All organizations", "All departments"]


def test_data_as_of_in_the_configured_zone(con, tmp_path):
    # last ok/partial run finished 12:00 UTC = 07:00 in New York; a failed one at 13:05 UTC = 08:05
    assert brief.data_as_of(con, SETTINGS) == fixture_meeting.AS_OF + fixture_meeting.FAILED_LATER
    assert brief.data_as_of(con, Settings(timezone="UTC")).startswith("Data as of 14 Jan 2026, 12:00 (UTC)")
    fresh = fixture_meeting.build(str(tmp_path / "ok.duckdb"), failed_later=False)
    c = open_warehouse(fresh)
    try:
        assert brief.data_as_of(c, SETTINGS) == fixture_meeting.AS_OF
    finally:
        c.close()
    with writing(fresh) as w:
        w.execute("DELETE FROM connector_runs")
    c = open_warehouse(fresh)
    try:
        assert brief.data_as_of(c, SETTINGS) == "No successful refresh recorded yet"
    finally:
        c.close()
    with writing(fresh) as w:
        import pandas as pd
        upsert(w, "warehouse_meta", pd.DataFrame([("dataset", "demo"), ("demo_built_at", "2026-01-14T12:00:00+00:00")],
                                                 columns=["key", "value"]))
    c = open_warehouse(fresh)
    try:
        assert brief.data_as_of(c, SETTINGS) == "Demo data (generated, not real figures), built 14 Jan 2026, 07:00 (America/New_York)"
    finally:
        c.close()


def visible_text(page: str) -> str:
    """The brief's text without its scripts and tags, entities kept."""
    body = page[page.index("<body>"):]
    body = re.sub(r"<script.*?</script>", " ", body, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def test_the_brief_prints_filters_freshness_figures_and_tables(page):
    text = visible_text(page)
    assert "Meeting brief" in text and "Acme" in text
    for printed in ("05 Jan 2026 – 11 Jan 2026 (7 days)", "29 Dec 2025 – 04 Jan 2026", "All platforms",
                    "Data as of 14 Jan 2026, 07:00 (America/New_York)"):
        assert printed in text
    for value in ("2,200", "+500 (29%)", "22.2%", "195", "5.7%", "31.2%", "90 min", "33.3%", "Rank 2 of 3 (was 1)"):
        assert value in text
    assert "Mean over the period&#x27;s original posts" in text  # the formulas, escaped
    assert "Leads on follower growth %: 22.2%, ahead of Rival (10.0%)" in text
    # the side-by-side row of the company: audience, growth, likes, engagements, rate, share, posts, median, SLA
    assert "Acme 2,200 22.2% 195 246 5.7% 31.2% 5 90 min 33.3%" in text
    # departments: care 2 posts + 4 responses = 6 (66.7 %), 610 engagements; pr 2 + 1 = 3
    assert "Customer Service 2 4 6 66.7% 610" in text and "Public Relations 2 1 3 33.3% 49" in text
    assert "Co-op index 58" in text
    assert "No shared goal." in text  # the fixture has none
    assert 'href="http://dash.example/?start=2026-01-05&amp;end=2026-01-11"' in page


def test_the_brief_is_self_contained_with_interactive_charts(page):
    assert "<script src" not in page
    assert not re.search(r"""<(script|link|img)[^>]+(src|href)=["']?https?:""", page)
    assert page.count("Plotly.newPlot(") == 2  # audience over time, share of voice
    assert len(page) > 3_000_000  # plotly.js inlined
    assert '"displaylogo": false' in page and '"filename": "audience-over-time"' in page


def test_names_from_the_warehouse_are_escaped_everywhere(page):
    hostile = fixture_meeting.HOSTILE
    assert hostile not in page
    assert "<script>alert(2)" not in page and "<img src=x" not in page
    # in the tables: as text
    assert "&lt;img src=x onerror=alert(1)&gt; &quot;Other&quot; &amp; &lt;script&gt;alert(2)&lt;/script&gt;" in page
    # in the charts' data: entities (plotly shows them literally), inside JSON that escapes < and >
    assert r'"name":"&lt;img src=x onerror=alert(1)&gt; \"Other\" &amp; &lt;script&gt;alert(2)&lt;\u002fscript&gt;"' in page


def test_hostile_links_are_not_printed(con):
    page = brief.build(con, VIEW, SETTINGS, NOW, TODAY, as_of="x", link="javascript:alert(1)", plotly_js="")
    assert "javascript:" not in page and "Live view" not in page


def test_the_print_version_has_fixed_width_charts(con):
    page = brief.build(con, VIEW, SETTINGS, NOW, TODAY, as_of="x", for_print=True, plotly_js="")
    assert page.count('"width":680') == 2


# --- Issue 12: empty periods, deltas, numbers, colours, goals -------------------------------------------

EMPTY = View(Period(dt.date(2020, 1, 1), dt.date(2020, 1, 31)))


def test_an_empty_period_says_so_and_draws_nothing(con):
    page = brief.build(con, EMPTY, SETTINGS, NOW, TODAY, as_of="x", plotly_js="")
    text = html.unescape(visible_text(page))
    # the fixture's first data: acme-bsky's and acme-ana's follower counts of 1 Jan 2026
    assert "No data for 01 Jan 2020 – 31 Jan 2020: the warehouse's data starts on 01 Jan 2026." in text
    assert "Plotly.newPlot(" not in page  # no empty chart
    assert "Rank " not in text and "Tied first" not in text and "Leads on" not in text
    assert "Organizations side by side" not in text
    for bad in ("None", "nan", "NaT", "<NA>"):
        assert not re.search(rf"\b{bad}\b", text), bad


def test_a_change_that_rounds_to_zero_is_neutral(con, monkeypatch):
    rows = brief.kpis(con, VIEW, SETTINGS, NOW)
    rows.loc[rows["metric"] == "audience", "delta_text"] = "no change"   # as formatting.delta writes it
    rows.loc[rows["metric"] == "median_response_minutes", "delta_text"] = "-5 min"  # lower is better: green
    monkeypatch.setattr(brief, "kpis", lambda *args: rows)
    page = brief.build(con, VIEW, SETTINGS, NOW, TODAY, as_of="x", plotly_js="")
    assert re.search(r'data-metric="audience">.*?<div class="delta">no change</div>', page)
    assert re.search(r'data-metric="median_response_minutes">.*?<div class="delta up">-5 min</div>', page)
    assert re.search(r'data-metric="sla_attainment">.*?<div class="delta down">-66.7 pp</div>', page)


def test_side_by_side_separators_durations_and_distinct_values():
    card = pd.DataFrame({
        "name": ["Northwind Air", "Contoso Airlines"], "audience": [5227520.0, 2155893.0],
        "follower_growth_pct": [0.0058, 0.0381], "likes": [2155893.0, 2157343.0], "engagements": [2714807.0, None],
        "engagement_rate": [0.01581, 0.01584], "share_of_voice": [0.407, 0.397], "posts": [432.0, 454.0],
        "median_response_minutes": [517.0, 49.0], "sla_attainment": [0.5204, 0.8949],
    })
    table = brief.side_by_side(card).set_index("Organization")
    assert table.loc["Northwind Air", "Audience"] == "5,227,520" and table.loc["Contoso Airlines", "Audience"] == "2,155,893"
    assert table.loc["Contoso Airlines", "Engagements"] == "—"
    # 1.581 % and 1.584 % both read "1.6%" at one decimal: two more tell them apart
    assert table["Engagement rate"].tolist() == ["1.581%", "1.584%"]
    # one duration rule (formatting.minutes) on every page and the brief: 517 min = 8.6 h
    assert table["Median response time"].tolist() == ["8.6 h", "49 min"]


def test_charts_give_each_organization_its_colour(con):
    card = standing.headline_card(con, VIEW, SETTINGS, NOW)
    palette = colours.org_colours(con)
    # the company first, then the others by id: acme blue, other orange, rival green (colours.PALETTE)
    assert palette == {"acme": "#1f77b4", "other": "#ff7f0e", "rival": "#2ca02c"}
    names = dict(zip(card["name"], card["org_id"]))
    audience = brief.audience_chart(metrics.audience_series(con, VIEW, SETTINGS), card, palette)
    by_name = {html.unescape(t.name): t.line.color for t in audience.data}
    assert by_name == {"Acme": "#1f77b4", fixture_meeting.HOSTILE: "#ff7f0e", "Rival": "#2ca02c"}
    sov = brief.share_of_voice_chart(card, palette)
    # Rival has no share of voice (its totals are left out): Acme and Other only
    assert [html.unescape(n) for n in sov.data[0].y] == ["Acme", fixture_meeting.HOSTILE]
    assert list(sov.data[0].marker.color) == [palette[names["Acme"]], palette["other"]]


def test_goal_progress_is_the_real_value_not_capped(tmp_path):
    from tests import fixture_departments

    c = open_warehouse(fixture_departments.build(str(tmp_path / "goals.duckdb")))
    try:
        rows = brief.goals_table(c, SETTINGS, VIEW, NOW, TODAY).set_index("Goal")
    finally:
        c.close()
    # share of voice 246 / 788 = 31.2 % against a target of 30 %: 104 %, above 100 %
    assert rows.loc["Share of voice 30%", "Progress"] == "104%"
    # 999 of 1,000 followers: 99.9 %, never "100%" for a goal not reached
    assert rows.loc["1,000 followers on the help desk", "Progress"] == "99.9%"
