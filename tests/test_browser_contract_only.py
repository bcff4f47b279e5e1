"""A warehouse holding only the contract's tables (tests/fixture_contract_only.py), in Chromium:
every page opens with no exception, and none reads "None", "nan" or "NaT"."""

import re

import pytest

from tests import browser, fixture_contract_only

# The overview is the default page: its address is the root (/overview is "page not found").
PAGES = ("", "competitors", "response_times", "departments", "goals", "data_health")
MISSING = re.compile(r"\b(None(?! of\b)|nan|NaN|NaT)\b|<NA>")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    db = fixture_contract_only.build(str(tmp_path_factory.mktemp("contract-browser") / "contract.duckdb"))
    with browser.dashboard(db) as url:
        yield url


def test_every_page_opens(served, chromium):
    context = chromium.new_context(viewport={"width": 1400, "height": 1200})
    page = browser.open_page(context, served + "/")  # a new server's first visitor starts at the root
    page.wait_for_selector("[data-testid='stMetric']", timeout=60000)
    page.close()
    for name in PAGES:
        page = browser.open_page(context, f"{served}/{name}")
        page.wait_for_selector("[data-testid='stMain'] h1", timeout=60000)
        browser.wait_until_idle(page)
        assert browser.exceptions(page) == [], name
        assert page.errors == [], name
        text = page.inner_text("[data-testid='stMain']")
        assert "does not exist" not in text and not MISSING.search(text), (name, MISSING.findall(text))
        assert page.query_selector("[role='dialog']") is None, name  # no "Page not found"
        page.close()
    context.close()
