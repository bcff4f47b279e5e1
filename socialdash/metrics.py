"""The one definition of every number (shared/reference/metrics.md), as SQL over the warehouse.

Every page, export and goal takes its figures from here. Functions take a DuckDB
connection (or cursor), the ``View`` being shown and the ``Settings`` of the file, and
return pandas frames with one row per organization / department / day. Values always
travel as bound parameters.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import math
import zoneinfo

import duckdb
import pandas as pd

from socialdash import warehouse
from socialdash.config import Settings
from socialdash.viewstate import View

PENDING_DAYS = 7
UNANSWERED_MINUTES = PENDING_DAYS * 24 * 60  # 10,080: a response this late counts as none


@dataclasses.dataclass(frozen=True)
class Metric:
    key: str
    label: str
    formula: str
    higher_is_better: bool = True
    kind: str = "count"  # count / ratio (0..1) / minutes / rate (per day) / index


METRICS: dict[str, Metric] = {m.key: m for m in (
    Metric("audience", "Audience",
           "Σ followers of the organization's official accounts (employees' own accounts excluded) "
           "on the selected platforms, each the latest count on or before the period's last day."),
    Metric("follower_growth", "Follower growth",
           "audience(end) − audience(start), over the accounts that have a count on or before the "
           "start, so a newly added account does not show up as growth."),
    Metric("follower_growth_pct", "Follower growth %",
           "follower growth / audience(start), both over the accounts counted on or before the start.",
           kind="ratio"),
    Metric("posts", "Posts",
           "Original posts (replies excluded) of official accounts created in the period."),
    Metric("likes", "Likes",
           "Σ likes (reactions, favourites) of official accounts' original posts created in the period."),
    Metric("engagements", "Engagements",
           "Σ (likes + comments + shares) of official accounts' original posts created in the period."),
    Metric("engagement_rate", "Engagement rate",
           "Mean over the period's original posts of (likes + comments + shares) / followers of the "
           "posting account on the day it posted; posts of accounts with no follower count yet are left out.",
           kind="ratio"),
    Metric("posting_frequency", "Posts per day",
           "Original posts of official accounts in the period / days in the period.", kind="rate"),
    Metric("views", "Video views",
           "Σ views of the period's original posts where the platform reports views (YouTube)."),
    Metric("share_of_voice", "Share of voice",
           "The organization's engagements / the engagements of all selected organizations, the company included.",
           kind="ratio"),
    Metric("interactions", "Inbound items",
           "Mentions, comments, replies and messages addressed to official accounts, received in the period."),
    Metric("pending", "Pending",
           "Inbound items with no response yet, received less than 7 days ago: left out of every rate.",
           higher_is_better=False),
    Metric("median_response_minutes", "Median response time",
           "Median (continuous) of first response − received, over the period's inbound items that have "
           "a response, however late.", higher_is_better=False, kind="minutes"),
    Metric("p90_response_minutes", "90th percentile response time",
           "90th percentile (continuous) of first response − received, over the items that have a response.",
           higher_is_better=False, kind="minutes"),
    Metric("response_rate", "Response rate",
           "Items answered within 7 days / (items received − pending).", kind="ratio"),
    Metric("sla_attainment", "SLA attainment",
           "Items answered within the SLA (response time ≤ sla_minutes) / (items received − pending).",
           kind="ratio"),
    Metric("coop_index", "Co-op index",
           "100 × H / ln(N): H = −Σ pᵢ ln pᵢ over the departments' shares of contributions (original posts "
           "+ responses), N = the number of configured departments. 0 = one department does everything; "
           "100 = all contribute equally.", kind="index"),
)}


def _lists(view: View, departments: tuple[str, ...] | None = None) -> dict:
    lists = {"platforms": list(view.platforms), "orgs": list(view.orgs)}
    if departments is not None:  # a goal's scope (metrics.md "Goals"); None = the whole organization
        lists["departments"] = list(departments)
    return lists


# Official accounts (person IS NULL) of the selected organizations on the selected
# platforms. Employees' own accounts never count towards an organization's figures.
_OFFICIAL = """
    SELECT a.account_id, a.org_id, a.platform, a.department_id
    FROM accounts a
    WHERE a.person IS NULL
      AND (len($platforms) = 0 OR list_contains($platforms, a.platform))
      AND (len($orgs) = 0 OR list_contains($orgs, a.org_id))
"""

# Where a goal names departments (metrics.md "Goals"): the company's accounts, employees'
# own included (content is then the posts whose department is one of them).
_COMPANY_ACCOUNTS = """
    SELECT a.account_id, a.org_id, a.platform, a.department_id
    FROM accounts a JOIN organizations c ON c.org_id = a.org_id AND c.is_self
    WHERE (len($platforms) = 0 OR list_contains($platforms, a.platform))
      AND (len($orgs) = 0 OR list_contains($orgs, a.org_id))
"""


def _official_counts(con) -> str:
    """The table to read official accounts' daily follower counts from: the reader's copy
    (``warehouse.reader``, one per version of the data), else ``account_daily``."""
    copied = con.execute(
        """SELECT count(*) FROM duckdb_tables()
           WHERE database_name = 'memory' AND schema_name = 'main' AND table_name = 'official_daily'"""
    ).fetchone()[0]
    return warehouse.OFFICIAL_COUNTS if copied else "account_daily"


def _official(departments: tuple[str, ...] | None) -> str:
    """The official accounts; where departments are named, only those departments' own."""
    if departments is None:
        return _OFFICIAL
    return f"SELECT * FROM ({_OFFICIAL}) WHERE list_contains($departments, department_id)"


def organizations(con: duckdb.DuckDBPyConnection, view: View) -> pd.DataFrame:
    """The selected organizations, the company first."""
    return con.execute(
        """SELECT org_id, name, is_self FROM organizations
           WHERE len($orgs) = 0 OR list_contains($orgs, org_id)
           ORDER BY is_self DESC, name""",
        {"orgs": list(view.orgs)},
    ).df()


def audience(con, view: View, settings: Settings, *, departments: tuple[str, ...] | None = None,
             by: tuple[str, ...] = ("org_id",)) -> pd.DataFrame:
    """Audience at the end of the period and follower growth over it, per organization
    (``by=("org_id", "platform")``: per organization and platform, each platform's row
    exactly what the view restricted to that platform gives); with ``departments``, over
    those departments' own accounts (a goal's scope)."""
    if by not in (("org_id",), ("org_id", "platform")):
        raise ValueError(f"cannot group the audience by {by}")
    keys = ", ".join(f"o.{key}" for key in by)
    return con.execute(
        f"""
        WITH official AS ({_official(departments)}),
        per_account AS (
            SELECT d.account_id,
                   arg_max(d.followers, d.day) FILTER (WHERE d.day <= $start) AS at_start,
                   arg_max(d.followers, d.day) AS at_end
            FROM {_official_counts(con)} d
            WHERE d.day <= $end AND d.followers IS NOT NULL
              AND d.account_id IN (SELECT account_id FROM official)
            GROUP BY d.account_id
        )
        SELECT {keys},
               sum(p.at_end) AS audience,
               sum(p.at_start) AS audience_start,
               sum(p.at_end) FILTER (WHERE p.at_start IS NOT NULL) - sum(p.at_start) AS follower_growth,
               (sum(p.at_end) FILTER (WHERE p.at_start IS NOT NULL) - sum(p.at_start))
                   / nullif(sum(p.at_start), 0) AS follower_growth_pct
        FROM official o JOIN per_account p USING (account_id)
        GROUP BY {keys}
        """,
        {**_lists(view, departments), "start": view.period.start, "end": view.period.end},
    ).df()


def audience_on_days(con, view: View, settings: Settings, days: tuple[dt.date, ...], *,
                     departments: tuple[str, ...] | None = None) -> pd.DataFrame:
    """``audience`` as of each of ``days`` (on or after the period's start), in one query:
    one row per organization and day, each what ``audience`` gives for the period from
    the view's start to that day (the same start, so follower growth counts the same
    accounts). A goal's series draws these; 32 separate queries took 1.7 s on the large demo."""
    return con.execute(
        f"""
        WITH official AS ({_official(departments)}),
        counts AS (
            SELECT d.account_id, d.day, d.followers FROM {_official_counts(con)} d
            WHERE d.day <= $last AND d.followers IS NOT NULL
              AND d.account_id IN (SELECT account_id FROM official)
        ),
        at_start AS (
            SELECT account_id, arg_max(followers, day) AS at_start FROM counts
            WHERE day <= $start GROUP BY account_id
        ),
        ends AS (SELECT unnest($days::DATE[]) AS end_day),
        per_account AS (  -- the latest count on or before each day: none before the first
            SELECT c.account_id, e.end_day, s.at_start, c.followers AS at_end
            FROM (SELECT o.account_id, e.end_day FROM official o CROSS JOIN ends e) e
            ASOF JOIN counts c ON c.account_id = e.account_id AND e.end_day >= c.day
            LEFT JOIN at_start s ON s.account_id = c.account_id
        )
        SELECT o.org_id, p.end_day AS day,
               sum(p.at_end) AS audience,
               sum(p.at_start) AS audience_start,
               sum(p.at_end) FILTER (WHERE p.at_start IS NOT NULL) - sum(p.at_start) AS follower_growth,
               (sum(p.at_end) FILTER (WHERE p.at_start IS NOT NULL) - sum(p.at_start))
                   / nullif(sum(p.at_start), 0) AS follower_growth_pct
        FROM official o JOIN per_account p USING (account_id)
        GROUP BY o.org_id, p.end_day
        ORDER BY o.org_id, p.end_day
        """,
        {**_lists(view, departments), "start": view.period.start, "last": max(days, default=view.period.start),
         "days": list(days)},
    ).df()


def _posts_in_period(view: View, settings: Settings, *, departments: tuple[str, ...] | None = None,
                     counts: str = "account_daily") -> tuple[str, dict]:
    """Official accounts' original posts of the period, with engagements and the posting
    account's followers on the (local) day it posted. With ``departments`` (a goal's
    scope): the company's posts whose department is one of them, its people's included.
    ``counts``: where official accounts' counts are read (``_official_counts``)."""
    t0, t1 = view.period.bounds(settings.timezone)
    local, local_params = _local_time("p.created_at", settings.timezone, t0, t1, "posted")
    in_departments = ("" if departments is None else
                      "AND list_contains($departments, coalesce(p.department_id, o.department_id))")
    sql = f"""
        WITH official AS ({_OFFICIAL if departments is None else _COMPANY_ACCOUNTS}),
        period_posts AS (
            SELECT o.org_id, o.platform, p.account_id, p.post_id, p.created_at, p.likes, p.views,
                   p.likes + p.comments + p.shares AS engagements,
                   {local}::DATE AS local_day
            FROM posts p JOIN official o USING (account_id)
            WHERE NOT p.is_reply AND p.created_at >= $t0 AND p.created_at < $t1 {in_departments}
        ),
        rated AS (
            SELECT pp.*, f.followers AS followers_at_post,
                   pp.engagements / nullif(f.followers, 0) AS engagement_rate
            FROM period_posts pp
            -- only the posting accounts' counts: the ASOF join then reads thousands of rows,
            -- not the whole table (1.9 s → 0.08 s on the large demo)
            ASOF LEFT JOIN (SELECT account_id, day, followers FROM {counts if departments is None else "account_daily"}
                            WHERE account_id IN (SELECT account_id FROM period_posts)) f
              ON pp.account_id = f.account_id AND pp.local_day >= f.day
        )
    """
    return sql, {**_lists(view, departments), **local_params, "t0": t0, "t1": t1}


def content(con, view: View, settings: Settings, *, departments: tuple[str, ...] | None = None,
            with_rate: bool = True) -> pd.DataFrame:
    """Posts, likes, engagements, engagement rate, frequency, views and share of voice per organization;
    with ``departments``, the company's posts whose department is one of them (a goal's scope).
    ``with_rate=False`` leaves the engagement rate out (NaN): its followers at posting time are
    most of the cost once employees' accounts are in scope (1 s → 0.1 s for a goal's half-year)."""
    sql, params = _posts_in_period(view, settings, departments=departments,
                                   counts=_official_counts(con) if with_rate else "account_daily")
    frame = con.execute(
        sql + f"""
        SELECT org_id,
               count(*) AS posts,
               sum(likes) AS likes,
               sum(engagements) AS engagements,
               {"avg(engagement_rate)" if with_rate else "NULL::DOUBLE"} AS engagement_rate,
               sum(views) AS views
        FROM {"rated" if with_rate else "period_posts"} GROUP BY org_id
        """,
        params,
    ).df()
    frame["posting_frequency"] = frame["posts"] / view.period.days
    total = frame["engagements"].sum()
    frame["share_of_voice"] = frame["engagements"] / total if total else float("nan")
    return frame


def _minutes_between(later: str, earlier: str) -> str:
    """SQL for ``epoch(later − earlier) / 60.0``, bit for bit, from the microseconds: a
    TIMESTAMPTZ difference goes through ICU's calendar, about 35× slower (0.5 s for the
    500,000 inbound items of two months on the large demo). ``epoch`` of the difference is
    whole days × 86,400 + the rest of a day in seconds, and so is this."""
    micros = f"(epoch_us({later}) - epoch_us({earlier}))"
    return f"(({micros} // 86400000000) * 86400 + ({micros} % 86400000000) / 1e6) / 60.0"


@functools.lru_cache(maxsize=256)
def _utc_offsets(tz: str, t0: dt.datetime, t1: dt.datetime) -> tuple[tuple[dt.datetime, int], ...]:
    """The zone's offsets from UTC over [t0, t1), in microseconds, each with the first
    instant it holds from (whole seconds), from the time-zone database Period.bounds uses.
    Looked for every 6 hours, then to the second: zones change their offset months apart."""
    zone = zoneinfo.ZoneInfo(tz)

    def offset(t: dt.datetime) -> int:
        return t.astimezone(zone).utcoffset() // dt.timedelta(microseconds=1)

    found = [(t0, offset(t0))]
    step, second = dt.timedelta(hours=6), dt.timedelta(seconds=1)
    lo = t0
    while lo < t1:
        hi = min(lo + step, t1)
        if offset(hi) != found[-1][1]:  # a change in (lo, hi]: its first second
            a, b = lo, hi
            while b - a > second:
                mid = a + (b - a) // second // 2 * second
                a, b = (mid, b) if offset(mid) == found[-1][1] else (a, mid)
            found.append((b, offset(b)))
        lo = hi
    return tuple(found)


def _local_time(column: str, tz: str, t0: dt.datetime, t1: dt.datetime, name: str) -> tuple[str, dict]:
    """SQL for ``timezone(tz, column)`` (the local wall-clock time) of instants in [t0, t1),
    and its parameters: the instant shifted by the zone's offset then in force. ICU converts
    row by row, ten times slower (0.06 s per 500,000 inbound items on the large demo). The
    offsets come from Python's time-zone database, as the period's bounds do; DuckDB's ICU
    has its own copy, which can differ where a country changed its rules lately (Morocco)."""
    offsets = _utc_offsets(tz, t0, t1)
    params = {f"{name}_offset_0": offsets[0][1]}
    branches = []
    for k, (since, shift) in enumerate(offsets[1:], start=1):
        params[f"{name}_since_{k}"], params[f"{name}_offset_{k}"] = since, shift
        branches.insert(0, f"WHEN {column} >= ${name}_since_{k} THEN ${name}_offset_{k}")
    shift = f"CASE {' '.join(branches)} ELSE ${name}_offset_0 END" if branches else f"${name}_offset_0"
    return f"make_timestamp(epoch_us({column}) + {shift})", params


def _interactions_in_period(view: View, settings: Settings, now: dt.datetime, *,
                            departments: tuple[str, ...] | None = None) -> tuple[str, dict]:
    """Inbound items of the period addressed to official accounts, classified. With
    ``departments`` (a goal's scope): those addressed to their own accounts or answered by them."""
    t0, t1 = view.period.bounds(settings.timezone)
    local, local_params = _local_time("i.received_at", settings.timezone, t0, t1, "received")
    in_departments = ("" if departments is None else
                      "AND (list_contains($departments, o.department_id) OR list_contains($departments, i.department_id))")
    sql = f"""
        WITH official AS ({_OFFICIAL}),
        items AS (
            SELECT o.org_id, i.platform, i.interaction_id, i.account_id, i.received_at,
                   i.first_response_at, i.department_id, i.responder_account_id,
                   {_minutes_between('i.first_response_at', 'i.received_at')} AS response_minutes,
                   i.first_response_at IS NULL
                       AND i.received_at > $now - INTERVAL {PENDING_DAYS} DAY AS pending,
                   {local} AS local_received
            FROM interactions i JOIN official o USING (account_id)
            WHERE i.received_at >= $t0 AND i.received_at < $t1 {in_departments}
        ),
        classified AS (
            SELECT *,
                   NOT pending AND response_minutes IS NOT NULL
                       AND response_minutes < {UNANSWERED_MINUTES} AS answered,
                   NOT pending AND response_minutes IS NOT NULL
                       AND response_minutes <= $sla AS within_sla,
                   list_contains($business_days, isodow(local_received))
                       AND hour(local_received) * 60 + minute(local_received) >= $bh_start
                       AND hour(local_received) * 60 + minute(local_received) < $bh_end AS business_hours
            FROM items
        )
    """
    params = {
        **_lists(view, departments), **local_params, "t0": t0, "t1": t1, "now": now,
        "sla": settings.sla_minutes, "business_days": list(settings.business_days),
        "bh_start": settings.business_start_minute, "bh_end": settings.business_end_minute,
    }
    return sql, params


_RESPONSE_AGGREGATES = """
    count(*) AS interactions,
    count(*) FILTER (WHERE pending) AS pending,
    count(*) FILTER (WHERE answered) AS answered,
    quantile_cont(response_minutes, 0.5) AS median_response_minutes,
    quantile_cont(response_minutes, 0.9) AS p90_response_minutes,
    count(*) FILTER (WHERE answered) / nullif(count(*) FILTER (WHERE NOT pending), 0) AS response_rate,
    count(*) FILTER (WHERE within_sla) / nullif(count(*) FILTER (WHERE NOT pending), 0) AS sla_attainment
"""


def responsiveness(con, view: View, settings: Settings, now: dt.datetime, by: tuple[str, ...] = ("org_id",), *,
                   departments: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Response times and rates, grouped by any of org_id, platform, department_id, business_hours;
    with ``departments``, the items addressed to their own accounts or answered by them."""
    allowed = {"org_id", "platform", "department_id", "business_hours"}
    if not set(by) <= allowed:
        raise ValueError(f"cannot group responses by {set(by) - allowed}")
    sql, params = _interactions_in_period(view, settings, now, departments=departments)
    keys = ", ".join(by)
    return con.execute(
        sql + f"SELECT {keys}, {_RESPONSE_AGGREGATES} FROM classified GROUP BY {keys} ORDER BY {keys}",
        params,
    ).df()


BUCKETS = ("< 1 h", "1–4 h", "4–8 h", "8–24 h", "1–7 days", "Unanswered")


def response_buckets(con, view: View, settings: Settings, now: dt.datetime) -> pd.DataFrame:
    """Counts of inbound items per response-time bucket and organization, pending left out."""
    sql, params = _interactions_in_period(view, settings, now)
    frame = con.execute(
        sql + f"""
        SELECT org_id,
               CASE WHEN response_minutes IS NULL OR response_minutes >= {UNANSWERED_MINUTES} THEN 5
                    WHEN response_minutes < 60 THEN 0
                    WHEN response_minutes < 240 THEN 1
                    WHEN response_minutes < 480 THEN 2
                    WHEN response_minutes < 1440 THEN 3
                    ELSE 4 END AS bucket_no,
               count(*) AS items
        FROM classified WHERE NOT pending GROUP BY ALL ORDER BY ALL
        """,
        params,
    ).df()
    frame["bucket"] = frame["bucket_no"].map(dict(enumerate(BUCKETS)))
    return frame


# --- Departments ------------------------------------------------------------------------

def department_contributions(con, view: View, settings: Settings) -> pd.DataFrame:
    """Per configured department of the company: original posts (own accounts, its people's
    accounts, brand posts attributed to it: ``posts`` and its split ``posts_own_accounts``,
    ``posts_people``, ``posts_attributed``), responses, contributions, their share,
    engagements earned, the period's budget and the cost per engagement."""
    return department_contributions_over(con, view, settings, (view.period,))[0]


def department_contributions_over(con, view: View, settings: Settings, periods: tuple) -> list[pd.DataFrame]:
    """``department_contributions`` of the view over each of ``periods`` (``Period``s), in
    one query: the Departments page's co-op index over time asked once per week."""
    bounds = [period.bounds(settings.timezone) for period in periods]
    frame = con.execute(
        f"""
        WITH company_accounts AS (
            SELECT a.account_id, a.department_id, a.person IS NOT NULL AS is_person
            FROM accounts a JOIN organizations o ON o.org_id = a.org_id AND o.is_self
            WHERE len($platforms) = 0 OR list_contains($platforms, a.platform)
        ),
        periods AS (
            SELECT unnest(range(len($t0s))) AS k, unnest($t0s::TIMESTAMPTZ[]) AS t0, unnest($t1s::TIMESTAMPTZ[]) AS t1
        ),
        dept_posts AS (
            SELECT pr.k, coalesce(p.department_id, ca.department_id) AS department_id,
                   count(*) AS posts,
                   count(*) FILTER (WHERE p.department_id IS NULL AND NOT ca.is_person) AS posts_own_accounts,
                   count(*) FILTER (WHERE p.department_id IS NULL AND ca.is_person) AS posts_people,
                   count(*) FILTER (WHERE p.department_id IS NOT NULL) AS posts_attributed,
                   sum(p.likes + p.comments + p.shares) AS engagements
            FROM posts p JOIN company_accounts ca USING (account_id)
            JOIN periods pr ON p.created_at >= pr.t0 AND p.created_at < pr.t1
            WHERE NOT p.is_reply AND p.created_at >= $first AND p.created_at < $last
            GROUP BY 1, 2
        ),
        dept_responses AS (
            SELECT pr.k, i.department_id, count(*) AS responses,
                   quantile_cont({_minutes_between('i.first_response_at', 'i.received_at')}, 0.5) AS median_response_minutes
            FROM interactions i JOIN company_accounts ca USING (account_id)
            JOIN periods pr ON i.received_at >= pr.t0 AND i.received_at < pr.t1
            WHERE i.received_at >= $first AND i.received_at < $last
              AND i.first_response_at IS NOT NULL AND i.department_id IS NOT NULL
            GROUP BY 1, 2
        )
        SELECT pr.k, d.department_id, d.name, d.annual_budget,
               coalesce(dp.posts, 0) AS posts,
               coalesce(dr.responses, 0) AS responses,
               coalesce(dp.posts, 0) + coalesce(dr.responses, 0) AS contributions,
               coalesce(dp.engagements, 0) AS engagements,
               dr.median_response_minutes,
               coalesce(dp.posts_own_accounts, 0) AS posts_own_accounts,
               coalesce(dp.posts_people, 0) AS posts_people,
               coalesce(dp.posts_attributed, 0) AS posts_attributed
        FROM periods pr CROSS JOIN departments d
        LEFT JOIN dept_posts dp ON dp.k = pr.k AND dp.department_id = d.department_id
        LEFT JOIN dept_responses dr ON dr.k = pr.k AND dr.department_id = d.department_id
        ORDER BY pr.k, contributions DESC, d.name
        """,
        {"platforms": list(view.platforms), "t0s": [t0 for t0, _ in bounds], "t1s": [t1 for _, t1 in bounds],
         "first": min(t0 for t0, _ in bounds), "last": max(t1 for _, t1 in bounds)},
    ).df()
    out = []
    for k, period in enumerate(periods):
        part = frame[frame["k"] == k].drop(columns="k").reset_index(drop=True)
        total = part["contributions"].sum()
        part["share"] = part["contributions"] / total if total else float("nan")
        part["budget_for_period"] = part["annual_budget"] * period.days / 365
        part["cost_per_engagement"] = part["budget_for_period"] / part["engagements"].where(part["engagements"] > 0)
        out.append(part)
    return out


def coop_index(shares: list[float] | pd.Series, n_departments: int) -> float | None:
    """100 × H / ln(N) over the departments' shares; None when not available."""
    values = [float(s) for s in shares if s is not None and not math.isnan(s) and s > 0]
    if n_departments < 2 or not values:
        return None
    entropy = -sum(p * math.log(p) for p in values)
    return 100 * entropy / math.log(n_departments) + 0.0  # + 0.0: never "-0" when one department does all


ORGANISATION_MODELS = {
    "centralized": "Centralized",
    "hub_and_spoke": "Hub and spoke",
    "honeycomb": "Honeycomb (holistic)",
    "dandelion": "Dandelion (multiple hub and spoke)",
    "organic": "Organic (decentralized)",
}


def organisation_model(shares: list[float] | pd.Series) -> str | None:
    """The organisation model (metrics.md), checked in order; None with no contribution."""
    values = sorted((float(s) for s in shares if s is not None and not math.isnan(s)), reverse=True)
    if not values or sum(values) == 0:
        return None
    top = values[0]
    if top >= 0.80:
        return "centralized"
    if 0.50 <= top < 0.80 and sum(1 for s in values[1:] if s >= 0.05) >= 3:
        return "hub_and_spoke"
    if sum(1 for s in values if s >= 0.02) >= 0.75 * len(values) and top < 0.35:
        return "honeycomb"
    if sum(1 for s in values if s >= 0.20) >= 2:
        return "dandelion"
    return "organic"


def coop(con, view: View, settings: Settings) -> dict:
    """The co-op index and organisation model of the company for the view."""
    depts = department_contributions(con, view, settings)
    if depts.empty or depts["contributions"].sum() == 0:
        return {"coop_index": None, "model": None, "departments": depts}
    shares = depts["share"].tolist()
    return {"coop_index": coop_index(shares, len(depts)), "model": organisation_model(shares), "departments": depts}


# --- Organizations side by side --------------------------------------------------------

SCORECARD_METRICS = (
    "audience", "follower_growth", "follower_growth_pct", "posts", "likes", "engagements",
    "engagement_rate", "posting_frequency", "views", "share_of_voice", "interactions", "pending",
    "median_response_minutes", "p90_response_minutes", "response_rate", "sla_attainment",
)


# Figures that describe an organization's posts of the period: with no post, there is none
# (an organization that posted nothing has no likes figure, not a 0 that ranks first).
OF_POSTS = ("likes", "engagements", "engagement_rate", "views", "share_of_voice")


def scorecard(con, view: View, settings: Settings, now: dt.datetime) -> pd.DataFrame:
    """Every organization-level metric for every selected organization, one row each.

    What "no data" means, per metric, decided here once so that every page, rank and the
    brief agree (NaN = no figure, never ranked, shown as "—"):

    - audience: no follower count on or before the period's end; follower growth: none on
      or before its start (metrics.md);
    - totals over the period (posts, likes, engagements, posts per day, views, share of
      voice: ``benchmark.PERIOD_TOTALS``): the organization has no account on the selected
      platforms, or its data on one of them starts after the period's first day
      (``coverage_note`` says so): the Competitors page's rule, so both pages agree;
    - posts and posts per day also when no selected organization has a single post in the
      period (nothing to compare: 0 everywhere would rank everyone first);
    - likes, engagements, engagement rate, views, share of voice: no post in the period;
    - response figures: no inbound item (``interactions`` stays a count, 0 included).
    """
    from socialdash import benchmark  # coverage is the Competitors page's rule; it imports this module

    frame = organizations(con, view)
    for part in (audience(con, view, settings), content(con, view, settings),
                 responsiveness(con, view, settings, now)):
        frame = frame.merge(part, on="org_id", how="left")
    for col in ("interactions", "pending", "answered"):
        frame[col] = frame[col].fillna(0).astype("int64")
    status = benchmark._all_platform_status(benchmark.coverage(con, view, settings), frame)
    frame["coverage_note"] = pd.Series([status.get(o, ("", ""))[1] for o in frame["org_id"]], dtype=object)
    covered = pd.Series([status.get(o, (benchmark.ABSENT, ""))[0] not in benchmark.NOT_COMPARABLE
                         for o in frame["org_id"]], index=frame.index)
    posted = frame["posts"].fillna(0) > 0
    frame["posts"] = frame["posts"].fillna(0).astype("float64")
    frame["posting_frequency"] = frame["posts"] / view.period.days
    for col in OF_POSTS:
        frame[col] = frame[col].astype("float64").where(posted)
    for col in benchmark.PERIOD_TOTALS:
        frame[col] = frame[col].where(covered & posted.any())
    return frame.reset_index(drop=True)


def ranks(frame: pd.DataFrame, metric: str) -> pd.Series:
    """Rank of each organization on a metric, 1 = best; ties share the best rank (1, 1, 3).
    An organization with no figure (NaN, see ``scorecard``) is not ranked."""
    ascending = not METRICS[metric].higher_is_better
    return frame[metric].astype("float64").rank(method="min", ascending=ascending, na_option="keep").astype("Int64")


def averages(frame: pd.DataFrame, metric: str) -> tuple[float, float]:
    """(competitor average, landscape average): means of the organizations' own values,
    the first without the company, the second with it."""
    values = frame[metric].astype("float64")
    return float(values[~frame["is_self"]].mean()), float(values.mean())


def audience_series(con, view: View, settings: Settings, *, by_platform: bool = False, max_points: int = 4000) -> pd.DataFrame:
    """Daily audience per organization (and platform) over the period, thinned to a
    regular step of days when the chart would carry more than ``max_points`` points."""
    series_count = con.execute(
        f"SELECT count(DISTINCT org_id{', platform' if by_platform else ''}) FROM ({_OFFICIAL})",
        _lists(view),
    ).fetchone()[0] or 1
    step = max(1, math.ceil(view.period.days * series_count / max_points))
    group = "o.org_id, o.platform" if by_platform else "o.org_id"
    return con.execute(
        f"""
        WITH official AS ({_OFFICIAL}),
        days AS (
            SELECT unnest(generate_series($first::DATE, $end::DATE, to_days($step::INTEGER)))::DATE AS day
        ),
        grid AS (SELECT o.*, days.day FROM official o CROSS JOIN days)
        SELECT {group.replace('o.', 'g.')}, g.day, sum(f.followers) AS audience
        -- only the official accounts' counts up to the end: the ASOF join sorts what it reads
        FROM grid g ASOF LEFT JOIN (SELECT account_id, day, followers FROM {_official_counts(con)}
                                    WHERE day <= $end AND account_id IN (SELECT account_id FROM official)) f
          ON g.account_id = f.account_id AND g.day >= f.day
        GROUP BY ALL ORDER BY ALL
        """,
        # the last day is always shown; the step counts back from it
        {**_lists(view), "first": view.period.end - dt.timedelta(days=(view.period.days - 1) // step * step),
         "end": view.period.end, "step": step},
    ).df()


def previous_view(view: View) -> View:
    return view.with_period(view.period.previous())
