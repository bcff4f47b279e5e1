"""Each platform connector against the loopback fake (tests/fake_platforms.py), one account at
a time: the documented pagination, ids as strings, counts as strings, the window, and what
each request carries. The world and its hand-worked figures: tests/fixture_connectors.py."""

from __future__ import annotations

import datetime as dt

import pytest

from connectors.http import ApiError, NotFound
from connectors.platforms import Account, ConnectorSettings, Window, connector_class
from tests.fake_platforms import FakePlatforms
from tests.fixture_connectors import ACME_Y, build_world


@pytest.fixture()
def fake():
    with FakePlatforms() as f:
        build_world(f)
        yield f


def connector(fake, platform, **extra):
    credential = {"x": fake.tokens["x"], "youtube": fake.tokens["youtube"], "facebook": fake.tokens["meta"],
                  "instagram": fake.tokens["meta"], "linkedin": fake.tokens["linkedin"]}.get(platform)
    return connector_class(platform)(ConnectorSettings(base_url=fake.base(platform), credential=credential,
                                                       extra=extra, max_wait=1, backoff=0.01))


def pull(fake, platform, handle, *, org="acme", person=None, days=90, **extra):
    c = connector(fake, platform, **extra)
    account = Account(f"{platform}:{handle}", org, platform, handle, None, person)
    c.prepare([account])
    steps = []
    data = c.pull(account, Window(since=fake.now - dt.timedelta(days=days), now=fake.now), {}, steps.append)
    return data, steps


def by_id(items):
    return {i.item_id if hasattr(i, "item_id") else i.post_id: i for i in items}


def test_mastodon_follows_the_link_header_and_stops_at_the_window(fake):
    data, steps = pull(fake, "mastodon", "acme@mastodon.social")
    assert data.self_id == "acme@mastodon.social" and data.followers == 1500
    # acme has s104, s100 (and s99, older than the window): page 1 = [s104, s100], page 2 = [s99]
    # which is older than the window, so the loop stops there without asking for page 3
    statuses = [r for r in fake.requests if r["path"].endswith("/statuses")]
    assert len(statuses) == 2 and "max_id=100" in statuses[1]["target"]
    posts = by_id(data.posts)
    assert set(posts) == {"https://mastodon.social/users/acme/statuses/100",
                          "https://mastodon.social/users/acme/statuses/104"}
    s100 = posts["https://mastodon.social/users/acme/statuses/100"]
    assert (s100.text, s100.likes, s100.shares, s100.comments, s100.is_reply) == ("Spring sale! #AcmeNews", 5, 2, 2, False)
    assert posts["https://mastodon.social/users/acme/statuses/104"].is_reply
    assert steps[0] == "1,500 followers" and len(steps) == 3


def test_mastodon_stops_on_the_empty_page_after_the_last_link(fake):
    pull(fake, "mastodon", "rival@mastodon.social", org="rival")
    # rival has s202 and s200: page 1 holds both and still links to a next page, which is []
    statuses = [r for r in fake.requests if r["path"].endswith("/statuses")]
    assert len(statuses) == 2 and "max_id=200" in statuses[1]["target"]


def test_mastodon_threads_name_people_by_user_at_instance(fake):
    data, _ = pull(fake, "mastodon", "acme@mastodon.social")
    items = by_id(data.items)
    s103 = items["https://other.social/users/cust2/statuses/103"]
    # cust2 is remote (acct "cust2@other.social"); cust1 is local (acct "cust1", completed with the instance)
    assert s103.author_id == "cust2@other.social" and s103.mentions == ("acme@mastodon.social",)
    s101 = items["https://mastodon.social/users/cust1/statuses/101"]
    assert s101.author_id == "cust1@mastodon.social" and s101.reply_to_author == "acme@mastodon.social"
    assert s101.thread_id == "https://mastodon.social/users/acme/statuses/100"
    # the reply s104's context: its ancestor s103 is the root of its thread, s106 a descendant
    assert items["https://mastodon.social/users/acme/statuses/104"].thread_id == s103.item_id
    assert items["https://mastodon.social/users/cust1/statuses/106"].thread_id == s103.item_id


def test_mastodon_employee_accounts_bring_posts_but_no_threads(fake):
    data, steps = pull(fake, "mastodon", "ana@example.social", person="Ana")
    assert data.self_id == "ana@example.social" and len(data.posts) == 1 and data.items == []
    assert not data.interactions_collected and "no inbound items" in steps[-1]
    assert not any("/context" in r["path"] for r in fake.requests)


def test_mastodon_unknown_account(fake):
    with pytest.raises(NotFound, match="nobody@mastodon.social"):
        pull(fake, "mastodon", "nobody@mastodon.social")


def test_bluesky_last_page_cursor_then_empty_page(fake):
    data, _ = pull(fake, "bluesky", "acme.bsky.social")
    feeds = [r for r in fake.requests if r["path"].endswith("getAuthorFeed")]
    # page 1 = [b3, b1] with cursor "2" (the last page still carries one); page 2 is empty: stop
    assert [r["query"].get("cursor") for r in feeds] == [None, ["2"]]
    assert all(r["query"]["filter"] == ["posts_with_replies"] for r in feeds)
    posts = by_id(data.posts)
    b1 = posts["at://did:plc:acme/app.bsky.feed.post/b1"]
    assert (b1.likes, b1.shares, b1.comments) == (10, 2, 1)  # shares = 1 repost + 1 quote
    assert b1.url == "https://bsky.app/profile/acme.bsky.social/post/b1"
    items = by_id(data.items)
    # b2 answered by b3: found as b3's parent (grandparentAuthor = acme) and in b1's thread
    assert items["at://did:plc:cust/app.bsky.feed.post/b2"].reply_to_author == "did:plc:acme"
    assert items["at://did:plc:cust/app.bsky.feed.post/b5"].thread_id == "at://did:plc:acme/app.bsky.feed.post/b1"
    # profiles were looked up in one batch
    assert fake.count("getProfiles") == 1 and fake.count("getProfile?") == 0


def test_x_sends_the_bearer_token_and_pages_with_next_token(fake):
    fake.page_size = 1
    data, _ = pull(fake, "x", "rival", org="rival")
    assert all(r["headers"]["authorization"] == f"Bearer {fake.tokens['x']}" for r in fake.requests)
    timeline = [r for r in fake.requests if r["path"].endswith("/tweets")]
    assert [r["query"].get("pagination_token") for r in timeline] == [None, ["1"]]
    assert {p.post_id for p in data.posts} == {"5010", "5012"}
    t12 = by_id(data.posts)["5012"]
    assert t12.is_reply and t12.thread_id == "5011" and t12.reply_to_author == "9001"
    assert by_id(data.items)["5011"].mentions == ("2001",)
    assert data.self_id == "2001" and data.followers == 8000


def test_x_views_come_from_impressions(fake):
    data, _ = pull(fake, "x", "acme")
    t1 = by_id(data.posts)["5001"]
    assert (t1.likes, t1.shares, t1.comments, t1.views) == (20, 4, 1, 5000)


def test_youtube_counts_come_as_strings(fake):
    data, _ = pull(fake, "youtube", "@acme")
    assert data.followers == 4200 and data.self_id == ACME_Y
    video = data.posts[0]
    assert (video.post_id, video.views, video.likes, video.comments, video.shares) == ("vid00000001", 1200, 50, 3, 0)
    # the key travels in a header, never in a URL
    assert all(r["headers"]["x-goog-api-key"] == fake.tokens["youtube"] and "key" not in r["query"]
               for r in fake.requests)
    # th1 has two replies, one inline: the rest is read with comments.list
    assert fake.count("/comments?") == 1
    items = by_id(data.items)
    assert items["th1.r1"].author_id == ACME_Y and items["th1.r1"].is_reply
    assert items["th1"].reply_to_author == ACME_Y


def test_youtube_unknown_channel(fake):
    with pytest.raises(ApiError, match="no channel"):
        pull(fake, "youtube", "@nobody")


def test_facebook_follows_paging_next_until_it_is_absent(fake):
    fake.page_size = 1
    data, _ = pull(fake, "facebook", "acmepage")
    posts_requests = [r for r in fake.requests if r["path"].endswith("/posts")]
    # two posts, one per page: the second request is paging.next (carrying its own token)
    assert len(posts_requests) == 2 and posts_requests[1]["query"]["after"] == ["1"]
    assert posts_requests[1]["query"]["access_token"] == [fake.tokens["meta"]]
    posts = by_id(data.posts)
    assert (posts["5001_1"].likes, posts["5001_1"].comments, posts["5001_1"].shares) == (30, 2, 4)
    assert posts["5001_2"].shares == 0  # no "shares" field at all when nothing was shared
    items = by_id(data.items)
    assert items["5001_1_c1r"].author_id == "5001" and items["5001_1_c1r"].thread_id == "5001_1_c1"


def test_instagram_business_discovery_pages_with_media_after(fake):
    fake.page_size = 1
    data, _ = pull(fake, "instagram", "acme.ig")
    discovery = [r for r in fake.requests if "business_discovery" in r["target"]]
    assert len(discovery) == 2 and "media.after(1)" in discovery[1]["query"]["fields"][0]
    # the company's own Instagram user came from the token's Pages (the second page has it)
    assert fake.count("/me/accounts") == 2
    assert [p.post_id for p in data.posts] == ["18000000000000002", "18000000000000001"]
    assert data.followers == 7000 and data.items == []


def test_instagram_uses_the_configured_user_id(fake):
    pull(fake, "instagram", "acme.ig", META_IG_USER_ID=fake.ig_own_id)
    assert fake.count("/me/accounts") == 0


def test_linkedin_sends_its_version_header_and_reads_network_size(fake):
    data, _ = pull(fake, "linkedin", "acme-co")
    assert data.followers == 12000 and data.self_id == "4242"
    assert all(r["headers"].get("linkedin-version") and r["headers"]["x-restli-protocol-version"] == "2.0.0"
               for r in fake.requests)
    assert fake.requests[-1]["path"].endswith("/rest/networkSizes/urn%3Ali%3Aorganization%3A4242")


def test_linkedin_member_profiles_are_skipped(fake):
    data, steps = pull(fake, "linkedin", "pete-li", person="Pete")
    assert data.skipped and data.followers is None and fake.requests == []


def test_window_cuts_older_posts(fake):
    data, _ = pull(fake, "mastodon", "acme@mastodon.social", days=2.5)
    # only s104 (now-2d+2h) is newer than now-2.5d; s100 (now-3d) is not
    assert [p.post_id for p in data.posts] == ["https://mastodon.social/users/acme/statuses/104"]
