"""A dashboard kept open while `python -m connectors demo` rewrites the warehouse:
no session sees an error, and the new data shows without a restart."""

import re
import subprocess
import sys

from tests import browser
from tests.browser import ROOT


def demo(db: str, seed: int) -> None:
    subprocess.run([sys.executable, "-m", "connectors", "demo", "--seed", str(seed), "--db", db],
                   cwd=ROOT, check=True, capture_output=True, timeout=300)


def audience(page) -> str:
    return page.locator("[data-testid='stMetric']").first.inner_text()


def test_rewrites_while_the_dashboard_is_open(tmp_path, chromium):
    db = str(tmp_path / "social.duckdb")
    demo(db, seed=1)
    with browser.dashboard(db, config=str(ROOT / "data" / "config.example.toml")) as url:
        page = chromium.new_page()
        page.goto(url + "/")
        browser.wait_until_idle(page)
        first = audience(page)
        seen = {first}
        # Rewrite the warehouse in the background while the page keeps rerunning.
        writer = subprocess.Popen(
            [sys.executable, "-c",
             "import subprocess, sys\n"
             "for seed in (2, 3, 4):\n"
             f"    subprocess.run([sys.executable, '-m', 'connectors', 'demo', '--seed', str(seed), '--db', {db!r}], check=True)\n"],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        reruns = 0
        while writer.poll() is None and reruns < 200:
            page.reload()
            browser.wait_until_idle(page)
            assert browser.exceptions(page) == [], "a reader saw an error during a rewrite"
            assert re.search(r"\d", audience(page))
            seen.add(audience(page))
            reruns += 1
        assert writer.wait(timeout=300) == 0, writer.stderr.read()
        page.reload()
        browser.wait_until_idle(page)
        assert browser.exceptions(page) == []
        last = audience(page)
        assert reruns >= 2
        assert last != first, "the new data did not show without a restart"
