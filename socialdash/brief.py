"""The meeting brief: the current view as one self-contained HTML file (and, printed by
Chromium, as PDF) to send after a meeting.

It holds what a meeting looks at: the filters and how fresh the data is, the overview's
headline figures with their formulas, where the company stands, rank changes, two
interactive charts (plotly.js is inlined, so the file opens offline), and the key tables
(organizations side by side, departments, shared goals). Every figure comes from
``metrics`` (and ``benchmark``, ``goals``); every text from the warehouse is HTML-escaped
here, and names inside charts are escaped for plotly's own text markup too.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import zoneinfo

import pandas as pd
import plotly.graph_objects as go

from socialdash import benchmark, colours, formatting, goals, metrics, standing
from socialdash.config import Settings
from socialdash.standing import headline_card, kpi_rows, standings
from socialdash.viewstate import View

# The overview's "side by side" table.
SIDE_BY_SIDE = (
    "audience", "follower_growth_pct", "likes", "engagements", "engagement_rate",
    "share_of_voice", "posts", "median_response_minutes", "sla_attainment",
)


# --- How fresh the data is ---------------------------------------------------------------

def data_as_of(con, settings: Settings) -> str:
    """When the data was last refreshed successfully, in the configured time zone; demo
    data says so, and a failed refresh after the last good one is mentioned."""
    row = con.execute(
        """SELECT max(finished_at) FILTER (WHERE status IN ('ok', 'partial')) AS good,
                  max(finished_at) FILTER (WHERE status = 'failed') AS failed
           FROM connector_runs"""
    ).fetchone()
    good, failed = row if row else (None, None)
    from socialdash.warehouse import meta  # warehouse_meta is optional: None without it

    if meta(con, "dataset") == "demo":
        built = meta(con, "demo_built_at")
        when = _local(dt.datetime.fromisoformat(built), settings.timezone) if built else (
            _local(good, settings.timezone) if good else None)
        return "Demo data (generated, not real figures)" + (f", built {when}" if when else "")
    if good is None:
        return "No successful refresh recorded yet"
    text = f"Data as of {_local(good, settings.timezone)}"
    if failed is not None and failed > good:
        text += f"; a later refresh failed at {_local(failed, settings.timezone, zone=False)} (see Data health)"
    return text


def _local(t: dt.datetime, tz: str, *, zone: bool = True) -> str:
    """An instant as a local time: "14 Jan 2026, 07:00 (America/New_York)"."""
    if t.tzinfo is None:
        t = t.replace(tzinfo=dt.timezone.utc)
    text = f"{t.astimezone(zoneinfo.ZoneInfo(tz)):%d %b %Y, %H:%M}"
    return f"{text} ({tz})" if zone else text


# --- The figures ----------------------------------------------------------------------------

def filters(con, view: View) -> list[tuple[str, str]]:
    """The view in words, names from the warehouse (plain text, not escaped)."""
    org_names = dict(con.execute("SELECT org_id, name FROM organizations").fetchall())
    dept_names = dict(con.execute("SELECT department_id, name FROM departments").fetchall())
    previous = view.period.previous()

    def listed(ids, names, everything):
        return ", ".join(names.get(i, i) for i in ids) if ids else everything

    return [
        ("Period", f"{view.period.label()} ({view.period.days} days)"),
        ("Compared with", previous.label()),
        ("Platforms", listed(view.platforms, formatting.PLATFORM_NAMES, "All platforms")),
        ("Organizations", listed(view.orgs, org_names, "All organizations")),
        ("Departments", listed(view.departments, dept_names, "All departments")),
    ]


def kpis(con, view: View, settings: Settings, now: dt.datetime) -> pd.DataFrame:
    """The overview's headline figures for the company: value, change against the previous
    period, rank among the selected organizations, and the formula. Empty when the company
    is not among the selected organizations."""
    previous = metrics.previous_view(view)
    card = headline_card(con, view, settings, now)
    card_before = headline_card(con, previous, settings, now)
    if not card["is_self"].any():
        return pd.DataFrame(columns=["metric", "label", "value", "before", "value_text", "delta_text",
                                     "rank_text", "formula", "higher_is_better"])
    rows = kpi_rows(card, card_before, metrics.coop(con, view, settings), metrics.coop(con, previous, settings))
    rows["value"], rows["before"] = rows["value"].map(_number), rows["before"].map(_number)
    rows["delta_text"] = rows["delta_text"].fillna("—")
    return rows


def _number(value) -> float | None:
    return None if formatting.missing(value) else float(value)


_MD_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def _unmarkdown(sentence: str) -> str:
    """A ``standing`` sentence (Markdown with names backslash-escaped) as plain text."""
    return _MD_ESCAPE.sub(r"\1", sentence)


def where_we_stand(con, view: View, settings: Settings, now: dt.datetime) -> dict:
    """The company's name and its lead/trail sentences as plain text."""
    card = headline_card(con, view, settings, now)
    company = card[card["is_self"]]
    lines = standings(card)
    return {
        "company": company["name"].iloc[0] if len(company) else None,
        "leads": [_unmarkdown(s.sentence) for s in lines if s.leads],
        "trails": [_unmarkdown(s.sentence) for s in lines if not s.leads],
    }


def company_name(con) -> str:
    row = con.execute("SELECT name FROM organizations WHERE is_self LIMIT 1").fetchone()
    return row[0] if row else "The company"


def side_by_side(card: pd.DataFrame) -> pd.DataFrame:
    """The overview's table of the selected organizations (``standing.headline_card``), values
    as they read on screen: counts in full with thousands separators, durations by
    ``formatting.minutes``, shares with the decimals that tell different values apart."""
    table = pd.DataFrame({"Organization": card["name"]})
    for key in SIDE_BY_SIDE:
        values = card[key].astype("float64")
        if metrics.METRICS[key].kind == "count":
            texts = ["—" if formatting.missing(v) else f"{v:,.0f}" for v in values]
        else:
            texts = formatting.distinct(key, values)
        table[metrics.METRICS[key].label] = texts
    return table


def departments_table(depts: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Department": depts["name"],
        "Original posts": depts["posts"].map(_count),
        "Responses": depts["responses"].map(_count),
        "Contributions": depts["contributions"].map(_count),
        "Share": depts["share"].map(lambda v: "—" if formatting.missing(v) else f"{v * 100:.1f}%"),
        "Engagements earned": depts["engagements"].map(_count),
    })


def _count(v) -> str:
    """A count in a table: in full, with thousands separators ("1,239")."""
    return "—" if formatting.missing(v) else f"{v:,.0f}"


def goals_table(con, settings: Settings, view: View, now: dt.datetime, today: dt.date) -> pd.DataFrame:
    """The shared goals the selected departments share (all when none is selected)."""
    shown = goals.shared_by(goals.goal_progress(con, settings, today, now), view.departments)
    dept_names = dict(con.execute("SELECT department_id, name FROM departments").fetchall())
    return pd.DataFrame({
        "Goal": shown["title"],
        "Status": shown["status"].str.capitalize(),
        "Actual": [formatting.value(goals.metric_key(m), a) for m, a in zip(shown["metric"], shown["actual"])],
        "Target": [formatting.value(goals.metric_key(m), t) for m, t in zip(shown["metric"], shown["target"])],
        "Progress": shown["progress"].map(standing.progress_text),  # as it is: 105 %, never capped
        "Departments": shown["departments"].map(lambda ds: ", ".join(dept_names.get(d, d) for d in ds) or "Whole company"),
        "Period": [f"{s:%d %b %Y} – {e:%d %b %Y}" for s, e in zip(shown["period_start"], shown["period_end"])],
    })


# --- The HTML ---------------------------------------------------------------------------------

def esc(text) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def _chart_text(text) -> str:
    """A name inside a plotly chart: plotly reads <b>, <a href> and entities in text, so
    a name is entity-escaped to show literally."""
    return html.escape(str(text), quote=False)


def _figure_html(fig: go.Figure, div_id: str, name: str, for_print: bool) -> str:
    if for_print:
        fig.update_layout(width=680)
    config = {"displaylogo": False, "responsive": not for_print,
              "toImageButtonOptions": {"format": "png", "filename": name, "scale": 2}}
    return fig.to_html(full_html=False, include_plotlyjs=False, div_id=div_id, config=config)


def audience_chart(series: pd.DataFrame, card: pd.DataFrame, palette: dict[str, str]) -> go.Figure | None:
    """Daily audience per organization, each in its colour (``colours.org_colours``), the
    company first and thicker; None when there is no follower count to draw."""
    series = series.dropna(subset=["audience"])
    if series.empty:
        return None
    names = dict(zip(card["org_id"], card["name"]))
    self_ids = set(card.loc[card["is_self"], "org_id"])
    order = [o for o in card["org_id"] if o in set(series["org_id"])]
    fig = go.Figure()
    for org_id in order:
        part = series[series["org_id"] == org_id]
        fig.add_trace(go.Scatter(
            x=part["day"], y=part["audience"], mode="lines", name=_chart_text(names.get(org_id, org_id)),
            line={"width": 4 if org_id in self_ids else 2, "color": palette.get(org_id, colours.NEUTRAL)},
            hovertemplate="%{x|%d %b %Y}: %{y:,.0f}",
        ))
    rows = 1 + len(order) // 6
    fig.update_layout(height=360 + 22 * rows, margin={"l": 10, "r": 40, "t": 10, "b": 10},
                      legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 1.02, "yanchor": "bottom"},
                      yaxis_title="Followers (official accounts)", template="plotly_white", hovermode="x")
    fig.update_xaxes(tickformat="%d %b %Y", automargin=True, nticks=8)
    fig.update_yaxes(tickformat=",.0f", automargin=True, rangemode="tozero")
    return fig


def share_of_voice_chart(card: pd.DataFrame, palette: dict[str, str]) -> go.Figure | None:
    """Each organization's share of voice, in its colour; None when nobody has one."""
    shown = card.dropna(subset=["share_of_voice"])
    if shown.empty:
        return None
    fig = go.Figure(go.Bar(
        x=shown["share_of_voice"], y=[_chart_text(n) for n in shown["name"]], orientation="h",
        text=formatting.distinct("share_of_voice", shown["share_of_voice"]), textposition="outside",
        cliponaxis=False, marker_color=[palette.get(o, colours.NEUTRAL) for o in shown["org_id"]],
        hovertemplate="%{y}: %{text}<extra></extra>",
    ))
    fig.update_layout(height=80 + 40 * len(shown), margin={"l": 10, "r": 60, "t": 10, "b": 10},
                      xaxis={"tickformat": ".0%", "range": [0, float(shown["share_of_voice"].max()) * 1.15]},
                      yaxis={"autorange": "reversed", "automargin": True}, template="plotly_white")
    return fig


def _table_html(frame: pd.DataFrame, caption: str = "", numeric: tuple[str, ...] = ()) -> str:
    head = "".join(f'<th class="{"num" if c in numeric else ""}">{esc(c)}</th>' for c in frame.columns)
    rows = []
    for row in frame.itertuples(index=False, name=None):
        cells = "".join(
            f'<td class="{"num" if col in numeric else ""}">{esc("—" if formatting.missing(v) else v)}</td>'
            for col, v in zip(frame.columns, row))
        rows.append(f"<tr>{cells}</tr>")
    cap = f'<p class="note">{esc(caption)}</p>' if caption else ""
    return f'<table><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>{cap}'


def build(con, view: View, settings: Settings, now: dt.datetime, today: dt.date, *, as_of: str,
          link: str | None = None, for_print: bool = False, plotly_js: str | None = None) -> str:
    """The brief of ``view`` as one HTML document. ``as_of`` is printed as given (see
    ``data_as_of``); ``link``, when it is an http(s) address, is printed as the live view's
    address. ``for_print`` draws the charts at a fixed width for A4 paper."""
    from plotly.offline import get_plotlyjs

    company = company_name(con)
    card = headline_card(con, view, settings, now)
    empty = not standing.has_data(card)
    palette = colours.org_colours(con)
    figures = kpis(con, view, settings, now)
    stand = where_we_stand(con, view, settings, now)
    moves = benchmark.rank_changes(con, view, settings, True)
    coop = metrics.coop(con, view, settings)
    series = metrics.audience_series(con, view, settings)
    goal_rows = goals_table(con, settings, view, now, today)
    generated = _local(now, settings.timezone)

    parts: list[str] = []
    add = parts.append
    add(f'<header><p class="kicker">Meeting brief</p><h1>{esc(company)}</h1>')
    add(f'<p class="period">{esc(view.period.label())}</p>')
    add('<dl class="filters">')
    for label, value in filters(con, view):
        add(f"<dt>{esc(label)}</dt><dd>{esc(value)}</dd>")
    add(f'<dt>Data</dt><dd class="asof">{esc(as_of)}</dd>')
    add(f"<dt>Brief made</dt><dd>{esc(generated)}</dd>")
    if link and re.match(r"^https?://", link):
        add(f'<dt>Live view</dt><dd><a href="{esc(link)}">{esc(link)}</a></dd>')
    add("</dl></header>")

    add("<section><h2>Headline figures</h2>")
    if empty:
        add(f'<p class="empty">{esc(standing.no_data_message(view, standing.data_span(con, settings)))}</p>')
    elif figures.empty:
        add('<p>The company itself is not among the selected organizations, so it has no standing here.</p>')
    else:
        add('<div class="kpis">')
        for k in figures.itertuples():
            # green or red by the change as written ("no change" and none stay neutral), as on the overview
            direction = ""
            if k.delta_text[:1] in "+-" and k.delta_text != "—":
                better = (k.delta_text[0] == "+") == k.higher_is_better
                direction = " up" if better else " down"
            add(f'<div class="kpi" data-metric="{esc(k.metric)}"><div class="label">{esc(k.label)}</div>'
                f'<div class="value">{esc(k.value_text)}</div>'
                f'<div class="delta{direction}">{esc(k.delta_text)}</div>'
                f'<div class="rank">{esc(k.rank_text)}</div>'
                f'<div class="formula">{esc(k.formula)}</div></div>')
        add("</div>")
        add(f'<p class="note">{esc(standing.like_for_like_note(card))}</p>')
    add("</section>")

    add("<section><h2>Where we stand</h2>")
    if empty:
        add("<p>Nothing to compare: no data in this period.</p>")
    elif not stand["leads"] and not stand["trails"]:
        add("<p>No competitor has figures to compare the company with in this period.</p>")
    else:
        add('<div class="columns">')
        for title, lines in ((f"Where {stand['company'] or company} leads ({len(stand['leads'])})", stand["leads"]),
                             (f"Where it trails ({len(stand['trails'])})", stand["trails"])):
            items = "".join(f"<li>{esc(s)}</li>" for s in lines) or "<li>Nowhere among these figures.</li>"
            add(f"<div><h3>{esc(title)}</h3><ul>{items}</ul></div>")
        add("</div>")
    if len(moves):
        add("<h3>Rank changes against the previous period</h3><ul>")
        for sentence in moves["sentence"].head(10):
            add(f"<li>{esc(sentence)}</li>")
        if len(moves) > 10:
            add(f"<li>… and {len(moves) - 10} more on the Competitors page.</li>")
        add("</ul>")
    add("</section>")

    charts = []
    fig = audience_chart(series, card, palette)
    if fig is not None:
        charts.append(("Audience over time", _figure_html(fig, "chart-audience", "audience-over-time", for_print),
                       metrics.METRICS["audience"].formula))
    fig = share_of_voice_chart(card, palette)
    if fig is not None:
        charts.append(("Share of voice", _figure_html(fig, "chart-share-of-voice", "share-of-voice", for_print),
                       metrics.METRICS["share_of_voice"].formula))
    for title, chart, formula in charts:
        add(f'<section class="chart"><h2>{esc(title)}</h2>{chart}<p class="note">{esc(formula)}</p></section>')

    if not empty:
        add("<section><h2>Organizations side by side</h2>")
        add(_table_html(side_by_side(card), "— = no figure for the period. Formulas: " + " ".join(
            f"{metrics.METRICS[k].label}: {metrics.METRICS[k].formula}" for k in SIDE_BY_SIDE)
            + " " + standing.like_for_like_note(card),
            numeric=tuple(metrics.METRICS[k].label for k in SIDE_BY_SIDE)))
        add("</section>")

    add("<section><h2>Departments</h2>")
    if coop["coop_index"] is None:
        add("<p>Co-op index: not available (no contribution in the period).</p>")
    else:
        add(f"<p>Co-op index <strong>{esc(formatting.value('coop_index', coop['coop_index']))}</strong>, "
            f"organisation model: <strong>{esc(metrics.ORGANISATION_MODELS.get(coop['model'], '—'))}</strong>.</p>")
    if coop["departments"]["contributions"].sum() > 0:  # no table of zeros for a period without data
        add(_table_html(departments_table(coop["departments"]),
                        "Contributions = original posts + responses in the period (the company only). "
                        + metrics.METRICS["coop_index"].formula,
                        numeric=("Original posts", "Responses", "Contributions", "Share", "Engagements earned")))
    add("</section>")

    add("<section><h2>Shared goals</h2>")
    if goal_rows.empty:
        add("<p>No shared goal" + (" among those the selected departments share." if view.departments else ".") + "</p>")
    else:
        add(_table_html(goal_rows, "Each goal measures the company over its own period up to today; "
                        "progress = actual / target (target / actual where lower is better).",
                        numeric=("Actual", "Target", "Progress")))
    add("</section>")
    add(f'<footer>Made by the social business dashboard on {esc(generated)}. {esc(as_of)}.</footer>')

    script = plotly_js if plotly_js is not None else (get_plotlyjs() if charts else "")
    return _PAGE.format(
        title=esc(f"Meeting brief: {company}, {view.period.label()}"),
        style=_STYLE, plotly=f"<script>{script}</script>" if charts else "",
        body="\n".join(parts),
    )


_STYLE = """
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2330; margin: 0 auto;
       max-width: 1100px; padding: 24px; line-height: 1.45; }
header { border-bottom: 3px solid #1f77b4; margin-bottom: 16px; }
.kicker { text-transform: uppercase; letter-spacing: .08em; color: #667; margin: 0; font-size: 13px; }
h1 { margin: 4px 0; font-size: 30px; }
.period { font-size: 18px; margin: 0 0 8px; }
dl.filters { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; font-size: 14px; }
dl.filters dt { color: #667; } dl.filters dd { margin: 0; }
h2 { font-size: 21px; margin: 24px 0 8px; border-bottom: 1px solid #dde; padding-bottom: 4px; }
h3 { font-size: 16px; margin: 12px 0 4px; }
.kpis { display: grid; grid-template-columns: repeat(4, 1fr); gap: 10px; }
.kpi { border: 1px solid #dde; border-radius: 8px; padding: 10px; break-inside: avoid; }
.kpi .label { font-size: 13px; color: #556; } .kpi .value { font-size: 26px; font-weight: 600; }
.kpi .delta { font-size: 13px; color: #667; } .kpi .delta.up { color: #1a7f37; } .kpi .delta.down { color: #c62828; }
.kpi .rank { font-size: 13px; } .kpi .formula { font-size: 11px; color: #667; margin-top: 6px; }
.columns { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { border-bottom: 1px solid #e3e6ee; padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: #f3f5f9; } td.num { text-align: right; font-variant-numeric: tabular-nums; } th.num { text-align: right; }
.note { font-size: 11px; color: #667; }
footer { margin-top: 28px; font-size: 12px; color: #667; border-top: 1px solid #dde; padding-top: 8px; }
section { break-inside: avoid-page; }
@media print { body { padding: 0; max-width: none; } .kpis { grid-template-columns: repeat(4, 1fr); }
               section.chart { break-inside: avoid; } a { color: inherit; } }
@page { size: A4; margin: 14mm; }
"""

_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{style}</style>
{plotly}
</head><body>
{body}
</body></html>
"""
