"""Shared goals (metrics.md "Goals"): each goal's actual, progress and status.

A goal measures the company over its own period up to today (or its end); where it names
departments, content metrics use the posts whose department is one of them (their people's
included), audience metrics their own accounts, response metrics the items addressed to
their own accounts or answered by them; ``share_of_voice`` and ``coop_index`` are
company-wide whatever the departments. Every figure comes from ``socialdash.metrics``.
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from socialdash import formatting, metrics
from socialdash.config import Settings
from socialdash.period import Period
from socialdash.viewstate import View

STATUSES = ("achieved", "on track", "at risk", "off track", "not started")
CUMULATIVE = frozenset({"follower_growth", "likes", "engagements", "posts"})
LOWER_IS_BETTER = frozenset({"median_response_minutes"})
COMPANY_WIDE = frozenset({"share_of_voice", "coop_index"})
AT_RISK_POINTS = 0.10  # cumulative: at most 10 points below the pace
AT_RISK_LEVEL = 0.90   # level: progress of at least 90 %
_EPS = 1e-9            # progress and pace are compared as written, not as rounded floats

# The metric behind each goal metric (METRICS keys), for labels, formulas and formats.
METRIC_KEYS = {"followers": "audience"}
_CONTENT = ("likes", "engagements", "posts", "engagement_rate")
_AUDIENCE = ("followers", "follower_growth")
_RESPONSES = ("median_response_minutes", "response_rate", "sla_attainment")


def metric_key(goal_metric: str) -> str:
    """The ``metrics.METRICS`` key of a goal metric (``followers`` is the audience)."""
    return METRIC_KEYS.get(goal_metric, goal_metric)


def metric_label(goal_metric: str) -> str:
    return "Followers" if goal_metric == "followers" else metrics.METRICS[metric_key(goal_metric)].label


def scope_text(goal_metric: str, departments: tuple[str, ...]) -> str:
    """How a goal metric is scoped to the goal's departments (metrics.md "Goals")."""
    if goal_metric in COMPANY_WIDE or not departments:
        return "The whole company."
    if goal_metric in _CONTENT:
        return ("The company's posts whose department (attributed, else the account's) is one of the "
                "goal's departments, their people's own posts included.")
    if goal_metric in _AUDIENCE:
        return "The goal's departments' own official accounts."
    return "Inbound items addressed to the goal's departments' own accounts or answered by those departments."


def formula(goal_metric: str) -> str:
    """The metric's formula, how progress is computed and how the status is judged."""
    base = metrics.METRICS[metric_key(goal_metric)].formula
    base = base.replace(" on the selected platforms", " on every platform")
    if goal_metric == "followers":
        base = base.replace("the period's last day", "the last day counted (today, or the goal's end)")
    if goal_metric in LOWER_IS_BETTER:
        progress = "Progress = target / actual (lower is better)."
    else:
        progress = "Progress = actual / target."
    if goal_metric in CUMULATIVE:
        judged = ("Cumulative: achieved at progress ≥ 100 %; on track at progress ≥ the share of the goal's "
                  "days elapsed (start to today, both included); at risk up to 10 points below that; "
                  "off track otherwise.")
    else:
        judged = "Level: achieved at progress ≥ 100 %; at risk at ≥ 90 %; off track otherwise."
    return f"{base} {progress} {judged}"


def company_id(con) -> str | None:
    row = con.execute("SELECT org_id FROM organizations WHERE is_self ORDER BY org_id LIMIT 1").fetchone()
    return row[0] if row else None


def _row(frame: pd.DataFrame, org_id: str) -> dict | None:
    rows = frame[frame["org_id"] == org_id]
    return rows.iloc[0].to_dict() if len(rows) else None


def _number(value) -> float | None:
    if value is None:
        return None
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(value) else value


def goal_actual(con, settings: Settings, metric: str, departments: tuple[str, ...], period: Period,
                now: dt.datetime) -> float | None:
    """The goal metric over ``period`` (the goal's days up to the day counted), for the
    company, scoped to ``departments`` as metrics.md says; None where there is no value
    (no company, no follower count, no response, no contribution)."""
    company = company_id(con)
    if company is None:
        return None
    scope = tuple(departments) if departments and metric not in COMPANY_WIDE else None
    ours = View(period, orgs=(company,))
    if metric in _AUDIENCE:
        row = _row(metrics.audience(con, ours, settings, departments=scope), company)
        value = row and row["audience" if metric == "followers" else "follower_growth"]
        return _number(value)
    if metric in _CONTENT:
        row = _row(metrics.content(con, ours, settings, departments=scope,
                                   with_rate=metric == "engagement_rate"), company)
        if row is None:  # no post at all: counts are zero, the rate has no value
            return None if metric == "engagement_rate" else 0.0
        return _number(row[metric]) if metric == "engagement_rate" else (_number(row[metric]) or 0.0)
    if metric in _RESPONSES:
        row = _row(metrics.responsiveness(con, ours, settings, now, departments=scope), company)
        return _number(row[metric]) if row else None
    if metric == "share_of_voice":  # against every tracked organization, all platforms
        row = _row(metrics.content(con, View(period), settings, with_rate=False), company)
        return _number(row["share_of_voice"]) if row else None
    if metric == "coop_index":
        return _number(metrics.coop(con, View(period), settings)["coop_index"])
    raise ValueError(f"unknown goal metric {metric!r}")


def progress_of(metric: str, actual: float | None, target: float) -> float | None:
    """actual / target, or target / actual where lower is better; None without an actual."""
    if actual is None:
        return None
    if metric in LOWER_IS_BETTER:
        if actual <= 0:
            return math.inf if target > 0 else None
        return target / actual
    if target == 0:
        return math.inf if actual > 0 else 1.0
    return actual / target


def judge(metric: str, progress: float | None, elapsed_share: float) -> str:
    """The status of a goal whose period has begun (metrics.md): cumulative metrics
    against the pace of the whole days elapsed, level metrics as they stand. A goal
    without an actual value is off track."""
    if progress is None:
        return "off track"
    if progress >= 1 - _EPS:
        return "achieved"
    if metric in CUMULATIVE:
        if progress >= elapsed_share - _EPS:
            return "on track"
        if progress >= elapsed_share - AT_RISK_POINTS - _EPS:
            return "at risk"
        return "off track"
    return "at risk" if progress >= AT_RISK_LEVEL - _EPS else "off track"


def _goals(con) -> pd.DataFrame:
    return con.execute(
        """SELECT goal_id, title, metric, target, period_start, period_end,
                  coalesce(departments, []::VARCHAR[]) AS departments
           FROM goals ORDER BY period_start, goal_id"""
    ).df()


def goal_progress(con, settings: Settings, today: dt.date, now: dt.datetime) -> pd.DataFrame:
    """One row per goal: goal_id, title, metric, target, period_start, period_end,
    departments (tuple of ids), actual, progress, status (one of ``STATUSES``), with
    days_elapsed, days_total, elapsed_share (= pace for cumulative metrics), kind
    (cumulative / level) and counted_to (the last day counted)."""
    goals = _goals(con)
    rows = []
    for g in goals.itertuples():
        period = Period(_date(g.period_start), _date(g.period_end))
        depts = tuple(g.departments) if g.departments is not None else ()
        kind = "cumulative" if g.metric in CUMULATIVE else "level"
        elapsed = period.elapsed_days(today)
        row = {
            "goal_id": g.goal_id, "title": g.title, "metric": g.metric, "target": float(g.target),
            "period_start": period.start, "period_end": period.end, "departments": depts,
            "kind": kind, "days_elapsed": elapsed, "days_total": period.days,
            "elapsed_share": elapsed / period.days, "counted_to": None,
            "actual": None, "progress": None, "status": "not started",
        }
        if elapsed > 0:
            counted = Period(period.start, min(today, period.end))
            actual = goal_actual(con, settings, g.metric, depts, counted, now)
            progress = progress_of(g.metric, actual, float(g.target))
            row.update(counted_to=counted.end, actual=actual, progress=progress,
                       status=judge(g.metric, progress, elapsed / period.days))
        rows.append(row)
    columns = ["goal_id", "title", "metric", "target", "period_start", "period_end", "departments",
               "actual", "progress", "status", "kind", "days_elapsed", "days_total", "elapsed_share",
               "counted_to"]
    frame = pd.DataFrame(rows, columns=columns)
    for col in ("actual", "progress"):
        frame[col] = frame[col].astype("float64")
    return frame


def _date(value) -> dt.date:
    return value.date() if isinstance(value, (pd.Timestamp, dt.datetime)) else value


def shared_by(frame: pd.DataFrame, departments: tuple[str, ...]) -> pd.DataFrame:
    """The goals that at least one of ``departments`` shares (all goals when none is given)."""
    if not departments:
        return frame
    wanted = set(departments)
    shared = [bool(wanted & set(ds or ())) for ds in frame["departments"]]
    return frame.loc[pd.Series(shared, index=frame.index, dtype=bool)].reset_index(drop=True)


def goal_series(con, settings: Settings, goal_id: str, today: dt.date, now: dt.datetime,
                max_points: int = 32) -> pd.DataFrame:
    """The goal's metric as it stood on days of its period up to today (each value is the
    goal's actual counted from the start to that day, so the last one is the actual),
    at most ``max_points`` days with the last counted day always included; with the
    target and, for cumulative metrics, the pace (target × share of the days elapsed)
    on every day of the period from the start to the end."""
    goals = _goals(con)
    goal = goals[goals["goal_id"] == goal_id]
    columns = ["day", "actual", "target", "pace"]
    if goal.empty:
        return pd.DataFrame(columns=columns)
    g = goal.iloc[0]
    period = Period(_date(g["period_start"]), _date(g["period_end"]))
    depts = tuple(g["departments"]) if g["departments"] is not None else ()
    target = float(g["target"])
    cumulative = g["metric"] in CUMULATIVE
    last = min(today, period.end)
    counted_days = (last - period.start).days + 1 if today >= period.start else 0
    step = max(1, math.ceil(counted_days / max_points))
    points = {last - dt.timedelta(days=k * step) for k in range(math.ceil(counted_days / step))} if counted_days else set()
    actuals = _actuals_on(con, settings, g["metric"], depts, period.start, sorted(points), now)
    rows = []
    day = period.start
    while day <= period.end:
        actual = actuals.get(day) if day in points else None
        pace = target * ((day - period.start).days + 1) / period.days if cumulative else None
        rows.append({"day": day, "actual": actual, "target": target, "pace": pace})
        day += dt.timedelta(days=1)
    frame = pd.DataFrame(rows, columns=columns)
    for col in ("actual", "target", "pace"):
        frame[col] = frame[col].astype("float64")
    return frame


def _actuals_on(con, settings: Settings, metric: str, departments: tuple[str, ...], start: dt.date,
                days: list[dt.date], now: dt.datetime) -> dict[dt.date, float | None]:
    """``goal_actual`` over the days from ``start`` to each of ``days``: audience and
    cumulative content metrics in one query each (a series has up to 32 points), the
    others point by point."""
    company = company_id(con) if days else None
    if company is None:
        return {}
    scope = tuple(departments) if departments and metric not in COMPANY_WIDE else None
    ours = View(Period(start, max(days)), orgs=(company,))
    if metric in _AUDIENCE:
        frame = metrics.audience_on_days(con, ours, settings, tuple(days), departments=scope)
        frame = frame[frame["org_id"] == company]
        column = "audience" if metric == "followers" else "follower_growth"
        found = {_date(d): _number(v) for d, v in zip(frame["day"], frame[column])}
        return {day: found.get(day) for day in days}
    if metric in CUMULATIVE:  # posts, likes, engagements: sums over the posts up to each local day
        sql, params = metrics._posts_in_period(ours, settings, departments=scope)
        daily = con.execute(
            sql + """
            SELECT local_day, count(*) AS posts, sum(likes) AS likes, sum(engagements) AS engagements
            FROM period_posts WHERE org_id = $company GROUP BY local_day
            """,
            {**params, "company": company},
        ).df()
        per_day = dict(zip((_date(d) for d in daily["local_day"]), daily[metric].astype("float64")))
        out, total = {}, 0.0
        for day in sorted(set(per_day) | set(days)):
            total += per_day.get(day, 0.0)
            if day in days:
                out[day] = total
        return out
    return {day: goal_actual(con, settings, metric, departments, Period(start, day), now) for day in days}


# --- How a goal reads ------------------------------------------------------------------------

def progress_texts(progress, elapsed_share: float, kind: str) -> tuple[str, str]:
    """Progress and pace as percentages, uncapped (an over-achieved goal reads "105%"),
    with the fewest decimals at which progress reads differently from what it is judged
    against when it differs: 100 % (achieved), the pace (cumulative) or 90 % (level), so
    that 99.9 % never reads "100%" beside a status that is not achieved. Pace "—" for a
    level goal; progress "—" without a value (not started, no actual, or no finite
    progress)."""
    pace = elapsed_share if kind == "cumulative" else None
    limits = [1.0, pace if pace is not None else AT_RISK_LEVEL]
    finite = progress is not None and not (isinstance(progress, float) and not math.isfinite(progress))
    decimals = formatting.decimals_apart([[progress, limit] for limit in limits], 0, 100) if finite else 0
    progress_text = f"{progress * 100:.{decimals}f}%" if finite else "—"
    pace_text = "—" if pace is None else f"{pace * 100:.{decimals if finite else 0}f}%"
    return progress_text, pace_text


def period_text(start: dt.date, end: dt.date) -> str:
    """A goal's period as a narrow table column wraps it: one date a line."""
    return f"{start:%d %b %Y} – {end:%d %b %Y}"
