"""Running the real dashboard for browser tests: `streamlit run` on a free port, and
Playwright driving Debian's Chromium (Playwright cannot download browsers here)."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

import requests

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        raise RuntimeError("Debian's chromium is not installed: apt-get install chromium (see .ci/run)")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def dashboard(db: str, *, config: str | None = None, extra_env: dict | None = None, timeout: float = 60) -> Iterator[str]:
    """Serve dashboard.py on loopback with the given warehouse; yields the base URL."""
    port = free_port()
    env = {**os.environ, "SOCIAL_DB": db, "SOCIAL_CONFIG": config or str(Path(db).with_suffix(".absent.toml")),
           **(extra_env or {})}
    args = [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.headless", "true",
            "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
            "--server.fileWatcherType", "none"]
    url = f"http://127.0.0.1:{port}"
    with serving(args, url + "/_stcore/health", Path(db).with_suffix(f".streamlit-{port}.log"),
                 timeout=timeout, env=env):
        yield url


@contextlib.contextmanager
def serving(args: list[str], ready_url: str, log_path: Path, *, timeout: float, env: dict | None = None) -> Iterator[None]:
    """Run a server process (output to ``log_path``) until the block ends, from the moment
    ``ready_url`` answers; a process that exits or stays silent names its log."""
    with open(log_path, "w") as log:
        proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.time() + timeout
            while True:
                try:
                    if requests.get(ready_url, timeout=2).ok:
                        break
                except requests.ConnectionError:
                    pass
                if proc.poll() is not None or time.time() > deadline:
                    raise RuntimeError(f"{' '.join(args[1:3])} did not start: see {log_path}")
                time.sleep(0.2)
            yield
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        log.close()


@contextlib.contextmanager
def browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        try:
            yield b
        finally:
            b.close()


def open_page(where, url: str, *, viewport: dict | None = None):
    """A new page at ``url``, drawn: in ``where``, a browser context, or a context of its own
    when ``where`` is the browser. ``page.errors`` collects its script errors and
    ``page.dialogs`` every dialog it opens (each dismissed)."""
    page = where.new_page(viewport=viewport) if viewport else where.new_page()
    page.errors, page.dialogs = [], []

    def on_dialog(dialog):
        page.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    page.goto(url)
    wait_until_idle(page)
    return page


def wait_until_idle(page, timeout_ms: int = 60000) -> None:
    """Wait for the script run to finish and the page to be drawn."""
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout_ms)
    page.wait_for_selector("[data-testid='stMain']", timeout=timeout_ms)


def exceptions(page) -> list[str]:
    return [e.inner_text() for e in page.query_selector_all("[data-testid='stException']")]
