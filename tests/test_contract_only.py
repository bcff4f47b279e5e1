"""A warehouse holding exactly the tables of contract section 1 (tests/fixture_contract_only.py:
made with plain SQL, no warehouse_meta, connector_state or alert_log) opens on every page,
in meeting mode, in the brief and in `python -m connectors status`; with rows and empty."""

from __future__ import annotations

import datetime as dt
import hashlib
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from socialdash import brief, data_health, warehouse
from socialdash.config import Settings
from socialdash.period import Period
from socialdash.viewstate import View
from tests import fixture_contract_only as fx
from tests.apptest import ROOT, captions, frame, metric, opener, plain
from tests.test_app_data_health import MISSING_WORDS, assert_nothing_reads_none

PAGES = ("overview", "competitors", "response_times", "departments", "goals", "data_health")


@pytest.fixture(scope="module", params=["rows", "empty"])
def db(request, tmp_path_factory):
    path = tmp_path_factory.mktemp("contract-only") / f"{request.param}.duckdb"
    return fx.build(str(path), rows=request.param == "rows")


@pytest.fixture()
def app(db, monkeypatch):
    return opener(monkeypatch, db)


def _tables(path: str) -> set[str]:
    con = duckdb.connect(path, read_only=True)
    try:
        return {row[0] for row in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    finally:
        con.close()


def test_the_fixture_holds_the_contract_tables_only(db):
    assert _tables(db) == set(fx.CONTRACT_TABLES)
    assert not set(warehouse.OWN_TABLES) & _tables(db)


def test_has_table_asks_the_warehouse(db):
    _, con = warehouse.reader(db)
    assert warehouse.has_table(con, "posts") and warehouse.has_table(con, "POSTS")
    assert not warehouse.has_table(con, "warehouse_meta") and not warehouse.has_table(con, "connector_state")
    assert not warehouse.has_table(con, "posts'; DROP TABLE posts; --")  # a bound parameter, not SQL text
    assert warehouse.meta(con, "dataset") is None
    assert not data_health.refreshes_recorded(con)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_opens(page, app, db):
    before = hashlib.sha256(Path(db).read_bytes()).hexdigest()
    at = app(page=page)  # opener asserts that no exception is shown
    assert at.title, page
    texts = [m.value for m in at.metric] + [c.value for c in at.caption] + [m.value for m in at.markdown] + [
        i.value for i in at.info] + [w.value for w in at.warning] + [e.value for e in at.error]
    assert not [t for t in texts if MISSING_WORDS.search(t)], page
    for element in at.dataframe:
        shown = plain(element.value)
        bad = [v for column in shown.columns for v in shown[column]
               if isinstance(v, str) and MISSING_WORDS.fullmatch(v.strip())]
        assert not bad, (page, bad)
    assert not at.error, [e.value for e in at.error]
    # the dashboard never writes a warehouse another pipeline made, not even an empty one
    assert hashlib.sha256(Path(db).read_bytes()).hexdigest() == before
    assert "Demo data" not in captions(at)


def test_data_health_says_what_is_not_recorded(app, db):
    at = app(page="data_health")
    assert_nothing_reads_none(at)
    if db.endswith("empty.duckdb"):
        assert metric(at, "Connectors needing attention").value == "No run recorded"
        assert any("No connector has run yet" in i.value for i in at.info)
        return
    assert "records no connector state, so per-account refresh status is not available" in captions(at)
    # the pipeline's single run is not a platform's: no platform is listed as never run
    assert metric(at, "Connectors needing attention").value == "0 of 1"
    assert metric(at, "Stale accounts").value == "0 of 8"  # follower counts up to today
    assert metric(at, "Organizations × platforms covered").value == "6 of 6"
    fresh = plain(frame(at, "Organization"))
    assert "Last refresh (UTC)" not in fresh.columns and "Last error" not in fresh.columns
    assert set(fresh["Freshness"]) == {"Fresh"}


def test_meeting_mode_header(app, db):
    at = app(page="overview", mode="meeting")
    header = " ".join(m.value for m in at.markdown).replace("\\", "")
    said = captions(at)
    if db.endswith("rows.duckdb"):
        assert "Acme Air" in header and "Where we stand." in header
        assert "Data as of" in said
    else:
        assert "No successful refresh recorded yet" in said
    assert not MISSING_WORDS.search(header + said)


def test_the_brief(db):
    _, con = warehouse.reader(db)
    cur = warehouse.cursor(con)
    today = fx.TODAY
    view = View(Period(today - dt.timedelta(days=29), today))
    now = dt.datetime.now(dt.timezone.utc)
    as_of = brief.data_as_of(cur, Settings())
    page = brief.build(cur, view, Settings(), now, today, as_of=as_of)
    cur.close()
    assert page.startswith("<!doctype html>") or page.lower().startswith("<!doctype html>")
    body = page.split("<body", 1)[1]
    body_text = body.split("<script", 1)[0] + "".join(part.split("</script>", 1)[-1] for part in body.split("<script")[1:])
    assert not MISSING_WORDS.search(body_text.replace("NaN-", ""))
    if db.endswith("rows.duckdb"):
        assert "Acme Air" in page and as_of.startswith("Data as of")
    else:
        assert as_of == "No successful refresh recorded yet"


def test_connectors_status(db):
    done = subprocess.run([sys.executable, "-m", "connectors", "status", "--db", db], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    if db.endswith("rows.duckdb"):
        assert "pipeline" in done.stdout and "bluesky" in done.stdout
    else:
        assert "No connector has run yet." in done.stdout


def test_a_file_with_no_table_yet_gets_the_demo(tmp_path, monkeypatch):
    # an empty DuckDB file (no table at all) is a first start like a missing one: the demo is
    # built into it, where the count of organizations used to fail with a catalog error
    path = str(tmp_path / "blank.duckdb")
    duckdb.connect(path).close()
    at = opener(monkeypatch, path, timeout=120)()
    assert "Demo data" in captions(at)
    _, con = warehouse.reader(path)
    assert warehouse.meta(con, "dataset") == "demo"
