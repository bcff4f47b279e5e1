"""One colour per organization, the same on every page, chart and the brief.

The colour belongs to the organization, not to its place in a selection: the company is
always the first colour, and each competitor keeps its colour whichever others are
selected (competitors in the order of their ids, over every organization the warehouse
holds).
"""

from __future__ import annotations

import duckdb

# Tableau 10, whose hues stay apart for most colour-blind readers; the company's blue first.
PALETTE = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
)
# Beyond ten organizations (the large demo has 13), lighter shades of the same hues.
EXTRA = (
    "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5",
    "#c49c94", "#f7b6d2", "#c7c7c7", "#dbdb8d", "#9edae5",
)
# Lines drawn beside the organizations (averages, targets) take none of their colours.
NEUTRAL = "#333333"


def assign(org_ids, company: str | None) -> dict[str, str]:
    """Colours by organization id: the company first, then the others by id."""
    ordered = ([company] if company in org_ids else []) + sorted(o for o in org_ids if o != company)
    colours = PALETTE + EXTRA
    return {org: colours[i % len(colours)] for i, org in enumerate(ordered)}


def org_colours(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Every organization's colour, by id, from the warehouse's ``organizations``."""
    rows = con.execute("SELECT org_id, is_self FROM organizations").fetchall()
    company = next((org for org, is_self in rows if is_self), None)
    return assign([org for org, _ in rows], company)
