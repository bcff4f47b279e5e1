"""The Data health page in a real browser: Chromium against `streamlit run dashboard.py`, on
tests/fixture_data_health.py (figures worked out there by hand)."""

import pytest

from tests import browser, fixture_data_health


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    db = fixture_data_health.build(str(tmp_path_factory.mktemp("dh-browser") / "dh.duckdb"))
    with browser.dashboard(db) as url:
        yield url


def test_reached_from_the_navigation_with_no_exception(served, chromium):
    page = chromium.new_page(viewport={"width": 1400, "height": 1200})
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(served + "/")
    browser.wait_until_idle(page)
    page.wait_for_selector("[data-testid='stMetric']", timeout=60000)  # the overview is drawn
    browser.wait_until_idle(page)
    page.get_by_role("link", name="Data health").click()
    page.wait_for_url("**/data_health**", timeout=60000)
    browser.wait_until_idle(page)
    page.get_by_role("heading", name="Data health").wait_for()
    page.wait_for_selector("[data-testid='stDataFrame']")
    assert browser.exceptions(page) == []
    assert errors == []
    text = page.inner_text("[data-testid='stMain']")
    assert "Last run per connector" in text and "Freshness per account" in text and "Coverage" in text
    assert "2 of 3" in text and "2 of 5" in text  # connectors needing attention, stale accounts
    page.close()


def test_a_link_to_the_stale_accounts(served, chromium):
    page = chromium.new_page(viewport={"width": 1400, "height": 1200})
    page.goto(served + "/data_health?stale=1")
    browser.wait_until_idle(page)
    page.get_by_role("heading", name="Data health").wait_for()
    assert browser.exceptions(page) == []
    assert page.get_by_role("switch", name="Only stale accounts").is_checked()
    assert "stale=1" in page.url
    page.close()
