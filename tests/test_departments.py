"""socialdash.departments against figures computed by hand on tests/fixture_departments.py.

Period: Monday 5 to Sunday 11 January 2026, New York time (7 days).

Contributions (original posts created in the period + answered items received in it):
  care:  posts p7 (its own account @acmehelp), p8 (Ana), c1 and c2 (Cleo)            = 4
         responses i1, i2, i6, i9                                                  = 4   → 8
         engagements 10 + 600 + 2 + 5 = 617; median response of 30, 45, 90, 11520 = 67.5
  pr:    posts p5 (a brand post attributed to pr), p10 (Pete; his reply p9 excluded) = 2
         responses i3 (600 min)                                                    = 1   → 3
         engagements 39 + 10 = 49
  legal: nothing (Dan's only post is from 2 January)                                     → 0
  total 11: shares care 8/11, pr 3/11, legal 0.
"""

import datetime as dt
import math

import pandas as pd
import pytest

from socialdash import departments, metrics
from socialdash.period import Period
from socialdash.viewstate import View
from socialdash.warehouse import open_warehouse
from tests import fixture_departments
from tests.fixture_departments import PERIOD, SETTINGS

VIEW = View(PERIOD)


@pytest.fixture(scope="module")
def departments_db(tmp_path_factory) -> str:
    return fixture_departments.build(str(tmp_path_factory.mktemp("departments") / "departments.duckdb"))


@pytest.fixture()
def con(departments_db):
    c = open_warehouse(departments_db)
    yield c
    c.close()


def by_dept(frame: pd.DataFrame) -> dict:
    return frame.set_index("department_id").to_dict("index")


def test_contribution_matrix_by_hand(con):
    m = departments.contribution_matrix(con, VIEW, SETTINGS)
    assert m["department_id"].tolist() == ["care", "pr", "legal"]  # most contributions first
    d = by_dept(m)
    assert (d["care"]["posts"], d["care"]["responses"], d["care"]["contributions"]) == (4, 4, 8)
    assert (d["pr"]["posts"], d["pr"]["responses"], d["pr"]["contributions"]) == (2, 1, 3)
    assert d["legal"]["contributions"] == 0
    # where the posts come from
    assert (d["care"]["posts_own_accounts"], d["care"]["posts_people"], d["care"]["posts_attributed"]) == (1, 3, 0)
    assert (d["pr"]["posts_own_accounts"], d["pr"]["posts_people"], d["pr"]["posts_attributed"]) == (0, 1, 1)
    assert d["care"]["engagements"] == 617
    assert d["pr"]["engagements"] == 49
    assert d["care"]["median_response_minutes"] == pytest.approx((45 + 90) / 2)
    assert d["pr"]["median_response_minutes"] == pytest.approx(600)
    assert math.isnan(d["legal"]["median_response_minutes"])


def test_shares_of_contribution(con):
    d = by_dept(departments.contribution_matrix(con, VIEW, SETTINGS))
    assert d["care"]["share"] == pytest.approx(8 / 11)
    assert d["pr"]["share"] == pytest.approx(3 / 11)
    assert d["legal"]["share"] == 0


def test_cost_per_engagement(con):
    d = by_dept(departments.contribution_matrix(con, VIEW, SETTINGS))
    # care: 365,000 a year × 7/365 = 7,000 for the week, over 617 engagements
    assert d["care"]["budget_for_period"] == pytest.approx(7000)
    assert d["care"]["cost_per_engagement"] == pytest.approx(7000 / 617)  # 11.35
    # pr: 73,000 × 7/365 = 1,400 over 49
    assert d["pr"]["cost_per_engagement"] == pytest.approx(1400 / 49)  # 28.57
    # legal has no budget (and no engagement): no cost per engagement
    assert math.isnan(d["legal"]["cost_per_engagement"])


def test_the_departments_filter_lists_fewer_but_shares_stay_company_wide(con):
    m = departments.contribution_matrix(con, View(PERIOD, departments=("pr",)), SETTINGS)
    assert m["department_id"].tolist() == ["pr"]
    assert m["share"].iloc[0] == pytest.approx(3 / 11)  # still of all departments' 11
    summary = departments.coop_summary(con, View(PERIOD, departments=("pr",)), SETTINGS)
    assert summary["contributions"] == 11


def test_platform_filter_applies_to_contributions(con):
    d = by_dept(departments.contribution_matrix(con, View(PERIOD, platforms=("bluesky",)), SETTINGS))
    # bluesky: Cleo's c2 only; no interaction of the company on bluesky was answered (i4 is pending)
    assert (d["care"]["posts"], d["care"]["responses"], d["care"]["posts_people"]) == (1, 0, 1)
    assert d["pr"]["contributions"] == 0
    assert d["care"]["share"] == 1


def test_coop_index_and_model_on_the_fixture(con):
    s = departments.coop_summary(con, VIEW, SETTINGS)
    p, q = 8 / 11, 3 / 11
    h = -(p * math.log(p) + q * math.log(q))  # 0.23160 + 0.35435 = 0.58595
    assert s["coop_index"] == pytest.approx(100 * h / math.log(3))  # N = 3 configured departments
    assert s["coop_index"] == pytest.approx(53.336, abs=1e-3)
    # top 72.7 % (< 80 %); only one other ≥ 5 % (not hub and spoke); 2 of 3 ≥ 2 % (< 75 %, not
    # honeycomb); two departments ≥ 20 %: dandelion
    assert s["model"] == "dandelion"
    assert s["model_label"] == "Dandelion (multiple hub and spoke)"
    assert s["next_model"] == "honeycomb"
    assert s["next_step"] == (
        "To move to Honeycomb (holistic), Customer Service would have to fall below 35 % (now 72.7 %) and "
        "at least 3 of the 3 departments would have to contribute 2 % or more each (now 2).")


def test_no_contribution_means_no_index_and_no_model(con):
    s = departments.coop_summary(con, View(Period(dt.date(2025, 6, 1), dt.date(2025, 6, 7))), SETTINGS)
    assert s["coop_index"] is None and s["model"] is None and s["contributions"] == 0


NAMES = ["A", "B", "C", "D", "E", "F", "G"]


@pytest.mark.parametrize("shares, model, next_model", [
    ([0.80, 0.10, 0.10], "centralized", "hub_and_spoke"),            # top exactly 80 %
    ([0.7999, 0.1001, 0.10], "organic", "hub_and_spoke"),           # just below: only 2 others ≥ 5 %
    ([0.70, 0.15, 0.10, 0.05], "hub_and_spoke", "dandelion"),        # the third other exactly 5 %
    ([0.70, 0.15, 0.10, 0.0499, 0.0001], "organic", "hub_and_spoke"),  # the third just below 5 %
    ([0.50, 0.05, 0.05, 0.05, 0.35], "hub_and_spoke", "dandelion"),  # top exactly 50 %
    ([0.34, 0.33, 0.33], "honeycomb", None),                         # top < 35 %, all ≥ 2 %
    ([0.35, 0.33, 0.32], "dandelion", "honeycomb"),                  # top exactly 35 %: not honeycomb
    ([0.30, 0.29, 0.29, 0.10, 0.02, 0, 0], "dandelion", "honeycomb"),  # 5 of 7 ≥ 2 % (< 5.25)
    ([0.30, 0.29, 0.27, 0.10, 0.02, 0.02, 0], "honeycomb", None),   # 6 of 7 ≥ 2 % (≥ 5.25)
    ([0.40, 0.20, 0.20, 0.20], "dandelion", "honeycomb"),            # second exactly 20 %
    ([0.45, 0.1999, 0.15, 0.15, 0.0501], "organic", "dandelion"),    # second just below 20 %, top < 50 %
])
def test_organisation_model_at_each_threshold_and_the_next_one(shares, model, next_model):
    names = NAMES[:len(shares)]
    assert metrics.organisation_model(shares) == model
    nxt, sentence = departments.next_step(names, shares)
    assert nxt == next_model
    assert sentence.endswith(".")


def test_what_would_move_a_centralized_company():
    nxt, sentence = departments.next_step(["Marketing", "Care", "PR"], [0.9, 0.06, 0.04])
    assert nxt == "hub_and_spoke"
    assert sentence == ("To move to Hub and spoke, Marketing would have to fall below 80 % of contributions "
                        "(now 90.0 %) and at least three other departments would have to reach 5 % each "
                        "(now 1: Care).")


def test_what_would_move_a_hub_and_spoke_company():
    nxt, sentence = departments.next_step(list("ABCDE"), [0.62, 0.12, 0.1, 0.1, 0.06])
    assert nxt == "dandelion"
    assert sentence == ("To move to Dandelion (multiple hub and spoke), A would have to fall below 50 % "
                        "(now 62.0 %) and a second department would have to reach 20 % (the next is B at 12.0 %).")


def test_a_honeycomb_is_the_last_step():
    nxt, sentence = departments.next_step(["A", "B", "C"], [0.34, 0.33, 0.33])
    assert nxt is None
    assert "most distributed model" in sentence and "at least 3 of the 3 departments" in sentence


def test_shares_and_coop_index_over_time_per_day(con):
    t = departments.coop_over_time(con, VIEW, SETTINGS)
    assert t["grain"].unique().tolist() == ["day"]  # 7 days: one bucket a day
    per_day = t.pivot_table(index="bucket_start", columns="department_id", values="contributions", aggfunc="sum")
    # Mon: i1, i6 (care) | Tue: c1, i2 (care), i3 (pr; 20:00 local) | Wed: p7, p8 | Thu: c2 | Fri: i9 (care),
    # p10 (pr) | Sat: nothing answered | Sun: p5 (pr, 23:30 local)
    assert per_day["care"].tolist() == [2, 2, 2, 1, 1, 0, 0]
    assert per_day["pr"].tolist() == [0, 1, 0, 0, 1, 0, 1]
    assert per_day["care"].sum() == 8 and per_day["pr"].sum() == 3  # adds up to the period's
    index = t.drop_duplicates("bucket_start").set_index("bucket_start")
    days = [dt.date(2026, 1, d) for d in range(5, 12)]
    assert index.loc[days[0], "coop_index"] == 0 and index.loc[days[0], "model"] == "centralized"
    assert index.loc[days[1], "coop_index"] == pytest.approx(
        100 * -(2 / 3 * math.log(2 / 3) + 1 / 3 * math.log(1 / 3)) / math.log(3))  # 57.94
    assert index.loc[days[4], "coop_index"] == pytest.approx(100 * math.log(2) / math.log(3))  # 63.09
    assert index.loc[days[4], "model"] == "dandelion"
    assert pd.isna(index.loc[days[5], "coop_index"]) and pd.isna(index.loc[days[5], "model"])
    shares = t[t.bucket_start == days[1]].set_index("department_id")["share"]
    assert shares["care"] == pytest.approx(2 / 3) and shares["pr"] == pytest.approx(1 / 3)


def test_each_bucket_matches_department_contributions_over_its_days(con):
    view = View(Period(dt.date(2026, 1, 1), dt.date(2026, 1, 31)))
    t = departments.coop_over_time(con, view, SETTINGS)
    assert t["grain"].iloc[0] == "week"
    first = t[t.bucket_start == dt.date(2026, 1, 1)]
    assert first["bucket_end"].iloc[0] == dt.date(2026, 1, 4)  # clipped to Thursday 1 – Sunday 4
    week = t[t.bucket_start == dt.date(2026, 1, 5)].set_index("department_id")
    assert week["bucket_end"].iloc[0] == dt.date(2026, 1, 11)
    assert week["contributions"].to_dict() == {"care": 8, "pr": 3, "legal": 0}


@pytest.mark.parametrize("days, grain, count", [
    (7, "day", 7), (16, "day", 16), (17, "week", 3), (30, "week", 5),
    (109, "week", 16),  # Thu 1 – Sun 4 January, then 15 whole weeks
    (110, "month", 4), (365, "month", 12),
    (731, "quarter", 9), (3650, "year", 10),
])
def test_time_buckets(days, grain, count):
    start = dt.date(2026, 1, 1)  # a Thursday
    buckets = departments.time_buckets(Period(start, start + dt.timedelta(days=days - 1)))
    assert {b.grain for b in buckets} == {grain}
    assert len(buckets) == count
    assert buckets[0].period.start == start
    assert sum(b.period.days for b in buckets) == days  # no gap, no overlap


def test_bucket_labels():
    week = departments.time_buckets(Period(dt.date(2026, 10, 24), dt.date(2026, 11, 22)))
    assert [b.label for b in week] == ["24 Oct–25 Oct", "26 Oct–01 Nov", "02 Nov–08 Nov", "09 Nov–15 Nov",
                                       "16 Nov–22 Nov"]
    quarters = departments.time_buckets(Period(dt.date(2024, 11, 23), dt.date(2026, 11, 22)))
    assert quarters[0].label == "Q4 2024 (from 23 Nov)" and quarters[1].label == "Q1 2025"
    assert quarters[-1].label == "Q4 2026 (to 22 Nov)"


def test_advocacy_counts_each_person_once_in_one_department(con):
    a = by_dept(departments.advocacy(con, VIEW, SETTINGS))
    # care: Ana (p8: 600) and Cleo (two accounts: c1 2 + c2 5; her reply c3 excluded), both active
    assert (a["care"]["people"], a["care"]["active"], a["care"]["posts"], a["care"]["engagements"]) == (2, 2, 3, 607)
    assert a["care"]["participation_rate"] == 1.0
    # pr: Pete (p10: 10; reply p9 excluded) and Eve (two pr accounts, one old legal one: pr's), Eve idle
    assert (a["pr"]["people"], a["pr"]["active"], a["pr"]["posts"], a["pr"]["engagements"]) == (2, 1, 1, 10)
    assert a["pr"]["participation_rate"] == 0.5
    # legal: Dan only (Eve is not counted twice); his one post is from before the period
    assert (a["legal"]["people"], a["legal"]["active"], a["legal"]["posts"]) == (1, 0, 0)
    assert a["legal"]["participation_rate"] == 0
    # five people, five rows: nobody twice
    assert sum(v["people"] for v in a.values()) == 5


def test_advocacy_posts_are_the_people_column_of_the_matrix(con):
    a = by_dept(departments.advocacy(con, VIEW, SETTINGS))
    m = by_dept(departments.contribution_matrix(con, VIEW, SETTINGS))
    for dept in ("care", "pr"):
        assert a[dept]["posts"] == m[dept]["posts_people"]


def test_advocacy_follows_the_filters(con):
    a = by_dept(departments.advocacy(con, View(PERIOD, platforms=("bluesky",)), SETTINGS))
    # on bluesky: Cleo (c2: 5) and Eve (idle); Ana, Pete and Dan have no bluesky account
    assert (a["care"]["people"], a["care"]["active"], a["care"]["engagements"]) == (1, 1, 5)
    assert (a["pr"]["people"], a["pr"]["active"]) == (1, 0)
    assert a["legal"]["people"] == 0 and pd.isna(a["legal"]["participation_rate"])
    only_pr = departments.advocacy(con, View(PERIOD, departments=("pr",)), SETTINGS)
    assert only_pr["department_id"].tolist() == ["pr"]


def test_people_show_only_what_the_configuration_says(con):
    people = departments.advocates(con, VIEW, SETTINGS)
    assert set(people.columns) == {"person", "department_id", "department", "accounts", "posts", "engagements",
                                   "active"}
    assert people["person"].tolist() == ["Cleo", "Ana", "Pete", "Dan", "Eve"]  # by posts, then engagements
    eve = people.set_index("person").loc["Eve"]
    assert eve["department_id"] == "pr"
    assert eve["accounts"] == "bluesky: eve.bsky.social, x: eve, x: eve_old"
    assert not eve["active"]


def test_a_period_has_data_when_the_company_posted_or_was_addressed(con):
    assert departments.has_data(con, VIEW, SETTINGS)
    # Sunday 4 January, local: p4 (acme-x, 23:00) and i10 (@acmehelp)
    assert departments.has_data(con, View(Period(dt.date(2026, 1, 4), dt.date(2026, 1, 4))), SETTINGS)
    # the rival's posts do not count: nothing of the company in June 2025
    assert not departments.has_data(con, View(Period(dt.date(2025, 6, 1), dt.date(2025, 6, 30))), SETTINGS)
    # Bluesky on 2 January: Dan's post d1 is on X
    bsky = View(Period(dt.date(2026, 1, 2), dt.date(2026, 1, 2)), platforms=("bluesky",))
    assert not departments.has_data(con, bsky, SETTINGS)


def test_the_span_of_the_company_data_and_what_an_empty_period_says(con):
    # first: d1 on 2 January (15:00 UTC); last: p5 on 12 January 04:30 UTC = 11 January in New York
    span = departments.data_span(con, VIEW, SETTINGS)
    assert span == (dt.date(2026, 1, 2), dt.date(2026, 1, 11))
    before = Period(dt.date(2025, 6, 1), dt.date(2025, 6, 30))
    assert departments.no_data_message(before, span) == (
        "No data for 01 Jun 2025 – 30 Jun 2025: the company's posts and inbound items run from 02 Jan 2026 "
        "to 11 Jan 2026. Choose a later period.")
    assert departments.no_data_message(Period(dt.date(2026, 2, 1), dt.date(2026, 2, 2)), span).endswith(
        "Choose an earlier period.")
    assert departments.no_data_message(before, None).endswith("holds no post and no inbound item of the company yet.")


def test_costs_get_the_decimals_that_tell_departments_apart():
    from socialdash.formatting import decimals_apart

    assert decimals_apart([[11.345, 28.571, None]], decimals=2) == 2     # €11.35, €28.57
    assert decimals_apart([[0.1432, 0.1448, 0.459]], decimals=2) == 3    # 0.14 twice at two decimals
    assert decimals_apart([[0.1432, 0.1432]], decimals=2) == 2           # equal values may read alike
    assert decimals_apart([[0.999, 1.0], [0.3, 0.36]], scale=100) == 1   # 99.9 % against 100 %


def test_a_share_next_to_its_threshold_reads_differently():
    # 34.96 % against "below 35 %": two decimals, not "35.0 %"
    _, sentence = departments.next_step(["A", "B", "C", "D"], [0.3496, 0.3, 0.2, 0.1504])
    assert "(A, 34.96 %) stays below 35 %" in sentence
    _, sentence = departments.next_step(["A", "B", "C", "D"], [0.6, 0.15, 0.15, 0.1])  # hub and spoke
    assert "A would have to fall below 50 % (now 60.0 %)" in sentence
