"""Data health: how fresh and how complete the warehouse is (the Data health page).

* ``last_runs``: the last run of each connector (``connector_runs``), with its status,
  rows and error, and when the connector last succeeded; and each platform of tracked
  accounts that no run reached ("never run": a refresh skips a platform whose credentials
  are missing), when this warehouse's runs are recorded per platform.
* ``account_freshness``: per tracked account, the newest data: the latest follower count
  (``account_daily``) and the last successful refresh (the connectors' own
  ``connector_state`` table, when a refresh has run). An account is stale when its newest
  data is more than ``STALE_DAYS`` days old, or when there is none (except accounts the
  platform's API does not cover, which the connectors mark ``skipped``).
* ``coverage``: per organization and platform, the accounts, posts and inbound items held
  and how far back history goes (the earliest follower count or post); a pair is covered
  when it holds any data.

``connector_state`` is the connectors' own table, beyond the contract: a warehouse another
pipeline made has none, and then per-account refreshes are simply not known
(``refreshes_recorded``).

Connector runs are not filtered by the view; accounts and coverage follow the view's
platforms and organizations. Nothing here depends on the period.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from socialdash.config import Settings
from socialdash.viewstate import View
from socialdash.warehouse import has_table

STALE_DAYS = 2

FORMULAS = {
    "last_runs": "The latest row of connector_runs per connector; “last success” = the end of its latest run "
                 "with status ok or partial. A platform with tracked accounts and no run of its own is listed as "
                 "“never run” (when runs are recorded per platform). Needing attention = last run failed or "
                 "partial, or never run.",
    "freshness": f"Newest data = the later of the latest follower count (account_daily.day) and the day of the "
                 f"last successful refresh of the account, in the configured time zone. Age = today − newest data; "
                 f"stale when the age is more than {STALE_DAYS} days or there is no data at all (accounts the API does "
                 f"not cover, such as LinkedIn members' own profiles, are marked as such instead).",
    "coverage": "Per organization and platform: configured accounts, posts and inbound items held, and history "
                "from = the earliest follower count or post, whichever is earlier; days of history = today − that "
                "day + 1. Covered = holds at least one follower count, post or inbound item.",
}

NEEDS_ATTENTION = ("failed", "partial", "never run")


def refreshes_recorded(con) -> bool:
    """Whether the warehouse records per-account refreshes (the connectors' ``connector_state``,
    with at least one row): not in a warehouse another pipeline made, nor in the demo."""
    return has_table(con, "connector_state") and bool(
        con.execute("SELECT EXISTS (SELECT 1 FROM connector_state)").fetchone()[0])


def last_runs(con) -> pd.DataFrame:
    """One row per connector: its latest run and its latest success; then one row per
    platform that has tracked accounts but no run ("never run", with ``accounts`` the number
    of its tracked accounts), when runs are recorded per platform (some connector is named
    after a platform of the tracked accounts, as the project's refresh names them; the demo's
    or another pipeline's single run is not) and no refresh reached its accounts."""
    attempted = ("SELECT DISTINCT platform FROM connector_state WHERE last_attempt_at IS NOT NULL"
                 if has_table(con, "connector_state") else "SELECT NULL::VARCHAR AS platform WHERE false")
    return con.execute(
        f"""
        WITH ranked AS (
            SELECT *, row_number() OVER (PARTITION BY connector ORDER BY started_at DESC, run_id DESC) AS rn,
                   count(*) OVER (PARTITION BY connector) AS runs,
                   max(finished_at) FILTER (WHERE status IN ('ok', 'partial')) OVER (PARTITION BY connector) AS last_success
            FROM connector_runs
        ),
        latest AS (
            SELECT connector, status, started_at, finished_at,
                   epoch(finished_at - started_at) AS duration_s,
                   rows_written, error, last_success, runs
            FROM ranked WHERE rn = 1
        ),
        tracked AS (SELECT platform, count(*) AS accounts FROM accounts GROUP BY platform),
        never AS (
            SELECT t.platform AS connector, 'never run' AS status, NULL::TIMESTAMPTZ AS started_at,
                   NULL::TIMESTAMPTZ AS finished_at, NULL::DOUBLE AS duration_s, NULL::BIGINT AS rows_written,
                   NULL::VARCHAR AS error, NULL::TIMESTAMPTZ AS last_success, 0 AS runs, t.accounts
            FROM tracked t
            WHERE t.platform NOT IN (SELECT connector FROM latest)
              AND t.platform NOT IN (SELECT platform FROM ({attempted}) WHERE platform IS NOT NULL)
              AND EXISTS (SELECT 1 FROM latest JOIN tracked p ON p.platform = latest.connector)
        )
        SELECT * FROM (
            SELECT l.*, t.accounts FROM latest l LEFT JOIN tracked t ON t.platform = l.connector
            UNION ALL BY NAME SELECT * FROM never
        )
        ORDER BY CASE status WHEN 'failed' THEN 0 WHEN 'partial' THEN 1 WHEN 'never run' THEN 2 ELSE 3 END,
                 connector
        """
    ).df()


def account_freshness(con, view: View, settings: Settings, today: dt.date) -> pd.DataFrame:
    """Per tracked account: its latest follower count, last refresh and whether it is stale."""
    if has_table(con, "connector_state"):
        state = """SELECT account_id, last_success_at, last_attempt_at, last_status, last_error
                   FROM connector_state"""
    else:
        state = """SELECT NULL::VARCHAR AS account_id, NULL::TIMESTAMPTZ AS last_success_at,
                          NULL::TIMESTAMPTZ AS last_attempt_at, NULL::VARCHAR AS last_status,
                          NULL::VARCHAR AS last_error WHERE false"""
    frame = con.execute(
        f"""
        WITH state AS ({state}),
        latest AS (
            SELECT account_id, max(day) AS latest_day, arg_max(followers, day) AS followers
            FROM account_daily GROUP BY account_id
        )
        SELECT a.account_id, a.org_id, o.name AS organization, a.platform, a.handle,
               CASE WHEN a.person IS NOT NULL THEN 'Employee: ' || a.person
                    WHEN a.department_id IS NOT NULL THEN 'Department: ' || coalesce(d.name, a.department_id)
                    ELSE 'Brand' END AS kind,
               l.latest_day, l.followers,
               s.last_success_at, s.last_attempt_at, s.last_status, s.last_error,
               greatest(l.latest_day, timezone($tz, s.last_success_at)::DATE) AS newest_day,
               date_diff('day', greatest(l.latest_day, timezone($tz, s.last_success_at)::DATE), $today) AS age_days
        FROM accounts a
        LEFT JOIN organizations o USING (org_id)
        LEFT JOIN departments d ON d.department_id = a.department_id
        LEFT JOIN latest l USING (account_id)
        LEFT JOIN state s USING (account_id)
        WHERE (len($platforms) = 0 OR list_contains($platforms, a.platform))
          AND (len($orgs) = 0 OR list_contains($orgs, a.org_id))
        ORDER BY o.is_self DESC NULLS LAST, o.name, a.platform, a.handle
        """,
        {"tz": settings.timezone, "platforms": list(view.platforms), "orgs": list(view.orgs), "today": today},
    ).df()
    frame["age_days"] = frame["age_days"].astype("Int64")
    skipped = frame["last_status"].eq("skipped").fillna(False).astype(bool)
    frame["stale"] = ~skipped & (frame["age_days"].isna() | (frame["age_days"] > STALE_DAYS)).astype(bool)
    frame["freshness"] = [
        "Not offered by the API" if skip else ("Stale (no data yet)" if pd.isna(age) else "Stale") if stale else "Fresh"
        for skip, stale, age in zip(skipped, frame["stale"], frame["age_days"])
    ]
    # stale accounts first (the query's order, company first, within each group)
    return frame.sort_values("stale", ascending=False, kind="stable").reset_index(drop=True)


def coverage(con, view: View, today: dt.date) -> pd.DataFrame:
    """Per organization and platform: accounts, posts, inbound items, and how far back history goes."""
    frame = con.execute(
        """
        WITH acc AS (
            SELECT a.account_id, a.org_id, a.platform FROM accounts a
            WHERE (len($platforms) = 0 OR list_contains($platforms, a.platform))
              AND (len($orgs) = 0 OR list_contains($orgs, a.org_id))
        ),
        followers AS (SELECT account_id, min(day) AS first_day FROM account_daily GROUP BY account_id),
        post_stats AS (SELECT account_id, count(*) AS posts, min(created_at) AS first_post FROM posts GROUP BY account_id),
        inbound AS (SELECT account_id, count(*) AS interactions FROM interactions GROUP BY account_id)
        SELECT acc.org_id, o.name AS organization, o.is_self, acc.platform,
               count(*) AS accounts,
               coalesce(sum(p.posts), 0)::BIGINT AS posts,
               coalesce(sum(i.interactions), 0)::BIGINT AS interactions,
               min(f.first_day) AS followers_since,
               min(p.first_post)::DATE AS posts_since,
               least(min(f.first_day), min(p.first_post)::DATE) AS history_from,
               date_diff('day', least(min(f.first_day), min(p.first_post)::DATE), $today) + 1 AS history_days
        FROM acc
        LEFT JOIN organizations o USING (org_id)
        LEFT JOIN followers f USING (account_id)
        LEFT JOIN post_stats p USING (account_id)
        LEFT JOIN inbound i USING (account_id)
        GROUP BY ALL
        ORDER BY o.is_self DESC NULLS LAST, o.name, acc.platform
        """,
        {"platforms": list(view.platforms), "orgs": list(view.orgs), "today": today},
    ).df()
    frame["history_days"] = frame["history_days"].astype("Int64")
    frame["covered"] = (frame["history_from"].notna() | (frame["interactions"] > 0)).astype(bool)
    return frame.reset_index(drop=True)
