"""Shared goals: how each cross-functional goal stands against its target."""

import plotly.graph_objects as go
import streamlit as st

from socialdash import formatting, goals, metrics, ui
from socialdash.period import today_in

view, settings = ui.current()
now = ui.now()
today = today_in(settings.timezone)
dept_names = ui.names("departments")

STATUS_LABELS = {
    "achieved": "Achieved", "on track": "On track", "at risk": "At risk",
    "off track": "Off track", "not started": "Not started",
}
STATUS_ICONS = {
    "achieved": ":material/check_circle:", "on track": ":material/trending_up:", "at risk": ":material/warning:",
    "off track": ":material/error:", "not started": ":material/schedule:",
}
STATUS_COLOURS = {  # cell backgrounds, light enough for dark text
    "Achieved": "#d4edda", "On track": "#e2f0d9", "At risk": "#fff3cd", "Off track": "#f8d7da", "Not started": "#eeeeee",
}
JUDGED = ("Progress = actual / target (target / actual where lower is better, as for response time). "
          "Cumulative metrics (follower growth, likes, engagements, posts): achieved at ≥ 100 %; on track at "
          "≥ the share of the goal's days elapsed (whole days, start and today included); at risk up to 10 "
          "points below that; off track otherwise. Level metrics: achieved at ≥ 100 %; at risk at ≥ 90 %; "
          "off track otherwise. A goal whose period has not begun is not started.")


def value_text(metric: str, value) -> str:
    return formatting.value(goals.metric_key(metric), value)


all_goals = ui.compute(goals.goal_progress, settings, today, now)
shown = goals.shared_by(all_goals, view.departments)

st.title("Shared goals")
if view.departments:
    who = ", ".join(formatting.escape_markdown(dept_names.get(d, d)) for d in view.departments)
    scope = f"the goals that {who} share{'s' if len(view.departments) == 1 else ''}"
else:
    scope = "every goal of the configuration"
st.caption(f"Showing {scope}. Each goal measures the company over its own period up to today "
           f"({today:%d %b %Y}); the period and platform filters do not apply here.")

if all_goals.empty:
    st.info("No goals are configured. Add `[[goals]]` to the configuration file (README → Configuration) "
            "and run a refresh to copy them into the warehouse.")
    st.stop()
if shown.empty:
    st.info("None of the selected departments shares a goal. Clear the departments filter to see every goal.")
    st.stop()

# --- Status counts -----------------------------------------------------------------------
for col, status in zip(st.columns(len(goals.STATUSES)), goals.STATUSES):
    with col:
        st.metric(STATUS_LABELS[status], int((shown["status"] == status).sum()), help=JUDGED, border=True,
                  icon=STATUS_ICONS[status])

# --- Every goal ----------------------------------------------------------------------------
table = shown.assign(
    Goal=shown["title"],
    Metric=shown["metric"].map(goals.metric_label),
    Departments=shown["departments"].map(lambda ds: ", ".join(dept_names.get(d, d) for d in ds) or "Whole company"),
    Period=[f"{s:%d %b %Y} – {e:%d %b %Y}" for s, e in zip(shown["period_start"], shown["period_end"])],
    Target=[value_text(m, t) for m, t in zip(shown["metric"], shown["target"])],
    Actual=[value_text(m, a) for m, a in zip(shown["metric"], shown["actual"])],
    Progress=shown["progress"].clip(upper=1.0),
    Pace=[f"{e:.0%}" if k == "cumulative" else "—" for k, e in zip(shown["kind"], shown["elapsed_share"])],
    Status=shown["status"].map(STATUS_LABELS),
)[["Goal", "Status", "Progress", "Pace", "Actual", "Target", "Metric", "Departments", "Period"]]
st.dataframe(
    table.style.map(lambda v: f"background-color: {STATUS_COLOURS.get(v, '')}", subset=["Status"]),
    hide_index=True, width="stretch",
    column_config={
        "Progress": st.column_config.ProgressColumn(
            help=JUDGED + " Shown up to 100 %.", format="percent", min_value=0.0, max_value=1.0, color="blue"),
        "Pace": st.column_config.TextColumn(
            help="Cumulative goals: the share of the goal's days elapsed (start to today, both included) — "
                 "the progress needed to be on track. Level goals are judged as they stand."),
        "Actual": st.column_config.TextColumn(
            help="The metric over the goal's period up to today (or its end), scoped to the goal's departments."),
        "Status": st.column_config.TextColumn(help=JUDGED),
    },
)
export = shown.assign(departments=shown["departments"].map(",".join))
ui.download(export, "goals")

# --- One goal against its target ------------------------------------------------------------
st.subheader("Against the target")
ids = shown["goal_id"].tolist()
titles = dict(zip(shown["goal_id"], shown["title"]))
wanted = st.query_params.get("goal")
if "g_goal" not in st.session_state or st.session_state["g_goal"] not in ids:
    if wanted is not None and wanted not in ids:
        st.warning("Ignored the goal in the link: no goal with that id is shown here.", icon=":material/link_off:")
    st.session_state["g_goal"] = wanted if wanted in ids else ids[0]
chosen = st.selectbox("Goal", ids, key="g_goal", format_func=lambda g: titles.get(g, g))
if st.query_params.get("goal") != chosen:
    st.query_params["goal"] = chosen

goal = shown.set_index("goal_id").loc[chosen]
series = ui.compute(goals.goal_series, settings, chosen, today, now)
label = goals.metric_label(goal["metric"])
fig = go.Figure()
measured = series.dropna(subset=["actual"])
fig.add_trace(go.Scatter(x=measured["day"], y=measured["actual"], mode="lines+markers", name=f"{label} to date",
                         line={"width": 3}))
fig.add_trace(go.Scatter(x=series["day"], y=series["target"], mode="lines", name="Target",
                         line={"dash": "dash", "color": "#d62728"}))
if goal["kind"] == "cumulative":
    fig.add_trace(go.Scatter(x=series["day"], y=series["pace"], mode="lines", name="Pace (on track from here)",
                             line={"dash": "dot", "color": "#7f7f7f"}))
kind = metrics.METRICS[goals.metric_key(goal["metric"])].kind
fig.update_layout(height=380, margin={"l": 10, "r": 10, "t": 10, "b": 10}, legend={"orientation": "h"},
                  yaxis_title=label + (" (minutes)" if kind == "minutes" else ""),
                  yaxis_tickformat=".0%" if kind == "ratio" else None)
st.plotly_chart(fig, width="stretch", config=ui.chart_config(f"goal-{chosen}"))

status_line = STATUS_LABELS[goal["status"]]
if goal["status"] == "not started":
    st.caption(f"{status_line}: the goal starts on {goal['period_start']:%d %b %Y}.")
else:
    st.caption(
        f"{status_line}: {value_text(goal['metric'], goal['actual'])} against a target of "
        f"{value_text(goal['metric'], goal['target'])}"
        + (f", progress {goal['progress']:.0%}" if 0 <= goal["progress"] < float("inf") else "")
        + (f", {goal['elapsed_share']:.0%} of the period elapsed" if goal["kind"] == "cumulative" else "")
        + (" (lower is better)" if goal["metric"] in goals.LOWER_IS_BETTER else "") + "."
    )
st.caption(f"How it is measured: {goals.formula(goal['metric'])} Scope: "
           f"{goals.scope_text(goal['metric'], tuple(goal['departments']))} Each point is the goal's actual "
           "counted from its start to that day.")
ui.download(series, f"goal-{chosen}", label="Download the series (CSV)")
