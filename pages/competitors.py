"""Competitors: where the company leads, where it trails, by how much, and what changed."""

import dataclasses

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from socialdash import benchmark, colours, formatting, metrics, standing, tables, ui

view, settings = ui.current()
previous = metrics.previous_view(view)
M = metrics.METRICS
plain = formatting.escape_markdown
chart = formatting.chart_text  # names in Plotly: shown as text, never as its HTML


def url_choice(param: str, label: str, options: list[str], default: str, format_func, key: str) -> str:
    """A selectbox whose choice lives in the URL (``?param=``): read once, written back;
    a value the page does not know is ignored with a notice."""
    if key not in st.session_state or st.session_state[key] not in options:
        raw = st.query_params.get(param)
        if raw is not None and raw not in options:
            st.warning(f"Ignored {param}={plain(raw[:40])} from the link: not one of "
                       f"{plain(', '.join(options))}.", icon=":material/link_off:")
        st.session_state[key] = raw if raw in options else default
    value = st.selectbox(label, options, key=key, format_func=format_func)
    if st.query_params.get(param) != value:
        st.query_params[param] = value
    return value


def url_text(param: str, label: str, key: str, **kwargs) -> str:
    if key not in st.session_state:
        st.session_state[key] = (st.query_params.get(param) or "")[:100]
    value = st.text_input(label, key=key, max_chars=100, **kwargs).strip()
    if value:
        if st.query_params.get(param) != value:
            st.query_params[param] = value
    elif param in st.query_params:
        del st.query_params[param]
    return value


def fmt(metric: str, value) -> str:
    return formatting.value(metric, value)


def ranked_texts(metric: str, values) -> list[str]:
    """Values that are ranked against each other, with the digits it takes for different
    values to read differently (0.452 and 0.484 posts a day: "0.45/day", "0.48/day")."""
    return formatting.distinct(metric, values)


def average_texts(metric: str, company_value, competitor_average, landscape_average) -> tuple[str, str]:
    """The two averages beside the company's value: as many digits as it takes for the three
    not to read alike when they differ (Northwind 1.58 %, competitor average 1.64 %,
    landscape average 1.63 %), without lengthening the company's own figure."""
    return tuple(ranked_texts(metric, [company_value, competitor_average, landscape_average])[1:])


def top_legend(fig, rows: int = 1) -> None:
    """The legend above the plot, left-aligned, so it never covers the axis' labels (the
    year under the dates); Plotly widens the top margin to fit it."""
    fig.update_layout(legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "left", "x": 0,
                              "title": None},
                      margin={"l": 10, "r": 10, "t": 10 + 24 * rows, "b": 10})


st.title("Competitors")
st.caption(f"{view.period.label()}, compared with {previous.period.label()}. Rank 1 = best; "
           "organizations with the same value share the best rank (1, 1, 3).")

compared = ui.compute(benchmark.comparison, view, settings)
table, changes = compared["ranks"], compared["changes"]
coverage = ui.compute(benchmark.coverage, view, settings)
if coverage.empty:
    st.info("None of the selected organizations has an official account on the selected platforms.")
    st.stop()
if table["value"].isna().all():
    # nothing to compare: no ranks, no charts, no zeros, only what to do about it
    st.info(plain(standing.no_data_message(view, ui.compute(standing.data_span, settings))),
            icon=":material/event_busy:")
    st.stop()

platforms = list(dict.fromkeys(table["platform"]))  # all platforms first
if len(platforms) == 2:
    # one platform: its rows and those over all platforms are the same; show (and count its passes) once
    platforms = platforms[1:]
    table = table[table["platform"] != benchmark.ALL]
    changes = changes[changes["platform"] != benchmark.ALL]
left, right = st.columns(2)
with left:
    platform = url_choice("platform", "Platform", platforms, platforms[0],
                          lambda p: benchmark.scope_label(p, view), "cmp_platform")
with right:
    metric = url_choice("metric", "Metric for the charts", list(benchmark.BENCHMARK_METRICS), "engagement_rate",
                        lambda k: M[k].label, "cmp_metric")

here = table[table["platform"] == platform]
# one colour per organization, the same on every page, chart and the brief (colours.py)
org_colour = ui.compute(colours.org_colours)
org_names = list(dict.fromkeys(coverage["name"].map(chart)))  # the company first
palette = {chart(n): org_colour.get(o, colours.NEUTRAL) for o, n in zip(coverage["org_id"], coverage["name"])}
sub_view = view if platform == benchmark.ALL else dataclasses.replace(view, platforms=(platform,))
where = benchmark.scope(platform, view)  # the filter bar's actual selection

# --- Like for like ---------------------------------------------------------------------------
gaps = coverage if platform == benchmark.ALL else coverage[coverage["platform"] == platform]
gaps = gaps[gaps["status"] != benchmark.FULL]
if not gaps.empty:
    lines = []
    absent = gaps[gaps["status"] == benchmark.ABSENT]
    for plat, group in absent.groupby("platform", sort=False):
        lines.append(f"Not on {benchmark.platform_name(plat)}: {plain(', '.join(group['name']))}.")
    lines += [plain(n) for n in gaps.loc[gaps["status"] != benchmark.ABSENT, "note"]]
    st.warning(
        "**Not like for like.** An organization missing from a platform has no value there"
        + (f" and its totals {where} cover its own platforms" if platform == benchmark.ALL else "")
        + "; where its data starts after the period's first day, its totals over the period are left out "
        "of the comparison (shown as —). See Coverage below.\n\n"
        + "\n".join(f"- {line}" for line in lines),
        icon=":material/compare_arrows:",
    )

# --- The company at a glance -----------------------------------------------------------------
company = here[here["is_self"]]
if company.empty:
    st.info("The company itself is not among the selected organizations: the page compares the selected ones.")
else:
    name = company["name"].iloc[0]
    st.subheader(f"{plain(name)} {where}")
    cards = company.set_index("metric")
    keys = [k for k in benchmark.BENCHMARK_METRICS if k in cards.index]
    for row in (keys[:5], keys[5:]):
        for col, key in zip(st.columns(5), row):
            r = cards.loc[key]
            # the value, the leader's and the averages written so that different ones differ
            value_text, leader_text = ranked_texts(key, [r["value"], r["leader_value"]])
            comp_text, land_text = average_texts(key, r["value"], r["competitor_average"], r["landscape_average"])
            change = formatting.delta(key, r["value"], r["value_before"])
            with col:
                st.metric(
                    M[key].label, value_text, change, **formatting.delta_style(key, change),
                    help=(M[key].formula + " Change: against the previous period of equal length. Competitor "
                          "average = mean of the selected competitors' own values (the company left out); "
                          "landscape average = mean over all selected organizations, the company included."),
                    border=True,
                )
                if pd.isna(r["rank"]):
                    st.caption(plain(r["note"] or "") or "Not ranked: no value this period.")
                    continue
                line = f"Rank {int(r['rank'])} of {int(r['of'])}"
                if not pd.isna(r["rank_before"]) and r["rank_before"] != r["rank"]:
                    line += f" (was {int(r['rank_before'])})"
                if r["rank"] == 1 and r["of"] > 1:
                    line += ", the leader"
                elif r["of"] > 1:
                    line += (f"; leader {plain(r['leader'])} at {leader_text}, "
                             f"gap {benchmark.leader_gap(key, r['value'], r['leader_value'])}")
                line += f". Competitor avg {comp_text}, landscape avg {land_text}."
                st.caption(line)

# --- What changed ------------------------------------------------------------------------------
if platform != benchmark.ALL:
    changes = changes[changes["platform"] == platform]
st.subheader("What changed")
SHOWN_CHANGES = 10
ours = changes[changes["company_gained"].notna()]
theirs = changes[changes["company_gained"].isna()]
if changes.empty:
    st.caption(f"No organization passed another {where} against {previous.period.label()} "
               "(on audience, follower growth %, likes, engagement rate, share of voice, posts per day, video views).")
else:
    def bullets(rows) -> str:
        return "\n".join(f"- {'▲' if c.company_gained is True else '▼' if c.company_gained is False else '•'} "
                          f"{plain(c.sentence)}" for c in rows.itertuples())

    if ours.empty:
        st.caption(f"No competitor passed the company, nor the company a competitor, {where}.")
    else:
        st.markdown(bullets(ours.head(SHOWN_CHANGES)))
        if len(ours) > SHOWN_CHANGES:
            with st.expander(f"{len(ours) - SHOWN_CHANGES} more involving the company"):
                st.markdown(bullets(ours.iloc[SHOWN_CHANGES:]))
    if len(theirs):
        with st.expander(f"Between competitors ({len(theirs)})"):
            st.markdown(bullets(theirs))
    st.caption("▲ the company moved ahead · ▼ a competitor moved ahead of the company · • between competitors. "
               "A pass = ranked strictly behind in the previous period and strictly ahead now "
               "(audience, follower growth %, likes, engagement rate, share of voice, posts per day, video views).")

# --- Where the company leads and trails, platform by platform ---------------------------------------
if not company.empty:
    st.subheader("The company's rank, platform by platform")
    mine = table[table["is_self"]]
    def column_name(p: str) -> str:
        return "All selected" if p == benchmark.ALL and view.platforms else benchmark.platform_name(p)

    cols = [column_name(p) for p in platforms]
    rows = [M[k].label for k in benchmark.BENCHMARK_METRICS]
    grid = mine.assign(col=mine["platform"].map(column_name), row=mine["metric"].map(lambda k: M[k].label))
    rank = grid.pivot(index="row", columns="col", values="rank").reindex(index=rows, columns=cols)
    of = grid.pivot(index="row", columns="col", values="of").reindex(index=rows, columns=cols)
    # a metric ranked nowhere in the selection (video views without YouTube) is left out, not a row of dashes
    rows = [r for r in rows if rank.loc[r].notna().any()]
    rank, of = rank.loc[rows], of.loc[rows]
    # 0 = first, 1 = last; nothing when not ranked
    position = ((rank.astype("float64") - 1) / (of.astype("float64") - 1).where(of > 1, 1)).where(rank.notna())
    text = rank.combine(of, lambda r, o: [f"{int(a)} of {int(b)}" if not pd.isna(a) else "—" for a, b in zip(r, o)])
    fig = go.Figure(go.Heatmap(
        z=position.values, x=cols, y=rows, text=text.values, texttemplate="%{text}", zmin=0, zmax=1,
        colorscale=[[0, "#1a9850"], [0.5, "#fee08b"], [1, "#d73027"]], showscale=False,
        hovertemplate="%{y} %{x}: rank %{text}<extra></extra>",
    ))
    fig.update_layout(height=60 + 34 * len(rows), margin={"l": 10, "r": 10, "t": 10, "b": 10},
                      yaxis={"autorange": "reversed"}, xaxis={"side": "top"})
    st.plotly_chart(fig, width="stretch", config=ui.chart_config("competitors-rank-by-platform"))
    st.caption("Green = first among the selected organizations, red = last; — = not ranked (no account, no data, "
               "or a total over a period the data does not fully cover). Hover a cell, or read the rank table below.")

# --- The chosen metric -------------------------------------------------------------------------
st.subheader(f"{M[metric].label} by organization")
st.caption(M[metric].formula)
chosen = table[table["metric"] == metric]
tab_org, tab_platform = st.tabs([benchmark.scope_label(platform, view), "Platform by platform"])
ratio = M[metric].kind == "ratio"
axis = {"tickformat": ".1%"} if ratio else {}
with tab_org:
    bars = chosen[(chosen["platform"] == platform)]
    shown = bars.dropna(subset=["value"])
    if shown.empty:
        st.info(f"No {formatting.label_in_text(metric)} {where} for the selected organizations"
                + (" (only YouTube reports video views)." if metric == "views" else "."))
    else:
        comp, land = bars["competitor_average"].iloc[0], bars["landscape_average"].iloc[0]
        # bars and averages written so that different values read differently
        texts = ranked_texts(metric, shown["value"])
        mine = shown.loc[shown["is_self"], "value"]
        company_value = mine.iloc[0] if len(mine) else float("nan")
        averages = dict(zip(("dash", "dot"), average_texts(metric, company_value, comp, land)))
        # Bars lying down, names read level however many organizations (13 names under standing
        # bars were turned aslant); each value beside its name, where no average line can
        # cross it (Northwind's 1.6 % sat under the "Competitor average 1.6 %" label).
        names = shown["name"].map(chart)
        fig = go.Figure(go.Bar(
            y=names, x=shown["value"], orientation="h", marker_color=[palette[n] for n in names],
            customdata=texts[:len(shown)], hovertemplate="%{y}: %{customdata}<extra></extra>",
            name=M[metric].label, showlegend=False,
        ))
        # The averages' labels go in the legend, not beside their lines, where they would
        # cover a bar's own label when the values are close (Northwind 1.6 % under
        # "Competitor average 1.6 %").
        for avg, label, dash in ((comp, "Competitor average", "dash"), (land, "Landscape average", "dot")):
            if pd.isna(avg):
                continue
            fig.add_vline(x=avg, line_dash=dash, line_color=colours.NEUTRAL, line_width=1.5)
            fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", name=f"{label} {averages[dash]}",
                                     line={"dash": dash, "color": colours.NEUTRAL, "width": 1.5}))
        top = max([v for v in [*shown["value"], comp, land] if not pd.isna(v)] + [0])
        low = min([v for v in shown["value"] if not pd.isna(v)] + [0])
        fig.update_layout(height=90 + 34 * len(shown), xaxis={**axis, "range": [low * 1.05, top * 1.05 if top > 0 else 1]},
                          yaxis={"autorange": "reversed", "tickmode": "array", "tickvals": list(names),
                                 "ticktext": [f"{n}  <b>{t}</b>" for n, t in zip(names, texts)]},
                          showlegend=True)
        top_legend(fig)
        st.plotly_chart(fig, width="stretch", config=ui.chart_config(f"competitors-{metric}-{platform}"))
        missing = bars[bars["value"].isna()]
        if len(missing):
            st.caption("Left out: " + " ".join(plain(n) for n in dict.fromkeys(missing["note"]) if n))
    st.caption("Competitor average = mean of the selected competitors' own values, the company left out. "
               "Landscape average = mean over all selected organizations, the company included "
               "(means of the organizations' figures, not of pooled posts).")
with tab_platform:
    per = chosen[chosen["platform"] != benchmark.ALL].dropna(subset=["value"])
    if per.empty:
        st.info(f"No {formatting.label_in_text(metric)} on any single platform.")
    else:
        per = per.assign(platform_name=per["platform"].map(benchmark.platform_name), name=per["name"].map(chart))
        fig = px.bar(per, x="platform_name", y="value", color="name", barmode="group",
                     color_discrete_map=palette, category_orders={"name": org_names},
                     labels={"platform_name": "", "value": M[metric].label, "name": ""})
        avg = per.groupby("platform_name", sort=False)[["competitor_average", "landscape_average"]].first().reset_index()
        # both averages in the neutral colour, told apart by their marks: a bar-wide line, a diamond
        for column, label, marker in (
                ("competitor_average", "Competitor average", {"symbol": "line-ew", "size": 46, "line": {"width": 3}}),
                ("landscape_average", "Landscape average", {"symbol": "diamond", "size": 11, "line": {"width": 1}})):
            fig.add_trace(go.Scatter(
                x=avg["platform_name"], y=avg[column], mode="markers", name=label,
                marker={**marker, "color": colours.NEUTRAL, "line": {**marker["line"], "color": colours.NEUTRAL}},
            ))
        fig.update_layout(height=420, yaxis=axis)
        top_legend(fig, rows=1 + len(org_names) // 7)
        st.plotly_chart(fig, width="stretch", config=ui.chart_config(f"competitors-{metric}-by-platform"))
        st.caption("Bars: each organization's value on the platform; the line across the bars marks the competitor "
                   "average, the diamond the landscape average. Platforms where an organization is missing "
                   "or its data starts mid-period leave it out.")

# --- Audience over time ----------------------------------------------------------------------------
st.subheader("Audience over time")
series = ui.compute(metrics.audience_series, sub_view, settings)
if series.empty or series["audience"].isna().all():
    st.info(f"No follower counts {where} in this period for the selected organizations.")
else:
    names = dict(zip(coverage["org_id"], coverage["name"].map(chart)))
    series = series.assign(organization=series["org_id"].map(names))
    fig = px.line(series, x="day", y="audience", color="organization",
                  color_discrete_map=palette, category_orders={"organization": org_names},
                  labels={"day": "", "audience": "Followers (official accounts)", "organization": ""})
    if not company.empty:
        fig.update_traces(selector={"name": chart(company["name"].iloc[0])}, line={"width": 4})
    fig.update_layout(height=400, yaxis={"tickformat": "~s"})
    top_legend(fig, rows=1 + len(org_names) // 7)
    st.plotly_chart(fig, width="stretch", config=ui.chart_config("competitors-audience"))
    st.caption(M["audience"].formula + " A line that starts or jumps mid-period is an account whose counts "
               "start then; follower growth leaves such accounts out (" + M["follower_growth"].formula + ")")

# --- Share of voice ----------------------------------------------------------------------------
st.subheader("Share of voice")
st.caption(M["share_of_voice"].formula + " Shares are of the engagements the warehouse holds: where an "
           "organization's data starts mid-period its share is left out and the others' read higher.")
sov = here[here["metric"] == "share_of_voice"].dropna(subset=["value"])
trend = ui.compute(benchmark.share_of_voice_trend, sub_view, settings)
left, right = st.columns([1, 2])
with left:
    if sov.empty:
        st.info(f"No engagements {where} in this period.")
    else:
        fig = px.bar(sov.assign(name=sov["name"].map(chart)), x="value", y="name", orientation="h",
                     text=ranked_texts("share_of_voice", sov["value"]), color="name",
                     color_discrete_map=palette, category_orders={"name": org_names},  # the company on top
                     labels={"value": "Share of voice", "name": ""})
        # labels level and outside the bars: inside a thin bar Plotly turns them vertical
        fig.update_traces(textposition="outside", textangle=0, cliponaxis=False)
        fig.update_layout(height=80 + 40 * len(sov), margin={"l": 10, "r": 10, "t": 10, "b": 10},
                          xaxis={"tickformat": ".0%", "range": [0, sov["value"].max() * 1.3]},
                          showlegend=False)  # px lists the first category on top
        st.plotly_chart(fig, width="stretch", config=ui.chart_config("competitors-share-of-voice"))
with right:
    if trend.empty:
        st.info("No engagements to follow over the period.")
    else:
        unit = benchmark.trend_unit(view.period.days)
        fig = px.line(trend.assign(name=trend["name"].map(chart)), x="start", y="share_of_voice", color="name", markers=True,
                      color_discrete_map=palette, category_orders={"name": org_names},
                      labels={"start": "", "share_of_voice": "Share of voice", "name": ""})
        # the whole range of the data, with room for the markers (a share above 60 % was clipped)
        highest = trend["share_of_voice"].max()
        fig.update_traces(cliponaxis=False)
        # a tick under each point, on its stretch's first day (Plotly's own ticks fall elsewhere)
        fig.update_xaxes(tickvals=sorted(trend["start"].unique()), tickformat="%b %-d")
        fig.update_layout(height=380, yaxis={"tickformat": ".0%",
                                             "range": [0, min(1.05, highest * 1.1) if highest > 0 else 1]})
        top_legend(fig, rows=1 + len(org_names) // 4)
        st.plotly_chart(fig, width="stretch", config=ui.chart_config("competitors-share-of-voice-trend"))
        st.caption(f"Per {unit}{'' if unit == 'day' else ' (each point at its first day)'}: the organization's engagements of posts created "
                   f"in that {unit} / all selected organizations' engagements of that {unit}. A gap = its data "
                   "does not cover that stretch yet.")

# --- The rank table ------------------------------------------------------------------------------
st.subheader("Rank table")
st.caption(f"Every metric × every selected organization {where}: rank (1 = best, ties share the best rank), "
           "gap to the leader (value − leader's value), the change of rank against the previous period "
           "(▲ climbed, ▼ fell), and under each metric the competitor and landscape averages.")


def rank_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The rank table as shown: per metric its organizations, then its two averages as rows
    of their own (not two more columns, which would push the notes off screen), every value
    written so that different values of a metric read differently."""
    out = []
    for key, rows in frame.groupby("metric", sort=False):
        comp, land = rows["competitor_average"].iloc[0], rows["landscape_average"].iloc[0]
        texts = ranked_texts(key, rows["value"])
        before = ranked_texts(key, rows["value_before"])
        mine = rows.loc[rows["is_self"], "value"]
        company_value = mine.iloc[0] if len(mine) else float("nan")
        for i, r in enumerate(rows.itertuples()):
            move = r.rank_change
            out.append({
                "Metric": M[key].label, "Organization": r.name, "Value": texts[i],
                "Rank": "—" if pd.isna(r.rank) else f"{int(r.rank)} of {int(r.of)}",
                "Gap to leader": "—" if pd.isna(r.rank) else benchmark.leader_gap(key, r.value, r.leader_value) or "—",
                "Rank change": ("—" if pd.isna(move) else "no change" if move == 0
                                else f"▲ {int(move)}" if move > 0 else f"▼ {-int(move)}"),
                "Previous period": before[i], "Note": r.note or "",
            })
        for label, text in zip(("Competitor average", "Landscape average"), average_texts(key, company_value, comp, land)):
            out.append({"Metric": M[key].label, "Organization": label, "Value": text, "Rank": "", "Gap to leader": "",
                        "Rank change": "", "Previous period": "", "Note": ""})
    return pd.DataFrame(out, columns=["Metric", "Organization", "Value", "Rank", "Gap to leader", "Rank change",
                                      "Previous period", "Note"])


# An organization's note that holds for several of its metrics (it is not on a platform,
# its data starts mid-period) is said once under the table instead of in a column too
# narrow to show it on every row.
repeated = here.loc[here["note"].fillna("") != ""].groupby(["name", "note"], sort=False).size()
general = [note for (_, note), count in repeated.items() if count > 1]
st.dataframe(
    rank_rows(here.assign(note=here["note"].where(~here["note"].isin(general), "see below"))),
    hide_index=True, width="stretch",
    column_config={
        "Metric": st.column_config.TextColumn(width=130),
        "Organization": st.column_config.TextColumn(width=150),
        "Value": st.column_config.TextColumn(width=80, help="The metric's value in the period; the formulas are listed below."),
        "Rank": st.column_config.TextColumn(width=60, help="1 = best among the ranked organizations (those with a comparable value); ties share the best rank."),
        "Gap to leader": st.column_config.TextColumn(width=120, help="Value − the leader's value (percentage points for rates; % of the leader's value for counts)."),
        "Rank change": st.column_config.TextColumn(width=90, help="Against the previous period: ▲ 1 = climbed one place."),
        "Previous period": st.column_config.TextColumn(width=110, help=f"The value in {previous.period.label()}."),
        "Note": st.column_config.TextColumn(width=190),
    },
)
if general:
    st.caption("Notes: " + " ".join(plain(n) for n in general))
export = table.assign(platform=table["platform"].map(benchmark.platform_name),
                      metric=table["metric"].map(lambda k: M[k].label)).drop(columns=["org_id"])
st.caption("The download holds every platform, with the averages as columns.")
ui.download(export, "competitors-rank-table")
with st.expander("Formulas"):
    for key in benchmark.BENCHMARK_METRICS:
        st.markdown(f"**{M[key].label}**: {M[key].formula}")

# --- Top posts ----------------------------------------------------------------------------------
st.subheader("Top posts")
left, right = st.columns([1, 2])
with left:
    rank_by = url_choice("top", "Top posts by", list(benchmark.POST_RANKINGS), "engagements",
                         benchmark.POST_RANKINGS.get, "cmp_top")
with right:
    search = url_text("search", "Only posts whose text contains", "cmp_search", placeholder="e.g. Berlin")
posts = ui.compute(benchmark.top_posts, sub_view, settings, rank_by, search, 200)
if posts.empty:
    st.info(f"No original post of the selected organizations' official accounts {where} in this period"
            + (" containing that text." if search else "."))
else:
    frame = posts.assign(platform=posts["platform"].map(benchmark.platform_name))
    # organization and platform in one column: every column fits 1,400 px, none hidden behind a scroll
    shown_posts = frame.assign(organization=frame["organization"] + " · " + frame["platform"])
    columns = ["organization", "day", "text", "link", "likes", "engagements", "engagement_rate"]
    if posts["views"].notna().any():
        columns.append("views")
    numbers = tables.number_columns(frame[columns], percent=("engagement_rate",), help={
        "likes": "Likes (reactions, favourites) of the post.", "engagements": "Likes + comments + shares of the post.",
        "engagement_rate": benchmark.POST_ENGAGEMENT_RATE, "views": "Views, where the platform reports them (YouTube)."})
    labels = {"likes": ("Likes", 80), "engagements": ("Engagements", 95), "engagement_rate": ("Engagement rate", 110),
              "views": ("Video views", 90)}
    # widths that fit 1,400 px with the sidebar open: no column hidden behind a scroll
    st.dataframe(
        shown_posts[columns], hide_index=True, width="stretch", placeholder="—",
        column_config={
            **{k: st.column_config.NumberColumn(labels[k][0], format=c["type_config"]["format"], help=c.get("help"),
                                                width=labels[k][1])
               for k, c in numbers.items() if k in labels},
            "organization": st.column_config.TextColumn("Organization · platform", width=170),
            "day": st.column_config.DateColumn("Date", help=f"The day the post was created ({settings.timezone}).",
                                               width=90),
            "text": st.column_config.TextColumn("Text", width=170 if "views" in columns else 260),
            "link": st.column_config.LinkColumn("Link", display_text="Open", help="Only http(s) links are shown.",
                                                width=50),
        },
    )
    st.caption(f"The {len(posts)} original posts (replies left out) of official accounts {where} with the most "
               f"{benchmark.POST_RANKINGS[rank_by].lower()} in the period. Click a column header to sort. "
               f"Engagement rate of a post = {benchmark.POST_ENGAGEMENT_RATE}")
    ui.download(frame.drop(columns=["org_id"]), "competitors-top-posts")

# --- Coverage -------------------------------------------------------------------------------------
st.subheader("Coverage")
st.caption("Which organization is on which platform, and since when the warehouse holds its data (the earliest "
           "follower count or post of its official accounts there).")


def coverage_cell(r) -> str:
    if r.status == benchmark.ABSENT:
        return "—"
    if r.status == benchmark.NO_DATA:
        return "no data yet"
    text = f"since {r.data_since:%Y-%m-%d}"
    if r.status == benchmark.PARTIAL:
        text += " ⚠ after the period's start" if r.accounts_with_data == r.accounts else " ⚠ an account without data"
    elif r.status == benchmark.ADDED:
        text += f" (an account added {r.complete_since:%Y-%m-%d})"
    return text


grid = coverage.assign(cell=[coverage_cell(r) for r in coverage.itertuples()],
                       platform_name=coverage["platform"].map(benchmark.platform_name))
pivot = grid.pivot(index="name", columns="platform_name", values="cell")
pivot = pivot.reindex(index=list(dict.fromkeys(coverage["name"])),
                      columns=list(dict.fromkeys(grid["platform_name"]))).reset_index()
# widths that share 1,400 px among the platforms: a long name or note is cut (and shown on
# hover), never a platform pushed off screen behind a scroll
platform_width = max(90, (900 - 150) // max(1, len(pivot.columns) - 1))
st.dataframe(pivot.rename(columns={"name": "Organization"}), hide_index=True, width="stretch", column_config={
    "Organization": st.column_config.TextColumn(width=150),
    **{c: st.column_config.TextColumn(width=platform_width) for c in pivot.columns if c != "name"}})
st.caption("— = no official account on the platform. ⚠ = its totals over this period are not comparable "
           "(left out above).")
cov = coverage.assign(
    platform=coverage["platform"].map(benchmark.platform_name),
    status=coverage["status"].map(benchmark.STATUS_LABELS),
)[["name", "platform", "accounts", "accounts_with_data", "data_since", "complete_since", "status", "note"]]
ui.download(cov, "competitors-coverage")
