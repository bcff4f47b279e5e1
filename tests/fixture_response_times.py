"""A small warehouse for the Response times page, every figure computed by hand in
tests/test_response_times.py.

Built so that a wrong definition gives a different number:
- the time zone is America/New_York and the period (Mon 2 – Sun 15 March 2026) spans the
  start of daylight saving time (8 March): 13:30Z is 08:30 local in the first week and
  09:30 in the second, so a fixed offset or UTC puts items in the wrong hour and on the
  wrong side of business hours;
- an item received on Sunday 15 March 23:30 local is 03:30Z on Monday 16 March: in the
  period, and in the period's second local week;
- pending items (no response, received less than 7 days before NOW) and unanswered ones
  (no response, received just over 7 days before NOW);
- a response exactly 7 days late (in the percentiles, not in the rates), a response of
  exactly 60 minutes (within the SLA of 60, but in the 1–4 h bucket), an item received at
  exactly 09:00 (business) and one at exactly 17:00 (off hours);
- an even number of responses, so continuous and discrete percentiles differ;
- the company answers on Facebook with its own access (no competitor has items there),
  the competitor Third has no Bluesky account, and Silent has no inbound item at all: the
  like-for-like comparison is X only;
- one response with no department recorded.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from socialdash.config import Settings
from socialdash.period import Period
from socialdash.warehouse import upsert, writing

TIMEZONE = "America/New_York"
SETTINGS = Settings(timezone=TIMEZONE, sla_minutes=60)  # Mon–Fri 09:00–17:00
CONFIG_TOML = f'timezone = "{TIMEZONE}"\nsla_minutes = 60\n'
PERIOD = Period(dt.date(2026, 3, 2), dt.date(2026, 3, 15))  # Monday to Sunday, two weeks
NOW = dt.datetime(2026, 3, 16, 12, 0, tzinfo=dt.timezone.utc)  # pending = received after Mar 9 12:00Z


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.timezone.utc)


ORGS = [("acme", "Acme", True), ("rival", "Rival", False), ("third", "Third", False), ("silent", "Silent", False)]
DEPARTMENTS = [("care", "Customer Service", None), ("pr", "Public Relations", None), ("legal", "Legal", None)]
ACCOUNTS = [
    # account_id, org, platform, handle, department, person
    ("acme-x", "acme", "x", "acme", None, None),
    ("acme-bsky", "acme", "bluesky", "acme.bsky.social", None, None),
    ("acme-fb", "acme", "facebook", "acmepage", None, None),
    ("acme-help", "acme", "x", "acmehelp", "care", None),
    ("rival-x", "rival", "x", "rival", None, None),
    ("rival-bsky", "rival", "bluesky", "rival.bsky.social", None, None),
    ("third-x", "third", "x", "third", None, None),
    ("silent-x", "silent", "x", "silent", None, None),
]
INTERACTIONS = [
    # id, account, received (UTC), minutes to respond (None = none), department that answered
    # (local New York time in the comment; EST = UTC−5 until Sun Mar 8 02:00, then EDT = UTC−4)
    ("a0", "acme-help", "2026-03-02 04:30", 5, "care"),     # Sun Mar 1 23:30: previous period
    ("pa1", "acme-x", "2026-02-20 15:00", 12000, "care"),   # previous period, late
    ("pa2", "acme-x", "2026-02-24 15:00", None, None),      # previous period, unanswered
    ("a1", "acme-x", "2026-03-02 14:00", 60, "care"),       # Mon 09:00 business (start included)
    ("a2", "acme-help", "2026-03-02 21:30", 20, "care"),    # Mon 16:30 business
    ("a3", "acme-fb", "2026-03-03 22:00", 300, "pr"),       # Tue 17:00 off hours (end excluded)
    ("a4", "acme-bsky", "2026-03-04 13:30", 45, "care"),    # Wed 08:30 off hours (13:30 UTC)
    ("a5", "acme-x", "2026-03-05 03:00", None, None),       # Wed 22:00 off: unanswered
    ("a6", "acme-x", "2026-03-06 15:00", 10080, "care"),    # Fri 10:00 business: exactly 7 days late
    ("a7", "acme-fb", "2026-03-07 16:00", 1000, "pr"),      # Sat 11:00 off hours
    ("a9", "acme-x", "2026-03-09 13:30", 30, "care"),       # Mon 09:30 EDT business
    ("a10", "acme-bsky", "2026-03-10 20:00", None, None),   # Tue 16:00 business: pending
    ("a11", "acme-help", "2026-03-09 11:00", None, None),   # Mon 07:00 off: unanswered (7 days 1 h)
    ("a12", "acme-x", "2026-03-11 14:00", 2000, "pr"),      # Wed 10:00 business
    ("a13", "acme-fb", "2026-03-12 18:00", 90, None),       # Thu 14:00 business: no department recorded
    ("a14", "acme-x", "2026-03-14 02:00", None, None),      # Fri Mar 13 22:00 off: pending
    ("a16", "acme-x", "2026-03-16 03:30", 15, "care"),      # Sun Mar 15 23:30 off: in the period
    ("rp1", "rival-x", "2026-02-25 15:00", 30, None),       # previous period
    ("r1", "rival-x", "2026-03-03 15:00", 10, None),
    ("r2", "rival-x", "2026-03-04 15:00", 50, None),
    ("r3", "rival-bsky", "2026-03-05 15:00", 400, None),
    ("r4", "rival-x", "2026-03-10 15:00", None, None),      # pending
    ("r5", "rival-x", "2026-03-12 15:00", 20, None),
    ("t1", "third-x", "2026-03-03 16:00", 120, None),
    ("t2", "third-x", "2026-03-06 16:00", None, None),      # unanswered
    ("t3", "third-x", "2026-03-11 16:00", 40, None),
]
PLATFORM_OF = {a[0]: a[2] for a in ACCOUNTS}
# X ids are numbers: give each item a numeric id on X, keep the names elsewhere.
X_IDS = {iid: str(1900000000000000000 + n) for n, (iid, acc, *_) in enumerate(INTERACTIONS) if PLATFORM_OF[acc] == "x"}
# The public answers the warehouse holds as reply posts (created at the first response).
REPLY_POSTS = {"a12": "https://x.com/acme/status/42", "a3": "https://www.facebook.com/acmepage/posts/7"}


def interaction_id(name: str) -> str:
    return X_IDS.get(name, name)


def build(path: str) -> str:
    """Write the fixture warehouse at ``path`` and return the path."""
    with writing(path) as con:
        upsert(con, "organizations", pd.DataFrame(ORGS, columns=["org_id", "name", "is_self"]))
        upsert(con, "departments", pd.DataFrame(DEPARTMENTS, columns=["department_id", "name", "annual_budget"]))
        upsert(con, "accounts", pd.DataFrame(
            ACCOUNTS, columns=["account_id", "org_id", "platform", "handle", "department_id", "person"]))
        rows = []
        for iid, acc, ts, mins, dept in INTERACTIONS:
            rows.append({
                "platform": PLATFORM_OF[acc], "interaction_id": interaction_id(iid), "account_id": acc,
                "received_at": utc(ts),
                "first_response_at": utc(ts) + dt.timedelta(minutes=mins) if mins is not None else None,
                "responder_account_id": acc if mins is not None else None, "department_id": dept,
            })
        upsert(con, "interactions", pd.DataFrame(rows))
        by_name = {i[0]: i for i in INTERACTIONS}
        posts = pd.DataFrame([
            {"platform": PLATFORM_OF[by_name[name][1]], "post_id": f"reply-{name}", "account_id": by_name[name][1],
             "created_at": utc(by_name[name][2]) + dt.timedelta(minutes=by_name[name][3]), "url": url,
             "text": "Thanks, we are on it", "likes": 0, "comments": 0, "shares": 0, "views": None,
             "is_reply": True, "department_id": None, "observed_at": NOW}
            for name, url in REPLY_POSTS.items()
        ])
        upsert(con, "posts", posts)
    return path
