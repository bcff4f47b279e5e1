"""The warehouse's promises: one opener, idempotent schema, upserts, and all-or-nothing
writes that readers never see half of, even when the writer is killed."""

import os
import signal
import subprocess
import sys
import textwrap

import pandas as pd
import pytest

from socialdash import warehouse
from socialdash.warehouse import WarehouseError, open_warehouse, reader, upsert, writing

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def orgs(*rows):
    return pd.DataFrame(rows, columns=["org_id", "name", "is_self"])


def count(loc, table="organizations"):
    con = open_warehouse(loc)
    try:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        con.close()


def test_location_from_environment(monkeypatch):
    monkeypatch.delenv("SOCIAL_DB", raising=False)
    assert warehouse.location() == "data/social.duckdb"
    monkeypatch.setenv("SOCIAL_DB", "/somewhere/else.duckdb")
    assert warehouse.location() == "/somewhere/else.duckdb"


def test_non_file_locations_are_recognised():
    assert warehouse.is_file_location("data/social.duckdb")
    assert warehouse.is_file_location("/abs/path.duckdb")
    assert not warehouse.is_file_location("md:my_db")
    assert not warehouse.is_file_location("ducklake:catalog.ducklake")
    assert not warehouse.is_file_location(":memory:")


def test_schema_is_idempotent_and_has_every_contract_table(tmp_path):
    loc = str(tmp_path / "w.duckdb")
    for _ in range(2):
        with writing(loc) as con:
            warehouse.ensure_schema(con)
    con = open_warehouse(loc)
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables WHERE table_catalog = 'warehouse'").fetchall()}
    cols = dict(con.execute("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'posts'").fetchall())
    con.close()
    assert set(warehouse.TABLES) <= tables
    assert cols["created_at"] == "TIMESTAMP WITH TIME ZONE"
    assert cols["views"] == "BIGINT" and cols["post_id"] == "VARCHAR"


def test_upsert_never_duplicates(tmp_path):
    loc = str(tmp_path / "w.duckdb")
    for name in ("Acme", "Acme Corp"):
        with writing(loc) as con:
            upsert(con, "organizations", orgs(("acme", name, True), ("rival", "Rival", False)))
    assert count(loc) == 2
    con = open_warehouse(loc)
    assert con.execute("SELECT name FROM organizations WHERE org_id = 'acme'").fetchone()[0] == "Acme Corp"
    con.close()


def test_a_failed_write_leaves_the_live_data_untouched(tmp_path):
    loc = str(tmp_path / "w.duckdb")
    with writing(loc) as con:
        upsert(con, "organizations", orgs(("acme", "Acme", True)))
    with pytest.raises(RuntimeError):
        with writing(loc) as con:
            con.execute("DELETE FROM organizations")
            raise RuntimeError("the API answered nonsense")
    assert count(loc) == 1
    assert not list(tmp_path.glob("w.duckdb.writing-*"))


def test_readers_see_the_old_data_during_a_write_and_the_new_after(tmp_path):
    loc = str(tmp_path / "w.duckdb")
    with writing(loc) as con:
        upsert(con, "organizations", orgs(("acme", "Acme", True)))
    version_before, held = reader(loc)
    with writing(loc) as con:
        upsert(con, "organizations", orgs(("rival", "Rival", False)))
        # mid-write: another reader (even a new one) sees the whole old warehouse
        assert warehouse.query("SELECT count(*) AS n FROM organizations", loc=loc).n[0] == 1
    assert warehouse.data_version(loc) != version_before
    assert warehouse.query("SELECT count(*) AS n FROM organizations", loc=loc).n[0] == 2
    # a connection opened before the commit keeps reading its consistent snapshot
    assert held.execute("SELECT count(*) FROM organizations").fetchone()[0] == 1


def test_reading_a_missing_warehouse_says_what_to_do(tmp_path):
    with pytest.raises(WarehouseError, match="python -m connectors demo"):
        open_warehouse(str(tmp_path / "none.duckdb"))


def test_a_writer_killed_midway_leaves_the_last_good_data(tmp_path):
    loc = str(tmp_path / "w.duckdb")
    with writing(loc) as con:
        upsert(con, "organizations", orgs(("acme", "Acme", True)))
    script = textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {ROOT!r})
        import pandas as pd
        from socialdash.warehouse import writing
        with writing({loc!r}) as con:
            con.execute("DELETE FROM organizations")
            con.execute("INSERT INTO account_daily SELECT 'a' || i, DATE '2020-01-01' + i::INTEGER, i FROM range(200000) t(i)")
            print("midway", flush=True)
            time.sleep(60)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "midway"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert count(loc) == 1 and count(loc, "account_daily") == 0
    # the next writer is not blocked by the dead one and cleans its leftovers
    with writing(loc) as con:
        upsert(con, "organizations", orgs(("rival", "Rival", False)))
    assert count(loc) == 2
    assert not list(tmp_path.glob("w.duckdb.writing-*"))


def test_writers_take_turns(tmp_path):
    loc = str(tmp_path / "w.duckdb")
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {ROOT!r})
        import pandas as pd
        from socialdash.warehouse import writing, upsert
        for i in range(5):
            with writing({loc!r}) as con:
                upsert(con, "organizations", pd.DataFrame([(sys.argv[1] + str(i), "x", False)], columns=["org_id", "name", "is_self"]))
    """)
    procs = [subprocess.Popen([sys.executable, "-c", script, tag]) for tag in ("a", "b", "c")]
    assert [p.wait(timeout=120) for p in procs] == [0, 0, 0]
    assert count(loc) == 15  # no writer lost another's rows
