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
    as Markdown with every name escaped."""
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
        ours, theirs = me[key], best_other[key]
        other = formatting.escape_markdown(best_other["name"])  # names come from outside: plain text
        fmt = lambda v: formatting.value(key, v)  # noqa: E731
        leads = int(me["rank"]) == 1
        if leads and ours == theirs:
            sentence = f"Tied first on {label} with {other} at {fmt(ours)}."
        elif leads:
            sentence = (f"Leads on {label}: {fmt(ours)}, ahead of {other} ({fmt(theirs)}) "
                        f"by {formatting.gap(key, ours, theirs)}.")
        else:
            sentence = (f"Trails on {label}: {fmt(ours)} against {other}'s {fmt(theirs)}, "
                        f"behind by {formatting.gap(key, ours, theirs)}; ranks {int(me['rank'])} of {len(ranked)}.")
        out.append(Standing(key, int(me["rank"]), len(ranked), leads, sentence))
    return out


def kpi_rows(card: pd.DataFrame, card_before: pd.DataFrame, coop_now: dict, coop_before: dict) -> pd.DataFrame:
    """The company's headline figures (``KPIS``) from the scorecards and co-op results of
    the period and the previous one: metric, label, value, before, value_text, delta_text
    (None when there is no change to show), rank_text, formula (with how the change is
    taken) and higher_is_better. The company must be in ``card``."""
    me = card[card["is_self"]].iloc[0]
    before_rows = card_before.set_index("org_id")
    me_before = before_rows.loc[me["org_id"]] if me["org_id"] in before_rows.index else None
    rows = []
    for key in KPIS:
        m = metrics.METRICS[key]
        if key == "coop_index":
            value, before = coop_now["coop_index"], coop_before["coop_index"]
            rank = "Company only: " + (metrics.ORGANISATION_MODELS.get(coop_now["model"], "not available")
                                       if coop_now["model"] else "no contribution in the period")
        else:
            value = me[key]
            before = me_before[key] if me_before is not None else None
            rank = rank_text(card, card_before, key)
        rows.append({
            "metric": key, "label": m.label, "value": value, "before": before,
            "value_text": formatting.value(key, value), "delta_text": formatting.delta(key, value, before),
            "rank_text": rank, "formula": f"{m.formula} {CHANGE}", "higher_is_better": m.higher_is_better,
        })
    frame = pd.DataFrame(rows)
    # pandas 3 would store "no change" as NaN in a string column, which a card shows as "nan"
    frame["delta_text"] = pd.Series([r["delta_text"] for r in rows], dtype=object)
    return frame


def rank_text(card: pd.DataFrame, card_before: pd.DataFrame, key: str) -> str:
    """The company's rank among the selected organizations, and the rank it had in the
    previous period when that differs."""
    ranked = metrics.ranks(card, key)
    mine = ranked[card["is_self"]].iloc[0]
    if pd.isna(mine):
        return "Not ranked: no value this period"
    if card.loc[~card["is_self"], key].dropna().empty:
        return "No competitor to rank against"
    text = f"Rank {int(mine)} of {int(ranked.notna().sum())}"
    before = metrics.ranks(card_before, key)[card_before["is_self"]]
    if len(before) and not pd.isna(before.iloc[0]) and int(before.iloc[0]) != int(mine):
        text += f" (was {int(before.iloc[0])})"
    return text
