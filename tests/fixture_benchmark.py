"""A small warehouse for the Competitors page, every figure computed by hand in
tests/test_benchmark.py. Days are counted in UTC (the dashboard's default without a
configuration file), so the page tests read the same numbers.

Built so that a wrong rule gives a different number: an organization missing from a
platform (Fabrikam on Instagram and Bluesky, Contoso on YouTube), a second account added
mid-period beside an older one (Contoso on Instagram), an organization whose only account
on a platform starts mid-period (Contoso on Bluesky), ties, video views on YouTube only,
an employee's account and a reply (both left out), rank changes against the previous
period, and a post whose text is markup and whose link is not http(s).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from socialdash.config import Settings
from socialdash.period import Period
from socialdash.warehouse import upsert, writing

SETTINGS = Settings()  # UTC
PERIOD = Period(dt.date(2026, 3, 2), dt.date(2026, 3, 8))  # previous: Feb 23 – Mar 1
START, END = PERIOD.start.isoformat(), PERIOD.end.isoformat()
OBSERVED = dt.datetime(2026, 3, 9, 12, 0, tzinfo=dt.timezone.utc)

ORGS = [("north", "Northwind", True), ("contoso", "Contoso", False), ("fab", "Fabrikam", False)]
ACCOUNTS = [
    # account_id, org, platform, handle, person
    ("north-x", "north", "x", "north", None),
    ("north-ig", "north", "instagram", "north", None),
    ("north-yt", "north", "youtube", "@north", None),
    ("north-bsky", "north", "bluesky", "north.bsky.social", None),
    ("north-emp", "north", "x", "ema", "Ema"),  # an employee: never part of the organization's figures
    ("contoso-x", "contoso", "x", "contoso", None),
    ("contoso-ig", "contoso", "instagram", "contoso", None),
    ("contoso-ig2", "contoso", "instagram", "contosohelp", None),  # added mid-period (Mar 5)
    ("contoso-bsky", "contoso", "bluesky", "contoso.bsky.social", None),  # its only Bluesky account, from Mar 4
    ("fab-x", "fab", "x", "fab", None),
    ("fab-yt", "fab", "youtube", "@fab", None),
]
DAILY = [
    ("north-x", "2026-02-22", 1000), ("north-x", "2026-03-01", 1100), ("north-x", "2026-03-08", 1200),
    ("contoso-x", "2026-02-22", 2000), ("contoso-x", "2026-03-01", 2000), ("contoso-x", "2026-03-08", 2300),
    ("fab-x", "2026-02-22", 500), ("fab-x", "2026-03-02", 550), ("fab-x", "2026-03-08", 600),
    ("north-ig", "2026-02-22", 400), ("north-ig", "2026-03-08", 500),
    ("contoso-ig", "2026-02-22", 300), ("contoso-ig", "2026-03-08", 330),
    ("contoso-ig2", "2026-03-05", 100), ("contoso-ig2", "2026-03-08", 120),
    ("north-yt", "2026-02-22", 1000), ("north-yt", "2026-03-08", 1000),
    ("fab-yt", "2026-02-22", 2000), ("fab-yt", "2026-03-08", 2000),
    ("north-bsky", "2026-02-22", 200), ("north-bsky", "2026-03-08", 260),
    ("contoso-bsky", "2026-03-04", 150), ("contoso-bsky", "2026-03-08", 180),
    ("north-emp", "2026-02-22", 50000),
]
MARKUP = "<script>alert(1)</script> **Big** sale | [click](javascript:alert(1))"
POSTS = [
    # post_id, account, created (UTC), likes, comments, shares, views, is_reply, text, url
    ("n1", "north-x", "2026-03-02 10:00", 50, 5, 5, None, False, None, None),
    ("n2", "north-x", "2026-03-05 12:00", 30, 0, 0, None, False, None, None),
    ("n3", "north-x", "2026-03-03 09:00", 900, 0, 0, None, True, None, None),  # a reply: left out
    ("e1", "north-emp", "2026-03-04 12:00", 1000, 0, 0, None, False, None, None),  # an employee's: left out
    ("c1", "contoso-x", "2026-03-03 12:00", 100, 10, 10, None, False, None, None),
    ("f1", "fab-x", "2026-03-04 12:00", 20, 2, 3, None, False, None, None),
    ("ni1", "north-ig", "2026-03-04 12:00", 40, 5, 5, None, False, None, None),
    ("ci1", "contoso-ig", "2026-03-03 12:00", 30, 0, 0, None, False, MARKUP, "javascript:alert(1)"),
    ("ci2", "contoso-ig2", "2026-03-05 09:00", 60, 0, 0, None, False, None, None),
    ("ny1", "north-yt", "2026-03-06 12:00", 10, 0, 0, 5000, False, None, None),
    ("fy1", "fab-yt", "2026-03-07 12:00", 20, 0, 0, 3000, False, None, None),
    ("nb1", "north-bsky", "2026-03-03 12:00", 20, 0, 0, None, False, None, None),
    ("cb1", "contoso-bsky", "2026-03-04 12:00", 30, 0, 0, None, False, None, None),
    # the previous period
    ("pn1", "north-x", "2026-02-24 12:00", 80, 10, 10, None, False, None, None),
    ("pc1", "contoso-x", "2026-02-25 12:00", 40, 0, 0, None, False, None, None),
    ("pf1", "fab-x", "2026-02-26 12:00", 10, 0, 0, None, False, None, None),
    ("pni1", "north-ig", "2026-02-25 12:00", 10, 0, 0, None, False, None, None),
    ("pci1", "contoso-ig", "2026-02-26 12:00", 30, 0, 0, None, False, None, None),
    ("pny1", "north-yt", "2026-02-27 12:00", 5, 0, 0, 1000, False, None, None),
    ("pfy1", "fab-yt", "2026-02-28 12:00", 5, 0, 0, 8000, False, None, None),
    ("pnb1", "north-bsky", "2026-02-25 12:00", 10, 0, 0, None, False, None, None),
]
PLATFORM_OF = {a[0]: a[2] for a in ACCOUNTS}


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.timezone.utc)


def build(path: str, names: dict[str, str] | None = None) -> str:
    """Write the fixture warehouse at ``path`` and return the path; ``names`` renames
    organizations (to check that names are shown as text)."""
    orgs = [(org, (names or {}).get(org, name), is_self) for org, name, is_self in ORGS]
    with writing(path) as con:
        upsert(con, "organizations", pd.DataFrame(orgs, columns=["org_id", "name", "is_self"]))
        upsert(con, "accounts", pd.DataFrame(
            [(a, o, p, h, None, person) for a, o, p, h, person in ACCOUNTS],
            columns=["account_id", "org_id", "platform", "handle", "department_id", "person"]))
        daily = pd.DataFrame(DAILY, columns=["account_id", "day", "followers"])
        daily["day"] = pd.to_datetime(daily["day"]).dt.date
        upsert(con, "account_daily", daily)
        upsert(con, "posts", pd.DataFrame([
            {"platform": PLATFORM_OF[acc], "post_id": pid, "account_id": acc, "created_at": utc(ts),
             "url": url or f"https://example.com/{pid}", "text": text or f"Post {pid}", "likes": likes,
             "comments": comments, "shares": shares, "views": views, "is_reply": reply,
             "department_id": None, "observed_at": OBSERVED}
            for pid, acc, ts, likes, comments, shares, views, reply, text, url in POSTS
        ]))
    return path
