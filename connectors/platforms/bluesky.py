"""Bluesky: public data through the public AppView, no token needed.

Endpoints (docs.bsky.app): ``app.bsky.actor.getProfiles`` (≤ 25 actors, ``followersCount``),
``app.bsky.feed.getAuthorFeed`` (``filter=posts_with_replies``, ``limit`` ≤ 100,
``cursor``; the last page may still carry a cursor and the next page comes back empty),
``app.bsky.feed.getPostThread`` (the replies under a post).

Responses: the replies under the account's posts (``getPostThread`` of each post with
replies) and the posts its replies answer (``reply.parent`` in the author feed, with
``reply.grandparentAuthor`` or the root telling whom that parent answered).
"""

from __future__ import annotations

from connectors.http import ApiError, NotFound, paginate
from connectors.platforms import Account, AccountData, Connector, Post, ThreadItem, Window, parse_time, to_int

DEFAULT_BASE_URL = "https://public.api.bsky.app"
PROFILES_PER_REQUEST = 25
PAGE_SIZE = 100
THREAD_DEPTH = 10


def mentions_of(record: dict) -> tuple[str, ...]:
    dids = []
    for facet in record.get("facets") or []:
        for feature in facet.get("features") or []:
            if str(feature.get("$type", "")).endswith("#mention") and feature.get("did"):
                dids.append(feature["did"])
    return tuple(dids)


def post_url(post: dict) -> str | None:
    uri, handle = post.get("uri", ""), (post.get("author") or {}).get("handle")
    rkey = uri.rsplit("/", 1)[-1] if uri else None
    return f"https://bsky.app/profile/{handle}/post/{rkey}" if handle and rkey else None


class BlueskyConnector(Connector):
    platform = "bluesky"
    credential_name = None
    default_base_url = DEFAULT_BASE_URL
    concurrency = 6

    def __init__(self, settings) -> None:
        super().__init__(settings)
        self._profiles: dict[str, dict] = {}

    def prepare(self, accounts: list[Account]) -> None:
        handles = sorted({a.bare_handle.lower() for a in accounts})
        client = self.client()
        for i in range(0, len(handles), PROFILES_PER_REQUEST):
            batch = handles[i:i + PROFILES_PER_REQUEST]
            try:
                body, _ = client.get("/xrpc/app.bsky.actor.getProfiles", {"actors": batch})
            except (ApiError, NotFound):
                continue  # each account looks itself up again and reports its own error
            for profile in (body or {}).get("profiles") or []:
                self._profiles[str(profile.get("handle", "")).lower()] = profile

    def _profile(self, client, handle: str) -> dict:
        if handle.lower() in self._profiles:
            return self._profiles[handle.lower()]
        try:
            profile, _ = client.get("/xrpc/app.bsky.actor.getProfile", {"actor": handle})
        except NotFound:
            raise NotFound(f"bluesky: no profile {handle}") from None
        except ApiError as exc:
            if exc.status == 400 and "not found" in str(exc).lower():
                raise NotFound(f"bluesky: no profile {handle}") from None
            raise
        return profile

    def pull(self, account: Account, window: Window, state: dict, progress) -> AccountData:
        client = self.client(account)
        profile = self._profile(client, account.bare_handle)
        did = profile["did"]
        data = AccountData(self_id=did, followers=to_int(profile.get("followersCount"), None),
                           state={"platform_user_id": did})
        progress(f"{data.followers:,} followers" if data.followers is not None else "followers hidden")

        entries: list[dict] = []

        def fetch(cursor):
            params = {"actor": did, "limit": PAGE_SIZE, "filter": "posts_with_replies"}
            if cursor:
                params["cursor"] = cursor
            body, _ = client.get("/xrpc/app.bsky.feed.getAuthorFeed", params)
            return (body or {}).get("feed") or [], (body or {}).get("cursor")

        for entry in paginate(fetch):
            post = entry.get("post") or {}
            if entry.get("reason") or (post.get("author") or {}).get("did") != did:
                continue  # a repost or a pinned post: not a new post of the account
            created = parse_time((post.get("record") or {}).get("createdAt")) or parse_time(post.get("indexedAt"))
            if created is None:
                continue
            if created < window.since:
                break
            entries.append(entry)

        data.posts = [self._post(e["post"], e.get("reply")) for e in entries]
        progress(f"{len(data.posts)} posts")
        if account.official:
            data.items = self._threads(client, entries)
            data.interactions_collected = True
            progress(f"{len(data.items)} thread items")
        else:
            progress("employee account: no inbound items")
        return data

    def _post(self, post: dict, reply_ref: dict | None = None, parent_author: str | None = None) -> Post:
        record = post.get("record") or {}
        reply = record.get("reply") or {}
        if parent_author is None and reply_ref:
            parent_author = ((reply_ref.get("parent") or {}).get("author") or {}).get("did")
        return Post(
            post_id=post["uri"],
            created_at=parse_time(record.get("createdAt")) or parse_time(post.get("indexedAt")),
            url=post_url(post),
            text=record.get("text") or "",
            likes=to_int(post.get("likeCount")),
            comments=to_int(post.get("replyCount")),
            shares=to_int(post.get("repostCount")) + to_int(post.get("quoteCount")),
            views=None,
            is_reply=bool(reply),
            thread_id=((reply.get("root") or {}).get("uri")) or post["uri"],
            reply_to_author=parent_author,
            mentions=mentions_of(record),
        )

    def _item(self, post: dict, parent_author: str | None = None, reply_ref: dict | None = None) -> ThreadItem | None:
        if not post.get("uri") or not (post.get("record") or {}):
            return None
        p = self._post(post, reply_ref, parent_author)
        if p.created_at is None:
            return None
        return ThreadItem(p.post_id, (post.get("author") or {}).get("did"), p.created_at, p.thread_id,
                          p.reply_to_author, p.mentions, p.is_reply)

    def _threads(self, client, entries: list[dict]) -> list[ThreadItem]:
        items: dict[str, ThreadItem] = {}
        for entry in entries:
            post, ref = entry["post"], entry.get("reply")
            own = self._item(post, reply_ref=ref)
            if own:
                items[own.item_id] = own
            if ref:
                # The post this reply answers, and whom that post answered.
                parent, root = ref.get("parent") or {}, ref.get("root") or {}
                parent_reply = (parent.get("record") or {}).get("reply") or {}
                grandparent = (ref.get("grandparentAuthor") or {}).get("did")
                if grandparent is None and (parent_reply.get("parent") or {}).get("uri") == root.get("uri"):
                    grandparent = (root.get("author") or {}).get("did")
                item = self._item(parent, parent_author=grandparent)
                if item:
                    items.setdefault(item.item_id, item)
                if root.get("uri") and root.get("uri") != parent.get("uri"):
                    item = self._item(root)
                    if item:
                        items.setdefault(item.item_id, item)
            elif to_int(post.get("replyCount")) > 0:
                try:
                    body, _ = client.get("/xrpc/app.bsky.feed.getPostThread",
                                         {"uri": post["uri"], "depth": THREAD_DEPTH, "parentHeight": 0})
                except NotFound:
                    continue
                self._walk((body or {}).get("thread") or {}, items)
        return list(items.values())

    def _walk(self, node: dict, items: dict[str, ThreadItem]) -> None:
        parent_did = ((node.get("post") or {}).get("author") or {}).get("did")
        for child in node.get("replies") or []:
            post = child.get("post")
            if not post:
                continue  # notFoundPost / blockedPost
            item = self._item(post, parent_author=parent_did)
            if item:
                items.setdefault(item.item_id, item)
            self._walk(child, items)


CONNECTOR = BlueskyConnector
