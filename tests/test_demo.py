"""The demo data set (connectors/demo.py): complete, plausible, deterministic, replacing."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import zoneinfo

import pytest

from connectors.demo import build_demo, holds_real_data
from socialdash.config import EXAMPLE_PATH, GOAL_METRICS, PLATFORMS, load_config
from socialdash.warehouse import TABLES, open_warehouse, writing

CONFIG = load_config(EXAMPLE_PATH)
TZ = zoneinfo.ZoneInfo(CONFIG.timezone)
FIXED_TODAY = dt.date(2026, 3, 18)


def build(path, **kwargs) -> dict[str, int]:
    with writing(str(path)) as con:
        return build_demo(con, **kwargs)


def as_of_us(today: dt.date) -> int:
    """The demo's 'now': the start of today, local time, in microseconds since the epoch."""
    return int(dt.datetime.combine(today, dt.time(0), tzinfo=TZ).timestamp()) * 1_000_000


def checksums(path) -> dict[str, tuple]:
    """Count and hash of every table's rows; the build's own run is hashed without its
    times, which are the real wall clock of the build (not part of the data set)."""
    con = open_warehouse(str(path))
    try:
        return {t: con.execute(
            "SELECT count(*), sum(hash(run_id, connector, status, rows_written, error)) FROM connector_runs"
            if t == "connector_runs" else f"SELECT count(*), sum(hash(t)) FROM {t} t").fetchone() for t in TABLES}
    finally:
        con.close()


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The small demo with the defaults (today = today in the file's time zone)."""
    path = tmp_path_factory.mktemp("demo") / "w.duckdb"
    counts = build(path)
    return path, counts


@pytest.fixture
def con(demo):
    c = open_warehouse(str(demo[0]))
    yield c
    c.close()


def one(con, sql, params=None):
    return con.execute(sql, params or []).fetchone()[0]


def test_every_table_filled_and_counts_returned(con, demo):
    _, counts = demo
    assert set(counts) == set(TABLES)
    for table in TABLES:
        n = one(con, f"SELECT count(*) FROM {table}")
        assert n > 0, table
        assert counts[table] == n, table
    assert 60_000 <= counts["account_daily"] <= 200_000
    assert 10_000 <= counts["posts"] <= 150_000
    assert 10_000 <= counts["interactions"] <= 150_000
    assert 100 <= counts["accounts"] <= 250
    assert one(con, "SELECT value FROM warehouse_meta WHERE key = 'dataset'") == "demo"
    assert one(con, "SELECT value FROM warehouse_meta WHERE key = 'demo_scale'") == "small"
    assert one(con, "SELECT value FROM warehouse_meta WHERE key = 'demo_seed'") == "7"
    dt.datetime.fromisoformat(one(con, "SELECT value FROM warehouse_meta WHERE key = 'demo_built_at'"))
    run = con.execute("SELECT connector, status, rows_written FROM connector_runs").fetchall()
    assert run == [("demo", "ok", sum(v for t, v in counts.items() if t != "connector_runs"))]


def test_organizations_departments_and_platforms(con):
    assert con.execute("SELECT org_id FROM organizations WHERE is_self").fetchall() == [("northwind",)]
    assert one(con, "SELECT count(*) FROM organizations") >= 5
    depts = {r[0] for r in con.execute("SELECT department_id FROM departments WHERE annual_budget > 0").fetchall()}
    assert depts == {d.id for d in CONFIG.departments} and len(depts) == 7
    platforms = {r[0] for r in con.execute("SELECT DISTINCT platform FROM accounts WHERE person IS NULL").fetchall()}
    assert platforms == set(PLATFORMS)
    pairs = one(con, "SELECT count(DISTINCT (org_id, platform)) FROM accounts WHERE person IS NULL")
    orgs = one(con, "SELECT count(*) FROM organizations")
    assert pairs < orgs * len(PLATFORMS)  # not every organization on every platform
    # Every account of the file is there, with the id sync_config gives it.
    configured = con.execute("SELECT count(*) FROM accounts WHERE account_id = 'x:northwindhelp' AND department_id = 'care'").fetchone()
    assert configured == (1,)


def test_employees_each_in_exactly_one_department(con):
    people = con.execute("""
        SELECT person, count(DISTINCT department_id), count(*) FILTER (WHERE department_id IS NULL), count(*)
        FROM accounts WHERE person IS NOT NULL GROUP BY person""").fetchall()
    assert 90 <= len(people) <= 120
    assert all(n_depts == 1 and missing == 0 and 1 <= n <= 2 for _, n_depts, missing, n in people)
    assert {"Ana Ruiz", "Tom Okafor", "Mei Chen"} <= {p for p, *_ in people}
    assert one(con, "SELECT count(*) FROM accounts WHERE person IS NOT NULL AND org_id <> 'northwind'") == 0
    spread = dict(con.execute("SELECT department_id, count(DISTINCT person) FROM accounts WHERE person IS NOT NULL GROUP BY 1").fetchall())
    assert min(spread["care"], spread["marketing"], spread["product"]) > max(spread["legal"], spread["ir"])
    emp_platforms = {r[0] for r in con.execute("SELECT DISTINCT platform FROM accounts WHERE person IS NOT NULL").fetchall()}
    assert emp_platforms <= {"linkedin", "x", "bluesky", "mastodon"}


def test_followers_cover_two_years_up_to_today(con):
    today = dt.datetime.now(TZ).date()
    first, last, low = con.execute("SELECT min(day), max(day), min(followers) FROM account_daily").fetchone()
    assert last == today and first == today - dt.timedelta(days=730)
    assert low > 0
    # Every account has follower counts; some accounts start later than two years ago.
    assert one(con, "SELECT count(*) FROM accounts WHERE account_id NOT IN (SELECT account_id FROM account_daily)") == 0
    assert one(con, "SELECT count(*) FROM (SELECT account_id FROM account_daily GROUP BY 1 HAVING min(day) > ?)",
               [today - dt.timedelta(days=300)]) > 3
    # Mostly non-decreasing.
    falls = con.execute("""
        SELECT avg((followers < prev)::INT) FROM (
            SELECT followers, lag(followers) OVER (PARTITION BY account_id ORDER BY day) AS prev
            FROM account_daily) WHERE prev IS NOT NULL""").fetchone()[0]
    assert falls < 0.05


def test_audience_leader_and_overtake(con):
    """The company leads every platform except instagram, where contoso overtook it
    during the last six months."""
    today = dt.datetime.now(TZ).date()

    def audience(day):
        rows = con.execute("""
            SELECT a.platform, a.org_id, sum(f) FROM (
                SELECT account_id, arg_max(followers, day) AS f FROM account_daily WHERE day <= ? GROUP BY 1
            ) JOIN accounts a USING (account_id) WHERE a.person IS NULL GROUP BY ALL""", [day]).fetchall()
        table = {}
        for platform, org, value in rows:
            table.setdefault(platform, {})[org] = value
        return table

    now, before = audience(today), audience(today - dt.timedelta(days=183))
    for platform, by_org in now.items():
        leader = max(by_org, key=by_org.get)
        assert leader == ("contoso" if platform == "instagram" else "northwind"), platform
    assert before["instagram"]["northwind"] > before["instagram"]["contoso"]


def test_posts(con):
    as_of = as_of_us(dt.datetime.now(TZ).date())
    assert one(con, "SELECT max(epoch_us(created_at)) FROM posts") < as_of
    assert one(con, "SELECT max(epoch_us(observed_at)) FROM posts") <= as_of
    assert one(con, "SELECT count(*) FROM posts WHERE observed_at <= created_at") == 0
    # Employees post and reply; some have been quiet over the last 30 days.
    by_reply = dict(con.execute("""SELECT p.is_reply, count(*) FROM posts p JOIN accounts a USING (account_id)
                                   WHERE a.person IS NOT NULL GROUP BY 1""").fetchall())
    assert by_reply.get(False, 0) > 500 and by_reply.get(True, 0) > 50
    active = one(con, """SELECT count(DISTINCT a.person) FROM posts p JOIN accounts a USING (account_id)
                          WHERE a.person IS NOT NULL AND p.created_at >= to_timestamp(? / 1e6) - INTERVAL 30 DAY""", [as_of])
    people = one(con, "SELECT count(DISTINCT person) FROM accounts WHERE person IS NOT NULL")
    assert 0.3 * people < active < people
    # Official replies (the responses) exist for the company and for competitors.
    replies = dict(con.execute("""SELECT a.org_id = 'northwind', count(*) FROM posts p JOIN accounts a USING (account_id)
                                  WHERE p.is_reply AND a.person IS NULL GROUP BY 1""").fetchall())
    assert replies[True] > 100 and replies[False] > 100
    # Views only on YouTube; likes > comments > shares overall; plausible engagement rates.
    assert one(con, "SELECT count(*) FROM posts WHERE (platform = 'youtube') <> (views IS NOT NULL)") == 0
    likes, comments, shares = con.execute("SELECT sum(likes), sum(comments), sum(shares) FROM posts").fetchone()
    assert likes > comments > shares > 0
    rate = one(con, """
        SELECT median((p.likes + p.comments + p.shares) / f.followers) FROM posts p
        JOIN accounts a USING (account_id)
        ASOF JOIN account_daily f ON p.account_id = f.account_id AND timezone('Europe/London', p.created_at)::DATE >= f.day
        WHERE a.person IS NULL AND NOT p.is_reply""")
    assert 0.002 <= rate <= 0.05
    # Post ids and urls look like the platforms'.
    patterns = {
        "x": r"https://x\.com/[^/]+/status/\d+", "bluesky": r"https://bsky\.app/profile/[^/]+/post/[a-z2-7]{13}",
        "mastodon": r"https://[^/]+/@[^/]+/\d+", "youtube": r"https://www\.youtube\.com/watch\?v=[A-Za-z0-9_-]{11}",
        "facebook": r"https://www\.facebook\.com/[^/]+/posts/\d+", "instagram": r"https://www\.instagram\.com/p/[A-Za-z0-9_-]{11}/",
        "linkedin": r"https://www\.linkedin\.com/feed/update/urn:li:activity:\d+/",
    }
    for platform, post_id, url in con.execute(
            "SELECT platform, post_id, url FROM posts USING SAMPLE 400 ROWS (reservoir, 1)").fetchall():
        assert re.fullmatch(patterns[platform], url), url
        assert post_id in url


def test_brand_posts_carry_their_department_signature(con):
    """Posts of the company's brand accounts: department_id set exactly when the text
    carries that department's signature from the file; unattributed texts carry none."""
    signatures = {d.id: [re.compile(s) for s in d.signatures] for d in CONFIG.departments}
    rows = con.execute("""
        SELECT p.text, p.department_id FROM posts p JOIN accounts a USING (account_id)
        WHERE a.org_id = 'northwind' AND a.person IS NULL AND a.department_id IS NULL""").fetchall()
    assert len(rows) > 1000
    attributed = set()
    for text, dept in rows:
        matching = {d for d, pats in signatures.items() if any(p.search(text) for p in pats)}
        assert matching == ({dept} if dept else set()), (text, dept)
        attributed.add(dept)
    assert attributed >= {None, "marketing", "care", "pr", "legal", "hr", "ir", "product"}
    # Elsewhere posts are not attributed.
    assert one(con, """SELECT count(*) FROM posts p JOIN accounts a USING (account_id)
                        WHERE p.department_id IS NOT NULL AND (a.org_id <> 'northwind' OR a.department_id IS NOT NULL)""") == 0


def test_interactions(con):
    as_of = as_of_us(dt.datetime.now(TZ).date())
    week = 7 * 86_400_000_000
    assert one(con, "SELECT max(epoch_us(received_at)) FROM interactions") < as_of
    assert one(con, "SELECT max(epoch_us(first_response_at)) FROM interactions") < as_of
    assert one(con, "SELECT count(*) FROM interactions WHERE first_response_at <= received_at") == 0
    pending = one(con, "SELECT count(*) FROM interactions WHERE first_response_at IS NULL AND epoch_us(received_at) > ?", [as_of - week])
    unanswered = one(con, "SELECT count(*) FROM interactions WHERE first_response_at IS NULL AND epoch_us(received_at) <= ?", [as_of - week])
    late = one(con, "SELECT count(*) FROM interactions WHERE first_response_at > received_at + INTERVAL 7 DAY")
    total = one(con, "SELECT count(*) FROM interactions")
    assert pending > 0 and late > 0 and 0.05 < unanswered / total < 0.2
    hours = dict(con.execute("""
        SELECT isodow(l) <= 5 AND hour(l) >= 9 AND hour(l) < 17, count(*)
        FROM (SELECT timezone('Europe/London', received_at) AS l FROM interactions) GROUP BY 1""").fetchall())
    assert hours[True] > 1000 and hours[False] > 1000
    # Only official accounts receive items; competitors only where public replies exist.
    assert one(con, """SELECT count(*) FROM interactions i JOIN accounts a USING (account_id)
                        WHERE a.person IS NOT NULL
                           OR (a.org_id <> 'northwind' AND a.platform NOT IN ('x', 'bluesky', 'mastodon', 'youtube'))""") == 0
    # The company: answered by a department, from one of its official accounts; competitors: no department.
    assert one(con, """SELECT count(*) FROM interactions i JOIN accounts a USING (account_id)
                        LEFT JOIN accounts r ON r.account_id = i.responder_account_id
                        WHERE i.first_response_at IS NOT NULL AND (
                          r.account_id IS NULL OR r.person IS NOT NULL OR r.org_id <> a.org_id
                          OR (a.org_id = 'northwind') <> (i.department_id IS NOT NULL))""") == 0
    assert one(con, "SELECT count(*) FROM interactions WHERE first_response_at IS NULL AND (department_id IS NOT NULL OR responder_account_id IS NOT NULL)") == 0


def test_response_times_differ_as_designed(con):
    def median_business(where):
        return one(con, f"""
            SELECT quantile_cont(epoch(first_response_at - received_at) / 60, 0.5)
            FROM (SELECT i.*, a.org_id, timezone('Europe/London', received_at) AS l
                  FROM interactions i JOIN accounts a USING (account_id))
            WHERE isodow(l) <= 5 AND hour(l) >= 9 AND hour(l) < 17 AND {where}""")

    care, marketing, legal = (median_business(f"department_id = '{d}'") for d in ("care", "marketing", "legal"))
    assert 8 < care < 30 and care < marketing < legal
    off_care = one(con, """SELECT quantile_cont(epoch(first_response_at - received_at) / 60, 0.5) FROM interactions
                            WHERE department_id = 'care' AND NOT (isodow(timezone('Europe/London', received_at)) <= 5
                            AND hour(timezone('Europe/London', received_at)) BETWEEN 9 AND 16)""")
    assert off_care > 2 * care
    northwind, contoso, fabrikam = (median_business(f"org_id = '{o}'") for o in ("northwind", "contoso", "fabrikam"))
    assert contoso < northwind < fabrikam
    unanswered = dict(con.execute("""SELECT a.org_id, avg((first_response_at IS NULL)::INT) FROM interactions i
                                     JOIN accounts a USING (account_id) GROUP BY 1""").fetchall())
    assert max(unanswered, key=unanswered.get) == "woodgrove"


def test_goals_around_today(con):
    today = dt.datetime.now(TZ).date()
    goals = con.execute("SELECT goal_id, metric, target, period_start, period_end, departments FROM goals").fetchall()
    assert 6 <= len(goals) <= 8
    known = {d.id for d in CONFIG.departments}
    for goal_id, metric, target, start, end, departments in goals:
        assert metric in GOAL_METRICS and target > 0 and start <= end
        assert departments and set(departments) <= known
    assert any(start > today for *_, start, end, _ in goals)            # not started
    assert any(end < today for *_, start, end, _ in goals)              # over
    assert sum(start <= today <= end for *_, start, end, _ in goals) >= 4  # running
    assert not {g[0] for g in goals} & {g.id for g in CONFIG.goals}      # the file's goals are replaced


def test_deterministic_and_seeded(tmp_path):
    build(tmp_path / "a.duckdb", seed=11, today=FIXED_TODAY)
    build(tmp_path / "b.duckdb", seed=11, today=FIXED_TODAY)
    build(tmp_path / "c.duckdb", seed=12, today=FIXED_TODAY)
    a, b, c = (checksums(tmp_path / f"{x}.duckdb") for x in "abc")
    assert a == b
    assert a["posts"] != c["posts"] and a["account_daily"] != c["account_daily"]
    con = open_warehouse(str(tmp_path / "a.duckdb"))
    try:
        assert con.execute("SELECT max(day) FROM account_daily").fetchone()[0] == FIXED_TODAY
        assert con.execute("SELECT max(epoch_us(created_at)) FROM posts").fetchone()[0] < as_of_us(FIXED_TODAY)
        assert con.execute("SELECT count(*) FROM goals WHERE period_start > ?", [FIXED_TODAY]).fetchone()[0] >= 1
    finally:
        con.close()


def test_rebuilding_replaces(demo, tmp_path):
    path = tmp_path / "again.duckdb"
    shutil.copyfile(demo[0], path)
    before = checksums(path)
    counts = build(path)
    after = checksums(path)
    assert {t: v[0] for t, v in before.items()} == {t: v[0] for t, v in after.items()} == counts
    assert before == after  # the same day, the same seed: the same rows


def test_holds_real_data(demo, tmp_path):
    empty = tmp_path / "empty.duckdb"
    with writing(str(empty)) as con:
        assert not holds_real_data(con)
    path = tmp_path / "real.duckdb"
    shutil.copyfile(demo[0], path)
    with writing(str(path)) as con:
        assert not holds_real_data(con)
        con.execute("""INSERT INTO connector_runs VALUES ('refresh-1', 'bluesky', now(), now(), 'ok', 10, NULL)""")
        con.execute("INSERT OR REPLACE INTO warehouse_meta VALUES ('dataset', 'real')")
        assert holds_real_data(con)


def test_the_demo_run_is_timed_by_the_real_build(tmp_path):
    """Data health shows the demo's connector run; it must say when the build really ran and
    how long it took, in agreement with the banner's demo_built_at (it once said 23:59 the
    day before and 60 s, for a build at 15:46)."""
    before = dt.datetime.now(dt.timezone.utc)
    build(tmp_path / "w.duckdb", today=FIXED_TODAY)  # a fixed data day: the run's times still are today's
    after = dt.datetime.now(dt.timezone.utc)
    con = open_warehouse(str(tmp_path / "w.duckdb"))
    try:
        started, finished = con.execute("SELECT started_at, finished_at FROM connector_runs").fetchone()
        built = dt.datetime.fromisoformat(one(con, "SELECT value FROM warehouse_meta WHERE key = 'demo_built_at'"))
    finally:
        con.close()
    assert before <= started <= finished <= after
    assert finished - started < dt.timedelta(seconds=60) and finished > started
    # the banner's time is the end of the build, to the second
    assert built == finished.replace(microsecond=0)
