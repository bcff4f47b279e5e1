"""Hostile input, in the browser: every page on a warehouse whose names, handles, post texts,
links, goal titles and connector errors are attacks (tests/fixture_hostile.py), and links whose
parameters are SQL or markup.

Passing means: no dialog opens, no script of the data runs (window.__pwned stays unset), no
element of the data exists (no event-handler attribute anywhere, no javascript:/vbscript:/data:
link or source, nothing pointing at evil.example: not even an http(s) link made from a name),
the names read as literal text, a link's unknown values get a visible notice and no error,
and the warehouse is byte for byte what it was."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests import browser, fixture_hostile as hostile

PERIOD = "start=2026-01-05&end=2026-01-11"

# What the page must show as literal text (after the invisible word joiners that keep
# addresses from becoming links are removed, and with white space flattened).
EXPECTED = {
    "overview": ("", [hostile.ORG_NAMES["acme"], hostile.ORG_NAMES["rival"], hostile.ORG_NAMES["other"],
                      hostile.ORG_NAMES[hostile.EVIL_ORG]]),
    "competitors": ("", [hostile.ORG_NAMES["acme"], hostile.ORG_NAMES["rival"],
                         hostile.POSTS["r1"][0]]),  # a competitor's post text, in the top posts table
    "response_times": ("", [hostile.ORG_NAMES["acme"], hostile.HANDLES["acme-x"]]),
    "departments": ("&departments=care,pr,legal", [hostile.DEPARTMENT_NAMES[d] for d in ("care", "pr", "legal")]),
    "goals": ("&departments=care", [hostile.DEPARTMENT_NAMES["care"], hostile.GOALS[0][1]]),
    "data_health": ("", [f"x {hostile.SCRIPT}", hostile.HANDLES["acme-help"], hostile.HANDLES["rival-x"],
                         hostile.ORG_NAMES["rival"]]),
}

# Every element and attribute of the page that the data could have produced.
FIND_INJECTED = r"""() => {
  const found = [];
  const scheme = v => v.replace(/[\s\u0000-\u001f]/g, '').toLowerCase();
  for (const el of document.querySelectorAll('*')) {
    const tag = el.tagName.toLowerCase();
    for (const a of el.attributes) {
      const name = a.name.toLowerCase(), value = a.value || '';
      if (name.startsWith('on')) found.push(`${tag} ${name}="${value.slice(0, 80)}"`);
      if (!['href', 'src', 'xlink:href', 'action', 'formaction', 'data', 'srcdoc', 'background', 'poster']
            .includes(name)) continue;
      const v = scheme(value);
      const ownIcon = tag === 'link' && /icon/.test(el.getAttribute('rel') || '') && v.startsWith('data:image/');
      const plotlyRaster = tag === 'image' && v.startsWith('data:image/png;base64,');
      if (/^(javascript|vbscript|data):/.test(v) && !ownIcon && !plotlyRaster)
        found.push(`${tag} ${name}="${value.slice(0, 80)}"`);
      if (/evil\.example|__pwned|alert\(/.test(value)) found.push(`${tag} ${name}="${value.slice(0, 80)}"`);
    }
    if ((tag === 'script' || tag === 'style') && /__pwned|alert\(|evil\.example/.test(el.textContent))
      found.push(`${tag}: ${el.textContent.slice(0, 80)}`);
    if (['object', 'embed', 'frame'].includes(tag)) found.push(tag);
  }
  return {found, pwned: window.__pwned === undefined ? null : String(window.__pwned)};
}"""


def literal(text: str) -> str:
    return " ".join(text.replace("\u2060", "").split())


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("hostile") / "hostile.duckdb")
    hostile.build(path)
    return path, hostile.fingerprint(path)


@pytest.fixture(scope="module")
def served(hostile_db):
    with browser.dashboard(hostile_db[0]) as url:
        yield url


def open_page(chromium, url: str):
    """A new page at ``url``, with every dialog and script error recorded; waits until drawn."""
    page = browser.open_page(chromium, url, viewport={"width": 1400, "height": 1000})
    page.wait_for_timeout(1500)  # charts and tables draw after the script run ends
    browser.wait_until_idle(page)
    for table in page.query_selector_all("[data-testid='stDataFrame']"):
        if table.is_visible():  # (not those in closed tabs and expanders)
            table.scroll_into_view_if_needed()  # a table writes its cells into the page once on screen
            page.wait_for_timeout(200)
    return page


def assert_nothing_ran(page):
    injected = page.evaluate(FIND_INJECTED)
    assert page.dialogs == []
    assert injected["pwned"] is None
    assert injected["found"] == []
    assert page.errors == []
    assert browser.exceptions(page) == []


def assert_unchanged(hostile_db):
    path, before = hostile_db
    assert hostile.fingerprint(path) == before
    views = Path(path).with_name("views.sqlite")  # the saved views' store, if anything opened it
    if views.exists():
        with sqlite3.connect(views) as con:
            assert con.execute("SELECT count(*) FROM saved_views").fetchone()[0] == 0


def test_the_fixture_is_hostile(hostile_db):
    # the attacks are really in the warehouse (so that the page tests mean something)
    path, prints = hostile_db
    from socialdash.warehouse import open_warehouse

    con = open_warehouse(path)
    try:
        names = dict(con.execute("SELECT org_id, name FROM organizations").fetchall())
        urls = dict(con.execute("SELECT post_id, url FROM posts").fetchall())
        texts = dict(con.execute("SELECT post_id, text FROM posts").fetchall())
    finally:
        con.close()
    assert names == hostile.ORG_NAMES
    assert urls["p1"] == "javascript:alert('url')" and urls["p6"].startswith("data:text/html")
    assert len(texts["r2"]) == 20003
    assert prints["posts"][0] == 16 and prints["organizations"][0] == 4  # the base fixture's 14 posts + 2


@pytest.mark.parametrize("name", list(EXPECTED))
def test_every_page_shows_hostile_data_as_text(served, chromium, hostile_db, name):
    extra, expected = EXPECTED[name]
    path = "/" if name == "overview" else f"/{name}"
    page = open_page(chromium, f"{served}{path}?{PERIOD}{extra}")
    try:
        assert_nothing_ran(page)
        # textContent: the tables' cells are in an accessible table that innerText skips
        shown = literal(page.evaluate("() => document.body.textContent"))
        for text in expected:
            assert literal(text) in shown, f"{literal(text)[:60]!r} is not shown as written"
    finally:
        page.context.close()
    assert_unchanged(hostile_db)


LINK_CELLS = """grid => {
  grid.querySelector('.dvn-scroller').scrollLeft = 100000;  // the Link column is off to the right
  return new Promise(done => setTimeout(() => {
    const th = [...grid.querySelectorAll('th')].find(h => h.textContent === 'Link');
    if (!th) return done(null);
    const col = th.getAttribute('aria-colindex');
    done([...grid.querySelectorAll(`td[aria-colindex="${col}"]`)].map(td => td.textContent));
  }, 800));
}"""


def test_post_links_are_only_http(served, chromium, hostile_db):
    page = open_page(chromium, f"{served}/competitors?{PERIOD}")
    try:
        assert_nothing_ran(page)
        grid = page.locator("[data-testid='stDataFrame']").filter(has_text="Text").first  # the top posts
        grid.scroll_into_view_if_needed()
        links = [cell for cell in grid.evaluate(LINK_CELLS) if cell.strip()]
        # The original posts of official accounts in the period (days counted in UTC here, so p4
        # is in and p5 out): p1, p2, p4, p6, p7, r1, r2, r3, o1, e1, e2. Only those with an http(s)
        # link have one; javascript:, data:, vbscript:, javascript:// and //evil… are left out.
        assert sorted(links) == sorted(["https://example.com/p4", hostile.POSTS["r1"][1], hostile.POSTS["r2"][1],
                                        hostile.POSTS["o1"][1], hostile.EVIL_POSTS[1][6]])
        assert_nothing_ran(page)
    finally:
        page.context.close()
    assert_unchanged(hostile_db)


SQL = "'; DROP TABLE posts; --"
HOSTILE_LINKS = [
    # page, query, notices expected (None: the value is a known id, used as a bound parameter)
    ("/", f"start=2026-01-05{SQL}&end=2026-01-11&orgs=acme,{SQL}&departments=care' OR '1'='1"
          "&platforms=x);DELETE FROM posts;--", ["Ignored the period", "Ignored 1 organization",
                                                "Ignored 1 department", "Ignored 1 platform"]),
    ("/", f"{PERIOD}&orgs=acme,{hostile.EVIL_ORG}", None),  # a known id that is SQL: selected, harmless
    ("/competitors", f"{PERIOD}&platform={SQL}&metric=likes); DROP TABLE posts; --&top=<script>alert(1)</script>",
     ["Ignored platform=", "Ignored metric=", "Ignored top="]),
    ("/competitors", f"{PERIOD}&search={SQL}", None),  # free text: a bound parameter (finds post p5)
    ("/response_times", f"{PERIOD}&orgs=[login](https://evil.example/login)&departments=![x](https://evil.example/p.png)",
     ["Ignored 1 organization", "Ignored 1 department"]),
    ("/departments", f"start={SQL}&end={SQL}&departments=care,{SQL}", ["Ignored the period", "Ignored 1 department"]),
    ("/goals", f"{PERIOD}&goal={SQL}", ["Ignored the goal in the link"]),
    ("/goals", f"{PERIOD}&goal={hostile.GOALS[0][0]}", None),  # a known goal id that is SQL
    ("/data_health", f"{PERIOD}&stale=1' OR '1'='1", ["Ignored stale="]),
    ("/", f"{PERIOD}&view={SQL}", ["no saved view named"]),
    ("/", f"{PERIOD}&mode=<img src=x onerror=alert(1)>", ["Ignored mode="]),
]


@pytest.mark.parametrize(("path", "query", "notices"), HOSTILE_LINKS,
                         ids=[f"{p}?{q[:40]}" for p, q, _ in HOSTILE_LINKS])
def test_hostile_links_get_a_notice_and_change_nothing(served, chromium, hostile_db, path, query, notices):
    page = open_page(chromium, f"{served}{path}?{query}")
    try:
        assert_nothing_ran(page)
        alerts = literal(" ".join(a.inner_text() for a in page.query_selector_all("[data-testid='stAlert']")))
        for notice in notices or []:
            assert notice in alerts
        if notices is None:
            assert "Ignored" not in alerts
    finally:
        page.context.close()
    assert_unchanged(hostile_db)


def test_a_known_id_that_is_sql_selects_its_organization(served, chromium, hostile_db):
    page = open_page(chromium, f"{served}/?{PERIOD}&orgs=acme,{hostile.EVIL_ORG}")
    try:
        assert_nothing_ran(page)
        shown = literal(page.inner_text("[data-testid='stMain']"))
        assert literal(hostile.ORG_NAMES[hostile.EVIL_ORG]) in shown  # the one competitor compared
        assert literal(hostile.ORG_NAMES["rival"]) not in shown
    finally:
        page.context.close()
    assert_unchanged(hostile_db)
