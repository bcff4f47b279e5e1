"""The Data health page through Streamlit's AppTest, on tests/fixture_data_health.py (figures
worked out there by hand), and the query functions it shows."""

from __future__ import annotations

import datetime as dt
import json
import re

import pandas as pd
import pytest

from socialdash import data_health, warehouse
from socialdash.config import Settings
from socialdash.period import Period
from socialdash.viewstate import View
from tests import fixture_data_health as fx
from tests.apptest import captions, frame, metric, opener, plain, table

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
    # covered: acme x, mastodon and bluesky hold data; acme linkedin and rival x nothing
    assert metric(at, "Organizations × platforms covered").value == "3 of 5"
    assert all(m.help for m in at.metric)
    # said plainly under the figures: what needs attention, and the account no API covers
    assert ("Needs attention: 1 connector failed (Mastodon); 1 connector partly failed (X); 1 account not "
            "offered by the platform's API (not counted as stale).") in captions(at)
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
    assert history.loc["Rival", "X"] == "no data yet" and history.loc["Rival", "Mastodon"] == "—"  # not tracked
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
    assert metric(at, "Connectors needing attention").value == "No run recorded"
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


# What an empty value reads like when it leaks to the screen ("None of the selected…" is English).
MISSING_WORDS = re.compile(r"\b(None(?! of\b)|nan|NaN|NaT)\b|<NA>")


def assert_nothing_reads_none(at) -> None:
    """No table cell is empty (Streamlit writes "None" for it) or reads None/nan/NaT, and no
    text on the page does."""
    for element in at.dataframe:
        shown = plain(element.value)
        assert not shown.isna().any().any(), shown[shown.isna().any(axis=1)]
        for name, column in shown.items():
            bad = [v for v in column if isinstance(v, str) and MISSING_WORDS.fullmatch(v.strip())]
            assert not bad, (name, bad)
    texts = [m.value for m in at.metric] + [m.label for m in at.metric] + [c.value for c in at.caption] + [
        m.value for m in at.markdown] + [i.value for i in at.info] + [w.value for w in at.warning]
    assert not [t for t in texts if MISSING_WORDS.search(t)]


def test_skipped_platforms_and_pairs_without_data_are_counted(app, tmp_path, monkeypatch):
    # issue 12: "Connectors needing attention 2 of 2" although five platforms were skipped, and
    # every organization × platform pair "covered" with no data at all
    monkeypatch.setenv("SOCIAL_DB", fx.build_skipped(str(tmp_path / "skipped.duckdb")))
    at = app()
    assert metric(at, "Connectors needing attention").value == "5 of 5"
    assert metric(at, "Stale accounts").value == "8 of 8"
    assert metric(at, "Organizations × platforms covered").value == "1 of 8"
    said = captions(at)
    assert "2 connectors failed (Bluesky, Mastodon)" in said
    assert "3 platforms never refreshed (LinkedIn, X, YouTube): a refresh skips a platform whose credentials " \
           "are missing" in said
    runs = plain(frame(at, "Connector")).set_index("Connector")
    assert runs["Status"].to_dict() == {"bluesky": "failed", "mastodon": "failed", "linkedin": "never run",
                                        "x": "never run", "youtube": "never run"}
    assert runs.loc["x", "Error"] == "No run recorded for its 2 tracked accounts"
    assert runs.loc["x", "Started (UTC)"] == "never" and runs.loc["x", "Duration"] == "—"
    assert runs.loc["mastodon", "Duration"] == "5 s" and runs.loc["mastodon", "Runs"] == 2
    history = plain(table(at, "Mastodon")).set_index("Organization")
    assert history.loc["Acme", "Mastodon"] == fx.day(10).isoformat()
    assert history.loc["Acme", "X"] == "no data yet" and history.loc["Rival", "YouTube"] == "—"
    assert_nothing_reads_none(at)


def test_the_query_functions_count_never_run_platforms(tmp_path):
    _, con = warehouse.reader(fx.build_skipped(str(tmp_path / "skipped.duckdb")))
    runs = data_health.last_runs(con).set_index("connector")
    assert runs["status"].to_dict() == {"bluesky": "failed", "mastodon": "failed", "linkedin": "never run",
                                        "x": "never run", "youtube": "never run"}
    assert runs["accounts"].to_dict() == {"bluesky": 2, "mastodon": 2, "linkedin": 1, "x": 2, "youtube": 1}
    cover = data_health.coverage(con, View(Period(fx.TODAY, fx.TODAY)), fx.TODAY)
    assert cover.set_index(["org_id", "platform"])["covered"].sum() == 1
    assert cover.set_index(["org_id", "platform"]).loc[("acme", "mastodon"), "covered"]


@pytest.mark.parametrize("which", ["hand-computed", "skipped", "metrics fixture", "first start (demo)"])
def test_no_none_nan_or_nat_anywhere(which, app, db, fixture_db, tmp_path, monkeypatch):
    path = {"hand-computed": db, "skipped": fx.build_skipped(str(tmp_path / "s.duckdb")), "metrics fixture": fixture_db,
            "first start (demo)": str(tmp_path / "new.duckdb")}[which]
    monkeypatch.setenv("SOCIAL_DB", path)
    at = app()
    assert at.title[0].value == "Data health"
    assert_nothing_reads_none(at)
    # the demo records no per-account refresh: said once, not a column of empty cells
    if which in ("first start (demo)", "metrics fixture"):
        assert "Last refresh (UTC)" not in plain(frame(at, "Organization")).columns
        assert "records no" in captions(at)


def test_numbers_have_thousands_separators(app, db):
    at = app()
    formats = {name: spec.get("type_config", {}).get("format")
               for d in at.dataframe for name, spec in json.loads(d.proto.columns).items()}
    assert formats["Runs"] == formats["Accounts"] == formats["Posts"] == formats["Inbound items"] == "%,d"
    fresh = plain(frame(at, "Organization")).set_index("Account")
    assert formats["Followers"] == "%,d" or fresh.loc["acme", "Followers"] == "10,000"
    assert fresh.loc["acme.bsky.social", "Followers"] == "2,500"
    assert fresh.loc["rival", "Followers"] == "no count" and fresh.loc["rival", "Latest count"] == "none"
