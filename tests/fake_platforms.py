"""A real HTTP server on 127.0.0.1 that answers like the platforms document.

One ``ThreadingHTTPServer`` serves every platform under its own prefix, so a test config
points ``[platforms.NAME] base_url`` at ``fake.base(NAME)``:

| platform  | prefix        | what it does like the real API |
|-----------|---------------|--------------------------------|
| mastodon  | /mastodon     | ``Link: <…>; rel="next"`` pagination (also on the last page, followed by an empty page), ``X-RateLimit-*`` headers with an ISO reset, ids as strings, ``acct`` without the instance for local accounts |
| bluesky   | /bsky         | ``cursor`` in the body that still comes back on the last page (the next page is empty), ``RateLimit-*`` headers (epoch reset), ``getPostThread`` nesting |
| x         | /x            | bearer token, ``meta.next_token``, ``x-rate-limit-*`` headers (epoch reset), problem JSON on 401 |
| youtube   | /youtube/v3   | API key (``key=`` or ``X-Goog-Api-Key``), counts as JSON strings, ``nextPageToken``, ``quotaExceeded`` / invalid-key error bodies |
| facebook, instagram | /graph | ``access_token``, ``paging.cursors`` + ``paging.next`` (absolute, carrying the token), error code 190 for a bad token, business discovery with ``media.after(…)`` |
| linkedin  | /linkedin     | bearer token + ``LinkedIn-Version``, ``networkSizes`` |

Faults are injected with ``add_fault(substring, status=…, headers=…, body=…|raw=…, times=…)``:
the first matching fault (on path + query) answers instead of the route, ``times`` times
(None = always). ``delay`` makes every answer wait (the benchmark's 100 ms).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

PREFIXES = {"mastodon": "/mastodon", "bluesky": "/bsky", "x": "/x", "youtube": "/youtube/v3",
            "facebook": "/graph", "instagram": "/graph", "linkedin": "/linkedin"}
LOCAL_INSTANCE = "mastodon.social"


def iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def graph_time(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S+0000")


@dataclasses.dataclass
class Fault:
    match: str
    status: int
    headers: dict
    body: Any
    raw: bytes | None
    times: int | None


class FakePlatforms:
    """The platforms' data and the server answering for them."""

    def __init__(self, now: dt.datetime | None = None, *, delay: float = 0.0):
        self.now = now or dt.datetime.now(dt.timezone.utc)
        self.delay = delay
        self.tokens = {"x": "x-bearer-SECRET-0001", "youtube": "yt-key-SECRET-0002",
                       "meta": "meta-token-SECRET-0003", "linkedin": "li-token-SECRET-0004"}
        self.page_size = 2          # every platform pages by 2 here, whatever the client asks
        self.faults: list[Fault] = []
        self.requests: list[dict] = []
        self._lock = threading.Lock()
        # Mastodon
        self.m_accounts: dict[str, dict] = {}     # acct key -> account
        self.m_statuses: dict[str, dict] = {}     # id -> status (raw, before rendering)
        # Bluesky
        self.b_profiles: dict[str, dict] = {}     # did -> profile
        self.b_posts: dict[str, dict] = {}        # uri -> post
        # X
        self.x_users: dict[str, dict] = {}        # id -> user
        self.x_tweets: dict[str, dict] = {}
        # YouTube
        self.y_channels: dict[str, dict] = {}     # id -> channel
        self.y_videos: dict[str, dict] = {}
        self.y_threads: list[dict] = []
        # Graph
        self.fb_pages: dict[str, dict] = {}       # id -> page
        self.fb_posts: dict[str, dict] = {}
        self.ig_own_id = "17841400000000001"
        self.ig_accounts: dict[str, dict] = {}    # username -> account
        # LinkedIn
        self.li_orgs: dict[str, dict] = {}        # vanity -> org
        self.server: ThreadingHTTPServer | None = None

    # -- lifecycle ------------------------------------------------------------------------

    def __enter__(self) -> "FakePlatforms":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out at once, no 40 ms delayed-ACK stalls

            def do_GET(self):  # noqa: N802
                fake._handle(self)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def base(self, platform: str) -> str:
        return self.origin + PREFIXES[platform]

    def platforms_toml(self, platforms=PREFIXES) -> str:
        return "".join(f'\n[platforms.{p}]\nbase_url = "{self.base(p)}"\n' for p in platforms)

    def credentials(self) -> dict[str, str]:
        return {"X_BEARER_TOKEN": self.tokens["x"], "YOUTUBE_API_KEY": self.tokens["youtube"],
                "META_ACCESS_TOKEN": self.tokens["meta"], "LINKEDIN_ACCESS_TOKEN": self.tokens["linkedin"]}

    def add_fault(self, match: str, *, status: int = 500, headers: dict | None = None, body: Any = None,
                  raw: bytes | None = None, times: int | None = 1) -> None:
        self.faults.append(Fault(match, status, headers or {}, body, raw, times))

    def count(self, fragment: str) -> int:
        return sum(1 for r in self.requests if fragment in r["target"])

    # -- world building: Mastodon ---------------------------------------------------------

    def mastodon_account(self, acct: str, account_id: str, followers: int) -> None:
        user, instance = acct.split("@")
        self.m_accounts[acct] = {"id": account_id, "username": user, "instance": instance, "followers": followers}

    def mastodon_status(self, status_id: str, acct: str, at: dt.datetime, text: str = "", *,
                        reply_to: str | None = None, mentions: tuple[str, ...] = (), favourites: int = 0,
                        reblogs: int = 0) -> None:
        self.m_statuses[status_id] = {"id": status_id, "acct": acct, "at": at, "text": text, "reply_to": reply_to,
                                      "mentions": mentions, "favourites": favourites, "reblogs": reblogs}

    def _m_account(self, acct: str) -> dict:
        a = self.m_accounts[acct]
        local = a["instance"] == LOCAL_INSTANCE
        return {"id": a["id"], "username": a["username"], "acct": a["username"] if local else acct,
                "url": f"https://{a['instance']}/@{a['username']}", "followers_count": a["followers"],
                "display_name": a["username"].title()}

    def _m_status(self, s: dict) -> dict:
        author = self.m_accounts[s["acct"]]
        parent = self.m_statuses.get(s["reply_to"]) if s["reply_to"] else None
        uri = f"https://{author['instance']}/users/{author['username']}/statuses/{s['id']}"
        return {
            "id": s["id"], "uri": uri, "url": f"https://{author['instance']}/@{author['username']}/{s['id']}",
            "created_at": iso(s["at"]), "content": f"<p>{s['text']}</p>",
            "in_reply_to_id": s["reply_to"], "in_reply_to_account_id": self.m_accounts[parent["acct"]]["id"] if parent else None,
            "replies_count": sum(1 for o in self.m_statuses.values() if o["reply_to"] == s["id"]),
            "reblogs_count": s["reblogs"], "favourites_count": s["favourites"], "reblog": None,
            "account": self._m_account(s["acct"]),
            "mentions": [{k: v for k, v in self._m_account(m).items() if k in ("id", "username", "acct", "url")}
                         for m in s["mentions"]],
        }

    # -- world building: Bluesky ----------------------------------------------------------

    def bluesky_profile(self, handle: str, did: str, followers: int) -> None:
        self.b_profiles[did] = {"did": did, "handle": handle, "followersCount": followers}

    def bluesky_post(self, rkey: str, did: str, at: dt.datetime, text: str = "", *, reply_to: str | None = None,
                     mentions: tuple[str, ...] = (), likes: int = 0, reposts: int = 0, quotes: int = 0) -> str:
        uri = f"at://{did}/app.bsky.feed.post/{rkey}"
        self.b_posts[uri] = {"uri": uri, "did": did, "at": at, "text": text, "reply_to": reply_to,
                             "mentions": mentions, "likes": likes, "reposts": reposts, "quotes": quotes}
        return uri

    def _b_root(self, uri: str) -> str:
        while self.b_posts[uri]["reply_to"]:
            uri = self.b_posts[uri]["reply_to"]
        return uri

    def _b_view(self, uri: str) -> dict:
        p = self.b_posts[uri]
        record = {"$type": "app.bsky.feed.post", "text": p["text"], "createdAt": iso(p["at"])}
        if p["reply_to"]:
            root = self._b_root(uri)
            record["reply"] = {"root": {"uri": root, "cid": "c" + root[-6:]}, "parent": {"uri": p["reply_to"], "cid": "c"}}
        if p["mentions"]:
            record["facets"] = [{"index": {"byteStart": 0, "byteEnd": 5},
                                 "features": [{"$type": "app.bsky.richtext.facet#mention", "did": d}]}
                                for d in p["mentions"]]
        author = self.b_profiles[p["did"]]
        return {"uri": uri, "cid": "c" + uri[-6:], "author": {"did": author["did"], "handle": author["handle"]},
                "record": record, "indexedAt": iso(p["at"]),
                "replyCount": sum(1 for o in self.b_posts.values() if o["reply_to"] == uri),
                "repostCount": p["reposts"], "likeCount": p["likes"], "quoteCount": p["quotes"]}

    # -- world building: X ----------------------------------------------------------------

    def x_user(self, username: str, user_id: str, followers: int) -> None:
        self.x_users[user_id] = {"id": user_id, "username": username, "followers": followers}

    def x_tweet(self, tweet_id: str, author_id: str, at: dt.datetime, text: str = "", *, reply_to: str | None = None,
                mentions: tuple[str, ...] = (), likes: int = 0, retweets: int = 0, quotes: int = 0,
                impressions: int = 0) -> None:
        self.x_tweets[tweet_id] = {"id": tweet_id, "author": author_id, "at": at, "text": text, "reply_to": reply_to,
                                   "mentions": mentions, "likes": likes, "retweets": retweets, "quotes": quotes,
                                   "impressions": impressions}

    def _x_view(self, t: dict) -> dict:
        root = t
        while root["reply_to"]:
            root = self.x_tweets[root["reply_to"]]
        parent = self.x_tweets.get(t["reply_to"]) if t["reply_to"] else None
        view = {
            "id": t["id"], "text": t["text"], "created_at": iso(t["at"]), "author_id": t["author"],
            "conversation_id": root["id"], "edit_history_tweet_ids": [t["id"]],
            "public_metrics": {"retweet_count": t["retweets"], "like_count": t["likes"], "quote_count": t["quotes"],
                               "reply_count": sum(1 for o in self.x_tweets.values() if o["reply_to"] == t["id"]),
                               "impression_count": t["impressions"], "bookmark_count": 0},
        }
        if parent:
            view["in_reply_to_user_id"] = parent["author"]
            view["referenced_tweets"] = [{"type": "replied_to", "id": parent["id"]}]
        if t["mentions"]:
            view["entities"] = {"mentions": [{"start": 0, "end": 5, "username": self.x_users[m]["username"], "id": m}
                                             for m in t["mentions"]]}
        return view

    # -- world building: YouTube ----------------------------------------------------------

    def youtube_channel(self, handle: str, channel_id: str, subscribers: int) -> None:
        self.y_channels[channel_id] = {"id": channel_id, "handle": handle.lstrip("@").lower(), "subscribers": subscribers}

    def youtube_video(self, video_id: str, channel_id: str, at: dt.datetime, title: str, *, views: int, likes: int,
                      comments: int) -> None:
        self.y_videos[video_id] = {"id": video_id, "channel": channel_id, "at": at, "title": title,
                                   "views": views, "likes": likes, "comments": comments}

    def youtube_thread(self, thread_id: str, channel_id: str, video_id: str, author: str, at: dt.datetime,
                       replies: list[tuple[str, str, dt.datetime]] = ()) -> None:
        self.y_threads.append({"id": thread_id, "channel": channel_id, "video": video_id, "author": author, "at": at,
                               "replies": list(replies)})

    @staticmethod
    def _y_comment(comment_id: str, author: str, at: dt.datetime, parent: str | None = None) -> dict:
        snippet = {"authorChannelId": {"value": author}, "authorDisplayName": author, "publishedAt": iso(at),
                   "updatedAt": iso(at), "textOriginal": "…", "likeCount": 0}
        if parent:
            snippet["parentId"] = parent
        return {"kind": "youtube#comment", "id": comment_id, "snippet": snippet}

    # -- world building: Graph ------------------------------------------------------------

    def facebook_page(self, name: str, page_id: str, followers: int) -> None:
        self.fb_pages[page_id] = {"id": page_id, "name": name, "followers": followers}

    def facebook_post(self, post_id: str, page_id: str, at: dt.datetime, message: str, *, reactions: int,
                      shares: int, comments: list[tuple[str, str, dt.datetime, list]] = ()) -> None:
        self.fb_posts[post_id] = {"id": post_id, "page": page_id, "at": at, "message": message,
                                  "reactions": reactions, "shares": shares, "comments": list(comments)}

    def instagram_account(self, username: str, user_id: str, followers: int,
                          media: list[tuple[str, dt.datetime, int, int, str]]) -> None:
        self.ig_accounts[username] = {"id": user_id, "username": username, "followers": followers,
                                      "media": sorted(media, key=lambda m: m[1], reverse=True)}

    # -- world building: LinkedIn ---------------------------------------------------------

    def linkedin_org(self, vanity: str, org_id: int, followers: int) -> None:
        self.li_orgs[vanity] = {"id": org_id, "vanity": vanity, "followers": followers}

    # -- serving --------------------------------------------------------------------------

    def _handle(self, h: BaseHTTPRequestHandler) -> None:
        parts = urllib.parse.urlsplit(h.path)
        query = urllib.parse.parse_qs(parts.query, keep_blank_values=True)
        with self._lock:
            self.requests.append({"target": h.path, "path": parts.path, "query": query,
                                  "headers": {k.lower(): v for k, v in h.headers.items()}})
            fault = next((f for f in self.faults if f.match in h.path and (f.times is None or f.times > 0)), None)
            if fault and fault.times is not None:
                fault.times -= 1
        if self.delay:
            time.sleep(self.delay)
        if fault:
            headers = {k: (v() if callable(v) else v) for k, v in fault.headers.items()}
            if fault.raw is not None:
                return self._send(h, fault.status, fault.raw, headers, raw=True)
            return self._send(h, fault.status, fault.body, headers)
        try:
            for platform, prefix in (("mastodon", "/mastodon"), ("bluesky", "/bsky"), ("x", "/x/"),
                                     ("youtube", "/youtube/v3"), ("graph", "/graph"), ("linkedin", "/linkedin")):
                if parts.path.startswith(prefix):
                    rest = parts.path[len(prefix.rstrip("/")):]
                    status, body, headers = getattr(self, f"_{platform}")(rest, query, h)
                    return self._send(h, status, body, headers)
            return self._send(h, 404, {"error": "no such route"}, {})
        except KeyError as exc:
            return self._send(h, 404, {"error": f"not found: {exc}"}, {})

    @staticmethod
    def _send(h, status: int, body: Any, headers: dict, raw: bool = False) -> None:
        payload = body if raw else json.dumps(body).encode("utf-8")
        h.send_response(status)
        h.send_header("Content-Type", "application/json; charset=utf-8")
        h.send_header("Content-Length", str(len(payload)))
        for k, v in headers.items():
            h.send_header(k, str(v))
        h.end_headers()
        h.wfile.write(payload)

    def _one(self, query: dict, name: str, default: str | None = None) -> str | None:
        values = query.get(name)
        return values[-1] if values else default

    # Mastodon ------------------------------------------------------------------------

    def _mastodon(self, rest: str, query: dict, h):
        reset = iso(self.now + dt.timedelta(minutes=5))
        headers = {"X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "299", "X-RateLimit-Reset": reset}
        if rest == "/api/v1/accounts/lookup":
            acct = self._one(query, "acct", "").lstrip("@").lower()
            if "@" not in acct:
                acct += "@" + LOCAL_INSTANCE
            if acct not in self.m_accounts:
                return 404, {"error": "Record not found"}, headers
            return 200, self._m_account(acct), headers
        m = re.fullmatch(r"/api/v1/accounts/([^/]+)/statuses", rest)
        if m:
            acct = next((k for k, a in self.m_accounts.items() if a["id"] == m.group(1)), None)
            if acct is None:
                return 404, {"error": "Record not found"}, headers
            statuses = sorted((s for s in self.m_statuses.values() if s["acct"] == acct),
                              key=lambda s: s["at"], reverse=True)
            max_id = self._one(query, "max_id")
            if max_id:
                cut = self.m_statuses[max_id]["at"]
                statuses = [s for s in statuses if s["at"] < cut]
            limit = min(int(self._one(query, "limit", "20")), 40, self.page_size)
            page = statuses[:limit]
            if page:  # like Mastodon: a next link whenever the page has items (the last one leads to [])
                link = f"{self.base('mastodon')}/api/v1/accounts/{m.group(1)}/statuses?limit={limit}&exclude_reblogs=true&max_id={page[-1]['id']}"
                headers["Link"] = f'<{link}>; rel="next", <{self.base("mastodon")}/api/v1/accounts/{m.group(1)}/statuses?min_id={page[0]["id"]}>; rel="prev"'
            return 200, [self._m_status(s) for s in page], headers
        m = re.fullmatch(r"/api/v1/statuses/([^/]+)/context", rest)
        if m:
            sid = m.group(1)
            if sid not in self.m_statuses:
                return 404, {"error": "Record not found"}, headers
            ancestors, cur = [], self.m_statuses[sid]
            while cur["reply_to"]:
                cur = self.m_statuses[cur["reply_to"]]
                ancestors.insert(0, cur)
            descendants, frontier = [], [sid]
            while frontier:
                children = sorted((s for s in self.m_statuses.values() if s["reply_to"] in frontier), key=lambda s: s["at"])
                descendants += children
                frontier = [c["id"] for c in children]
            return 200, {"ancestors": [self._m_status(s) for s in ancestors],
                         "descendants": [self._m_status(s) for s in descendants]}, headers
        return 404, {"error": "Record not found"}, headers

    # Bluesky -------------------------------------------------------------------------

    def _bluesky(self, rest: str, query: dict, h):
        headers = {"RateLimit-Limit": "3000", "RateLimit-Remaining": "2999",
                   "RateLimit-Reset": str(int(self.now.timestamp()) + 300), "RateLimit-Policy": "3000;w=300"}
        by_handle = {p["handle"]: p for p in self.b_profiles.values()}
        if rest == "/xrpc/app.bsky.actor.getProfiles":
            actors = query.get("actors", [])
            return 200, {"profiles": [by_handle[a] for a in actors if a in by_handle]}, headers
        if rest == "/xrpc/app.bsky.actor.getProfile":
            actor = self._one(query, "actor")
            profile = by_handle.get(actor) or self.b_profiles.get(actor)
            if not profile:
                return 400, {"error": "InvalidRequest", "message": "Profile not found"}, headers
            return 200, profile, headers
        if rest == "/xrpc/app.bsky.feed.getAuthorFeed":
            did = self._one(query, "actor")
            posts = sorted((p for p in self.b_posts.values() if p["did"] == did), key=lambda p: p["at"], reverse=True)
            offset = int(self._one(query, "cursor", "0") or 0)
            limit = min(int(self._one(query, "limit", "50")), self.page_size)
            page = posts[offset:offset + limit]
            feed = []
            for p in page:
                entry = {"post": self._b_view(p["uri"])}
                if p["reply_to"]:
                    parent = self.b_posts[p["reply_to"]]
                    entry["reply"] = {"root": self._b_view(self._b_root(p["uri"])), "parent": self._b_view(parent["uri"])}
                    if parent["reply_to"]:
                        gp = self.b_profiles[self.b_posts[parent["reply_to"]]["did"]]
                        entry["reply"]["grandparentAuthor"] = {"did": gp["did"], "handle": gp["handle"]}
                feed.append(entry)
            body = {"feed": feed}
            if page:  # the cursor comes back on the last page too; the page after it is empty
                body["cursor"] = str(offset + limit)
            return 200, body, headers
        if rest == "/xrpc/app.bsky.feed.getPostThread":
            uri = self._one(query, "uri")
            if uri not in self.b_posts:
                return 400, {"error": "NotFound", "message": "Post not found"}, headers

            def node(u):
                children = sorted((p for p in self.b_posts.values() if p["reply_to"] == u), key=lambda p: p["at"])
                return {"$type": "app.bsky.feed.defs#threadViewPost", "post": self._b_view(u),
                        "replies": [node(c["uri"]) for c in children]}

            return 200, {"thread": node(uri)}, headers
        return 404, {"error": "MethodNotImplemented", "message": "no such method"}, headers

    # X -------------------------------------------------------------------------------

    def _x(self, rest: str, query: dict, h):
        headers = {"x-rate-limit-limit": "900", "x-rate-limit-remaining": "899",
                   "x-rate-limit-reset": str(int(self.now.timestamp()) + 900)}
        if h.headers.get("Authorization") != f"Bearer {self.tokens['x']}":
            return 401, {"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"}, headers
        by_name = {u["username"].lower(): u for u in self.x_users.values()}

        def user_view(u):
            return {"id": u["id"], "name": u["username"].title(), "username": u["username"],
                    "public_metrics": {"followers_count": u["followers"], "following_count": 1, "tweet_count": 10,
                                       "listed_count": 0}}

        if rest == "/2/users/by":
            names = self._one(query, "usernames", "").split(",")
            body = {"data": [user_view(by_name[n.lower()]) for n in names if n.lower() in by_name]}
            missing = [n for n in names if n.lower() not in by_name]
            if missing:
                body["errors"] = [{"value": n, "detail": f"Could not find user with usernames: [{n}].",
                                   "title": "Not Found Error", "type": "https://api.twitter.com/2/problems/resource-not-found"}
                                  for n in missing]
            return 200, body, headers
        m = re.fullmatch(r"/2/users/by/username/([^/]+)", rest)
        if m:
            user = by_name.get(m.group(1).lower())
            if not user:
                return 200, {"errors": [{"title": "Not Found Error", "detail": "Could not find user"}]}, headers
            return 200, {"data": user_view(user)}, headers
        m = re.fullmatch(r"/2/users/([^/]+)/(tweets|mentions)", rest)
        if m:
            uid, kind = m.groups()
            start = dt.datetime.fromisoformat(self._one(query, "start_time").replace("Z", "+00:00"))
            if kind == "tweets":
                tweets = [t for t in self.x_tweets.values() if t["author"] == uid]
            else:
                tweets = [t for t in self.x_tweets.values() if t["author"] != uid and (
                    uid in t["mentions"] or (t["reply_to"] and self.x_tweets[t["reply_to"]]["author"] == uid))]
            tweets = sorted((t for t in tweets if t["at"] >= start), key=lambda t: t["at"], reverse=True)
            offset = int(self._one(query, "pagination_token", "0") or 0)
            limit = min(int(self._one(query, "max_results", "10")), self.page_size)
            page = tweets[offset:offset + limit]
            if not page:
                return 200, {"meta": {"result_count": 0}}, headers
            meta = {"result_count": len(page), "newest_id": page[0]["id"], "oldest_id": page[-1]["id"]}
            if offset + limit < len(tweets):
                meta["next_token"] = str(offset + limit)
            return 200, {"data": [self._x_view(t) for t in page], "meta": meta}, headers
        return 404, {"title": "Not Found Error", "detail": "no such endpoint"}, headers

    # YouTube -------------------------------------------------------------------------

    def _youtube(self, rest: str, query: dict, h):
        if (h.headers.get("X-Goog-Api-Key") or self._one(query, "key")) != self.tokens["youtube"]:
            return 400, {"error": {"code": 400, "message": "API key not valid. Please pass a valid API key.",
                                   "errors": [{"message": "API key not valid. Please pass a valid API key.",
                                               "domain": "global", "reason": "badRequest"}],
                                   "status": "INVALID_ARGUMENT",
                                   "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo",
                                                "reason": "API_KEY_INVALID", "domain": "googleapis.com"}]}}, {}
        token = int(self._one(query, "pageToken", "0") or 0)
        size = self.page_size

        def page_of(items):
            body = {"items": items[token:token + size], "pageInfo": {"totalResults": len(items), "resultsPerPage": size}}
            if token + size < len(items):
                body["nextPageToken"] = str(token + size)
            return body

        if rest == "/channels":
            handle = (self._one(query, "forHandle") or "").lstrip("@").lower()
            ids = (self._one(query, "id") or "").split(",")
            found = [c for c in self.y_channels.values() if c["handle"] == handle or c["id"] in ids]
            body = {"kind": "youtube#channelListResponse", "pageInfo": {"totalResults": len(found)}}
            if found:  # like YouTube: no "items" key at all when nothing matches
                body["items"] = [{"kind": "youtube#channel", "id": c["id"],
                                  "snippet": {"title": c["handle"], "customUrl": "@" + c["handle"]},
                                  "statistics": {"viewCount": "100000", "subscriberCount": str(c["subscribers"]),
                                                 "hiddenSubscriberCount": False, "videoCount": "3"},
                                  "contentDetails": {"relatedPlaylists": {"uploads": "UU" + c["id"][2:]}}}
                                 for c in found]
            return 200, body, {}
        if rest == "/playlistItems":
            channel = "UC" + self._one(query, "playlistId")[2:]
            videos = sorted((v for v in self.y_videos.values() if v["channel"] == channel), key=lambda v: v["at"], reverse=True)
            return 200, page_of([{"kind": "youtube#playlistItem", "id": "pl" + v["id"],
                                  "contentDetails": {"videoId": v["id"], "videoPublishedAt": iso(v["at"])}}
                                 for v in videos]), {}
        if rest == "/videos":
            ids = self._one(query, "id", "").split(",")
            return 200, {"items": [{"kind": "youtube#video", "id": v["id"],
                                    "snippet": {"publishedAt": iso(v["at"]), "title": v["title"], "channelId": v["channel"]},
                                    "statistics": {"viewCount": str(v["views"]), "likeCount": str(v["likes"]),
                                                   "favoriteCount": "0", "commentCount": str(v["comments"])}}
                                   for i in ids if (v := self.y_videos.get(i))]}, {}
        if rest == "/commentThreads":
            channel = self._one(query, "allThreadsRelatedToChannelId")
            threads = sorted((t for t in self.y_threads if t["channel"] == channel), key=lambda t: t["at"], reverse=True)
            items = []
            for t in threads:
                item = {"kind": "youtube#commentThread", "id": t["id"],
                        "snippet": {"channelId": channel, "videoId": t["video"], "canReply": True,
                                    "totalReplyCount": len(t["replies"]), "isPublic": True,
                                    "topLevelComment": self._y_comment(t["id"], t["author"], t["at"])}}
                if t["replies"]:  # like YouTube: only some replies inline
                    rid, author, at = t["replies"][0]
                    item["replies"] = {"comments": [self._y_comment(rid, author, at, t["id"])]}
                items.append(item)
            return 200, page_of(items), {}
        if rest == "/comments":
            parent = self._one(query, "parentId")
            thread = next(t for t in self.y_threads if t["id"] == parent)
            return 200, page_of([self._y_comment(rid, a, at, parent) for rid, a, at in thread["replies"]]), {}
        return 404, {"error": {"code": 404, "message": "Not Found", "errors": [{"reason": "notFound"}]}}, {}

    # Graph ---------------------------------------------------------------------------

    def _graph(self, rest: str, query: dict, h):
        if self._one(query, "access_token") != self.tokens["meta"]:
            return 400, {"error": {"message": "Error validating access token: Session has expired.",
                                   "type": "OAuthException", "code": 190, "error_subcode": 463,
                                   "fbtrace_id": "AbCdEf"}}, {}
        headers = {"X-App-Usage": json.dumps({"call_count": 3, "total_cputime": 1, "total_time": 2})}
        fields = self._one(query, "fields", "")
        after = int(self._one(query, "after", "0") or 0)
        size = self.page_size

        def paged(items, path):
            page = items[after:after + size]
            paging = {"cursors": {"before": str(after), "after": str(after + len(page))}}
            if after + size < len(items):
                q = {k: v[-1] for k, v in query.items() if k != "after"}
                q["after"] = str(after + size)
                paging["next"] = f"{self.base('facebook')}{path}?{urllib.parse.urlencode(q)}"
            return {"data": page, "paging": paging}

        node = rest.strip("/")
        if node == "me/accounts":
            return 200, paged([{"id": "5009", "name": "Page without IG"},
                               {"id": "5001", "name": "Acme", "instagram_business_account": {"id": self.ig_own_id}}],
                              rest), headers
        if node == self.ig_own_id and "business_discovery" in fields:
            m = re.search(r"business_discovery\.username\(([^)]+)\)", fields)
            account = self.ig_accounts.get(m.group(1))
            if account is None:
                return 400, {"error": {"message": "Invalid user id", "type": "OAuthException", "code": 110,
                                       "error_subcode": 2207013}}, headers
            cursor = re.search(r"media\.after\(([^)]*)\)", fields)
            start = int(cursor.group(1)) if cursor else 0
            media = account["media"][start:start + size]
            body_media = {"data": [{"id": mid, "timestamp": graph_time(at), "like_count": likes,
                                    "comments_count": comments, "caption": caption,
                                    "permalink": f"https://www.instagram.com/p/{mid}/"}
                                   for mid, at, likes, comments, caption in media],
                          "paging": {"cursors": {"before": str(start)}}}
            if start + size < len(account["media"]):
                body_media["paging"]["cursors"]["after"] = str(start + size)
            return 200, {"business_discovery": {"id": account["id"], "username": account["username"],
                                                "followers_count": account["followers"],
                                                "media_count": len(account["media"]), "media": body_media},
                         "id": self.ig_own_id}, headers
        m = re.fullmatch(r"([^/]+)/posts", node)
        if m:
            page_id = m.group(1)
            since = int(self._one(query, "since", "0"))
            posts = sorted((p for p in self.fb_posts.values() if p["page"] == page_id and p["at"].timestamp() >= since),
                           key=lambda p: p["at"], reverse=True)
            data = [{"id": p["id"], "created_time": graph_time(p["at"]), "message": p["message"],
                     "permalink_url": f"https://www.facebook.com/{p['id']}",
                     "reactions": {"data": [], "summary": {"total_count": p["reactions"], "viewer_reaction": "NONE"}},
                     "comments": {"data": [], "summary": {"order": "ranked", "total_count": len(p["comments"]),
                                                          "can_comment": True}},
                     **({"shares": {"count": p["shares"]}} if p["shares"] else {})} for p in posts]
            return 200, paged(data, rest), headers
        m = re.fullmatch(r"([^/]+)/comments", node)
        if m:
            post = self.fb_posts[m.group(1)]
            data = [{"id": cid, "created_time": graph_time(at), "from": {"id": author},
                     "comments": {"data": [{"id": rid, "created_time": graph_time(rat), "from": {"id": ra}}
                                           for rid, ra, rat in replies]}}
                    for cid, author, at, replies in sorted(post["comments"], key=lambda c: c[2])]
            return 200, paged(data, rest), headers
        page = self.fb_pages.get(node) or next((p for p in self.fb_pages.values() if p["name"] == node), None)
        if page:
            return 200, {"id": page["id"], "name": page["name"], "followers_count": page["followers"],
                         "fan_count": page["followers"] - 10}, headers
        return 404, {"error": {"message": f"(#803) Some of the aliases you requested do not exist: {node}",
                               "type": "OAuthException", "code": 803}}, headers

    # LinkedIn ------------------------------------------------------------------------

    def _linkedin(self, rest: str, query: dict, h):
        if h.headers.get("Authorization") != f"Bearer {self.tokens['linkedin']}":
            return 401, {"status": 401, "serviceErrorCode": 65600, "code": "INVALID_ACCESS_TOKEN",
                         "message": "Invalid access token"}, {}
        if not h.headers.get("LinkedIn-Version"):
            return 426, {"status": 426, "message": "A version must be present"}, {}
        if rest == "/rest/organizations" and self._one(query, "q") == "vanityName":
            org = self.li_orgs.get(self._one(query, "vanityName"))
            return 200, {"elements": [{"id": org["id"], "vanityName": org["vanity"], "localizedName": org["vanity"]}]
                         if org else [], "paging": {"count": 10, "start": 0}}, {}
        m = re.fullmatch(r"/rest/networkSizes/(.+)", rest)
        if m:
            urn = urllib.parse.unquote(m.group(1))
            org_id = int(urn.rsplit(":", 1)[1])
            org = next((o for o in self.li_orgs.values() if o["id"] == org_id), None)
            if org is None:
                return 404, {"status": 404, "message": "Not found"}, {}
            return 200, {"firstDegreeSize": org["followers"]}, {}
        return 404, {"status": 404, "message": "Not found"}, {}
