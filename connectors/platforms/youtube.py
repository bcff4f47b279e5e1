"""YouTube Data API v3: an API key (``YOUTUBE_API_KEY``); 10,000 quota units a day.

Endpoints (developers.google.com/youtube/v3): ``channels.list`` (``forHandle`` or ``id``;
``statistics.subscriberCount``, rounded, and the uploads playlist), ``playlistItems.list``
on the uploads playlist (newest first, ``pageToken``), ``videos.list`` (≤ 50 ids;
``viewCount``/``likeCount``/``commentCount`` come as JSON strings),
``commentThreads.list?allThreadsRelatedToChannelId=`` and ``comments.list?parentId=``
(replies beyond those inlined in a thread). Every list call costs 1 unit.

Responses: each top-level comment under the channel's videos is an inbound item; the
channel's own replies in that comment thread are the responses. Videos have no share
count in the API (0).
"""

from __future__ import annotations

import re

from connectors.http import ApiError, paginate
from connectors.platforms import Account, AccountData, Connector, Post, ThreadItem, Window, parse_time, to_int

DEFAULT_BASE_URL = "https://www.googleapis.com/youtube/v3"
VIDEOS_PER_REQUEST = 50
CHANNEL_ID = re.compile(r"^UC[A-Za-z0-9_-]{22}$")


class NotFoundChannel(ApiError):
    pass


class YouTubeConnector(Connector):
    platform = "youtube"
    credential_name = "YOUTUBE_API_KEY"
    default_base_url = DEFAULT_BASE_URL
    concurrency = 4

    def client_options(self) -> dict:
        key = self.settings.credential
        # Google APIs take the key in a header too, which keeps it out of every URL.
        return {"headers": {"X-Goog-Api-Key": key}, "secrets": [key]}

    def pull(self, account: Account, window: Window, state: dict, progress) -> AccountData:
        client = self.client(account)
        handle = account.bare_handle
        query = {"id": handle} if CHANNEL_ID.match(handle) else {"forHandle": "@" + handle}
        body, _ = client.get("/channels", {"part": "snippet,statistics,contentDetails", **query})
        channels = (body or {}).get("items") or []
        if not channels:
            raise NotFoundChannel(f"youtube: no channel {account.handle}")
        channel = channels[0]
        channel_id = str(channel["id"])
        stats = channel.get("statistics") or {}
        followers = None if stats.get("hiddenSubscriberCount") else to_int(stats.get("subscriberCount"), None)
        data = AccountData(self_id=channel_id, followers=followers, state={"platform_user_id": channel_id})
        progress(f"{followers:,} subscribers" if followers is not None else "subscribers hidden")

        uploads = ((channel.get("contentDetails") or {}).get("relatedPlaylists") or {}).get("uploads")
        video_ids: list[str] = []
        if uploads:
            def fetch(cursor):
                params = {"part": "contentDetails", "playlistId": uploads, "maxResults": 50}
                if cursor:
                    params["pageToken"] = cursor
                page, _ = client.get("/playlistItems", params)
                return (page or {}).get("items") or [], (page or {}).get("nextPageToken")

            for item in paginate(fetch):
                details = item.get("contentDetails") or {}
                published = parse_time(details.get("videoPublishedAt"))
                if published is not None and published < window.since:
                    break
                if details.get("videoId"):
                    video_ids.append(str(details["videoId"]))
        for i in range(0, len(video_ids), VIDEOS_PER_REQUEST):
            page, _ = client.get("/videos", {"part": "snippet,statistics", "id": ",".join(video_ids[i:i + VIDEOS_PER_REQUEST])})
            for video in (page or {}).get("items") or []:
                post = self._video(video)
                if post.created_at is not None and post.created_at >= window.since:
                    data.posts.append(post)
        progress(f"{len(data.posts)} videos")

        if account.official:
            data.items = self._comments(client, channel_id, window, data)
            progress(f"{len(data.items)} comments")
        else:
            progress("employee account: no inbound items")
        return data

    @staticmethod
    def _video(video: dict) -> Post:
        stats, snippet = video.get("statistics") or {}, video.get("snippet") or {}
        video_id = str(video["id"])
        return Post(
            post_id=video_id,
            created_at=parse_time(snippet.get("publishedAt")),
            url=f"https://www.youtube.com/watch?v={video_id}",
            text=snippet.get("title") or "",
            likes=to_int(stats.get("likeCount")),
            comments=to_int(stats.get("commentCount")),
            shares=0,
            views=to_int(stats.get("viewCount"), None),
            is_reply=False,
            thread_id=video_id,
        )

    def _comments(self, client, channel_id: str, window: Window, data: AccountData) -> list[ThreadItem]:
        items: list[ThreadItem] = []

        def fetch(cursor):
            params = {"part": "snippet,replies", "allThreadsRelatedToChannelId": channel_id,
                      "maxResults": 100, "order": "time", "textFormat": "plainText"}
            if cursor:
                params["pageToken"] = cursor
            page, _ = client.get("/commentThreads", params)
            return (page or {}).get("items") or [], (page or {}).get("nextPageToken")

        try:
            for thread in paginate(fetch):
                snippet = thread.get("snippet") or {}
                top = (snippet.get("topLevelComment") or {})
                top_snippet = top.get("snippet") or {}
                received = parse_time(top_snippet.get("publishedAt"))
                if received is None:
                    continue
                if received < window.since:
                    break
                thread_id = str(thread.get("id") or top.get("id"))
                top_author = _author(top_snippet)
                items.append(ThreadItem(str(top.get("id") or thread_id), top_author, received, thread_id,
                                        reply_to_author=channel_id))
                replies = ((thread.get("replies") or {}).get("comments")) or []
                if to_int(snippet.get("totalReplyCount")) > len(replies):
                    replies = list(self._replies(client, thread_id))
                for reply in replies:
                    reply_snippet = reply.get("snippet") or {}
                    created = parse_time(reply_snippet.get("publishedAt"))
                    if created is None:
                        continue
                    items.append(ThreadItem(str(reply["id"]), _author(reply_snippet), created, thread_id,
                                            reply_to_author=top_author, is_reply=True))
        except ApiError as exc:
            if exc.status == 403 and "commentsDisabled" in str(exc.body):
                data.notes.append("comments are disabled on this channel")
                return items
            raise
        data.interactions_collected = True
        return items

    @staticmethod
    def _replies(client, parent_id: str):
        def fetch(cursor):
            params = {"part": "snippet", "parentId": parent_id, "maxResults": 100, "textFormat": "plainText"}
            if cursor:
                params["pageToken"] = cursor
            page, _ = client.get("/comments", params)
            return (page or {}).get("items") or [], (page or {}).get("nextPageToken")

        return paginate(fetch)


def _author(snippet: dict) -> str | None:
    value = (snippet.get("authorChannelId") or {}).get("value")
    return str(value) if value else None


CONNECTOR = YouTubeConnector
