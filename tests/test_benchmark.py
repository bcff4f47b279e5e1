"""socialdash.benchmark against values computed by hand on tests/fixture_benchmark.py.

Period Mar 2 – Mar 8 2026 (7 days, UTC); previous period Feb 23 – Mar 1. The arithmetic
is written next to each expectation. Abbreviations: N = Northwind (the company),
C = Contoso, F = Fabrikam.
"""

import dataclasses
import datetime as dt

import pandas as pd
import pytest

from socialdash import benchmark, formatting, metrics
from socialdash.period import Period
from socialdash.viewstate import View
from socialdash.warehouse import open_warehouse
from tests import fixture_benchmark, fixture_warehouse
from tests.fixture_benchmark import PERIOD, SETTINGS

VIEW = View(PERIOD)
D = dt.date


@pytest.fixture(scope="session")
def bench_db(tmp_path_factory) -> str:
    return fixture_benchmark.build(str(tmp_path_factory.mktemp("bench") / "bench.duckdb"))


@pytest.fixture()
def con(bench_db):
    c = open_warehouse(bench_db)
    yield c
    c.close()


@pytest.fixture(scope="module")
def card(bench_db):
    c = open_warehouse(bench_db)
    try:
        return benchmark.scorecards(c, VIEW, SETTINGS).set_index(["platform", "org_id"])
    finally:
        c.close()


@pytest.fixture(scope="module")
def ranks(bench_db):
    c = open_warehouse(bench_db)
    try:
        return benchmark.rank_table(c, VIEW, SETTINGS).set_index(["platform", "metric", "org_id"]).sort_index()
    finally:
        c.close()


def nan(value) -> bool:
    return value is None or pd.isna(value)


# --- Coverage ------------------------------------------------------------------------------

def test_coverage_says_who_is_where_and_since_when(con):
    cov = benchmark.coverage(con, VIEW, SETTINGS)
    # platforms in the configured order (x, facebook, instagram, youtube, linkedin, mastodon, bluesky),
    # organizations the company first; 3 organizations × 4 platforms
    assert list(dict.fromkeys(cov.platform)) == ["x", "instagram", "youtube", "bluesky"]
    assert cov.org_id.tolist()[:3] == ["north", "contoso", "fab"]
    got = {(r.platform, r.org_id): (r.accounts, r.data_since, r.complete_since, r.status) for r in cov.itertuples()}
    # the first follower count (Feb 22) comes before the first post everywhere but on Contoso's Bluesky
    assert got["x", "north"] == (1, D(2026, 2, 22), D(2026, 2, 22), "full")  # the employee's account is not counted
    # two Instagram accounts: the older from Feb 22, the second's data from Mar 5 (count and post)
    assert got["instagram", "contoso"] == (2, D(2026, 2, 22), D(2026, 3, 5), "added")
    # its only Bluesky account: first count and first post on Mar 4, after the period's first day
    assert got["bluesky", "contoso"] == (1, D(2026, 3, 4), D(2026, 3, 4), "partial")
    assert got["instagram", "fab"][3] == got["bluesky", "fab"][3] == got["youtube", "contoso"][3] == "absent"
    assert got["instagram", "fab"][0] == 0 and nan(got["instagram", "fab"][1])
    notes = dict(zip(zip(cov.platform, cov.org_id), cov.note))
    assert notes["bluesky", "contoso"] == ("The Bluesky data of Contoso starts 04 Mar 2026, after the period's first day "
                                          "(02 Mar 2026), so its totals over the period are not comparable.")
    assert notes["youtube", "contoso"] == "Contoso has no account on YouTube."
    assert notes["x", "north"] == ""


def test_coverage_is_judged_against_the_period_shown(con):
    # from Mar 5 on, Contoso's Bluesky (data from Mar 4) covers the whole period, and so does its
    # second Instagram account (from Mar 5)
    late = benchmark.coverage(con, View(Period(D(2026, 3, 5), D(2026, 3, 8))), SETTINGS)
    status = dict(zip(zip(late.platform, late.org_id), late.status))
    assert status["bluesky", "contoso"] == "full" and status["instagram", "contoso"] == "full"


@pytest.mark.parametrize("accounts, with_data, since, complete, status", [
    (0, 0, None, None, "absent"),
    (2, 0, None, None, "no_data"),
    (2, 1, D(2026, 1, 1), D(2026, 1, 1), "partial"),     # one account without any data
    (1, 1, D(2026, 3, 3), D(2026, 3, 3), "partial"),     # the data starts the day after the start
    (2, 2, D(2026, 1, 1), D(2026, 3, 3), "added"),       # an account added beside an older one
    (2, 2, D(2026, 1, 1), D(2026, 3, 2), "full"),        # data from the first day is enough
])
def test_coverage_status_rules(accounts, with_data, since, complete, status):
    assert benchmark.coverage_status(accounts, with_data, since, complete, D(2026, 3, 2)) == status


# --- One query grouped by platform = metrics.content with the view restricted ----------------------

@pytest.mark.parametrize("which", ["benchmark", "warehouse"])
def test_content_by_platform_adds_up_to_metrics_content(which, bench_db, fixture_db):
    """The definitions stay identical: for every platform, and for all of them together, the
    grouped query gives what metrics.content gives with the view restricted to that platform.
    (fixture_warehouse counts days in New York and has replies, employees and a mid-period account.)"""
    db, view, settings = ((bench_db, VIEW, SETTINGS) if which == "benchmark"
                          else (fixture_db, View(fixture_warehouse.PERIOD), fixture_warehouse.SETTINGS))
    c = open_warehouse(db)
    try:
        cards = benchmark.scorecards(c, view, settings)
        platforms = [p for p in dict.fromkeys(cards.platform) if p != benchmark.ALL]
        assert platforms
        for platform in [benchmark.ALL, *platforms]:
            sub = view if platform == benchmark.ALL else dataclasses.replace(view, platforms=(platform,))
            expected = metrics.content(c, sub, settings).set_index("org_id")
            audience = metrics.audience(c, sub, settings).set_index("org_id")
            mine = cards[cards.platform == platform].set_index("org_id")
            for org, row in expected.iterrows():
                got = mine.loc[org]
                assert got.engagement_rate == pytest.approx(row.engagement_rate, rel=1e-12, nan_ok=True)
                if got.status in ("partial", "absent", "no_data"):
                    continue  # its totals are left out on purpose (tested below)
                assert got.posts == row.posts and got.likes == row.likes and got.engagements == row.engagements
                assert got.posting_frequency == pytest.approx(row.posting_frequency)
                assert got.share_of_voice == pytest.approx(row.share_of_voice)
            for org, row in audience.iterrows():
                assert mine.loc[org].audience == row.audience
                assert mine.loc[org].follower_growth == pytest.approx(row.follower_growth, nan_ok=True)
    finally:
        c.close()


# --- Scorecards ----------------------------------------------------------------------------------

def test_x_scorecard(card):
    n, c, f = card.loc["x", "north"], card.loc["x", "contoso"], card.loc["x", "fab"]
    # audience: latest count on or before Mar 8; start: on or before Mar 2
    assert (n.audience, c.audience, f.audience) == (1200, 2300, 600)
    assert (n.follower_growth, c.follower_growth, f.follower_growth) == (100, 300, 50)  # 1200−1100, 2300−2000, 600−550
    assert n.follower_growth_pct == f.follower_growth_pct == pytest.approx(1 / 11)   # 100/1100 = 50/550: a tie
    assert c.follower_growth_pct == pytest.approx(0.15)
    # N: n1 (50+5+5 = 60) and n2 (30); not the reply n3 nor the employee's e1
    assert (n.posts, n.likes, n.engagements) == (2, 80, 90)
    assert (c.posts, c.likes, c.engagements) == (1, 100, 120)
    assert (f.posts, f.likes, f.engagements) == (1, 20, 25)
    # rates over the followers on the day of posting: n1 60/1100, n2 30/1100 (the Mar 1 count)
    assert n.engagement_rate == pytest.approx((60 / 1100 + 30 / 1100) / 2)
    assert c.engagement_rate == pytest.approx(120 / 2000)
    assert f.engagement_rate == pytest.approx(25 / 550)   # the Mar 2 count
    assert n.posting_frequency == pytest.approx(2 / 7)
    assert n.share_of_voice == pytest.approx(90 / 235)    # 90 + 120 + 25 = 235
    assert nan(n.views)                                   # X reports no views


def test_an_account_added_mid_period_counts_from_then_on_but_not_as_growth(card):
    c = card.loc["instagram", "contoso"]
    assert c.status == "added"
    assert c.audience == 330 + 120              # both accounts at the end
    assert c.audience_start == 300              # the second has no count on or before Mar 2
    assert c.follower_growth == 30              # 330 − 300: the new account's 120 is not growth
    assert c.follower_growth_pct == pytest.approx(0.1)
    assert (c.posts, c.likes) == (2, 90)        # ci1 30 + ci2 60: shown, with a note
    assert c.engagement_rate == pytest.approx((30 / 300 + 60 / 100) / 2)
    assert c.share_of_voice == pytest.approx(90 / 140)  # N 50 + C 90
    assert "added another Instagram account, whose data starts 05 Mar 2026" in c.note


def test_a_platform_whose_data_starts_mid_period_shows_no_totals(card):
    c = card.loc["bluesky", "contoso"]
    assert c.status == "partial"
    assert c.audience == 180                     # a level: still right
    assert nan(c.follower_growth) and nan(c.follower_growth_pct)  # no count on or before Mar 2
    assert c.engagement_rate == pytest.approx(30 / 150)           # a mean of posts: still right
    for total in ("posts", "likes", "engagements", "posting_frequency", "share_of_voice"):
        assert nan(c[total]), total
    # the company's share is of every engagement held: 20 / (20 + Contoso's 30)
    assert card.loc["bluesky", "north"].share_of_voice == pytest.approx(20 / 50)


def test_an_organization_missing_from_a_platform_has_no_value_there(card):
    f = card.loc["instagram", "fab"]
    assert f.status == "absent"
    assert all(nan(f[m]) for m in benchmark.BENCHMARK_METRICS)
    assert f.note == "Fabrikam has no account on Instagram."


def test_video_views_only_where_the_platform_reports_them(card):
    assert card.loc["youtube", "north"].views == 5000 and card.loc["youtube", "fab"].views == 3000
    assert nan(card.loc["instagram", "north"].views)
    # across all platforms: YouTube's views; Contoso is not on YouTube, so it has none to compare
    assert card.loc["all", "north"].views == 5000 and nan(card.loc["all", "contoso"].views)


def test_all_platforms_together(card):
    n, c, f = card.loc["all", "north"], card.loc["all", "contoso"], card.loc["all", "fab"]
    assert n.audience == 1200 + 500 + 1000 + 260
    assert n.follower_growth == 2960 - (1100 + 400 + 1000 + 200)
    assert n.follower_growth_pct == pytest.approx(260 / 2700)
    # Contoso: 2300 + 450 + 180; growth over the accounts counted on Mar 2 (X, first Instagram):
    # (2300 + 330) − (2000 + 300) = 330
    assert c.audience == 2930 and c.follower_growth == 330
    assert c.follower_growth_pct == pytest.approx(330 / 2300)
    assert (n.posts, n.likes, n.engagements) == (5, 150, 170)
    assert n.engagement_rate == pytest.approx((60 / 1100 + 30 / 1100 + 50 / 400 + 10 / 1000 + 20 / 200) / 5)
    assert c.engagement_rate == pytest.approx((0.06 + 0.1 + 0.6 + 0.2) / 4)
    assert f.engagement_rate == pytest.approx((25 / 550 + 20 / 2000) / 2)
    # Contoso's Bluesky starts mid-period: its totals across all platforms are left out too
    assert c.status == "partial" and nan(c.likes) and nan(c.share_of_voice)
    # share of voice over every engagement held: N 170, C 90 + 120 + 30 = 240, F 45
    assert n.share_of_voice == pytest.approx(170 / 455) and f.share_of_voice == pytest.approx(45 / 455)
    assert "Fabrikam is not on Instagram and Bluesky: its totals cover its own platforms." in f.note


def test_filters_restrict_platforms_and_organizations(con):
    view = View(PERIOD, platforms=("x", "bluesky"), orgs=("north", "contoso"))
    cards = benchmark.scorecards(con, view, SETTINGS).set_index(["platform", "org_id"])
    assert list(dict.fromkeys(p for p, _ in cards.index)) == ["all", "x", "bluesky"]
    assert {o for _, o in cards.index} == {"north", "contoso"}
    assert cards.loc[("all", "north"), "audience"] == 1200 + 260
    assert cards.loc[("x", "north"), "share_of_voice"] == pytest.approx(90 / 210)  # Fabrikam not selected


# --- Ranks -------------------------------------------------------------------------------------

def test_rank_table_ranks_ties_gaps_and_changes(ranks):
    likes = ranks.loc["x", "likes"]
    assert likes["rank"].to_dict() == {"north": 2, "contoso": 1, "fab": 3}
    assert likes.loc["north", "leader"] == "Contoso"
    assert likes.loc["north", "gap_to_leader"] == 80 - 100
    assert likes.loc["contoso", "gap_to_leader"] == 0
    # previous period: N 80, C 40, F 10 → N first; now second: one place down
    assert likes["rank_before"].to_dict() == {"north": 1, "contoso": 2, "fab": 3}
    assert likes.loc["north", "rank_change"] == -1 and likes.loc["contoso", "rank_change"] == 1
    # a tie: N and F both grew by 1/11 on X → 2 and 2 behind Contoso's 15%
    assert ranks.loc["x", "follower_growth_pct"]["rank"].to_dict() == {"north": 2, "contoso": 1, "fab": 2}
    # engagement rate on X: C 0.06, F 0.0455, N 0.0409; before N 0.10, C and F 0.02 (tied second)
    er = ranks.loc["x", "engagement_rate"]
    assert er["rank"].to_dict() == {"north": 3, "contoso": 1, "fab": 2}
    assert er["rank_before"].to_dict() == {"north": 1, "contoso": 2, "fab": 2}
    assert er.loc["north", "rank_change"] == -2
    assert er.loc["north", "gap_to_leader"] == pytest.approx(90 / 2200 - 0.06)
    # YouTube: equal engagement rates (10/1000 = 20/2000) share the first place
    assert ranks.loc["youtube", "engagement_rate"]["rank"].dropna().to_dict() == {"north": 1, "fab": 1}
    assert ranks.loc["youtube", "engagement_rate"].loc["north", "leader"] == "Northwind, Fabrikam"


def test_values_left_out_are_not_ranked_and_say_why(ranks):
    likes = ranks.loc["bluesky", "likes"]
    assert likes.loc["north", "rank"] == 1 and likes.loc["north", "of"] == 1
    assert pd.isna(likes.loc["contoso", "rank"]) and pd.isna(likes.loc["fab", "rank"])
    assert "data of Contoso starts 04 Mar 2026" in likes.loc["contoso", "note"]
    assert likes.loc["fab", "note"] == "Fabrikam has no account on Bluesky."
    growth = ranks.loc["bluesky", "follower_growth"]
    assert pd.isna(growth.loc["contoso", "rank"])
    assert growth.loc["contoso", "note"].startswith("No follower count on or before 02 Mar 2026")
    # the engagement rate is a mean, comparable: C 0.2 ahead of N 0.1
    assert ranks.loc["bluesky", "engagement_rate"]["rank"].dropna().to_dict() == {"north": 2, "contoso": 1}
    # views: only YouTube and all platforms have the metric
    metrics_of = {p: set(ranks.loc[p].index.get_level_values(0)) for p in ("x", "youtube", "all")}
    assert "views" not in metrics_of["x"] and "views" in metrics_of["youtube"] and "views" in metrics_of["all"]


def test_competitor_and_landscape_averages(ranks):
    er = ranks.loc["x", "engagement_rate"]
    north, contoso, fab = 90 / 2200, 0.06, 25 / 550
    # competitor average leaves the company out; landscape average takes it in
    assert er.loc["north", "competitor_average"] == pytest.approx((contoso + fab) / 2)
    assert er.loc["north", "landscape_average"] == pytest.approx((north + contoso + fab) / 3)
    likes = ranks.loc["x", "likes"]
    assert likes.loc["fab", "competitor_average"] == pytest.approx((100 + 20) / 2)
    assert likes.loc["fab", "landscape_average"] == pytest.approx((80 + 100 + 20) / 3)
    # on YouTube the only competitor is Fabrikam: its value is the competitor average
    views = ranks.loc["youtube", "views"]
    assert views.loc["north", "competitor_average"] == 3000
    assert views.loc["north", "landscape_average"] == (5000 + 3000) / 2
    # values left out do not enter the averages: on Bluesky, likes are N's alone
    assert ranks.loc["bluesky", "likes"].loc["north", "landscape_average"] == 20
    assert pd.isna(ranks.loc["bluesky", "likes"].loc["north", "competitor_average"])


def test_averages_table_has_the_company_and_both_averages(con):
    avg = benchmark.averages_table(con, VIEW, SETTINGS).set_index(["platform", "metric"])
    row = avg.loc["x", "likes"]
    assert (row.company_value, row.company_rank, row.of) == (80, 2, 3)
    assert row.competitor_average == 60 and row.landscape_average == pytest.approx(200 / 3)


def test_rank_changes_name_who_passed_whom(con):
    changes = benchmark.rank_changes(con, VIEW, SETTINGS, True)
    got = [(r.platform, r.metric, r.passer_id, r.passed_id, r.company_gained) for r in changes.itertuples()]
    # the company's losses first (all platforms, then each platform in order; metrics in alert order), then its gains
    assert got == [
        # all platforms: C 330/2300 = 14.3% against N 9.6%; before N 100/2600 = 3.8% ahead of C 0
        ("all", "follower_growth_pct", "contoso", "north", False),
        ("x", "follower_growth_pct", "contoso", "north", False),   # before N 10% > C 0%
        ("x", "likes", "contoso", "north", False),                 # 100 > 80; before 40 < 80
        ("x", "engagement_rate", "contoso", "north", False),       # 0.06 > 0.041; before 0.02 < 0.10
        ("x", "engagement_rate", "fab", "north", False),           # 0.045 > 0.041; before 0.02 < 0.10
        ("x", "share_of_voice", "contoso", "north", False),        # 120/235 > 90/235; before 40/150 < 100/150
        ("youtube", "views", "north", "fab", True),                # 5000 > 3000; before 1000 < 8000
    ]
    # not passes: ties before (X growth % of C and F, X posts per day) or a value missing before
    assert changes.sentence[2] == ("Contoso passed Northwind on likes on X: 100 against 80 "
                                   "(previous period: 40 against 80).")
    assert changes.sentence[0] == ("Contoso passed Northwind on follower growth % across all platforms: "
                                   "14.3% against 9.6% (previous period: 0.0% against 3.8%).")


def test_rank_changes_between_competitors(con):
    changes = benchmark.rank_changes(con, VIEW, SETTINGS, False)
    others = changes[changes.company_gained.isna()]
    # all platforms' audience: C 2930 > F 2600 now; before F 2500 > C 2300 (C's new accounts had no count)
    assert [(r.platform, r.metric, r.passer_id, r.passed_id) for r in others.itertuples()] == [
        ("all", "audience", "contoso", "fab")]
    assert len(changes) == 8


def test_comparison_holds_the_rank_table_and_every_change(con):
    both = benchmark.comparison(con, VIEW, SETTINGS)
    pd.testing.assert_frame_equal(both["ranks"], benchmark.rank_table(con, VIEW, SETTINGS))
    pd.testing.assert_frame_equal(both["changes"], benchmark.rank_changes(con, VIEW, SETTINGS, False))


def test_passes_are_told_apart_when_rounded_values_look_equal():
    assert benchmark._pair("engagement_rate", 0.0041, 0.0039) == ("0.41%", "0.39%")
    assert benchmark._pair("likes", 1_234_000, 1_233_000) == ("1,234,000", "1,233,000")  # both 1.23M
    assert benchmark._pair("likes", 80, 100) == ("80", "100")
    assert benchmark._pair("engagement_rate", 0.003, 0.004, 2) == ("0.30%", "0.40%")  # written like the other pair


# --- Share of voice over time ---------------------------------------------------------------------

def test_share_of_voice_trend_per_day(con):
    trend = benchmark.share_of_voice_trend(con, VIEW, SETTINGS)
    assert benchmark.trend_unit(7) == "day"
    share = {(r.bucket.day, r.org_id): r.share_of_voice for r in trend.itertuples()}
    # Mar 8 has no engagement at all: no point. Mar 2: only n1 (60).
    assert sorted({d for d, _ in share}) == [2, 3, 4, 5, 6, 7]
    assert share[2, "north"] == 1.0 and share[2, "fab"] == 0.0
    # Mar 3: N nb1 20, C c1 120 + ci1 30 → N 20/170; Contoso's Bluesky starts Mar 4, so its share is
    # unknown before then
    assert share[3, "north"] == pytest.approx(20 / 170) and nan(share[3, "contoso"])
    # Mar 4: N ni1 50, C cb1 30, F f1 25
    assert share[4, "north"] == pytest.approx(50 / 105)
    assert share[4, "contoso"] == pytest.approx(30 / 105)
    assert share[4, "fab"] == pytest.approx(25 / 105)
    assert share[5, "contoso"] == pytest.approx(60 / 90)  # ci2 60 against n2 30
    assert share[7, "fab"] == 1.0


def test_share_of_voice_trend_per_week_is_clipped_to_the_period(con):
    view = View(Period(D(2026, 2, 20), D(2026, 3, 8)))   # 17 days: weeks from Monday
    assert benchmark.trend_unit(17) == "week"
    trend = benchmark.share_of_voice_trend(con, view, SETTINGS)
    weeks = trend.groupby("bucket").first()
    # the week of Feb 16 holds no post; Feb 23 – Mar 1 and Mar 2 – Mar 8 do
    assert list(weeks.index) == [D(2026, 2, 23), D(2026, 3, 2)]
    assert list(weeks.start) == [D(2026, 2, 23), D(2026, 3, 2)] and list(weeks.end) == [D(2026, 3, 1), D(2026, 3, 8)]
    share = {(r.bucket, r.org_id): r.share_of_voice for r in trend.itertuples()}
    # week of Feb 23: N 100 + 10 + 5 + 10 = 125, C 40 + 30 = 70, F 10 + 5 = 15
    assert share[D(2026, 2, 23), "north"] == pytest.approx(125 / 210)
    assert share[D(2026, 3, 2), "fab"] == pytest.approx(45 / 455)
    # Contoso's data on Bluesky starts Mar 4: both weeks begin before, so no share is shown
    assert nan(share[D(2026, 2, 23), "contoso"]) and nan(share[D(2026, 3, 2), "contoso"])


def test_share_of_voice_trend_leaves_out_organizations_not_on_the_platform(con):
    trend = benchmark.share_of_voice_trend(con, View(PERIOD, platforms=("youtube",)), SETTINGS)
    assert set(trend.org_id) == {"north", "fab"}


# --- Top posts -----------------------------------------------------------------------------------

def test_top_posts_by_engagements(con):
    posts = benchmark.top_posts(con, VIEW, SETTINGS)
    # 11 original posts of official accounts; ties broken by the latest first
    assert posts.text.str.removeprefix("Post ").tolist()[:6] == ["c1", "ci2", "n1", "ni1", "n2", "cb1"]
    assert len(posts) == 11
    assert posts.engagements.tolist() == [120, 60, 60, 50, 30, 30, 30, 25, 20, 20, 10]
    first = posts.iloc[0]
    assert (first.organization, first.platform, first.day, first.likes) == ("Contoso", "x", D(2026, 3, 3), 100)
    assert first.engagement_rate == pytest.approx(120 / 2000)
    assert first.link == "https://example.com/c1"


def test_top_posts_text_is_kept_as_text_and_only_http_links_are_links(con):
    posts = benchmark.top_posts(con, VIEW, SETTINGS, "engagements", "SALE")
    assert len(posts) == 1
    assert posts.text[0] == fixture_benchmark.MARKUP     # unchanged: the page shows it as plain text
    assert nan(posts.link[0])                            # javascript: is not a link


def test_top_posts_by_engagement_rate_and_views(con):
    by_rate = benchmark.top_posts(con, VIEW, SETTINGS, "engagement_rate", "", 3)
    assert by_rate.text.str.removeprefix("Post ").tolist()[:1] == ["ci2"]     # 60/100
    assert by_rate.engagement_rate.tolist() == pytest.approx([0.6, 0.2, 0.125])
    by_views = benchmark.top_posts(con, VIEW, SETTINGS, "views", "", 2)
    assert by_views["views"].tolist() == [5000, 3000]
    with pytest.raises(ValueError):
        benchmark.top_posts(con, VIEW, SETTINGS, "likes; DROP TABLE posts")


# --- Text for markdown -----------------------------------------------------------------------------

def test_escape_markdown_neutralises_markup():
    assert formatting.escape_markdown("**Big** [x](javascript:y)\n<b>") == (
        r"\*\*Big\*\* \[x\]\(javascript\:y\) \<b\>")
    assert formatting.escape_markdown("Contoso Airlines") == "Contoso Airlines"


# --- How the page writes a gap and where a figure is taken (issue 12) ------------------------

def test_a_gap_to_the_leader_has_the_digits_it_needs():
    # 1,450 likes behind 2,157,343: 0.0672 % of the leader's, not "(0%)"
    assert benchmark.leader_gap("likes", 2_155_893, 2_157_343) == "-1,450 (-0.1%)"
    assert benchmark.leader_gap("likes", 40, 150) == "-110 (-73%)"
    # 14/31 against 15/31 posts a day: 0.032/day, 6.7 % of the leader's
    assert benchmark.leader_gap("posting_frequency", 14 / 31, 15 / 31) == "-0.03/day (-7%)"
    # rates in percentage points, with a digit that is not 0: 40.5759 % against 40.6032 %
    assert benchmark.leader_gap("share_of_voice", 2_155_893 / 5_313_236, 2_157_343 / 5_313_236) == "-0.03 pp"
    assert benchmark.leader_gap("likes", 100, 100) == "Leader"
    assert benchmark.leader_gap("likes", float("nan"), 100) is None


def test_where_a_figure_is_taken_follows_the_platform_filter():
    view = View(fixture_benchmark.PERIOD)
    assert benchmark.scope(benchmark.ALL, view) == "across all platforms"
    assert benchmark.scope("x", view) == "on X"
    one = dataclasses.replace(view, platforms=("x",))
    assert benchmark.scope(benchmark.ALL, one) == "on X"
    two = dataclasses.replace(view, platforms=("bluesky", "x"))
    assert benchmark.scope(benchmark.ALL, two) == "across X and Bluesky"   # in the platforms' order
    assert benchmark.scope_label(benchmark.ALL, two) == "All selected: X and Bluesky"
    assert benchmark.scope_label(benchmark.ALL, view) == "All platforms"
