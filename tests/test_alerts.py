"""Alerts after a refresh: a competitor overtaking the company, an SLA breach, a goal off
track; posted once as Slack-compatible JSON to a webhook receiver on loopback."""

from __future__ import annotations

import datetime as dt
import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from rich.console import Console

from connectors import alerts
from connectors.refresh import refresh
from socialdash import warehouse
from socialdash.config import parse_config
from tests.fake_platforms import FakePlatforms
from tests.fixture_connectors import build_world, config_text

CONFIG = """
timezone = "UTC"
sla_minutes = 60

[[organizations]]
id = "acme"
name = "Acme"
self = true
accounts = { x = "acme" }

[[organizations]]
id = "rival"
name = "Rival"
accounts = { x = "rival" }
"""
NOW = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
TODAY = NOW.date()


class Receiver:
    """A webhook on loopback that records the JSON bodies POSTed to it."""

    def __init__(self, status=200):
        self.status = status
        self.bodies: list[dict] = []

    def __enter__(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                length = int(self.headers.get("Content-Length", 0))
                receiver.bodies.append({"json": json.loads(self.rfile.read(length)),
                                        "type": self.headers.get("Content-Type")})
                self.send_response(receiver.status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/services/T000/B000/secretpath"
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def build(db: str) -> None:
    """Engagements: the 7 days before, Acme 100 vs Rival 50; the last 7 days, Acme 10 vs Rival 200.
    Acme's inbound items of the last 7 days: answered after 30, 120, 120 and 120 minutes →
    SLA attainment 1/4 = 25.0 %. A goal of 100 posts over [today−10, today+20]: 2 posts so far,
    progress 2 % against a pace of 11/31 → off track. A goal of 1 post: achieved."""
    config = parse_config(CONFIG)
    from connectors.config_sync import sync_config

    with warehouse.writing(db) as con:
        sync_config(con, config)
        posts = [("a-old", "x:acme", NOW - dt.timedelta(days=10), 100), ("r-old", "x:rival", NOW - dt.timedelta(days=10), 50),
                 ("a-new", "x:acme", NOW - dt.timedelta(days=2), 10), ("r-new", "x:rival", NOW - dt.timedelta(days=2), 200)]
        # the data starts before both 7-day windows (an earlier post), so their totals compare
        # (metrics.scorecard leaves out totals over a window the data covers only in part)
        posts += [("a-first", "x:acme", NOW - dt.timedelta(days=30), 0), ("r-first", "x:rival", NOW - dt.timedelta(days=30), 0)]
        for post_id, account, at, likes in posts:
            con.execute("INSERT INTO posts (platform, post_id, account_id, created_at, likes) VALUES ('x', ?, ?, ?, ?)",
                        [post_id, account, at, likes])
        for i, minutes in enumerate((30, 120, 120, 120)):
            received = NOW - dt.timedelta(days=3, hours=i)
            con.execute("INSERT INTO interactions VALUES ('x', ?, 'x:acme', ?, ?, 'x:acme', NULL)",
                        [f"i{i}", received, received + dt.timedelta(minutes=minutes)])
        con.execute("INSERT INTO goals VALUES ('posts-100', 'Publish 100 posts', 'posts', 100, ?, ?, [])",
                    [TODAY - dt.timedelta(days=10), TODAY + dt.timedelta(days=20)])
        con.execute("INSERT INTO goals VALUES ('posts-1', 'Publish a post', 'posts', 1, ?, ?, [])",
                    [TODAY - dt.timedelta(days=10), TODAY + dt.timedelta(days=20)])


@pytest.fixture()
def db(tmp_path):
    path = str(tmp_path / "alerts.duckdb")
    build(path)
    return path


def check(db, credentials):
    with warehouse.writing(db) as con:
        return alerts.check_and_send(con, parse_config(CONFIG), NOW, credentials)


def test_the_three_conditions(db):
    found, notes = check(db, {})
    texts = {a.kind: [] for a in found}
    for a in found:
        texts[a.kind].append(a.text)
    assert sorted(texts) == ["goal", "overtake", "sla"]
    # engagements and share of voice (200/210 against 10/210; before 50/150 against 100/150)
    assert len(texts["overtake"]) == 2
    assert any(t.startswith("Rival overtook Acme on engagements: 200 against 10 in the last 7 days")
               and t.endswith("the 7 days before: 50 against 100.") for t in texts["overtake"])
    assert any("share of voice: 95.2% against 4.8%" in t for t in texts["overtake"])
    assert texts["sla"] == [f"SLA breach: Acme answered 25.0% of inbound items within 60 minutes in the last 7 days "
                            f"({(TODAY - dt.timedelta(days=6)):%d %b %Y} – {TODAY:%d %b %Y}), below the alert "
                            f"threshold of 80%."]
    assert texts["goal"] == [f"Goal off track: \"Publish 100 posts\" (posts) stands at 2% of its target "
                             f"({TODAY - dt.timedelta(days=10):%d %b} – {TODAY + dt.timedelta(days=20):%d %b %Y})."]
    assert notes == []  # no webhook configured: printed only


def test_the_webhook_gets_slack_json_once(db):
    with Receiver() as hook:
        found, notes = check(db, {"ALERTS_WEBHOOK_URL": hook.url})
        assert len(hook.bodies) == 1
        body = hook.bodies[0]
        assert body["type"] == "application/json" and list(body["json"]) == ["text"]
        text = body["json"]["text"]
        assert text.startswith("Social dashboard: 4 new alerts after the refresh of")
        assert all(a.text in text for a in found)
        assert notes == ["4 alerts posted to the webhook"]
        # the next refresh finds the same conditions: printed again, not posted again
        again, notes = check(db, {"ALERTS_WEBHOOK_URL": hook.url})
        assert len(again) == 4 and len(hook.bodies) == 1 and notes == []


def test_a_failing_webhook_is_reported_and_retried_next_time(db):
    with Receiver(status=500) as broken:
        found, notes = check(db, {"ALERTS_WEBHOOK_URL": broken.url})
        assert len(broken.bodies) == 1
        assert notes and "answered HTTP 500" in notes[0] and "secretpath" not in notes[0]
    with Receiver() as hook:
        check(db, {"ALERTS_WEBHOOK_URL": hook.url})
        assert len(hook.bodies) == 1  # nothing had been marked as sent


def test_a_goal_that_recovers_alerts_again_when_it_falls_again(db):
    with Receiver() as hook:
        check(db, {"ALERTS_WEBHOOK_URL": hook.url})
        with warehouse.writing(db) as con:  # the goal is met for a while…
            con.execute("UPDATE goals SET target = 1 WHERE goal_id = 'posts-100'")
        check(db, {"ALERTS_WEBHOOK_URL": hook.url})
        with warehouse.writing(db) as con:  # …and falls off track again
            con.execute("UPDATE goals SET target = 100 WHERE goal_id = 'posts-100'")
        check(db, {"ALERTS_WEBHOOK_URL": hook.url})
    assert len(hook.bodies) == 2
    assert "Goal off track" in hook.bodies[1]["json"]["text"] and "overtook" not in hook.bodies[1]["json"]["text"]


def test_the_threshold_reads_a_future_alerts_section_defensively():
    config = parse_config(CONFIG)
    assert alerts.sla_threshold(config) == alerts.SLA_ALERT_THRESHOLD == 0.8
    assert alerts.webhook_url(config, {}) is None
    assert alerts.webhook_url(config, {"ALERTS_WEBHOOK_URL": "https://hooks.example/x"}) == "https://hooks.example/x"


def test_a_refresh_prints_and_posts_its_alerts(tmp_path):
    with FakePlatforms() as fake, Receiver() as hook:
        build_world(fake)
        out = io.StringIO()
        credentials = {**fake.credentials(), "ALERTS_WEBHOOK_URL": hook.url}
        report = refresh(parse_config(config_text(fake)), str(tmp_path / "w.duckdb"), only=["mastodon", "x"],
                         credentials=credentials, max_wait=2, backoff=0.01,
                         console=Console(file=out, width=200), now=fake.now)
    # Acme on Mastodon and X in the last 7 days: answered after 30, 120, 10 min; s106 and t4 pending
    # → SLA attainment 2/3 = 66.7 % < 80 %
    assert [a.kind for a in report.alerts] == ["sla"]
    assert "Alerts (1)" in out.getvalue() and "66.7%" in out.getvalue()
    assert "1 alert posted to the webhook" in out.getvalue() and hook.url not in out.getvalue()
    assert "66.7%" in hook.bodies[0]["json"]["text"]
