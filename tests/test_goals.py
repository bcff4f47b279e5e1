"""socialdash.goals against figures computed by hand on tests/fixture_departments.py.

Days are counted in New York. NOW (14 January 12:00 UTC) makes items without a response
received after 7 January 12:00 UTC pending (i4, i7): none of them is in a department's scope.

The actuals (see tests/test_departments.py for the posts and responses):
  posts of care, 5–9 Jan: c1 (Tue), p7, p8 (Wed), c2 (Thu) = 4; nothing later up to the 14th.
  posts of pr: p10 (Fri 9th), p5 (Sun 11th, 23:30 local) → 1 up to the 10th, 2 from the 11th.
  care's responses (addressed to @acmehelp — i2, i6 — or answered by care — i1, i9), 5–11 Jan:
      response times 30 (i1), 90 (i2), 11,520 (i6, eight days late), 45 (i9); none pending
      SLA attainment: 2 of 4 within 60 minutes = 0.5; median (45 + 90) / 2 = 67.5
  pr's responses: i3 (600 min) → response rate 1 / 1.
"""

import datetime as dt
import math

import pytest

from socialdash import goals
from socialdash.period import Period
from socialdash.warehouse import open_warehouse
from tests import fixture_departments
from tests.fixture_departments import NOW, SETTINGS

D = dt.date


@pytest.fixture(scope="module")
def goals_db(tmp_path_factory) -> str:
    return fixture_departments.build(str(tmp_path_factory.mktemp("goals") / "goals.duckdb"))


@pytest.fixture()
def con(goals_db):
    c = open_warehouse(goals_db)
    yield c
    c.close()


_computed: dict = {}


def progress_on(con, today: dt.date) -> dict:
    """goal_progress on ``today``, by goal id (computed once per day: the fixture is read-only)."""
    if today not in _computed:
        frame = goals.goal_progress(con, SETTINGS, today, NOW)
        _computed[today] = frame.set_index("goal_id").to_dict("index")
    return _computed[today]


def test_the_interface_other_pages_rely_on(con):
    frame = goals.goal_progress(con, SETTINGS, D(2026, 1, 9), NOW)
    assert {"goal_id", "title", "metric", "target", "period_start", "period_end", "departments", "actual",
            "progress", "status"} <= set(frame.columns)
    assert len(frame) == len(fixture_departments.GOALS)
    assert set(frame["status"]) <= set(goals.STATUSES)
    assert frame.set_index("goal_id").loc["engagements", "departments"] == ("care", "pr")


def test_cumulative_goals_against_the_pace_of_whole_days(con):
    # Period 5–14 January (10 days); on the 9th, 5 days have elapsed, both ends included: pace 0.5.
    g = progress_on(con, D(2026, 1, 9))
    assert g["care-posts"]["elapsed_share"] == 0.5
    assert g["care-posts"]["actual"] == 4
    assert g["care-posts"]["progress"] == 0.5 and g["care-posts"]["status"] == "on track"      # 4/8 = pace
    assert g["care-posts-risk"]["progress"] == 0.4 and g["care-posts-risk"]["status"] == "at risk"  # 10 points under
    assert g["care-posts-off"]["progress"] == pytest.approx(4 / 10.01)                          # 0.3996
    assert g["care-posts-off"]["status"] == "off track"
    assert g["care-posts-done"]["progress"] == 1 and g["care-posts-done"]["status"] == "achieved"  # 4/4


def test_the_pace_counts_today_as_a_whole_day(con):
    # pr: 1 post up to the 10th (6 of 10 days: pace 0.6); progress 1/2 = 0.5 = 0.6 − 10 points: at risk
    g = progress_on(con, D(2026, 1, 10))
    assert g["pr-posts"]["elapsed_share"] == pytest.approx(0.6)
    assert g["pr-posts"]["progress"] == 0.5 and g["pr-posts"]["status"] == "at risk"
    # on the 9th the same post is on pace (0.5 ≥ 5/10)
    assert progress_on(con, D(2026, 1, 9))["pr-posts"]["status"] == "on track"
    # from the 11th p5 counts too: 2/2
    assert progress_on(con, D(2026, 1, 11))["pr-posts"]["status"] == "achieved"


def test_an_ended_cumulative_goal_needs_its_whole_target(con):
    # after the end, the pace is 1: 4/8 = 0.5 and 4/10 are off track (more than 10 points under)
    g = progress_on(con, D(2026, 11, 22))
    assert g["care-posts"]["elapsed_share"] == 1 and g["care-posts"]["status"] == "off track"
    assert g["care-posts-done"]["status"] == "achieved"
    # follower growth of the company (no departments), 5–11 Jan: 2,200 − 1,800 = 400; 400/500 = 0.8
    assert g["growth"]["actual"] == 400 and g["growth"]["progress"] == 0.8 and g["growth"]["status"] == "off track"
    # engagements of care and pr: 617 + 49 = 666 of 1,000
    assert g["engagements"]["actual"] == 666 and g["engagements"]["status"] == "off track"


def test_cumulative_goals_count_up_to_today(con):
    g = progress_on(con, D(2026, 1, 9))
    # growth 5–9 Jan: audience on the 9th = 1,200 (x, 8th) + 500 (bluesky) + 200 (help) = 1,900 − 1,800
    assert g["growth"]["actual"] == 100
    assert g["growth"]["counted_to"] == D(2026, 1, 9)
    # engagements to the 9th: care 617 (all its posts are by the 8th) + pr's p10 10 = 627;
    # pace 5/7 = 0.714; 0.627 is less than 10 points under: at risk
    assert g["engagements"]["actual"] == 627 and g["engagements"]["status"] == "at risk"


def test_level_goals_as_they_stand(con):
    g = progress_on(con, D(2026, 1, 14))
    assert g["care-sla"]["actual"] == 0.5
    assert g["care-sla"]["progress"] == pytest.approx(0.5 / 0.55)  # 0.909 ≥ 0.9: at risk
    assert g["care-sla"]["status"] == "at risk"
    assert g["care-sla-off"]["progress"] == pytest.approx(0.5 / 0.56)  # 0.893 < 0.9
    assert g["care-sla-off"]["status"] == "off track"
    assert g["pr-response-rate"]["actual"] == 1 and g["pr-response-rate"]["status"] == "achieved"
    # engagement rate of pr's posts: p5 39 / 1,300 (acme-x on local 11 Jan); Pete's p10 has no
    # follower count, so it is left out
    assert g["pr-rate"]["actual"] == pytest.approx(0.03) and g["pr-rate"]["status"] == "achieved"
    assert g["care-likes"]["actual"] == 5 + 500 + 2 + 4 and g["care-likes"]["status"] == "achieved"


def test_lower_is_better_progress_is_target_over_actual(con):
    g = progress_on(con, D(2026, 1, 14))
    assert g["care-median"]["actual"] == 67.5
    assert g["care-median"]["progress"] == pytest.approx(61 / 67.5)  # 0.904: at risk
    assert g["care-median"]["status"] == "at risk"
    assert g["care-median-off"]["progress"] == pytest.approx(60 / 67.5)  # 0.889: off track
    assert g["care-median-off"]["status"] == "off track"
    assert g["care-median-done"]["progress"] == 1 and g["care-median-done"]["status"] == "achieved"


def test_level_audience_goal_counts_the_departments_own_accounts_up_to_today(con):
    # care's own account @acmehelp: 200 (4 Jan) until a count of 999 on the 12th
    assert progress_on(con, D(2026, 1, 11))["care-followers"]["actual"] == 200
    g = progress_on(con, D(2026, 1, 14))["care-followers"]
    assert g["actual"] == 999 and g["progress"] == pytest.approx(0.999) and g["status"] == "at risk"


def test_share_of_voice_and_coop_index_are_company_wide_whatever_the_departments(con):
    g = progress_on(con, D(2026, 1, 14))
    # share of voice: acme's engagements 246 of all organizations' 788 (tests/test_metrics.py);
    # the goal names legal, which has no post at all
    assert g["sov"]["actual"] == pytest.approx(246 / 788) and g["sov"]["status"] == "achieved"
    # co-op index of the company: 53.34 (tests/test_departments.py); 53.34 / 60 = 0.889: off track
    p, q = 8 / 11, 3 / 11
    assert g["coop"]["actual"] == pytest.approx(100 * -(p * math.log(p) + q * math.log(q)) / math.log(3))
    assert g["coop"]["status"] == "off track"


def test_a_goal_whose_period_has_not_begun_is_not_started(con):
    g = progress_on(con, D(2026, 1, 14))["future"]
    assert g["status"] == "not started"
    assert math.isnan(g["actual"]) and math.isnan(g["progress"]) and g["days_elapsed"] == 0
    # the day before the start, too
    assert progress_on(con, D(2026, 1, 4))["care-posts"]["status"] == "not started"
    # and on its first day it is judged
    assert progress_on(con, D(2026, 1, 5))["care-posts"]["status"] != "not started"


@pytest.mark.parametrize("metric, progress, elapsed, status", [
    ("posts", 1.0, 0.3, "achieved"),
    ("posts", 0.999, 0.3, "on track"),
    ("posts", 0.3, 0.3, "on track"),       # exactly on pace
    ("posts", 0.2, 0.3, "at risk"),        # exactly 10 points under (0.3 − 0.1 in floating point)
    ("posts", 0.1999, 0.3, "off track"),
    ("likes", 0.7, 0.7, "on track"),
    ("likes", 0.6, 0.7, "at risk"),
    ("engagements", 0.95, 1.0, "at risk"),  # ended: pace 1
    ("follower_growth", 0.89, 1.0, "off track"),
    ("sla_attainment", 1.0, 0.1, "achieved"),
    ("sla_attainment", 0.9, 0.1, "at risk"),   # level: the pace does not matter
    ("sla_attainment", 0.8999, 0.1, "off track"),
    ("followers", 0.95, 0.99, "at risk"),
    ("coop_index", 0.5, 0.01, "off track"),
    ("median_response_minutes", 0.9, 0.5, "at risk"),
    ("engagement_rate", None, 0.5, "off track"),  # no value at all
])
def test_status_boundaries(metric, progress, elapsed, status):
    assert goals.judge(metric, progress, elapsed) == status


def test_progress_directions():
    assert goals.progress_of("likes", 50, 200) == 0.25
    assert goals.progress_of("median_response_minutes", 120, 60) == 0.5  # twice as slow as wanted
    assert goals.progress_of("median_response_minutes", 30, 60) == 2.0
    assert goals.progress_of("median_response_minutes", 0, 60) == math.inf
    assert goals.progress_of("sla_attainment", None, 0.9) is None


def test_pace_is_whole_days_elapsed_over_the_period():
    period = Period(D(2026, 1, 5), D(2026, 1, 14))
    assert period.elapsed_days(D(2026, 1, 4)) == 0
    assert period.elapsed_days(D(2026, 1, 5)) == 1
    assert period.elapsed_days(D(2026, 1, 14)) == 10
    assert period.elapsed_days(D(2026, 2, 1)) == 10


def test_goals_shared_by_a_department(con):
    frame = goals.goal_progress(con, SETTINGS, D(2026, 1, 14), NOW)
    legal = goals.shared_by(frame, ("legal",))["goal_id"].tolist()
    assert legal == ["coop", "sov", "future"]
    assert len(goals.shared_by(frame, ())) == len(frame)
    # a company-wide goal naming no department is shared by none in particular
    assert "growth" not in goals.shared_by(frame, ("care", "pr", "legal"))["goal_id"].tolist()
    # no goal at all: still the same columns
    empty = goals.shared_by(frame.iloc[0:0], ("care",))
    assert empty.empty and list(empty.columns) == list(frame.columns)


def test_goal_series_against_the_target_and_pace(con):
    s = goals.goal_series(con, SETTINGS, "care-posts", D(2026, 1, 9), NOW)
    assert s["day"].tolist() == [D(2026, 1, d) for d in range(5, 15)]  # the whole period
    # cumulative posts of care up to each day: Mon 0, Tue 1 (c1), Wed 3 (p7, p8), Thu 4 (c2), Fri 4
    assert s["actual"].tolist()[:5] == [0, 1, 3, 4, 4]
    assert s["actual"].iloc[5:].isna().all()  # nothing after today
    assert (s["target"] == 8).all()
    assert s["pace"].tolist() == pytest.approx([8 * k / 10 for k in range(1, 11)])
    # the last point is the goal's actual
    assert s["actual"].iloc[4] == progress_on(con, D(2026, 1, 9))["care-posts"]["actual"]


def test_goal_series_of_a_level_goal_has_no_pace_and_is_thinned(con):
    s = goals.goal_series(con, SETTINGS, "care-sla", D(2026, 1, 14), NOW, max_points=3)
    measured = s.dropna(subset=["actual"])
    # 7 days, at most 3 points: every third day counting back from the end (the 11th)
    assert measured["day"].tolist() == [D(2026, 1, 5), D(2026, 1, 8), D(2026, 1, 11)]
    assert measured["actual"].iloc[-1] == 0.5
    # 5 Jan only: i1 (30 min, care) and i6 (answered after 8 days): 1 of 2 within the SLA
    assert measured["actual"].iloc[0] == 0.5
    assert s["pace"].isna().all()


def test_a_not_started_goal_has_a_target_line_and_no_point(con):
    s = goals.goal_series(con, SETTINGS, "future", D(2026, 1, 14), NOW)
    assert len(s) == 365 and s["actual"].isna().all() and (s["target"] == 70).all()


def test_formula_texts_say_how_each_goal_is_judged():
    assert "target / actual" in goals.formula("median_response_minutes")
    assert "Cumulative" in goals.formula("posts") and "Level" in goals.formula("sla_attainment")
    assert goals.scope_text("coop_index", ("care",)) == "The whole company."
    assert "people's own posts" in goals.scope_text("likes", ("care",))
    assert "own official accounts" in goals.scope_text("followers", ("care",))
    assert "answered by those departments" in goals.scope_text("sla_attainment", ("care",))


@pytest.mark.parametrize("progress, elapsed, kind, texts", [
    (999 / 950, 1.0, "level", ("105%", "—")),         # over-achieved: the real value, not capped
    (0.999, 1.0, "level", ("99.9%", "—")),            # not "100%" beside a status not achieved
    (61 / 67.5, 1.0, "level", ("90.4%", "—")),        # 90 % is the at-risk line of a level goal
    (0.5, 1.0, "cumulative", ("50%", "100%")),
    (0.3596, 0.36, "cumulative", ("35.96%", "36.00%")),  # at risk, not "36%" against "36%"
    (None, 0.0, "cumulative", ("—", "0%")),           # not started
    (math.inf, 1.0, "level", ("—", "—")),             # no finite progress (a target of 0)
])
def test_progress_reads_as_it_is_judged(progress, elapsed, kind, texts):
    assert goals.progress_texts(progress, elapsed, kind) == texts


def test_a_goal_period_in_a_narrow_column():
    assert goals.period_text(D(2026, 1, 5), D(2026, 1, 14)) == "05 Jan 2026 – 14 Jan 2026"


def test_the_over_achieved_goal_of_the_fixture(con):
    g = progress_on(con, D(2026, 1, 14))["care-followers-950"]
    assert g["actual"] == 999 and g["progress"] == pytest.approx(999 / 950) and g["status"] == "achieved"
