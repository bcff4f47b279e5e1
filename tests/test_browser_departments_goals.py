"""The Departments and Goals pages in a real browser: Chromium against `streamlit run
dashboard.py` on tests/fixture_departments.py (days counted in New York)."""

import pytest

from tests import browser, fixture_departments

WEEK = "start=2026-01-05&end=2026-01-11"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("browser-departments")
    db = fixture_departments.build(str(folder / "w.duckdb"))
    config = folder / "config.toml"
    config.write_text(fixture_departments.CONFIG_TOML)
    with browser.dashboard(db, config=str(config)) as url:
        yield url


def open_page(chromium, url):
    page = browser.open_page(chromium, url, viewport={"width": 1400, "height": 1600})
    return page, page.errors + page.dialogs


def test_the_departments_page_renders_with_no_exception(served, chromium):
    # A new server's very first request runs in Streamlit's legacy pages/ mode, which does not
    # know the page URLs of st.navigation yet: start from the main page, as a first visitor does.
    first, _ = open_page(chromium, served + "/?" + WEEK)
    first.close()
    page, errors = open_page(chromium, served + "/departments?" + WEEK)
    page.wait_for_selector("[data-testid='stMetric']")
    page.wait_for_selector("[data-testid='stPlotlyChart']")
    assert browser.exceptions(page) == []
    assert errors == []
    text = page.inner_text("[data-testid='stMain']")
    assert "Departments" in text and "Who contributes what" in text and "Employee advocacy" in text
    cards = [m.inner_text() for m in page.query_selector_all("[data-testid='stMetric']")]
    assert any("Co-op index" in c and "53" in c for c in cards)
    assert any("Organisation model" in c and "Dandelion" in c for c in cards)
    assert "Customer Service would have to fall below 35 % (now 72.7 %)" in text
    assert len(page.query_selector_all("[data-testid='stPlotlyChart']")) == 2
    assert "departments" in page.url and "start=2026-01-05" in page.url
    page.close()


def test_the_goals_page_renders_and_keeps_the_chosen_goal_in_the_link(served, chromium):
    first, _ = open_page(chromium, served + "/?" + WEEK)
    first.close()
    page, errors = open_page(chromium, served + "/goals?goal=growth&" + WEEK)
    page.wait_for_selector("[data-testid='stPlotlyChart']")
    assert browser.exceptions(page) == []
    assert errors == []
    text = page.inner_text("[data-testid='stMain']")
    assert "Shared goals" in text and "Against the target" in text
    cards = [m.inner_text() for m in page.query_selector_all("[data-testid='stMetric']")]
    assert len(cards) == 5
    off_track = next(c for c in cards if "Off track" in c)
    assert off_track.split("\n")[-1].strip() == "8"
    assert "Off track: 400 against a target of 500, progress 80%, 100% of the period elapsed." in text
    assert "goal=growth" in page.url
    page.close()


# Every table as drawn: its scroller no wider than what shows (no column hidden behind a scroll).
WIDTHS = """() => [...document.querySelectorAll("[data-testid='stDataFrame'] .dvn-scroller")]
                  .map(s => [s.scrollWidth, s.clientWidth])"""


@pytest.mark.parametrize("path", ["/departments", "/goals"])
def test_every_column_is_visible_at_1400_pixels(served, chromium, path):
    first, _ = open_page(chromium, served + "/?" + WEEK)
    first.close()
    page, errors = open_page(chromium, served + path + "?" + WEEK)
    page.wait_for_selector("[data-testid='stDataFrame'] .dvn-scroller")
    for summary in page.query_selector_all("[data-testid='stExpander'] summary"):
        summary.click()  # the people's table too
    page.wait_for_timeout(1000)
    widths = page.evaluate(WIDTHS)
    assert len(widths) == (4 if path == "/departments" else 1)
    assert all(scroll <= client for scroll, client in widths), widths
    assert errors == [] and browser.exceptions(page) == []
    page.close()
