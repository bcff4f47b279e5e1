"""Data health: the last run of each connector, how fresh each account's data is, and
how far back the warehouse's history goes per organization and platform."""

import pandas as pd
import streamlit as st

from socialdash import data_health, formatting, tables, ui
from socialdash.config import PLATFORMS
from socialdash.period import today_in

SHADE_UP_TO = 1_000  # freshness rows shaded when stale; larger tables list them first instead

view, settings = ui.current()
today = today_in(settings.timezone)

st.title("Data health")
st.caption(
    "Whether the figures on the other pages rest on fresh, complete data. The period filter does not "
    "apply here; the platform and organization filters do (for accounts and coverage)."
)

runs = ui.compute(data_health.last_runs)
fresh = ui.compute(data_health.account_freshness, view, settings, today)
cover = ui.compute(data_health.coverage, view, today)
recorded = ui.compute(data_health.refreshes_recorded)


def shown(frame: pd.DataFrame, missing: dict[str, str] | None = None) -> pd.DataFrame:
    """A table as it reads on screen: Streamlit writes "None" for every empty cell, so an empty
    value reads "—" (or what ``missing`` names for its column); times read "YYYY-MM-DD HH:MM"
    (UTC) and days "YYYY-MM-DD"; a number column with an empty cell becomes text with thousands
    separators (the others stay numbers, formatted by ``tables.number_columns``); ``columns``
    gives every column its display (numbers as numbers, right-aligned)."""
    out, right = {}, []
    for name, column in frame.items():
        empty = (missing or {}).get(name, "—")
        if pd.api.types.is_datetime64_any_dtype(column):
            stamps = pd.to_datetime(column, utc=True).dt.tz_localize(None)
            whole_days = bool((stamps.dropna() == stamps.dropna().dt.normalize()).all()) and name.endswith("since")
            out[name] = stamps.dt.strftime("%Y-%m-%d" if whole_days else "%Y-%m-%d %H:%M").fillna(empty)
        elif pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
            out[name] = column if column.notna().all() else column.map(
                lambda v: empty if formatting.missing(v) else f"{v:,.0f}")
            right.append(name)
        else:
            out[name] = column.map(lambda v: empty if formatting.missing(v) or v == "" else v)
    table = pd.DataFrame(out, index=frame.index)
    table.attrs["right"] = right
    return table


def columns(table: pd.DataFrame, **extra) -> dict:
    """``column_config`` for a table made by ``shown``: thousands separators, numbers (and
    numbers written as text) right-aligned, plus ``extra``."""
    config = tables.number_columns(table)
    for name in table.attrs.get("right", []):
        if name not in config:
            config[name] = st.column_config.TextColumn(alignment="right")
    return {**config, **extra}


# --- The headline: what needs attention, said plainly --------------------------------------
counts = runs["status"].value_counts() if len(runs) else pd.Series(dtype="int64")
troubled = int(sum(counts.get(s, 0) for s in data_health.NEEDS_ATTENTION))
stale = int(fresh["stale"].sum()) if len(fresh) else 0
not_offered = int((fresh["freshness"] == "Not offered by the API").sum()) if len(fresh) else 0
covered = int(cover["covered"].sum()) if len(cover) else 0
left, middle, right = st.columns(3)
left.metric("Connectors needing attention", f"{troubled:,} of {len(runs):,}" if len(runs) else "No run recorded",
            border=True, help=data_health.FORMULAS["last_runs"])
middle.metric("Stale accounts", f"{stale:,} of {len(fresh):,}", border=True,
              help=data_health.FORMULAS["freshness"])
right.metric("Organizations × platforms covered", f"{covered:,} of {len(cover):,}", border=True,
             help="Pairs of an organization and a platform with tracked accounts that hold any data. "
                  + data_health.FORMULAS["coverage"])


def _count(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


def _named(status: str) -> str:
    which = runs.loc[runs["status"] == status, "connector"] if len(runs) else []
    return ", ".join(ui.PLATFORM_NAMES.get(n, n) for n in which)


attention = []
if counts.get("failed", 0):
    attention.append(f"{_count(counts['failed'], 'connector', 'connectors')} failed ({_named('failed')})")
if counts.get("partial", 0):
    attention.append(f"{_count(counts['partial'], 'connector', 'connectors')} partly failed ({_named('partial')})")
if counts.get("never run", 0):
    attention.append(f"{_count(counts['never run'], 'platform', 'platforms')} never refreshed "
                     f"({_named('never run')}): a refresh skips a platform whose credentials are missing")
if not_offered:
    attention.append(f"{_count(not_offered, 'account', 'accounts')} not offered by the platform's API "
                     "(not counted as stale)")
if attention:
    st.caption(formatting.escape_markdown("Needs attention: " + "; ".join(attention) + "."))

# --- Connector runs -----------------------------------------------------------------------
st.subheader("Last run per connector")
if runs.empty:
    st.info("No connector has run yet: run `python -m connectors refresh` (see docs/CONNECTORS.md).")
else:
    never = runs["status"] == "never run"
    raw = pd.DataFrame({
        "Connector": runs["connector"],
        "Status": runs["status"],
        "Started (UTC)": pd.to_datetime(runs["started_at"], utc=True),
        "Duration": runs["duration_s"].astype("float64").map(
            lambda s: None if formatting.missing(s) else formatting.minutes(s / 60)),
        "Rows written": runs["rows_written"].astype("Int64"),
        "Last success (UTC)": pd.to_datetime(runs["last_success"], utc=True),
        "Runs": runs["runs"].astype("Int64"),
        "Error": runs["error"].where(~never, runs["accounts"].map(
            lambda n: f"No run recorded for its {n:,} tracked account{'s' if n != 1 else ''}", na_action="ignore")),
    })
    table = shown(raw, {"Started (UTC)": "never", "Last success (UTC)": "never", "Rows written": "—"})

    def _run_colour(row: pd.Series) -> list[str]:
        colour = {"failed": "background-color: rgba(255, 75, 75, 0.18)",
                  "partial": "background-color: rgba(255, 170, 0, 0.18)",
                  "never run": "background-color: rgba(255, 170, 0, 0.18)"}.get(row["Status"], "")
        return [colour] * len(row)

    st.dataframe(
        table.style.apply(_run_colour, axis=1), hide_index=True, width="stretch",
        column_config=columns(table, Error=st.column_config.TextColumn(width="large")),
    )
    st.caption(data_health.FORMULAS["last_runs"] + " Failed runs are shaded red, partial and never-run ones amber.")
    ui.download(raw, "data-health-connector-runs")

# --- Freshness ----------------------------------------------------------------------------
st.subheader("Freshness per account")
if "dh_stale" not in st.session_state:
    raw_stale = st.query_params.get("stale")
    if raw_stale not in (None, "0", "1"):
        st.warning(f"Ignored stale={formatting.escape_markdown(raw_stale[:40])} from the link: "
                   "stale=1 shows only the stale accounts.", icon=":material/link_off:")
    st.session_state["dh_stale"] = raw_stale == "1"
only_stale = st.toggle("Only stale accounts", key="dh_stale")
if only_stale:
    st.query_params["stale"] = "1"
elif "stale" in st.query_params:
    del st.query_params["stale"]

rows = fresh[fresh["stale"]] if only_stale else fresh
if not recorded:
    st.caption(("The demo data set records no per-account refresh status" if ui.dataset() == "demo" else
                "This warehouse records no connector state, so per-account refresh status is not available "
                "(no `python -m connectors refresh` has written here: the data came from another pipeline or "
                "an import)") + ". Each account's freshness is judged on its latest follower count alone.")
if rows.empty:
    st.info("No stale account." if only_stale and len(fresh) else "No account is tracked for the selected filters.")
else:
    failed = rows["last_status"] == "failed"
    raw = pd.DataFrame({
        "Organization": rows["organization"].fillna(rows["org_id"]),
        "Platform": rows["platform"].map(lambda p: ui.PLATFORM_NAMES.get(p, p)),
        "Account": rows["handle"],
        "Kind": rows["kind"],
        "Followers": rows["followers"].astype("Int64"),
        "Latest count": pd.to_datetime(rows["latest_day"]).dt.strftime("%Y-%m-%d"),
        "Last refresh (UTC)": pd.to_datetime(rows["last_success_at"], utc=True),
        "Age (days)": rows["age_days"],
        "Freshness": rows["freshness"],
        "Last error": rows["last_error"].where(failed, None),
    })
    if not recorded:  # nothing to show in them: said above instead
        raw = raw.drop(columns=["Last refresh (UTC)", "Last error"])
    table = shown(raw, {"Followers": "no count", "Latest count": "none", "Last refresh (UTC)": "never"})

    def _stale_colour(row: pd.Series) -> list[str]:
        colour = "background-color: rgba(255, 170, 0, 0.22)" if row["Freshness"].startswith("Stale") else ""
        return [colour] * len(row)

    # pandas' Styler works cell by cell: some 2 s for the 17,000 accounts of a large company, on
    # every run. Past SHADE_UP_TO rows the stale accounts are still listed first and say "Stale".
    shaded = len(table) <= SHADE_UP_TO
    st.dataframe(
        table.style.apply(_stale_colour, axis=1) if shaded else table,
        hide_index=True, width="stretch",
        column_config=columns(table, **{"Last error": st.column_config.TextColumn(width="medium")}),
    )
    st.caption(data_health.FORMULAS["freshness"] + (" Stale rows are shaded." if shaded else
               f" Stale accounts come first (rows are shaded in tables of up to {SHADE_UP_TO:,} accounts)."))
    ui.download(raw, "data-health-freshness")

# --- Coverage -----------------------------------------------------------------------------
st.subheader("Coverage")
if cover.empty:
    st.info("No account is tracked for the selected filters.")
else:
    org_names = cover["organization"].fillna(cover["org_id"])
    since = pd.to_datetime(cover["history_from"]).dt.strftime("%Y-%m-%d").where(cover["covered"], "no data yet")
    since = since.fillna("inbound items only")  # covered by inbound items, no follower count or post
    pivot = (
        cover.assign(Organization=org_names, since=since)
        .pivot(index="Organization", columns="platform", values="since")
        .reindex(index=list(dict.fromkeys(org_names)), columns=[p for p in PLATFORMS if p in set(cover["platform"])]
                 + sorted(set(cover["platform"]) - set(PLATFORMS)))
        .fillna("—")
        .rename(columns=ui.PLATFORM_NAMES)
        .rename_axis(columns=None)
        .reset_index()
    )
    st.markdown("**History from** (the earliest follower count or post), by organization and platform: "
                "“no data yet” = tracked but nothing collected; — = not tracked.")
    st.dataframe(pivot, hide_index=True, width="stretch")
    ui.download(pivot, "data-health-history-from")

    raw = pd.DataFrame({
        "Organization": org_names,
        "Platform": cover["platform"].map(lambda p: ui.PLATFORM_NAMES.get(p, p)),
        "Accounts": cover["accounts"].astype("Int64"),
        "Posts": cover["posts"].astype("Int64"),
        "Inbound items": cover["interactions"].astype("Int64"),
        "Follower counts since": pd.to_datetime(cover["followers_since"]),
        "Posts since": pd.to_datetime(cover["posts_since"]),
        "Days of history": cover["history_days"],
    })
    detail = shown(raw, {"Follower counts since": "none", "Posts since": "none", "Days of history": "—"})
    st.dataframe(detail, hide_index=True, width="stretch", column_config=columns(detail))
    st.caption(data_health.FORMULAS["coverage"] + " Inbound items are collected only where the platform makes "
               "them computable (see docs/CONNECTORS.md): no Instagram or LinkedIn replies from the APIs.")
    ui.download(raw, "data-health-coverage")
