"""A warehouse full of hostile text: what the public (and a careless import) can put in names,
handles, post texts, links, goal titles and connector errors.

Built on tests/fixture_warehouse.py (same accounts, posts and interactions, so every page has
figures for PERIOD), with every display text replaced by an attack and a competitor whose
very id is SQL. Each attack, if it worked, would either open a dialog (``alert``), set
``window.__pwned``, add an element (an <img onerror>, a <script>, an <iframe>, an anchor to
``javascript:`` or to evil.example), or change the warehouse; the tests check for each.
``fingerprint`` gives the row count and a checksum of every table, to show nothing changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pandas as pd

from socialdash.warehouse import open_warehouse, upsert, writing
from tests import fixture_warehouse as base

PERIOD = base.PERIOD
SCRIPT = "<script>window.__pwned='script';alert('script')</script>"
IMG = "<img src=x onerror=\"window.__pwned='img';alert('img')\">"
SVG = "<svg/onload=\"window.__pwned='svg';alert('svg')\">"
IFRAME = "<iframe src=\"javascript:alert('iframe')\"></iframe>"
MD_JS = "[click me](javascript:alert('md'))"
MD_IMG = "![tracker](https://evil.example/pixel.png)"
HTML_LINK = "<a href=\"https://evil.example/phish\">phish</a>"
JS_LINK = "<a href=\"javascript:alert('a')\">a</a>"
SQL = "'; DROP TABLE posts; --"
SQL2 = "\"; DELETE FROM organizations; --"
RLO = "\u202egnp.exe\u202c"  # a right-to-left override: reads "exe.png"
NEWLINES = "first line\nsecond line\r\n# not a heading\n- not a list"
AUTOLINK = "mail evil@evil.example or www.evil.example"
LATEX = "$\\href{javascript:alert('tex')}{tex}$"
LONG = "long " * 4000 + "END"  # 20,003 characters
STYLED = ":red[red] :material/warning: **bold** `code`"  # Streamlit's own Markdown extensions

# Every attack, to check that the pages neither run nor render any of them.
ATTACKS = (SCRIPT, IMG, SVG, IFRAME, MD_JS, MD_IMG, HTML_LINK, JS_LINK, SQL, SQL2, RLO, NEWLINES, AUTOLINK, LATEX,
           STYLED)

EVIL_ORG = "evil'; DROP TABLE posts; --"  # an organization id that is SQL (ids are VARCHAR)
ORG_NAMES = {
    "acme": f"Acme {SCRIPT}",
    "rival": f"Rival {IMG} {MD_JS} {MD_IMG}",
    "other": f"Other {HTML_LINK} {SQL} {AUTOLINK}",
    EVIL_ORG: f"Evil {SVG} {RLO} {NEWLINES}",
}
DEPARTMENT_NAMES = {
    "care": f"Care {MD_JS} {SQL2}",
    "pr": f"PR {IMG} {IFRAME} {HTML_LINK}",
    "legal": f"Legal {LATEX} {AUTOLINK} {MD_IMG} {STYLED}",
}
HANDLES = {
    "acme-x": f"acme{SQL}",
    "acme-help": IMG,
    "acme-bsky": SVG,
    "rival-x": MD_JS,
    "rival-bsky": JS_LINK,
    "other-x": f"other {RLO}",
}
PEOPLE = {"acme-ana": f"Ana {SCRIPT}", "acme-pete": f"Pete {RLO} {NEWLINES}"}
POSTS = {
    # post_id: (text, url)
    "p1": (SCRIPT, "javascript:alert('url')"),
    "p2": (IMG, "  JaVaScRiPt:alert('url2')"),
    "p5": (SQL, "https://ok.example/p5"),
    "p6": (f"{MD_JS} {MD_IMG}", "data:text/html,<script>alert('data')</script>"),
    "p7": (IFRAME, "vbscript:msgbox('vb')"),
    "p10": (f"{AUTOLINK} {LATEX}", "//evil.example/protocol-relative"),
    "r1": (f"{HTML_LINK} {JS_LINK}", "https://ok.example/r1?q=<script>alert('q')</script>"),
    "r2": (LONG, "https://ok.example/r2"),
    "r3": (f"{NEWLINES} {RLO}", "javascript://ok.example/%0Aalert('comment')"),
    "o1": (SVG, "https://ok.example/o1"),
}
EVIL_POSTS = [
    # post_id, created (UTC), likes, comments, shares, text, url
    ("e1", "2026-01-06 15:00", 90, 9, 9, f"{SQL} {SCRIPT}", "javascript:alert('evil')"),
    ("e2", "2026-01-09 15:00", 40, 4, 0, f"{SQL2} {IMG}", "https://ok.example/e2"),
]
GOALS = [
    # goal_id, title, metric, target, departments
    ("sla'; DROP TABLE goals; --", f"{SCRIPT} answer fast", "sla_attainment", 0.9, ["care"]),
    ("likes-goal", f"{MD_JS} {IMG} {SQL}", "likes", 1000.0, ["pr"]),
    ("long-goal", LONG[:3000], "posts", 50.0, []),
]
NOW = base.NOW


def build(path: str) -> str:
    """The hostile warehouse at ``path``; returns the path."""
    base.build(path)
    with writing(path) as con:
        for org_id, name in ORG_NAMES.items():
            con.execute("INSERT OR REPLACE INTO organizations VALUES ($id, $name, $self)",
                        {"id": org_id, "name": name, "self": org_id == "acme"})
        for dept_id, name in DEPARTMENT_NAMES.items():
            con.execute("UPDATE departments SET name = $name WHERE department_id = $id", {"id": dept_id, "name": name})
        for account_id, handle in HANDLES.items():
            con.execute("UPDATE accounts SET handle = $h WHERE account_id = $id", {"id": account_id, "h": handle})
        for account_id, person in PEOPLE.items():
            con.execute("UPDATE accounts SET person = $p WHERE account_id = $id", {"id": account_id, "p": person})
        for post_id, (text, url) in POSTS.items():
            con.execute("UPDATE posts SET text = $t, url = $u WHERE post_id = $id", {"id": post_id, "t": text, "u": url})
        evil_account = "evil-x"
        upsert(con, "accounts", pd.DataFrame([{
            "account_id": evil_account, "org_id": EVIL_ORG, "platform": "x", "handle": f"{SQL2}{SCRIPT}",
            "department_id": None, "person": None}]))
        daily = pd.DataFrame([(evil_account, dt.date(2026, 1, 2), 5000), (evil_account, dt.date(2026, 1, 10), 5100)],
                             columns=["account_id", "day", "followers"])
        upsert(con, "account_daily", daily)
        upsert(con, "posts", pd.DataFrame([
            {"platform": "x", "post_id": pid, "account_id": evil_account, "created_at": base.utc(ts), "url": url,
             "text": text, "likes": likes, "comments": comments, "shares": shares, "views": None,
             "is_reply": False, "department_id": None, "observed_at": NOW}
            for pid, ts, likes, comments, shares, text, url in EVIL_POSTS]))
        upsert(con, "interactions", pd.DataFrame([
            {"platform": "x", "interaction_id": f"1{SQL}", "account_id": evil_account,
             "received_at": base.utc("2026-01-07 15:00"), "first_response_at": base.utc("2026-01-07 16:00"),
             "responder_account_id": evil_account, "department_id": None},
            {"platform": "x", "interaction_id": "2\" onmouseover=\"alert('id')", "account_id": "acme-x",
             "received_at": base.utc("2026-01-08 14:00"), "first_response_at": None,
             "responder_account_id": None, "department_id": None},
        ]))
        goals = pd.DataFrame([
            {"goal_id": gid, "title": title, "metric": metric, "target": target,
             "period_start": dt.date(2026, 1, 1), "period_end": dt.date(2026, 12, 31), "departments": depts}
            for gid, title, metric, target, depts in GOALS])
        upsert(con, "goals", goals)
        upsert(con, "connector_runs", pd.DataFrame([
            {"run_id": "run-x", "connector": f"x {SCRIPT}", "started_at": base.utc("2026-01-14 11:00"),
             "finished_at": base.utc("2026-01-14 11:05"), "status": "failed", "rows_written": 0,
             "error": f"{IMG} {SQL} {NEWLINES} {HTML_LINK}"},
            {"run_id": "run-bsky", "connector": "bluesky", "started_at": base.utc("2026-01-14 11:00"),
             "finished_at": base.utc("2026-01-14 11:01"), "status": "ok", "rows_written": 12, "error": None},
        ]))
        con.execute(
            """INSERT OR REPLACE INTO connector_state (account_id, platform, last_attempt_at, last_success_at,
                                                      last_status, last_error)
               VALUES ('acme-x', 'x', $t, $t0, 'failed', $e)""",
            {"t": base.utc("2026-01-14 11:00"), "t0": base.utc("2026-01-13 11:00"), "e": f"{MD_JS} {HTML_LINK} {SVG}"})
    return path


def fingerprint(path: str) -> dict[str, tuple[int, str]]:
    """Per table: its row count and an MD5 of all its rows (sorted), plus the file's SHA-256."""
    con = open_warehouse(path)
    try:
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = 'warehouse' ORDER BY 1").fetchall()]
        out = {}
        for table in tables:  # names from the catalogue, not from data
            count, digest = con.execute(
                f'SELECT count(*), md5(coalesce(string_agg(t::VARCHAR, chr(10) ORDER BY t::VARCHAR), \'\')) '
                f'FROM "{table}" t').fetchone()
            out[table] = (count, digest)
    finally:
        con.close()
    out["<file sha256>"] = (Path(path).stat().st_size, hashlib.sha256(Path(path).read_bytes()).hexdigest())
    return out
