"""Executive overview: the company's headline figures against its competitors."""

import pandas as pd
import plotly.express as px
import streamlit as st

from socialdash import colours, formatting, metrics, standing, tables, ui
from socialdash import response_times as rt
from socialdash.standing import standings

view, settings = ui.current()
now = ui.now()
previous = metrics.previous_view(view)

# Response figures like for like, from the same cached comparison the Response times page draws.
card = standing.with_like_for_like(ui.compute(metrics.scorecard, view, settings, now),
                                   ui.compute(rt.comparison, view, settings, now))
card_before = standing.with_like_for_like(ui.compute(metrics.scorecard, previous, settings, now),
                                          ui.compute(rt.comparison, previous, settings, now))

st.title("Where we stand")
# Layout only (a constant, never data): a card's label wraps instead of being cut ("Follower gro…")
# when four cards share a narrow window.
st.html("<style>[data-testid='stMetricLabel'] * { white-space: normal !important; overflow: visible !important; "
        "text-overflow: clip !important; }</style>")
st.caption(f"{view.period.label()}, compared with {previous.period.label()}.")

company = card[card["is_self"]]
if company.empty:
    st.warning("The company itself is not among the selected organizations; select it to see its standing.")
    st.stop()
me = company.iloc[0]
plain = formatting.escape_markdown


def draw_standing() -> None:
    coop = ui.compute(metrics.coop, view, settings)
    coop_before = ui.compute(metrics.coop, previous, settings)
    kpis = standing.kpi_rows(card, card_before, coop, coop_before).set_index("metric")
    for row in (standing.KPIS[:4], standing.KPIS[4:]):
        for col, key in zip(st.columns(len(row)), row):
            kpi = kpis.loc[key]
            with col:
                st.metric(kpi["label"], kpi["value_text"], kpi["delta_text"], help=kpi["formula"], border=True,
                          **formatting.delta_style(key, kpi["delta_text"]))
                st.caption(kpi["rank_text"])
    st.caption(plain(standing.like_for_like_note(card)) + " Median response time and SLA attainment, their ranks "
               "and the table below all cover these platforms.")

    # Organizations with no figure at all, or whose totals over the period are left out.
    empty = card.loc[~standing.with_data(card), "name"].tolist()
    if empty:
        st.caption("No data in this period for " + ", ".join(map(plain, empty)) + ".")
    partial = card[card["posts"].isna() & ~card["name"].isin(empty) & card["coverage_note"].astype(bool)]
    if len(partial):
        # one line with the names; each platform's reason in the help (it can run to dozens of notes)
        st.caption(f"Totals over the period (posts, likes, engagements, share of voice) are left out and not ranked "
                   f"for {', '.join(map(plain, partial['name']))}: their data does not cover the whole period "
                   f"(from {view.period.start:%d %b %Y}), so the totals would fall short. The Competitors page "
                   "shows the coverage of each platform.", help=" ".join(partial["coverage_note"]))

    # Rank changes against the previous period, from socialdash.benchmark (all of them on the Competitors page).
    from socialdash import benchmark

    rank_moves = ui.compute(benchmark.rank_changes, view, settings, True)
    if not rank_moves.empty:
        st.subheader("Rank changes")
        for gained, alert, icon, title in ((False, st.warning, ":material/trending_down:", "Passed by a competitor"),
                                           (True, st.success, ":material/trending_up:", "Moved ahead of a competitor")):
            moves = rank_moves.loc[rank_moves["company_gained"] == gained, "sentence"]
            if len(moves):
                alert(f"**{title} ({len(moves)})**\n\n"
                      + "\n".join(f"- {plain(s)}" for s in moves.head(5))
                      + (f"\n- … and {len(moves) - 5} more on the Competitors page" if len(moves) > 5 else ""),
                      icon=icon)
        st.caption("A pass: ranked strictly behind in the previous period and strictly ahead now, among the selected "
                   "organizations, on one platform or across all.")
        st.page_link("pages/competitors.py", label="Every rank, gap and change on the Competitors page",
                     icon=":material/leaderboard:")

    st.subheader("In words")
    lines = standings(card)
    if not lines:
        st.write("No competitor has figures to compare the company with in this period.")
    else:
        leads = [s for s in lines if s.leads]
        trails = [s for s in lines if not s.leads]
        left, right = st.columns(2)
        with left:
            st.markdown(f"**Where {plain(me['name'])} leads ({len(leads)})**")
            for s in leads:
                st.markdown(f"- {s.sentence}")
        with right:
            st.markdown(f"**Where it trails ({len(trails)})**")
            for s in trails:
                st.markdown(f"- {s.sentence}")

    draw_audience()
    draw_side_by_side()


def draw_audience() -> None:
    st.subheader("Audience over time")
    series = ui.compute(metrics.audience_series, view, settings)
    series = series.dropna(subset=["audience"])
    if series.empty:
        st.info("No follower counts in this period for the selected organizations and platforms.")
        return
    shown = card[card["org_id"].isin(set(series["org_id"]))]
    org_names = dict(zip(shown["org_id"], shown["name"].map(formatting.chart_text)))  # names as text in Plotly
    palette = ui.compute(colours.org_colours)
    series = series.assign(organization=series["org_id"].map(org_names))
    fig = px.line(series, x="day", y="audience", color="organization",
                  color_discrete_map={org_names[o]: palette.get(o, colours.NEUTRAL) for o in org_names},
                  category_orders={"organization": list(org_names.values())},  # the company first
                  labels={"day": "", "audience": "Followers (official accounts)", "organization": ""})
    fig.update_traces(selector={"name": formatting.chart_text(me["name"])}, line={"width": 4})
    fig.update_traces(hovertemplate="%{x|%d %b %Y}: %{y:,.0f}")
    # The legend above the plot (it grows a row per few names and never covers the axis);
    # dates with the year on every tick; margins that Plotly widens to fit its labels.
    rows = 1 + len(org_names) // 6
    fig.update_layout(height=380 + 22 * rows, margin={"l": 10, "r": 40, "t": 10, "b": 10},  # r: room for the last date
                      legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 1.02, "yanchor": "bottom"},
                      hovermode="x unified")
    fig.update_xaxes(tickformat="%d %b %Y", automargin=True, nticks=8)
    fig.update_yaxes(tickformat=",.0f", automargin=True, rangemode="tozero" if series["audience"].min() >= 0 else None)
    st.plotly_chart(fig, width="stretch", config=ui.chart_config("overview-audience"))
    st.caption(metrics.METRICS["audience"].formula)


# The "side by side" table: short headers so that every column shows at 1,400 px; the full
# names and formulas are in each header's help.
SIDE_BY_SIDE = {
    "audience": "Audience", "follower_growth_pct": "Growth %", "likes": "Likes", "engagements": "Engagements",
    "engagement_rate": "Eng. rate", "share_of_voice": "Share of voice", "posts": "Posts",
    "median_response_minutes": "Median response", "sla_attainment": "SLA",
}


PERCENT = ("Growth %", "Eng. rate", "Share of voice", "SLA")


def percent_decimals(values: pd.Series) -> int:
    """The fewest decimals (at least 1) that write different shares differently, as
    percentages: 0.61 % and 0.59 % need two, 52.2 % and 89.7 % one."""
    present = values.dropna() * 100
    for decimals in range(1, 5):
        if present.round(decimals).nunique() == present.nunique():
            return decimals
    return 4


def draw_side_by_side() -> None:
    st.subheader("Side by side")
    table = pd.DataFrame({"Organization": card["name"]})
    for key, header in SIDE_BY_SIDE.items():
        table[header] = card[key].astype("float64")
    # durations by the one rule of every page and the brief (formatting.minutes): as text
    table["Median response"] = card["median_response_minutes"].map(
        lambda v: formatting.value("median_response_minutes", v))
    helps = {h: f"{metrics.METRICS[k].label}: {metrics.METRICS[k].formula}" for k, h in SIDE_BY_SIDE.items()}
    for key in standing.RESPONSE_METRICS:
        if key in SIDE_BY_SIDE:
            helps[SIDE_BY_SIDE[key]] += " " + standing.like_for_like_note(card)
    shown = table.copy()
    config = tables.number_columns(shown, help=helps)
    for header in PERCENT:  # as percentages, each column with the decimals its values need
        shown[header] = shown[header] * 100
        config[header] = st.column_config.NumberColumn(format=f"%.{percent_decimals(table[header])}f%%",
                                                       help=helps[header])
    config["Organization"] = st.column_config.TextColumn(pinned=True)
    # every row shows (35 px each and the header): no scrolling inside the table
    st.dataframe(shown, hide_index=True, width="stretch", height=35 * (len(shown) + 1) + 3,
                 column_config=config, placeholder="—")
    st.caption("— = no figure for the period (no count, no post, or not compared like for like). "
               "Hover a header for its formula.")
    # the download keeps the numbers as numbers, shares as fractions, under the metrics' own names
    download = card[["name", *SIDE_BY_SIDE]].rename(
        columns={"name": "Organization", **{k: metrics.METRICS[k].label for k in SIDE_BY_SIDE}}
        | {"median_response_minutes": "Median response time (minutes)"})
    ui.download(download, "overview-side-by-side")


if standing.has_data(card):
    draw_standing()
else:
    st.info(standing.no_data_message(view, ui.compute(standing.data_span, settings)), icon=":material/event_busy:")

# --- Off-track goals (the shared goals of socialdash.goals; all of them on the Goals page) ---
from socialdash import goals as shared_goals  # noqa: E402
from socialdash.period import today_in  # noqa: E402

st.subheader("Off-track goals")
goal_status = shared_goals.shared_by(
    ui.compute(shared_goals.goal_progress, settings, today_in(settings.timezone), now), view.departments)
off_track = goal_status[goal_status["status"] == "off track"]
if off_track.empty:
    st.caption("No shared goal is off track" + (" among those the selected departments share." if view.departments else "."))
else:
    goal_dept_names = ui.names("departments")
    off_table = pd.DataFrame({
        "Goal": off_track["title"],
        "Actual": [formatting.value(shared_goals.metric_key(m), a) for m, a in zip(off_track["metric"], off_track["actual"])],
        "Target": [formatting.value(shared_goals.metric_key(m), t) for m, t in zip(off_track["metric"], off_track["target"])],
        # the real progress, not capped at 100 %
        "Progress": off_track["progress"].map(standing.progress_text),
        "Departments": off_track["departments"].map(
            lambda ds: ", ".join(goal_dept_names.get(d, d) for d in ds) or "Whole company"),
        "Ends": off_track["period_end"],
    })
    st.dataframe(off_table, hide_index=True, width="stretch", placeholder="—", column_config={
        "Actual": st.column_config.TextColumn(help="The goal's metric over its own period up to today (or its end)."),
        "Progress": st.column_config.TextColumn(help="Actual / target (target / actual for response time), uncapped."),
        "Ends": st.column_config.DateColumn(format="D MMM YYYY"),
    })
    st.caption("Off track: a level metric (rates, medians, audience, co-op index) below 90 % of its target, or a "
               "cumulative one (follower growth, likes, engagements, posts) more than 10 points behind the share "
               "of the goal's days elapsed. Progress = actual / target (target / actual for response time).")
    ui.download(off_table, "overview-off-track-goals")
    st.page_link("pages/goals.py", label="All shared goals", icon=":material/flag:")
