"""The hand-computed fixture of tests/fixture_warehouse.py plus people and goals, for the
Departments and Goals pages (every figure is worked out in tests/test_departments.py and
tests/test_goals.py).

Added to the base fixture (period Monday 5 to Sunday 11 January 2026, New York time):

* Cleo (care) with two accounts, x and bluesky: two original posts in the period (2 + 5
  engagements) and a reply (excluded); counted once.
* Dan (legal): one post before the period, none in it: inactive.
* Eve: two accounts of pr and an old one still carrying legal: she is pr's (the
  department most of her accounts carry), counted once; no post.
* Goals whose targets put each status on or next to its boundary, and one over-achieved
  (999 followers against 950: progress 105.2 %).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from socialdash.warehouse import upsert, writing
from tests import fixture_warehouse
from tests.fixture_warehouse import NOW, PERIOD, SETTINGS, utc

__all__ = ["NOW", "PERIOD", "SETTINGS", "build", "CONFIG_TOML"]

# The dashboard's settings for this fixture (AppTest and browser tests): days in New York.
CONFIG_TOML = 'timezone = "America/New_York"\nsla_minutes = 60\n'

ACCOUNTS = [
    ("acme-cleo", "acme", "x", "cleo", "care", "Cleo"),
    ("acme-cleo-bsky", "acme", "bluesky", "cleo.bsky.social", "care", "Cleo"),
    ("acme-dan", "acme", "x", "dan", "legal", "Dan"),
    ("acme-eve", "acme", "x", "eve", "pr", "Eve"),
    ("acme-eve-bsky", "acme", "bluesky", "eve.bsky.social", "pr", "Eve"),
    ("acme-eve-old", "acme", "x", "eve_old", "legal", "Eve"),
]
POSTS = [
    # post_id, account, created (UTC), likes, comments, shares, is_reply
    ("c1", "acme-cleo", "2026-01-06 15:00", 2, 0, 0, False),        # local Tue 6 Jan
    ("c2", "acme-cleo-bsky", "2026-01-08 15:00", 4, 0, 1, False),   # local Thu 8 Jan
    ("c3", "acme-cleo-bsky", "2026-01-08 16:00", 50, 0, 0, True),   # a reply: excluded
    ("d1", "acme-dan", "2026-01-02 15:00", 3, 0, 0, False),         # before the period
]
D = dt.date
GOALS = [
    # goal_id, title, metric, target, start, end, departments
    ("care-posts", "Care publishes 8 posts", "posts", 8, D(2026, 1, 5), D(2026, 1, 14), ["care"]),
    ("care-posts-risk", "Care publishes 10 posts", "posts", 10, D(2026, 1, 5), D(2026, 1, 14), ["care"]),
    ("care-posts-off", "Care publishes 10.01 posts", "posts", 10.01, D(2026, 1, 5), D(2026, 1, 14), ["care"]),
    ("care-posts-done", "Care publishes 4 posts", "posts", 4, D(2026, 1, 5), D(2026, 1, 14), ["care"]),
    ("pr-posts", "PR publishes 2 posts", "posts", 2, D(2026, 1, 5), D(2026, 1, 14), ["pr"]),
    ("care-sla", "Care answers 55% within the hour", "sla_attainment", 0.55, D(2026, 1, 5), D(2026, 1, 11), ["care"]),
    ("care-sla-off", "Care answers 56% within the hour", "sla_attainment", 0.56, D(2026, 1, 5), D(2026, 1, 11), ["care"]),
    ("care-median", "Care's median under 61 minutes", "median_response_minutes", 61, D(2026, 1, 5), D(2026, 1, 11), ["care"]),
    ("care-median-off", "Care's median under an hour", "median_response_minutes", 60, D(2026, 1, 5), D(2026, 1, 11), ["care"]),
    ("care-median-done", "Care's median under 67.5 minutes", "median_response_minutes", 67.5, D(2026, 1, 5), D(2026, 1, 11), ["care"]),
    ("pr-response-rate", "PR answers everything", "response_rate", 1.0, D(2026, 1, 5), D(2026, 1, 11), ["pr"]),
    ("sov", "Share of voice 30%", "share_of_voice", 0.3, D(2026, 1, 5), D(2026, 1, 11), ["legal"]),
    ("coop", "Co-op index 60", "coop_index", 60, D(2026, 1, 5), D(2026, 1, 11), ["legal"]),
    ("care-followers", "1,000 followers on the help desk", "followers", 1000, D(2026, 1, 5), D(2026, 1, 31), ["care"]),
    ("care-followers-950", "950 followers on the help desk", "followers", 950, D(2026, 1, 5), D(2026, 1, 31), ["care"]),
    ("growth", "Grow by 500 followers", "follower_growth", 500, D(2026, 1, 5), D(2026, 1, 11), []),
    ("pr-rate", "PR engagement rate 3%", "engagement_rate", 0.03, D(2026, 1, 5), D(2026, 1, 11), ["pr"]),
    ("care-likes", "Care earns 511 likes", "likes", 511, D(2026, 1, 5), D(2026, 1, 11), ["care"]),
    ("engagements", "Care and PR earn 1,000 engagements", "engagements", 1000, D(2026, 1, 5), D(2026, 1, 11), ["care", "pr"]),
    ("future", "Co-op index 70 in 2099", "coop_index", 70, D(2099, 1, 1), D(2099, 12, 31), ["care", "pr", "legal"]),
]


def build(path: str) -> str:
    """The base fixture at ``path`` plus this file's people, posts and goals."""
    fixture_warehouse.build(path)
    with writing(path) as con:
        upsert(con, "accounts", pd.DataFrame(
            ACCOUNTS, columns=["account_id", "org_id", "platform", "handle", "department_id", "person"]))
        platform = {a[0]: a[2] for a in ACCOUNTS}
        upsert(con, "posts", pd.DataFrame([
            {"platform": platform[acc], "post_id": pid, "account_id": acc, "created_at": utc(ts),
             "url": f"https://example.com/{pid}", "text": f"post {pid}", "likes": likes, "comments": comments,
             "shares": shares, "views": None, "is_reply": reply, "department_id": None, "observed_at": NOW}
            for pid, acc, ts, likes, comments, shares, reply in POSTS
        ]))
        upsert(con, "goals", pd.DataFrame(
            [(g[0], g[1], g[2], float(g[3]), g[4], g[5], g[6]) for g in GOALS],
            columns=["goal_id", "title", "metric", "target", "period_start", "period_end", "departments"]))
    return path
