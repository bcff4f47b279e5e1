"""Executive overview: the company's headline figures against its competitors."""

import pandas as pd
import plotly.express as px
import streamlit as st

from socialdash import formatting, metrics, standing, ui
from socialdash.standing import standings

view, settings = ui.current()
now = ui.now()
previous = metrics.previous_view(view)

card = ui.compute(metrics.scorecard, view, settings, now)
card_before = ui.compute(metrics.scorecard, previous, settings, now)
coop = ui.compute(metrics.coop, view, settings)
coop_before = ui.compute(metrics.coop, previous, settings)

st.title("Where we stand")
st.caption(f"{view.period.label()}, compared with {previous.period.label()}.")

company = card[card["is_self"]]
if company.empty:
    st.warning("The company itself is not among the selected organizations; select it to see its standing.")
    st.stop()
me = company.iloc[0]
kpis = standing.kpi_rows(card, card_before, coop, coop_before).set_index("metric")
for row in (standing.KPIS[:4], standing.KPIS[4:]):
    for col, key in zip(st.columns(len(row)), row):
        kpi = kpis.loc[key]
        with col:
            st.metric(kpi["label"], kpi["value_text"], kpi["delta_text"],
                      delta_color="normal" if kpi["higher_is_better"] else "inverse", help=kpi["formula"], border=True)
            st.caption(kpi["rank_text"])

# Rank changes against the previous period, from socialdash.benchmark (all of them on the Competitors page).
from socialdash import benchmark  # noqa: E402

rank_moves = ui.compute(benchmark.rank_changes, view, settings, True)
if not rank_moves.empty:
    st.subheader("Rank changes")
    for gained, alert, icon, title in ((False, st.warning, ":material/trending_down:", "Passed by a competitor"),
                                       (True, st.success, ":material/trending_up:", "Moved ahead of a competitor")):
        moves = rank_moves.loc[rank_moves["company_gained"] == gained, "sentence"]
        if len(moves):
            alert(f"**{title} ({len(moves)})**\n\n"
                  + "\n".join(f"- {formatting.escape_markdown(s)}" for s in moves.head(5))
                  + (f"\n- … and {len(moves) - 5} more on the Competitors page" if len(moves) > 5 else ""), icon=icon)
    st.caption("A pass: ranked strictly behind in the previous period and strictly ahead now, among the selected "
               "organizations, on one platform or across all.")
    st.page_link("pages/competitors.py", label="Every rank, gap and change on the Competitors page",
                  icon=":material/leaderboard:")

st.subheader("In words")
lines = standings(card)
if not lines:
    st.write("Select at least one competitor to compare the company with.")
else:
    leads = [s for s in lines if s.leads]
    trails = [s for s in lines if not s.leads]
    left, right = st.columns(2)
    with left:
        st.markdown(f"**Where {formatting.escape_markdown(me['name'])} leads ({len(leads)})**")
        for s in leads:
            st.markdown(f"- {s.sentence}")
    with right:
        st.markdown(f"**Where it trails ({len(trails)})**")
        for s in trails:
            st.markdown(f"- {s.sentence}")

# Responsiveness is comparable only where every compared organization's interactions are collected.
missing_responses = card.loc[card["interactions"] == 0, "name"].tolist()
if missing_responses and len(missing_responses) < len(card):
    st.caption(
        "No public replies collected for " + ", ".join(map(formatting.escape_markdown, missing_responses))
        + ": they are left out of the response-time and SLA ranks."
    )

st.subheader("Audience over time")
series = ui.compute(metrics.audience_series, view, settings)
if series.empty:
    st.info("No follower counts in this period for the selected organizations and platforms.")
else:
    org_names = dict(zip(card["org_id"], card["name"].map(formatting.chart_text)))  # names as text in Plotly
    series = series.assign(organization=series["org_id"].map(org_names))
    fig = px.line(series, x="day", y="audience", color="organization",
                  labels={"day": "", "audience": "Followers (official accounts)", "organization": ""})
    fig.update_traces(selector={"name": formatting.chart_text(me["name"])}, line={"width": 4})
    fig.update_layout(height=380, margin={"l": 10, "r": 10, "t": 10, "b": 10}, legend={"orientation": "h"})
    st.plotly_chart(fig, width="stretch", config=ui.chart_config("overview-audience"))
    st.caption(metrics.METRICS["audience"].formula)

st.subheader("Side by side")
table = card[["name", "audience", "follower_growth_pct", "likes", "engagements", "engagement_rate",
              "share_of_voice", "posts", "median_response_minutes", "sla_attainment"]].rename(
    columns={k: metrics.METRICS[k].label for k in metrics.METRICS} | {"name": "Organization"})
st.dataframe(
    table, hide_index=True, width="stretch",
    column_config={
        "Follower growth %": st.column_config.NumberColumn(format="percent"),
        "Engagement rate": st.column_config.NumberColumn(format="percent"),
        "Share of voice": st.column_config.NumberColumn(format="percent"),
        "SLA attainment": st.column_config.NumberColumn(format="percent"),
        "Median response time": st.column_config.NumberColumn(format="%.0f min"),
        "Audience": st.column_config.NumberColumn(format="localized"),
    },
)
ui.download(table, "overview-side-by-side")

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
        "Departments": off_track["departments"].map(
            lambda ds: ", ".join(goal_dept_names.get(d, d) for d in ds) or "Whole company"),
        "Ends": off_track["period_end"],
    })
    st.dataframe(off_table, hide_index=True, width="stretch", column_config={
        "Actual": st.column_config.TextColumn(help="The goal's metric over its own period up to today (or its end)."),
    })
    st.caption("Off track: a level metric (rates, medians, audience, co-op index) below 90 % of its target, or a "
               "cumulative one (follower growth, likes, engagements, posts) more than 10 points behind the share "
               "of the goal's days elapsed. Progress = actual / target (target / actual for response time).")
    ui.download(off_table, "overview-off-track-goals")
    st.page_link("pages/goals.py", label="All shared goals", icon=":material/flag:")
