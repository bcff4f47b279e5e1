"""Competitive benchmarking: the organizations side by side, per platform and over all
platforms, with ranks, gaps, averages, rank changes, coverage and top posts.

Every figure is a metric of ``socialdash.metrics`` (metrics.md): audience and growth come
from ``metrics.audience`` with the view restricted to one platform; content figures come
from the same posts (``metrics._posts_in_period``) grouped by platform in one query, so
that the mean engagement rate of a platform or of all platforms is the mean over exactly
the posts ``metrics.content`` would average (tests/test_benchmark.py compares both).

Like for like: where an organization has no account on a platform, or its data there
starts after the period's first day (or one of its accounts there holds no data at all),
a total over the period (posts, likes, engagements, frequency, views, share of voice)
would mislead; those values are left out (NaN, so not ranked) and the row carries a note
saying why. Levels and means (audience at the end, follower growth as metrics.md defines
it, engagement rate) stay. An account added mid-period beside older ones of the same
organization is shown with a note: the organization was there all along, and metrics.md
already keeps the new account out of follower growth.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import numpy as np
import pandas as pd

from socialdash import formatting, metrics
from socialdash.formatting import PLATFORM_NAMES
from socialdash.config import PLATFORMS, Settings
from socialdash.viewstate import View

ALL = "all"  # the key of the rows over all (selected) platforms together

# Metrics compared on the Competitors page, in the order they are shown.
BENCHMARK_METRICS = (
    "audience", "follower_growth", "follower_growth_pct", "likes", "engagements",
    "engagement_rate", "posting_frequency", "views", "share_of_voice",
)
# Totals over the period: misleading when an organization's data covers only part of it.
PERIOD_TOTALS = ("posts", "likes", "engagements", "posting_frequency", "views", "share_of_voice")
# Rank changes worth an alert (engagements rank like share of voice, posts like frequency,
# so each order is reported once).
ALERT_METRICS = (
    "audience", "follower_growth_pct", "likes", "engagement_rate", "share_of_voice",
    "posting_frequency", "views",
)
# Posts can be ranked by these (the top posts table).
POST_RANKINGS = {
    "engagements": "Engagements",
    "likes": "Likes",
    "engagement_rate": "Engagement rate",
    "views": "Video views",
}
POST_ENGAGEMENT_RATE = ("(likes + comments + shares) of the post / followers of its account on the day "
                        "it was posted (latest count on or before that day); none when the account had no count yet.")

# Coverage of an organization on a platform, for the period shown.
ABSENT, NO_DATA, PARTIAL, ADDED, FULL = "absent", "no_data", "partial", "added", "full"
STATUS_LABELS = {
    ABSENT: "No account", NO_DATA: "No data yet", PARTIAL: "Data starts mid-period",
    ADDED: "Account added mid-period", FULL: "Whole period",
}
NOT_COMPARABLE = (ABSENT, NO_DATA, PARTIAL)  # statuses whose totals over the period are left out


def platform_name(platform: str) -> str:
    if platform == ALL:
        return "All platforms"
    return PLATFORM_NAMES.get(platform, platform)


def _on(platform: str, view: View) -> str:
    """Where a figure is taken, in words that follow it: "on X"; for the all-platform rows
    the filter bar's actual selection ("on X" when it holds one platform, "across X and
    Bluesky", or "across all platforms" when none is chosen)."""
    if platform != ALL:
        return f"on {platform_name(platform)}"
    chosen = _platform_order(view.platforms)
    if len(chosen) == 1:
        return f"on {platform_name(chosen[0])}"
    if chosen:
        return f"across {_and(platform_name(p) for p in chosen)}"
    return "across all platforms"


def scope(platform: str, view: View) -> str:
    """``_on`` for the page's headings and captions."""
    return _on(platform, view)


def scope_label(platform: str, view: View) -> str:
    """A platform choice as the page lists it: the all-platform rows named by the filter
    bar's selection ("All platforms", "All selected: X and Bluesky")."""
    if platform != ALL or not view.platforms:
        return platform_name(platform)
    return "All selected: " + _and(platform_name(p) for p in _platform_order(view.platforms))


def _platform_order(platforms) -> list[str]:
    known = {p: i for i, p in enumerate(PLATFORMS)}
    return sorted(set(platforms), key=lambda p: (known.get(p, len(known)), p))


# --- Coverage ----------------------------------------------------------------------------

def coverage_status(accounts: int, accounts_with_data: int, data_since, complete_since, start: dt.date) -> str:
    """absent: no official account on the platform; no_data: accounts, but no follower
    count and no post at all; partial: the organization's data there starts after
    ``start``, or one of its accounts holds no data; added: an account's data starts after
    ``start`` beside older ones; full: every account has data from ``start`` or before."""
    if not accounts:
        return ABSENT
    if not accounts_with_data:
        return NO_DATA
    if accounts_with_data < accounts or _after(data_since, start):
        return PARTIAL
    if _after(complete_since, start):
        return ADDED
    return FULL


def _after(day, start: dt.date) -> bool:
    return formatting.missing(day) or pd.Timestamp(day).date() > start


def coverage(con: duckdb.DuckDBPyConnection, view: View, settings: Settings) -> pd.DataFrame:
    """Every selected organization × every platform where a selected organization has an
    official account: its official accounts there, since when its data goes back (the
    earliest follower count or post of any of them, ``data_since``), since when all of
    them have data (``complete_since``), the status for the view's period and a note."""
    return _with_status(_coverage_dates(con, view, settings), view.period.start)


def _coverage_dates(con, view: View, settings: Settings) -> pd.DataFrame:
    frame = con.execute(
        f"""
        WITH official AS ({metrics._OFFICIAL}),
        first_count AS (
            SELECT account_id, min(day) AS first_count
            FROM {metrics._official_counts(con)}
            WHERE followers IS NOT NULL AND account_id IN (SELECT account_id FROM official)
            GROUP BY account_id
        ),
        first_instant AS (
            SELECT account_id, min(created_at) + INTERVAL 26 HOUR AS within
            FROM posts WHERE account_id IN (SELECT account_id FROM official)
            GROUP BY account_id
        ),
        first_post AS (
            -- the local day of each of millions of posts would cost 0.3 s; only posts within
            -- 26 hours (the widest span of UTC offsets) of an account's first can be its
            -- first local day
            SELECT p.account_id, min(timezone($tz, p.created_at))::DATE AS first_post
            FROM posts p JOIN first_instant f USING (account_id)
            WHERE p.created_at < f.within
            GROUP BY p.account_id
        ),
        per_account AS (
            SELECT o.org_id, o.platform, o.account_id,
                   least(c.first_count, p.first_post) AS data_since
            FROM official o
            LEFT JOIN first_count c USING (account_id)
            LEFT JOIN first_post p USING (account_id)
        ),
        per_platform AS (
            SELECT org_id, platform, count(*) AS accounts, count(data_since) AS accounts_with_data,
                   min(data_since) AS data_since, max(data_since) AS complete_since
            FROM per_account GROUP BY org_id, platform
        )
        SELECT org.org_id, org.name, org.is_self, pl.platform,
               coalesce(pp.accounts, 0) AS accounts,
               coalesce(pp.accounts_with_data, 0) AS accounts_with_data,
               pp.data_since, pp.complete_since
        FROM organizations org
        CROSS JOIN (SELECT DISTINCT platform FROM official) pl
        LEFT JOIN per_platform pp ON pp.org_id = org.org_id AND pp.platform = pl.platform
        WHERE len($orgs) = 0 OR list_contains($orgs, org.org_id)
        """,
        {**metrics._lists(view), "tz": settings.timezone},
    ).df()
    for col in ("data_since", "complete_since"):
        frame[col] = pd.to_datetime(frame[col]).dt.date
    for col in ("accounts", "accounts_with_data"):
        frame[col] = frame[col].astype("int64")
    return frame


def _with_status(dates: pd.DataFrame, start: dt.date) -> pd.DataFrame:
    frame = dates.copy()
    frame["status"] = [
        coverage_status(r.accounts, r.accounts_with_data, r.data_since, r.complete_since, start)
        for r in frame.itertuples()
    ]
    frame["note"] = [_coverage_note(r, start) for r in frame.itertuples()]
    order = {p: i for i, p in enumerate(_platform_order(frame["platform"]))}
    frame = frame.assign(_p=frame["platform"].map(order)).sort_values(
        ["_p", "is_self", "name"], ascending=[True, False, True]).drop(columns="_p")
    return frame.reset_index(drop=True)


def _coverage_note(r, start: dt.date) -> str:
    where = platform_name(r.platform)
    if r.status == ABSENT:
        return f"{r.name} has no account on {where}."
    if r.status == NO_DATA:
        return f"The {where} {'account' if r.accounts == 1 else 'accounts'} of {r.name} {'holds' if r.accounts == 1 else 'hold'} no data yet."
    if r.status == PARTIAL:
        if r.accounts_with_data < r.accounts:
            missing = r.accounts - r.accounts_with_data
            return (f"{missing} of the {r.accounts} {where} accounts of {r.name} {'holds' if missing == 1 else 'hold'} "
                    "no data yet, so its totals over the period are not comparable.")
        return (f"The {where} data of {r.name} starts {r.data_since:%d %b %Y}, after the period's first day "
                f"({start:%d %b %Y}), so its totals over the period are not comparable.")
    if r.status == ADDED:
        return (f"{r.name} added another {where} account, whose data starts {r.complete_since:%d %b %Y}, "
                f"after the period's first day ({start:%d %b %Y}): it counts from then on.")
    return ""


# --- Scorecards per platform ----------------------------------------------------------------

def _content_by_platform(con, view: View, settings: Settings) -> pd.DataFrame:
    """Per organization and platform: the parts from which metrics.content's figures add up
    (the engagement rate as the sum and count of the rated posts' rates)."""
    sql, params = metrics._posts_in_period(view, settings, counts=metrics._official_counts(con))
    frame = con.execute(
        sql + """
        SELECT org_id, platform,
               count(*) AS posts,
               sum(likes) AS likes,
               sum(engagements) AS engagements,
               sum(engagement_rate) AS rate_sum,
               count(engagement_rate) AS rated_posts,
               sum(views) AS views
        FROM rated GROUP BY org_id, platform
        """,
        params,
    ).df()
    return frame.astype({"likes": "float64", "engagements": "float64", "rate_sum": "float64", "views": "float64"})


def _platforms_reporting_views(con) -> set[str]:
    return set(con.execute("SELECT DISTINCT platform FROM posts WHERE views IS NOT NULL").df()["platform"])


CARD_COLUMNS = [
    "platform", "org_id", "name", "is_self", "status", "note", "audience", "audience_start",
    "follower_growth", "follower_growth_pct", "posts", "likes", "engagements", "engagement_rate",
    "posting_frequency", "views", "share_of_voice",
]


def scorecards(con, view: View, settings: Settings) -> pd.DataFrame:
    """One row per platform (``ALL`` first, then each platform where a selected organization
    has an official account) × selected organization, with every benchmark metric, the
    coverage status and a note; values that would not be like for like are NaN."""
    return _scorecards(con, view, settings, _coverage_dates(con, view, settings))


def _scorecards(con, view: View, settings: Settings, dates: pd.DataFrame,
                reporting_views: set[str] | None = None) -> pd.DataFrame:
    cov = _with_status(dates, view.period.start)
    orgs = metrics.organizations(con, view)
    platforms = _platform_order(cov["platform"])
    content = _content_by_platform(con, view, settings)
    if reporting_views is None:
        reporting_views = _platforms_reporting_views(con)
    reporting_views = reporting_views & set(platforms)
    present_on = {o: set(g["platform"]) for o, g in cov[cov["status"] != ABSENT].groupby("org_id", sort=False)}
    parts = ["posts", "likes", "engagements", "rate_sum", "rated_posts", "views"]
    # Every platform at once (one frame, not one per platform: 0.4 s → 0.05 s), and two
    # audience queries instead of one per platform: each platform's rows are what the view
    # restricted to that platform gives.
    keys = ["platform", "org_id"]
    audience = pd.concat([metrics.audience(con, view, settings).assign(platform=ALL),
                          metrics.audience(con, view, settings, by=("org_id", "platform"))], ignore_index=True)
    sums = pd.concat([content.groupby("org_id")[parts].sum(min_count=1).reset_index().assign(platform=ALL),
                      content.groupby(keys)[parts].sum(min_count=1).reset_index()], ignore_index=True)
    every = [ALL, *platforms]
    card = pd.DataFrame({"platform": pd.Series([p for p in every for _ in range(len(orgs))], dtype=orgs["org_id"].dtype)})
    for col in orgs.columns:
        card[col] = pd.concat([orgs[col]] * len(every), ignore_index=True)
    card = card.merge(audience, on=keys, how="left").merge(sums, on=keys, how="left")
    all_status = _all_platform_status(cov, orgs)
    status = {(ALL, o): found for o, found in all_status.items()}
    status.update(zip(zip(cov["platform"], cov["org_id"]), zip(cov["status"], cov["note"])))
    found = [status.get(k, (ABSENT, "")) for k in zip(card["platform"], card["org_id"])]
    card["status"] = pd.Series([f[0] for f in found], index=card.index, dtype=card["org_id"].dtype)
    card["note"] = pd.Series([f[1] for f in found], index=card.index, dtype=card["org_id"].dtype)
    present = ~card["status"].isin([ABSENT, NO_DATA])
    for col in ("posts", "likes", "engagements"):
        card[col] = card[col].fillna(0).where(present)
    card["engagement_rate"] = card["rate_sum"] / card["rated_posts"].where(card["rated_posts"] > 0)
    card["posting_frequency"] = card["posts"] / view.period.days
    has_views = pd.Series([bool(reporting_views & present_on.get(o, set())) if p == ALL else p in reporting_views
                           for p, o in zip(card["platform"], card["org_id"])], index=card.index)
    card["views"] = card["views"].where(has_views, float("nan"))
    card.loc[present & has_views, "views"] = card.loc[present & has_views, "views"].fillna(0)
    total = card.groupby("platform", sort=False)["engagements"].transform("sum")
    card["share_of_voice"] = card["engagements"] / total.where(total != 0)
    # what would mislead is left out (and so not ranked); the note says why
    card.loc[~present, list(BENCHMARK_METRICS) + ["audience_start", "posts"]] = float("nan")
    card.loc[card["status"] == PARTIAL, list(PERIOD_TOTALS)] = float("nan")
    frame = card.reindex(columns=CARD_COLUMNS)
    for col in CARD_COLUMNS[6:]:
        frame[col] = frame[col].astype("float64")
    return frame


def _all_platform_status(cov: pd.DataFrame, orgs: pd.DataFrame) -> dict[str, tuple[str, str]]:
    """An organization's status over all platforms: absent when it is on none of them,
    partial when any of its platforms is (its totals would fall short), else full; the
    note also names the platforms it is not on (its totals cover its own platforms)."""
    out = {}
    by_org = dict(tuple(cov.groupby("org_id", sort=False)))
    for org in orgs.itertuples():
        mine = by_org.get(org.org_id, cov.iloc[0:0])
        present = mine[mine["status"] != ABSENT]
        if present.empty:
            out[org.org_id] = (ABSENT, f"{org.name} has no account on the selected platforms.")
            continue
        notes = [n for n in present["note"] if n]
        absent = mine.loc[mine["status"] == ABSENT, "platform"].tolist()
        if absent:
            notes.append(f"{org.name} is not on {_and(platform_name(p) for p in absent)}: "
                         "its totals cover its own platforms.")
        statuses = set(present["status"])
        status = PARTIAL if statuses & {PARTIAL, NO_DATA} else ADDED if ADDED in statuses else FULL
        out[org.org_id] = (status, " ".join(notes))
    return out


def _and(words) -> str:
    words = list(words)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


# --- Ranks ----------------------------------------------------------------------------------

RANK_COLUMNS = [
    "platform", "metric", "org_id", "name", "is_self", "status", "value", "rank", "of", "leader",
    "leader_value", "gap_to_leader", "value_before", "rank_before", "rank_change",
    "competitor_average", "landscape_average", "note",
]


def rank_table(con, view: View, settings: Settings) -> pd.DataFrame:
    """Every platform × benchmark metric × selected organization: the value, the rank
    (1 = best, ties share the best rank), how many were ranked, the leader, the gap to the
    leader (value − leader's value), the value and rank in the previous period, the change
    of rank (previous rank − rank: positive = climbed), the competitor and landscape
    averages (metrics.averages) and why a value is missing."""
    dates = _coverage_dates(con, view, settings)
    reporting_views = _platforms_reporting_views(con)
    now = _scorecards(con, view, settings, dates, reporting_views)
    before = _scorecards(con, metrics.previous_view(view), settings, dates, reporting_views)
    # built column by column (one frame at the end, not one per platform and metric: 0.5 s → 0.05 s)
    columns: dict[str, list] = {col: [] for col in RANK_COLUMNS if col != "rank_change"}
    for platform, card in now.groupby("platform", sort=False):
        card = card.reset_index(drop=True)
        prev = before[before["platform"] == platform]
        rows = list(card[["status", "note", "audience", "platform"]].itertuples(index=False))
        org_ids, names, n = card["org_id"].tolist(), card["name"].tolist(), len(card)
        fixed = {"platform": [platform] * n, "org_id": org_ids, "name": names,
                 "is_self": card["is_self"].astype(bool).tolist(), "status": card["status"].tolist()}
        for metric in BENCHMARK_METRICS:
            if metric == "views" and card["views"].isna().all():
                continue  # the platform does not report views
            values = card[metric].astype("float64")
            rank = metrics.ranks(card, metric)
            leaders = rank.eq(1).fillna(False).to_numpy(dtype=bool)
            leader_value = float(values[leaders].iloc[0]) if leaders.any() else float("nan")
            competitor_avg, landscape_avg = metrics.averages(card, metric)
            prev_rank = dict(zip(prev["org_id"], metrics.ranks(prev, metric).tolist()))
            prev_value = dict(zip(prev["org_id"], prev[metric].astype("float64").tolist()))
            for col, items in fixed.items():
                columns[col] += items
            columns["metric"] += [metric] * n
            columns["value"] += values.tolist()
            columns["rank"] += rank.tolist()
            columns["of"] += [int(rank.notna().sum())] * n
            columns["leader"] += [", ".join(name for name, lead in zip(names, leaders) if lead) or None] * n
            columns["leader_value"] += [leader_value] * n
            columns["gap_to_leader"] += (values - leader_value).tolist()
            columns["value_before"] += [prev_value.get(o, float("nan")) for o in org_ids]
            columns["rank_before"] += [prev_rank.get(o, pd.NA) for o in org_ids]
            columns["competitor_average"] += [competitor_avg] * n
            columns["landscape_average"] += [landscape_avg] * n
            columns["note"] += [_value_note(metric, v, r, view) for v, r in zip(values, rows)]
    # no leader (no value at all) on some platform and metric: None in an object column
    columns["leader"] = pd.Series(columns["leader"], dtype=object if None in columns["leader"] else None)
    frame = pd.DataFrame(columns).reindex(columns=RANK_COLUMNS)
    for col in ("rank", "rank_before"):
        frame[col] = frame[col].astype("Int64")
    frame["of"] = frame["of"].astype("int64")
    frame["rank_change"] = frame["rank_before"] - frame["rank"]
    for col in ("value", "leader_value", "gap_to_leader", "value_before", "competitor_average", "landscape_average"):
        frame[col] = frame[col].astype("float64")
    return frame


def _value_note(metric: str, value, r, view: View) -> str:
    """Why a value is missing, or what to bear in mind reading it (``r``: the scorecard row)."""
    if r.status in (ABSENT, NO_DATA):
        return r.note
    if metric in PERIOD_TOTALS and r.status in (PARTIAL, ADDED):
        return r.note
    if metric in ("follower_growth", "follower_growth_pct") and not formatting.missing(value) and r.status in (PARTIAL, ADDED):
        return (f"Leaves out accounts with no follower count on or before {view.period.start:%d %b %Y} "
                "(metrics.md), so a newly added account does not show up as growth.")
    if metric in ("follower_growth", "follower_growth_pct") and formatting.missing(value):
        if not formatting.missing(r.audience):
            return (f"No follower count on or before {view.period.start:%d %b %Y}: growth leaves out "
                    "accounts that appear mid-period.")
        return "No follower count yet."
    if metric == "engagement_rate" and formatting.missing(value):
        return "No post with a follower count in the period."
    if metric == "audience" and formatting.missing(value):
        return "No follower count yet."
    return r.note if r.platform == ALL else ""


def rank_changes(con, view: View, settings: Settings, company_only: bool = True) -> pd.DataFrame:
    """Who passed whom: for every platform (and all platforms) and alert metric, each pair
    of organizations where one ranked strictly behind the other in the previous period and
    strictly ahead of it now. With ``company_only``, only pairs that involve the company.
    The company's losses come first, then its gains, then the others."""
    return _passes(rank_table(con, view, settings), view, company_only)


def comparison(con, view: View, settings: Settings) -> dict[str, pd.DataFrame]:
    """The rank table and every rank change (``rank_changes`` with all pairs), computed once:
    {"ranks": ..., "changes": ...}."""
    table = rank_table(con, view, settings)
    return {"ranks": table, "changes": _passes(table, view, False)}


def _passes(table: pd.DataFrame, view: View, company_only: bool) -> pd.DataFrame:
    """The passes of ``rank_changes``, from a rank table."""
    # views are reported by one platform or two: across all platforms they repeat those
    table = table[table["metric"].isin(ALERT_METRICS) & ~((table["platform"] == ALL) & (table["metric"] == "views"))]
    out = []
    known = table.dropna(subset=["rank", "rank_before"])
    # plain lists and one numpy comparison per platform and metric (rows of a frame are slow)
    col = {c: known[c].tolist() for c in ("platform", "metric", "org_id", "name", "is_self", "value", "value_before")}
    ranks_now, ranks_before = known["rank"].to_numpy("int64"), known["rank_before"].to_numpy("int64")
    groups: dict[tuple[str, str], list[int]] = {}
    for k, key in enumerate(zip(col["platform"], col["metric"])):
        groups.setdefault(key, []).append(k)
    for (platform, metric), members in groups.items():
        rank, before = ranks_now[members], ranks_before[members]
        # a (row) passed b (column): strictly behind before, strictly ahead now
        passed = (before[:, None] > before[None, :]) & (rank[:, None] < rank[None, :])
        for i, j in zip(*np.nonzero(passed)):
            a, b = members[i], members[j]
            a_self, b_self = col["is_self"][a], col["is_self"][b]
            if company_only and not (a_self or b_self):
                continue
            a_name, b_name = col["name"][a], col["name"][b]
            a_value, b_value, a_before, b_before = col["value"][a], col["value"][b], col["value_before"][a], col["value_before"][b]
            digits = max(_digits(metric, a_value, b_value), _digits(metric, a_before, b_before))
            now_a, now_b = _pair(metric, a_value, b_value, digits)
            before_a, before_b = _pair(metric, a_before, b_before, digits)
            out.append({
                "platform": platform, "metric": metric,
                "passer_id": col["org_id"][a], "passer": a_name, "passed_id": col["org_id"][b], "passed": b_name,
                "company_gained": True if a_self else (False if b_self else None),
                "passer_value": a_value, "passed_value": b_value,
                "passer_value_before": a_before, "passed_value_before": b_before,
                "sentence": (f"{a_name} passed {b_name} on {formatting.label_in_text(metric)} {_on(platform, view)}: "
                             f"{now_a} against {now_b} (previous period: {before_a} against {before_b})."),
            })
    columns = ["platform", "metric", "passer_id", "passer", "passed_id", "passed", "company_gained",
               "passer_value", "passed_value", "passer_value_before", "passed_value_before", "sentence"]
    frame = pd.DataFrame(out, columns=columns)
    if frame.empty:
        return frame
    kind = frame["company_gained"].map({False: 0, True: 1}).fillna(2)
    platforms = {p: i for i, p in enumerate(dict.fromkeys(table["platform"]))}
    order = {m: i for i, m in enumerate(ALERT_METRICS)}
    frame = frame.assign(_k=kind, _p=frame["platform"].map(platforms), _m=frame["metric"].map(order))
    return frame.sort_values(["_k", "_p", "_m", "passer", "passed"]).drop(columns=["_k", "_p", "_m"]).reset_index(drop=True)


def leader_gap(metric: str, value: float, leader_value: float) -> str | None:
    """Value − the leader's value as the cards and the rank table write it, signed: percentage
    points for rates, a duration for times, else the difference and its share of the
    leader's value, each with the digits it needs (1,450 likes behind 2,157,343 is
    "-1,450 (-0.07%)", not "(0%)"); None when either is missing, "Leader" for no gap."""
    if formatting.missing(value) or formatting.missing(leader_value):
        return None
    diff = value - leader_value
    if diff == 0:
        return "Leader"
    sign = "+" if diff > 0 else "-"
    kind = metrics.METRICS[metric].kind
    if kind == "ratio":
        return sign + formatting.first_digits(lambda extra: f"{abs(diff) * 100:.{1 + extra}f}") + " pp"
    if kind == "minutes":
        return sign + formatting.first_digits(lambda extra: formatting.minutes(abs(diff), extra))
    text = sign + formatting.first_digits(lambda extra: formatting.value(metric, abs(diff), extra))
    if leader_value:
        rel = formatting.first_digits(lambda extra: f"{abs(diff) / abs(leader_value) * 100:.{extra}f}", most=2)
        if any(ch in "123456789" for ch in rel):
            text += f" ({sign}{rel}%)"
    return text


def _pair(metric: str, a: float, b: float, digits: int | None = None) -> tuple[str, str]:
    """Two values as users read them, with as many more digits as it takes to tell them apart
    (or ``digits`` more, to write another pair like the first)."""
    digits = _digits(metric, a, b) if digits is None else digits
    return _precise(metric, a, digits), _precise(metric, b, digits)


def _digits(metric: str, a: float, b: float) -> int:
    for digits in (0, 2, 3, 4):
        if a == b or _precise(metric, a, digits) != _precise(metric, b, digits) or formatting.missing(a) or formatting.missing(b):
            return digits
    return 4


def _precise(metric: str, v: float, digits: int) -> str:
    if digits == 0 or formatting.missing(v):
        return formatting.value(metric, v)
    kind = metrics.METRICS[metric].kind
    if kind == "ratio":
        return f"{v * 100:.{digits}f}%"
    if kind == "rate":
        return f"{v:,.{digits}f}/day"
    return f"{v:,.0f}"


# --- Share of voice over time ------------------------------------------------------------

def trend_unit(period_days: int) -> str:
    """Days up to two weeks, weeks (from Monday) up to four months, months beyond."""
    return "day" if period_days <= 14 else "week" if period_days <= 124 else "month"


def share_of_voice_trend(con, view: View, settings: Settings) -> pd.DataFrame:
    """Share of voice (engagement) per organization in each day, week or month of the period
    (``trend_unit``): its engagements in that stretch / all selected organizations'.
    Stretches without any engagement are left out; an organization's share is NaN in the
    stretches that begin before its data on one of its platforms starts (see ``coverage``),
    and throughout when one of its accounts holds no data; organizations on none of the
    view's platforms are left out."""
    unit = trend_unit(view.period.days)
    sql, params = metrics._posts_in_period(view, settings)
    frame = con.execute(
        sql + """
        SELECT org_id, date_trunc($unit, local_day)::DATE AS bucket, sum(engagements) AS engagements
        FROM period_posts GROUP BY ALL
        """,
        {**params, "unit": unit},
    ).df()
    orgs = metrics.organizations(con, view)
    columns = ["bucket", "start", "end", "org_id", "name", "is_self", "engagements", "share_of_voice"]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    frame["bucket"] = pd.to_datetime(frame["bucket"]).dt.date
    frame["engagements"] = frame["engagements"].astype("float64")
    buckets = sorted(frame["bucket"].unique())
    grid = pd.MultiIndex.from_product([buckets, orgs["org_id"]], names=["bucket", "org_id"]).to_frame(index=False)
    frame = grid.merge(frame, on=["bucket", "org_id"], how="left").merge(orgs, on="org_id")
    frame["engagements"] = frame["engagements"].fillna(0.0)
    totals = frame.groupby("bucket")["engagements"].transform("sum")
    frame["share_of_voice"] = frame["engagements"] / totals
    frame["start"] = frame["bucket"].map(lambda b: max(b, view.period.start))
    frame["end"] = frame["bucket"].map(lambda b: min(_bucket_end(b, unit), view.period.end))
    # before all of an organization's accounts have data, its share would read as a fall
    complete = _data_since(coverage(con, view, settings))
    frame = frame[frame["org_id"].isin(list(complete))].copy()  # organizations on none of the platforms
    unknown = [complete[org] is None or start < complete[org] for org, start in zip(frame["org_id"], frame["start"])]
    frame.loc[unknown, ["engagements", "share_of_voice"]] = float("nan")
    return frame.reindex(columns=columns).sort_values(["bucket", "is_self", "name"], ascending=[True, False, True]).reset_index(drop=True)


def _bucket_end(start: dt.date, unit: str) -> dt.date:
    if unit == "day":
        return start
    if unit == "week":
        return start + dt.timedelta(days=6)
    nxt = dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def _data_since(cov: pd.DataFrame) -> dict:
    """Per organization, the first day from which it has data on every platform it is on
    (an account added beside older ones does not count); None when one of its accounts
    holds no data at all."""
    out = {}
    for org, mine in cov[cov["status"] != ABSENT].groupby("org_id"):
        if (mine["accounts_with_data"] < mine["accounts"]).any():
            out[org] = None
        else:
            out[org] = max(mine["data_since"])
    return out


# --- Top posts ----------------------------------------------------------------------------

def top_posts(con, view: View, settings: Settings, rank_by: str = "engagements", search: str = "",
              limit: int = 200) -> pd.DataFrame:
    """The period's original posts of the selected organizations' official accounts with the
    most ``rank_by`` (one of POST_RANKINGS), optionally only those whose text contains
    ``search`` (case-insensitive): organization, platform, local day, text, link (only an
    http(s) URL), likes, engagements, the post's engagement rate (metrics.md) and views."""
    if rank_by not in POST_RANKINGS:
        raise ValueError(f"cannot rank posts by {rank_by!r}")
    sql, params = metrics._posts_in_period(view, settings, counts=metrics._official_counts(con))
    frame = con.execute(
        sql + f"""
        SELECT org.name AS organization, r.org_id, r.platform, r.local_day AS day, r.created_at,
               p.text,
               CASE WHEN lower(trim(p.url)) LIKE 'https://%' OR lower(trim(p.url)) LIKE 'http://%'
                    THEN trim(p.url) END AS link,
               r.likes, r.engagements, r.engagement_rate, r.followers_at_post, r.views
        FROM rated r
        -- the period's bounds again (implied by the key): the scan of posts then reads texts
        -- and links of the period's rows only, not of millions (0.1 s on the large demo)
        JOIN posts p ON p.platform = r.platform AND p.post_id = r.post_id
                    AND p.created_at >= $t0 AND p.created_at < $t1
        JOIN organizations org ON org.org_id = r.org_id
        WHERE $search = '' OR contains(lower(coalesce(p.text, '')), lower($search))
        ORDER BY r.{rank_by} DESC NULLS LAST, r.created_at DESC, r.post_id
        LIMIT $limit
        """,
        {**params, "search": search.strip(), "limit": int(limit)},
    ).df()
    frame["day"] = pd.to_datetime(frame["day"]).dt.date
    return frame


# --- Charts' helpers ------------------------------------------------------------------------

def averages_table(con, view: View, settings: Settings) -> pd.DataFrame:
    """Per platform (``ALL`` first) and benchmark metric: the company's value and rank, the
    competitor average (the company left out) and the landscape average (the company in)."""
    table = rank_table(con, view, settings)
    keys = ["platform", "metric"]
    avg = table.groupby(keys, sort=False)[["competitor_average", "landscape_average", "of"]].first().reset_index()
    mine = table.loc[table["is_self"], keys + ["value", "rank"]].rename(columns={"value": "company_value", "rank": "company_rank"})
    return avg.merge(mine, on=keys, how="left")
