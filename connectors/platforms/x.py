"""X (API v2): an app bearer token (``X_BEARER_TOKEN``); reads are paid, so few are made.

Endpoints (docs.x.com): ``/2/users/by?usernames=`` (≤ 100 users per request,
``user.fields=public_metrics``), ``/2/users/:id/tweets`` (the last 3,200; ``start_time``,
``max_results`` ≤ 100, ``pagination_token`` = ``meta.next_token``),
``/2/users/:id/mentions`` (the last 800). Limits: 15-minute windows, ``x-rate-limit-reset``
in epoch seconds.

Responses: the mentions of the account are the inbound items; the organization's
replies are its accounts' tweets with ``in_reply_to_user_id``; both carry
``conversation_id``, the thread.
"""

from __future__ import annotations

import datetime as dt
import urllib.parse

from connectors.http import NotFound, paginate
from connectors.platforms import Account, AccountData, Connector, Post, ThreadItem, Window, parse_time, to_int

DEFAULT_BASE_URL = "https://api.x.com"
USERS_PER_REQUEST = 100
PAGE_SIZE = 100
TWEET_FIELDS = "created_at,public_metrics,conversation_id,in_reply_to_user_id,referenced_tweets,entities,author_id"


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class XConnector(Connector):
    platform = "x"
    credential_name = "X_BEARER_TOKEN"
    default_base_url = DEFAULT_BASE_URL
    concurrency = 3

    def __init__(self, settings) -> None:
        super().__init__(settings)
        self._users: dict[str, dict] = {}

    def client_options(self) -> dict:
        token = self.settings.credential
        return {"headers": {"Authorization": f"Bearer {token}"}, "secrets": [token]}

    def prepare(self, accounts: list[Account]) -> None:
        names = sorted({a.bare_handle.lower() for a in accounts})
        client = self.client()
        for i in range(0, len(names), USERS_PER_REQUEST):
            body, _ = client.get("/2/users/by", {"usernames": ",".join(names[i:i + USERS_PER_REQUEST]),
                                                 "user.fields": "public_metrics"})
            for user in (body or {}).get("data") or []:
                self._users[str(user.get("username", "")).lower()] = user

    def pull(self, account: Account, window: Window, state: dict, progress) -> AccountData:
        client = self.client(account)
        user = self._users.get(account.bare_handle.lower())
        if user is None:
            try:
                body, _ = client.get(f"/2/users/by/username/{urllib.parse.quote(account.bare_handle)}",
                                     {"user.fields": "public_metrics"})
            except NotFound:
                body = None
            user = (body or {}).get("data")
            if not user:
                raise NotFound(f"x: no user @{account.bare_handle}")
        user_id = str(user["id"])
        username = user.get("username") or account.bare_handle
        data = AccountData(self_id=user_id, followers=to_int((user.get("public_metrics") or {}).get("followers_count"), None),
                           state={"platform_user_id": user_id})
        progress(f"{data.followers:,} followers" if data.followers is not None else "followers hidden")

        tweets = list(self._timeline(client, f"/2/users/{user_id}/tweets", window, {"exclude": "retweets"}))
        data.posts = [self._post(t, username) for t in tweets]
        progress(f"{len(data.posts)} posts")

        if account.official:
            items = {}
            for tweet in tweets:
                item = self._item(tweet, user_id)
                items[item.item_id] = item
            for tweet in self._timeline(client, f"/2/users/{user_id}/mentions", window, {}):
                item = self._item(tweet, user_id, mentioned=True)
                items.setdefault(item.item_id, item)
            data.items = list(items.values())
            data.interactions_collected = True
            progress(f"{len(data.items)} thread items")
        else:
            progress("employee account: no inbound items")
        return data

    def _timeline(self, client, path: str, window: Window, extra: dict):
        def fetch(cursor):
            params = {"max_results": PAGE_SIZE, "start_time": _iso(window.since), "tweet.fields": TWEET_FIELDS, **extra}
            if cursor:
                params["pagination_token"] = cursor
            body, _ = client.get(path, params)
            body = body or {}
            return body.get("data") or [], (body.get("meta") or {}).get("next_token")

        for tweet in paginate(fetch):
            created = parse_time(tweet.get("created_at"))
            if created is not None and created >= window.since:
                yield tweet

    @staticmethod
    def _is_reply(tweet: dict) -> bool:
        return bool(tweet.get("in_reply_to_user_id")) or any(
            r.get("type") == "replied_to" for r in tweet.get("referenced_tweets") or [])

    @staticmethod
    def _mentions(tweet: dict) -> tuple[str, ...]:
        return tuple(str(m["id"]) for m in (tweet.get("entities") or {}).get("mentions") or [] if m.get("id"))

    def _post(self, tweet: dict, username: str) -> Post:
        metrics = tweet.get("public_metrics") or {}
        tweet_id = str(tweet["id"])
        return Post(
            post_id=tweet_id,
            created_at=parse_time(tweet.get("created_at")),
            url=f"https://x.com/{username}/status/{tweet_id}",
            text=tweet.get("text") or "",
            likes=to_int(metrics.get("like_count")),
            comments=to_int(metrics.get("reply_count")),
            shares=to_int(metrics.get("retweet_count")) + to_int(metrics.get("quote_count")),
            views=to_int(metrics.get("impression_count"), None),
            is_reply=self._is_reply(tweet),
            thread_id=str(tweet.get("conversation_id") or tweet_id),
            reply_to_author=str(tweet["in_reply_to_user_id"]) if tweet.get("in_reply_to_user_id") else None,
            mentions=self._mentions(tweet),
        )

    def _item(self, tweet: dict, user_id: str, mentioned: bool = False) -> ThreadItem:
        mentions = self._mentions(tweet)
        if mentioned and user_id not in mentions:
            mentions = (*mentions, user_id)  # the mentions endpoint lists tweets addressed to the user
        tweet_id = str(tweet["id"])
        author = tweet.get("author_id")
        return ThreadItem(
            item_id=tweet_id,
            author_id=str(author) if author else (None if mentioned else user_id),
            created_at=parse_time(tweet.get("created_at")),
            thread_id=str(tweet.get("conversation_id") or tweet_id),
            reply_to_author=str(tweet["in_reply_to_user_id"]) if tweet.get("in_reply_to_user_id") else None,
            mentions=mentions,
            is_reply=self._is_reply(tweet),
        )


CONNECTOR = XConnector
