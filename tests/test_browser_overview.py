"""The overview in a real browser: Chromium against `streamlit run dashboard.py`."""

import re

import pytest

from tests import browser


@pytest.fixture(scope="module")
def served(fixture_db):
    with browser.dashboard(fixture_db) as url:
        yield url


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


def test_a_deep_link_to_a_page_on_a_fresh_server_opens_that_page(fixture_db, chromium):
    # Regression: a new server's first session landed on the overview ("Page not found").
    with browser.dashboard(fixture_db) as fresh:
        page = chromium.new_page()
        page.goto(fresh + "/competitors?start=2026-01-05&end=2026-01-11&orgs=acme,rival")
        browser.wait_until_idle(page)
        page.get_by_role("heading", name="Competitors").first.wait_for()
        text = page.inner_text("body")
        assert "Page not found" not in text and "Where we stand" not in text
        assert "/competitors" in page.url and "orgs=acme%2Crival" in page.url.replace(",", "%2C")
        assert browser.exceptions(page) == []
        page.close()


# --- Issue 12: the audience chart and the side-by-side table fit the window ---------------------------------

CHART_GEOMETRY = """() => {
    const svg = document.querySelector('.js-plotly-plot .main-svg').getBoundingClientRect();
    const plot = document.querySelector('.js-plotly-plot .nsewdrag').getBoundingClientRect();
    const legend = document.querySelector('.js-plotly-plot .legend').getBoundingClientRect();
    // Plotly hides (display: none) a date that would not fit at an edge: only those shown count
    const ticks = [...document.querySelectorAll('.js-plotly-plot .xtick text')]
        .filter(t => getComputedStyle(t).display !== 'none').map(t => {
        const b = t.getBoundingClientRect();
        return {text: t.textContent, inside: b.left >= svg.left && b.right <= svg.right && b.bottom <= svg.bottom,
                belowPlot: b.top >= plot.bottom};
    });
    return {ticks, legendBottom: legend.bottom, plotTop: plot.top, legendRight: legend.right, svgRight: svg.right};
}"""
TABLE_SCROLL = """() => [...document.querySelectorAll('[data-testid=stDataFrame] .dvn-scroller')]
    .map(e => ({wide: e.scrollWidth, shown: e.clientWidth, tall: e.scrollHeight, high: e.clientHeight}))"""


@pytest.mark.parametrize("width", [1400, 1100])
def test_the_audience_chart_has_whole_labels_and_a_legend_clear_of_them(served, chromium, width):
    page = chromium.new_page(viewport={"width": width, "height": 1000})
    page.goto(served + "/?start=2026-01-05&end=2026-01-11")
    browser.wait_until_idle(page)
    page.wait_for_selector(".js-plotly-plot .xtick text")
    chart = page.evaluate(CHART_GEOMETRY)
    assert len(chart["ticks"]) >= 3, chart  # days of 5–11 Jan
    assert chart["ticks"][-1]["text"] == "11 Jan 2026"  # the right margin leaves room for the last day
    for tick in chart["ticks"]:
        # every date whole, with its year ("07 Jan 2026", not "Jan 7" with "2026" cut off), below the plot
        assert re.fullmatch(r"\d\d [A-Z][a-z]{2} 2026", tick["text"]), tick
        assert tick["inside"] and tick["belowPlot"], tick
    # the legend above the plot, never over the lines or the dates, and inside the chart
    assert chart["legendBottom"] <= chart["plotTop"] and chart["legendRight"] <= chart["svgRight"]
    page.close()


def test_the_side_by_side_table_shows_every_column_at_1400_px(served, chromium):
    page = chromium.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(served + "/?start=2026-01-05&end=2026-01-11")
    browser.wait_until_idle(page)
    page.wait_for_selector("[data-testid=stDataFrame] .dvn-scroller")
    side = page.evaluate(TABLE_SCROLL)[0]  # the first table of the page: side by side
    assert side["wide"] <= side["shown"], side  # no horizontal scroll hides a column (SLA)
    assert side["tall"] <= side["high"], side   # nor a vertical one a row
    page.close()


def test_an_empty_period_in_the_browser(served, chromium):
    page = chromium.new_page()
    page.goto(served + "/?start=2020-01-01&end=2020-01-31")
    browser.wait_until_idle(page)
    page.get_by_text("No data for 01 Jan 2020 – 31 Jan 2020").wait_for()
    text = page.inner_text("[data-testid='stMain']")
    assert "the warehouse's data starts on 01 Jan 2026" in text
    assert page.query_selector_all(".js-plotly-plot") == [] and page.query_selector_all("[data-testid='stMetric']") == []
    for bad in ("None", "nan", "NaT", "Rank "):
        assert not re.search(rf"\b{bad}", text), bad
    assert browser.exceptions(page) == []
    page.close()
