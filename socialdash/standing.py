""""Where we stand" in words: where the company leads, where it trails, and by how much."""

from __future__ import annotations

import dataclasses

import pandas as pd

from socialdash import formatting, metrics

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
