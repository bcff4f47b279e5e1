"""The Competitors page in a real browser: Chromium against `streamlit run dashboard.py`, on
tests/fixture_benchmark.py with Contoso renamed to markup, to check that names and post
texts from the warehouse are shown as text."""

import pytest

from tests import browser, fixture_benchmark

QUERY = f"?start={fixture_benchmark.START}&end={fixture_benchmark.END}"
NASTY = "Contoso **Bold** [link](javascript:alert(1)) <img src=x onerror=alert(2)>"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    db = fixture_benchmark.build(str(tmp_path_factory.mktemp("competitors-browser") / "bench.duckdb"),
                                 names={"contoso": NASTY})
    with browser.dashboard(db) as url:
        yield url


def open_page(chromium, url: str):
    page = browser.open_page(chromium, url, viewport={"width": 1400, "height": 1200})
    return page, page.errors + page.dialogs


def test_reached_from_the_navigation_with_no_exception(served, chromium):
    page, problems = open_page(chromium, served + "/" + QUERY)
    # the overview's rank changes, with a link to this page
    page.get_by_text("Passed by a competitor (6)").wait_for()
    page.get_by_role("link", name="Competitors").first.click()
    page.wait_for_url("**/competitors?**")
    browser.wait_until_idle(page)
    page.get_by_role("heading", name="Competitors").first.wait_for()
    page.wait_for_selector("[data-testid='stPlotlyChart']")
    assert browser.exceptions(page) == []
    assert "start=2026-03-02" in page.url and "platform=all" in page.url
    likes = page.locator("[data-testid='stMetric']", has_text="Likes").first.inner_text()
    assert "150" in likes   # 80 + 40 + 10 + 20
    assert len(page.query_selector_all("[data-testid='stPlotlyChart']")) >= 5
    assert problems == []
    page.close()


def test_a_shared_link_opens_one_platform_and_shows_names_as_text(served, chromium):
    page, problems = open_page(chromium, served + "/competitors" + QUERY + "&platform=x&metric=likes")
    page.get_by_role("heading", name="Competitors").first.wait_for()
    page.wait_for_selector("[data-testid='stPlotlyChart']")
    page.wait_for_timeout(1500)  # let the charts draw
    assert browser.exceptions(page) == []
    assert "platform=x" in page.url and "metric=likes" in page.url
    text = page.inner_text("[data-testid='stMain']")
    assert "Northwind on X" in text
    # the name is shown as written: its markdown is not rendered, its HTML not parsed
    assert f"{NASTY} passed Northwind on likes on X: 100 against 80" in text
    assert page.locator("[data-testid='stMain'] a[href^='javascript']").count() == 0
    assert page.locator("[data-testid='stMain'] img[src='x']").count() == 0
    assert page.locator("[data-testid='stMarkdownContainer'] strong", has_text="Bold").count() == 0
    assert problems == []
    page.close()


# Every table's columns, however many, within the page at 1,400 px (issue 12): none hidden
# behind a horizontal scroll (the rank table's averages and notes, the top posts' rates were).
TABLE_WIDTHS = """[...document.querySelectorAll('[data-testid=stDataFrame] .dvn-scroller')]
                  .map(e => [e.scrollWidth, e.clientWidth])"""


def test_every_table_fits_the_page_at_1400_px(served, chromium):
    page, problems = open_page(chromium, served + "/competitors" + QUERY)
    page.wait_for_selector("[data-testid='stDataFrame']")
    page.wait_for_timeout(1500)
    widths = page.evaluate(TABLE_WIDTHS)
    assert len(widths) >= 3   # the rank table, top posts (with video views), coverage
    assert all(scroll <= client + 1 for scroll, client in widths), widths
    assert problems == []
    page.close()
