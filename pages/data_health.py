"""Data health: the last run of each connector, how fresh each account's data is, and
how far back the warehouse's history goes per organization and platform."""

import pandas as pd
import streamlit as st

from socialdash import data_health, formatting, ui
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

troubled = int(runs["status"].isin(["failed", "partial"]).sum()) if len(runs) else 0
stale = int(fresh["stale"].sum()) if len(fresh) else 0
left, middle, right = st.columns(3)
left.metric("Connectors needing attention", f"{troubled} of {len(runs)}", border=True,
            help="Connectors whose last run ended failed or partial. " + data_health.FORMULAS["last_runs"])
middle.metric("Stale accounts", f"{stale:,} of {len(fresh):,}", border=True,
              help=data_health.FORMULAS["freshness"])
right.metric("Organizations × platforms covered", f"{len(cover)}", border=True,
             help=data_health.FORMULAS["coverage"])

# --- Connector runs -----------------------------------------------------------------------
st.subheader("Last run per connector")
if runs.empty:
    st.info("No connector has run yet: run `python -m connectors refresh` (see docs/CONNECTORS.md).")
else:
    table = pd.DataFrame({
        "Connector": runs["connector"],
        "Status": runs["status"],
        "Started (UTC)": pd.to_datetime(runs["started_at"], utc=True).dt.tz_localize(None),
        "Duration (s)": runs["duration_s"].astype("float64").round(1),
        "Rows written": runs["rows_written"].astype("Int64"),
        "Last success (UTC)": pd.to_datetime(runs["last_success"], utc=True).dt.tz_localize(None),
        "Runs": runs["runs"].astype("Int64"),
        "Error": runs["error"].fillna(""),
    })

    def _run_colour(row: pd.Series) -> list[str]:
        colour = {"failed": "background-color: rgba(255, 75, 75, 0.18)",
                  "partial": "background-color: rgba(255, 170, 0, 0.18)"}.get(row["Status"], "")
        return [colour] * len(row)

    st.dataframe(
        table.style.apply(_run_colour, axis=1).format(na_rep="—")
        .format({"Duration (s)": "{:.1f}", "Rows written": "{:,}"}, na_rep="—"),
        hide_index=True, width="stretch",
        column_config={
            "Started (UTC)": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm"),
            "Last success (UTC)": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm"),
            "Rows written": st.column_config.NumberColumn(format="localized"),
            "Error": st.column_config.TextColumn(width="large"),
        },
    )
    st.caption(data_health.FORMULAS["last_runs"] + " Failed runs are shaded red, partial ones amber.")
    ui.download(table, "data-health-connector-runs")

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

shown = fresh[fresh["stale"]] if only_stale else fresh
if shown.empty:
    st.info("No stale account." if only_stale and len(fresh) else "No account is tracked for the selected filters.")
else:
    table = pd.DataFrame({
        "Organization": shown["organization"].fillna(shown["org_id"]),
        "Platform": shown["platform"].map(lambda p: ui.PLATFORM_NAMES.get(p, p)),
        "Account": shown["handle"],
        "Kind": shown["kind"],
        "Followers": shown["followers"].astype("Int64"),
        "Latest count": pd.to_datetime(shown["latest_day"]).dt.strftime("%Y-%m-%d"),
        "Last refresh (UTC)": pd.to_datetime(shown["last_success_at"], utc=True).dt.tz_localize(None),
        "Age (days)": shown["age_days"],
        "Freshness": shown["freshness"],
        "Last error": shown["last_error"].where(shown["last_status"] == "failed", "").fillna(""),
    })

    def _stale_colour(row: pd.Series) -> list[str]:
        colour = "background-color: rgba(255, 170, 0, 0.22)" if row["Freshness"].startswith("Stale") else ""
        return [colour] * len(row)

    # pandas' Styler works cell by cell: some 2 s for the 17,000 accounts of a large company, on
    # every run. Past SHADE_UP_TO rows the stale accounts are still listed first and say "Stale".
    shaded = len(table) <= SHADE_UP_TO
    st.dataframe(
        table.style.apply(_stale_colour, axis=1).format(na_rep="—")
        .format({"Followers": "{:,}", "Age (days)": "{:,}"}, na_rep="—") if shaded else table,
        hide_index=True, width="stretch",
        column_config={
            "Followers": st.column_config.NumberColumn(format="localized"),
            "Last refresh (UTC)": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm"),
            "Last error": st.column_config.TextColumn(width="large"),
        },
    )
    st.caption(data_health.FORMULAS["freshness"] + (" Stale rows are shaded." if shaded else
               f" Stale accounts come first (rows are shaded in tables of up to {SHADE_UP_TO:,} accounts)."))
    ui.download(table, "data-health-freshness")

# --- Coverage -----------------------------------------------------------------------------
st.subheader("Coverage")
if cover.empty:
    st.info("No account is tracked for the selected filters.")
else:
    org_names = cover["organization"].fillna(cover["org_id"])
    since = pd.to_datetime(cover["history_from"]).dt.strftime("%Y-%m-%d").fillna("—")
    pivot = (
        cover.assign(Organization=org_names, since=since)
        .pivot(index="Organization", columns="platform", values="since")
        .reindex(index=list(dict.fromkeys(org_names)), columns=[p for p in PLATFORMS if p in set(cover["platform"])])
        .fillna("")
        .rename(columns=ui.PLATFORM_NAMES)
        .rename_axis(columns=None)
        .reset_index()
    )
    st.markdown("**History from** (the earliest follower count or post), by organization and platform: "
                "— = tracked but nothing collected yet; empty = not tracked.")
    st.dataframe(pivot, hide_index=True, width="stretch")
    ui.download(pivot, "data-health-history-from")

    detail = pd.DataFrame({
        "Organization": org_names,
        "Platform": cover["platform"].map(lambda p: ui.PLATFORM_NAMES.get(p, p)),
        "Accounts": cover["accounts"].astype("Int64"),
        "Posts": cover["posts"].astype("Int64"),
        "Inbound items": cover["interactions"].astype("Int64"),
        "Follower counts since": pd.to_datetime(cover["followers_since"]),
        "Posts since": pd.to_datetime(cover["posts_since"]),
        "Days of history": cover["history_days"],
    })
    st.dataframe(detail, hide_index=True, width="stretch", column_config={
        "Posts": st.column_config.NumberColumn(format="localized"),
        "Inbound items": st.column_config.NumberColumn(format="localized"),
        "Follower counts since": st.column_config.DateColumn(format="YYYY-MM-DD"),
        "Posts since": st.column_config.DateColumn(format="YYYY-MM-DD"),
    })
    st.caption(data_health.FORMULAS["coverage"] + " Inbound items are collected only where the platform makes "
               "them computable (see docs/CONNECTORS.md): no Instagram or LinkedIn replies from the APIs.")
    ui.download(detail, "data-health-coverage")
