"""socialdash.response_times against values computed by hand on tests/fixture_response_times.py.

The arithmetic is written out next to each expectation. The company's items of the period
(local New York time; "B" = business hours Mon–Fri 09:00–17:00, "O" = off hours):

    id   platform  local received     B/O  response   department
    a1   x         Mon 2  09:00       B    60         care
    a2   x (help)  Mon 2  16:30       B    20         care
    a3   facebook  Tue 3  17:00       O    300        pr
    a4   bluesky   Wed 4  08:30       O    45         care
    a5   x         Wed 4  22:00       O    none (unanswered: received > 7 days before NOW)
    a6   x         Fri 6  10:00       B    10080      care   (exactly 7 days: late)
    a7   facebook  Sat 7  11:00       O    1000       pr
    a9   x         Mon 9  09:30 EDT   B    30         care
    a10  bluesky   Tue 10 16:00       B    none (pending)
    a11  x (help)  Mon 9  07:00       O    none (unanswered: 7 days 1 hour before NOW)
    a12  x         Wed 11 10:00       B    2000       pr
    a13  facebook  Thu 12 14:00       B    90         (no department recorded)
    a14  x         Fri 13 22:00       O    none (pending)
    a16  x         Sun 15 23:30       O    15         care   (03:30Z on Monday 16)

14 items, 2 pending, 12 left for the rates. Responses, sorted: 15 20 30 45 60 90 300 1000 2000 10080.
"""

import datetime as dt

import pandas as pd
import pytest

from socialdash import response_times as rt
from socialdash.period import Period
from socialdash.viewstate import View
from socialdash.warehouse import open_warehouse
from tests import fixture_response_times as fx

VIEW = View(fx.PERIOD)
S, NOW = fx.SETTINGS, fx.NOW


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    c = open_warehouse(fx.build(str(tmp_path_factory.mktemp("rt") / "rt.duckdb")))
    yield c
    c.close()


def by_org(frame: pd.DataFrame) -> dict:
    return frame.set_index("org_id").to_dict("index")


def test_company_figures_everywhere(con):
    acme = by_org(rt.comparison(con, VIEW, S, NOW).everywhere)["acme"]
    assert acme["interactions"] == 14  # a1..a16 without a8 (none) and a15 (none); a0 is the previous period
    assert acme["pending"] == 2  # a10, a14
    # continuous median over 10 responses, the late one included: (60 + 90) / 2 (discrete would give 60)
    assert acme["median_response_minutes"] == pytest.approx(75)
    # p90: position 9 × 0.9 = 8.1 → 2000 + 0.1 × (10080 − 2000) = 2808 (without the late one: 1200)
    assert acme["p90_response_minutes"] == pytest.approx(2808)
    # answered within 7 days: the nine responses but a6 (exactly 7 days), over 14 − 2 pending
    assert acme["response_rate"] == pytest.approx(9 / 12)
    # within the SLA (≤ 60 min): a1 (exactly 60), a2, a4, a9, a16
    assert acme["sla_attainment"] == pytest.approx(5 / 12)


def test_previous_period_for_the_change(con):
    from socialdash import metrics

    acme = by_org(rt.comparison(con, metrics.previous_view(VIEW), S, NOW).everywhere)["acme"]
    # Feb 16 – Mar 1 local: a0 (Sun Mar 1 23:30 local, 04:30Z on Mar 2), pa1 (12000), pa2 (none)
    assert acme["interactions"] == 3
    assert acme["median_response_minutes"] == pytest.approx((5 + 12000) / 2)
    assert acme["response_rate"] == pytest.approx(1 / 3)


def test_like_for_like_is_x_only_and_ranks_the_company(con):
    c = rt.comparison(con, VIEW, S, NOW)
    # Third has no Bluesky items, only Acme has Facebook items, Silent has none at all.
    assert c.platforms == ("x",)
    assert c.orgs == ("acme", "rival", "third")
    assert c.without_items == ("silent",)
    assert c.not_comparable == {"bluesky": ("third",), "facebook": ("rival", "third")}
    lfl = by_org(c.like_for_like)
    # Acme on X: a1 60, a2 20, a5 –, a6 10080, a9 30, a11 –, a12 2000, a14 pending, a16 15
    #   responses 15 20 30 60 2000 10080: median (30 + 60) / 2 = 45; p90 at 4.5 → 2000 + 0.5 × 8080 = 6040
    #   rate: a1 a2 a9 a12 a16 = 5 / (9 − 1 pending); SLA: a1 a2 a9 a16 = 4 / 8
    assert lfl["acme"]["median_response_minutes"] == pytest.approx(45)
    assert lfl["acme"]["p90_response_minutes"] == pytest.approx(6040)
    assert lfl["acme"]["response_rate"] == pytest.approx(5 / 8)
    assert lfl["acme"]["sla_attainment"] == pytest.approx(4 / 8)
    # Rival on X: 10, 50, pending, 20 → median 20, p90 at 1.8 → 20 + 0.8 × 30 = 44, rate 3/3, SLA 3/3
    assert lfl["rival"]["median_response_minutes"] == pytest.approx(20)
    assert lfl["rival"]["p90_response_minutes"] == pytest.approx(44)
    # Third on X: 120, unanswered, 40 → median 80, p90 40 + 0.9 × 80 = 112, rate 2/3, SLA 1/3
    assert lfl["third"]["p90_response_minutes"] == pytest.approx(112)
    assert lfl["third"]["response_rate"] == pytest.approx(2 / 3)
    # ranks, 1 = best: median 20 < 45 < 80; p90 44 < 112 < 6040; rate 1 > 2/3 > 5/8; SLA 1 > 1/2 > 1/3
    assert lfl["acme"]["rank_median_response_minutes"] == 2
    assert lfl["acme"]["rank_p90_response_minutes"] == 3
    # (over all platforms Acme's 9/12 would beat Third's 2/3: the like-for-like rank differs)
    assert lfl["acme"]["rank_response_rate"] == 3
    assert lfl["acme"]["rank_sla_attainment"] == 2
    assert "silent" not in lfl


def test_like_for_like_follows_the_selected_organizations(con):
    c = rt.comparison(con, View(fx.PERIOD, orgs=("acme", "rival")), S, NOW)
    assert c.platforms == ("bluesky", "x")
    lfl = by_org(c.like_for_like)
    # Acme on X and Bluesky: X's responses + a4 45 (a10 pending) → 15 20 30 45 60 2000 10080: median 45;
    # rate 6 / (11 − 2 pending) ; Rival: 10 20 50 400 → median 35, rate 4/4
    assert lfl["acme"]["median_response_minutes"] == pytest.approx(45)
    assert lfl["acme"]["response_rate"] == pytest.approx(6 / 9)
    assert lfl["rival"]["median_response_minutes"] == pytest.approx(35)
    assert lfl["acme"]["rank_median_response_minutes"] == 2


def test_an_organization_without_items_is_left_out(con):
    # On Bluesky and Facebook Third has no item at all: the company is left alone.
    c = rt.comparison(con, View(fx.PERIOD, platforms=("bluesky", "facebook"), orgs=("acme", "third")), S, NOW)
    assert c.without_items == ("third",)
    assert c.orgs == ("acme",) and c.like_for_like["org_id"].tolist() == ["acme"]
    side = rt.bucket_distribution(con, View(fx.PERIOD, platforms=("facebook",)), S, NOW, True)
    assert side["org_id"].unique().tolist() == ["acme"]  # nothing to put side by side


def test_no_like_for_like_when_no_platform_is_shared():
    coverage = pd.DataFrame({"org_id": ["acme", "acme", "rival"], "platform": ["x", "facebook", "youtube"],
                             "interactions": [3, 2, 4]})
    lfl_view, common, orgs, missing = rt._like_for_like(coverage, VIEW)
    assert lfl_view is None and common == () and orgs == ("acme", "rival")
    assert missing == {"facebook": ("rival",), "x": ("rival",), "youtube": ("acme",)}


def test_buckets_leave_pending_out_and_split_at_the_boundaries(con):
    own = rt.bucket_distribution(con, VIEW, S, NOW, False)
    assert own["org_id"].unique().tolist() == ["acme"]
    counts = dict(zip(own["bucket"], own["items"]))
    # < 1 h: a2 a4 a9 a16; 1–4 h: a1 (exactly 60) a13; 4–8 h: a3; 8–24 h: a7; 1–7 days: a12;
    # unanswered: a5, a11 and a6 (exactly 7 days); a10 and a14 pending: left out
    assert counts == {"< 1 h": 4, "1–4 h": 2, "4–8 h": 1, "8–24 h": 1, "1–7 days": 1, "Unanswered": 3}
    assert dict(zip(own["bucket"], own["share"]))["Unanswered"] == pytest.approx(3 / 12)
    side = rt.bucket_distribution(con, VIEW, S, NOW, True)
    rival = side[side.org_id == "rival"]
    assert dict(zip(rival["bucket"], rival["items"]))["< 1 h"] == 3  # X only: r3 (Bluesky) left out
    third = side[side.org_id == "third"]
    assert dict(zip(third["bucket"], third["share"]))["Unanswered"] == pytest.approx(1 / 3)


def test_weekly_series_in_local_weeks(con):
    w = rt.weekly(con, VIEW, S, NOW).set_index("week")
    assert [d.isoformat() for d in w.index.date] == ["2026-03-02", "2026-03-09"]
    first, second = w.iloc[0], w.iloc[1]
    # week of Mar 2: a1..a7 → responses 20 45 60 300 1000 10080: median (60 + 300) / 2 = 180,
    # p90 at 4.5 → 1000 + 0.5 × 9080 = 5540; rate 5/7 (a6 late, a5 none); SLA a1 a2 a4 = 3/7
    assert first["interactions"] == 7
    assert first["median_response_minutes"] == pytest.approx(180)
    assert first["p90_response_minutes"] == pytest.approx(5540)
    assert first["response_rate"] == pytest.approx(5 / 7)
    assert first["sla_attainment"] == pytest.approx(3 / 7)
    # week of Mar 9: a9..a16 (a16 is Sunday 23:30 local, Monday in UTC) → 15 30 90 2000:
    # median 60, p90 at 2.7 → 90 + 0.7 × 1910 = 1427; rate 4 / (7 − 2 pending); SLA a9 a16 = 2/5
    assert second["interactions"] == 7 and second["pending"] == 2
    assert second["median_response_minutes"] == pytest.approx(60)
    assert second["p90_response_minutes"] == pytest.approx(1427)
    assert second["response_rate"] == pytest.approx(4 / 5)
    assert second["sla_attainment"] == pytest.approx(2 / 5)
    assert w["days"].tolist() == [7, 7]


def test_weekly_counts_partial_weeks_and_empty_weeks(con):
    w = rt.weekly(con, View(Period(dt.date(2026, 3, 4), dt.date(2026, 3, 25))), S, NOW)
    # Wed Mar 4 – Wed Mar 25: weeks of Mar 2 (Wed–Sun: 5 days), 9, 16 (no item) and 23 (Mon–Wed: 3 days)
    assert w["days"].tolist() == [5, 7, 7, 3]
    # a4 a5 a6 a7 (a3 is Tuesday 3, before the start); a9..a16; nothing later
    assert w["interactions"].tolist() == [4, 7, 0, 0]
    assert pd.isna(w["median_response_minutes"].iloc[2])


def test_by_platform_ranks_each_platform_on_its_own(con):
    p = rt.by_platform(con, VIEW, S, NOW)
    acme = p[p.is_self].set_index("platform")
    # Facebook: a3 300, a7 1000, a13 90 → median 300, only the company has items there
    assert acme.loc["facebook", "median_response_minutes"] == pytest.approx(300)
    assert acme.loc["facebook", "compared"] == 1
    # Bluesky: a4 45 (a10 pending) against Rival's r3 400: rank 1 of 2
    assert acme.loc["bluesky", "median_response_minutes"] == pytest.approx(45)
    assert (acme.loc["bluesky", "rank_median_response_minutes"], acme.loc["bluesky", "compared"]) == (1, 2)
    # X: 45 against Rival 20 and Third 80: rank 2 of 3
    assert (acme.loc["x", "rank_median_response_minutes"], acme.loc["x", "compared"]) == (2, 3)
    assert "silent" not in set(p.org_id)


def test_departments_who_answers_how_many_how_fast(con):
    d = rt.by_department(con, VIEW, S, NOW).set_index("name")
    # care: a1 60, a2 20, a4 45, a6 10080, a9 30, a16 15 → 15 20 30 45 60 10080
    assert d.loc["Customer Service", "responses"] == 6
    assert d.loc["Customer Service", "share_of_responses"] == pytest.approx(6 / 10)
    assert d.loc["Customer Service", "median_response_minutes"] == pytest.approx((30 + 45) / 2)
    assert d.loc["Customer Service", "p90_response_minutes"] == pytest.approx(60 + 0.5 * (10080 - 60))
    assert d.loc["Customer Service", "within_sla_share"] == pytest.approx(5 / 6)
    assert d.loc["Customer Service", "late"] == 1
    # pr: a3 300, a7 1000, a12 2000 → median 1000, p90 at 1.8 → 1000 + 0.8 × 1000 = 1800
    assert d.loc["Public Relations", "median_response_minutes"] == pytest.approx(1000)
    assert d.loc["Public Relations", "p90_response_minutes"] == pytest.approx(1800)
    assert d.loc["Public Relations", "within_sla_share"] == 0
    # a13 answered with no department recorded; Legal answered nothing
    assert d.loc["No department recorded", "responses"] == 1
    assert d.loc["Legal", "responses"] == 0 and pd.isna(d.loc["Legal", "median_response_minutes"])
    assert d["responses"].sum() == 10  # every response counted once


def test_departments_follow_the_departments_filter(con):
    d = rt.by_department(con, View(fx.PERIOD, departments=("pr",)), S, NOW)
    assert d["name"].tolist() == ["Public Relations"]
    assert d["share_of_responses"].iloc[0] == pytest.approx(3 / 10)  # of all the company's responses


def test_business_hours_split_in_the_configured_zone(con):
    b = rt.business_hours_split(con, VIEW, S, NOW, False).set_index("business_hours")
    # business: a1 a2 a6 a9 a10 (pending) a12 a13 — a9 (13:30Z) is 09:30 EDT, a4 (13:30Z) 08:30 EST
    assert b.loc[True, "interactions"] == 7
    # 20 30 60 90 2000 10080 → median 75, p90 at 4.5 → 2000 + 0.5 × 8080 = 6040
    assert b.loc[True, "median_response_minutes"] == pytest.approx(75)
    assert b.loc[True, "p90_response_minutes"] == pytest.approx(6040)
    assert b.loc[True, "response_rate"] == pytest.approx(5 / 6)
    assert b.loc[True, "sla_attainment"] == pytest.approx(3 / 6)
    # off: a3 (17:00, end excluded) a4 a5 a7 (Saturday) a11 a14 (pending) a16 → 15 45 300 1000: median 172.5
    assert b.loc[False, "interactions"] == 7
    assert b.loc[False, "median_response_minutes"] == pytest.approx((45 + 300) / 2)
    assert b.loc[False, "response_rate"] == pytest.approx(4 / 6)
    assert b.loc[False, "sla_attainment"] == pytest.approx(2 / 6)
    assert b.loc[False, "share_of_items"] == pytest.approx(0.5)


def test_business_hours_side_by_side_like_for_like(con):
    b = rt.business_hours_split(con, VIEW, S, NOW, True)
    acme = b[b.org_id == "acme"].set_index("business_hours")
    # Acme on X: business a1 a2 a6 a9 a12 (5), off a5 a11 a14 a16 (4)
    assert acme.loc[True, "interactions"] == 5 and acme.loc[False, "interactions"] == 4
    assert acme.loc[True, "share_of_items"] == pytest.approx(5 / 9)
    assert set(b.org_id) == {"acme", "rival", "third"}


def test_hour_of_week_heatmap_in_local_time(con):
    h = rt.hour_of_week(con, VIEW, S, NOW)
    assert len(h) == 7 * 24
    cell = h.set_index(["isodow", "hour"])
    # Monday 09:00: a1 (14:00Z, EST) and a9 (13:30Z, EDT): in UTC they would be 14 and 13 o'clock
    assert cell.loc[(1, 9), "interactions"] == 2
    assert cell.loc[(1, 9), "median_response_minutes"] == pytest.approx((60 + 30) / 2)
    # Sunday 23:00: a16 (Monday 03:30Z)
    assert cell.loc[(7, 23), "interactions"] == 1
    assert cell.loc[(7, 23), "median_response_minutes"] == pytest.approx(15)
    # Friday 22:00: a14, pending: counted in volume, no response
    assert cell.loc[(5, 22), "interactions"] == 1 and pd.isna(cell.loc[(5, 22), "median_response_minutes"])
    assert h["interactions"].sum() == 14
    assert cell.loc[(1, 14), "interactions"] == 0


def test_oldest_unanswered_for_follow_up(con):
    o = rt.oldest_unanswered(con, VIEW, S, NOW)
    assert o["interaction_id"].tolist() == [fx.interaction_id(i) for i in ("a5", "a11", "a10", "a14")]
    # waited until NOW (Mar 16 12:00Z): a5 since Mar 5 03:00Z = 11 d 9 h; a14 since Mar 14 02:00Z = 2 d 10 h
    assert o["waited_minutes"].tolist() == [16380, 10140, 8160, 3480]
    assert o["status"].tolist() == ["Unanswered", "Unanswered", "Pending", "Pending"]
    assert o["local_received"].iloc[0] == pd.Timestamp("2026-03-04 22:00")
    # X post addresses follow from the id; a Bluesky record key alone gives none
    assert o["item_url"].iloc[0] == f"https://x.com/i/web/status/{fx.interaction_id('a5')}"
    assert pd.isna(o["item_url"].iloc[2])
    assert o["account"].tolist()[:2] == ["acme", "acmehelp"]
    assert (o["total"] == 4).all()
    assert len(rt.oldest_unanswered(con, VIEW, S, NOW, 2)) == 2


def test_slowest_answered_with_the_answer_where_known(con):
    s = rt.slowest_answered(con, VIEW, S, NOW, 4)
    assert s["interaction_id"].tolist() == [fx.interaction_id(i) for i in ("a6", "a12", "a7", "a3")]
    assert s["response_minutes"].tolist() == [10080, 2000, 1000, 300]
    assert s["late"].tolist() == [True, False, False, False]
    assert s["department"].tolist() == ["Customer Service", "Public Relations", "Public Relations", "Public Relations"]
    # the reply posts the warehouse holds for a12 and a3; none for a6 and a7
    assert s["reply_url"].tolist()[1] == "https://x.com/acme/status/42"
    assert s["reply_url"].tolist()[3] == "https://www.facebook.com/acmepage/posts/7"
    assert s["reply_url"].isna().tolist() == [True, False, True, False]
    assert (s["total"] == 10).all()
