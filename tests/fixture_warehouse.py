"""A small warehouse whose every figure was computed by hand (see tests/test_metrics.py).

Built so that a wrong formula gives a different number: an employee account with a huge
audience, a reply with a thousand likes, an account that appears mid-period, posts whose
local day differs from their UTC day (America/New_York), a response after eight days,
pending items, an interaction on an employee's account.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from socialdash.config import Settings
from socialdash.period import Period
from socialdash.warehouse import upsert, writing

SETTINGS = Settings(timezone="America/New_York", sla_minutes=60)
PERIOD = Period(dt.date(2026, 1, 5), dt.date(2026, 1, 11))  # Monday to Sunday
NOW = dt.datetime(2026, 1, 14, 12, 0, tzinfo=dt.timezone.utc)  # pending = received after Jan 7 12:00Z


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.timezone.utc)


ORGS = [("acme", "Acme", True), ("rival", "Rival", False), ("other", "Other", False)]
DEPARTMENTS = [("care", "Customer Service", 365000.0), ("pr", "Public Relations", 73000.0), ("legal", "Legal", None)]
ACCOUNTS = [
    # account_id, org, platform, handle, department, person
    ("acme-x", "acme", "x", "acme", None, None),
    ("acme-bsky", "acme", "bluesky", "acme.bsky.social", None, None),
    ("acme-help", "acme", "x", "acmehelp", "care", None),
    ("acme-ana", "acme", "x", "ana", "care", "Ana"),
    ("acme-pete", "acme", "x", "pete", "pr", "Pete"),
    ("rival-x", "rival", "x", "rival", None, None),
    ("rival-bsky", "rival", "bluesky", "rival.bsky.social", None, None),
    ("other-x", "other", "x", "other", None, None),
]
DAILY = [
    ("acme-x", "2026-01-03", 1000), ("acme-x", "2026-01-05", 1100), ("acme-x", "2026-01-08", 1200),
    ("acme-x", "2026-01-10", 1300),
    ("acme-bsky", "2026-01-01", 500), ("acme-bsky", "2026-01-11", 700),
    ("acme-help", "2026-01-04", 200), ("acme-help", "2026-01-12", 999),  # after the period
    ("acme-ana", "2026-01-01", 10000),  # an employee: never part of the audience
    ("rival-x", "2026-01-02", 3000), ("rival-x", "2026-01-09", 3300),
    ("rival-bsky", "2026-01-08", 800),  # appears mid-period: audience yes, growth no
    ("other-x", "2026-01-05", 400), ("other-x", "2026-01-11", 400),
]
POSTS = [
    # post_id, account, created (UTC), likes, comments, shares, is_reply, department
    ("p1", "acme-x", "2026-01-05 15:00", 100, 10, 12, False, None),
    ("p2", "acme-x", "2026-01-08 03:00", 40, 5, 5, False, None),  # local Jan 7: followers 1100
    ("p3", "acme-x", "2026-01-06 12:00", 1000, 0, 0, True, None),  # a reply: excluded
    ("p4", "acme-x", "2026-01-05 04:00", 7, 0, 0, False, None),  # local Jan 4: previous period
    ("p5", "acme-x", "2026-01-12 04:30", 30, 0, 9, False, "pr"),  # local Jan 11: in the period
    ("p6", "acme-bsky", "2026-01-06 12:00", 20, 2, 3, False, None),
    ("p7", "acme-help", "2026-01-07 15:00", 5, 5, 0, False, None),
    ("p8", "acme-ana", "2026-01-07 16:00", 500, 50, 50, False, None),
    ("p9", "acme-pete", "2026-01-08 16:00", 3, 0, 0, True, None),
    ("p10", "acme-pete", "2026-01-09 16:00", 8, 1, 1, False, None),
    ("r1", "rival-x", "2026-01-06 15:00", 300, 30, 30, False, None),
    ("r2", "rival-x", "2026-01-10 15:00", 100, 0, 20, False, None),
    ("r3", "rival-bsky", "2026-01-07 15:00", 50, 0, 0, False, None),  # no follower count yet
    ("o1", "other-x", "2026-01-10 15:00", 10, 2, 0, False, None),
]
INTERACTIONS = [
    # id, account, received (UTC), minutes to respond (None = none), department that answered
    ("i1", "acme-x", "2026-01-05 15:00", 30, "care"),       # Mon 10:00 local, business
    ("i2", "acme-help", "2026-01-06 14:30", 90, "care"),    # Tue 09:30, business
    ("i3", "acme-x", "2026-01-07 01:00", 600, "pr"),        # Tue 20:00, off hours
    ("i4", "acme-bsky", "2026-01-10 15:00", None, None),    # Sat: pending
    ("i5", "acme-x", "2026-01-05 06:00", None, None),       # Mon 01:00: unanswered
    ("i6", "acme-help", "2026-01-05 20:00", 11520, "care"), # Mon 15:00 (20:00 UTC): answered after 8 days
    ("i7", "acme-x", "2026-01-08 18:00", None, None),       # Thu 13:00: pending
    ("i8", "acme-ana", "2026-01-06 15:00", 1, None),        # an employee's account: not the company's
    ("i9", "acme-x", "2026-01-09 15:00", 45, "care"),       # Fri 10:00, business
    ("i10", "acme-help", "2026-01-04 15:00", 5, "care"),    # previous period
    ("ri1", "rival-x", "2026-01-06 15:00", 20, None),
    ("ri2", "rival-x", "2026-01-07 15:00", 40, None),
    ("ri3", "rival-x", "2026-01-08 15:00", 200, None),
    ("ri4", "rival-x", "2026-01-09 15:00", None, None),     # pending
]
PLATFORM_OF = {a[0]: a[2] for a in ACCOUNTS}


def build(path: str) -> str:
    """Write the fixture warehouse at ``path`` and return the path."""
    with writing(path) as con:
        upsert(con, "organizations", pd.DataFrame(ORGS, columns=["org_id", "name", "is_self"]))
        upsert(con, "departments", pd.DataFrame(DEPARTMENTS, columns=["department_id", "name", "annual_budget"]))
        upsert(con, "accounts", pd.DataFrame(
            ACCOUNTS, columns=["account_id", "org_id", "platform", "handle", "department_id", "person"]))
        daily = pd.DataFrame(DAILY, columns=["account_id", "day", "followers"])
        daily["day"] = pd.to_datetime(daily["day"]).dt.date
        upsert(con, "account_daily", daily)
        posts = pd.DataFrame([
            {"platform": PLATFORM_OF[acc], "post_id": pid, "account_id": acc, "created_at": utc(ts),
             "url": f"https://example.com/{pid}", "text": f"post {pid}", "likes": likes,
             "comments": comments, "shares": shares, "views": None, "is_reply": reply,
             "department_id": dept, "observed_at": NOW}
            for pid, acc, ts, likes, comments, shares, reply, dept in POSTS
        ])
        upsert(con, "posts", posts)
        inter = pd.DataFrame([
            {"platform": PLATFORM_OF[acc], "interaction_id": iid, "account_id": acc, "received_at": utc(ts),
             "first_response_at": utc(ts) + dt.timedelta(minutes=mins) if mins is not None else None,
             "responder_account_id": acc if mins is not None else None, "department_id": dept}
            for iid, acc, ts, mins, dept in INTERACTIONS
        ])
        upsert(con, "interactions", inter)
    return path
