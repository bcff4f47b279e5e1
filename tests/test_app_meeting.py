"""Meetings through Streamlit's AppTest: data as of on every page, saved views (save, open by
?view=, rename, delete, views whose ids are gone), meeting mode and its link, and the
format of table downloads. On tests/fixture_meeting.py, in the fixture's New York zone."""

import pytest

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
    at = app("competitors", **PERIOD)
    labels = [d.proto.label for d in at.main.get("download_button")]
    csv = [label for label in labels if "CSV" in label]
    excel = [label for label in labels if "Excel" in label]
    assert "Download the rank table (every platform, CSV)" in csv
    assert "Download the rank table (every platform, Excel)" in excel
    assert len(excel) == len(csv) == len(labels) / 2  # every table: one CSV and one Excel button
