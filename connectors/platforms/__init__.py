"""One module per platform; what they share: the records they return and the connector base.

A connector pulls one configured account at a time (``pull``), optionally after one
batched look-up of all its accounts (``prepare``; X and Bluesky look up to 100 / 25
users per request). It returns an ``AccountData``:

* ``followers``: today's follower count (None where the platform hides it);
* ``posts``: the account's own posts created since ``window.since`` with their current
  counts (replies included, flagged ``is_reply``);
* ``items``: everything else it saw in reply threads (other people's posts, comments
  and replies, and replies by the organization's other accounts), from which the
  refresh derives inbound items and first responses (``connectors.refresh.responses``).

Identities (``author_id``, ``reply_to_author``, ``mentions``, ``self_id``) are the
platform's stable user ids: Mastodon ``user@instance`` (account ids are per instance),
Bluesky DIDs, X user ids, YouTube channel ids, Facebook page/user ids.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from typing import Callable

from connectors.http import DEFAULT_BACKOFF, DEFAULT_MAX_WAIT, DEFAULT_RETRIES, DEFAULT_TIMEOUT, HttpClient, Limiter

PLATFORM_MODULES = ("mastodon", "bluesky", "youtube", "x", "facebook", "instagram", "linkedin")

Progress = Callable[[str], None]


@dataclasses.dataclass(frozen=True)
class Account:
    """A configured account (a row of the warehouse's ``accounts``)."""

    account_id: str
    org_id: str
    platform: str
    handle: str
    department_id: str | None = None
    person: str | None = None

    @property
    def official(self) -> bool:
        """An account of the organization itself (brand or department), not an employee's own."""
        return self.person is None

    @property
    def bare_handle(self) -> str:
        return self.handle.strip().lstrip("@")


@dataclasses.dataclass(frozen=True)
class Window:
    """What to read: posts and inbound items created at or after ``since``."""

    since: dt.datetime
    now: dt.datetime
    first: bool = True


@dataclasses.dataclass
class Post:
    post_id: str
    created_at: dt.datetime
    url: str | None
    text: str | None
    likes: int = 0
    comments: int = 0
    shares: int = 0
    views: int | None = None
    is_reply: bool = False
    thread_id: str | None = None
    reply_to_author: str | None = None
    mentions: tuple[str, ...] = ()


@dataclasses.dataclass
class ThreadItem:
    """A post, comment or reply seen in a thread (anyone's)."""

    item_id: str
    author_id: str | None
    created_at: dt.datetime
    thread_id: str
    reply_to_author: str | None = None
    mentions: tuple[str, ...] = ()
    is_reply: bool = False


@dataclasses.dataclass
class AccountData:
    self_id: str
    followers: int | None
    posts: list[Post] = dataclasses.field(default_factory=list)
    items: list[ThreadItem] = dataclasses.field(default_factory=list)
    state: dict = dataclasses.field(default_factory=dict)
    notes: list[str] = dataclasses.field(default_factory=list)
    interactions_collected: bool = False
    skipped: bool = False          # the platform offers nothing for this kind of account


@dataclasses.dataclass(frozen=True)
class ConnectorSettings:
    """How a connector reaches its API: the address, the credential and the HTTP limits."""

    base_url: str | None = None
    credential: str | None = None
    extra: dict = dataclasses.field(default_factory=dict)   # e.g. the Instagram user id
    max_wait: float = DEFAULT_MAX_WAIT
    retries: int = DEFAULT_RETRIES
    backoff: float = DEFAULT_BACKOFF
    timeout: tuple[float, float] = DEFAULT_TIMEOUT


class Connector:
    """The base of every platform connector."""

    platform: str = ""
    credential_name: str | None = None     # the environment variable it needs, if any
    default_base_url: str = ""
    concurrency: int = 4                   # accounts pulled at once against one API address
    PHASES = 3                             # profile, posts, interactions (for progress bars)

    def __init__(self, settings: ConnectorSettings) -> None:
        self.settings = settings
        self._clients: dict[str, HttpClient] = {}
        self._clients_lock = threading.Lock()

    # -- HTTP -----------------------------------------------------------------------------

    def base_url(self, account: Account | None = None) -> str:
        return self.settings.base_url or self.default_base_url

    def client_options(self) -> dict:
        """Headers, parameters and secrets every request of this platform carries."""
        return {}

    def client(self, account: Account | None = None) -> HttpClient:
        url = self.base_url(account)
        with self._clients_lock:
            if url not in self._clients:
                self._clients[url] = HttpClient(
                    self.platform, url, max_wait=self.settings.max_wait, retries=self.settings.retries,
                    backoff=self.settings.backoff, timeout=self.settings.timeout, limiter=Limiter(),
                    **self.client_options(),
                )
            return self._clients[url]

    @property
    def requests_made(self) -> int:
        return sum(c.requests_made for c in self._clients.values())

    def concurrency_key(self, account: Account) -> str:
        """Accounts with the same key share one API's limits (and one concurrency bound)."""
        return self.base_url(account)

    # -- pulling --------------------------------------------------------------------------

    def prepare(self, accounts: list[Account]) -> None:
        """Batch look-ups before the accounts are pulled (optional)."""

    def pull(self, account: Account, window: Window, state: dict, progress: Progress) -> AccountData:
        raise NotImplementedError


def parse_time(value: str | None) -> dt.datetime | None:
    """An ISO timestamp of any platform (``Z``, ``+0000``, fractions) as an aware UTC datetime."""
    if not value:
        return None
    text = str(value).strip().replace("Z", "+00:00")
    try:
        stamp = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.timezone.utc)
    return stamp.astimezone(dt.timezone.utc)


def to_int(value, default: int | None = 0) -> int | None:
    """A count that may come as a JSON string (YouTube) or a number; default when absent."""
    if value is None or value == "":
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        try:
            return int(float(value))
        except (TypeError, ValueError):
            return default


def connector_class(platform: str) -> type[Connector]:
    import importlib

    module = importlib.import_module(f"connectors.platforms.{platform}")
    return module.CONNECTOR
