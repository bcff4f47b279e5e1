"""Response times: how fast the company answers the public, where and when it is slow,
who answers, and how it compares with competitors' public replies (like for like)."""

import math

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from socialdash import colours, formatting, metrics, response_times as rt, standing, tables, ui
from socialdash.config import WEEKDAYS

view, settings = ui.current()
now = ui.now()
previous = metrics.previous_view(view)

M = metrics.METRICS
F = rt.FORMULAS
PLATFORM = ui.PLATFORM_NAMES
CHANGE = " Change: against the previous period of equal length."
LFL = (" Like for like: the organizations with inbound items on the selected platforms, on the platforms "
       "where every one of them has inbound items (competitors' figures come from their public replies).")


def plain(text) -> str:
    """Names from the warehouse as literal text inside markdown."""
    return formatting.escape_markdown(text)


def minutes_text(series: pd.Series) -> pd.Series:
    return series.map(lambda v: formatting.value("median_response_minutes", v))


# fast (green) to unanswered (red), one colour per bucket of metrics.BUCKETS
BUCKET_COLOURS = ["#1a9850", "#91cf60", "#d9ef8b", "#fee08b", "#fc8d59", "#d73027"]


def sla_line(fig) -> None:
    """The SLA as a dotted line on a chart whose y axis is log-scaled minutes, labelled in the
    right margin, where no point or bar can sit under the label. (On a log axis a shape takes
    the value, an annotation its logarithm, so add_hline cannot draw both.)"""
    fig.add_shape(type="line", xref="paper", x0=0, x1=1, y0=settings.sla_minutes, y1=settings.sla_minutes,
                  line={"dash": "dot", "width": 1.5, "color": colours.NEUTRAL})
    fig.add_annotation(xref="paper", x=1, y=math.log10(settings.sla_minutes), text=f"SLA<br>{sla_text}",
                       showarrow=False, xanchor="left", yanchor="middle", font={"color": colours.NEUTRAL})


def top_legend(fig) -> None:
    """The legend above the plot (Plotly widens the top margin to fit it), never over the
    axis' labels; room on the right for the SLA's label."""
    fig.update_layout(legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "left", "x": 0,
                              "title": None},
                      margin={"l": 10, "r": 70, "t": 40, "b": 10})


MINUTE_TICKS = (1, 5, 15, 60, 240, 480, 1440, 4320, 10080, 43200)


def minutes_axis(fig) -> None:
    """Readable ticks (minutes, hours, days) on a log-scaled minutes axis."""
    fig.update_yaxes(tickvals=list(MINUTE_TICKS), ticktext=[formatting.minutes(t) for t in MINUTE_TICKS])


def platform_names(platforms) -> str:
    return ", ".join(PLATFORM.get(p, p) for p in platforms)


cmp_now = ui.compute(rt.comparison, view, settings, now)
cmp_before = ui.compute(rt.comparison, previous, settings, now)

st.title("Response times")
sla_text = formatting.minutes(settings.sla_minutes)
# How the response figures read in every table of the page, with their formulas on hover.
RESPONSE_COLUMNS = {
    "Inbound items": st.column_config.NumberColumn(format=tables.COUNT, help=M["interactions"].formula),
    "Pending": st.column_config.NumberColumn(format=tables.COUNT, help=M["pending"].formula),
    "Median response time": st.column_config.TextColumn(help=M["median_response_minutes"].formula),
    "90th percentile": st.column_config.TextColumn(help=M["p90_response_minutes"].formula),
    "Response rate": st.column_config.NumberColumn(format="percent", help=M["response_rate"].formula),
    "SLA attainment": st.column_config.NumberColumn(
        format="percent", help=M["sla_attainment"].formula + f" SLA = {sla_text}."),
}
st.caption(
    f"{view.period.label()}, compared with {previous.period.label()}. "
    f"Service level (sla_minutes): a first response within {sla_text}. "
    f"Business hours: {settings.business_hours_label}."
)

company = cmp_now.everywhere[cmp_now.everywhere["is_self"]]
if company.empty:
    st.warning("The company itself is not among the selected organizations; select it to see its response times.")
    st.stop()
if cmp_now.everywhere["interactions"].sum() == 0:
    # nothing to compare: no ranks, no charts, no zeros, only what to do about it
    span = ui.compute(standing.data_span, settings)
    if span is not None and span[0] <= view.period.end and view.period.start <= span[1]:
        message = (f"No inbound item in {view.period.label()} for the selected organizations and platforms: "
                   "no response time to measure.")
    else:
        message = standing.no_data_message(view, span)
    st.info(plain(message), icon=":material/event_busy:")
    st.stop()
me = company.iloc[0]
before_rows = cmp_before.everywhere[cmp_before.everywhere["is_self"]]
me_before = before_rows.iloc[0] if len(before_rows) else None
org_names = dict(zip(cmp_now.everywhere["org_id"], cmp_now.everywhere["name"]))

# --- KPIs ---------------------------------------------------------------------------------


def rank_line(key: str) -> str:
    lfl = cmp_now.like_for_like
    if me["org_id"] not in set(lfl["org_id"]):
        return "Not ranked: no like-for-like comparison"
    if len(lfl) < 2:
        return "No competitor to rank against"
    mine = lfl.loc[lfl["is_self"], f"rank_{key}"].iloc[0]
    ranked = int(lfl[f"rank_{key}"].notna().sum())
    if pd.isna(mine):
        return "Not ranked: no value like for like"
    line = f"Rank {int(mine)} of {ranked} like for like ({platform_names(cmp_now.platforms)})"
    lfl_before = cmp_before.like_for_like
    # "was" only where the previous period was compared on the same platforms
    if len(lfl_before) >= 2 and lfl_before["is_self"].any() and cmp_before.platforms == cmp_now.platforms:
        was = lfl_before.loc[lfl_before["is_self"], f"rank_{key}"].iloc[0]
        if not pd.isna(was) and int(was) != int(mine):
            line += f", was {int(was)}"
    return line


KPIS = [["median_response_minutes", "p90_response_minutes", "sla_attainment"],
        ["response_rate", "interactions", "pending"]]
for row in KPIS:
    for col, key in zip(st.columns(len(row)), row):
        m = M[key]
        value = me[key]
        ranked = key in rt.RANKED_METRICS
        # Pending depends on when a period is looked at (an earlier period's items have had longer
        # to be answered), so no change is shown for it.
        before = me_before[key] if me_before is not None and key != "pending" else None
        change = formatting.delta(key, value, before)
        with col:
            st.metric(
                m.label, formatting.value(key, value), change, **formatting.delta_style(key, change),
                help=m.formula + (f" SLA = {sla_text}." if key == "sla_attainment" else "")
                + ("" if key == "pending" else CHANGE)
                + (" Value: the company on all the selected platforms. Rank (1 = best):" + LFL if ranked
                   else " The company on all the selected platforms."),
                border=True,
            )
            if ranked:
                st.caption(rank_line(key))
            elif key == "pending":
                st.caption("All selected platforms; no change shown: an earlier period's items have had longer "
                           "to be answered")
            else:
                st.caption("All selected platforms")

# What the comparison leaves out, in words.
notes = []
if cmp_now.platforms:
    notes.append(
        f"Ranked like for like on {platform_names(cmp_now.platforms)}: the platforms where inbound items are "
        "collected for every compared organization ("
        + ", ".join(plain(org_names.get(o, o)) for o in cmp_now.orgs) + ")."
    )
elif cmp_now.orgs:
    notes.append("No like-for-like comparison: no platform has inbound items for every organization that has some.")
by_missing: dict[tuple, list] = {}
for platform, missing in cmp_now.not_comparable.items():
    by_missing.setdefault(missing, []).append(platform)
parts = []
for missing, platforms in by_missing.items():
    present = [o for o in cmp_now.orgs if o not in missing]
    whose = (f"items of {plain(org_names.get(present[0], present[0]))} only" if len(present) == 1
             else "no items for " + ", ".join(plain(org_names.get(o, o)) for o in missing))
    parts.append(f"{platform_names(platforms)} ({whose})")
if parts:
    notes.append("Not comparable: " + "; ".join(parts) + ".")
if cmp_now.without_items:
    notes.append(
        "No inbound items collected at all for " + ", ".join(plain(org_names.get(o, o)) for o in cmp_now.without_items)
        + ": left out of the comparison."
    )
if notes:
    st.caption(" ".join(notes))

# --- Against competitors ---------------------------------------------------------------------

RANKED_COLUMNS = {"median_response_minutes": "Median response time", "p90_response_minutes": "90th percentile",
                  "response_rate": "Response rate", "sla_attainment": "SLA attainment"}


def ranked_table(lfl: pd.DataFrame) -> pd.DataFrame:
    """The organizations compared like for like, each ranked figure with its rank beside it
    ("49 min (2)": one column each, so every column fits the page), written so that
    different values of a figure read differently (formatting.distinct)."""
    table = pd.DataFrame({"Organization": lfl["name"], "Inbound items": lfl["interactions"],
                          "Pending": lfl["pending"]})
    for key, column in RANKED_COLUMNS.items():
        texts = formatting.distinct(key, lfl[key])
        table[column] = [t if pd.isna(r) else f"{t} ({int(r)})" for t, r in zip(texts, lfl[f"rank_{key}"])]
    return table


st.subheader("Against competitors, like for like", help=LFL.strip())
lfl = cmp_now.like_for_like
if len(lfl) < 2:
    st.info("No competitor can be compared like for like with the selected organizations and platforms.")
else:
    # every compared organization in view (13 in the large demo), none behind a scroll
    st.dataframe(ranked_table(lfl), hide_index=True, width="stretch", placeholder="—",
                 height=min(38 + 35 * len(lfl), 38 + 35 * 20), column_config={
        **RESPONSE_COLUMNS,
        **{c: st.column_config.TextColumn(help=M[k].formula + " (rank): 1 = best among the organizations compared "
                                               "like for like; ties share the best rank.")
           for k, c in RANKED_COLUMNS.items()},
    })
    st.caption(f"On {platform_names(cmp_now.platforms)} only. Each figure with its rank in brackets (1 = best).")
    ui.download(lfl.drop(columns=["is_self"]), "response-times-like-for-like")

# --- Distribution ---------------------------------------------------------------------------

st.subheader("How long answers take", help=F["bucket_share"])
left, right = st.columns(2)
own = ui.compute(rt.bucket_distribution, view, settings, now, False)
side = ui.compute(rt.bucket_distribution, view, settings, now, True)
with left:
    st.markdown("**The company, all selected platforms**")
    if own.empty:
        st.info("No inbound item (pending left out) in this period.")
    else:
        fig = px.bar(own.assign(label=own["items"].map("{:,}".format)), x="bucket", y="items", text="label",
                     color="bucket",
                     color_discrete_sequence=BUCKET_COLOURS, category_orders={"bucket": list(metrics.BUCKETS)},
                     labels={"bucket": "Response time", "items": "Inbound items"})
        fig.update_layout(showlegend=False)
        fig.update_layout(height=320, margin={"l": 10, "r": 10, "t": 10, "b": 10})
        st.plotly_chart(fig, width="stretch", config=ui.chart_config("response-time-buckets"))
with right:
    st.markdown("**Side by side, like for like**")
    if side.empty or side["org_id"].nunique() < 2:
        st.info("No competitor to compare like for like.")
    else:
        side_names = side["name"].map(formatting.chart_text)  # names in Plotly: as text, never as its HTML
        fig = px.bar(side.assign(name=side_names), y="name", x="share", color="bucket", orientation="h",
                     category_orders={"bucket": list(metrics.BUCKETS), "name": list(dict.fromkeys(side_names))},
                     color_discrete_sequence=BUCKET_COLOURS,
                     labels={"name": "", "share": "Share of inbound items (pending left out)", "bucket": ""})
        fig.update_layout(height=320, margin={"l": 10, "r": 10, "t": 10, "b": 10}, xaxis_tickformat=".0%",
                          legend={"orientation": "h", "y": -0.25})
        st.plotly_chart(fig, width="stretch", config=ui.chart_config("response-time-buckets-by-organization"))
st.caption("Buckets of metrics.md: < 60 min; 60 to < 240; 240 to < 480; 480 to < 1,440; 1,440 to < 10,080 "
           "(7 days); unanswered = no response, or a response after 7 days. Pending items are left out. "
           + F["bucket_share"])
buckets_csv = pd.concat([own.assign(scope="company, all selected platforms"),
                         side.assign(scope="like for like: " + platform_names(cmp_now.platforms))])
ui.download(buckets_csv.drop(columns=["is_self", "bucket_no"]), "response-time-buckets")

# --- By week ----------------------------------------------------------------------------------

st.subheader("Week by week", help=F["week"])
weeks = ui.compute(rt.weekly, view, settings, now)
if weeks["interactions"].sum() == 0:
    st.info("No inbound item in this period.")
else:
    long = weeks.melt(id_vars=["week"], value_vars=["median_response_minutes", "p90_response_minutes"],
                      var_name="figure", value_name="minutes").dropna()
    long["figure"] = long["figure"].map({k: M[k].label for k in M})
    fig = px.line(long, x="week", y="minutes", color="figure", markers=True, log_y=True,
                  labels={"week": "Week starting", "minutes": "Response time (log scale)", "figure": ""})
    sla_line(fig)
    minutes_axis(fig)
    fig.update_traces(cliponaxis=False)
    # a tick under each week's point, on its first day (Plotly's own ticks fall on Sundays)
    fig.update_xaxes(tickvals=sorted(long["week"].unique()), tickformat="%b %-d")  # the year is in the caption above
    fig.update_layout(height=360)
    top_legend(fig)
    st.plotly_chart(fig, width="stretch", config=ui.chart_config("response-times-by-week"))
    st.caption("The company, all selected platforms. " + M["median_response_minutes"].formula + " "
               + M["p90_response_minutes"].formula + " " + F["week"])
    week_table = pd.DataFrame({
        "Week starting": weeks["week"], "Days in period": weeks["days"],
        "Inbound items": weeks["interactions"], "Pending": weeks["pending"],
        "Median response time": minutes_text(weeks["median_response_minutes"]),
        "90th percentile": minutes_text(weeks["p90_response_minutes"]),
        "Response rate": weeks["response_rate"], "SLA attainment": weeks["sla_attainment"],
    })
    with st.expander("Weekly figures"):
        st.dataframe(week_table, hide_index=True, width="stretch", placeholder="—", column_config={
            "Week starting": st.column_config.DateColumn(format="YYYY-MM-DD", help=F["week"]),
            **RESPONSE_COLUMNS,
        })
    ui.download(weeks, "response-times-by-week")

# --- By platform ------------------------------------------------------------------------------

st.subheader("By platform", help="Each platform on its own: the organizations that have inbound items there.")
plat = ui.compute(rt.by_platform, view, settings, now)
if plat.empty:
    st.info("No inbound item in this period.")
else:
    chart = plat.dropna(subset=["median_response_minutes"]).assign(
        platform_name=lambda f: f["platform"].map(lambda p: PLATFORM.get(p, p)),
        name=lambda f: f["name"].map(formatting.chart_text))  # names in Plotly: as text, never as its HTML
    # one colour per organization, the same on every page, chart and the brief (colours.py)
    org_colour = ui.compute(colours.org_colours)
    palette = {formatting.chart_text(n): org_colour.get(o, colours.NEUTRAL) for o, n in zip(plat["org_id"], plat["name"])}
    fig = px.bar(chart, x="platform_name", y="median_response_minutes", color="name", barmode="group", log_y=True,
                 # the company first, then the others by name, in the legend as in each group
                 category_orders={"name": list(dict.fromkeys(
                     plat.sort_values(["is_self", "name"], ascending=[False, True])["name"].map(formatting.chart_text)))},
                 color_discrete_map=palette,
                 labels={"platform_name": "", "median_response_minutes": "Median (log scale)",
                         "name": ""})
    sla_line(fig)
    minutes_axis(fig)
    fig.update_layout(height=380)
    top_legend(fig)
    st.plotly_chart(fig, width="stretch", config=ui.chart_config("response-times-by-platform"))
    mine = plat[plat["is_self"]]
    plat_table = pd.DataFrame({
        "Platform": mine["platform"].map(lambda p: PLATFORM.get(p, p)),
        "Inbound items": mine["interactions"], "Pending": mine["pending"],
        "Median response time": minutes_text(mine["median_response_minutes"]),
        "90th percentile": minutes_text(mine["p90_response_minutes"]),
        "Response rate": mine["response_rate"], "SLA attainment": mine["sla_attainment"],
        "Rank (median)": [
            "not compared" if n < 2 else ("—" if pd.isna(r) else f"{int(r)} of {int(n)}")
            for r, n in zip(mine["rank_median_response_minutes"], mine["compared"])],
        "Rank (SLA)": [
            "not compared" if n < 2 else ("—" if pd.isna(r) else f"{int(r)} of {int(n)}")
            for r, n in zip(mine["rank_sla_attainment"], mine["compared"])],
    })
    st.dataframe(plat_table, hide_index=True, width="stretch", placeholder="—", column_config={
        **RESPONSE_COLUMNS,
        "Rank (median)": st.column_config.TextColumn(
            help="The company's rank (1 = best) on this platform among the organizations with inbound items on it; "
                 "not compared: only the company has items there."),
        "Rank (SLA)": st.column_config.TextColumn(
            help="The company's rank (1 = best) on this platform among the organizations with inbound items on it; "
                 "not compared: only the company has items there."),
    })
    st.caption("The company's figures per platform; the chart and the CSV hold every organization's "
               "(chart: " + M["median_response_minutes"].formula[0].lower() + M["median_response_minutes"].formula[1:]
               + ") "
               "A platform where only the company has inbound items (its own access, e.g. private messages) "
               "cannot be compared (rank: not compared).")
    ui.download(plat.drop(columns=["is_self"]), "response-times-by-platform")

# --- By department ------------------------------------------------------------------------------

st.subheader("Who answers: by department",
             help="The company only: interactions.department_id is the department that answered.")
depts = ui.compute(rt.by_department, view, settings, now)
if depts.empty or depts["responses"].sum() == 0:
    st.info("No response by the selected departments in this period.")
else:
    dept_table = pd.DataFrame({
        "Department": depts["name"], "Responses": depts["responses"],
        "Share of the company's responses": depts["share_of_responses"],
        "Median response time": minutes_text(depts["median_response_minutes"]),
        "90th percentile": minutes_text(depts["p90_response_minutes"]),
        "Within SLA": depts["within_sla_share"], "Late (≥ 7 days)": depts["late"],
    })
    st.dataframe(dept_table, hide_index=True, width="stretch", placeholder="—", column_config={
        "Responses": st.column_config.NumberColumn(format=tables.COUNT, help=F["responses"]),
        "Share of the company's responses": st.column_config.NumberColumn(format="percent",
                                                                          help=F["share_of_responses"]),
        "Median response time": st.column_config.TextColumn(
            help="Median (continuous) of first response − received over the department's responses, however late."),
        "90th percentile": st.column_config.TextColumn(
            help="90th percentile (continuous) of first response − received over the department's responses."),
        "Within SLA": st.column_config.NumberColumn(format="percent", help=F["within_sla_share"]),
        "Late (≥ 7 days)": st.column_config.NumberColumn(format=tables.COUNT, help=F["late"]),
    })
    st.caption("The company on all the selected platforms"
               + (", the selected departments only." if view.departments else ".")
               + " Items nobody answered have no department; see the pending and unanswered lists below.")
    ui.download(depts, "response-times-by-department")

# --- Business hours ------------------------------------------------------------------------------

st.subheader("Business hours and off hours", help=F["business_share"])
st.caption(f"Business hours: {settings.business_hours_label}, judged on the time each item was received.")
split = ui.compute(rt.business_hours_split, view, settings, now, False)
split_side = ui.compute(rt.business_hours_split, view, settings, now, True)
if split.empty:
    st.info("No inbound item in this period.")
else:
    for col, (_, row) in zip(st.columns(len(split)), split.iterrows()):
        label = "Business hours" if row["business_hours"] else "Off hours"
        with col:
            st.metric(f"{label}: median response time",
                      formatting.value("median_response_minutes", row["median_response_minutes"]),
                      help=" ".join([M["median_response_minutes"].formula, "Below: " + F["business_share"],
                                     M["response_rate"].formula, M["sla_attainment"].formula,
                                     M["p90_response_minutes"].formula]), border=True)
            st.caption(
                f"{row['interactions']:,} items ({formatting.value('response_rate', row['share_of_items'])} of all); "
                f"response rate {formatting.value('response_rate', row['response_rate'])}; "
                f"SLA attainment {formatting.value('sla_attainment', row['sla_attainment'])}; "
                f"90th percentile {formatting.value('p90_response_minutes', row['p90_response_minutes'])}."
            )
    both = split_side if len(split_side) else split
    split_table = pd.DataFrame({
        "Organization": both["name"],
        "When received": both["business_hours"].map({True: "Business hours", False: "Off hours"}),
        "Inbound items": both["interactions"], "Share of its items": both["share_of_items"],
        "Median response time": minutes_text(both["median_response_minutes"]),
        "90th percentile": minutes_text(both["p90_response_minutes"]),
        "Response rate": both["response_rate"], "SLA attainment": both["sla_attainment"],
    })
    st.dataframe(split_table, hide_index=True, width="stretch", placeholder="—", column_config={
        **RESPONSE_COLUMNS,
        "Share of its items": st.column_config.NumberColumn(format="percent", help=F["business_share"]),
    })
    st.caption(
        ("Side by side like for like on " + platform_names(cmp_now.platforms) + ", by the company's business hours."
         if len(split_side) else "The company on all the selected platforms (no like-for-like comparison).")
        + " The metrics above: the company on all the selected platforms."
    )
    ui.download(both.drop(columns=["is_self"]), "response-times-business-hours")

# --- Hour of week ---------------------------------------------------------------------------------

st.subheader("When items arrive and how fast they are answered",
             help=F["heat_volume"] + " " + F["heat_median"])
heat = ui.compute(rt.hour_of_week, view, settings, now)
if heat["interactions"].sum() == 0:
    st.info("No inbound item in this period.")
else:
    days = [d.capitalize() for d in WEEKDAYS]
    hours = [f"{h:02d}" for h in range(24)]

    def grid(column: str) -> list[list]:
        pivot = heat.pivot(index="isodow", columns="hour", values=column).reindex(index=range(1, 8), columns=range(24))
        return [[None if pd.isna(v) else float(v) for v in row] for row in pivot.to_numpy()]

    def business_outline(fig: go.Figure) -> None:
        start, end = settings.business_start_minute / 60, settings.business_end_minute / 60
        for d in settings.business_days:
            fig.add_shape(type="rect", x0=start - 0.5, x1=end - 0.5, y0=d - 1.5, y1=d - 0.5,
                          line={"color": "#222", "width": 1.5, "dash": "dot"}, fillcolor="rgba(0,0,0,0)")

    volume = go.Figure(go.Heatmap(
        z=grid("interactions"), x=hours, y=days, colorscale="Blues", colorbar={"title": "Items"},
        hovertemplate="%{y} %{x}:00 · %{z:,} items<extra></extra>"))
    median_grid = grid("median_response_minutes")
    median_text = [["" if v is None else formatting.minutes(v) for v in row] for row in median_grid]
    # colours on a log scale: response times run from minutes to days
    ticks = (1, 10, 60, 240, 1440, 10080)
    median = go.Figure(go.Heatmap(
        z=[[None if v is None else math.log10(max(v, 0.5)) for v in row] for row in median_grid], x=hours, y=days,
        text=median_text, colorscale="YlOrRd",
        colorbar={"title": "Median", "tickvals": [math.log10(t) for t in ticks],
                  "ticktext": [formatting.minutes(t) for t in ticks]},
        hovertemplate="%{y} %{x}:00 · median %{text}<extra></extra>"))
    for fig, title in ((volume, "Inbound items"), (median, "Median response time")):
        business_outline(fig)
        fig.update_layout(height=300, margin={"l": 10, "r": 10, "t": 30, "b": 10}, title=title,
                          yaxis={"autorange": "reversed"}, xaxis={"title": f"Hour received ({settings.timezone})"})
    left, right = st.columns(2)
    with left:
        st.plotly_chart(volume, width="stretch", config=ui.chart_config("response-volume-by-hour-of-week"))
    with right:
        st.plotly_chart(median, width="stretch", config=ui.chart_config("response-time-by-hour-of-week"))
    st.caption("The company, all selected platforms; the dotted frame marks business hours. "
               + F["heat_volume"] + " " + F["heat_median"] + " Empty cells: no response.")
    ui.download(heat.assign(day=heat["isodow"].map(lambda d: days[d - 1])), "response-times-hour-of-week")

# --- Follow-up lists --------------------------------------------------------------------------------

st.subheader("For follow-up")
tz_label = settings.timezone
link_help = ("The item on its platform, where its address follows from its id (X posts: x.com/i/web/status/ID). "
             "Elsewhere the address needs more than the id, so the id is shown.")
oldest_tab, slowest_tab = st.tabs(["Oldest unanswered", "Slowest answered"])
with oldest_tab:
    oldest = ui.compute(rt.oldest_unanswered, view, settings, now, 25)
    if oldest.empty:
        st.success("Every inbound item of the period has a response.")
    else:
        st.caption(f"The company's {min(len(oldest), int(oldest['total'].iloc[0]))} oldest of "
                   f"{int(oldest['total'].iloc[0]):,} items with no response, on all selected platforms. "
                   + M["pending"].formula + " Unanswered: no response within 7 days.")
        shown = pd.DataFrame({
            "Platform": oldest["platform"].map(lambda p: PLATFORM.get(p, p)),
            "Account": oldest["account"],
            f"Received ({tz_label})": oldest["local_received"],
            "Waited": minutes_text(oldest["waited_minutes"]),
            "Status": oldest["status"],
            "Item id": oldest["interaction_id"],
            "Link": oldest["item_url"].where(oldest["item_url"].fillna("").str.match(r"https?://")),
        })
        st.dataframe(shown, hide_index=True, width="stretch", placeholder="—", column_config={
            f"Received ({tz_label})": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm"),
            "Waited": st.column_config.TextColumn(help=F["waited"]),
            "Status": st.column_config.TextColumn(help=M["pending"].formula + " Unanswered: no response within 7 days."),
            "Link": st.column_config.LinkColumn(help=link_help, display_text="Open"),
        })
        ui.download(oldest.drop(columns=["total"]), "oldest-unanswered")
with slowest_tab:
    slowest = ui.compute(rt.slowest_answered, view, settings, now, 25)
    if slowest.empty:
        st.info("No answered item in this period.")
    else:
        st.caption(f"The company's {len(slowest)} slowest of {int(slowest['total'].iloc[0]):,} answered items, "
                   "on all selected platforms. " + F["response_time"] + " " + F["late"])
        shown = pd.DataFrame({
            "Platform": slowest["platform"].map(lambda p: PLATFORM.get(p, p)),
            "Account": slowest["account"],
            f"Received ({tz_label})": slowest["local_received"],
            "Response time": minutes_text(slowest["response_minutes"]),
            "Late (≥ 7 days)": slowest["late"],
            "Answered by": slowest["department"].fillna("No department recorded"),
            "Item id": slowest["interaction_id"],
            "Link": slowest["item_url"].where(slowest["item_url"].fillna("").str.match(r"https?://")),
            "Answer": slowest["reply_url"].where(slowest["reply_url"].fillna("").str.match(r"https?://")),
        })
        st.dataframe(shown, hide_index=True, width="stretch", placeholder="—", column_config={
            f"Received ({tz_label})": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm"),
            "Response time": st.column_config.TextColumn(help=F["response_time"]),
            "Late (≥ 7 days)": st.column_config.CheckboxColumn(help=F["late"]),
            "Link": st.column_config.LinkColumn(help=link_help, display_text="Open"),
            "Answer": st.column_config.LinkColumn(
                help="The answering account's reply post created at the first response's instant, where the "
                     "warehouse holds exactly one.", display_text="Open"),
        })
        ui.download(slowest.drop(columns=["total"]), "slowest-answered")
