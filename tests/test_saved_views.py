"""The saved-views store: beside the warehouse, never inside it."""

import pytest

from socialdash import saved_views
from socialdash.saved_views import ViewError, ViewStore


@pytest.fixture()
def store(tmp_path):
    return ViewStore(tmp_path / "views.sqlite")


def test_save_get_list_rename_delete(store):
    name = store.save("  Q1   review ", "competitors", {"start": "2026-01-01", "end": "2026-03-31", "orgs": "a,b",
                                                     "junk": "dropped", "platforms": ""})
    assert name == "Q1 review"
    view = store.get("q1 review")  # names are case-insensitive
    assert view["page"] == "competitors"
    assert view["params"] == {"start": "2026-01-01", "end": "2026-03-31", "orgs": "a,b"}
    store.save("Board", "overview", {"start": "2026-01-01", "end": "2026-01-31"})
    assert [v["name"] for v in store.list()] == ["Board", "Q1 review"]
    store.rename("Q1 review", "Q1 board review")
    assert store.get("Q1 review") is None and store.get("Q1 board review")["page"] == "competitors"
    store.delete("Board")
    assert [v["name"] for v in store.list()] == ["Q1 board review"]


def test_refusals_say_why(store):
    store.save("Board", "overview", {})
    with pytest.raises(ViewError, match="exists already"):
        store.save("board", "overview", {})
    store.save("board", "goals", {}, replace=True)
    assert store.get("Board")["page"] == "goals"
    with pytest.raises(ViewError, match="needs a name"):
        store.save("   ", "overview", {})
    with pytest.raises(ViewError, match="at most 80"):
        store.save("x" * 81, "overview", {})
    with pytest.raises(ViewError, match="control characters"):
        store.save("a\x00b", "overview", {})
    with pytest.raises(ViewError, match="no saved view"):
        store.delete("nope")
    store.save("Other", "overview", {})
    with pytest.raises(ViewError, match="exists already"):
        store.rename("Other", "BOARD")


def test_hostile_names_are_data(store):
    name = "'); DROP TABLE saved_views; --"
    store.save(name, "overview", {})
    assert store.get(name)["name"] == name
    assert len(store.list()) == 1


def test_the_store_sits_beside_the_warehouse(monkeypatch, tmp_path):
    monkeypatch.delenv("SOCIAL_VIEWS", raising=False)
    monkeypatch.setenv("SOCIAL_DB", str(tmp_path / "wh" / "social.duckdb"))
    assert saved_views.store_path() == tmp_path / "wh" / "views.sqlite"
    monkeypatch.setenv("SOCIAL_VIEWS", str(tmp_path / "elsewhere.sqlite"))
    assert saved_views.store_path() == tmp_path / "elsewhere.sqlite"


def test_a_view_saved_on_a_preset_keeps_the_relative_period(store):
    store.save("Weekly", "overview", {"period": "last-30-days", "orgs": "a,b", "mode": "meeting"})
    assert store.get("Weekly")["params"] == {"period": "last-30-days", "orgs": "a,b"}  # no dates, no meeting mode
