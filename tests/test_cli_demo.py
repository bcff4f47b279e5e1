"""`python -m connectors demo` as an analyst runs it: exit codes and the rows written."""

import subprocess
import sys

import pandas as pd

from socialdash.warehouse import open_warehouse, upsert, writing
from tests.browser import ROOT


def run(*args):
    return subprocess.run([sys.executable, "-m", "connectors", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def counts(db):
    con = open_warehouse(db)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("organizations", "accounts", "account_daily", "posts", "interactions", "goals")}
    finally:
        con.close()


def test_demo_builds_and_rebuilds_without_duplicates(tmp_path):
    db = str(tmp_path / "w.duckdb")
    first = run("demo", "--db", db)
    assert first.returncode == 0, first.stderr
    assert "posts" in first.stdout and "Done in" in first.stdout
    before = counts(db)
    assert all(n > 0 for n in before.values())
    assert run("demo", "--db", db).returncode == 0
    assert counts(db) == before


def test_demo_refuses_a_warehouse_with_real_data(tmp_path):
    db = str(tmp_path / "w.duckdb")
    with writing(db) as con:
        upsert(con, "connector_runs", pd.DataFrame([{
            "run_id": "r1", "connector": "mastodon", "started_at": pd.Timestamp("2026-01-01", tz="UTC"),
            "finished_at": pd.Timestamp("2026-01-01", tz="UTC"), "status": "ok", "rows_written": 3, "error": None}]))
        con.execute("INSERT INTO account_daily VALUES ('mastodon:a@b.c', DATE '2026-01-01', 10)")
    result = run("demo", "--db", db)
    assert result.returncode == 2
    assert "holds real data" in result.stderr
    # …and says how to have the demo all the same, beside the real data
    assert f"--db {tmp_path / 'demo.duckdb'}" in result.stderr and "SOCIAL_DB=" in result.stderr
    assert counts(db)["account_daily"] == 1  # untouched


def test_usage_errors_exit_2(tmp_path):
    assert run("demo", "--scale", "huge").returncode == 2
    assert run("nonsense").returncode == 2


def test_status_reports_the_demo_run(tmp_path):
    db = str(tmp_path / "w.duckdb")
    run("demo", "--db", db)
    result = run("status", "--db", db)
    assert result.returncode == 0, result.stderr
    assert "demo" in result.stdout and "ok" in result.stdout
