"""A small warehouse for the Data health page, relative to today (UTC, the dashboard's zone
without a configuration). Figures worked out by hand:

Connector runs (latest per connector):
  mastodon  failed   (its earlier run, 3 days ago, was ok: last success = that run's end)
  x         partial  error "other: x: malformed JSON"
  bluesky   ok
  → 2 of 3 connectors need attention.

Accounts (newest data = the later of the latest follower count and the last successful refresh):
  acme   x         count today                          → age 0, fresh
  acme   mastodon  count 5 days ago, refreshed 4 days ago → age 4, stale
  acme   bluesky   count 2 days ago, never refreshed      → age 2, fresh (stale only after 2 days)
  acme   linkedin  employee Pete, skipped by the connector → "Not offered by the API", not stale
  rival  x         no data at all, last refresh failed      → stale (no data yet)
  → 2 of 5 accounts stale.

Coverage (history from = the earliest follower count or post):
  acme  x         posts since today−40, counts since today → from today−40, 41 days
  acme  mastodon  counts since today−5                     → 6 days
  acme  bluesky   counts since today−2                     → 3 days
  acme  linkedin  nothing                                  → —
  rival x         nothing                                  → —
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from socialdash.warehouse import upsert, writing

TODAY = dt.datetime.now(dt.timezone.utc).date()
NOW = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def day(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


def at(days: float) -> dt.datetime:
    return NOW - dt.timedelta(days=days)


def build(path: str) -> str:
    with writing(path) as con:
        upsert(con, "organizations", pd.DataFrame(
            [("acme", "Acme", True), ("rival", "Rival", False)], columns=["org_id", "name", "is_self"]))
        upsert(con, "departments", pd.DataFrame([("pr", "Public Relations", None)],
                                                columns=["department_id", "name", "annual_budget"]))
        upsert(con, "accounts", pd.DataFrame([
            ("x:acme", "acme", "x", "acme", None, None),
            ("mastodon:acme@mastodon.social", "acme", "mastodon", "acme@mastodon.social", None, None),
            ("bluesky:acme.bsky.social", "acme", "bluesky", "acme.bsky.social", None, None),
            ("linkedin:pete-li", "acme", "linkedin", "pete-li", "pr", "Pete"),
            ("x:rival", "rival", "x", "rival", None, None),
        ], columns=["account_id", "org_id", "platform", "handle", "department_id", "person"]))
        upsert(con, "account_daily", pd.DataFrame([
            ("x:acme", day(0), 10000), ("mastodon:acme@mastodon.social", day(5), 1500),
            ("bluesky:acme.bsky.social", day(2), 2500),
        ], columns=["account_id", "day", "followers"]))
        con.execute("INSERT INTO posts (platform, post_id, account_id, created_at, likes) VALUES "
                    "('x', 'p1', 'x:acme', ?, 3), ('x', 'p2', 'x:acme', ?, 4)", [at(40), at(1)])
        upsert(con, "connector_runs", pd.DataFrame([
            ("m1", "mastodon", at(3), at(3) + dt.timedelta(seconds=20), "ok", 14, None),
            ("m2", "mastodon", at(0.1), at(0.1) + dt.timedelta(seconds=5), "failed", 0, "acme@mastodon.social: HTTP 503"),
            ("x1", "x", at(0.1), at(0.1) + dt.timedelta(seconds=30), "partial", 10, "other: x: malformed JSON"),
            ("b1", "bluesky", at(0.1), at(0.1) + dt.timedelta(seconds=12), "ok", 11, None),
        ], columns=["run_id", "connector", "started_at", "finished_at", "status", "rows_written", "error"]))
        state = pd.DataFrame([
            ("x:acme", "x", "1001", at(0.1), at(0.1), "ok", None),
            ("mastodon:acme@mastodon.social", "mastodon", "acme@mastodon.social", at(4), at(0.1), "failed", "HTTP 503"),
            ("linkedin:pete-li", "linkedin", None, None, at(0.1), "skipped", "LinkedIn offers no follower count"),
            ("x:rival", "x", None, None, at(0.1), "failed", "x: no user @rival"),
        ], columns=["account_id", "platform", "platform_user_id", "last_success_at", "last_attempt_at", "last_status",
                    "last_error"])
        for col in ("last_success_at", "last_attempt_at"):
            state[col] = pd.to_datetime(state[col], utc=True)
        con.register("_state", state)
        con.execute("INSERT INTO connector_state (account_id, platform, platform_user_id, last_success_at, "
                    "last_attempt_at, last_status, last_error) SELECT * FROM _state")
        con.unregister("_state")
        con.execute("INSERT OR REPLACE INTO warehouse_meta VALUES ('dataset', 'real')")
    return path


def build_skipped(path: str) -> str:
    """A real warehouse after refreshes without most credentials (issue 12): the connectors of
    X, YouTube and LinkedIn were skipped (no run recorded), Mastodon's and Bluesky's failed
    today; Acme's Mastodon account was refreshed once, 10 days ago. Worked out by hand:

    Connectors: mastodon failed, bluesky failed, linkedin / x / youtube never run → 5 of 5.
    Accounts: acme x, youtube, linkedin, mastodon (count 10 days old), bluesky; rival x,
    mastodon, bluesky → all 8 stale.
    Coverage: 8 organization × platform pairs, only (acme, mastodon) holds data → 1 of 8.
    """
    with writing(path) as con:
        upsert(con, "organizations", pd.DataFrame(
            [("acme", "Acme", True), ("rival", "Rival", False)], columns=["org_id", "name", "is_self"]))
        accounts = [("acme", p, h) for p, h in (("x", "acme"), ("youtube", "@acme"), ("linkedin", "acme-co"),
                                                ("mastodon", "acme@mastodon.social"), ("bluesky", "acme.bsky.social"))]
        accounts += [("rival", p, h) for p, h in (("x", "rival"), ("mastodon", "rival@mastodon.social"),
                                                  ("bluesky", "rival.bsky.social"))]
        upsert(con, "accounts", pd.DataFrame(
            [(f"{p}:{h}", org, p, h, None, None) for org, p, h in accounts],
            columns=["account_id", "org_id", "platform", "handle", "department_id", "person"]))
        upsert(con, "account_daily", pd.DataFrame([("mastodon:acme@mastodon.social", day(10), 1500)],
                                                  columns=["account_id", "day", "followers"]))
        upsert(con, "connector_runs", pd.DataFrame([
            ("m1", "mastodon", at(10), at(10) + dt.timedelta(seconds=20), "ok", 1, None),
            ("m2", "mastodon", at(0.1), at(0.1) + dt.timedelta(seconds=5), "failed", 0, "mastodon: network unreachable"),
            ("b1", "bluesky", at(0.1), at(0.1) + dt.timedelta(seconds=4), "failed", 0, "bluesky: network unreachable"),
        ], columns=["run_id", "connector", "started_at", "finished_at", "status", "rows_written", "error"]))
        state = pd.DataFrame([
            (f"{p}:{h}", p, at(10) if h == "acme@mastodon.social" else None, at(0.1), "failed", f"{p}: network unreachable")
            for _, p, h in accounts if p in ("mastodon", "bluesky")
        ], columns=["account_id", "platform", "last_success_at", "last_attempt_at", "last_status", "last_error"])
        for col in ("last_success_at", "last_attempt_at"):
            state[col] = pd.to_datetime(state[col], utc=True)
        con.register("_state", state)
        con.execute("INSERT INTO connector_state (account_id, platform, last_success_at, last_attempt_at, "
                    "last_status, last_error) SELECT * FROM _state")
        con.unregister("_state")
        con.execute("INSERT OR REPLACE INTO warehouse_meta VALUES ('dataset', 'real')")
    return path
