"""A warehouse as an analyst's own pipeline or SQL script makes it: exactly the tables of
contract section 1, with the contract's columns only, written with plain SQL (not
data/schema.sql), and none of the tables the project adds for itself (warehouse_meta,
connector_state, alert_log). Every reader must open it.

``build(path)`` writes realistic rows relative to today (UTC): the company Acme and two
competitors (Birch, Cedar) on X and Bluesky, a Customer Care department with its own X
account and an employee's Bluesky account, 60 days of follower counts, a post a day per
brand account, inbound items answered after 30 minutes (1 in 4 left unanswered), one goal,
and one connector run the pipeline recorded. ``build(path, rows=False)``: the same tables,
empty.
"""

from __future__ import annotations

import datetime as dt

import duckdb

TODAY = dt.datetime.now(dt.timezone.utc).date()

# Plain DDL as an analyst would type it from contract section 1: primary keys, no defaults,
# no NOT NULL beyond the keys, no table of the project's own; connector_runs' times, whose
# type the contract leaves open, as plain TIMESTAMP (UTC) rather than the project's TIMESTAMPTZ.
DDL = """
CREATE TABLE organizations (org_id VARCHAR PRIMARY KEY, name VARCHAR, is_self BOOLEAN);
CREATE TABLE departments (department_id VARCHAR PRIMARY KEY, name VARCHAR, annual_budget DOUBLE);
CREATE TABLE accounts (account_id VARCHAR PRIMARY KEY, org_id VARCHAR, platform VARCHAR, handle VARCHAR,
                       department_id VARCHAR, person VARCHAR);
CREATE TABLE account_daily (account_id VARCHAR, day DATE, followers BIGINT, PRIMARY KEY (account_id, day));
CREATE TABLE posts (platform VARCHAR, post_id VARCHAR, account_id VARCHAR, created_at TIMESTAMPTZ, url VARCHAR,
                    text VARCHAR, likes BIGINT, comments BIGINT, shares BIGINT, views BIGINT, is_reply BOOLEAN,
                    department_id VARCHAR, observed_at TIMESTAMPTZ, PRIMARY KEY (platform, post_id));
CREATE TABLE interactions (platform VARCHAR, interaction_id VARCHAR, account_id VARCHAR, received_at TIMESTAMPTZ,
                           first_response_at TIMESTAMPTZ, responder_account_id VARCHAR, department_id VARCHAR,
                           PRIMARY KEY (platform, interaction_id));
CREATE TABLE goals (goal_id VARCHAR PRIMARY KEY, title VARCHAR, metric VARCHAR, target DOUBLE, period_start DATE,
                    period_end DATE, departments VARCHAR[]);
CREATE TABLE connector_runs (run_id VARCHAR, connector VARCHAR, started_at TIMESTAMP, finished_at TIMESTAMP,
                             status VARCHAR, rows_written BIGINT, error VARCHAR);
"""

CONTRACT_TABLES = ("organizations", "departments", "accounts", "account_daily", "posts", "interactions", "goals",
                   "connector_runs")

ORGS = [("acme", "Acme Air", True), ("birch", "Birch Airways", False), ("cedar", "Cedar Jet", False)]
BRAND = {"acme": 120_000, "birch": 95_000, "cedar": 40_000}  # X followers today; Bluesky a tenth
DAYS = 60


def _brand_accounts():
    for org, _, _ in ORGS:
        yield f"x:{org}", org, "x", org, None, None
        yield f"bluesky:{org}.bsky.social", org, "bluesky", f"{org}.bsky.social", None, None


def build(path: str, *, rows: bool = True) -> str:
    con = duckdb.connect(path)
    try:
        con.execute("SET TimeZone = 'UTC'")
        con.execute(DDL)
        if rows:
            _rows(con)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return path


def _rows(con) -> None:
    con.executemany("INSERT INTO organizations VALUES (?, ?, ?)", ORGS)
    con.execute("INSERT INTO departments VALUES ('care', 'Customer Care', 250000)")
    accounts = [*_brand_accounts(),
                ("x:acmehelp", "acme", "x", "acmehelp", "care", None),
                ("bluesky:ana.bsky.social", "acme", "bluesky", "ana.bsky.social", "care", "Ana Ruiz")]
    con.executemany("INSERT INTO accounts VALUES (?, ?, ?, ?, ?, ?)", accounts)

    daily = []
    for account_id, org, platform, _, dept, person in accounts:
        base = BRAND[org] // (1 if platform == "x" else 10) if person is None and dept is None else 3_000
        for n in range(DAYS):
            day = TODAY - dt.timedelta(days=DAYS - 1 - n)
            daily.append((account_id, day, base - (DAYS - 1 - n) * (25 if org == "acme" else 15)))
    con.executemany("INSERT INTO account_daily VALUES (?, ?, ?)", daily)

    start = dt.datetime.combine(TODAY, dt.time(10), tzinfo=dt.timezone.utc)
    posts, items = [], []
    for i, (account_id, org, platform, handle, dept, person) in enumerate(accounts):
        for n in range(1, DAYS):
            at = start - dt.timedelta(days=n, minutes=7 * i)
            likes = 40 + (n * 13 + i * 7) % 90
            posts.append((platform, f"{account_id}-p{n}", account_id, at, f"https://example.com/{handle}/{n}",
                          f"Update {n} from {handle}", likes, likes // 8, likes // 5,
                          likes * 30 if platform == "x" else None, False, None, at + dt.timedelta(hours=2)))
            if person is None and dept is None:  # inbound items addressed to the brand accounts
                received = at + dt.timedelta(hours=1)
                answered = n % 4 != 0
                responder = "x:acmehelp" if org == "acme" and platform == "x" else account_id
                items.append((platform, f"{account_id}-i{n}", account_id, received,
                              received + dt.timedelta(minutes=30 + 5 * i) if answered else None,
                              responder if answered else None,
                              "care" if answered and responder == "x:acmehelp" else None))
    con.executemany("INSERT INTO posts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", posts)
    con.executemany("INSERT INTO interactions VALUES (?, ?, ?, ?, ?, ?, ?)", items)

    con.execute("INSERT INTO goals VALUES ('sla', 'Answer 90% of mentions within the hour', 'sla_attainment', 0.9, "
                "?, ?, ['care'])", [TODAY - dt.timedelta(days=30), TODAY + dt.timedelta(days=60)])
    finished = dt.datetime.now(dt.timezone.utc).replace(microsecond=0) - dt.timedelta(hours=2)
    con.execute("INSERT INTO connector_runs VALUES ('nightly-1', 'pipeline', ?, ?, 'ok', ?, NULL)",
                [finished - dt.timedelta(minutes=3), finished, len(daily) + len(posts) + len(items)])
