"""A new server's first visitor on an empty warehouse: while the demo data set is built, the
sidebar shows the dashboard's own navigation, never Streamlit's raw list of pages/ files (its
legacy mode: "dashboard", "overview", "response times", …)."""

from pathlib import Path

from tests import browser

# Records every state of the sidebar's navigation (its links' labels) and whether a spinner
# was on screen, from the first byte of the page on.
RECORDER = r"""
window.__navs = [];
const seen = new Set();
const record = () => {
  const links = Array.from(document.querySelectorAll("[data-testid='stSidebarNav'] a"));
  // a link's text is its icon's name (a ligature) then its label: the label is the last line
  const labels = links.map(a => a.innerText.split("\n").map(t => t.trim()).filter(Boolean).pop() || "");
  const state = JSON.stringify([labels, !!document.querySelector("[data-testid='stSpinner']")]);
  if (!seen.has(state)) { seen.add(state); window.__navs.push(JSON.parse(state)); }
};
new MutationObserver(record).observe(document, {subtree: true, childList: true, characterData: true});
"""
MENU = ["Overview", "Competitors", "Response times", "Departments", "Goals", "Data health"]
RAW = {"dashboard", "overview", "response times", "data health"}


def test_the_sidebar_never_lists_the_raw_files_while_the_demo_builds(tmp_path, chromium):
    db = str(tmp_path / "first-start.duckdb")
    assert not Path(db).exists()
    with browser.dashboard(db) as url:
        page = chromium.new_page(viewport={"width": 1400, "height": 1000})
        page.add_init_script(RECORDER)
        page.goto(url + "/")
        page.wait_for_selector("[data-testid='stMetric']", timeout=120000)  # the demo is built, the overview drawn
        browser.wait_until_idle(page)
        states = page.evaluate("window.__navs")
        assert browser.exceptions(page) == []
        page.close()
    shown = [labels for labels, _ in states if labels]
    assert shown, states
    assert not [labels for labels in shown if RAW & set(labels)], states
    assert all(labels == MENU for labels in shown), states
    # the build was seen, and the dashboard's menu was there during it
    assert [labels for labels, spinning in states if spinning and labels == MENU], states
