"""The overview in a real browser: Chromium against `streamlit run dashboard.py`."""

import pytest

from tests import browser, fixture_warehouse


@pytest.fixture(scope="module")
def served(fixture_db):
    with browser.dashboard(fixture_db) as url:
        yield url


@pytest.fixture(scope="module")
def chromium():
    with browser.browser() as b:
        yield b


def test_the_overview_renders_with_no_exception(served, chromium):
    page = chromium.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(served + "/?start=2026-01-05&end=2026-01-11")
    browser.wait_until_idle(page)
    page.wait_for_selector("[data-testid='stMetric']")
    assert browser.exceptions(page) == []
    assert errors == []
    metrics = page.query_selector_all("[data-testid='stMetric']")
    assert len(metrics) == 8
    text = page.inner_text("[data-testid='stMain']")
    assert "Where we stand" in text
    audience = page.query_selector("[data-testid='stMetric']").inner_text()
    assert "Audience" in audience and "2,200" in audience  # the fixture's hand-computed audience
    assert "Trails on audience" in text
    page.close()


def test_a_mangled_link_shows_a_notice_not_an_error(served, chromium):
    page = chromium.new_page()
    page.goto(served + "/?start=2026-99-01&end=2026-01-11&platforms=x,%3Cscript%3Ealert(1)%3C/script%3E")
    browser.wait_until_idle(page)
    page.wait_for_selector("[data-testid='stAlert']")
    text = page.inner_text("[data-testid='stMain']")
    assert "Ignored the period in the link" in text
    assert "Ignored 1 platform" in text
    assert browser.exceptions(page) == []
    # the URL now carries the view actually shown, without the unknown values
    assert "script" not in page.url and "platforms=x" in page.url
    page.close()


def test_the_first_filter_change_keeps_the_view_and_writes_the_link(fixture_db, chromium):
    # Regression: the first click of a new server's first session used to reset every filter,
    # so this test needs a server of its own.
    with browser.dashboard(fixture_db) as fresh:
        _change_platform_filter(fresh, chromium)


def _change_platform_filter(served, chromium):
    page = chromium.new_page()
    page.goto(served + "/?start=2026-01-05&end=2026-01-11")
    browser.wait_until_idle(page)
    page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").first.locator("input").click()
    page.get_by_role("option", name="Bluesky").click()
    page.keyboard.press("Escape")
    page.wait_for_url("**platforms=bluesky**")
    browser.wait_until_idle(page)
    assert "start=2026-01-05" in page.url and "end=2026-01-11" in page.url
    page.wait_for_function(
        "() => document.querySelector(\"[data-testid='stMetric']\").innerText.includes('700')")
    assert browser.exceptions(page) == []
    page.close()
