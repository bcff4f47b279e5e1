"""The one HTTP layer every platform connector speaks through.

What it promises:

* a ``requests`` session per thread, with connect and read timeouts;
* retries with exponential backoff on timeouts, dropped connections, 5xx answers and
  bodies that are not JSON (a truncated answer or a proxy's error page);
* each platform's own rate-limit signal honoured, with a bounded wait: Mastodon's
  ``X-RateLimit-Reset`` (an ISO timestamp), Bluesky's ``RateLimit-Reset`` and X's
  ``x-rate-limit-reset`` (epoch seconds), Meta's ``X-App-Usage`` percentages and its
  throttling codes (4, 17, 32, 613, 80000-80008, and code 100 subcode 33, which comes
  as a 400), YouTube's 403 ``quotaExceeded``. A wait longer than ``max_wait`` is not
  waited: the request fails with ``RateLimited`` naming when the limit resets. When one
  request of a platform hits its limit, every thread of that platform waits (``Limiter``);
* an expired, revoked or missing token (HTTP 401, Meta code 190/102, an invalid YouTube
  key) raises ``Reauthorise`` at once, never retried;
* pagination helpers that stop on an empty page or a cursor seen before;
* secrets (tokens, keys, webhook addresses) redacted from every message and log line,
  including tokens inside URLs (``access_token=…``, ``key=…``);
* absolute "next page" URLs are followed only on the origin the client was configured
  for, so a token is never sent to another host.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import email.utils
import json
import logging
import random
import re
import threading
import time
import urllib.parse
from typing import Any, Callable, Iterable, Iterator

import requests

log = logging.getLogger("connectors")

DEFAULT_TIMEOUT = (5.0, 30.0)   # connect, read (seconds)
DEFAULT_RETRIES = 3             # attempts after the first one, for transient failures
DEFAULT_BACKOFF = 0.5           # seconds; doubled on each retry, with jitter
DEFAULT_MAX_WAIT = 120.0        # the longest wait for a rate limit before giving up
MAX_RATE_LIMIT_WAITS = 5        # rate-limit waits per request before giving up
META_USAGE_PAUSE = 60.0         # pause when Meta reports ≥ 95 % of a usage quota spent
MAX_PAGES = 1000                # a safety net against paginations that never end

META_THROTTLE_CODES = {4, 17, 32, 613, *range(80000, 80009)}
META_REAUTH_CODES = {102, 190}
META_TRANSIENT_CODES = {1, 2}


class ConnectorError(Exception):
    """A failure of one request, account or platform; the message is already redacted."""


class Reauthorise(ConnectorError):
    """The platform refused the credentials (expired, revoked or missing): get a new token."""


class RateLimited(ConnectorError):
    """The platform's limit resets later than we are willing to wait."""


class ApiError(ConnectorError):
    """The platform answered with an error that retrying will not fix, or kept failing."""

    def __init__(self, message: str, status: int | None = None, body: Any = None):
        super().__init__(message)
        self.status = status
        self.body = body


class NotFound(ApiError):
    """The account or object does not exist (or is not visible)."""


# --- Secrets ------------------------------------------------------------------------------

_SECRET_PARAMS = re.compile(
    r"(\b(?:access_token|token|key|api_key|apikey|client_secret|password|sig)=)[^&\s#'\"]+", re.IGNORECASE
)
_BEARER = re.compile(r"((?:Bearer|OAuth)\s+)[A-Za-z0-9._~+/=%-]{16,}", re.IGNORECASE)
_registered_secrets: set[str] = set()
_secrets_lock = threading.Lock()


def register_secret(value: str | None) -> None:
    """Remember a secret so that ``redact`` removes it from every message from now on."""
    if value and len(value) >= 4:
        with _secrets_lock:
            _registered_secrets.add(value)
            _registered_secrets.add(urllib.parse.quote(value, safe=""))


def redact(text: Any, extra: Iterable[str] = ()) -> str:
    """The text with every known secret and every token-looking URL parameter replaced."""
    out = str(text)
    with _secrets_lock:
        secrets = sorted(_registered_secrets | {s for s in extra if s}, key=len, reverse=True)
    for secret in secrets:
        out = out.replace(secret, "***")
    out = _SECRET_PARAMS.sub(r"\1***", out)
    return _BEARER.sub(r"\1***", out)


class RedactingFilter(logging.Filter):
    """A logging filter that redacts the formatted message of every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = ()
        return True


# The connectors' own log, and urllib3's debug lines (they print every URL with its query).
for _name in ("connectors", "urllib3.connectionpool", "urllib3.connection", "urllib3.util.retry"):
    logging.getLogger(_name).addFilter(RedactingFilter())


# --- Rate limits --------------------------------------------------------------------------

@dataclasses.dataclass
class Signal:
    """What a response says about the platform's limit."""

    limited: bool = False          # this response is a rate-limit refusal: retry after waiting
    reset_at: float | None = None  # epoch seconds when the limit resets, if the platform says
    exhausted: bool = False        # a success that used the last request of the window
    quota: bool = False            # a daily quota: waiting minutes will not help
    reason: str = ""


def _header(response: requests.Response, name: str) -> str | None:
    return response.headers.get(name)


def parse_reset(value: str | None, *, now: float | None = None) -> float | None:
    """A reset header as epoch seconds: an ISO timestamp (Mastodon), epoch seconds (Bluesky,
    X), or a number of seconds to wait when it is small (Retry-After style)."""
    if value is None or not str(value).strip():
        return None
    value = str(value).strip()
    now = time.time() if now is None else now
    try:
        number = float(value)
    except ValueError:
        pass
    else:
        # Epoch seconds are ~1.7e9; a small number is a delay in seconds.
        return number if number > 1e8 else now + number
    try:
        stamp = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        if stamp.tzinfo is None:
            stamp = stamp.replace(tzinfo=dt.timezone.utc)
        return stamp.timestamp()
    except ValueError:
        pass
    try:  # an HTTP date, as Retry-After may carry
        return email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError):
        return None


def _remaining_zero(response: requests.Response, name: str) -> bool:
    value = _header(response, name)
    return value is not None and value.strip() == "0"


def mastodon_signal(response: requests.Response, body: Any) -> Signal:
    reset = parse_reset(_header(response, "X-RateLimit-Reset"))
    if response.status_code == 429:
        return Signal(limited=True, reset_at=reset, reason="HTTP 429")
    return Signal(exhausted=_remaining_zero(response, "X-RateLimit-Remaining"), reset_at=reset)


def bluesky_signal(response: requests.Response, body: Any) -> Signal:
    reset = parse_reset(_header(response, "RateLimit-Reset"))
    if response.status_code == 429:
        return Signal(limited=True, reset_at=reset, reason="HTTP 429")
    return Signal(exhausted=_remaining_zero(response, "RateLimit-Remaining"), reset_at=reset)


def x_signal(response: requests.Response, body: Any) -> Signal:
    reset = parse_reset(_header(response, "x-rate-limit-reset"))
    if response.status_code == 429:
        return Signal(limited=True, reset_at=reset, reason="HTTP 429")
    return Signal(exhausted=_remaining_zero(response, "x-rate-limit-remaining"), reset_at=reset)


def _meta_usage(response: requests.Response) -> tuple[float, float | None]:
    """The highest percentage in X-App-Usage / X-Business-Use-Case-Usage, and the
    seconds until access is regained when Meta says so."""
    highest, regain = 0.0, None
    for name in ("X-App-Usage", "X-Page-Usage", "X-Business-Use-Case-Usage"):
        raw = _header(response, name)
        if not raw:
            continue
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        entries = [data] if name != "X-Business-Use-Case-Usage" else [
            e for v in (data.values() if isinstance(data, dict) else []) for e in (v if isinstance(v, list) else [v])
        ]
        for entry in entries:
            if not isinstance(entry, dict):
                continue
            for key in ("call_count", "total_time", "total_cputime"):
                try:
                    highest = max(highest, float(entry.get(key) or 0))
                except (TypeError, ValueError):
                    continue
            minutes = entry.get("estimated_time_to_regain_access")
            if isinstance(minutes, (int, float)) and minutes > 0:
                regain = max(regain or 0.0, minutes * 60.0)
    return highest, regain


def meta_error(body: Any) -> dict:
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        return body["error"]
    return {}


def meta_signal(response: requests.Response, body: Any) -> Signal:
    usage, regain = _meta_usage(response)
    error = meta_error(body)
    code, subcode = error.get("code"), error.get("error_subcode")
    throttled = code in META_THROTTLE_CODES or (code == 100 and subcode == 33)
    if throttled or (response.status_code == 429):
        wait = regain if regain is not None else META_USAGE_PAUSE
        return Signal(limited=True, reset_at=time.time() + wait, reason=f"Meta throttling (code {code})")
    if usage >= 95:
        wait = regain if regain is not None else META_USAGE_PAUSE
        return Signal(exhausted=True, reset_at=time.time() + wait, reason=f"Meta usage at {usage:.0f}%")
    return Signal()


def youtube_reasons(body: Any) -> set[str]:
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return set()
    reasons = {e.get("reason") for e in error.get("errors") or [] if isinstance(e, dict)}
    reasons |= {d.get("reason") for d in error.get("details") or [] if isinstance(d, dict)}
    return {r for r in reasons if r}


def youtube_signal(response: requests.Response, body: Any) -> Signal:
    if response.status_code in (403, 429):
        reasons = youtube_reasons(body)
        if reasons & {"quotaExceeded", "dailyLimitExceeded"}:
            return Signal(limited=True, quota=True, reason="YouTube daily quota exceeded (it resets at midnight Pacific time)")
        if reasons & {"rateLimitExceeded", "userRateLimitExceeded"} or response.status_code == 429:
            return Signal(limited=True, reset_at=None, reason="YouTube rate limit")
    return Signal()


def generic_signal(response: requests.Response, body: Any) -> Signal:
    if response.status_code == 429:
        return Signal(limited=True, reset_at=parse_reset(_header(response, "Retry-After")), reason="HTTP 429")
    return Signal()


SIGNALS: dict[str, Callable[[requests.Response, Any], Signal]] = {
    "mastodon": mastodon_signal,
    "bluesky": bluesky_signal,
    "x": x_signal,
    "facebook": meta_signal,
    "instagram": meta_signal,
    "youtube": youtube_signal,
    "linkedin": generic_signal,
}


class Limiter:
    """Shared by every thread that talks to one API: when one of them learns that the
    limit is spent, the others wait for the reset too instead of hammering the API."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.blocked_until = 0.0

    def block_until(self, when: float) -> None:
        with self._lock:
            self.blocked_until = max(self.blocked_until, when)

    def wait(self, sleep: Callable[[float], None] = time.sleep) -> float:
        delay = self.blocked_until - time.time()
        if delay > 0:
            sleep(delay)
            return delay
        return 0.0


# --- The client ---------------------------------------------------------------------------

def _short(body: Any, limit: int = 300) -> str:
    text = body if isinstance(body, str) else json.dumps(body, default=str)
    return text if len(text) <= limit else text[:limit] + "…"


class HttpClient:
    """JSON over HTTP for one platform API at one base address.

    ``params`` are sent with every request (an API key, say); ``secrets`` are redacted
    from every message. Thread-safe: each thread gets its own ``requests.Session``.
    """

    def __init__(
        self,
        platform: str,
        base_url: str,
        *,
        headers: dict[str, str] | None = None,
        params: dict[str, str] | None = None,
        secrets: Iterable[str | None] = (),
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        retries: int = DEFAULT_RETRIES,
        backoff: float = DEFAULT_BACKOFF,
        max_wait: float = DEFAULT_MAX_WAIT,
        limiter: Limiter | None = None,
        signal: Callable[[requests.Response, Any], Signal] | None = None,
        error_message: Callable[[Any], str] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.platform = platform
        self.base_url = base_url.rstrip("/")
        self.headers = {"User-Agent": "socialdash-connectors/1.0", "Accept": "application/json", **(headers or {})}
        self.params = dict(params or {})
        self.secrets = tuple(s for s in secrets if s)
        for secret in self.secrets:
            register_secret(secret)
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.max_wait = max_wait
        self.limiter = limiter or Limiter()
        self.signal = signal or SIGNALS.get(platform, generic_signal)
        self.error_message = error_message or _default_error_message
        self.sleep = sleep
        self.requests_made = 0
        self._count_lock = threading.Lock()
        self._local = threading.local()
        origin = urllib.parse.urlsplit(self.base_url)
        self._origin = (origin.scheme, origin.netloc)

    # -- plumbing ------------------------------------------------------------------------

    def redact(self, text: Any) -> str:
        return redact(text, self.secrets)

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.headers.update(self.headers)
            self._local.session = session
        return session

    def url(self, path_or_url: str) -> str:
        if path_or_url.startswith(("http://", "https://")):
            parts = urllib.parse.urlsplit(path_or_url)
            if (parts.scheme, parts.netloc) != self._origin:
                raise ApiError(
                    f"{self.platform}: refused to follow a link to another host ({parts.scheme}://{parts.netloc})"
                )
            return path_or_url
        return self.base_url + "/" + path_or_url.lstrip("/")

    def _count(self) -> None:
        with self._count_lock:
            self.requests_made += 1

    def _wait_for(self, signal: Signal, what: str) -> None:
        """Wait for the reset the signal names, or raise RateLimited if it is too far."""
        if signal.quota:
            raise RateLimited(f"{self.platform}: {signal.reason}; {what} was not fetched")
        if signal.reset_at is None:
            return  # the caller backs off exponentially instead
        delay = signal.reset_at - time.time()
        if delay > self.max_wait:
            when = dt.datetime.fromtimestamp(signal.reset_at, dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
            raise RateLimited(
                f"{self.platform}: rate limit reached ({signal.reason or 'limit'}); it resets at {when}, "
                f"later than the longest wait allowed ({self.max_wait:g} s)"
            )
        self.limiter.block_until(signal.reset_at)

    # -- requests ------------------------------------------------------------------------

    def get(self, path_or_url: str, params: dict | None = None, *, headers: dict | None = None) -> tuple[Any, requests.Response]:
        """GET a JSON document; returns (parsed body, response)."""
        url = self.url(path_or_url)
        if path_or_url.startswith(("http://", "https://")):
            # A "next" URL carries its own query (on Graph, its own token): add only what it lacks.
            present = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))
            send = {k: v for k, v in {**self.params, **(params or {})}.items() if k not in present}
        else:
            send = {**self.params, **(params or {})}
        what = self.redact(url.split("?", 1)[0])  # messages name the address; the query stays out of them
        attempt, limit_waits = 0, 0
        while True:
            self.limiter.wait(self.sleep)
            try:
                self._count()
                response = self._session().get(url, params=send or None, headers=headers, timeout=self.timeout)
            except (requests.Timeout, requests.ConnectionError) as exc:
                if attempt >= self.retries:
                    raise ApiError(f"{self.platform}: no answer from {what} after {attempt + 1} attempts ({type(exc).__name__})") from None
                self._backoff(attempt, what, type(exc).__name__)
                attempt += 1
                continue
            except requests.RequestException as exc:
                raise ApiError(f"{self.platform}: request to {what} failed: {self.redact(exc)}") from None

            body, parse_error = _json(response)
            signal = self.signal(response, body)
            if signal.limited:
                limit_waits += 1
                if limit_waits > MAX_RATE_LIMIT_WAITS:
                    raise RateLimited(f"{self.platform}: still rate limited after {MAX_RATE_LIMIT_WAITS} waits ({what})")
                self._wait_for(signal, what)
                if signal.reset_at is None:
                    self._backoff(limit_waits, what, signal.reason or "rate limited")
                log.info(self.redact(f"{self.platform}: {signal.reason}; waiting before retrying {what}"))
                continue
            if signal.exhausted and signal.reset_at is not None and signal.reset_at - time.time() <= self.max_wait:
                self.limiter.block_until(signal.reset_at)  # the next request waits for the reset

            status = response.status_code
            if status == 401 or self._token_refused(body):
                raise Reauthorise(self.redact(
                    f"{self.platform}: re-authorise: the API refused the credentials (HTTP {status}: "
                    f"{self.error_message(body) or 'unauthorised'}). Get a new token and set it again."
                ))
            if status >= 500 or (status == 200 and parse_error) or self._transient(body):
                if attempt >= self.retries:
                    problem = "malformed JSON" if status == 200 and parse_error else f"HTTP {status}"
                    raise ApiError(self.redact(f"{self.platform}: {problem} from {what} after {attempt + 1} attempts"), status)
                self._backoff(attempt, what, "malformed JSON" if parse_error else f"HTTP {status}")
                attempt += 1
                continue
            if status == 404:
                raise NotFound(self.redact(f"{self.platform}: not found: {what} ({self.error_message(body) or 'HTTP 404'})"), status, body)
            if status >= 400:
                detail = self.error_message(body) or (_short(response.text) if response.text else "")
                raise ApiError(self.redact(f"{self.platform}: HTTP {status} from {what}: {detail}"), status, body)
            if parse_error:
                raise ApiError(self.redact(f"{self.platform}: malformed JSON from {what}"), status)
            return body, response

    def _token_refused(self, body: Any) -> bool:
        if self.platform in ("facebook", "instagram"):
            return meta_error(body).get("code") in META_REAUTH_CODES
        if self.platform == "youtube":
            reasons = youtube_reasons(body)
            message = str((body.get("error") or {}).get("message", "")) if isinstance(body, dict) and isinstance(body.get("error"), dict) else ""
            return bool(reasons & {"keyInvalid", "API_KEY_INVALID", "keyExpired", "authError"}) or "API key not valid" in message
        return False

    def _transient(self, body: Any) -> bool:
        return self.platform in ("facebook", "instagram") and meta_error(body).get("code") in META_TRANSIENT_CODES

    def _backoff(self, attempt: int, what: str, why: str) -> None:
        delay = min(self.backoff * (2 ** attempt), self.max_wait) * (0.75 + 0.5 * random.random())
        log.info(self.redact(f"{self.platform}: {why} from {what}; retrying in {delay:.2f} s"))
        self.sleep(delay)


def _json(response: requests.Response) -> tuple[Any, bool]:
    """The parsed body and whether parsing failed (an empty body is None, not a failure)."""
    if not response.content:
        return None, False
    try:
        return response.json(), False
    except ValueError:
        return None, True


def _default_error_message(body: Any) -> str:
    """The error text of any platform's error body."""
    if not isinstance(body, dict):
        return ""
    error = body.get("error")
    if isinstance(error, dict):  # Meta, YouTube
        parts = [str(error.get("message", ""))]
        if error.get("code") is not None:
            parts.append(f"code {error.get('code')}" + (f"/{error['error_subcode']}" if error.get("error_subcode") else ""))
        return ", ".join(p for p in parts if p)
    if isinstance(error, str):  # Mastodon, Bluesky
        detail = body.get("error_description") or body.get("message") or ""
        return f"{error}: {detail}" if detail else error
    if body.get("detail") or body.get("title"):  # X problem JSON
        return str(body.get("detail") or body.get("title"))
    errors = body.get("errors")
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):  # X v1 style
        return str(errors[0].get("message", ""))
    if body.get("message"):  # LinkedIn
        return str(body["message"])
    return ""


# --- Pagination ---------------------------------------------------------------------------

def paginate(fetch: Callable[[str | None], tuple[list, str | None]], *, max_pages: int = MAX_PAGES) -> Iterator[Any]:
    """Items of every page: ``fetch(cursor)`` returns (items, next cursor or None).

    Stops on an empty page (Bluesky's last page may still carry a cursor, and the next
    page comes back empty), on a cursor already seen (an API that hands back the same
    cursor forever), when there is no next cursor, or after ``max_pages``. The caller may
    stop early by leaving the loop (e.g. once items are older than it needs)."""
    cursor: str | None = None
    seen: set[str] = set()
    for _ in range(max_pages):
        items, following = fetch(cursor)
        if not items:
            return
        yield from items
        if not following or following in seen:
            return
        seen.add(following)
        cursor = following
