"""Meetings in a real browser (Chromium against `streamlit run dashboard.py`), as a team would
use them: copy the link into a new browser, keep the filters from page to page, save a view
by name, present in meeting mode, download the tables, the charts and the brief, and find
the same numbers in the brief opened offline. On tests/fixture_meeting.py (New York zone)."""

import csv
import io
import re
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import openpyxl
import pypdf
import pytest

from tests import browser, fixture_meeting

PERIOD = "start=2026-01-05&end=2026-01-11"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("meeting-browser")
    db = fixture_meeting.build(str(folder / "meeting.duckdb"), hostile=True)
    config = folder / "config.toml"
    config.write_text(fixture_meeting.CONFIG)
    with browser.dashboard(db, config=str(config), extra_env={"SOCIAL_VIEWS": str(folder / "views.sqlite")}) as url:
        yield url


def settle(page):
    page.wait_for_timeout(300)
    browser.wait_until_idle(page)


def main_text(page) -> str:
    return page.inner_text("[data-testid='stMain']")


def drawn_text(page) -> str:
    """The main area's text once the page has finished drawing (the same for a second)."""
    before = None
    for _ in range(60):
        browser.wait_until_idle(page)
        text = main_text(page)
        if text == before:
            return text
        before = text
        page.wait_for_timeout(1000)
    raise AssertionError("the page kept changing")


def params(url: str) -> dict:
    return dict(parse_qsl(urlsplit(url).query))


def kpis(page) -> dict:
    out = {}
    for m in page.query_selector_all("[data-testid='stMetric']"):
        label = m.query_selector("[data-testid='stMetricLabel']").inner_text().strip()
        out[label] = m.query_selector("[data-testid='stMetricValue']").inner_text().strip()
    return out


def test_a_copied_link_opens_the_same_view_for_a_new_visitor(served, chromium):
    sharer = chromium.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = browser.open_page(sharer, f"{served}/competitors?{PERIOD}&orgs=acme,rival&metric=likes")
    page.get_by_role("heading", name="Competitors").first.wait_for()
    copy = page.frame_locator("iframe[title='Copy the link to this view']").get_by_role("button", name="Copy link")
    copy.click()
    page.frame_locator("iframe[title='Copy the link to this view']").get_by_role("button", name="Copied").wait_for()
    link = page.evaluate("navigator.clipboard.readText()")
    assert link == page.url
    assert params(link) == {"start": "2026-01-05", "end": "2026-01-11", "orgs": "acme,rival", "metric": "likes",
                            "platform": "all", "top": "engagements"}

    visitor = chromium.new_context()  # a new browser: no session, no cookies
    other = browser.open_page(visitor, link)
    other.get_by_role("heading", name="Competitors").first.wait_for()
    assert params(other.url) == params(link)
    assert drawn_text(other) == drawn_text(page)  # the same view, every figure and caption
    assert "Likes by organization" in main_text(other)
    assert browser.exceptions(other) == [] and other.errors == page.errors == []
    sharer.close()
    visitor.close()


def test_filters_survive_navigation(served, chromium):
    context = chromium.new_context()
    page = browser.open_page(context, f"{served}/?{PERIOD}")
    page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").first.locator("input").click()
    page.get_by_role("option", name="Bluesky").click()
    page.keyboard.press("Escape")
    page.wait_for_url("**platforms=bluesky**")
    settle(page)
    nav = page.locator("[data-testid='stSidebarNav']")
    for title, paths in (("Competitors", ("/competitors",)), ("Goals", ("/goals",)), ("Overview", ("/", "/overview"))):
        nav.get_by_role("link", name=title).click()
        page.wait_for_url(lambda url, paths=paths: urlsplit(url).path in paths)
        settle(page)
        assert params(page.url) | {"start": "2026-01-05", "end": "2026-01-11", "platforms": "bluesky"} == params(page.url)
        assert "Bluesky" in page.inner_text("[data-testid='stSidebar'] [data-testid='stMultiSelect'] >> nth=0")
    # back on the overview, its figures are Bluesky's only (acme-bsky: 700 followers)
    page.wait_for_function("() => document.querySelector(\"[data-testid='stMetric']\").innerText.includes('700')")
    assert browser.exceptions(page) == [] and page.errors == []
    context.close()


def open_saved_views(page):
    page.locator("[data-testid='stSidebar']").get_by_text("Saved views").click()
    page.get_by_label("Save this view as", exact=True).wait_for()


def test_a_saved_view_round_trips(served, chromium):
    owner = chromium.new_context()
    page = browser.open_page(owner, f"{served}/competitors?{PERIOD}&orgs=acme,rival&metric=likes")
    open_saved_views(page)
    page.get_by_label("Save this view as", exact=True).fill("Q1 <b>review</b>")
    page.get_by_label("Save this view as", exact=True).press("Enter")
    settle(page)
    page.locator("[data-testid='stSidebar']").get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("Saved as “Q1 <b>review</b>”").wait_for()
    link = page.locator("[data-testid='stSidebar'] [data-testid='stCode']").inner_text().strip()
    assert link == f"{served}/?view=Q1%20%3Cb%3Ereview%3C%2Fb%3E"

    visitor = chromium.new_context()
    other = browser.open_page(visitor, link)
    other.wait_for_url("**/competitors?**")
    settle(other)
    assert params(other.url) == {"start": "2026-01-05", "end": "2026-01-11", "orgs": "acme,rival", "metric": "likes",
                                 "platform": "all", "top": "engagements"}
    assert "Opened the saved view “Q1 <b>review</b>”" in main_text(other)  # the name as text, not markup
    assert "Likes by organization" in main_text(other)

    page.get_by_label("Rename to", exact=True).fill("Board")
    page.get_by_label("Rename to", exact=True).press("Enter")
    settle(page)
    page.locator("[data-testid='stSidebar']").get_by_role("button", name="Rename").click()
    page.get_by_text("Renamed “Q1 <b>review</b>” to “Board”").wait_for()
    stale = browser.open_page(visitor, link)
    assert "There is no saved view named “Q1 <b>review</b>”" in main_text(stale)
    renamed = browser.open_page(visitor, f"{served}/?view=Board")
    renamed.wait_for_url("**/competitors?**")

    page.locator("[data-testid='stSidebar']").get_by_role("button", name="Delete").click()
    page.get_by_role("button", name="Delete for everyone").click()
    page.get_by_text("No saved view yet.").wait_for()
    assert browser.exceptions(page) == [] and page.errors == []
    owner.close()
    visitor.close()


def test_meeting_mode_hides_the_chrome_and_advances_with_the_filters(served, chromium):
    context = chromium.new_context(viewport={"width": 1600, "height": 900})
    page = browser.open_page(context, f"{served}/?{PERIOD}&orgs=acme,rival&mode=meeting&advance=8")
    page.get_by_text("Where we stand.").wait_for()
    # the meeting style hides the chrome; on a loaded machine it may land a moment after the text
    page.locator("[data-testid='stHeader']").wait_for(state="hidden", timeout=10000)
    assert page.locator("[data-testid='stSidebar']").is_hidden()
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "20px"  # larger type
    header = main_text(page)
    assert "Audience 2,200 (rank 2 of 2)" in header and "Data as of 14 Jan 2026, 07:00" in header
    # after 8 s the screen moves on to the next page, filters and mode kept
    page.wait_for_url("**/competitors?**", timeout=30000)
    settle(page)
    assert params(page.url) == {"start": "2026-01-05", "end": "2026-01-11", "orgs": "acme,rival",
                                "mode": "meeting", "advance": "8", "platform": "all", "metric": "engagement_rate",
                                "top": "engagements"}
    assert page.locator("[data-testid='stSidebar']").is_hidden()
    page.get_by_role("button", name="Leave meeting mode").click()
    page.locator("[data-testid='stSidebar']").wait_for(state="visible")
    settle(page)
    assert "mode" not in params(page.url) and params(page.url)["orgs"] == "acme,rival"
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") != "20px"
    assert browser.exceptions(page) == [] and page.errors == []
    context.close()


def test_meeting_mode_keeps_a_relative_period_from_page_to_page(served, chromium):
    """The weekly meeting's link (period=last-7-days) stays relative when the screen moves on:
    no dates are written into it."""
    context = chromium.new_context(viewport={"width": 1400, "height": 900})
    page = browser.open_page(context, f"{served}/?period=last-7-days&orgs=acme,rival&mode=meeting&advance=5")
    page.get_by_text("Where we stand.").wait_for()
    page.wait_for_url("**/competitors?**", timeout=30000)
    settle(page)
    assert params(page.url) == {"period": "last-7-days", "orgs": "acme,rival", "mode": "meeting", "advance": "5",
                                "platform": "all", "metric": "engagement_rate", "top": "engagements"}
    assert browser.exceptions(page) == [] and page.errors == []
    context.close()


@pytest.mark.parametrize("width", [1400, 1100])
def test_download_buttons_read_in_full(served, chromium, width):
    """Labels were cut ("Download the rank tabl…"): every download button's text fits its box,
    sidebar open, at a laptop's and a small window's width."""
    context = chromium.new_context(viewport={"width": width, "height": 900})
    page = browser.open_page(context, f"{served}/competitors?{PERIOD}")
    page.get_by_role("heading", name="Competitors").first.wait_for()
    settle(page)
    assert page.locator("[data-testid='stSidebar']").is_visible()
    buttons = page.locator("[data-testid='stMain'] [data-testid='stDownloadButton'] button")
    assert buttons.count() >= 4
    fits = page.evaluate("""() => [...document.querySelectorAll(
        "[data-testid='stMain'] [data-testid='stDownloadButton'] button")].map(b => {
            const text = b.querySelector('p') || b;
            return [text.innerText.trim(), text.scrollWidth <= text.clientWidth];
        })""")
    assert {label for label, _ in fits} == {"CSV", "Excel"}
    assert all(ok for _, ok in fits), fits
    context.close()


def test_tables_download_as_csv_and_excel_and_charts_as_png(served, chromium, tmp_path):
    context = chromium.new_context(accept_downloads=True)
    page = browser.open_page(context, f"{served}/?{PERIOD}&orgs=acme,rival")
    page.get_by_role("heading", name="Side by side").wait_for()
    with page.expect_download() as done:
        page.get_by_role("button", name="CSV", exact=True).first.click()
    assert done.value.suggested_filename == "overview-side-by-side.csv"
    rows = list(csv.DictReader(io.StringIO(Path(done.value.path()).read_text(encoding="utf-8"))))
    # only the selected organizations; the company's audience is the fixture's 2,200
    assert [r["Organization"] for r in rows] == ["Acme", "Rival"]
    assert float(rows[0]["Audience"]) == 2200 and float(rows[1]["Audience"]) == 4100

    with page.expect_download() as done:
        page.get_by_role("button", name="Excel", exact=True).first.click()
    assert done.value.suggested_filename == "overview-side-by-side.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(Path(done.value.path()).read_bytes())).active
    table = list(sheet.iter_rows(values_only=True))
    assert table[0][:2] == ("Organization", "Audience")
    assert [(r[0], r[1]) for r in table[1:]] == [("Acme", 2200), ("Rival", 4100)]

    chart = page.locator("[data-testid='stPlotlyChart']").first
    chart.hover()
    with page.expect_download() as done:
        chart.locator("[data-title='Download plot as a PNG']").click()
    assert done.value.suggested_filename == "overview-audience-2026-01-05-to-2026-01-11.png"
    assert Path(done.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert browser.exceptions(page) == [] and page.errors == []
    context.close()


def test_the_brief_opens_offline_with_the_page_s_numbers_and_prints_as_pdf(served, chromium, tmp_path):
    context = chromium.new_context(accept_downloads=True)
    page = browser.open_page(context, f"{served}/?{PERIOD}&platforms=x,bluesky&departments=care")
    page.wait_for_selector("[data-testid='stMetric']")
    shown = kpis(page)
    assert shown["Audience"] == "2,200" and len(shown) == 8
    sidebar = page.locator("[data-testid='stSidebar']")
    with page.expect_download() as done:  # one click
        sidebar.get_by_role("button", name="Brief (HTML)").click()
    assert done.value.suggested_filename == "meeting-brief-2026-01-05-to-2026-01-11.html"
    saved = tmp_path / done.value.suggested_filename
    done.value.save_as(saved)

    offline = chromium.new_context(offline=True)
    requests = []
    offline.route("**/*", lambda route: (requests.append(route.request.url), route.abort())
                  if not route.request.url.startswith("file:") else route.continue_())
    brief = offline.new_page()
    dialogs = []
    brief.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    brief.goto(saved.as_uri())
    brief.wait_for_selector("#chart-audience .main-svg")  # plotly.js came from the file itself
    for label, value in shown.items():
        card = brief.locator(".kpi", has=brief.locator(".label", has_text=re.compile(f"^{re.escape(label)}$")))
        assert card.locator(".value").inner_text() == value, label
    filters = dict(zip(brief.locator("dt").all_inner_texts(), brief.locator("dd").all_inner_texts()))
    assert filters["Period"] == "05 Jan 2026 – 11 Jan 2026 (7 days)"
    assert filters["Platforms"] == "X, Bluesky" and filters["Departments"] == "Customer Service"
    assert filters["Organizations"] == "All organizations"
    assert filters["Data"] == fixture_meeting.AS_OF + fixture_meeting.FAILED_LATER
    assert params(filters["Live view"]) == {"start": "2026-01-05", "end": "2026-01-11", "platforms": "x,bluesky",
                                            "departments": "care"}
    # the hostile name is text in the tables and in the charts, and ran nothing
    assert fixture_meeting.HOSTILE in brief.inner_text("table")
    assert fixture_meeting.HOSTILE in brief.inner_text("#chart-share-of-voice")
    # interactive: hovering the audience chart shows values
    brief.locator("#chart-audience").scroll_into_view_if_needed()
    box = brief.locator("#chart-audience .nsewdrag").first.bounding_box()
    brief.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] / 2)
    brief.mouse.move(box["x"] + box["width"] * 0.98, box["y"] + box["height"] / 2, steps=5)
    brief.wait_for_selector("#chart-audience .hoverlayer .hovertext")
    assert dialogs == [] and requests == []
    offline.close()

    with page.expect_download(timeout=120000) as done:
        sidebar.get_by_role("button", name="Brief (PDF)").click()
    assert done.value.suggested_filename == "meeting-brief-2026-01-05-to-2026-01-11.pdf"
    pdf = Path(done.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "Acme" in text and "2,200" in text and "Customer Service" in text
    assert browser.exceptions(page) == [] and page.errors == []
    context.close()
