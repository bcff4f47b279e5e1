"""The Data health page through Streamlit's AppTest, on tests/fixture_data_health.py (figures
worked out there by hand), and the query functions it shows."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from socialdash import data_health, warehouse
from socialdash.config import Settings
from socialdash.period import Period
from socialdash.viewstate import View
from tests import fixture_data_health as fx
from tests.apptest import frame, metric, opener, plain

PAGE = "pages/data_health.py"


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return fx.build(str(tmp_path_factory.mktemp("data-health") / "dh.duckdb"))


@pytest.fixture()
def app(db, monkeypatch):
    return opener(monkeypatch, db, page=PAGE)


def test_the_query_functions(db):
    _, con = warehouse.reader(db)
    view = View(Period(fx.TODAY, fx.TODAY))
    runs = data_health.last_runs(con).set_index("connector")
    assert runs["status"].to_dict() == {"mastodon": "failed", "x": "partial", "bluesky": "ok"}
    assert runs.loc["mastodon", "runs"] == 2
    # the last success of mastodon is the end of its ok run 3 days ago (20 s long)
    assert runs.loc["mastodon", "last_success"].to_pydatetime() == fx.at(3) + dt.timedelta(seconds=20)
    fresh = data_health.account_freshness(con, view, Settings(), fx.TODAY).set_index("account_id")
    assert fresh.loc["x:acme", "age_days"] == 0
    assert fresh.loc["mastodon:acme@mastodon.social", "age_days"] == 4  # refreshed 4 days ago beats the 5-day-old count
    assert fresh.loc["bluesky:acme.bsky.social", "age_days"] == 2
    assert fresh["stale"].to_dict() == {"x:acme": False, "mastodon:acme@mastodon.social": True,
                                        "bluesky:acme.bsky.social": False, "linkedin:pete-li": False, "x:rival": True}
    assert fresh.loc["linkedin:pete-li", "freshness"] == "Not offered by the API"
    assert fresh.loc["x:rival", "freshness"] == "Stale (no data yet)"
    assert fresh.loc["linkedin:pete-li", "kind"] == "Employee: Pete"
    cover = data_health.coverage(con, view, fx.TODAY).set_index(["org_id", "platform"])
    assert cover.loc[("acme", "x"), "history_days"] == 41 and cover.loc[("acme", "x"), "posts"] == 2
    assert cover.loc[("acme", "mastodon"), "history_days"] == 6
    assert pd.isna(cover.loc[("rival", "x"), "history_from"]) and cover.loc[("rival", "x"), "posts"] == 0
    # the view's platform filter applies to accounts and coverage
    only_x = View(Period(fx.TODAY, fx.TODAY), platforms=("x",))
    assert set(data_health.account_freshness(con, only_x, Settings(), fx.TODAY)["platform"]) == {"x"}
    assert len(data_health.coverage(con, only_x, fx.TODAY)) == 2


def test_the_page_shows_runs_freshness_and_coverage(app):
    at = app()
    assert not at.exception
    assert at.title[0].value == "Data health"
    assert metric(at, "Connectors needing attention").value == "2 of 3"
    assert metric(at, "Stale accounts").value == "2 of 5"
    assert metric(at, "Organizations × platforms covered").value == "5"
    assert all(m.help for m in at.metric)
    runs = plain(frame(at, "Connector"))
    assert runs["Connector"].tolist() == ["mastodon", "x", "bluesky"]  # failed first, then partial, then ok
    assert runs.set_index("Connector").loc["x", "Error"] == "other: x: malformed JSON"
    fresh = plain(frame(at, "Organization"))
    by_account = fresh.set_index("Account")["Freshness"].to_dict()
    assert by_account == {"acme": "Fresh", "acme@mastodon.social": "Stale", "acme.bsky.social": "Fresh",
                          "pete-li": "Not offered by the API", "rival": "Stale (no data yet)"}
    history = next(d.value for d in at.dataframe if "Mastodon" in plain(d.value).columns)
    history = plain(history).set_index("Organization")
    assert history.loc["Acme", "X"] == fx.day(40).isoformat()
    assert history.loc["Rival", "X"] == "—" and history.loc["Rival", "Mastodon"] == ""
    assert len([d for d in at.main.get("download_button") if "CSV" in d.proto.label]) == 4


def test_only_stale_accounts_from_the_link_and_back(app):
    at = app(stale="1")
    assert not at.exception
    fresh = plain(frame(at, "Organization"))
    assert fresh["Account"].tolist() == ["acme@mastodon.social", "rival"]
    assert at.query_params["stale"] == "1"
    at.toggle(key="dh_stale").set_value(False).run()
    assert "stale" not in at.query_params
    assert len(plain(frame(at, "Organization"))) == 5


def test_filters_apply_to_accounts_and_coverage(app):
    at = app(platforms="x", orgs="acme")
    assert not at.exception
    assert metric(at, "Stale accounts").value == "0 of 1"
    assert plain(frame(at, "Organization"))["Account"].tolist() == ["acme"]


def test_a_warehouse_no_connector_ever_wrote(app, fixture_db, monkeypatch):
    # the metrics fixture has accounts and data but no connector_runs and no connector_state table
    monkeypatch.setenv("SOCIAL_DB", fixture_db)
    at = app()
    assert not at.exception
    assert metric(at, "Connectors needing attention").value == "0 of 0"
    assert any("No connector has run yet" in i.value for i in at.info)
    # 8 accounts; the newest follower counts are from January 2026: all stale
    assert metric(at, "Stale accounts").value == "8 of 8"


def test_a_large_company_lists_stale_accounts_first_without_shading(app, tmp_path, monkeypatch):
    # pandas' Styler costs seconds for tens of thousands of rows: past 1,000 accounts the page
    # shows a plain table, stale accounts first, and says so.
    big = fx.build(str(tmp_path / "big.duckdb"))
    with warehouse.writing(big) as con:
        warehouse.upsert(con, "accounts", pd.DataFrame(
            [(f"mastodon:emp{i}@example.social", "acme", "mastodon", f"emp{i}@example.social", "pr", f"Person {i}")
             for i in range(1_200)],
            columns=["account_id", "org_id", "platform", "handle", "department_id", "person"]))
    monkeypatch.setenv("SOCIAL_DB", big)
    at = app()
    assert not at.exception
    assert metric(at, "Stale accounts").value == "1,202 of 1,205"
    fresh = frame(at, "Organization")
    assert isinstance(fresh, pd.DataFrame)  # not a Styler
    assert len(fresh) == 1205
    assert fresh["Freshness"].head(1202).str.startswith("Stale").all()
    assert not fresh["Freshness"].tail(3).str.startswith("Stale").any()
    assert any("Stale accounts come first" in c.value for c in at.caption)
