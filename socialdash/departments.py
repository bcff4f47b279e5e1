"""Departments: who carries the company's social presence, how evenly, at what cost
(metrics.md "Departments"), and the employees who take part with their own accounts.

Built on ``metrics.department_contributions``, ``metrics.coop_index`` and
``metrics.organisation_model``: every share, index and model here is theirs.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

import pandas as pd

from socialdash import formatting, metrics
from socialdash.config import Settings
from socialdash.period import Period
from socialdash.viewstate import View

# What each organisation model means (after Altimeter's models of social business).
MODEL_MEANINGS = {
    "centralized": "One department runs the company's social media; the others barely take part.",
    "hub_and_spoke": "One department leads as the hub, and several others publish and answer "
                     "as its spokes.",
    "dandelion": "Several departments are hubs of their own, each with its accounts and people, "
                 "under shared rules.",
    "honeycomb": "Every department takes part and none dominates: social media is run as a co-op.",
    "organic": "Departments take part unevenly, with no clear hub and no even spread: activity "
               "happens where teams start it, without a shared structure.",
}
# The next model on the way to a co-op (honeycomb), for each model.
NEXT_MODEL = {"centralized": "hub_and_spoke", "hub_and_spoke": "dandelion", "dandelion": "honeycomb"}


def _pct(share: float, threshold: float) -> str:
    """A share beside the threshold it is compared with: one decimal, more where it would
    otherwise read as the threshold itself (34.96 % is not "35.0 %" below 35 %)."""
    decimals = formatting.decimals_apart([[share, threshold]], 1, 100)
    return f"{share * 100:.{decimals}f} %"


def next_step(names: list[str], shares: list[float]) -> tuple[str | None, str]:
    """The next organisation model towards a co-op and what, in the current shares, would
    move the company there (the thresholds of metrics.md). ``names`` and ``shares`` cover
    every configured department."""
    ranked = sorted(zip(shares, names), key=lambda x: (-x[0], x[1]))
    model = metrics.organisation_model(shares)
    if model is None:
        return None, "No department contributed in the period, so there is no model to improve on."
    n = len(ranked)
    (top_share, top_name) = ranked[0]
    others = ranked[1:]
    if model == "honeycomb":
        need = math.ceil(0.75 * n)
        return None, (f"This is the most distributed model. It holds while the top department "
                      f"({top_name}, {_pct(top_share, 0.35)}) stays below 35 % and at least {need} of the "
                      f"{n} departments contribute 2 % or more each.")
    target = NEXT_MODEL.get(model)
    if target is None:  # organic: towards the nearest structured model
        target = "hub_and_spoke" if top_share >= 0.5 else "dandelion"
    label = metrics.ORGANISATION_MODELS[target]
    if target == "hub_and_spoke":
        spokes = [name for s, name in others if s >= 0.05]
        conditions = []
        if top_share >= 0.80:
            conditions.append(f"{top_name} would have to fall below 80 % of contributions "
                              f"(now {_pct(top_share, 0.80)})")
        if len(spokes) < 3:
            now = f"now {len(spokes)}" + (f": {', '.join(spokes)}" if spokes else "")
            conditions.append(f"at least three other departments would have to reach 5 % each ({now})")
        return target, f"To move to {label}, " + " and ".join(conditions) + "."
    if target == "dandelion":
        second_share, second_name = others[0] if others else (0.0, "no other department")
        conditions = []
        if top_share >= 0.50:
            conditions.append(f"{top_name} would have to fall below 50 % (now {_pct(top_share, 0.50)})")
        if second_share < 0.20:
            conditions.append(f"a second department would have to reach 20 % (the next is {second_name} "
                              f"at {_pct(second_share, 0.20)})")
        return target, f"To move to {label}, " + " and ".join(conditions) + "."
    # honeycomb
    need = math.ceil(0.75 * n)
    taking_part = sum(1 for s, _ in ranked if s >= 0.02)
    conditions = []
    if top_share >= 0.35:
        conditions.append(f"{top_name} would have to fall below 35 % (now {_pct(top_share, 0.35)})")
    if taking_part < need:
        conditions.append(f"at least {need} of the {n} departments would have to contribute 2 % or more "
                          f"each (now {taking_part})")
    return target, f"To move to {label}, " + " and ".join(conditions) + "."


def coop_summary(con, view: View, settings: Settings) -> dict:
    """The company's co-op index and organisation model for the period (company-wide:
    every configured department, whatever the departments filter), what the model means
    and what would move the company to the next one."""
    result = metrics.coop(con, view, settings)
    depts = result["departments"]
    model = result["model"]
    nxt, sentence = next_step(depts["name"].tolist(), depts["share"].fillna(0).tolist()) if model else (None, "")
    return {
        "coop_index": None if result["coop_index"] is None else result["coop_index"] + 0.0,
        "model": model,
        "model_label": metrics.ORGANISATION_MODELS.get(model) if model else None,
        "meaning": MODEL_MEANINGS.get(model, ""),
        "next_model": nxt,
        "next_model_label": metrics.ORGANISATION_MODELS.get(nxt) if nxt else None,
        "next_step": sentence,
        "departments": len(depts),
        "contributions": int(depts["contributions"].sum()) if len(depts) else 0,
    }


# --- The contribution matrix -------------------------------------------------------------

def contribution_matrix(con, view: View, settings: Settings) -> pd.DataFrame:
    """One row per department of the departments filter (all when none is chosen):
    ``metrics.department_contributions`` (posts, responses, contributions, share of all
    departments' contributions, engagements earned, median response time, budget for the
    period, cost per engagement) with the posts split by source."""
    frame = metrics.department_contributions(con, view, settings)
    if view.departments:
        frame = frame[frame["department_id"].isin(view.departments)]
    return frame.reset_index(drop=True)


# --- An empty period -----------------------------------------------------------------------

# The company's accounts on the selected platforms and every instant the warehouse holds
# something of them: a post (replies included) or an inbound item.
_COMPANY_TIMES = """
    WITH ours AS (
        SELECT a.account_id FROM accounts a JOIN organizations o ON o.org_id = a.org_id AND o.is_self
        WHERE len($platforms) = 0 OR list_contains($platforms, a.platform)
    ),
    times AS (
        SELECT created_at AS t FROM posts WHERE account_id IN (SELECT account_id FROM ours)
        UNION ALL
        SELECT received_at AS t FROM interactions WHERE account_id IN (SELECT account_id FROM ours)
    )
"""


def has_data(con, view: View, settings: Settings) -> bool:
    """Whether the warehouse holds anything of the company in the period on the selected
    platforms (a post or an inbound item). Without it every count of the page would be a
    zero that says nothing about the departments, so the page says there is no data."""
    t0, t1 = view.period.bounds(settings.timezone)
    row = con.execute(
        _COMPANY_TIMES + "SELECT EXISTS (SELECT 1 FROM times WHERE t >= $t0 AND t < $t1)",
        {"platforms": list(view.platforms), "t0": t0, "t1": t1},
    ).fetchone()
    return bool(row and row[0])


def data_span(con, view: View, settings: Settings) -> tuple[dt.date, dt.date] | None:
    """The first and last local day with a post or an inbound item of the company on the
    selected platforms; None when there is none at all."""
    row = con.execute(
        # the local days of the bare first and last instants: one conversion each, not one a row
        _COMPANY_TIMES + "SELECT timezone($tz, min(t))::DATE, timezone($tz, max(t))::DATE FROM times",
        {"platforms": list(view.platforms), "tz": settings.timezone},
    ).fetchone()
    return None if row is None or row[0] is None else (row[0], row[1])


def no_data_message(period: Period, span: tuple[dt.date, dt.date] | None) -> str:
    """What the page says for a period without any data of the company (plain text)."""
    text = f"No data for {period.label()}"
    if span is None:
        return text + ": the warehouse holds no post and no inbound item of the company yet."
    first, last = span
    where = f"the company's posts and inbound items run from {first:%d %b %Y} to {last:%d %b %Y}"
    if period.end < first:
        return f"{text}: {where}. Choose a later period."
    if period.start > last:
        return f"{text}: {where}. Choose an earlier period."
    return f"{text} on the selected platforms: {where}."


# --- Over time ---------------------------------------------------------------------------

MAX_BUCKETS = 16


@dataclasses.dataclass(frozen=True)
class Bucket:
    period: Period
    grain: str  # day / week / month / quarter / year

    @property
    def label(self) -> str:
        """How the bucket reads on a chart axis: its days, as clipped to the period."""
        s, e = self.period.start, self.period.end
        if self.grain == "day":
            return f"{s:%a %d %b}"
        if self.grain == "week":
            return f"{s:%d %b}" if s == e else f"{s:%d %b}–{e:%d %b}"
        if self.grain == "month":
            whole = s.day == 1 and _grain_next(s, "month") - dt.timedelta(days=1) == e
            return f"{s:%b %Y}" if whole else f"{s:%d}–{e:%d %b %Y}"
        name = f"Q{(s.month - 1) // 3 + 1} {s.year}" if self.grain == "quarter" else str(s.year)
        clipped = []
        if s != _grain_start(s, self.grain):
            clipped.append(f"from {s:%d %b}")
        if _grain_next(_grain_start(e, self.grain), self.grain) - dt.timedelta(days=1) != e:
            clipped.append(f"to {e:%d %b}")
        return name + (f" ({', '.join(clipped)})" if clipped else "")


def axis_label(label: str) -> str:
    """A bucket's label on a chart axis, on two lines (Plotly's <br>), so that up to
    ``MAX_BUCKETS`` labels stay horizontal across a full-width chart instead of turning."""
    for mark, broken in (("–", "–<br>"), (" (", "<br>(")):
        if mark in label:
            return label.replace(mark, broken, 1)
    if label[:3].isalpha() and label[3:4] == " " and label[4:5].isdigit():  # a day: "Mon 05 Jan"
        return label[:3] + "<br>" + label[4:]
    return label


def time_buckets(period: Period, max_buckets: int = MAX_BUCKETS) -> list[Bucket]:
    """The period cut into calendar days, weeks (Monday to Sunday), months, quarters or
    years, the finest grain that gives at most ``max_buckets``; the first and last are
    clipped to the period."""
    for grain in ("day", "week", "month", "quarter", "year"):
        starts = []
        day = _grain_start(period.start, grain)
        while day <= period.end:
            starts.append(day)
            day = _grain_next(day, grain)
        if len(starts) <= max_buckets or grain == "year":
            buckets = []
            for i, s in enumerate(starts):
                e = (starts[i + 1] - dt.timedelta(days=1)) if i + 1 < len(starts) else period.end
                buckets.append(Bucket(Period(max(s, period.start), min(e, period.end)), grain))
            return buckets
    raise AssertionError("unreachable")


def _grain_start(day: dt.date, grain: str) -> dt.date:
    if grain == "day":
        return day
    if grain == "week":
        return day - dt.timedelta(days=day.weekday())
    if grain == "month":
        return day.replace(day=1)
    if grain == "quarter":
        return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return dt.date(day.year, 1, 1)


def _grain_next(day: dt.date, grain: str) -> dt.date:
    if grain == "day":
        return day + dt.timedelta(days=1)
    if grain == "week":
        return day + dt.timedelta(days=7)
    months = {"month": 1, "quarter": 3, "year": 12}[grain]
    total = day.year * 12 + day.month - 1 + months
    return dt.date(total // 12, total % 12 + 1, 1)


def coop_over_time(con, view: View, settings: Settings) -> pd.DataFrame:
    """Shares of contribution, the co-op index and the organisation model per time bucket
    of the period (``time_buckets``): one row per bucket and department, each bucket
    computed by ``metrics.department_contributions`` over its own days; the index and
    model (company-wide, N = the configured departments) repeated on every row of the
    bucket. All configured departments are returned; the page shows the filtered ones."""
    rows = []
    buckets = time_buckets(view.period)
    per_bucket = metrics.department_contributions_over(con, view, settings, tuple(b.period for b in buckets))
    for bucket, depts in zip(buckets, per_bucket):
        total = depts["contributions"].sum()
        index = metrics.coop_index(depts["share"].tolist(), len(depts)) if total else None
        index = None if index is None else index + 0.0  # one department alone: 0, not −0
        model = metrics.organisation_model(depts["share"].tolist()) if total else None
        for row in depts.itertuples():
            rows.append({
                "bucket_start": bucket.period.start, "bucket_end": bucket.period.end, "grain": bucket.grain,
                "bucket": bucket.label,
                "department_id": row.department_id, "name": row.name,
                "contributions": int(row.contributions), "share": row.share,
                "coop_index": index, "model": model,
            })
    columns = ["bucket_start", "bucket_end", "grain", "bucket", "department_id", "name", "contributions", "share",
               "coop_index", "model"]
    return pd.DataFrame(rows, columns=columns)


# --- Employee advocacy ----------------------------------------------------------------------

# Each person belongs to one department: the one most of their accounts carry (ties: the
# first department id), so nobody is counted twice even if the warehouse still holds an
# account from before a move between departments.
_PEOPLE = """
    WITH person_accounts AS (
        SELECT a.account_id, a.person, a.platform, a.handle, a.department_id
        FROM accounts a JOIN organizations o ON o.org_id = a.org_id AND o.is_self
        WHERE a.person IS NOT NULL AND a.department_id IS NOT NULL
    ),
    person_department AS (
        SELECT person, department_id
        FROM (SELECT person, department_id,
                     row_number() OVER (PARTITION BY person ORDER BY count(*) DESC, department_id) AS rank
              FROM person_accounts GROUP BY person, department_id)
        WHERE rank = 1
    ),
    shown_accounts AS (
        SELECT pa.account_id, pa.person, pa.platform, pa.handle, pd.department_id
        FROM person_accounts pa JOIN person_department pd USING (person)
        WHERE len($platforms) = 0 OR list_contains($platforms, pa.platform)
    ),
    person_posts AS (
        SELECT s.person, count(p.post_id) AS posts,
               coalesce(sum(p.likes + p.comments + p.shares), 0) AS engagements
        FROM shown_accounts s
        LEFT JOIN posts p ON p.account_id = s.account_id AND NOT p.is_reply
             AND p.created_at >= $t0 AND p.created_at < $t1
        GROUP BY s.person
    ),
    people AS (
        SELECT s.person, any_value(s.department_id) AS department_id,
               string_agg(s.platform || ': ' || s.handle, ', ' ORDER BY s.platform, s.handle) AS accounts,
               any_value(pp.posts) AS posts, any_value(pp.engagements) AS engagements
        FROM shown_accounts s JOIN person_posts pp USING (person)
        GROUP BY s.person
    )
"""


def advocates(con, view: View, settings: Settings) -> pd.DataFrame:
    """The people of the configuration with their own accounts on the selected platforms:
    name, department, accounts, and their original posts of the period and the engagements
    those earned; ``active`` = at least one original post in the period. Only what the
    configuration says about a person (name, department, accounts) is returned."""
    t0, t1 = view.period.bounds(settings.timezone)
    frame = con.execute(
        _PEOPLE + """
        SELECT pe.person, pe.department_id, d.name AS department, pe.accounts,
               pe.posts, pe.engagements, pe.posts > 0 AS active
        FROM people pe JOIN departments d USING (department_id)
        WHERE len($departments) = 0 OR list_contains($departments, pe.department_id)
        ORDER BY pe.posts DESC, pe.engagements DESC, pe.person
        """,
        {"platforms": list(view.platforms), "t0": t0, "t1": t1, "departments": list(view.departments)},
    ).df()
    return frame


def advocacy(con, view: View, settings: Settings) -> pd.DataFrame:
    """Employee advocacy per department (of the departments filter): people with their own
    accounts, people active in the period (at least one original post), participation rate
    = active / people, their original posts and the engagements those earned. Each person
    is counted once, in their one department."""
    t0, t1 = view.period.bounds(settings.timezone)
    frame = con.execute(
        _PEOPLE + """
        SELECT d.department_id, d.name,
               count(pe.person) AS people,
               count(pe.person) FILTER (WHERE pe.posts > 0) AS active,
               coalesce(sum(pe.posts), 0) AS posts,
               coalesce(sum(pe.engagements), 0) AS engagements
        FROM departments d LEFT JOIN people pe USING (department_id)
        WHERE len($departments) = 0 OR list_contains($departments, d.department_id)
        GROUP BY d.department_id, d.name
        ORDER BY people DESC, d.name
        """,
        {"platforms": list(view.platforms), "t0": t0, "t1": t1, "departments": list(view.departments)},
    ).df()
    for col in ("people", "active", "posts", "engagements"):
        frame[col] = frame[col].astype("int64")
    frame["participation_rate"] = frame["active"] / frame["people"].where(frame["people"] > 0)
    return frame


FORMULAS = {
    "posts": "Original posts (replies excluded) created in the period whose department is this one: "
             "COALESCE(attributed department, account's department) — its own accounts, its people's "
             "own accounts and brand posts attributed to it by a signature.",
    "posts_own_accounts": "Original posts of the department's own official accounts.",
    "posts_people": "Original posts of its people's own accounts (each person in their one department).",
    "posts_attributed": "Brand posts whose text matched one of the department's signatures.",
    "responses": "Inbound items received in the period that the department answered (any response time).",
    "contributions": "Original posts + responses.",
    "share": "The department's contributions / all departments' contributions.",
    "engagements": "Σ (likes + comments + shares) of the department's original posts of the period.",
    "median_response_minutes": "Median (continuous) of first response − received over the items it answered.",
    "budget_for_period": "Annual budget × days in the period / 365.",
    "cost_per_engagement": "Annual budget × (days in the period / 365) / engagements earned.",
    "model": "From the shares of contribution, checked in this order: Centralized (top department ≥ 80 %); "
             "Hub and spoke (top 50–80 % and at least three others ≥ 5 % each); Honeycomb (at least 75 % "
             "of departments ≥ 2 % each and top < 35 %); Dandelion (at least two departments ≥ 20 % each); "
             "Organic (anything else).",
    "people": "People of the configuration with at least one own account on the selected platforms.",
    "active": "People with at least one original post in the period.",
    "participation_rate": "Active people / people with own accounts.",
    "advocacy_posts": "Original posts of the people's own accounts in the period.",
    "advocacy_engagements": "Σ (likes + comments + shares) of those posts.",
}
