"""`python -m connectors refresh` against the loopback fake of every platform: what is written
for the company, its departments, people and competitors, the response times derived from
reply threads (hand-worked in tests/fixture_connectors.py), idempotent re-runs, partial
failures, skipped platforms, exit codes, and no token anywhere in the output."""

from __future__ import annotations

import datetime as dt
import io
import logging

import duckdb
import pandas as pd
import pytest
from rich.console import Console

from connectors import cli
from connectors.refresh import refresh
from socialdash import warehouse
from socialdash.config import parse_config
from tests.fake_platforms import FakePlatforms
from tests.fixture_connectors import EXPECTED_COUNTS, EXPECTED_INTERACTIONS, build_world, config_text

TABLES = ("posts", "interactions", "account_daily", "accounts", "organizations", "departments")


@pytest.fixture()
def fake():
    with FakePlatforms() as f:
        build_world(f)
        yield f


@pytest.fixture()
def db(tmp_path):
    return str(tmp_path / "social.duckdb")


def run(fake, db, *, credentials=None, only=None, extra_config=""):
    out = io.StringIO()
    report = refresh(parse_config(config_text(fake, extra_config)), db, only=only,
                     credentials=fake.credentials() if credentials is None else credentials,
                     max_wait=2, backoff=0.01, console=Console(file=out, width=220), now=fake.now)
    return report, out.getvalue()


def counts(db) -> dict[str, int]:
    con = duckdb.connect(db, read_only=True)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in (*TABLES, "connector_runs")}
    finally:
        con.close()


def frame(db, sql) -> pd.DataFrame:
    con = duckdb.connect(db, read_only=True)
    try:
        return con.execute(sql).df()
    finally:
        con.close()


def test_first_refresh_fills_every_table(fake, db):
    # a 429 with Mastodon's ISO reset 0.3 s away on the first look-up, and a 500 on Bluesky's feed
    reset = lambda: (dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=0.3)).isoformat().replace("+00:00", "Z")  # noqa: E731
    fake.add_fault("/api/v1/accounts/lookup?acct=acme%40mastodon.social", status=429,
                   headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset}, body={"error": "Too many requests"})
    fake.add_fault("getAuthorFeed?actor=did%3Aplc%3Arival", status=500, body={"error": "InternalServerError"})
    report, out = run(fake, db)

    found = counts(db)
    assert {t: found[t] for t in TABLES} == EXPECTED_COUNTS
    assert found["connector_runs"] == 7  # one per platform
    # the rate-limited look-up and the failed feed page were asked again, and succeeded
    assert fake.count("lookup?acct=acme%40mastodon.social") == 2
    assert fake.count("getAuthorFeed?actor=did%3Aplc%3Arival") == 3  # 500, page 1, empty page 2

    # statuses: X is partial (Other's timeline is malformed JSON), everything else ok → exit 1
    runs = frame(db, "SELECT connector, status, rows_written, error FROM connector_runs").set_index("connector")
    assert runs["status"].to_dict() == {"mastodon": "ok", "bluesky": "ok", "x": "partial", "youtube": "ok",
                                        "facebook": "ok", "instagram": "ok", "linkedin": "ok"}
    assert "other" in runs.loc["x", "error"] and "malformed JSON" in runs.loc["x", "error"]
    # rows written: mastodon 6 posts + 4 counts + 4 interactions; x 4 + 3 + 3; linkedin 1 count
    assert runs.loc["mastodon", "rows_written"] == 14 and runs.loc["x", "rows_written"] == 10
    assert runs.loc["linkedin", "rows_written"] == 1
    assert report.exit_code == 1
    assert "partial" in out and "some accounts or platforms failed" in out

    # every inbound item, its addressee, response time, responder and answering department
    rows = frame(db, """SELECT platform, interaction_id, account_id,
                               epoch(first_response_at - received_at) / 60 AS minutes,
                               responder_account_id, department_id FROM interactions""")
    got = {(r.platform, r.interaction_id): (r.account_id, None if pd.isna(r.minutes) else round(r.minutes),
                                            r.responder_account_id, r.department_id)
           for r in rows.astype(object).where(rows.notna(), None).itertuples()}
    assert got == EXPECTED_INTERACTIONS


def test_rows_for_company_departments_people_and_competitors(fake, db):
    run(fake, db)
    accounts = frame(db, "SELECT account_id, org_id, department_id, person FROM accounts").set_index("account_id")
    assert accounts.loc["x:acmehelp", "department_id"] == "care" and pd.isna(accounts.loc["x:acmehelp", "person"])
    assert accounts.loc["mastodon:ana@example.social", "person"] == "Ana"
    assert accounts.loc["x:rival", "org_id"] == "rival"

    daily = frame(db, "SELECT account_id, day, followers FROM account_daily").set_index("account_id")
    assert daily.loc["youtube:acme", "followers"] == 4200           # "4200" in the API
    assert daily.loc["mastodon:ana@example.social", "followers"] == 80  # an employee
    assert daily.loc["bluesky:rival.bsky.social", "followers"] == 1800  # a competitor
    assert daily.loc["linkedin:acme-co", "followers"] == 12000
    assert "linkedin:pete-li" not in daily.index and "x:other" not in daily.index
    assert set(daily["day"].astype(str)) == {fake.now.date().isoformat()}

    posts = frame(db, "SELECT platform, post_id, account_id, likes, comments, shares, views, is_reply, department_id FROM posts")
    posts = posts.set_index("post_id")
    assert "https://mastodon.social/users/acme/statuses/99" not in posts.index  # older than history_days
    # attribution by signature: #AcmeNews → pr, "CS:" → care (brand posts and replies)
    assert posts.loc["https://mastodon.social/users/acme/statuses/100", "department_id"] == "pr"
    assert posts.loc["https://mastodon.social/users/acme/statuses/104", "department_id"] == "care"
    assert posts.loc["5001_2", "department_id"] == "care"
    assert posts.loc["5001", ["likes", "comments", "shares", "views"]].tolist() == [20, 1, 4, 5000]
    assert posts.loc["vid00000001", "views"] == 1200
    assert bool(posts.loc["5012", "is_reply"]) and not bool(posts.loc["5010", "is_reply"])

    state = frame(db, "SELECT account_id, platform_user_id, last_status FROM connector_state").set_index("account_id")
    assert state.loc["bluesky:acme.bsky.social", "platform_user_id"] == "did:plc:acme"
    assert state.loc["x:other", "last_status"] == "failed"
    assert state.loc["linkedin:pete-li", "last_status"] == "skipped"


def test_a_second_run_changes_no_row_count(fake, db):
    run(fake, db)
    first = counts(db)
    fake.requests.clear()
    run(fake, db)
    second = counts(db)
    assert {t: second[t] for t in TABLES} == {t: first[t] for t in TABLES}
    assert second["connector_runs"] == first["connector_runs"] + 7  # one more row per connector, by design
    # the second run reads the last lookback_days (30), not history_days (90)
    start = next(r["query"]["start_time"][0] for r in fake.requests if r["path"].endswith("/2/users/1001/tweets"))
    assert start == (fake.now - dt.timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_counts_are_updated_and_new_posts_added(fake, db):
    run(fake, db)
    fake.m_statuses["100"]["favourites"] = 9
    fake.mastodon_status("107", "acme@mastodon.social", fake.now - dt.timedelta(minutes=5), "Fresh news")
    run(fake, db, only=["mastodon"])
    posts = frame(db, "SELECT post_id, likes FROM posts WHERE platform = 'mastodon'").set_index("post_id")
    assert posts.loc["https://mastodon.social/users/acme/statuses/100", "likes"] == 9
    assert "https://mastodon.social/users/acme/statuses/107" in posts.index
    assert counts(db)["posts"] == EXPECTED_COUNTS["posts"] + 1


def test_an_expired_token_fails_its_platforms_and_the_rest_is_written(fake, db):
    configured = fake.credentials()
    fake.tokens["meta"] = "rotated-token-NEW"  # the configured META token is now expired
    report, out = run(fake, db, credentials=configured)
    runs = frame(db, "SELECT connector, status, error FROM connector_runs").set_index("connector")
    assert runs.loc["facebook", "status"] == "failed" and runs.loc["instagram", "status"] == "failed"
    assert "re-authorise" in runs.loc["facebook", "error"] and "re-authorise" in runs.loc["instagram", "error"]
    assert runs.loc["mastodon", "status"] == "ok" and runs.loc["youtube", "status"] == "ok"
    found = counts(db)
    assert found["posts"] == EXPECTED_COUNTS["posts"] - 4  # facebook's 2 and instagram's 2
    assert found["interactions"] == EXPECTED_COUNTS["interactions"] - 2
    assert report.exit_code == 1 and "re-authorise" in out
    # an expired token is asked once per platform, not retried
    assert fake.count("/graph/acmepage") == 1


def test_no_token_ever_appears_in_output(fake, db, caplog):
    caplog.set_level(logging.DEBUG)
    configured = fake.credentials()
    tokens = list(configured.values())
    fake.tokens["meta"] = "rotated-token-NEW"
    fake.add_fault("/youtube/v3/videos", status=503, body={"error": {"code": 503, "message": "backend error"}}, times=None)
    fake.add_fault("/linkedin/rest/networkSizes", status=400,
                   body={"message": f"bad request, token was {fake.tokens['linkedin']}"}, times=None)
    report, out = run(fake, db, credentials=configured)
    texts = [out] + [r.getMessage() for r in caplog.records]
    con = duckdb.connect(db, read_only=True)
    texts += [str(v) for v in con.execute("SELECT error FROM connector_runs").fetchall()]
    texts += [str(v) for v in con.execute("SELECT last_error, state FROM connector_state").fetchall()]
    con.close()
    assert "youtube" in out and "HTTP 503" in out and "bad request" in out  # the failures are reported…
    for token in tokens:
        assert all(token not in text for text in texts), token  # …without any token


def test_a_platform_without_credentials_is_skipped(fake, db):
    credentials = {k: v for k, v in fake.credentials().items() if k != "X_BEARER_TOKEN"}
    report, out = run(fake, db, credentials=credentials)
    assert "skipped: no X_BEARER_TOKEN" in out
    assert "x" not in report.runs and report.exit_code == 0  # Other (the failing X account) was not tried
    runs = frame(db, "SELECT connector FROM connector_runs")
    assert "x" not in set(runs["connector"]) and len(runs) == 6
    assert frame(db, "SELECT count(*) AS n FROM posts WHERE platform = 'x'")["n"][0] == 0
    assert not any(r["path"].startswith("/x/") for r in fake.requests)


def test_a_demo_warehouse_is_cleared_before_real_data(fake, db):
    with warehouse.writing(db) as con:
        con.execute("INSERT INTO organizations VALUES ('northwind', 'Northwind Air', true)")
        con.execute("INSERT INTO posts (platform, post_id, account_id, created_at) VALUES ('x', 'demo-1', 'x:nw', now())")
        con.execute("INSERT INTO warehouse_meta VALUES ('dataset', 'demo')")
    report, out = run(fake, db, only=["mastodon"])
    assert report.cleared_demo and "demo data set" in out
    assert frame(db, "SELECT count(*) AS n FROM posts WHERE post_id = 'demo-1'")["n"][0] == 0
    assert frame(db, "SELECT value FROM warehouse_meta WHERE key = 'dataset'")["value"][0] == "real"


# --- the command line --------------------------------------------------------------------

@pytest.fixture()
def cli_env(fake, tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text(config_text(fake))
    monkeypatch.setenv("SOCIAL_SECRETS", str(tmp_path / "no-secrets.toml"))
    for name, value in fake.credentials().items():
        monkeypatch.setenv(name, value)
    return config


def test_cli_refresh_only_some_platforms_exits_0(fake, db, cli_env, capsys):
    code = cli.main(["refresh", "--only", "mastodon", "bluesky", "--config", str(cli_env), "--db", db,
                     "--max-wait", "2"])
    out = capsys.readouterr().out
    assert code == 0, out
    runs = frame(db, "SELECT connector, status FROM connector_runs")
    assert sorted(runs["connector"]) == ["bluesky", "mastodon"] and set(runs["status"]) == {"ok"}
    assert "Accounts" in out and "acme.bsky.social" in out and "all connectors succeeded" in out


def test_cli_refresh_with_a_failing_account_exits_1(fake, db, cli_env, capsys):
    # (a 403 rather than the world's malformed JSON: the CLI's real backoff would make this test slow)
    fake.faults.clear()
    fake.add_fault("/x/2/users/3001/tweets", status=403, times=None,
                   body={"title": "Forbidden", "detail": "You are not permitted to read this user's timeline"})
    code = cli.main(["refresh", "--only", "x", "--config", str(cli_env), "--db", db, "--max-wait", "2"])
    out = capsys.readouterr().out
    assert code == 1
    assert "FAILED" in out and "other" in out and "not permitted" in out
    assert frame(db, "SELECT count(*) AS n FROM posts")["n"][0] == 4  # acme, acmehelp and rival were written


def test_cli_refuses_a_bad_config_and_writes_nothing(fake, db, tmp_path, capsys, monkeypatch):
    bad = tmp_path / "bad.toml"
    bad.write_text(config_text(fake).replace("lookback_days = 30", "lookback_days = -3"))
    code = cli.main(["refresh", "--config", str(bad), "--db", db])
    err = capsys.readouterr().err
    assert code == 2 and "lookback_days" in err and "greater than 0" in err
    assert not warehouse.exists(db)
    assert cli.main(["refresh", "--config", str(tmp_path / "missing.toml"), "--db", db]) == 2
    assert cli.main(["refresh", "--only", "tiktok", "--config", str(bad), "--db", db]) == 2
    assert not warehouse.exists(db)


def test_credentials_from_the_environment_win_over_the_secrets_file(tmp_path):
    from connectors.refresh import load_credentials

    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[connectors]\nX_BEARER_TOKEN = "x-from-file-123"\nYOUTUBE_API_KEY = ""\n'
                       'meta_access_token = "meta-from-file-123"\n')
    found = load_credentials(secrets, env={"X_BEARER_TOKEN": "x-from-env-123", "LINKEDIN_ACCESS_TOKEN": " "})
    # an empty value counts as absent; key names are case-insensitive in the file
    assert found == {"X_BEARER_TOKEN": "x-from-env-123", "META_ACCESS_TOKEN": "meta-from-file-123"}
    assert load_credentials(tmp_path / "absent.toml", env={}) == {}
