"""Safety under load: the real server (`streamlit run dashboard.py`) with several browser
sessions on several pages at once,

- while `python -m connectors demo` rewrites the warehouse again and again: no session
  sees an error, and the new data shows;
- after a writer is killed with SIGKILL in the middle of its write: the previous data is
  still read, the pages still work, and the next writer succeeds;
- when the sessions arrive in the same instant on a server that has just started.

(tests/test_browser_refresh.py follows one session on one page through rewrites, and
tests/test_warehouse.py the warehouse's own promises; these are the many-session version.)
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from socialdash import warehouse
from tests import browser
from tests.browser import ROOT

CONFIG = str(ROOT / "data" / "config.example.toml")
# The pages each session keeps loading, and what each shows first.
PAGES = {"overview": "Where we stand", "competitors": "Competitors", "response_times": "Response times",
         "departments": "Departments"}
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


def demo(db: str, seed: int) -> None:
    subprocess.run([sys.executable, "-m", "connectors", "demo", "--seed", str(seed), "--db", db],
                   cwd=ROOT, check=True, capture_output=True, timeout=300)


class Session:
    """One browser session (its own context: cookies, Streamlit session) on one page."""

    def __init__(self, chromium, url: str, page: str) -> None:
        # the default page (the overview) lives at the root: /overview answers "page not found"
        self.url, self.page = f"{url}/{'' if page == 'overview' else page}", page
        self.tab = chromium.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        self.errors: list[str] = []
        self.tab.on("pageerror", lambda exc: self.errors.append(f"{page}: {exc}"))

    def start(self) -> None:
        self.tab.goto(self.url, wait_until="commit")

    def finish(self) -> str:
        """Wait for the run to end; the numbers of the page's metric cards (its figures),
        "" with the error noted when the page shows an exception instead."""
        self.tab.wait_for_selector(IDLE, timeout=120_000)
        shown = [e.inner_text() for e in self.tab.query_selector_all("[data-testid='stException']")]
        if shown:
            self.errors += [f"{self.page}: {e}" for e in shown]
            return ""
        self.tab.get_by_role("heading", name=PAGES[self.page]).first.wait_for(timeout=30_000)
        self.tab.wait_for_selector("[data-testid='stMetricValue']", timeout=30_000)
        return " | ".join(m.inner_text() for m in self.tab.query_selector_all("[data-testid='stMetricValue']"))


def load_all(sessions: list[Session]) -> dict[str, str]:
    """Every session loads its page at the same time; their figures once all are drawn."""
    for s in sessions:
        s.start()
    return {s.page: s.finish() for s in sessions}


def first_visit(chromium, url: str) -> None:
    """One session before the others: a new server's first script run is Streamlit's legacy
    multipage mode (socialdash.ui._leave_legacy_multipage_mode); the last test covers
    sessions arriving during it."""
    s = Session(chromium, url, "overview")
    load_all([s])
    s.tab.context.close()


@pytest.fixture()
def served(tmp_path, chromium):
    db = str(tmp_path / "social.duckdb")
    demo(db, seed=1)
    with browser.dashboard(db, config=CONFIG) as url:
        yield db, url, chromium


def test_sessions_see_no_error_while_the_warehouse_is_rewritten_and_new_data_shows(served):
    db, url, chromium = served
    first_visit(chromium, url)
    sessions = [Session(chromium, url, page) for page in PAGES]
    before = load_all(sessions)
    assert all(before.values()), (before, [e for s in sessions for e in s.errors])  # every page shows its figures
    writer = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import subprocess, sys
            for seed in (2, 3, 4):
                subprocess.run([sys.executable, "-m", "connectors", "demo", "--seed", str(seed), "--db", {db!r}],
                               check=True)
        """)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    rounds, versions = 0, {warehouse.data_version(db)}
    try:
        while writer.poll() is None and rounds < 100:
            load_all(sessions)  # four pages rerun at once, against whichever file is live
            versions.add(warehouse.data_version(db))
            rounds += 1
    finally:
        assert writer.wait(timeout=300) == 0, writer.stderr.read()
    after = load_all(sessions)
    assert [e for s in sessions for e in s.errors] == []
    assert rounds >= 2 and len(versions) >= 2  # the pages were loaded while the file changed
    # seed 4's data, not seed 1's, on every page, without a restart
    assert all(after[page] != before[page] for page in PAGES), (before, after)
    assert warehouse.query("SELECT value FROM warehouse_meta WHERE key = 'demo_seed'", loc=db).value[0] == "4"


def test_a_writer_killed_midway_leaves_the_data_readable_and_the_dashboard_working(served, tmp_path):
    db, url, chromium = served
    first_visit(chromium, url)
    sessions = [Session(chromium, url, page) for page in PAGES]
    before = load_all(sessions)
    version = warehouse.data_version(db)
    # A writer that has rewritten its private copy with other data (seed 5), then stops
    # inside warehouse.writing(), before the copy replaces the live file: killed there.
    writer = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, time
            sys.path.insert(0, {str(ROOT)!r})
            from connectors.demo import build_demo
            from socialdash import warehouse
            with warehouse.writing({db!r}) as con:
                build_demo(con, seed=5)
                print("midway", flush=True)
                time.sleep(120)
        """)],
        cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert writer.stdout.readline().strip() == "midway"
    os.kill(writer.pid, signal.SIGKILL)
    assert writer.wait(timeout=30) == -signal.SIGKILL
    assert list(Path(db).parent.glob(Path(db).name + ".writing-*"))  # killed with its copy half done
    # the live file is the one before the writer, and the server reads it as before
    assert warehouse.data_version(db) == version
    assert warehouse.query("SELECT value FROM warehouse_meta WHERE key = 'demo_seed'", loc=db).value[0] == "1"
    again = load_all(sessions)
    assert [e for s in sessions for e in s.errors] == []
    # the same figures (the overview's and response times' also count "pending" against the
    # present minute, so only these two are compared to the digit)
    assert all(again.values()) and [again[p] for p in ("competitors", "departments")] == \
        [before[p] for p in ("competitors", "departments")]
    # a new reader (no cache) still reads it whole
    fresh = warehouse.open_warehouse(db)
    assert fresh.execute("SELECT count(*) FROM organizations").fetchone()[0] == 5
    fresh.close()
    # the next writer is not blocked by the dead one's lock, and clears its leftovers
    started = time.monotonic()
    demo(db, seed=6)
    assert time.monotonic() - started < 120
    assert not list(Path(db).parent.glob(Path(db).name + ".writing-*"))
    after = load_all(sessions)
    assert [e for s in sessions for e in s.errors] == []
    assert all(after[page] != before[page] for page in PAGES), (before, after)


def test_sessions_arriving_at_once_on_a_new_server_see_no_error(tmp_path, chromium):
    """Many executives open the dashboard right after it (re)starts: every session's first
    run, whether or not it began in Streamlit's legacy multipage mode, shows its page."""
    db = str(tmp_path / "social.duckdb")
    demo(db, seed=1)
    with browser.dashboard(db, config=CONFIG) as url:
        # eight sessions, two on each page, all racing the server's first script run
        sessions = [Session(chromium, url, page) for page in PAGES for _ in range(2)]
        for s in sessions:
            s.start()
        figures = [s.finish() for s in sessions]
        assert [e for s in sessions for e in s.errors] == []
        assert all(figures)
