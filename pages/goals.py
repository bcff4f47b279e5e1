"""Shared goals: how each cross-functional goal stands against its target."""

import plotly.graph_objects as go
import streamlit as st

from socialdash import colours, formatting, goals, metrics, ui
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


def actual_and_target(metric: str, actual, target) -> tuple[str, str]:
    """Actual and target with enough digits to read differently when they differ
    (999 followers against 1,000 is not "1.0k" against "1.0k")."""
    actual_text, target_text = formatting.distinct(goals.metric_key(metric), [actual, target])
    return actual_text, target_text


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

def departments_text(ids) -> str:
    if not ids:
        return "Whole company"
    if len(ids) > 2 and set(ids) >= set(dept_names):
        return "Every department"
    return ", ".join(dept_names.get(d, d) for d in ids)


texts = [goals.progress_texts(p, e, k) for p, e, k in zip(shown["progress"], shown["elapsed_share"], shown["kind"])]
values = [actual_and_target(m, a, t) for m, a, t in zip(shown["metric"], shown["actual"], shown["target"])]
table = shown.assign(
    Goal=shown["title"],
    Metric=shown["metric"].map(goals.metric_label),
    Departments=shown["departments"].map(departments_text),
    Period=[goals.period_text(s, e) for s, e in zip(shown["period_start"], shown["period_end"])],
    Target=[t for _, t in values],
    Actual=[a for a, _ in values],
    Progress=[p for p, _ in texts],   # the real value, uncapped: 105 % reads 105 %
    Pace=[p for _, p in texts],
    Status=shown["status"].map(STATUS_LABELS),
)[["Goal", "Status", "Progress", "Pace", "Actual", "Target", "Metric", "Departments", "Period"]]
def lines(text: str, chars_a_line: int) -> int:
    """About how many lines ``text`` takes once wrapped in a column of ``chars_a_line``."""
    return -(-len(str(text)) // chars_a_line)


# Every column visible at 1,400 px: long titles, department lists and periods wrap. Streamlit
# wraps only rows taller than 64 px, so rows are three lines high at least, as many as the
# longest title or department list needs (six at most), and the table shows up to 15 rows.
wrapped = max(3, *(lines(t, 26) for t in table["Goal"]), *(lines(t, 20) for t in table["Departments"]))
ROW_HEIGHT = 10 + 20 * min(wrapped, 6)
st.dataframe(
    table.style.map(lambda v: f"background-color: {STATUS_COLOURS.get(v, '')}", subset=["Status"]),
    hide_index=True, width="stretch", row_height=ROW_HEIGHT, height=38 + ROW_HEIGHT * min(len(table), 15),
    column_config={
        "Goal": st.column_config.TextColumn(width=200),
        "Status": st.column_config.TextColumn(help=JUDGED, width=85),
        "Progress": st.column_config.TextColumn(
            help=JUDGED + " Shown as it is, above 100 % too; — where there is no value yet.", width=75,
            alignment="right"),
        "Pace": st.column_config.TextColumn(
            help="Cumulative goals: the share of the goal's days elapsed (start to today, both included) — "
                 "the progress needed to be on track. Level goals are judged as they stand.", width=60,
            alignment="right"),
        "Actual": st.column_config.TextColumn(
            help="The metric over the goal's period up to today (or its end), scoped to the goal's departments.",
            width=70, alignment="right"),
        "Target": st.column_config.TextColumn(width=70, alignment="right"),
        "Metric": st.column_config.TextColumn(width=110),
        "Departments": st.column_config.TextColumn(width=160),
        "Period": st.column_config.TextColumn(width=100),
    },
)
export = shown.assign(departments=shown["departments"].map(",".join))
ui.download(export, "goals", label="Download the goals (CSV)")

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
measured = series.dropna(subset=["actual"])
kind = metrics.METRICS[goals.metric_key(goal["metric"])].kind
status_line = STATUS_LABELS[goal["status"]]
actual_text, target_text = actual_and_target(goal["metric"], goal["actual"], goal["target"])
progress_text, pace_text = goals.progress_texts(goal["progress"], goal["elapsed_share"], goal["kind"])

if goal["status"] == "not started":
    # Nothing is measured before a goal's first day: words, not an empty chart.
    st.info(f"{status_line}: the goal starts on {goal['period_start']:%d %b %Y}, so nothing is measured yet. "
            f"Its target is {target_text} by {goal['period_end']:%d %b %Y}.", icon=":material/schedule:")
elif measured.empty:
    st.info(f"No value of {goals.metric_label(goal['metric']).lower()} measured for this goal yet, so there is "
            f"nothing to draw: the target is {target_text} by {goal['period_end']:%d %b %Y}.",
            icon=":material/query_stats:")
else:
    # Durations on the axis in the unit the one duration rule gives the target: the goal's own terms.
    unit, factor = "", 1.0
    if kind == "minutes":
        unit = formatting.minutes(goal["target"]).split(" ")[-1]
        factor = {"s": 1 / 60, "min": 1.0, "h": 60.0, "days": 1440.0}[unit]
    company = ui.compute(goals.company_id)
    company_colour = ui.compute(colours.org_colours).get(company, colours.PALETTE[0])

    def trace(frame, column, name, line, mode="lines"):
        hover = [value_text(goal["metric"], v) for v in frame[column]]
        return go.Scatter(x=frame["day"], y=frame[column] / factor, mode=mode, name=name, line=line,
                          customdata=hover, hovertemplate="%{x|%d %b %Y}: %{customdata}<extra>" + name + "</extra>")

    fig = go.Figure()
    fig.add_trace(trace(measured, "actual", f"{label} to date", {"width": 3, "color": company_colour},
                        mode="lines+markers"))
    # Target and pace belong to no organization: neutral colours, told apart by their dashes.
    fig.add_trace(trace(series, "target", "Target", {"dash": "dash", "color": colours.NEUTRAL, "width": 2}))
    if goal["kind"] == "cumulative":
        fig.add_trace(trace(series, "pace", "Pace (on track from here)", {"dash": "dot", "color": "#999999"}))
    unit_names = {"s": "seconds", "min": "minutes", "h": "hours", "days": "days"}
    fig.update_layout(height=380, margin={"l": 10, "r": 10, "t": 10, "b": 10},
                      legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
                      yaxis_title=label + (f" ({unit_names[unit]})" if unit else ""),
                      yaxis_tickformat=".0%" if kind == "ratio" else ",",
                      xaxis_tickformat="%d %b %Y", xaxis_tickangle=0)
    st.plotly_chart(fig, width="stretch", config=ui.chart_config(f"goal-{chosen}"))

if goal["status"] != "not started":
    st.caption(
        f"{status_line}: {actual_text} against a target of {target_text}"
        + (f", progress {progress_text}" if progress_text != "—" else "")
        + (f", {pace_text} of the period elapsed" if goal["kind"] == "cumulative" else "")
        + (" (lower is better)" if goal["metric"] in goals.LOWER_IS_BETTER else "") + "."
    )
st.caption(f"How it is measured: {goals.formula(goal['metric'])} Scope: "
           f"{goals.scope_text(goal['metric'], tuple(goal['departments']))} Each point is the goal's actual "
           "counted from its start to that day.")
ui.download(series, f"goal-{chosen}", label="Download the series (CSV)")
