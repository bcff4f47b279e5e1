"""Facebook Pages (Graph API): a Page or User token (``META_ACCESS_TOKEN``).

Endpoints (developers.facebook.com/docs/graph-api): ``/{page}?fields=id,followers_count,fan_count``,
``/{page-id}/posts?fields=…reactions.summary(total_count).limit(0),comments.summary(true).limit(0),shares``
(``since`` as a Unix time; pages through ``paging.next``, and stops when ``next`` is
absent, not on a short page), ``/{post-id}/comments`` (top-level comments with their
replies). Other organizations' pages need app review (Page Public Metadata Access /
Page Public Content Access); without it the Graph answers an OAuth error, reported
per account.

Responses: each top-level comment under the page's posts is an inbound item; the page's
own replies to it are the responses. Comments whose author the token may not see
(``from`` absent) cannot be told apart from the page's and are left out.
"""

from __future__ import annotations

import re
import urllib.parse

from connectors.http import ApiError, NotFound, paginate
from connectors.platforms import Account, AccountData, Connector, Post, ThreadItem, Window, parse_time, to_int

DEFAULT_BASE_URL = "https://graph.facebook.com/v25.0"
POST_FIELDS = ("id,created_time,message,permalink_url,"
               "reactions.summary(total_count).limit(0),comments.summary(true).limit(0),shares")
COMMENT_FIELDS = "id,created_time,from{id},comments.limit(100){id,created_time,from{id}}"
PERMISSION_CODES = {10, 100, *range(200, 300)}
NODE = re.compile(r"^[A-Za-z0-9._-]+$")


def graph_pages(client, path: str, params: dict):
    """Items of a Graph edge, following ``paging.next`` until it is absent."""
    def fetch(cursor):
        body, _ = client.get(cursor or path, None if cursor else params)
        body = body or {}
        return body.get("data") or [], (body.get("paging") or {}).get("next")

    return paginate(fetch)


def permission_problem(exc: ApiError) -> bool:
    error = (exc.body or {}).get("error") if isinstance(exc.body, dict) else None
    return isinstance(error, dict) and error.get("code") in PERMISSION_CODES


class FacebookConnector(Connector):
    platform = "facebook"
    credential_name = "META_ACCESS_TOKEN"
    default_base_url = DEFAULT_BASE_URL
    concurrency = 3  # shares Meta's app usage with Instagram

    def client_options(self) -> dict:
        token = self.settings.credential
        return {"params": {"access_token": token}, "secrets": [token]}

    def pull(self, account: Account, window: Window, state: dict, progress) -> AccountData:
        client = self.client(account)
        handle = account.bare_handle
        if not NODE.match(handle):
            raise ApiError(f"facebook: {handle!r} is not a page name or id")
        try:
            page, _ = client.get(f"/{urllib.parse.quote(handle)}", {"fields": "id,name,followers_count,fan_count"})
        except NotFound:
            raise NotFound(f"facebook: no page {handle}") from None
        except ApiError as exc:
            if permission_problem(exc):
                raise ApiError(f"facebook: the token may not read the page {handle} ({exc}); other organizations' "
                               "pages need Meta's Page Public Metadata Access review") from None
            raise
        page_id = str(page["id"])
        followers = to_int(page.get("followers_count"), None)
        if followers is None:
            followers = to_int(page.get("fan_count"), None)
        data = AccountData(self_id=page_id, followers=followers, state={"platform_user_id": page_id})
        progress(f"{followers:,} followers" if followers is not None else "followers hidden")

        params = {"fields": POST_FIELDS, "since": int(window.since.timestamp()), "limit": 100}
        for raw in graph_pages(client, f"/{page_id}/posts", params):
            created = parse_time(raw.get("created_time"))
            if created is None:
                continue
            if created < window.since:
                break
            data.posts.append(Post(
                post_id=str(raw["id"]),
                created_at=created,
                url=raw.get("permalink_url"),
                text=raw.get("message") or "",
                likes=to_int(((raw.get("reactions") or {}).get("summary") or {}).get("total_count")),
                comments=to_int(((raw.get("comments") or {}).get("summary") or {}).get("total_count")),
                shares=to_int((raw.get("shares") or {}).get("count")),
                views=None,
                is_reply=False,
                thread_id=str(raw["id"]),
            ))
        progress(f"{len(data.posts)} posts")

        if account.official:
            try:
                data.items = self._comments(client, page_id, data.posts, window)
                data.interactions_collected = True
            except ApiError as exc:
                if not permission_problem(exc):
                    raise
                data.notes.append("comments are not readable with this token")
            progress(f"{len(data.items)} comments")
        else:
            progress("employee account: no inbound items")
        return data

    def _comments(self, client, page_id: str, posts: list[Post], window: Window) -> list[ThreadItem]:
        items: list[ThreadItem] = []
        for post in posts:
            if post.comments <= 0:
                continue
            params = {"fields": COMMENT_FIELDS, "filter": "toplevel", "order": "chronological", "limit": 100}
            for comment in graph_pages(client, f"/{urllib.parse.quote(post.post_id)}/comments", params):
                created = parse_time(comment.get("created_time"))
                author = (comment.get("from") or {}).get("id")
                if created is None or author is None:
                    continue
                thread = str(comment["id"])
                items.append(ThreadItem(thread, str(author), created, thread, reply_to_author=page_id))
                for reply in ((comment.get("comments") or {}).get("data")) or []:
                    reply_at = parse_time(reply.get("created_time"))
                    reply_author = (reply.get("from") or {}).get("id")
                    if reply_at is None or reply_author is None:
                        continue
                    items.append(ThreadItem(str(reply["id"]), str(reply_author), reply_at, thread,
                                            reply_to_author=str(author), is_reply=True))
        return items


CONNECTOR = FacebookConnector
