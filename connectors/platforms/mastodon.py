"""Mastodon: public data of any account, no token needed.

Endpoints (docs.joinmastodon.org): ``/api/v1/accounts/lookup?acct=`` (id and
``followers_count``), ``/api/v1/accounts/:id/statuses`` (``limit`` ≤ 40,
``exclude_reblogs``; pages through the ``Link: <…>; rel="next"`` header),
``/api/v1/statuses/:id/context`` (ancestors and descendants of a status).

Responses: the threads under the account's posts (``context`` of each post with
replies) and the thread of each of its replies (``context`` of the reply: its
ancestors, up to the root). Statuses are identified by their ``uri``, which is the same
on every instance (local ``id``s are not); people by ``user@instance``.
"""

from __future__ import annotations

import html
import re
import urllib.parse

from connectors.http import NotFound
from connectors.platforms import Account, AccountData, Connector, Post, ThreadItem, Window, parse_time, to_int

PAGE_SIZE = 40


def html_to_text(content: str | None) -> str:
    """Mastodon's HTML status content as plain text."""
    if not content:
        return ""
    text = re.sub(r"<br\s*/?>", "\n", content, flags=re.IGNORECASE)
    text = re.sub(r"</p>\s*<p[^>]*>", "\n\n", text, flags=re.IGNORECASE)
    text = re.sub(r"<[^>]+>", "", text)
    return html.unescape(text).strip()


def instance_of(handle: str) -> str:
    return handle.strip().lstrip("@").split("@", 1)[1].lower()


def acct_key(acct: str | None, instance: str) -> str | None:
    """``user@instance`` for an ``acct`` (local accounts come without their instance)."""
    if not acct:
        return None
    acct = acct.strip().lstrip("@").lower()
    return acct if "@" in acct else f"{acct}@{instance}"


class MastodonConnector(Connector):
    platform = "mastodon"
    credential_name = None
    concurrency = 4  # per instance: 300 requests / 5 min per IP by default

    def base_url(self, account: Account | None = None) -> str:
        if self.settings.base_url:
            return self.settings.base_url
        if account is None:
            raise ValueError("a Mastodon API address depends on the account's instance")
        return f"https://{instance_of(account.handle)}"

    def concurrency_key(self, account: Account) -> str:
        return instance_of(account.handle)

    def client_options(self) -> dict:
        return {}

    def pull(self, account: Account, window: Window, state: dict, progress) -> AccountData:
        client = self.client(account)
        instance = instance_of(account.handle)
        self_key = acct_key(account.bare_handle, instance)
        try:
            profile, _ = client.get("/api/v1/accounts/lookup", {"acct": account.bare_handle})
        except NotFound:
            raise NotFound(f"mastodon: no account {account.bare_handle} on {instance}") from None
        local_id = str(profile["id"])
        data = AccountData(self_id=self_key, followers=to_int(profile.get("followers_count"), None),
                           state={"platform_user_id": self_key, "local_id": local_id})
        progress(f"{data.followers:,} followers" if data.followers is not None else "followers hidden")

        # Own statuses, newest first, until older than the window.
        own: list[dict] = []
        url: str | None = f"/api/v1/accounts/{urllib.parse.quote(local_id)}/statuses"
        params: dict | None = {"limit": PAGE_SIZE, "exclude_reblogs": "true"}
        seen_urls: set[str] = set()
        while url:
            page, response = client.get(url, params)
            if not page:
                break
            older = False
            for status in page:
                created = parse_time(status.get("created_at"))
                if created is None or status.get("reblog"):
                    continue
                if created < window.since:
                    older = True
                    continue
                own.append(status)
            following = response.links.get("next", {}).get("url")
            if older or not following or following in seen_urls:
                break
            seen_urls.add(following)
            url, params = following, None

        accounts: dict[str, str] = {local_id: self_key}
        for status in own:
            _remember(status, accounts, instance)
        data.posts = [self._post(s, instance, accounts) for s in own]
        progress(f"{len(data.posts)} posts")

        if account.official:
            data.items = self._threads(client, own, instance, accounts)
            data.interactions_collected = True
            progress(f"{len(data.items)} thread items")
        else:
            progress("employee account: no inbound items")
        return data

    def _post(self, status: dict, instance: str, accounts: dict[str, str], root: str | None = None) -> Post:
        reply_to = status.get("in_reply_to_account_id")
        return Post(
            post_id=status.get("uri") or str(status["id"]),
            created_at=parse_time(status["created_at"]),
            url=status.get("url") or status.get("uri"),
            text=html_to_text(status.get("content")),
            likes=to_int(status.get("favourites_count")),
            comments=to_int(status.get("replies_count")),
            shares=to_int(status.get("reblogs_count")),
            views=None,
            is_reply=status.get("in_reply_to_id") is not None,
            thread_id=root,
            reply_to_author=accounts.get(str(reply_to)) if reply_to is not None else None,
            mentions=tuple(k for k in (acct_key(m.get("acct"), instance) for m in status.get("mentions") or []) if k),
        )

    def _threads(self, client, own: list[dict], instance: str, accounts: dict[str, str]) -> list[ThreadItem]:
        """Every status of the threads under the account's posts and of its replies."""
        items: dict[str, ThreadItem] = {}
        known: set[str] = set()  # local ids already placed in a fetched thread

        def add(status: dict, root_uri: str) -> None:
            created = parse_time(status.get("created_at"))
            if created is None:
                return
            post = self._post(status, instance, accounts)
            items[post.post_id] = ThreadItem(
                item_id=post.post_id, author_id=acct_key((status.get("account") or {}).get("acct"), instance),
                created_at=created, thread_id=root_uri, reply_to_author=post.reply_to_author,
                mentions=post.mentions, is_reply=post.is_reply,
            )
            known.add(str(status["id"]))

        originals = [s for s in own if s.get("in_reply_to_id") is None]
        replies = [s for s in own if s.get("in_reply_to_id") is not None]
        for status in originals:
            add(status, status.get("uri") or str(status["id"]))
            if to_int(status.get("replies_count")) > 0:
                context = self._context(client, status)
                for other in context.get("descendants") or []:
                    _remember(other, accounts, instance)
                for other in context.get("descendants") or []:
                    add(other, status.get("uri") or str(status["id"]))
        for status in replies:
            if str(status["id"]) in known:
                continue
            context = self._context(client, status)
            ancestors = context.get("ancestors") or []
            for other in ancestors + (context.get("descendants") or []):
                _remember(other, accounts, instance)
            root = ancestors[0] if ancestors else status
            root_uri = root.get("uri") or str(root["id"])
            for other in [*ancestors, status, *(context.get("descendants") or [])]:
                add(other, root_uri)
        return list(items.values())

    @staticmethod
    def _context(client, status: dict) -> dict:
        try:
            context, _ = client.get(f"/api/v1/statuses/{urllib.parse.quote(str(status['id']))}/context")
        except NotFound:  # deleted meanwhile
            return {}
        return context or {}


def _remember(status: dict, accounts: dict[str, str], instance: str) -> None:
    """Map the instance-local account ids of a status to ``user@instance``."""
    account = status.get("account") or {}
    if account.get("id") is not None:
        key = acct_key(account.get("acct"), instance)
        if key:
            accounts[str(account["id"])] = key
    for mention in status.get("mentions") or []:
        key = acct_key(mention.get("acct"), instance)
        if key and mention.get("id") is not None:
            accounts[str(mention["id"])] = key


CONNECTOR = MastodonConnector
