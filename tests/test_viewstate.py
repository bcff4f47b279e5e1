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
    assert parsed == view and parsed.preset is None and notices == []


# --- Relative periods (contract section 4: period=) ----------------------------------------------

@pytest.mark.parametrize("name, key, start", [
    ("last-7-days", "7d", dt.date(2026, 11, 16)),
    ("last-30-days", "30d", dt.date(2026, 10, 24)),
    ("last-90-days", "90d", dt.date(2026, 8, 25)),
    ("quarter-to-date", "qtd", dt.date(2026, 10, 1)),
    ("year-to-date", "ytd", dt.date(2026, 1, 1)),
])
def test_a_relative_period_round_trips_and_moves_with_today(name, key, start):
    view = View(preset_period(key, TODAY), ("x",), (), ("care",), preset=key)
    params = view_params(view)
    assert params == {"period": name, "platforms": "x", "departments": "care"}  # no start/end
    parsed, notices = parse_view(params, KNOWN, TODAY)
    assert parsed == view and notices == []
    assert parsed.period == Period(start, TODAY)
    # the same link a week later: the same preset, a week later
    later, _ = parse_view(params, KNOWN, TODAY + dt.timedelta(days=7))
    assert later.preset == key and later.period == preset_period(key, dt.date(2026, 11, 29))
    assert view_params(later) == params


def test_fixed_dates_stay_fixed_even_when_they_equal_a_preset_today():
    # exactly the last 30 days today, as a start/end link: read as before, and written back as dates
    params = {"start": "2026-10-24", "end": "2026-11-22"}
    view, notices = parse_view(params, KNOWN, TODAY)
    assert view.period == preset_period("30d", TODAY) and view.preset is None and notices == []
    assert view_params(view) == params
    tomorrow, _ = parse_view(params, KNOWN, TODAY + dt.timedelta(days=1))
    assert tomorrow.period == view.period


def test_an_unknown_period_is_ignored_with_a_notice():
    view, notices = parse_view({"period": "last-week", "orgs": "northwind"}, KNOWN, TODAY)
    assert view.preset == "30d" and view.period == Period(dt.date(2026, 10, 24), TODAY)
    assert view.orgs == ("northwind",)
    assert [n.replace("\\", "") for n in notices] == ["Ignored period='last-week' from the link: it is one of `last-7-days`, `last-30-days`, "
                       "`last-90-days`, `quarter-to-date`, `year-to-date`. Showing the last 30 days."]
    # with dates beside it, the dates are shown
    view, notices = parse_view({"period": "<b>soon</b>", "start": "2026-01-01", "end": "2026-01-31"}, KNOWN, TODAY)
    assert view.period == Period(dt.date(2026, 1, 1), dt.date(2026, 1, 31)) and view.preset is None
    assert len(notices) == 1 and notices[0].startswith(r"Ignored period='\<b\>soon\<\/b\>' from the link")
    assert notices[0].endswith("Showing its start and end.")
    # with bad dates beside it, both are named, and the last 30 days are shown
    view, notices = parse_view({"period": "soon", "start": "2026-01-01"}, KNOWN, TODAY)
    assert view.preset == "30d" and len(notices) == 2
    assert notices[0].endswith("`year-to-date`.") and notices[1].startswith("Ignored the period in the link: it needs both")


def test_period_wins_over_dates_with_a_notice():
    view, notices = parse_view({"period": "Last-7-Days", "start": "2026-01-01", "end": "2026-01-31"}, KNOWN, TODAY)
    assert view.preset == "7d" and view.period == Period(dt.date(2026, 11, 16), TODAY)
    assert [n.replace("\\", "") for n in notices] == [  # Markdown escapes taken out
        "Ignored the dates in the link (start='2026-01-01', end='2026-01-31'): it also has "
        "`period=last-7-days`, which wins. Showing the last 7 days."]
    assert view_params(view) == {"period": "last-7-days"}


def test_a_comparison_view_is_fixed():
    view = View(preset_period("30d", TODAY), preset="30d")
    before = view.with_period(view.period.previous())
    assert before.preset is None and view_params(before) == {"start": "2026-09-24", "end": "2026-10-23"}
    with pytest.raises(ValueError, match="unknown preset"):
        View(preset_period("30d", TODAY), preset="30 days")


def test_no_parameters_mean_the_last_30_days_and_everything():
    view, notices = parse_view({}, KNOWN, TODAY)
    assert view == View(Period(dt.date(2026, 10, 24), TODAY), preset="30d") and notices == []
    assert view_params(view) == {"period": "last-30-days"}  # written back relative, lists left out


@pytest.mark.parametrize("params, notice", [
    ({"start": "2026-13-01", "end": "2026-12-31"}, "YYYY-MM-DD"),
    ({"start": "yesterday", "end": "today"}, "YYYY-MM-DD"),
    ({"start": "2026-03-01"}, "needs both start and end"),
    ({"start": "2026-03-01", "end": "2026-02-01"}, "ends (2026-02-01) before it starts"),
    ({"start": "1900-01-01", "end": "2026-01-01"}, "longer than ten years"),
])
def test_a_bad_period_is_ignored_with_a_notice(params, notice):
    view, notices = parse_view(params, KNOWN, TODAY)
    assert view.period == preset_period("30d", TODAY) and view.preset == "30d"
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
