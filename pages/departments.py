"""Departments: who carries the company's social presence, how evenly, at what cost,
and which employees take part with their own accounts."""

import plotly.express as px
import streamlit as st

from socialdash import departments, formatting, metrics, ui

view, settings = ui.current()
previous = metrics.previous_view(view)


def plain(text: str) -> str:
    """Names from the configuration inside markdown, shown as written (never as a link)."""
    return formatting.escape_markdown(text)


summary = ui.compute(departments.coop_summary, view, settings)
summary_before = ui.compute(departments.coop_summary, previous, settings)
matrix = ui.compute(departments.contribution_matrix, view, settings)
matrix_before = ui.compute(departments.contribution_matrix, previous, settings)

st.title("Departments")
chosen = ", ".join(map(plain, matrix["name"])) if view.departments else "every department"
st.caption(
    f"{view.period.label()}, compared with {previous.period.label()}. The company only; showing {chosen}. "
    "Shares, the co-op index and the organisation model always count every configured department."
)

if summary["departments"] == 0:
    st.info("No departments are configured. Add `[[departments]]` to the configuration file and refresh.")
    st.stop()

# --- Headline ---------------------------------------------------------------------------
coop_help = metrics.METRICS["coop_index"].formula + " Change: against the previous period of equal length."
c1, c2, c3, c4 = st.columns([1, 1.4, 1, 1])
with c1:
    st.metric("Co-op index", formatting.value("coop_index", summary["coop_index"]),
              formatting.delta("coop_index", summary["coop_index"], summary_before["coop_index"]),
              help=coop_help, border=True)
with c2:
    st.metric("Organisation model", (summary["model_label"] or "Not available").split(" (")[0],
              help=departments.FORMULAS["model"], border=True)
with c3:
    st.metric("Contributions", formatting.compact(summary["contributions"]),
              formatting.delta("posts", summary["contributions"], summary_before["contributions"]),
              help="All departments' original posts + responses in the period. " + departments.FORMULAS["posts"],
              border=True)
with c4:
    shown = matrix["engagements"].sum()
    st.metric("Engagements (selected)" if view.departments else "Engagements earned",
              formatting.compact(shown),
              formatting.delta("engagements", shown, matrix_before["engagements"].sum()),
              help=departments.FORMULAS["engagements"], border=True)

if summary["model"] is None:
    st.info("No department contributed in this period, so the co-op index and the organisation model "
            "are not available.")
else:
    st.markdown(f"**{plain(summary['model_label'])}.** {plain(summary['meaning'])}")
    st.markdown(plain(summary["next_step"]))

# --- Contribution matrix ------------------------------------------------------------------
st.subheader("Who contributes what")
table = matrix[["name", "contributions", "share", "posts", "responses", "engagements", "median_response_minutes",
                "budget_for_period", "cost_per_engagement", "posts_own_accounts", "posts_people",
                "posts_attributed"]].rename(columns={
    "name": "Department", "posts": "Posts", "posts_own_accounts": "Posts: own accounts",
    "posts_people": "Posts: people", "posts_attributed": "Posts: attributed",
    "responses": "Responses", "contributions": "Contributions", "share": "Share",
    "engagements": "Engagements", "median_response_minutes": "Median response (min)",
    "budget_for_period": "Budget (period)", "cost_per_engagement": "Cost / engagement",
})
F = departments.FORMULAS
st.dataframe(
    table, hide_index=True, width="stretch",
    column_config={
        "Posts": st.column_config.NumberColumn(help=F["posts"], width="small"),
        "Posts: own accounts": st.column_config.NumberColumn(help=F["posts_own_accounts"]),
        "Posts: people": st.column_config.NumberColumn(help=F["posts_people"]),
        "Posts: attributed": st.column_config.NumberColumn(help=F["posts_attributed"]),
        "Responses": st.column_config.NumberColumn(help=F["responses"], width="small"),
        "Contributions": st.column_config.NumberColumn(help=F["contributions"]),
        "Share": st.column_config.ProgressColumn(
            help=F["share"], format="percent", min_value=0.0, max_value=1.0, color="blue"),
        "Engagements": st.column_config.NumberColumn(help="Engagements earned: " + F["engagements"],
                                                     format="localized"),
        "Median response (min)": st.column_config.NumberColumn(help=F["median_response_minutes"], format="%.0f",
                                                               width="small"),
        "Budget (period)": st.column_config.NumberColumn(help=F["budget_for_period"], format="%.0f"),
        "Cost / engagement": st.column_config.NumberColumn(help=F["cost_per_engagement"], format="%.3f"),
    },
)
st.caption(
    "Cost per engagement = annual budget × (days in the period / 365) / engagements earned, in the budget's "
    "currency; empty where a department has no budget or no engagement. A department's posts are its own "
    "accounts', its people's and the brand posts attributed to it by its signatures."
)
ui.download(table, "departments-contributions")

# --- Over time ----------------------------------------------------------------------------
st.subheader("Shares and co-op index over time")
over_time = ui.compute(departments.coop_over_time, view, settings)
if over_time.empty or over_time["contributions"].sum() == 0:
    st.info("No contribution in this period.")
else:
    grain = over_time["grain"].iloc[0]
    shown_rows = over_time[over_time["department_id"].isin(matrix["department_id"])]
    left, right = st.columns(2)
    with left:
        fig = px.bar(shown_rows.assign(name=shown_rows["name"].map(formatting.chart_text)),
                     x="bucket", y="share", color="name",
                     labels={"bucket": "", "share": "Share of contributions", "name": ""},
                     hover_data={"contributions": True})
        fig.update_layout(barmode="stack", height=420, yaxis_tickformat=".0%",
                          margin={"l": 10, "r": 10, "t": 10, "b": 10},
                          legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0})
        st.plotly_chart(fig, width="stretch", config=ui.chart_config("departments-contribution-shares"))
        st.caption(f"Per {grain}: each department's contributions / all departments' in that {grain}. "
                   + ("Only the selected departments are drawn, so the bars may not reach 100 %."
                      if view.departments else ""))
    with right:
        index = over_time.drop_duplicates("bucket_start")[["bucket", "coop_index", "model"]].copy()
        index["model"] = index["model"].map(lambda m: metrics.ORGANISATION_MODELS.get(m, "not available"))
        fig = px.line(index, x="bucket", y="coop_index", markers=True,
                      labels={"bucket": "", "coop_index": "Co-op index", "model": "Model"},
                      hover_data={"model": True})
        fig.update_layout(height=420, yaxis_range=[0, 100], margin={"l": 10, "r": 10, "t": 10, "b": 10})
        st.plotly_chart(fig, width="stretch", config=ui.chart_config("departments-coop-index"))
        st.caption(f"Per {grain}, company-wide. " + metrics.METRICS["coop_index"].formula)
    ui.download(over_time, "departments-over-time", label="Download the series (CSV)")

# --- Employee advocacy --------------------------------------------------------------------
st.subheader("Employee advocacy")
advocacy = ui.compute(departments.advocacy, view, settings)
adv = advocacy[["name", "people", "active", "participation_rate", "posts", "engagements"]].rename(columns={
    "name": "Department", "people": "People with own accounts", "active": "Active in the period",
    "participation_rate": "Participation rate", "posts": "Posts", "engagements": "Engagements",
})
st.dataframe(
    adv, hide_index=True, width="stretch",
    column_config={
        "People with own accounts": st.column_config.NumberColumn(help=F["people"]),
        "Active in the period": st.column_config.NumberColumn(help=F["active"]),
        "Participation rate": st.column_config.ProgressColumn(
            help=F["participation_rate"], format="percent", min_value=0.0, max_value=1.0, color="blue"),
        "Posts": st.column_config.NumberColumn(help=F["advocacy_posts"]),
        "Engagements": st.column_config.NumberColumn(help=F["advocacy_engagements"], format="localized"),
    },
)
st.caption("Each person is counted once, in their one department. Only what the configuration says about "
           "people (name, department, accounts) is shown; active = at least one original post in the period.")
ui.download(adv, "departments-advocacy")

people = ui.compute(departments.advocates, view, settings)
with st.expander(f"People ({len(people)})"):
    shown_people = people[["person", "department", "accounts", "posts", "engagements", "active"]].rename(
        columns={"person": "Person", "department": "Department", "accounts": "Accounts", "posts": "Posts",
                 "engagements": "Engagements", "active": "Active"})
    st.dataframe(shown_people, hide_index=True, width="stretch",
                 column_config={"Posts": st.column_config.NumberColumn(help=F["advocacy_posts"]),
                                "Engagements": st.column_config.NumberColumn(
                                    help=F["advocacy_engagements"], format="localized")})
    ui.download(shown_people, "departments-people")
