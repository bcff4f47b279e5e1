"""A small warehouse where ranked values are close enough to read alike at the usual
precision (issue 12): every figure below is computed by hand.

Period: March 2026 (31 days; the previous period is 29 Jan – 28 Feb, 31 days). One
platform, X; every account has follower counts from 1 Jan 2026, so every comparison is
like for like. Days in UTC (the dashboard's default without a configuration file).

- Posts per day: Contoso Airlines 15 / 31 = 0.4839, Northwind 14 / 31 = 0.4516,
  Fabrikam 10 / 31 = 0.3226. At one decimal the first two both read "0.5/day" while
  ranked 1st and 2nd; with two they read "0.48/day" and "0.45/day". In the previous
  period Northwind also posted 14 times: no change.
- Likes: Contoso Airlines 14 × 150,000 + 57,343 = 2,157,343; Northwind 13 × 150,000 +
  205,893 = 2,155,893; Fabrikam 10 × 100,000 = 1,000,000. Both leaders read "2.16M";
  the gap is 1,450 = 0.0672 % of the leader's. Competitor average (2,157,343 +
  1,000,000) / 2 = 1,578,671.5; landscape average 5,313,236 / 3 = 1,771,078.67.
- Followers: constant (Northwind 1,000,000, Contoso Airlines 2,000,000, Fabrikam
  500,000), so follower growth is 0 in both periods: no change.
- Share of voice (engagements = likes: no comments or shares): Northwind 2,155,893 /
  5,313,236 = 40.58 %, Contoso Airlines 40.60 %, Fabrikam 18.82 %. In the week of
  Mon 9 March only Northwind's 205,893-like post and two of Fabrikam's posts (200,000):
  Northwind's share that week is 205,893 / 405,893 = 50.7 %; in the week of 16 March
  Northwind alone posts 150,000 × 4 against Fabrikam's 100,000: 85.7 %.

Inbound items (X, both organizations; NOW = 15 April 2026, so nothing is pending):
- Northwind, in March and again in February: 11 items answered after 10, 20, 30, 40, 50,
  70, 80, 90, 100 and 200 minutes and one never: median (50 + 70) / 2 = 60 min,
  response rate 10 / 11 = 90.9 %, SLA attainment (≤ 60 min) 5 / 11 = 45.45 %; the same in
  both periods: no change on any card.
- Contoso Airlines, in March: 200 items, 91 answered after 30 minutes, 100 after 120 and
  9 never: median 120 min, response rate 191 / 200 = 95.5 %, SLA attainment 91 / 200 =
  45.50 %. At one decimal both SLA attainments read "45.5%" while ranked 1st (Contoso
  Airlines) and 2nd (Northwind).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from socialdash.period import Period
from socialdash.warehouse import upsert, writing

PERIOD = Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
START, END = PERIOD.start.isoformat(), PERIOD.end.isoformat()
OBSERVED = dt.datetime(2026, 4, 1, 12, 0, tzinfo=dt.timezone.utc)

ORGS = [("north", "Northwind", True), ("contoso", "Contoso Airlines", False), ("fab", "Fabrikam", False)]
FOLLOWERS = {"north": 1_000_000, "contoso": 2_000_000, "fab": 500_000}


def _posts() -> list[tuple]:
    """(post_id, org, day, likes) of the period and the previous one."""
    posts = []
    # Northwind: 13 posts of 150,000 likes and one of 205,893 (Mon 9 March)
    north_days = [1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 23, 24]
    posts += [(f"n{d}", "north", dt.date(2026, 3, d), 150_000) for d in north_days]
    posts.append(("n9", "north", dt.date(2026, 3, 9), 205_893))
    # Contoso Airlines: 14 posts of 150,000 and one of 57,343, none in the weeks of 9 and 16 March
    contoso_days = [1, 2, 3, 4, 5, 6, 7, 7, 23, 24, 25, 26, 27, 28]
    posts += [(f"c{i}", "contoso", dt.date(2026, 3, d), 150_000) for i, d in enumerate(contoso_days)]
    posts.append(("c-last", "contoso", dt.date(2026, 3, 31), 57_343))
    # Fabrikam: 10 posts of 100,000 (two in the week of 9 March, one in that of 16 March)
    fab_days = [2, 4, 10, 12, 20, 24, 26, 28, 30, 31]
    posts += [(f"f{i}", "fab", dt.date(2026, 3, d), 100_000) for i, d in enumerate(fab_days)]
    # the previous period: 14, 10 and 10 posts of 1,000 likes
    for org, count in (("north", 14), ("contoso", 10), ("fab", 10)):
        posts += [(f"p-{org}-{i}", org, dt.date(2026, 2, 1 + i), 1_000) for i in range(count)]
    return posts


POSTS = _posts()
NOW = dt.datetime(2026, 4, 15, 12, 0, tzinfo=dt.timezone.utc)
NORTHWIND_MINUTES = [10, 20, 30, 40, 50, 70, 80, 90, 100, 200, None]
CONTOSO_MINUTES = [30] * 91 + [120] * 100 + [None] * 9


def _interactions() -> list[tuple]:
    """(interaction_id, org, received, minutes to the first response or None)."""
    items = []
    for month in (2, 3):
        items += [(f"n{month}-{i}", "north", dt.datetime(2026, month, 2 + i, 15, 0, tzinfo=dt.timezone.utc), m)
                  for i, m in enumerate(NORTHWIND_MINUTES)]
    items += [(f"c3-{i}", "contoso", dt.datetime(2026, 3, 2 + i % 25, 9 + i % 8, 0, tzinfo=dt.timezone.utc), m)
              for i, m in enumerate(CONTOSO_MINUTES)]
    return items


INTERACTIONS = _interactions()


def build(path: str) -> str:
    with writing(path) as con:
        upsert(con, "organizations", pd.DataFrame(ORGS, columns=["org_id", "name", "is_self"]))
        upsert(con, "accounts", pd.DataFrame(
            [(f"{org}-x", org, "x", org, None, None) for org, _, _ in ORGS],
            columns=["account_id", "org_id", "platform", "handle", "department_id", "person"]))
        upsert(con, "account_daily", pd.DataFrame(
            [(f"{org}-x", day, FOLLOWERS[org]) for org in FOLLOWERS
             for day in (dt.date(2026, 1, 1), dt.date(2026, 2, 28), dt.date(2026, 3, 31))],
            columns=["account_id", "day", "followers"]))
        upsert(con, "posts", pd.DataFrame([
            {"platform": "x", "post_id": pid, "account_id": f"{org}-x",
             "created_at": dt.datetime.combine(day, dt.time(12), tzinfo=dt.timezone.utc),
             "url": f"https://example.com/{pid}", "text": f"Post {pid}", "likes": likes, "comments": 0,
             "shares": 0, "views": None, "is_reply": False, "department_id": None, "observed_at": OBSERVED}
            for pid, org, day, likes in POSTS
        ]))
        upsert(con, "interactions", pd.DataFrame([
            {"platform": "x", "interaction_id": iid, "account_id": f"{org}-x", "received_at": received,
             "first_response_at": None if m is None else received + dt.timedelta(minutes=m),
             "responder_account_id": None if m is None else f"{org}-x", "department_id": None}
            for iid, org, received, m in INTERACTIONS
        ]))
    return path
