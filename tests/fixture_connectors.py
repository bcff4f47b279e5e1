"""A small world on the fake platforms, for the connector tests; every expected figure
below is worked out by hand from it.

Organizations: Acme (the company), Rival and Other (competitors). Departments: care
(signature ``^CS:``) and pr (``#AcmeNews``). People: Ana (care; Mastodon on another
instance, Bluesky), Pete (pr; LinkedIn, a member profile the API does not cover).

Times are relative to ``now`` (the moment the world is built); history_days = 90.

Mastodon (instance mastodon.social; ana is on example.social)
  s99   acme      now-120d  original                        older than history_days: never read
  s100  acme      now-3d    "Spring sale! #AcmeNews"        5 favourites, 2 boosts → pr (signature)
  s101  cust1     now-3d+10m  reply to s100, mentions acme  → inbound for acme
  s102  acmehelp  now-3d+40m  reply to s101                 → response after 30 min, care (its account)
  s103  cust2@other.social now-2d  mentions acme (a new thread) → inbound for acme
  s104  acme      now-2d+2h  reply to s103 "CS: on it"      → response after 120 min, care (signature)
  s105  ana@example.social now-2d  reply to s100            employee: the organization's, not inbound
  s106  cust1     now-1h    reply to s104, mentions acme    → inbound, no response (pending)
  s200  rival     now-1d    original
  s201  cust1     now-1d+5m  reply to s200                  → inbound for rival
  s202  rival     now-1d+65m reply to s201                  → response after 60 min
  posts written: s100, s104 (acme), s102 (acmehelp), s105 (ana), s200, s202 (rival) = 6
  interactions: s101 (30), s103 (120), s106 (—), s201 (60) = 4

Bluesky
  b1  acme   now-2d        original, 10 likes, 1 repost + 1 quote (shares 2)
  b2  cust   now-2d+1h     reply to b1                      → inbound for acme
  b3  acme   now-2d+1h15m  reply to b2                      → response after 15 min (brand: no department)
  b5  cust   now-2d+2h     reply to b3                      → inbound, no response (pending)
  r1  rival  now-1d        original
  r2  cust   now-1d+10m    reply to r1                      → inbound for rival
  r3  rival  now-1d+55m    reply to r2                      → response after 45 min
  a1  ana    now-1d        original (employee)
  posts: b1, b3, r1, r3, a1 = 5; interactions: b2 (15), b5 (—), r2 (45) = 3

X
  t1   acme      now-1d       original, 20 likes, 3 retweets + 1 quote, 5,000 impressions
  t2   cust      now-20h      mentions acme                 → inbound for acme
  t3   acmehelp  now-20h+10m  reply to t2                   → response after 10 min, care
  t4   cust      now-22h      reply to t1                   → inbound for acme, no response (pending)
  t10  rival     now-6h       original
  t11  cust      now-5h       mentions rival                → inbound for rival
  t12  rival     now-5h+90m   reply to t11                  → response after 90 min
  "other": its timeline answers malformed JSON → the account fails, X is partial
  posts: t1, t3, t10, t12 = 4; interactions: t2 (10), t4 (—), t11 (90) = 3

YouTube  (@acme, 4,200 subscribers as the string "4200")
  v1   now-5d  1,200 views, 50 likes, 3 comments
  th1  UCcust  now-4d; replies: acme at +3h (→ 180 min), UCcust2 at +5h (inline only the first)
  th2  UCcust2 now-1d; no reply (pending)
  posts: v1 = 1; interactions: th1 (180), th2 (—) = 2

Facebook (page acmepage, id 5001, 8,000 followers)
  5001_1  now-2d  30 reactions, 4 shares; comments: fc1 by 7001 at +1h answered by the page at +1h20m
          (→ 20 min, no department), fc2 by 7002 at now-1d unanswered (pending)
  5001_2  now-1d  "CS: Schedule change" → care (signature)
  posts: 2; interactions: fc1 (20), fc2 (—) = 2

Instagram (acme.ig via business discovery; 7,000 followers): m1 now-3d, m2 now-1d → 2 posts
LinkedIn (acme-co → organization 4242, 12,000 followers); pete-li skipped (member profile)

Totals: posts 6+5+4+1+2+2 = 20; interactions 4+3+3+2+2 = 14;
account_daily (one row per account with a count today): mastodon 4 (acme, acmehelp, ana,
rival) + bluesky 3 (acme, rival, ana) + x 3 (acme, acmehelp, rival) + youtube 1 + facebook 1
+ instagram 1 + linkedin 1 = 14; accounts 16 (acme 7, care 2, ana 2, pete 1, rival 3, other 1).
"""

from __future__ import annotations

import datetime as dt

from tests.fake_platforms import FakePlatforms

H = dt.timedelta(hours=1)
M = dt.timedelta(minutes=1)
D = dt.timedelta(days=1)

CONFIG = """
timezone = "UTC"
sla_minutes = 60
history_days = 90
lookback_days = 30

[[organizations]]
id = "acme"
name = "Acme"
self = true
accounts = {{ mastodon = "acme@mastodon.social", bluesky = "acme.bsky.social", x = "acme", youtube = "@acme", facebook = "acmepage", instagram = "acme.ig", linkedin = "acme-co" }}

[[organizations]]
id = "rival"
name = "Rival"
accounts = {{ mastodon = "rival@mastodon.social", bluesky = "rival.bsky.social", x = "rival" }}

[[organizations]]
id = "other"
name = "Other"
accounts = {{ x = "other" }}

[[departments]]
id = "care"
name = "Customer Service"
accounts = {{ mastodon = "acmehelp@mastodon.social", x = "acmehelp" }}
signatures = ["^CS:"]

[[departments]]
id = "pr"
name = "Public Relations"
signatures = ["#AcmeNews"]

[[people]]
name = "Ana"
department = "care"
accounts = {{ mastodon = "ana@example.social", bluesky = "ana.bsky.social" }}

[[people]]
name = "Pete"
department = "pr"
accounts = {{ linkedin = "pete-li" }}
{platforms}
"""

ACME_Y, CUST_Y, CUST2_Y = "UCacme000000000000000001", "UCcust000000000000000001", "UCcust000000000000000002"


def config_text(fake: FakePlatforms, extra: str = "") -> str:
    return CONFIG.format(platforms=fake.platforms_toml()) + extra


def build_world(fake: FakePlatforms) -> None:
    now = fake.now
    # Mastodon
    for acct, aid, followers in (("acme@mastodon.social", "1", 1500), ("acmehelp@mastodon.social", "2", 300),
                                 ("ana@example.social", "3", 80), ("rival@mastodon.social", "4", 900),
                                 ("cust1@mastodon.social", "10", 5), ("cust2@other.social", "11", 7)):
        fake.mastodon_account(acct, aid, followers)
    ms = fake.mastodon_status
    ms("99", "acme@mastodon.social", now - 120 * D, "Old news")
    ms("100", "acme@mastodon.social", now - 3 * D, "Spring sale! #AcmeNews", favourites=5, reblogs=2)
    ms("101", "cust1@mastodon.social", now - 3 * D + 10 * M, "@acme is it on?", reply_to="100",
       mentions=("acme@mastodon.social",))
    ms("102", "acmehelp@mastodon.social", now - 3 * D + 40 * M, "@cust1 yes!", reply_to="101",
       mentions=("cust1@mastodon.social",))
    ms("103", "cust2@other.social", now - 2 * D, "@acme my bag is lost", mentions=("acme@mastodon.social",))
    ms("104", "acme@mastodon.social", now - 2 * D + 2 * H, "CS: on it", reply_to="103",
       mentions=("cust2@other.social",))
    ms("105", "ana@example.social", now - 2 * D, "Great deals", reply_to="100")
    ms("106", "cust1@mastodon.social", now - 1 * H, "@acme still waiting", reply_to="104",
       mentions=("acme@mastodon.social",))
    ms("200", "rival@mastodon.social", now - 1 * D, "Rival news")
    ms("201", "cust1@mastodon.social", now - 1 * D + 5 * M, "@rival hello", reply_to="200",
       mentions=("rival@mastodon.social",))
    ms("202", "rival@mastodon.social", now - 1 * D + 65 * M, "@cust1 hi", reply_to="201")

    # Bluesky
    for handle, did, followers in (("acme.bsky.social", "did:plc:acme", 2500), ("rival.bsky.social", "did:plc:rival", 1800),
                                   ("ana.bsky.social", "did:plc:ana", 120), ("cust.bsky.social", "did:plc:cust", 3)):
        fake.bluesky_profile(handle, did, followers)
    bp = fake.bluesky_post
    b1 = bp("b1", "did:plc:acme", now - 2 * D, "Hello Bluesky", likes=10, reposts=1, quotes=1)
    b2 = bp("b2", "did:plc:cust", now - 2 * D + H, "question?", reply_to=b1)
    b3 = bp("b3", "did:plc:acme", now - 2 * D + H + 15 * M, "answer", reply_to=b2)
    bp("b5", "did:plc:cust", now - 2 * D + 2 * H, "follow-up?", reply_to=b3)
    r1 = bp("r1", "did:plc:rival", now - D, "Rival on Bluesky")
    r2 = bp("r2", "did:plc:cust", now - D + 10 * M, "rival question", reply_to=r1)
    bp("r3", "did:plc:rival", now - D + 55 * M, "rival answer", reply_to=r2)
    bp("a1", "did:plc:ana", now - D, "Proud of the team")

    # X
    for name, uid, followers in (("acme", "1001", 10000), ("acmehelp", "1002", 2000), ("rival", "2001", 8000),
                                 ("other", "3001", 500), ("cust", "9001", 10)):
        fake.x_user(name, uid, followers)
    xt = fake.x_tweet
    xt("5001", "1001", now - D, "Big news", likes=20, retweets=3, quotes=1, impressions=5000)
    xt("5002", "9001", now - 20 * H, "@acme where is my flight?", mentions=("1001",))
    xt("5003", "1002", now - 20 * H + 10 * M, "@cust on time", reply_to="5002", mentions=("9001",))
    xt("5004", "9001", now - 22 * H, "@acme nice", reply_to="5001", mentions=("1001",))
    xt("5010", "2001", now - 6 * H, "Rival news", likes=7)
    xt("5011", "9001", now - 5 * H, "@rival help", mentions=("2001",))
    xt("5012", "2001", now - 5 * H + 90 * M, "@cust sure", reply_to="5011", mentions=("9001",))
    xt("5020", "3001", now - 3 * H, "Other news")
    fake.add_fault("/x/2/users/3001/tweets", status=200, raw=b'{"data": [{"id": "5020", "text": "trunc', times=None)

    # YouTube
    fake.youtube_channel("@acme", ACME_Y, 4200)
    fake.youtube_video("vid00000001", ACME_Y, now - 5 * D, "Our new plane", views=1200, likes=50, comments=3)
    fake.youtube_thread("th1", ACME_Y, "vid00000001", CUST_Y, now - 4 * D,
                        replies=[("th1.r1", ACME_Y, now - 4 * D + 3 * H), ("th1.r2", CUST2_Y, now - 4 * D + 5 * H)])
    fake.youtube_thread("th2", ACME_Y, "vid00000001", CUST2_Y, now - D)

    # Facebook and Instagram
    fake.facebook_page("acmepage", "5001", 8000)
    fake.facebook_post("5001_1", "5001", now - 2 * D, "Welcome aboard", reactions=30, shares=4, comments=[
        ("5001_1_c1", "7001", now - 2 * D + H, [("5001_1_c1r", "5001", now - 2 * D + H + 20 * M)]),
        ("5001_1_c2", "7002", now - D, []),
    ])
    fake.facebook_post("5001_2", "5001", now - D, "CS: Schedule change", reactions=5, shares=0)
    fake.instagram_account("acme.ig", "17841400000000042", 7000, [
        ("18000000000000001", now - 3 * D, 100, 7, "Sunset"), ("18000000000000002", now - D, 60, 2, "Sunrise")])

    # LinkedIn
    fake.linkedin_org("acme-co", 4242, 12000)


EXPECTED_COUNTS = {"posts": 20, "interactions": 14, "account_daily": 14, "accounts": 16,
                   "organizations": 3, "departments": 2}
# (platform, interaction id) -> (addressed account, minutes to respond or None, responder, department)
EXPECTED_INTERACTIONS = {
    ("mastodon", "https://mastodon.social/users/cust1/statuses/101"): ("mastodon:acme@mastodon.social", 30, "mastodon:acmehelp@mastodon.social", "care"),
    ("mastodon", "https://other.social/users/cust2/statuses/103"): ("mastodon:acme@mastodon.social", 120, "mastodon:acme@mastodon.social", "care"),
    ("mastodon", "https://mastodon.social/users/cust1/statuses/106"): ("mastodon:acme@mastodon.social", None, None, None),
    ("mastodon", "https://mastodon.social/users/cust1/statuses/201"): ("mastodon:rival@mastodon.social", 60, "mastodon:rival@mastodon.social", None),
    ("bluesky", "at://did:plc:cust/app.bsky.feed.post/b2"): ("bluesky:acme.bsky.social", 15, "bluesky:acme.bsky.social", None),
    ("bluesky", "at://did:plc:cust/app.bsky.feed.post/b5"): ("bluesky:acme.bsky.social", None, None, None),
    ("bluesky", "at://did:plc:cust/app.bsky.feed.post/r2"): ("bluesky:rival.bsky.social", 45, "bluesky:rival.bsky.social", None),
    ("x", "5002"): ("x:acme", 10, "x:acmehelp", "care"),
    ("x", "5004"): ("x:acme", None, None, None),
    ("x", "5011"): ("x:rival", 90, "x:rival", None),
    ("youtube", "th1"): ("youtube:acme", 180, "youtube:acme", None),
    ("youtube", "th2"): ("youtube:acme", None, None, None),
    ("facebook", "5001_1_c1"): ("facebook:acmepage", 20, "facebook:acmepage", None),
    ("facebook", "5001_1_c2"): ("facebook:acmepage", None, None, None),
}
