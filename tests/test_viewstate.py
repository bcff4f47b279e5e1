"""Shared links: the URL parameters of contract section 4, and what a mangled link does."""

import datetime as dt

import pytest

from socialdash.period import Period, matching_preset, preset_period
from socialdash.viewstate import Known, View, parse_view, view_params

KNOWN = Known(platforms=("bluesky", "x"), orgs=("contoso", "northwind"), departments=("care", "pr"))
TODAY = dt.date(2026, 11, 22)


def test_a_link_round_trips():
    view = View(Period(dt.date(2026, 1, 1), dt.date(2026, 3, 31)), ("x", "bluesky"), ("northwind", "contoso"), ("care",))
    params = view_params(view)
    assert params == {"start": "2026-01-01", "end": "2026-03-31", "platforms": "x,bluesky",
                      "orgs": "northwind,contoso", "departments": "care"}
    parsed, notices = parse_view(params, KNOWN, TODAY)
    assert parsed == view and notices == []


def test_no_parameters_mean_the_last_30_days_and_everything():
    view, notices = parse_view({}, KNOWN, TODAY)
    assert view == View(Period(dt.date(2026, 10, 24), TODAY)) and notices == []
    assert "platforms" not in view_params(view)


@pytest.mark.parametrize("params, notice", [
    ({"start": "2026-13-01", "end": "2026-12-31"}, "YYYY-MM-DD"),
    ({"start": "yesterday", "end": "today"}, "YYYY-MM-DD"),
    ({"start": "2026-03-01"}, "needs both start and end"),
    ({"start": "2026-03-01", "end": "2026-02-01"}, "ends (2026-02-01) before it starts"),
    ({"start": "1900-01-01", "end": "2026-01-01"}, "longer than ten years"),
])
def test_a_bad_period_is_ignored_with_a_notice(params, notice):
    view, notices = parse_view(params, KNOWN, TODAY)
    assert view.period == preset_period("30d", TODAY)
    assert len(notices) == 1 and notice in notices[0]


def test_unknown_ids_are_dropped_with_a_notice_and_never_passed_on():
    view, notices = parse_view(
        {"platforms": "x,tiktok", "orgs": "northwind,'; DROP TABLE posts; --", "departments": "care,,care"},
        KNOWN, TODAY)
    assert view.platforms == ("x",)
    assert view.orgs == ("northwind",)
    assert view.departments == ("care",)  # blanks and repeats folded
    assert any("1 platform" in n and "'tiktok'" in n for n in notices)
    assert any("1 organization" in n and "DROP TABLE" in n for n in notices)


def test_presets():
    assert preset_period("7d", TODAY) == Period(dt.date(2026, 11, 16), TODAY)
    assert preset_period("qtd", TODAY) == Period(dt.date(2026, 10, 1), TODAY)
    assert preset_period("ytd", TODAY) == Period(dt.date(2026, 1, 1), TODAY)
    assert preset_period("qtd", dt.date(2026, 3, 31)).start == dt.date(2026, 1, 1)
    assert matching_preset(Period(dt.date(2026, 8, 25), TODAY), TODAY) == "90d"
    assert matching_preset(Period(dt.date(2026, 8, 24), TODAY), TODAY) is None


def test_comparison_period_and_bounds_in_the_time_zone():
    period = Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    assert period.previous() == Period(dt.date(2026, 1, 29), dt.date(2026, 2, 28))
    start, end = period.bounds("Europe/London")  # BST begins on 29 March
    assert start == dt.datetime(2026, 3, 1, 0, 0, tzinfo=dt.timezone.utc)
    assert end == dt.datetime(2026, 3, 31, 23, 0, tzinfo=dt.timezone.utc)
    assert period.elapsed_days(dt.date(2026, 3, 10)) == 10
    assert period.elapsed_days(dt.date(2026, 4, 10)) == 31
    assert period.elapsed_days(dt.date(2026, 2, 10)) == 0
