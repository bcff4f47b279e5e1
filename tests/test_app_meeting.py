"""Meetings through Streamlit's AppTest: data as of on every page, saved views (save, open by
?view=, rename, delete, views whose ids are gone), meeting mode and its link, and the
format of table downloads. On tests/fixture_meeting.py, in the fixture's New York zone."""

import datetime as dt

import pytest

from socialdash import ui
from socialdash.saved_views import ViewStore
from tests import fixture_meeting
from tests.apptest import captions, opener

PERIOD = {"start": "2026-01-05", "end": "2026-01-11"}
PAGES = ("overview", "competitors", "response_times", "departments", "goals", "data_health")


@pytest.fixture(scope="module")
def meeting_db(tmp_path_factory):
    return fixture_meeting.build(str(tmp_path_factory.mktemp("meeting") / "meeting.duckdb"), hostile=True)


@pytest.fixture()
def views(tmp_path, monkeypatch):
    path = tmp_path / "views.sqlite"
    monkeypatch.setenv("SOCIAL_VIEWS", str(path))
    return ViewStore(path)


@pytest.fixture()
def app(meeting_db, views, monkeypatch, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text(fixture_meeting.CONFIG)
    return opener(monkeypatch, meeting_db, config, timeout=90)


def test_every_page_says_how_fresh_the_data_is(app):
    at = app(**PERIOD)
    for page in PAGES:
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, page
        # the last ok/partial run ended 12:00 UTC = 07:00 New York; a failed one followed at 08:05
        assert fixture_meeting.AS_OF + fixture_meeting.FAILED_LATER in captions(at), page


def test_save_open_rename_and_delete_a_view(app, views):
    at = app("competitors", **PERIOD, orgs="acme,rival", metric="likes")
    at.text_input(key="sv_name").input("  Q1   review ").run()
    at.button(key="sv_save").click().run()
    assert not at.exception
    assert any("Saved as “Q1 review”" in s.value.replace("\\", "") for s in at.success)
    saved = views.get("Q1 review")
    assert saved["page"] == "competitors"
    assert saved["params"] == {**PERIOD, "orgs": "acme,rival", "metric": "likes", "platform": "all",
                               "top": "engagements"}
    # the list shows it with its link, for everyone
    assert at.selectbox(key="sv_chosen").value == "Q1 review"
    assert at.selectbox(key="sv_chosen").options == ["Q1 review · Competitors · 2026-01-05 – 2026-01-11"]
    assert any(c.value.endswith("?view=Q1%20review") for c in at.code)

    # a new visitor opens it by name: the view's filters and page, and the URL shows them
    other = app(view="Q1 review")
    assert dict(other.query_params) == {**PERIOD, "orgs": "acme,rival", "metric": "likes", "platform": "all",
                                        "top": "engagements"}
    assert [t.value for t in other.title] == ["Competitors"]
    assert other.selectbox(key="cmp_metric").value == "likes"
    assert other.sidebar.multiselect(key="f_orgs").value == ["acme", "rival"]
    assert any("Opened the saved view “Q1 review”" in i.value.replace("\\", "") for i in other.info)

    at.text_input(key="sv_new_name").input("Board").run()
    at.button(key="sv_rename").click().run()
    assert views.get("Q1 review") is None and views.get("Board")["page"] == "competitors"
    gone = app(view="Q1 review")
    assert any("There is no saved view named “Q1 review”" in w.value.replace("\\", "") for w in gone.warning)
    assert "view" not in gone.query_params

    at.button(key="sv_delete").click().run()
    assert not at.exception
    assert views.list() == []
    assert any("No saved view yet." in c for c in captions(at).split("\n"))


def test_a_saved_view_whose_ids_are_gone_opens_with_a_notice(app, views):
    views.save("Old board", "overview", {**PERIOD, "orgs": "acme,ghost", "departments": "care,closed"})
    at = app(view="Old board")
    warnings = " ".join(w.value for w in at.warning).replace("\\", "")
    assert "Ignored 1 organization from the saved view that this warehouse does not know: 'ghost'" in warnings
    assert "Ignored 1 department from the saved view that this warehouse does not know: 'closed'" in warnings
    assert at.query_params["orgs"] == "acme" and at.query_params["departments"] == "care"
    assert [t.value for t in at.title] == ["Where we stand"]


def test_refused_names_say_why(app, views):
    views.save("Board", "overview", {})
    at = app(**PERIOD)
    at.text_input(key="sv_name").input("board").run()
    at.button(key="sv_save").click().run()
    assert any("exists already" in e.value for e in at.error)
    at.checkbox(key="sv_replace").check().run()
    at.button(key="sv_save").click().run()
    assert views.get("Board")["params"] == PERIOD and views.get("Board")["name"] == "board"


def test_meeting_mode_from_the_link(app):
    at = app(**PERIOD, mode="meeting", advance="30")
    # no share section (the sidebar is hidden by the meeting style), a leave button, the style itself
    assert [b.key for b in at.button] == ["m_leave"]
    assert any("stSidebar" in h.proto.body and "font-size" in h.proto.body for h in at.get("html"))
    text = " ".join(m.value for m in at.markdown).replace("\\", "")
    # where we stand, up front: ranks among Acme, Rival and the hostile-named Other
    assert "Where we stand." in text and "Audience 2,200 (rank 2 of 3)" in text
    assert "Follower growth % 22.2% (rank 1 of 3)" in text
    assert "Next page every 30 s" in captions(at)
    assert fixture_meeting.AS_OF in captions(at)
    # the mode stays in the link from page to page
    at.switch_page("pages/goals.py").run()
    assert at.query_params["mode"] == "meeting" and at.query_params["advance"] == "30"
    at.button(key="m_leave").click().run()
    assert "mode" not in at.query_params and "advance" not in at.query_params
    assert at.button(key="m_start") and not at.get("html")


def test_starting_meeting_mode_from_the_sidebar(app):
    at = app(**PERIOD)
    at.number_input(key="m_advance").set_value(20).run()
    at.button(key="m_start").click().run()
    assert at.query_params["mode"] == "meeting" and at.query_params["advance"] == "20"
    assert at.query_params["start"] == PERIOD["start"]


def test_a_bad_meeting_link_is_ignored_with_a_notice(app):
    at = app(**PERIOD, mode="party", advance="1")
    warnings = " ".join(w.value for w in at.warning).replace("\\", "")
    assert "Ignored mode=party" in warnings and "Ignored advance=1" in warnings
    assert "mode" not in at.query_params and "advance" not in at.query_params
    assert at.button(key="m_start")


def test_tables_download_as_csv_and_excel(app):
    """Short button labels, read in full at any width (long ones were cut: "Download the rank
    tabl…"); what each pair downloads is in the caption before it and in the buttons' help."""
    at = app("competitors", **PERIOD)
    buttons = at.main.get("download_button")
    labels = [d.proto.label for d in buttons]
    assert labels and labels == ["CSV", "Excel"] * (len(labels) // 2)  # every table: one CSV, one Excel
    assert captions(at).split("\n").count("Download this table:") == len(labels) // 2
    assert {d.proto.help for d in buttons} == {"Download this table as CSV (UTF-8).",
                                               "Download this table as an Excel workbook."}


def _a_named_download():
    import pandas as pd

    from socialdash import ui

    ui.download(pd.DataFrame({"Organization": ["Acme"], "Likes": [1200]}), "competitors-rank-table",
                "Download the rank table (every platform, CSV)")
    ui.download(pd.DataFrame({"Day": ["2026-01-05"]}), "goal-series", label="Download the series (CSV)")


def test_a_named_download_says_what_it_holds_beside_short_buttons():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_a_named_download).run()
    assert not at.exception
    assert [d.proto.label for d in at.get("download_button")] == ["CSV", "Excel", "CSV", "Excel"]
    assert [c.value.replace("\\", "") for c in at.caption] == ["Download the rank table (every platform):",
                                                                "Download the series:"]
    assert [d.proto.help for d in at.get("download_button")][:2] == [
        "Download the rank table (every platform) as CSV (UTF-8).",
        "Download the rank table (every platform) as an Excel workbook."]


# --- Relative periods: links and saved views that stay current (contract section 4) ------------

def _today_is(monkeypatch, day: dt.date) -> None:
    """The dashboard's today (the filter bar's), fixed for the test."""
    monkeypatch.setattr(ui, "today_in", lambda tz, now=None: day)


def test_a_view_saved_on_last_30_days_reopens_on_the_current_last_30_days(app, views, monkeypatch):
    _today_is(monkeypatch, dt.date(2026, 1, 11))
    at = app("competitors", orgs="acme,rival")  # no period in the link: the last 30 days
    assert at.sidebar.selectbox(key="f_preset").value == "30d"
    assert at.query_params["period"] == "last-30-days" and "start" not in at.query_params
    assert "13 Dec 2025 – 11 Jan 2026" in captions(at)
    at.text_input(key="sv_name").input("Weekly").run()
    at.button(key="sv_save").click().run()
    saved = views.get("Weekly")["params"]
    assert saved["period"] == "last-30-days" and saved["orgs"] == "acme,rival"
    assert "start" not in saved and "end" not in saved
    assert at.selectbox(key="sv_chosen").options == ["Weekly · Competitors · Last 30 days"]

    # opened 40 days later: the last 30 days of that day, not the days it was saved on
    _today_is(monkeypatch, dt.date(2026, 2, 20))
    later = app(view="Weekly")
    assert [t.value for t in later.title] == ["Competitors"]
    assert later.sidebar.selectbox(key="f_preset").value == "30d"
    assert later.query_params["period"] == "last-30-days" and "start" not in later.query_params
    assert "22 Jan 2026 – 20 Feb 2026" in captions(later)
    assert "13 Dec 2025 – 11 Jan 2026" not in captions(later)


def test_a_view_saved_with_a_relative_period_in_the_store_opens_on_today(app, views, monkeypatch):
    _today_is(monkeypatch, dt.date(2026, 1, 11))
    views.save("This week", "overview", {"period": "last-7-days", "orgs": "acme,rival"})
    at = app(view="This week")
    assert dict(at.query_params) == {"period": "last-7-days", "orgs": "acme,rival"}
    assert at.sidebar.selectbox(key="f_preset").value == "7d"
    assert "05 Jan 2026 – 11 Jan 2026" in captions(at)


def test_a_link_with_a_relative_period_shows_the_same_figures_as_its_dates(app, monkeypatch):
    _today_is(monkeypatch, dt.date(2026, 1, 11))
    relative = app(period="last-7-days", orgs="acme,rival")
    assert relative.sidebar.selectbox(key="f_preset").value == "7d"
    assert dict(relative.query_params) == {"period": "last-7-days", "orgs": "acme,rival"}
    assert "05 Jan 2026 – 11 Jan 2026 · compared with 29 Dec 2025 – 04 Jan 2026" in captions(relative)
    assert not relative.warning
    # a link with the same dates still works as before: a fixed range, its dates kept in the URL
    fixed = app(**PERIOD, orgs="acme,rival")
    assert fixed.sidebar.selectbox(key="f_preset").value == "custom"
    assert dict(fixed.query_params) == {**PERIOD, "orgs": "acme,rival"}
    assert [(m.label, m.value) for m in relative.metric] == [(m.label, m.value) for m in fixed.metric]
    assert any(m.value == "2,200" for m in relative.metric)  # the fixture's audience of Acme


def test_choosing_a_preset_or_a_custom_range_rewrites_the_link(app, monkeypatch):
    _today_is(monkeypatch, dt.date(2026, 1, 11))
    at = app(**PERIOD)
    at.sidebar.selectbox(key="f_preset").set_value("7d").run()
    assert at.query_params["period"] == "last-7-days"
    assert "start" not in at.query_params and "end" not in at.query_params
    at.sidebar.selectbox(key="f_preset").set_value("custom").run()
    assert "period" not in at.query_params
    assert (at.query_params["start"], at.query_params["end"]) == ("2026-01-05", "2026-01-11")


def test_a_bad_or_doubled_period_in_a_link_is_shown_as_a_notice(app, monkeypatch):
    _today_is(monkeypatch, dt.date(2026, 1, 11))
    at = app(period="fortnight")
    warnings = " ".join(w.value for w in at.warning).replace("\\", "")
    assert "Ignored period='fortnight' from the link" in warnings and "Showing the last 30 days." in warnings
    assert at.query_params["period"] == "last-30-days"
    both = app(period="last-7-days", **PERIOD)  # decided: period wins, the dates are set aside visibly
    warnings = " ".join(w.value for w in both.warning).replace("\\", "")
    assert "Ignored the dates in the link (start='2026-01-05', end='2026-01-11')" in warnings
    assert dict(both.query_params) == {"period": "last-7-days"}
