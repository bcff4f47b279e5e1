"""Every metric against values computed by hand on tests/fixture_warehouse.py.

The arithmetic is written out next to each expectation, so a reader can check it.
"""

import math

import pandas as pd
import pytest

import datetime as dt

from socialdash import metrics, standing
from socialdash.period import Period
from socialdash.viewstate import View
from socialdash.warehouse import open_warehouse
from tests.fixture_warehouse import NOW, PERIOD, SETTINGS

VIEW = View(PERIOD)


@pytest.fixture()
def con(fixture_db):
    c = open_warehouse(fixture_db)
    yield c
    c.close()


def by_org(frame: pd.DataFrame) -> dict:
    return frame.set_index("org_id").to_dict("index")


def test_audience_excludes_employees_and_counts_latest_on_or_before_the_end(con):
    a = by_org(metrics.audience(con, VIEW, SETTINGS))
    # acme: x 1300 (Jan 10) + bluesky 700 (Jan 11) + help 200 (Jan 4; Jan 12 is after the end);
    # Ana's 10,000 is an employee's and never counts.
    assert a["acme"]["audience"] == 2200
    # rival: 3300 + the new bluesky account's 800
    assert a["rival"]["audience"] == 4100
    assert a["other"]["audience"] == 400


def test_follower_growth_leaves_out_accounts_without_a_count_at_the_start(con):
    a = by_org(metrics.audience(con, VIEW, SETTINGS))
    # acme start: 1100 (Jan 5) + 500 (Jan 1) + 200 (Jan 4) = 1800; growth 2200 − 1800 = 400
    assert a["acme"]["audience_start"] == 1800
    assert a["acme"]["follower_growth"] == 400
    assert a["acme"]["follower_growth_pct"] == pytest.approx(400 / 1800)
    # rival: its bluesky account first appears on Jan 8, so growth is 3300 − 3000 = 300, not 1100
    assert a["rival"]["follower_growth"] == 300
    assert a["rival"]["follower_growth_pct"] == pytest.approx(0.1)
    assert a["other"]["follower_growth"] == 0


def test_content_metrics_official_original_posts_in_the_local_period(con):
    c = by_org(metrics.content(con, VIEW, SETTINGS))
    # acme: p1, p2, p5 (local Jan 11), p6, p7; not the reply p3, not p4 (local Jan 4),
    # not the employees' p8 and p10.
    assert c["acme"]["posts"] == 5
    assert c["acme"]["likes"] == 100 + 40 + 30 + 20 + 5
    assert c["acme"]["engagements"] == 122 + 50 + 39 + 25 + 10
    assert c["acme"]["posting_frequency"] == pytest.approx(5 / 7)
    # the mean of per-post rates, each over the followers on the local day of posting:
    # p1 122/1100, p2 50/1100 (local Jan 7, before the Jan 8 count), p5 39/1300, p6 25/500, p7 10/200
    assert c["acme"]["engagement_rate"] == pytest.approx((122 / 1100 + 50 / 1100 + 39 / 1300 + 0.05 + 0.05) / 5)
    # rival: r3 has no follower count yet: in likes and posts, left out of the rate
    assert c["rival"]["posts"] == 3
    assert c["rival"]["likes"] == 450
    assert c["rival"]["engagement_rate"] == pytest.approx((360 / 3000 + 120 / 3300) / 2)
    assert c["other"]["engagement_rate"] == pytest.approx(12 / 400)


def test_share_of_voice_includes_the_company(con):
    c = by_org(metrics.content(con, VIEW, SETTINGS))
    total = 246 + 530 + 12
    assert c["acme"]["share_of_voice"] == pytest.approx(246 / total)
    assert c["rival"]["share_of_voice"] == pytest.approx(530 / total)
    assert sum(v["share_of_voice"] for v in c.values()) == pytest.approx(1.0)


def test_responsiveness_leaves_pending_out_and_uses_continuous_percentiles(con):
    r = by_org(metrics.responsiveness(con, VIEW, SETTINGS, NOW))
    acme = r["acme"]
    # i1..i7 and i9; not i8 (an employee's account) nor i10 (previous period)
    assert acme["interactions"] == 8
    assert acme["pending"] == 2  # i4, i7
    # responses 30, 45, 90, 600, 11520 (i6, eight days late, still counts for percentiles)
    assert acme["median_response_minutes"] == pytest.approx(90)
    assert acme["p90_response_minutes"] == pytest.approx(600 + 0.6 * (11520 - 600))
    # answered within 7 days: i1, i2, i3, i9 = 4 of 8 − 2 pending
    assert acme["response_rate"] == pytest.approx(4 / 6)
    # within 60 minutes: i1, i9
    assert acme["sla_attainment"] == pytest.approx(2 / 6)
    rival = r["rival"]
    assert rival["median_response_minutes"] == pytest.approx(40)
    assert rival["response_rate"] == pytest.approx(1.0)
    assert rival["sla_attainment"] == pytest.approx(2 / 3)
    assert "other" not in r


def test_business_hours_split_in_the_configured_time_zone(con):
    r = metrics.responsiveness(con, VIEW, SETTINGS, NOW, by=("org_id", "business_hours"))
    r = r[r.org_id == "acme"].set_index("business_hours")
    # business (New York): i1, i2, i6 (20:00 UTC = 15:00 local), i7 (pending), i9
    assert r.loc[True, "interactions"] == 5
    assert r.loc[True, "median_response_minutes"] == pytest.approx((45 + 90) / 2)
    assert r.loc[True, "response_rate"] == pytest.approx(3 / 4)
    assert r.loc[True, "sla_attainment"] == pytest.approx(2 / 4)
    # off hours: i3, i4 (pending), i5
    assert r.loc[False, "interactions"] == 3
    assert r.loc[False, "median_response_minutes"] == pytest.approx(600)
    assert r.loc[False, "response_rate"] == pytest.approx(1 / 2)
    assert r.loc[False, "sla_attainment"] == 0


def test_response_buckets_leave_pending_out(con):
    b = metrics.response_buckets(con, VIEW, SETTINGS, NOW)
    acme = dict(zip(b[b.org_id == "acme"].bucket, b[b.org_id == "acme"]["items"]))
    assert acme == {"< 1 h": 2, "1–4 h": 1, "8–24 h": 1, "Unanswered": 2}
    rival = dict(zip(b[b.org_id == "rival"].bucket, b[b.org_id == "rival"]["items"]))
    assert rival == {"< 1 h": 2, "1–4 h": 1}


def test_department_contributions_shares_and_cost(con):
    d = metrics.department_contributions(con, VIEW, SETTINGS).set_index("department_id")
    # care: posts p7 (its account) + p8 (Ana's own); responses i1, i2, i6, i9
    assert d.loc["care", "posts"] == 2
    assert d.loc["care", "responses"] == 4
    assert d.loc["care", "engagements"] == 10 + 600
    # pr: brand post p5 attributed to pr + Pete's p10 (his reply p9 excluded); response i3
    assert d.loc["pr", "posts"] == 2
    assert d.loc["pr", "responses"] == 1
    assert d.loc["pr", "engagements"] == 39 + 10
    assert d.loc["legal", "contributions"] == 0
    assert d.loc["care", "share"] == pytest.approx(6 / 9)
    assert d.loc["pr", "share"] == pytest.approx(3 / 9)
    assert d.loc["care", "median_response_minutes"] == pytest.approx((45 + 90) / 2)
    # budget × 7/365 / engagements earned
    assert d.loc["care", "cost_per_engagement"] == pytest.approx(365000 * 7 / 365 / 610)
    assert d.loc["pr", "cost_per_engagement"] == pytest.approx(73000 * 7 / 365 / 49)
    assert pd.isna(d.loc["legal", "cost_per_engagement"])


def test_coop_index_and_model_on_the_fixture(con):
    c = metrics.coop(con, VIEW, SETTINGS)
    h = -(2 / 3 * math.log(2 / 3) + 1 / 3 * math.log(1 / 3))
    assert c["coop_index"] == pytest.approx(100 * h / math.log(3))  # 57.94
    assert c["coop_index"] == pytest.approx(57.938, abs=1e-3)
    assert c["model"] == "dandelion"  # two departments with ≥ 20 %


@pytest.mark.parametrize("shares, expected", [
    ([1.0, 0, 0, 0], 0.0),
    ([0.25, 0.25, 0.25, 0.25], 100.0),
])
def test_coop_index_bounds(shares, expected):
    assert metrics.coop_index(shares, 4) == pytest.approx(expected)


def test_coop_index_not_available():
    assert metrics.coop_index([0, 0], 2) is None
    assert metrics.coop_index([1.0], 1) is None


@pytest.mark.parametrize("shares, model", [
    ([0.80, 0.10, 0.10], "centralized"),                          # top exactly 80 %
    ([0.79, 0.07, 0.07, 0.07], "hub_and_spoke"),                  # three others ≥ 5 %
    ([0.79, 0.07, 0.07, 0.04, 0.03], "organic"),     # only two others ≥ 5 %, one ≥ 20 %
    ([0.50, 0.05, 0.05, 0.05, 0.35], "hub_and_spoke"),            # top exactly 50 %
    ([0.34, 0.33, 0.33], "honeycomb"),                            # top < 35 %, all ≥ 2 %
    ([0.35, 0.33, 0.32], "dandelion"),                            # top exactly 35 %: not honeycomb
    ([0.30, 0.30, 0.30, 0.10, 0, 0, 0], "dandelion"),             # only 4 of 7 ≥ 2 %: not honeycomb
    ([0.20, 0.19, 0.19, 0.19, 0.19, 0.02, 0.02], "honeycomb"),
    ([0.45, 0.15, 0.15, 0.15, 0.10], "organic"),                  # one ≥ 20 %, top ≥ 35 %
    ([0, 0, 0], None),
])
def test_organisation_model_thresholds(shares, model):
    assert metrics.organisation_model(shares) == model


def test_ranks_with_ties_and_direction():
    frame = pd.DataFrame({
        "org_id": ["a", "b", "c", "d"], "is_self": [True, False, False, False],
        "likes": [10, 30, 30, None], "median_response_minutes": [5.0, 5.0, 2.0, 9.0],
    })
    assert metrics.ranks(frame, "likes").tolist() == [3, 1, 1, pd.NA]
    # lower is better for response time: c first, a and b tie for second
    assert metrics.ranks(frame, "median_response_minutes").tolist() == [2, 2, 1, 4]


def test_competitor_and_landscape_averages(con):
    card = metrics.scorecard(con, VIEW, SETTINGS, NOW)
    comp, land = metrics.averages(card, "engagement_rate")
    acme = (122 / 1100 + 50 / 1100 + 39 / 1300 + 0.05 + 0.05) / 5
    rival = (360 / 3000 + 120 / 3300) / 2
    other = 12 / 400
    assert comp == pytest.approx((rival + other) / 2)
    assert land == pytest.approx((acme + rival + other) / 3)


def test_scorecard_ranks_the_company(con):
    card = metrics.scorecard(con, VIEW, SETTINGS, NOW)
    assert card.org_id.tolist()[0] == "acme"  # the company first
    likes = dict(zip(card.org_id, metrics.ranks(card, "likes")))
    # Rival's 450 likes are left out: its Bluesky data starts Jan 7 (r3), after the first day (see below)
    assert (likes["acme"], likes["other"]) == (1, 2) and pd.isna(likes["rival"])
    median = dict(zip(card.org_id, metrics.ranks(card, "median_response_minutes")))
    assert (median["acme"], median["rival"]) == (2, 1) and pd.isna(median["other"])


def test_previous_period_is_equal_length_before_start(con):
    prev = metrics.previous_view(VIEW)
    assert (prev.period.start.isoformat(), prev.period.end.isoformat()) == ("2025-12-29", "2026-01-04")
    c = by_org(metrics.content(con, prev, SETTINGS))
    assert c["acme"]["likes"] == 7  # p4, posted Jan 4 local time


def test_filters_by_platform_and_organization(con):
    view = View(PERIOD, platforms=("bluesky",), orgs=("acme", "rival"))
    a = by_org(metrics.audience(con, view, SETTINGS))
    assert set(a) == {"acme", "rival"}
    assert a["acme"]["audience"] == 700
    assert a["rival"]["follower_growth"] != a["rival"]["follower_growth"]  # NaN: no bluesky count at start


def test_audience_series_is_daily_and_thinned_when_long(con):
    s = metrics.audience_series(con, VIEW, SETTINGS)
    acme = s[s.org_id == "acme"].set_index("day")["audience"]
    assert len(acme) == 7
    # Jan 5: 1100 + 500 + 200; Jan 11: 1300 + 700 + 200
    assert acme.iloc[0] == 1800 and acme.iloc[-1] == 2200
    thin = metrics.audience_series(con, VIEW, SETTINGS, max_points=9)
    assert len(thin) <= 9 + 3  # a step of several days, always ending on the last day
    assert thin.day.max().date() == PERIOD.end


# --- What "no data" means (metrics.scorecard, issue 12) ----------------------------------------


def test_an_empty_period_has_no_figure_and_ranks_nothing(con):
    # 2020: before the fixture's first data (1 Jan 2026)
    card = metrics.scorecard(con, View(Period(dt.date(2020, 1, 1), dt.date(2020, 1, 31))), SETTINGS, NOW)
    for key in ("audience", "follower_growth_pct", "posts", "posting_frequency", "likes", "engagements",
                "engagement_rate", "share_of_voice", "median_response_minutes", "sla_attainment"):
        assert card[key].isna().all(), key
        assert metrics.ranks(card, key).isna().all(), key  # no 0 that ranks first
    assert card["interactions"].tolist() == [0, 0, 0]  # a count stays a count
    assert not standing.has_data(card)
    # first: follower counts of Jan 1 (acme-bsky, Ana); last: acme-help's count of Jan 12
    assert standing.data_span(con, SETTINGS) == (dt.date(2026, 1, 1), dt.date(2026, 1, 12))


def test_after_the_data_ends_levels_stay_and_totals_go(con):
    # 2027: the latest follower counts still give an audience (metrics.md), but nobody posted: no
    # posts figure (0 everywhere would rank everyone first) and no likes
    card = metrics.scorecard(con, View(Period(dt.date(2027, 1, 1), dt.date(2027, 1, 31))), SETTINGS, NOW)
    c = card.set_index("org_id")
    # acme: x 1300 + bluesky 700 + help 999 (Jan 12); rival 3300 + 800; other 400
    assert c["audience"].to_dict() == {"acme": 2999, "rival": 4100, "other": 400}
    assert c["posts"].isna().all() and c["likes"].isna().all() and c["share_of_voice"].isna().all()
    assert metrics.ranks(card, "posts").isna().all()
    assert standing.has_data(card)


def test_only_some_organizations_have_data(con):
    # 1–4 Jan 2026 (New York): Other's first count is Jan 5, so it has no figure at all; Acme's and Rival's
    # data start after Jan 1 (Acme's X count Jan 3, Rival's Bluesky Jan 7), so their totals are left out
    card = metrics.scorecard(con, View(Period(dt.date(2026, 1, 1), dt.date(2026, 1, 4))), SETTINGS, NOW)
    c = card.set_index("org_id")
    assert standing.with_data(card).tolist() == [True, False, True]  # acme, other, rival
    # audience on Jan 4: acme x 1000 + bluesky 500 + help 200; rival x 3000 (its Bluesky count comes later)
    assert (c.loc["acme", "audience"], c.loc["rival", "audience"]) == (1700, 3000)
    assert pd.isna(c.loc["other", "audience"])
    assert c["likes"].isna().all() and c["posts"].isna().all()
    assert "03 Jan 2026" in c.loc["acme", "coverage_note"]  # why: the Competitors page's note
    ranks = dict(zip(card.org_id, metrics.ranks(card, "audience")))
    assert (ranks["rival"], ranks["acme"]) == (1, 2) and pd.isna(ranks["other"])


def test_an_organization_without_posts_has_no_likes_but_posts_zero(con):
    # Only Acme's X and Other's X, 8–9 Jan: Acme's p2 (local Jan 7) is out, p5 is Jan 11; Other's o1 is Jan 10
    # → Acme posted nothing on X (p7 on acmehelp is Jan 7), Other nothing: no post at all → no figure.
    # 10 Jan: Other's o1 (10 likes); Acme none on X that day (p5 is local Jan 11): Acme 0 posts, no likes
    card = metrics.scorecard(con, View(Period(dt.date(2026, 1, 10), dt.date(2026, 1, 10)), platforms=("x",),
                                       orgs=("acme", "other")), SETTINGS, NOW)
    c = card.set_index("org_id")
    assert (c.loc["acme", "posts"], c.loc["other", "posts"]) == (0, 1)
    assert pd.isna(c.loc["acme", "likes"]) and c.loc["other", "likes"] == 10
    assert pd.isna(c.loc["acme", "share_of_voice"]) and c.loc["other", "share_of_voice"] == 1
    likes = metrics.ranks(card, "likes").tolist()
    assert pd.isna(likes[0]) and likes[1] == 1
