"""Response times (metrics.md "Responsiveness"): where, when and by whom the public is
answered slowly, and how the company compares with competitors' public replies.

Every figure is composed over ``metrics._interactions_in_period`` (its ``classified`` CTE
holds the one classification: pending, answered within 7 days, within the SLA, business
hours in the configured zone) and ``metrics._RESPONSE_AGGREGATES`` (the one definition of
the median, 90th percentile, response rate and SLA attainment), so no definition is
repeated here.

Like-for-like comparison (metrics.md: competitors' figures come from their public replies,
comparable only on platforms where interactions are collected for every compared
organization): the *compared organizations* are the selected ones with at least one
inbound item in the period on the selected platforms; the *comparable platforms* are the
selected platforms on which every compared organization has inbound items in the period.
Ranks and side-by-side figures use exactly those organizations and platforms.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd

from socialdash import metrics
from socialdash.config import Settings
from socialdash.metrics import _RESPONSE_AGGREGATES, UNANSWERED_MINUTES, _interactions_in_period
from socialdash.viewstate import View

RANKED_METRICS = ("median_response_minutes", "p90_response_minutes", "response_rate", "sla_attainment")

# Formulas of the figures this module adds to metrics.METRICS (help texts on the page).
FORMULAS = {
    "responses": "Inbound items of the period that have a first response, however late "
                 "(interactions.department_id = the department that answered).",
    "share_of_responses": "The department's responses / all the company's responses in the period "
                          "(every department and the responses with no department recorded).",
    "within_sla_share": "The department's responses with response time ≤ sla_minutes / its responses "
                        "(items nobody answered have no department, so this is not the SLA attainment).",
    "late": "Responses that came 7 days (10,080 minutes) or more after the item was received: "
            "in the percentiles, but unanswered for the response rate.",
    "business_share": "Items received in business hours (or off hours) / all items received; "
                      "business hours judged on received_at in the configured time zone.",
    "bucket_share": "Items in the bucket / the organization's items received in the period − pending.",
    "heat_volume": "Inbound items received in the period in that local hour of the week (pending included).",
    "heat_median": "Median (continuous) of first response − received over the items received in that "
                   "local hour of the week that have a response, however late.",
    "waited": "Now − received: how long the item has waited with no response.",
    "response_time": "First response − received.",
    "week": "Local calendar weeks (Monday to Sunday) of the configured time zone; the first and last "
            "week may hold only the days of the period.",
}

# Where a platform's own address of an inbound item follows from its id alone. X posts are
# reachable at /i/web/status/<numeric id> whatever their author; other platforms need more
# than the id (the author, the video, the page), so their ids are shown instead.
_ITEM_URL_SQL = """CASE WHEN c.platform = 'x' AND regexp_full_match(c.interaction_id, '[0-9]+')
                        THEN 'https://x.com/i/web/status/' || c.interaction_id END"""

_COMPANY = "org_id IN (SELECT org_id FROM organizations WHERE is_self)"


@dataclasses.dataclass(frozen=True)
class Comparison:
    """The organizations side by side.

    ``everywhere``: every selected organization's figures over all the selected platforms
    (the company first), whatever their coverage. ``like_for_like``: the compared
    organizations' figures over the comparable platforms, with ``rank_<metric>`` columns
    (1 = best). ``coverage``: inbound items per organization and platform.
    """

    everywhere: pd.DataFrame
    like_for_like: pd.DataFrame
    platforms: tuple[str, ...]          # the comparable platforms
    orgs: tuple[str, ...]               # the compared organizations
    without_items: tuple[str, ...]      # selected organizations with no inbound item at all
    not_comparable: dict                # platform -> organizations (compared) with no item there
    coverage: pd.DataFrame


def _coverage(con, view: View, settings: Settings, now: dt.datetime) -> pd.DataFrame:
    sql, params = _interactions_in_period(view, settings, now)
    return con.execute(
        sql + "SELECT org_id, platform, count(*) AS interactions FROM classified GROUP BY ALL ORDER BY ALL",
        params,
    ).df()


def like_for_like_view(con, view: View, settings: Settings, now: dt.datetime) -> View | None:
    """The view restricted to the compared organizations and the comparable platforms;
    None when no platform is covered for every organization that has inbound items."""
    return _like_for_like(_coverage(con, view, settings, now), view)[0]


def _like_for_like(coverage: pd.DataFrame, view: View) -> tuple[View | None, tuple, tuple, dict]:
    orgs = tuple(sorted(coverage["org_id"].unique()))
    per_org = {o: set(coverage.loc[coverage["org_id"] == o, "platform"]) for o in orgs}
    every = sorted(set(coverage["platform"]))
    common = tuple(p for p in every if all(p in per_org[o] for o in orgs))
    missing = {p: tuple(o for o in orgs if p not in per_org[o]) for p in every if p not in common}
    if not orgs or not common:
        return None, common, orgs, missing
    return dataclasses.replace(view, platforms=common, orgs=orgs), common, orgs, missing


def comparison(con, view: View, settings: Settings, now: dt.datetime) -> Comparison:
    """The organizations' response figures, everywhere and like for like, with ranks."""
    names = metrics.organizations(con, view)
    everywhere = names.merge(metrics.responsiveness(con, view, settings, now), on="org_id", how="left")
    for col in ("interactions", "pending", "answered"):
        everywhere[col] = everywhere[col].fillna(0).astype("int64")
    coverage = _coverage(con, view, settings, now)
    lfl_view, common, orgs, missing = _like_for_like(coverage, view)
    if lfl_view is None:
        lfl = names.iloc[0:0].copy()
    else:
        lfl = names.merge(metrics.responsiveness(con, lfl_view, settings, now), on="org_id", how="inner")
        for key in RANKED_METRICS:
            lfl[f"rank_{key}"] = metrics.ranks(lfl, key)
    without = tuple(o for o in names["org_id"] if o not in set(orgs))
    return Comparison(everywhere.reset_index(drop=True), lfl.reset_index(drop=True), common, orgs,
                      without, missing, coverage)


def bucket_distribution(con, view: View, settings: Settings, now: dt.datetime, like_for_like: bool) -> pd.DataFrame:
    """Items per response-time bucket (metrics.BUCKETS, pending left out) and their share of
    the organization's items, one row per organization and bucket (every bucket present).
    ``like_for_like``: the compared organizations on the comparable platforms; otherwise
    the company alone on all the selected platforms."""
    if like_for_like:
        target = like_for_like_view(con, view, settings, now)
        if target is None:
            return pd.DataFrame(columns=["org_id", "name", "is_self", "bucket_no", "bucket", "items", "share"])
    else:
        target = view
    names = metrics.organizations(con, target)
    if not like_for_like:
        names = names[names["is_self"]]
    counts = metrics.response_buckets(con, target, settings, now)
    grid = names.merge(pd.DataFrame({"bucket_no": range(len(metrics.BUCKETS)), "bucket": metrics.BUCKETS}),
                       how="cross")
    frame = grid.merge(counts[["org_id", "bucket_no", "items"]], on=["org_id", "bucket_no"], how="left")
    frame["items"] = frame["items"].fillna(0).astype("int64")
    totals = frame.groupby("org_id")["items"].transform("sum")
    frame["share"] = frame["items"] / totals.where(totals > 0)
    return frame[frame.groupby("org_id")["items"].transform("sum") > 0].reset_index(drop=True)


def weekly(con, view: View, settings: Settings, now: dt.datetime) -> pd.DataFrame:
    """The company's response figures per local week (Monday first) of the period; weeks
    without items are present with zero items. ``days`` = days of the week inside the period."""
    sql, params = _interactions_in_period(view, settings, now)
    frame = con.execute(
        sql + f""",
        per_week AS (
            SELECT date_trunc('week', local_received)::DATE AS week, {_RESPONSE_AGGREGATES}
            FROM classified WHERE {_COMPANY} GROUP BY 1
        ),
        weeks AS (
            SELECT unnest(generate_series(date_trunc('week', $start::DATE), $end::DATE, INTERVAL 7 DAY))::DATE AS week
        )
        SELECT w.week,
               datediff('day', greatest(w.week, $start::DATE), least(w.week + 6, $end::DATE)) + 1 AS days,
               p.* EXCLUDE (week)
        FROM weeks w LEFT JOIN per_week p USING (week)
        ORDER BY w.week
        """,
        {**params, "start": view.period.start, "end": view.period.end},
    ).df()
    for col in ("interactions", "pending", "answered"):
        frame[col] = frame[col].fillna(0).astype("int64")
    return frame


def by_platform(con, view: View, settings: Settings, now: dt.datetime) -> pd.DataFrame:
    """Response figures per organization and platform, with, on each platform, the rank
    (1 = best) among the organizations that have inbound items there and how many they are."""
    names = metrics.organizations(con, view)
    frame = names.merge(metrics.responsiveness(con, view, settings, now, ("org_id", "platform")),
                        on="org_id", how="inner")
    frame["compared"] = frame.groupby("platform")["org_id"].transform("count")
    for key in RANKED_METRICS:
        ranked = [metrics.ranks(group, key) for _, group in frame.groupby("platform")]
        frame[f"rank_{key}"] = pd.concat(ranked).astype("Int64") if ranked else pd.Series(dtype="Int64")
    return frame.sort_values(["platform", "is_self", "name"], ascending=[True, False, True]).reset_index(drop=True)


def by_department(con, view: View, settings: Settings, now: dt.datetime) -> pd.DataFrame:
    """The company's responses by the department that answered (interactions.department_id):
    the selected departments (all when none is selected, plus a row without department
    when some responses carry none); how many, their share of the company's responses,
    median and 90th percentile response time, within the SLA, and late (≥ 7 days)."""
    sql, params = _interactions_in_period(view, settings, now)
    frame = con.execute(
        sql + f""",
        responded AS (
            SELECT department_id, response_minutes, within_sla
            FROM classified WHERE {_COMPANY} AND response_minutes IS NOT NULL
        ),
        shown AS (
            SELECT department_id, name FROM departments
            WHERE len($departments) = 0 OR list_contains($departments, department_id)
            UNION ALL
            SELECT NULL, 'No department recorded' WHERE len($departments) = 0
        )
        SELECT s.department_id, s.name,
               count(r.response_minutes) AS responses,
               count(r.response_minutes) / nullif((SELECT count(*) FROM responded), 0) AS share_of_responses,
               quantile_cont(r.response_minutes, 0.5) AS median_response_minutes,
               quantile_cont(r.response_minutes, 0.9) AS p90_response_minutes,
               count(*) FILTER (WHERE r.within_sla) AS within_sla,
               count(*) FILTER (WHERE r.within_sla) / nullif(count(r.response_minutes), 0) AS within_sla_share,
               count(*) FILTER (WHERE r.response_minutes >= {UNANSWERED_MINUTES}) AS late
        FROM shown s LEFT JOIN responded r ON r.department_id IS NOT DISTINCT FROM s.department_id
        GROUP BY s.department_id, s.name
        ORDER BY responses DESC, s.department_id IS NULL, s.name
        """,
        {**params, "departments": list(view.departments)},
    ).df()
    # the row without department only when there are such responses
    return frame[frame["department_id"].notna() | (frame["responses"] > 0)].reset_index(drop=True)


def business_hours_split(con, view: View, settings: Settings, now: dt.datetime, like_for_like: bool) -> pd.DataFrame:
    """Response figures in business hours and off hours (metrics.md, in the configured zone),
    with each part's share of the organization's inbound items. ``like_for_like``: the
    compared organizations on the comparable platforms; otherwise the company on all the
    selected platforms."""
    target = like_for_like_view(con, view, settings, now) if like_for_like else view
    columns = ["org_id", "name", "is_self", "business_hours", "interactions", "share_of_items"]
    if target is None:
        return pd.DataFrame(columns=columns)
    names = metrics.organizations(con, target)
    if not like_for_like:
        names = names[names["is_self"]]
    frame = names.merge(metrics.responsiveness(con, target, settings, now, ("org_id", "business_hours")),
                        on="org_id", how="inner")
    frame["share_of_items"] = frame["interactions"] / frame.groupby("org_id")["interactions"].transform("sum")
    return frame.sort_values(["is_self", "name", "business_hours"], ascending=[False, True, False]).reset_index(drop=True)


def hour_of_week(con, view: View, settings: Settings, now: dt.datetime) -> pd.DataFrame:
    """The company's inbound items and median response time per local hour of the week:
    168 rows (isodow 1 = Monday, hour 0-23 in the configured zone), empty hours included."""
    sql, params = _interactions_in_period(view, settings, now)
    return con.execute(
        sql + f""",
        grid AS (SELECT d.range::INTEGER AS isodow, h.range::INTEGER AS hour FROM range(1, 8) d, range(0, 24) h)
        SELECT g.isodow, g.hour,
               count(c.org_id) AS interactions,
               count(c.response_minutes) AS responses,
               quantile_cont(c.response_minutes, 0.5) AS median_response_minutes
        FROM grid g
        LEFT JOIN (SELECT * FROM classified WHERE {_COMPANY}) c
          ON isodow(c.local_received) = g.isodow AND hour(c.local_received) = g.hour
        GROUP BY g.isodow, g.hour ORDER BY g.isodow, g.hour
        """,
        params,
    ).df()


def oldest_unanswered(con, view: View, settings: Settings, now: dt.datetime, limit: int = 25) -> pd.DataFrame:
    """The company's items of the period with no response yet, oldest first: pending ones
    (received less than 7 days ago) and unanswered ones. ``total`` = how many there are."""
    sql, params = _interactions_in_period(view, settings, now)
    return con.execute(
        sql + f"""
        SELECT c.platform, a.handle AS account, c.interaction_id, c.received_at,
               c.local_received, {metrics._minutes_between("$now", "c.received_at")} AS waited_minutes,
               CASE WHEN c.pending THEN 'Pending' ELSE 'Unanswered' END AS status,
               {_ITEM_URL_SQL} AS item_url,
               count(*) OVER () AS total
        FROM classified c JOIN accounts a ON a.account_id = c.account_id
        WHERE c.org_id IN (SELECT org_id FROM organizations WHERE is_self) AND c.first_response_at IS NULL
        ORDER BY c.received_at, c.platform, c.interaction_id
        LIMIT $limit
        """,
        {**params, "limit": int(limit)},
    ).df()


def slowest_answered(con, view: View, settings: Settings, now: dt.datetime, limit: int = 25) -> pd.DataFrame:
    """The company's answered items of the period, slowest first, with the department that
    answered and, where the warehouse holds it, the address of the answer: the one reply
    post of the answering account created at the first response's instant."""
    sql, params = _interactions_in_period(view, settings, now)
    return con.execute(
        sql + f""",
        slowest AS (
            SELECT *, count(*) OVER () AS total
            FROM classified
            WHERE org_id IN (SELECT org_id FROM organizations WHERE is_self) AND response_minutes IS NOT NULL
            ORDER BY response_minutes DESC, received_at, interaction_id
            LIMIT $limit
        ),
        answers AS (
            SELECT s.platform, s.interaction_id, min(p.url) AS url
            FROM slowest s
            JOIN posts p ON p.is_reply AND p.account_id = s.responder_account_id
                        AND p.created_at = s.first_response_at
            GROUP BY s.platform, s.interaction_id
            HAVING count(*) = 1
        )
        SELECT c.platform, a.handle AS account, c.interaction_id, c.received_at, c.local_received,
               c.response_minutes, c.response_minutes >= {UNANSWERED_MINUTES} AS late,
               d.name AS department,
               {_ITEM_URL_SQL} AS item_url,
               CASE WHEN regexp_matches(r.url, '^https?://') THEN r.url END AS reply_url,
               c.total
        FROM slowest c
        JOIN accounts a ON a.account_id = c.account_id
        LEFT JOIN departments d ON d.department_id = c.department_id
        LEFT JOIN answers r ON r.platform = c.platform AND r.interaction_id = c.interaction_id
        ORDER BY c.response_minutes DESC, c.received_at, c.interaction_id
        """,
        {**params, "limit": int(limit)},
    ).df()
