""""Where we stand" in words: where the company leads, where it trails, and by how much."""

from __future__ import annotations

import dataclasses

import pandas as pd

from socialdash import formatting, metrics

# The overview's headline figures (and the brief's), in their order.
KPIS = (
    "audience", "follower_growth_pct", "likes", "engagement_rate",
    "share_of_voice", "median_response_minutes", "sla_attainment", "coop_index",
)
CHANGE = "Change: against the previous period of equal length."

HEADLINE_METRICS = (
    "audience", "follower_growth_pct", "likes", "engagement_rate", "share_of_voice",
    "median_response_minutes", "sla_attainment",
)


@dataclasses.dataclass(frozen=True)
class Standing:
    metric: str
    rank: int
    of: int
    leads: bool
    sentence: str


def standings(card: pd.DataFrame, metric_keys=HEADLINE_METRICS) -> list[Standing]:
    """One sentence per metric the company can be ranked on among the selected organizations,
    as Markdown with every name escaped. Values that differ read differently
    (``formatting.distinct``); no organization name takes a possessive ("Contoso Airlines's")."""
    if card.empty or card["is_self"].sum() != 1:
        return []
    out = []
    for key in metric_keys:
        ranked = card.assign(rank=metrics.ranks(card, key)).dropna(subset=["rank"])
        if len(ranked) < 2 or not ranked["is_self"].any():
            continue
        me = ranked[ranked["is_self"]].iloc[0]
        others = ranked[~ranked["is_self"]].sort_values("rank")
        best_other = others.iloc[0]
        label = formatting.label_in_text(key)
        ours, theirs = float(me[key]), float(best_other[key])
        other = formatting.escape_markdown(best_other["name"])  # names come from outside: plain text
        ours_text, theirs_text = formatting.distinct(key, [ours, theirs])
        leads = int(me["rank"]) == 1
        if leads and ours == theirs:
            sentence = f"Tied first on {label} with {other} at {ours_text}."
        elif leads:
            sentence = (f"Leads on {label}: {ours_text}, ahead of {other} ({theirs_text}) "
                        f"by {gap(key, ours, theirs)}.")
        else:
            sentence = (f"Trails on {label}: {ours_text} against {theirs_text} for {other}, "
                        f"behind by {gap(key, ours, theirs)}; ranks {int(me['rank'])} of {len(ranked)}.")
        out.append(Standing(key, int(me["rank"]), len(ranked), leads, sentence))
    return out


def gap(key: str, ours: float, theirs: float) -> str:
    """How far apart two values are, in words that read after "by": percentage points for
    shares, a duration for times, else the difference and, when it shows, the relative gap
    against the other organization's value, with the precision it needs (1,450 likes on
    2.16M is "0.07%", not "0%"; under 0.01 % it is left out)."""
    kind = metrics.METRICS[key].kind
    diff = abs(ours - theirs)
    if kind == "ratio":
        return formatting.first_digits(lambda extra: f"{diff * 100:.{1 + extra}f}") + " percentage points"
    if kind == "minutes":
        return formatting.first_digits(lambda extra: formatting.minutes(diff, extra))
    text = formatting.first_digits(lambda extra: formatting.value(key, diff, extra))
    if theirs:
        rel = formatting.first_digits(lambda extra: f"{diff / abs(theirs) * 100:,.{extra}f}", most=2)
        if any(ch in "123456789" for ch in rel):
            text += f" ({rel}%)"
    return text


def kpi_rows(card: pd.DataFrame, card_before: pd.DataFrame, coop_now: dict, coop_before: dict) -> pd.DataFrame:
    """The company's headline figures (``KPIS``) from the scorecards (``headline_card``) and
    co-op results of the period and the previous one: metric, label, value, before,
    value_text, delta_text (None when there is no change to show), rank_text, formula (with
    how the change is taken) and higher_is_better. The company must be in ``card``.

    Response figures are like for like (``with_like_for_like``): their change is shown only
    when the previous period was compared on the same platforms."""
    me = card[card["is_self"]].iloc[0]
    before_rows = card_before.set_index("org_id")
    me_before = before_rows.loc[me["org_id"]] if me["org_id"] in before_rows.index else None
    same_platforms = response_platforms(card) == response_platforms(card_before)
    rows = []
    for key in KPIS:
        m = metrics.METRICS[key]
        formula = f"{m.formula} {CHANGE}"
        if key == "coop_index":
            value, before = coop_now["coop_index"], coop_before["coop_index"]
            rank = "Company only: " + (metrics.ORGANISATION_MODELS.get(coop_now["model"], "not available")
                                       if coop_now["model"] else "no contribution in the period")
        else:
            value = me[key]
            before = me_before[key] if me_before is not None else None
            rank = rank_text(card, card_before, key)
            if key in RESPONSE_METRICS:
                formula += " " + like_for_like_note(card)
                if not same_platforms:
                    before = None
        rows.append({
            "metric": key, "label": m.label, "value": value, "before": before,
            "value_text": formatting.value(key, value), "delta_text": formatting.delta(key, value, before),
            "rank_text": rank, "formula": formula, "higher_is_better": m.higher_is_better,
        })
    frame = pd.DataFrame(rows)
    # pandas 3 would store "no change" as NaN in a string column, which a card shows as "nan"
    frame["delta_text"] = pd.Series([r["delta_text"] for r in rows], dtype=object)
    return frame


def rank_text(card: pd.DataFrame, card_before: pd.DataFrame, key: str) -> str:
    """The company's rank among the selected organizations, and the rank it had in the
    previous period when that differs (for response figures: when it was compared on the
    same platforms)."""
    ranked = metrics.ranks(card, key)
    mine = ranked[card["is_self"]].iloc[0]
    if pd.isna(mine):
        return "Not ranked: no value this period"
    if int(ranked.notna().sum()) < 2:
        return "No competitor to rank against"
    text = f"Rank {int(mine)} of {int(ranked.notna().sum())}"
    if key in RESPONSE_METRICS:
        text += f" like for like ({_platform_list(response_platforms(card))})"
        if response_platforms(card_before) != response_platforms(card):
            return text
    before = metrics.ranks(card_before, key)[card_before["is_self"]]
    if len(before) and not pd.isna(before.iloc[0]) and int(before.iloc[0]) != int(mine):
        text += f" (was {int(before.iloc[0])})"
    return text


# --- Response figures like for like ------------------------------------------------------

RESPONSE_METRICS = ("median_response_minutes", "p90_response_minutes", "response_rate", "sla_attainment")


def with_like_for_like(card: pd.DataFrame, comparison) -> pd.DataFrame:
    """``card`` with its response figures replaced by the Response times page's like-for-like
    ones (``response_times.comparison``: the organizations with inbound items, on the
    platforms where every one of them has some), so that a figure and its rank come from
    the same data and both pages show the same numbers. Organizations left out of the
    comparison have none; ``response_platforms`` names the platforms compared."""
    out = card.copy()
    lfl = comparison.like_for_like.set_index("org_id")
    for key in RESPONSE_METRICS:
        out[key] = out["org_id"].map(lfl[key] if key in lfl else {}).astype("float64")
    out["response_platforms"] = ",".join(comparison.platforms)
    return out


def headline_card(con, view, settings, now) -> pd.DataFrame:
    """The scorecard the overview, the meeting header and the brief show: ``metrics.scorecard``
    with the like-for-like response figures (``with_like_for_like``)."""
    from socialdash import response_times

    return with_like_for_like(metrics.scorecard(con, view, settings, now),
                              response_times.comparison(con, view, settings, now))


def response_platforms(card: pd.DataFrame) -> tuple[str, ...]:
    if "response_platforms" not in card or card.empty:
        return ()
    return tuple(p for p in str(card["response_platforms"].iloc[0]).split(",") if p)


def _platform_list(platforms) -> str:
    return ", ".join(formatting.PLATFORM_NAMES.get(p, p) for p in platforms) or "no platform"


def like_for_like_note(card: pd.DataFrame) -> str:
    """What the response figures cover, in words (plain text)."""
    platforms = response_platforms(card)
    if not platforms:
        return ("Response figures like for like: no platform has inbound items for every organization "
                "that has some, so none is compared.")
    left_out = card.loc[card[RESPONSE_METRICS[0]].isna() & (card["interactions"] == 0), "name"].tolist()
    text = (f"Response figures like for like, as on the Response times page: {_platform_list(platforms)} only, "
            "the platforms where every organization with inbound items has some (competitors' figures come "
            "from their public replies).")
    if left_out:
        text += " No inbound items collected for " + ", ".join(map(str, left_out)) + ": not compared."
    return text


# --- An empty period -----------------------------------------------------------------------

def with_data(card: pd.DataFrame) -> pd.Series:
    """Per organization: whether it has any figure in the period (a follower count, a post,
    an inbound item)."""
    figures = [k for k in metrics.SCORECARD_METRICS if k in card and k not in ("interactions", "pending")]
    return card[figures].notna().any(axis=1) | (card["interactions"] > 0)


def has_data(card: pd.DataFrame) -> bool:
    """Whether any selected organization has any figure in the period."""
    return bool(not card.empty and with_data(card).any())


def progress_text(progress) -> str:
    """A goal's progress as it is, not capped at 100 % ("105%"); "99.6%" never reads "100%"."""
    if formatting.missing(progress):
        return "—"
    text = f"{progress * 100:,.0f}%"
    if text == "100%" and progress < 1:
        text = f"{progress * 100:.1f}%".replace("100.0%", "99.9%")
    return text


def data_span(con, settings) -> tuple | None:
    """The first and last local day the warehouse holds any data on (follower counts, posts,
    inbound items), or None when it holds none."""
    import zoneinfo

    days = con.execute("SELECT min(day), max(day) FROM account_daily").fetchone()
    # bare min/max of the instants (a local day of each of millions of rows took 2.5 s on the
    # large demo), then their local days
    instants = con.execute(
        """SELECT min(first), max(last) FROM (
               SELECT min(created_at) AS first, max(created_at) AS last FROM posts
               UNION ALL SELECT min(received_at), max(received_at) FROM interactions)"""
    ).fetchone()
    zone = zoneinfo.ZoneInfo(settings.timezone)
    local = [t.astimezone(zone).date() if t.tzinfo else t.date() for t in instants if t is not None]
    found = [d for d in (*days, *local) if d is not None]
    return (min(found), max(found)) if found else None


def no_data_message(view, span) -> str:
    """What an empty period says, plainly (plain text)."""
    text = f"No data for {view.period.label()}"
    if span is None:
        return text + ": the warehouse holds no data yet."
    first, last = span
    if view.period.end < first:
        return text + f": the warehouse's data starts on {first:%d %b %Y}. Choose a later period."
    if view.period.start > last:
        return text + f": the warehouse's data ends on {last:%d %b %Y}. Choose an earlier period."
    return (text + " for the selected organizations and platforms (the warehouse holds data from "
            f"{first:%d %b %Y} to {last:%d %b %Y}).")
