"""The first steps past the demo lose nothing (issue 12, "Data the user must not lose").

README's first-use path, run through the real command line: build the demo, copy the
example configuration, refresh with no credentials and no network. Every account fails or
is skipped, so nothing may change: the warehouse stays byte for byte the demo, the summary
says that nothing was written and why, and `demo` still works. A refresh that brings data
from one account only replaces the demo with real data, and says so. A warehouse that
already holds real data records a failed attempt (Data health shows it) and nothing else.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from rich.console import Console

from connectors import cli
from connectors.config_sync import configured_accounts
from connectors.refresh import CREDENTIALS, refresh
from socialdash import warehouse
from socialdash.config import EXAMPLE_PATH, parse_config
from tests.browser import ROOT
from tests.fake_platforms import FakePlatforms

TABLES = (*warehouse.TABLES, "warehouse_meta")


def closed_port() -> int:
    """A loopback port nothing listens on: connections are refused at once."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def own_config(path, mastodon: str, bluesky: str) -> str:
    """README's step 2: the example configuration, copied; the two platforms that need no
    credentials are pointed at test addresses instead of the internet."""
    text = EXAMPLE_PATH.read_text(encoding="utf-8")
    text += f'\n[platforms.mastodon]\nbase_url = "{mastodon}"\n\n[platforms.bluesky]\nbase_url = "{bluesky}"\n'
    path.write_text(text, encoding="utf-8")
    return str(path)


def config_of(path: str):
    return parse_config(Path(path).read_text(encoding="utf-8"))


def fingerprint(db) -> tuple:
    """The file's bytes and identity: a writer's atomic rename would change the inode."""
    st = os.stat(db)
    with open(db, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest(), st.st_ino, st.st_size, st.st_mtime_ns


def counts(db) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    finally:
        con.close()


def dataset(db) -> str | None:
    con = duckdb.connect(str(db), read_only=True)
    try:
        row = con.execute("SELECT value FROM warehouse_meta WHERE key = 'dataset'").fetchone()
        return row[0] if row else None
    finally:
        con.close()


@pytest.fixture()
def demo_db(demo_file, tmp_path):
    path = tmp_path / "social.duckdb"
    shutil.copyfile(demo_file, path)
    return path


def clean_env(tmp_path) -> dict[str, str]:
    """The environment of a new user: no credentials, no secrets file, no SOCIAL_* settings."""
    env = {k: v for k, v in os.environ.items()
           if k not in (*CREDENTIALS, "ALERTS_WEBHOOK_URL") and not k.startswith("SOCIAL_")}
    env["SOCIAL_SECRETS"] = str(tmp_path / "no-secrets.toml")
    return env


def connectors(env, *args):
    return subprocess.run([sys.executable, "-m", "connectors", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def test_readme_first_use_path_keeps_the_demo(tmp_path):
    env = clean_env(tmp_path)
    db = str(tmp_path / "social.duckdb")

    # 1. the demo
    built = connectors(env, "demo", "--db", db)
    assert built.returncode == 0, built.stderr
    demo_counts, before = counts(db), fingerprint(db)
    assert dataset(db) == "demo" and demo_counts["posts"] > 0

    # 2. one's own configuration (the example, copied); 3. a refresh with no credentials and
    # no network: Mastodon and Bluesky fail (refused connections), the other five are skipped
    dead = f"http://127.0.0.1:{closed_port()}"
    config = own_config(tmp_path / "config.toml", dead, dead)
    ran = connectors(env, "refresh", "--config", config, "--db", db)
    out = ran.stdout
    assert ran.returncode == 1, out + ran.stderr           # accounts failed: exit 1 all the same
    assert "Nothing was written: no account brought any data" in out, out
    assert "9 accounts failed" in out and "5 platforms skipped, without credentials" in out, out
    assert "still holds the demo data set" in out, out
    assert "demo data set: real data arrived" not in out and "the rest is written" not in out, out
    assert "accounts failed and nothing was written" in out, out

    # the warehouse is exactly as it was: same bytes, same file, still the demo
    assert fingerprint(db) == before
    assert counts(db) == demo_counts and dataset(db) == "demo"

    # 4. the demo can still be built (and is), and status still says demo data
    again = connectors(env, "demo", "--db", db)
    assert again.returncode == 0, again.stderr
    assert counts(db)["posts"] == demo_counts["posts"] and dataset(db) == "demo"
    status = connectors(env, "status", "--db", db)
    assert status.returncode == 0 and "(demo data)" in status.stdout


def test_one_account_with_data_replaces_the_demo(demo_db, tmp_path, monkeypatch, capsys):
    with FakePlatforms() as fake:
        # only Northwind's Mastodon account answers (a follower count, no posts); the other
        # Mastodon accounts are not found and Bluesky refuses connections
        fake.mastodon_account("northwind@mastodon.social", "9001", 1234)
        config = own_config(tmp_path / "config.toml", fake.base("mastodon"), f"http://127.0.0.1:{closed_port()}")
        for name in (*CREDENTIALS, "ALERTS_WEBHOOK_URL"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("SOCIAL_SECRETS", str(tmp_path / "no-secrets.toml"))
        code = cli.main(["refresh", "--only", "mastodon", "--config", config, "--db", str(demo_db), "--no-alerts"])
    out = capsys.readouterr().out
    assert code == 1, out
    assert "The warehouse held the demo data set: real data arrived, so the demo was cleared" in out, out
    assert "Nothing was written" not in out
    assert dataset(demo_db) == "real"
    con = duckdb.connect(str(demo_db), read_only=True)
    try:
        assert con.execute("SELECT account_id, followers FROM account_daily").fetchall() == [
            ("mastodon:northwind@mastodon.social", 1234)]
        assert con.execute("SELECT count(*) FROM posts").fetchone()[0] == 0          # the demo's are gone
        assert con.execute("SELECT count(*) FROM interactions").fetchone()[0] == 0
        assert con.execute("SELECT connector, status, rows_written FROM connector_runs").fetchall() == [
            ("mastodon", "partial", 1)]
        # the configuration's accounts replaced the demo's (which has generated employees too)
        assert con.execute("SELECT count(*) FROM accounts").fetchone()[0] == len(configured_accounts(config_of(config)))
    finally:
        con.close()


def test_only_skipped_platforms_change_nothing_and_exit_0(demo_db, tmp_path):
    before, demo_counts = fingerprint(demo_db), counts(demo_db)
    out = io.StringIO()
    config = config_of(own_config(tmp_path / "c.toml", "http://127.0.0.1:1", "http://127.0.0.1:1"))
    report = refresh(config, str(demo_db), only=["x", "youtube"], credentials={},
                     console=Console(file=out, width=200))
    text = out.getvalue()
    assert report.exit_code == 0 and report.written == "nothing" and report.kept == "demo"
    assert "Nothing was written: no account brought any data (2 platforms skipped, without credentials: x, " \
           "youtube)" in text, text
    assert "Done in" in text and "nothing was written" in text and "all connectors succeeded" not in text
    assert fingerprint(demo_db) == before and counts(demo_db) == demo_counts


def test_a_failed_first_refresh_creates_no_warehouse(tmp_path):
    db = tmp_path / "social.duckdb"
    dead = f"http://127.0.0.1:{closed_port()}"
    config = config_of(own_config(tmp_path / "c.toml", dead, dead))
    out = io.StringIO()
    report = refresh(config, str(db), only=["mastodon"], credentials={}, retries=0, backoff=0.01,
                     console=Console(file=out, width=200))
    assert report.exit_code == 1 and report.kept == "missing"
    assert "No warehouse file was created." in out.getvalue()
    assert not db.exists()


def test_a_failed_refresh_of_real_data_records_only_the_attempt(tmp_path):
    """Real data already there: the failure is recorded (Data health and "a later refresh
    failed" rely on it), the data and the configuration's tables are untouched."""
    db = tmp_path / "social.duckdb"
    with FakePlatforms() as fake:
        fake.mastodon_account("northwind@mastodon.social", "9001", 1234)
        config = config_of(own_config(tmp_path / "c.toml", fake.base("mastodon"), "http://127.0.0.1:1"))
        first = refresh(config, str(db), only=["mastodon"], credentials={}, retries=0, backoff=0.01,
                        console=Console(file=io.StringIO()))
        assert first.written == "data"
        data_before = {t: n for t, n in counts(db).items() if t not in ("connector_runs", "warehouse_meta")}
        con = duckdb.connect(str(db), read_only=True)
        rows_before = con.execute("SELECT * FROM account_daily").fetchall()
        con.close()
        fake.m_accounts.clear()  # now every account is "not found"
        out = io.StringIO()
        second = refresh(config, str(db), only=["mastodon"], credentials={}, retries=0, backoff=0.01,
                         console=Console(file=out, width=200))
    text = out.getvalue()
    assert second.exit_code == 1 and second.written == "attempt"
    assert "No data arrived: no account brought any (4 accounts failed)." in text, text
    assert "only this attempt was recorded" in text and "accounts failed and no data arrived" in text
    after = counts(db)
    assert {t: n for t, n in after.items() if t not in ("connector_runs", "warehouse_meta")} == data_before
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT * FROM account_daily").fetchall() == rows_before
        assert con.execute("SELECT status FROM connector_runs ORDER BY started_at").fetchall() == [
            ("partial",), ("failed",)]
        assert con.execute("SELECT last_status FROM connector_state WHERE account_id = "
                           "'mastodon:northwind@mastodon.social'").fetchone() == ("failed",)
    finally:
        con.close()


def test_demo_on_real_data_says_how_to_have_the_demo_beside_it(tmp_path):
    env = clean_env(tmp_path)
    db = tmp_path / "social.duckdb"
    with warehouse.writing(str(db)) as con:
        con.execute("INSERT INTO account_daily VALUES ('mastodon:a@b.c', DATE '2026-01-01', 10)")
    before = fingerprint(db)
    refused = connectors(env, "demo", "--db", str(db))
    assert refused.returncode == 2
    err = refused.stderr
    other = str(tmp_path / "demo.duckdb")
    assert "holds real data" in err and "nothing was changed" in err
    assert f"python -m connectors demo --db {other}" in err, err
    assert f"SOCIAL_DB={other} streamlit run dashboard.py" in err, err
    assert "Building" not in refused.stdout
    assert fingerprint(db) == before
    # the advice works: the demo is built beside the real data, which stays as it was
    built = connectors(env, "demo", "--db", other)
    assert built.returncode == 0, built.stderr
    assert f"Open the dashboard on it: SOCIAL_DB={other} streamlit run dashboard.py" in built.stdout
    assert dataset(other) == "demo" and fingerprint(db) == before
