"""The shared HTTP layer against a scripted server on loopback: retries, each platform's
rate-limit signal, re-authorise, redaction, pagination."""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from connectors import http
from connectors.http import ApiError, HttpClient, NotFound, RateLimited, Reauthorise, paginate, parse_reset, redact

SECRET = "tok-SECRET-abcdef123456"


class Scripted:
    """Answers the queued responses in order (then 200 {"ok": true}); records every request."""

    def __init__(self):
        self.queue: list[tuple[int, dict, bytes]] = []
        self.requests: list[dict] = []

    def add(self, status=200, body=None, headers=None, raw=None):
        payload = raw if raw is not None else json.dumps(body if body is not None else {"ok": True}).encode()
        self.queue.append((status, headers or {}, payload))

    def __enter__(self):
        scripted = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out at once, no 40 ms delayed-ACK stalls

            def do_GET(self):  # noqa: N802
                scripted.requests.append({"path": self.path, "headers": dict(self.headers), "at": time.time()})
                status, headers, payload = scripted.queue.pop(0) if scripted.queue else (200, {}, b'{"ok": true}')
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture()
def server():
    with Scripted() as s:
        yield s


def client(server, platform="mastodon", **kw):
    kw.setdefault("backoff", 0.01)
    kw.setdefault("max_wait", 2.0)
    return HttpClient(platform, server.url, **kw)


class Sleeps:
    """A stand-in for time.sleep that records the delays instead of sleeping."""

    def __init__(self):
        self.delays = []

    def __call__(self, seconds):
        self.delays.append(seconds)


# --- retries ----------------------------------------------------------------------------

def test_a_500_then_success_is_retried(server):
    server.add(500, {"error": "boom"})
    server.add(200, {"id": "1"})
    body, _ = client(server).get("/api/v1/accounts/1")
    assert body == {"id": "1"}
    assert len(server.requests) == 2


def test_persistent_5xx_fails_after_the_retries(server):
    for _ in range(5):
        server.add(503, {"error": "unavailable"})
    with pytest.raises(ApiError, match="HTTP 503 .* after 3 attempts"):
        client(server, retries=2).get("/x")
    assert len(server.requests) == 3  # the first attempt and two retries


def test_malformed_json_is_retried_then_reported(server):
    server.add(200, raw=b'{"id": "1", "trunc')
    server.add(200, {"id": "1"})
    assert client(server).get("/x")[0] == {"id": "1"}
    for _ in range(4):
        server.add(200, raw=b"<html>proxy error</html>")
    with pytest.raises(ApiError, match="malformed JSON"):
        client(server, retries=3).get("/x")


def test_a_timeout_is_retried(server):
    # Nothing listens on a closed port: a connection error, retried, then reported.
    c = HttpClient("bluesky", "http://127.0.0.1:9", backoff=0.01, retries=1, timeout=(0.2, 0.2))
    with pytest.raises(ApiError, match="no answer .* after 2 attempts"):
        c.get("/xrpc/app.bsky.actor.getProfile")


def test_a_404_is_not_found_and_not_retried(server):
    server.add(404, {"error": "Record not found"})
    with pytest.raises(NotFound, match="Record not found"):
        client(server).get("/api/v1/accounts/lookup")
    assert len(server.requests) == 1


# --- rate limits ----------------------------------------------------------------------------

def test_mastodon_iso_reset_is_waited_for(server):
    reset = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=0.4)
    server.add(429, {"error": "Too many requests"},
               {"X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "0",
                "X-RateLimit-Reset": reset.isoformat(timespec="milliseconds").replace("+00:00", "Z")})
    server.add(200, {"ok": 1})
    started = time.time()
    assert client(server).get("/api/v1/accounts/1")[0] == {"ok": 1}
    # the retry went out after the reset, not after a generic backoff
    assert server.requests[1]["at"] >= reset.timestamp() - 0.05
    assert time.time() - started < 2


def test_a_reset_later_than_the_longest_wait_fails_at_once(server):
    reset = time.time() + 3600
    server.add(429, {"title": "Too Many Requests"}, {"x-rate-limit-reset": str(int(reset)), "x-rate-limit-remaining": "0"})
    started = time.time()
    with pytest.raises(RateLimited) as raised:
        client(server, "x", max_wait=0.5).get("/2/users/by")
    assert time.time() - started < 0.5
    when = dt.datetime.fromtimestamp(int(reset), dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    assert when in str(raised.value)


@pytest.mark.parametrize("platform, header", [("bluesky", "RateLimit-Reset"), ("x", "x-rate-limit-reset")])
def test_epoch_reset_headers_are_read(server, platform, header):
    reset = int(time.time()) + 2  # epoch seconds, as Bluesky and X send them
    server.add(429, {"error": "RateLimitExceeded"}, {header: str(reset)})
    sleeps = Sleeps()
    client(server, platform, max_wait=5, sleep=sleeps).get("/p")
    assert len(server.requests) == 2
    # the one wait asked for is the time left until the reset (between 1 and 2 s here)
    assert len(sleeps.delays) == 1 and 0.9 < sleeps.delays[0] <= 2.01


def test_remaining_zero_makes_the_next_request_wait_for_the_reset(server):
    reset = int(time.time()) + 2
    server.add(200, {"ok": 1}, {"RateLimit-Remaining": "0", "RateLimit-Reset": str(reset)})
    server.add(200, {"ok": 2})
    sleeps = Sleeps()
    c = client(server, "bluesky", max_wait=5, sleep=sleeps)
    c.get("/a")
    assert sleeps.delays == []
    c.get("/b")
    assert len(sleeps.delays) == 1 and sleeps.delays[0] > 0.9


def test_one_threads_limit_holds_back_the_other_threads(server):
    limiter = http.Limiter()
    reset = int(time.time()) + 2
    server.add(429, {"error": "RateLimitExceeded"}, {"RateLimit-Reset": str(reset)})
    first, second = Sleeps(), Sleeps()
    client(server, "bluesky", max_wait=5, sleep=first, limiter=limiter).get("/a")
    client(server, "bluesky", max_wait=5, sleep=second, limiter=limiter).get("/b")
    assert first.delays and second.delays  # the second client waited for the first one's reset


@pytest.mark.parametrize("body", [
    {"error": {"message": "(#4) Application request limit reached", "type": "OAuthException", "code": 4}},
    {"error": {"message": "(#17) User request limit reached", "type": "OAuthException", "code": 17}},
    {"error": {"message": "(#32) Page request limit reached", "type": "OAuthException", "code": 32}},
    {"error": {"message": "(#613) Calls within one hour have exceeded", "type": "OAuthException", "code": 613}},
    {"error": {"message": "There have been too many calls", "type": "OAuthException", "code": 80001}},
    {"error": {"message": "Invalid parameter", "type": "OAuthException", "code": 100, "error_subcode": 33}},
])
def test_meta_throttling_codes_are_waited_for_even_as_a_400(server, body):
    server.add(400, body, {"X-Business-Use-Case-Usage": json.dumps(
        {"5001": [{"type": "pages", "call_count": 100, "total_cputime": 10, "total_time": 10,
                   "estimated_time_to_regain_access": 1}]})})
    server.add(200, {"id": "5001"})
    sleeps = Sleeps()
    assert client(server, "facebook", max_wait=120, sleep=sleeps).get("/5001")[0] == {"id": "5001"}
    # Meta's estimated time to regain access (1 minute) is the wait
    assert len(sleeps.delays) == 1 and 58 < sleeps.delays[0] <= 60.01


def test_meta_usage_header_near_the_limit_pauses_the_next_request(server):
    server.add(200, {"id": "1"}, {"X-App-Usage": json.dumps({"call_count": 96, "total_cputime": 20, "total_time": 30})})
    server.add(200, {"id": "2"})
    sleeps = Sleeps()
    c = client(server, "instagram", max_wait=120, sleep=sleeps)
    c.get("/a")
    c.get("/b")
    assert len(sleeps.delays) == 1 and 55 < sleeps.delays[0] <= http.META_USAGE_PAUSE + 0.01


def test_youtube_quota_exceeded_is_not_retried(server):
    server.add(403, {"error": {"code": 403, "message": "The request cannot be completed because you have exceeded your quota.",
                               "errors": [{"domain": "youtube.quota", "reason": "quotaExceeded"}]}})
    with pytest.raises(RateLimited, match="daily quota"):
        client(server, "youtube").get("/channels")
    assert len(server.requests) == 1


# --- credentials ------------------------------------------------------------------------------

@pytest.mark.parametrize("platform, status, body", [
    ("x", 401, {"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"}),
    ("facebook", 400, {"error": {"message": "Error validating access token: Session has expired", "type": "OAuthException",
                                 "code": 190, "error_subcode": 463}}),
    ("youtube", 400, {"error": {"code": 400, "message": "API key not valid. Please pass a valid API key.",
                                "errors": [{"reason": "badRequest"}], "details": [{"reason": "API_KEY_INVALID"}]}}),
    ("linkedin", 401, {"status": 401, "code": "EXPIRED_ACCESS_TOKEN", "message": "The token used in the request has expired"}),
])
def test_an_expired_token_asks_to_reauthorise_without_retrying(server, platform, status, body):
    server.add(status, body)
    with pytest.raises(Reauthorise, match="re-authorise"):
        client(server, platform, secrets=[SECRET], params={"access_token": SECRET}).get("/me")
    assert len(server.requests) == 1


# --- secrets ------------------------------------------------------------------------------

def test_secrets_never_appear_in_messages_or_logs(server, caplog):
    caplog.set_level(logging.INFO, logger="connectors")
    server.add(500, {"error": "boom"})
    server.add(404, {"error": {"message": f"Unknown path, token {SECRET}", "code": 803}})
    c = client(server, "facebook", params={"access_token": SECRET}, secrets=[SECRET])
    with pytest.raises(NotFound) as raised:
        c.get("/acmepage", {"fields": "id"})
    assert SECRET not in str(raised.value)
    assert "***" in str(raised.value)
    assert caplog.records, "the retry was logged"
    assert all(SECRET not in r.getMessage() for r in caplog.records)
    # the token did go to the server
    assert SECRET in server.requests[0]["path"]


# Shaped like an X app token (a fake: built here so no token-like literal sits in the repo).
FAKE_X_TOKEN = "A" * 21 + "MLheAAAAAAA0%2BuSeid"


def test_redact_removes_tokens_in_urls_and_headers():
    text = ("GET https://graph.facebook.com/v25.0/me?fields=id&access_token=EAAB123456789&key=AIzaXYZ "
            "Authorization: Bearer " + FAKE_X_TOKEN)
    out = redact(text)
    assert "EAAB123456789" not in out and "AIzaXYZ" not in out and "AAAAAAAAAAAAAAAAAAAAAMLheAAAAAAA0" not in out
    assert "pageToken=abc" in redact("pageToken=abc")  # a pagination token is no secret


def test_next_links_to_another_host_are_refused(server):
    c = client(server)
    with pytest.raises(ApiError, match="another host"):
        c.get("https://evil.example/api/v1/accounts/1/statuses?max_id=1")


# --- pagination ----------------------------------------------------------------------------

def test_pagination_stops_on_an_empty_page_even_with_a_cursor():
    pages = {None: ([1, 2], "c1"), "c1": ([3], "c2"), "c2": ([], "c3")}
    calls = []

    def fetch(cursor):
        calls.append(cursor)
        return pages[cursor]

    assert list(paginate(fetch)) == [1, 2, 3]
    assert calls == [None, "c1", "c2"]


def test_pagination_stops_on_a_repeated_cursor():
    calls = []

    def fetch(cursor):
        calls.append(cursor)
        return [len(calls)], "same"

    assert list(paginate(fetch)) == [1, 2]
    assert calls == [None, "same"]


def test_pagination_stops_without_a_next_cursor_and_at_max_pages():
    assert list(paginate(lambda c: ([1], None))) == [1]
    counter = iter(range(100))
    assert len(list(paginate(lambda c: ([0], str(next(counter))), max_pages=5))) == 5


def test_reset_formats():
    now = 1_800_000_000.0
    assert parse_reset("2027-01-15T08:00:00.000Z") == dt.datetime(2027, 1, 15, 8, tzinfo=dt.timezone.utc).timestamp()
    assert parse_reset("1800000300", now=now) == 1_800_000_300
    assert parse_reset("30", now=now) == now + 30  # a small number is a delay (Retry-After)
    assert parse_reset("", now=now) is None and parse_reset("soon", now=now) is None
