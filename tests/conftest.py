import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import fixture_warehouse  # noqa: E402


@pytest.fixture(scope="session")
def fixture_db(tmp_path_factory) -> str:
    """The hand-computed fixture warehouse (read-only by convention)."""
    return fixture_warehouse.build(str(tmp_path_factory.mktemp("fixture") / "fixture.duckdb"))


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory):
    """One small demo warehouse for the whole run; a test that changes it copies it first."""
    from connectors.demo import build_demo
    from socialdash import warehouse

    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    with warehouse.writing(str(path)) as con:
        build_demo(con)
    return path


@pytest.fixture(scope="session")
def _chromium_process():
    from tests import browser

    with browser.browser() as b:
        yield b


@pytest.fixture()
def chromium(_chromium_process):
    """Debian's Chromium driven by Playwright (tests/browser.py), one process for the whole run.
    The pages a test opens are closed after it: a Streamlit page left open keeps trying to
    reconnect to its stopped server, taking the CPU from the tests that follow."""
    before = list(_chromium_process.contexts)
    yield _chromium_process
    for context in _chromium_process.contexts:
        if not any(context is b for b in before):
            context.close()
