"""Instagram (Graph API, business discovery): a User token (``META_ACCESS_TOKEN``) with
``instagram_basic``, ``instagram_manage_insights`` and ``pages_read_engagement``.

Business discovery reads another professional (business or creator) account through
the company's own Instagram user:
``/{own-ig-user-id}?fields=business_discovery.username(NAME){followers_count,media_count,media{…}}``;
the media edge pages with ``media.after(CURSOR)``. The company's Instagram user id comes
from ``META_IG_USER_ID`` (environment or secrets), else from the first Page of the
token that has an Instagram professional account (``/me/accounts``).

Business discovery exposes no comment authors, so no inbound items or responses come
from Instagram (import them from an inbox export: ``python -m connectors import interactions``).
"""

from __future__ import annotations

import re
import threading

from connectors.http import ApiError, NotFound
from connectors.platforms import Account, AccountData, Connector, Post, Window, parse_time, to_int
from connectors.platforms.facebook import DEFAULT_BASE_URL, graph_pages, permission_problem

USERNAME = re.compile(r"^[A-Za-z0-9._]{1,30}$")
MEDIA_FIELDS = "id,caption,like_count,comments_count,timestamp,permalink"
PAGE_SIZE = 50
MAX_PAGES = 200


class InstagramConnector(Connector):
    platform = "instagram"
    credential_name = "META_ACCESS_TOKEN"
    default_base_url = DEFAULT_BASE_URL
    concurrency = 3
    PHASES = 2

    def __init__(self, settings) -> None:
        super().__init__(settings)
        self._own_id: str | None = settings.extra.get("META_IG_USER_ID") or None
        self._own_lock = threading.Lock()

    def client_options(self) -> dict:
        token = self.settings.credential
        return {"params": {"access_token": token}, "secrets": [token]}

    def prepare(self, accounts: list[Account]) -> None:
        self.own_user_id()

    def own_user_id(self) -> str:
        with self._own_lock:
            if self._own_id:
                return self._own_id
            for page in graph_pages(self.client(), "/me/accounts", {"fields": "id,instagram_business_account", "limit": 100}):
                business = page.get("instagram_business_account") or {}
                if business.get("id"):
                    self._own_id = str(business["id"])
                    return self._own_id
            raise ApiError("instagram: none of the token's Pages has an Instagram professional account; "
                           "set META_IG_USER_ID to the company's Instagram user id")

    def pull(self, account: Account, window: Window, state: dict, progress) -> AccountData:
        client = self.client(account)
        username = account.bare_handle
        if not USERNAME.match(username):
            raise ApiError(f"instagram: {username!r} is not an Instagram username")
        own = self.own_user_id()
        data: AccountData | None = None
        after: str | None = None
        seen: set[str] = set()
        for _ in range(MAX_PAGES):
            media_edge = f"media.after({after}).limit({PAGE_SIZE})" if after else f"media.limit({PAGE_SIZE})"
            fields = f"business_discovery.username({username}){{id,username,followers_count,media_count,{media_edge}{{{MEDIA_FIELDS}}}}}"
            try:
                body, _ = client.get(f"/{own}", {"fields": fields})
            except (NotFound, ApiError) as exc:
                if isinstance(exc, NotFound) or permission_problem(exc):
                    raise ApiError(f"instagram: business discovery cannot read @{username} (a business or creator "
                                   f"account is needed): {exc}") from None
                raise
            discovery = (body or {}).get("business_discovery") or {}
            if data is None:
                user_id = str(discovery.get("id") or username)
                data = AccountData(self_id=user_id, followers=to_int(discovery.get("followers_count"), None),
                                   state={"platform_user_id": user_id})
                progress(f"{data.followers:,} followers" if data.followers is not None else "followers hidden")
            media = discovery.get("media") or {}
            page = media.get("data") or []
            if not page:
                break
            older = False
            for item in page:
                created = parse_time(item.get("timestamp"))
                if created is None:
                    continue
                if created < window.since:
                    older = True
                    continue
                data.posts.append(Post(
                    post_id=str(item["id"]), created_at=created, url=item.get("permalink"),
                    text=item.get("caption") or "", likes=to_int(item.get("like_count")),
                    comments=to_int(item.get("comments_count")), shares=0, views=None,
                    is_reply=False, thread_id=str(item["id"]),
                ))
            after = ((media.get("paging") or {}).get("cursors") or {}).get("after")
            if older or not after or after in seen:
                break
            seen.add(after)
        if data is None:  # pragma: no cover - the loop always runs once
            raise ApiError(f"instagram: no answer for @{username}")
        progress(f"{len(data.posts)} posts")
        return data


CONNECTOR = InstagramConnector
