"""Departments: who carries the company's social presence, how evenly, at what cost,
and which employees take part with their own accounts."""

import plotly.express as px
import streamlit as st

from socialdash import departments, formatting, metrics, tables, ui

view, settings = ui.current()
previous = metrics.previous_view(view)
currency = settings.currency


def plain(text: str) -> str:
    """Names from the configuration inside markdown, shown as written (never as a link)."""
    return formatting.escape_markdown(text)


summary = ui.compute(departments.coop_summary, view, settings)
matrix = ui.compute(departments.contribution_matrix, view, settings)

st.title("Departments")
chosen = ", ".join(map(plain, matrix["name"])) if view.departments else "every department"
present = ui.compute(departments.has_data, view, settings)
compared = present and ui.compute(departments.has_data, previous, settings)
st.caption(
    view.period.label()
    + (f", compared with {previous.period.label()}" if present else "")
    + (" (no data then: no change is shown)" if present and not compared else "")
    + f". The company only; showing {chosen}. "
    "Shares, the co-op index and the organisation model always count every configured department."
)

if summary["departments"] == 0:
    st.info("No departments are configured. Add `[[departments]]` to the configuration file and refresh.")
    st.stop()
if not present:
    # Every count would be a zero that says nothing about the departments.
    st.info(departments.no_data_message(view.period, ui.compute(departments.data_span, view, settings)),
            icon=":material/event_busy:")
    st.stop()

summary_before = ui.compute(departments.coop_summary, previous, settings) if compared else None
matrix_before = ui.compute(departments.contribution_matrix, previous, settings) if compared else None


def card(label: str, metric: str, now, before, text: str, help: str) -> None:
    """A KPI card whose change reads "no change", grey, when it rounds to zero."""
    change = None if before is None else formatting.delta(metric, now, before)
    st.metric(label, text, change, help=help, border=True, **formatting.delta_style(metric, change))


# --- Headline ---------------------------------------------------------------------------
c1, c2, c3, c4 = st.columns([1, 1.4, 1, 1])
with c1:
    card("Co-op index", "coop_index", summary["coop_index"], summary_before and summary_before["coop_index"],
         formatting.value("coop_index", summary["coop_index"]),
         metrics.METRICS["coop_index"].formula + " Change: against the previous period of equal length.")
with c2:
    st.metric("Organisation model", (summary["model_label"] or "Not available").split(" (")[0],
              help=departments.FORMULAS["model"], border=True)
with c3:
    card("Contributions", "posts", summary["contributions"], summary_before and summary_before["contributions"],
         formatting.compact(summary["contributions"]),
         "All departments' original posts + responses in the period. " + departments.FORMULAS["posts"])
with c4:
    shown = int(matrix["engagements"].sum())
    card("Engagements (selected)" if view.departments else "Engagements earned", "engagements", shown,
         None if matrix_before is None else int(matrix_before["engagements"].sum()),
         formatting.compact(shown), departments.FORMULAS["engagements"])

if summary["model"] is None:
    st.info("No department contributed in this period, so the co-op index and the organisation model "
            "are not available.")
else:
    st.markdown(f"**{plain(summary['model_label'])}.** {plain(summary['meaning'])}")
    st.markdown(plain(summary["next_step"]))

# --- Contribution matrix ------------------------------------------------------------------
F = departments.FORMULAS
st.subheader("Who contributes what")
table = matrix[["name", "contributions", "share", "posts", "responses", "engagements", "budget_for_period",
                "cost_per_engagement"]].rename(columns={
    "name": "Department", "contributions": "Contributions", "share": "Share", "posts": "Posts",
    "responses": "Responses", "engagements": "Engagements", "budget_for_period": "Budget",
    "cost_per_engagement": "Cost / engagement",
})
# The one duration rule, with as many decimals as tell the departments apart.
table.insert(6, "Median response", formatting.distinct("median_response_minutes", matrix["median_response_minutes"]))
config = tables.number_columns(table, money=("Budget",), currency=currency, help={
    "Posts": F["posts"], "Responses": F["responses"], "Contributions": F["contributions"],
    "Engagements": "Engagements earned: " + F["engagements"],
    "Budget": f"The period's share of the annual budget, in {currency}: " + F["budget_for_period"],
})
config["Median response"] = st.column_config.TextColumn(help=F["median_response_minutes"], alignment="right")
config["Share"] = st.column_config.ProgressColumn(
    help=F["share"], format="percent", min_value=0.0, max_value=1.0, color="blue")
# Cents at least, more where two departments' costs would otherwise read the same.
cost_decimals = formatting.decimals_apart([table["Cost / engagement"]], decimals=2)
config["Cost / engagement"] = st.column_config.NumberColumn(
    format=tables.money_format(currency, cost_decimals),
    help=f"In {currency}: " + F["cost_per_engagement"] + " Empty without a budget or an engagement.")
st.dataframe(table, hide_index=True, width="stretch", column_config=config, placeholder="—")
st.caption(
    f"Amounts in {currency}. Cost per engagement = annual budget × (days in the period / 365) / engagements "
    "earned; empty where a department has no budget or no engagement. Median response: — where the "
    "department answered nothing in the period."
)
ui.download(table.assign(**{"Median response (minutes)": matrix["median_response_minutes"]})
            .drop(columns=["Median response"]), "departments-contributions", label="Download the contributions (CSV)")

st.markdown("**Where each department's posts come from**")
sources = matrix[["name", "posts", "posts_own_accounts", "posts_people", "posts_attributed"]].rename(columns={
    "name": "Department", "posts": "Posts", "posts_own_accounts": "Its own accounts",
    "posts_people": "Its people's accounts", "posts_attributed": "Brand posts attributed to it",
})
st.dataframe(sources, hide_index=True, width="stretch", placeholder="—", column_config=tables.number_columns(
    sources, help={"Posts": F["posts"], "Its own accounts": F["posts_own_accounts"],
                   "Its people's accounts": F["posts_people"],
                   "Brand posts attributed to it": F["posts_attributed"]}))
st.caption("A department's posts are its own accounts', its people's and the brand posts attributed to it "
           "by its signatures.")

# --- Over time ----------------------------------------------------------------------------
st.subheader("Shares and co-op index over time")
over_time = ui.compute(departments.coop_over_time, view, settings)
if over_time.empty or over_time["contributions"].sum() == 0:
    st.info("No department contributed in this period, so there are no shares to draw.")
else:
    grain = over_time["grain"].iloc[0]
    shown_rows = over_time[over_time["department_id"].isin(matrix["department_id"])]
    # One chart under the other, full width: up to 16 periods whose labels stay horizontal.
    # Each department keeps its colour whatever the period or the departments filter (by id,
    # over every configured department), in a palette apart from the organizations' colours.
    everyone = over_time.drop_duplicates("department_id").sort_values("department_id")
    palette = px.colors.qualitative.Set2 + px.colors.qualitative.Pastel1
    dept_colours = {formatting.chart_text(name): palette[i % len(palette)]
                    for i, name in enumerate(everyone["name"])}
    fig = px.bar(shown_rows.assign(name=shown_rows["name"].map(formatting.chart_text),
                                   axis=shown_rows["bucket"].map(departments.axis_label)),
                 x="axis", y="share", color="name", color_discrete_map=dept_colours,
                 labels={"axis": "", "share": "Share of contributions", "name": ""},
                 hover_data={"share": ":.1%", "contributions": ":,d", "axis": False, "bucket": True})
    fig.update_layout(barmode="stack", height=420, yaxis_tickformat=".0%", yaxis_range=[0, 1],
                      margin={"l": 10, "r": 10, "t": 10, "b": 10}, xaxis_tickangle=0,
                      legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0})
    st.plotly_chart(fig, width="stretch", config=ui.chart_config("departments-contribution-shares"))
    st.caption(f"Per {grain}: each department's contributions / all departments' in that {grain}. "
               + ("Only the selected departments are drawn, so the bars may not reach 100 %."
                  if view.departments else ""))

    index = over_time.drop_duplicates("bucket_start")[["bucket", "coop_index", "model"]].copy()
    index["axis"] = index["bucket"].map(departments.axis_label)
    index["model"] = index["model"].map(lambda m: metrics.ORGANISATION_MODELS.get(m, "not available"))
    fig = px.line(index, x="axis", y="coop_index", markers=True,
                  labels={"axis": "", "coop_index": "Co-op index", "model": "Model", "bucket": "Period"},
                  hover_data={"model": True, "axis": False, "bucket": True})
    fig.update_traces(connectgaps=False)
    fig.update_layout(height=320, yaxis_range=[0, 105], xaxis_tickangle=0,
                      margin={"l": 10, "r": 10, "t": 10, "b": 10})
    st.plotly_chart(fig, width="stretch", config=ui.chart_config("departments-coop-index"))
    gaps = int(index["coop_index"].isna().sum())
    st.caption(f"Per {grain}, company-wide. " + metrics.METRICS["coop_index"].formula
               + (f" No point where no department contributed ({gaps} {grain}{'s' if gaps > 1 else ''})."
                  if gaps else ""))
    ui.download(over_time, "departments-over-time", label="Download the series (CSV)")

# --- Employee advocacy --------------------------------------------------------------------
st.subheader("Employee advocacy")
advocacy = ui.compute(departments.advocacy, view, settings)
adv = advocacy[["name", "people", "active", "participation_rate", "posts", "engagements"]].rename(columns={
    "name": "Department", "people": "People with own accounts", "active": "Active in the period",
    "participation_rate": "Participation rate", "posts": "Posts", "engagements": "Engagements",
})
config = tables.number_columns(adv, help={
    "People with own accounts": F["people"], "Active in the period": F["active"],
    "Posts": F["advocacy_posts"], "Engagements": F["advocacy_engagements"]})
config["Participation rate"] = st.column_config.ProgressColumn(
    help=F["participation_rate"] + " Empty where the department has nobody with an own account.",
    format="percent", min_value=0.0, max_value=1.0, color="blue")
st.dataframe(adv, hide_index=True, width="stretch", column_config=config, placeholder="—")
st.caption("Each person is counted once, in their one department. Only what the configuration says about "
           "people (name, department, accounts) is shown; active = at least one original post in the period.")
ui.download(adv, "departments-advocacy", label="Download the advocacy table (CSV)")

people = ui.compute(departments.advocates, view, settings)
with st.expander(f"People ({len(people):,})"):
    shown_people = people[["person", "department", "accounts", "posts", "engagements", "active"]].rename(
        columns={"person": "Person", "department": "Department", "accounts": "Accounts", "posts": "Posts",
                 "engagements": "Engagements", "active": "Active"})
    st.dataframe(shown_people, hide_index=True, width="stretch", placeholder="—",
                 column_config=tables.number_columns(shown_people, help={
                     "Posts": F["advocacy_posts"], "Engagements": F["advocacy_engagements"]}))
    ui.download(shown_people, "departments-people", label="Download the people (CSV)")
