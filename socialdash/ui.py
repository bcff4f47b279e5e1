"""The frame every page shares: settings, data loading, cached queries and the filter bar,
how fresh the data is, links and saved views, meeting mode, the meeting brief and downloads.

Streamlit-specific; the pure logic it uses lives in ``viewstate``, ``metrics``, ``brief``,
``exports``, ``saved_views`` and ``warehouse``. Query parameters are read into
``st.session_state`` once per session and written back on every run, so a copied link opens
the same view and the filters carry over from page to page. Frame state lives in session
keys starting with ``_``, ``f_``, ``m_`` or ``sv_``: opening a saved view drops every other
key (the pages' own widgets), so that each page reads its choices from the view's link.
"""

from __future__ import annotations

import datetime as dt
import importlib
import re
import sys
import time
import urllib.parse
from pathlib import Path
from typing import Any, Callable

import duckdb
import pandas as pd
import streamlit as st

from socialdash import access, brief, exports, formatting, metrics, saved_views, warehouse
from socialdash.config import ConfigError, Settings, load_config
from socialdash.period import FROM_LINK_NAME, PRESETS, Period, preset_period, today_in
from socialdash.viewstate import LIST_PARAMS, Known, View, parse_view, view_params

CUSTOM = "custom"


# --- Settings and data ------------------------------------------------------------------

def settings() -> Settings:
    """The dashboard's settings from the configuration file; defaults (with a visible
    error) when the file is broken."""
    try:
        return Settings.from_config(load_config())
    except ConfigError as exc:
        st.error(f"The configuration file was refused, so the defaults are used: {exc}", icon=":material/error:")
        return Settings()


def ensure_data() -> None:
    """Load the demo data set on a first start: when the warehouse is missing, or is one of
    the project's own (it has ``warehouse_meta``) with no organization yet, or holds no table.

    A warehouse another pipeline made (the contract's tables, no ``warehouse_meta``) is never
    written here, even empty: it is the analyst's, it opens as it is, and the pages say that
    there is no data yet."""
    loc = warehouse.location()
    if warehouse.exists(loc) and _organization_count(warehouse.data_version(loc)) > 0:
        return
    if (warehouse.exists(loc) and compute(warehouse.has_table, "organizations")
            and not compute(warehouse.has_table, "warehouse_meta")):
        return
    from connectors.demo import build_demo, holds_real_data

    with st.spinner("First start: building the demo data set (a few seconds)…"):
        with warehouse.writing(loc) as con:
            if con.execute("SELECT count(*) FROM organizations").fetchone()[0] == 0 and not holds_real_data(con):
                build_demo(con)


@st.cache_data(show_spinner=False, max_entries=8)
def _organization_count(version: str) -> int:
    try:
        return int(warehouse.query("SELECT count(*) AS n FROM organizations")["n"][0])
    except (warehouse.WarehouseError, duckdb.Error):  # no file, or a file with no table yet
        return 0


def version() -> str:
    return warehouse.data_version()


@st.cache_data(show_spinner=False, max_entries=512, ttl=24 * 3600)
def _computed(module: str, name: str, data_version: str, args: tuple) -> Any:
    fn = getattr(importlib.import_module(module), name)
    _, con = warehouse.reader()
    cur = warehouse.cursor(con)
    try:
        return fn(cur, *args)
    finally:
        cur.close()


def compute(fn: Callable, *args) -> Any:
    """Run a query function of the ``socialdash`` package (its first parameter is the
    connection) on the current data, cached on the data's version and the arguments:
    a refresh shows at once, and nothing is recomputed otherwise."""
    if not fn.__module__.startswith("socialdash."):
        raise ValueError(f"{fn.__qualname__} is not a query function of the socialdash package")
    return _computed(fn.__module__, fn.__qualname__, version(), args)


@st.cache_data(show_spinner=False, max_entries=64)
def _query(sql: str, params: tuple, data_version: str) -> pd.DataFrame:
    return warehouse.query(sql, list(params))


def query(sql: str, *params) -> pd.DataFrame:
    """A small read query of a page, cached on the data's version."""
    return _query(sql, tuple(params), version())


def known() -> Known:
    ids = query(
        """SELECT 'platforms' AS kind, platform AS id FROM (SELECT DISTINCT platform FROM accounts)
           UNION ALL SELECT 'orgs', org_id FROM organizations
           UNION ALL SELECT 'departments', department_id FROM departments"""
    )
    pick = lambda kind: tuple(sorted(ids.loc[ids.kind == kind, "id"]))  # noqa: E731
    return Known(pick("platforms"), pick("orgs"), pick("departments"))


def names(kind: str) -> dict[str, str]:
    """Display names of organizations or departments by id."""
    if kind == "orgs":
        frame = query("SELECT org_id AS id, name FROM organizations")
    else:
        frame = query("SELECT department_id AS id, name FROM departments")
    return dict(zip(frame.id, frame.name))


def dataset() -> str | None:
    """'demo' or 'real' as the project's writers recorded it; None for a warehouse another
    pipeline made (no ``warehouse_meta``)."""
    return compute(warehouse.meta, "dataset")


def data_as_of() -> pd.Timestamp | None:
    frame = query("SELECT max(finished_at) AS t FROM connector_runs WHERE status IN ('ok', 'partial')")
    t = frame.t.iloc[0] if len(frame) else None
    return None if pd.isna(t) else t


# --- The filter bar ----------------------------------------------------------------------

PLATFORM_NAMES = formatting.PLATFORM_NAMES


def _read_url_once(ids: Known, today: dt.date) -> None:
    if st.session_state.get("_url_read"):
        return
    view, notices = parse_view(st.query_params.to_dict(), ids, today)
    if st.session_state.pop("_opening_saved_view", None):
        notices = [n.replace("from the link", "from the saved view") for n in notices]
    notices += st.session_state.pop("_meeting_notices", [])
    # A preset only from period=: fixed dates stay a custom range, even when they equal a
    # preset's today, so that the link keeps its dates (contract section 4).
    st.session_state["f_preset"] = view.preset or CUSTOM
    st.session_state["f_range"] = (view.period.start, view.period.end)
    st.session_state["f_platforms"] = list(view.platforms)
    st.session_state["f_orgs"] = list(view.orgs)
    st.session_state["f_departments"] = list(view.departments)
    st.session_state["_notices"] = notices
    st.session_state["_url_read"] = True


def _filters_changed() -> None:
    st.session_state["_notices"] = []
    st.session_state.pop("_view_message", None)


def filter_bar(settings: Settings) -> View:
    """The shared filters in the sidebar; returns the view and writes it to the URL."""
    today = today_in(settings.timezone)
    ids = known()
    _read_url_once(ids, today)
    org_names, dept_names = names("orgs"), names("departments")

    with st.sidebar:
        st.subheader("Filters")
        options = list(PRESETS) + [CUSTOM]
        preset = st.selectbox(
            "Period", options, key="f_preset", on_change=_filters_changed,
            format_func=lambda k: PRESETS.get(k, "Custom range"),
            help="A preset moves with today: its link and a view saved on it show the latest days when "
                 "opened later (period=last-30-days in the link). A custom range keeps its dates.",
        )
        if preset == CUSTOM:
            picked = st.date_input("From – to", key="f_range", on_change=_filters_changed, format="YYYY-MM-DD")
            if isinstance(picked, (tuple, list)) and len(picked) == 2:
                period = Period(picked[0], picked[1])
            else:  # the second date is not picked yet
                start = picked[0] if isinstance(picked, (tuple, list)) and picked else today
                period = Period(start, max(start, today))
        else:
            period = preset_period(preset, today)
            st.session_state["f_range"] = (period.start, period.end)
        st.caption(f"{period.label()} · compared with {period.previous().label()}")
        platforms = st.multiselect(
            "Platforms", ids.platforms, key="f_platforms", on_change=_filters_changed,
            format_func=lambda p: PLATFORM_NAMES.get(p, p), placeholder="All platforms",
        )
        orgs = st.multiselect(
            "Organizations", ids.orgs, key="f_orgs", on_change=_filters_changed,
            format_func=lambda o: org_names.get(o, o), placeholder="All organizations",
        )
        departments = st.multiselect(
            "Departments", ids.departments, key="f_departments", on_change=_filters_changed,
            format_func=lambda d: dept_names.get(d, d), placeholder="All departments",
        )

    view = View(period, tuple(platforms), tuple(orgs), tuple(departments), None if preset == CUSTOM else preset)
    _write_url(view)
    for notice in st.session_state.get("_notices", []):
        st.warning(notice, icon=":material/link_off:")
    return view


def _write_url(view: View) -> None:
    wanted = view_params(view)
    for name in ("period", "start", "end", *LIST_PARAMS):
        if name in wanted:
            if st.query_params.get(name) != wanted[name]:
                st.query_params[name] = wanted[name]
        elif name in st.query_params:
            del st.query_params[name]


def demo_banner() -> None:
    if dataset() == "demo":
        st.info(
            "**Demo data.** Northwind Air and its competitors are fictional; every number here is "
            "generated. To see your own company, copy `data/config.example.toml` to `data/config.toml`, "
            "name your accounts, competitors and departments, and run `python -m connectors refresh` "
            "(README → Connectors).",
            icon=":material/science:",
        )


def frame() -> tuple[View, Settings]:
    """Everything the entry file draws around a page; the page reads it with ``current()``."""
    _leave_legacy_multipage_mode()
    meeting = _read_meeting_once()
    st.set_page_config(page_title="Social business dashboard", page_icon="📊", layout="wide",
                       initial_sidebar_state="collapsed" if meeting else "auto")
    access.gate()  # login and allowlist when [auth] is configured: nothing below runs for outsiders
    conf = settings()
    ensure_data()
    _open_saved_view_from_link(conf)
    view = filter_bar(conf)
    st.session_state["_view"], st.session_state["_settings"] = view, conf
    _write_meeting_url()
    if meeting_mode():
        _meeting_header(view, conf)
    else:
        st.caption(":material/update: " + formatting.escape_markdown(compute(brief.data_as_of, conf)),
                   help="When the connectors last refreshed the warehouse successfully, in the configured "
                        "time zone. Every figure on this page is computed from the data as it was then.")
        _share_sidebar(view, conf)
    return view, conf


def _leave_legacy_multipage_mode() -> None:
    """Streamlit runs the first script run of a server process (and every AppTest run) in
    its legacy multipage mode whenever a ``pages/`` folder exists: it runs a requested
    page file directly, without this frame, and with other widget identities than every
    later run, so the first session's filters would reset on its first click.

    Whichever script the legacy mode started (the entry file, or a page file via
    ``current()``), switching the mode off and rerunning before any widget is drawn sends
    the run through ``dashboard.py`` and its ``st.navigation``. Page files are named
    exactly as their URL paths, so the legacy mode finds the requested page (no "page
    not found") and the rerun keeps it."""
    from streamlit.runtime.pages_manager import PagesManager

    # The flag is process-wide: sessions arriving together on a new server may have started
    # in the legacy mode before another session switched it off, so the run's own call stack
    # is asked too.
    if PagesManager.uses_pages_directory or _started_by_legacy_mode():
        PagesManager.uses_pages_directory = False
        st.rerun()


def _started_by_legacy_mode() -> bool:
    frame_ = sys._getframe(1)
    while frame_ is not None:
        if frame_.f_code.co_name == "_mpa_v1":  # streamlit.runtime.scriptrunner.script_runner
            return True
        frame_ = frame_.f_back
    return False


def current() -> tuple[View, Settings]:
    """The view and settings the frame set for this run (pages call this)."""
    _leave_legacy_multipage_mode()
    _arrive_on_page()
    return st.session_state["_view"], st.session_state["_settings"]


def now() -> dt.datetime:
    """The present instant, to the minute, so that cached results can be reused within it."""
    return dt.datetime.now(dt.timezone.utc).replace(second=0, microsecond=0)


def download(frame_: pd.DataFrame, name: str, label: str = "Download CSV") -> None:
    """A table's downloads in one row: what they hold in a caption ("Download the rank table
    (every platform):"), then two short buttons, CSV and Excel (the workbook made only when
    its button is clicked). Short labels read in full at any width, sidebar open or not;
    ``label`` names the table (a trailing "CSV" in it is dropped)."""
    table = frame_.copy()
    what = _download_subject(label)
    with st.container(horizontal=True, vertical_alignment="center", gap="small"):
        st.caption(f"Download {formatting.escape_markdown(what)}:", width="content")
        st.download_button(
            "CSV", exports.csv_bytes(table), file_name=f"{name}.csv", mime=exports.CSV_MIME, key=f"dl-{name}",
            on_click="ignore", icon=":material/download:", help=f"Download {what} as CSV (UTF-8).")
        st.download_button(
            "Excel", lambda: exports.excel_bytes(table, name), file_name=f"{name}.xlsx", mime=exports.XLSX_MIME,
            key=f"dl-{name}-xlsx", on_click="ignore", icon=":material/table_view:",
            help=f"Download {what} as an Excel workbook.")


def _download_subject(label: str) -> str:
    """What a download label names: "Download the rank table (every platform, CSV)" ->
    "the rank table (every platform)"; "Download CSV" -> "this table"."""
    what = label.strip().removeprefix("Download").strip()
    what = re.sub(r"\s*\(CSV\)|,\s*CSV(?=\))|\bCSV\b", "", what).strip(" ,")
    return what or "this table"


# --- Pages, links and saved views ------------------------------------------------------------

# Session keys the frame keeps when a saved view is opened; every other key (the pages' own
# widgets) is dropped so that each page reads its choices from the view's link again.
_FRAME_KEY_PREFIXES = ("_", "f_", "m_", "sv_", "$$")


def _script_run_ctx():
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    return get_script_run_ctx()


def _pages() -> list[dict]:
    """The navigation's pages in their order: name (the file stem, which is the URL path),
    title and script path."""
    ctx = _script_run_ctx()
    if ctx is None:
        return []
    out = []
    for info in ctx.pages_manager.get_pages().values():
        path = info.get("script_path")
        if path and Path(path).parent.name == "pages":
            out.append({"name": Path(path).stem, "title": info.get("page_name") or Path(path).stem,
                        "path": str(path), "hash": info.get("page_script_hash")})
    return out


def current_page() -> str | None:
    """The page being shown (its URL path), once the navigation has chosen it."""
    ctx = _script_run_ctx()
    if ctx is None:
        return None
    return next((p["name"] for p in _pages() if p["hash"] == ctx.page_script_hash), None)


def _arrive_on_page() -> None:
    """On a page (from ``current()``): go on to the page a saved view was saved on, and say
    which view was opened, on that page only."""
    page = current_page()
    goto = st.session_state.pop("_goto", None)
    if goto and page and goto != page:
        target = next((p for p in _pages() if p["name"] == goto), None)
        if target is not None:
            st.switch_page(target["path"], query_params=st.query_params.to_dict())
        st.session_state["_view_message"] = {
            "page": page, "kind": "warning",
            "text": f"The page this view was saved on ({formatting.escape_markdown(goto)}) no longer exists: "
                    "its filters are shown here."}
    if page:
        st.session_state["_page"] = page
    message = st.session_state.get("_view_message")
    if message:
        if message["page"] is None:
            message["page"] = page
        if message["page"] == page:
            (st.warning if message["kind"] == "warning" else st.info)(message["text"], icon=":material/bookmarks:")
        else:
            st.session_state.pop("_view_message", None)


def _app_root() -> str | None:
    """The dashboard's address without the page path (``st.context.url``), ending in /."""
    url = st.context.url
    if not url:
        return None
    url = url.rstrip("/")
    for p in _pages():
        if url.endswith("/" + p["name"]):
            url = url[: -len(p["name"]) - 1]
            break
    return url + "/"


def _live_link(view: View) -> str | None:
    root = _app_root()
    return root + "?" + urllib.parse.urlencode(view_params(view)) if root else None


def _open_saved_view_from_link(conf: Settings) -> None:
    """``?view=NAME``: apply the saved view's filters and page; the URL then shows them."""
    name = st.query_params.get("view")
    if name is None:
        return
    del st.query_params["view"]
    try:
        saved = saved_views.ViewStore().get(name)
    except Exception as exc:  # a store that cannot be read must not take the page down
        st.session_state["_view_message"] = {"page": None, "kind": "warning",
                                             "text": f"The saved views cannot be read: {formatting.escape_markdown(exc)}"}
        return
    if saved is None:
        st.session_state["_view_message"] = {
            "page": None, "kind": "warning",
            "text": f"There is no saved view named “{formatting.escape_markdown(name[:80])}” "
                    "(renamed or deleted?): showing the default view."}
        return
    _apply_saved_view(saved, conf.timezone)


def _apply_saved_view(saved: dict, tz: str) -> None:
    """Make a saved view the session's view. Runs before any widget of the run is drawn
    (at the start of the frame, or in a button's callback)."""
    st.query_params.from_dict({**saved["params"], **_meeting_params()})
    for key in list(st.session_state.keys()):
        if not str(key).startswith(_FRAME_KEY_PREFIXES):
            del st.session_state[key]
    st.session_state["_url_read"] = False
    st.session_state["_opening_saved_view"] = True
    st.session_state["_goto"] = saved["page"]
    saved_at = brief._local(dt.datetime.fromisoformat(saved["saved_at"]), tz)
    st.session_state["_view_message"] = {
        "page": saved["page"], "kind": "info",
        "text": f"Opened the saved view “{formatting.escape_markdown(saved['name'])}” "
                f"(saved {formatting.escape_markdown(saved_at)}).",
    }


def _open_saved_view(name: str) -> None:
    saved = saved_views.ViewStore().get(name)
    if saved is None:
        st.session_state["_sv_message"] = ("error", f"There is no saved view named “{name}” any more.")
        return
    _apply_saved_view(saved, st.session_state["_settings"].timezone)


def _save_view() -> None:
    page = st.session_state.get("_page") or "overview"
    try:
        name = saved_views.ViewStore().save(st.session_state.get("sv_name", ""), page, st.query_params.to_dict(),
                                            replace=bool(st.session_state.get("sv_replace")))
    except saved_views.ViewError as exc:
        st.session_state["_sv_message"] = ("error", str(exc))
        return
    st.session_state["_sv_message"] = ("ok", f"Saved as “{name}”: everyone can open it from this list or its link.")
    st.session_state["sv_name"] = ""
    st.session_state["sv_chosen"] = name


def _rename_view(old: str) -> None:
    try:
        new = saved_views.ViewStore().rename(old, st.session_state.get("sv_new_name", ""))
    except saved_views.ViewError as exc:
        st.session_state["_sv_message"] = ("error", str(exc))
        return
    st.session_state["_sv_message"] = ("ok", f"Renamed “{old}” to “{new}”. Links to the old name no longer open it.")
    st.session_state["sv_new_name"] = ""
    st.session_state["sv_chosen"] = new


def _delete_view(name: str) -> None:
    try:
        saved_views.ViewStore().delete(name)
    except saved_views.ViewError as exc:
        st.session_state["_sv_message"] = ("error", str(exc))
        return
    st.session_state["_sv_message"] = ("ok", f"Deleted “{name}”.")
    st.session_state.pop("sv_chosen", None)


def _saved_period(params: dict) -> str:
    """A saved view's period as the list shows it: its preset (relative), else its dates."""
    key = FROM_LINK_NAME.get(str(params.get("period", "")).lower())
    if key:
        return PRESETS[key]
    if params.get("start") and params.get("end"):
        return f"{params['start']} – {params['end']}"
    return ""


def _saved_views_panel() -> None:
    message = st.session_state.pop("_sv_message", None)
    if message:
        kind, text = message
        (st.success if kind == "ok" else st.error)(formatting.escape_markdown(text))
    store = saved_views.ViewStore()
    try:
        views = store.list()
    except Exception as exc:  # e.g. a read-only folder: the rest of the page still works
        st.error(f"The saved views cannot be read: {formatting.escape_markdown(exc)}")
        return
    st.text_input("Save this view as", key="sv_name", max_chars=saved_views.MAX_NAME,
                  placeholder="e.g. Q1 board review",
                  help="Saves the filters, this page and its own choices, for everyone who uses the dashboard.")
    st.checkbox("Replace a saved view of that name", key="sv_replace")
    st.button("Save", key="sv_save", on_click=_save_view, icon=":material/bookmark_add:")
    if not views:
        st.caption("No saved view yet.")
        return
    titles = {p["name"]: p["title"] for p in _pages()}
    by_name = {v["name"]: v for v in views}
    if st.session_state.get("sv_chosen") not in by_name:
        st.session_state["sv_chosen"] = views[0]["name"]
    chosen = st.selectbox("Saved views (everyone's)", list(by_name), key="sv_chosen",
                          format_func=lambda n: " · ".join(filter(None, (
                              n, titles.get(by_name[n]["page"], by_name[n]["page"]),
                              _saved_period(by_name[n]["params"])))),
                          help="A view saved on a preset (Last 30 days…) opens on the latest days; one saved on "
                               "a custom range keeps its dates.")
    st.code(f"{_app_root() or '/'}?view={urllib.parse.quote(chosen, safe='')}", language=None, wrap_lines=True)
    st.button("Open", key="sv_open", on_click=_open_saved_view, args=(chosen,), icon=":material/open_in_browser:")
    st.text_input("Rename to", key="sv_new_name", max_chars=saved_views.MAX_NAME)
    left, right = st.columns(2)
    left.button("Rename", key="sv_rename", on_click=_rename_view, args=(chosen,), icon=":material/edit:")
    with right.popover("Delete", icon=":material/delete:"):
        st.caption("Deletes the view for everyone; links to it stop working.")
        st.button("Delete for everyone", key="sv_delete", on_click=_delete_view, args=(chosen,), type="primary")


# --- Meeting mode, the brief, the sidebar's share section ------------------------------------

MEETING_PARAMS = ("mode", "advance")
ADVANCE_SECONDS = (5, 3600)  # auto-advance: at least 5 s on a page, at most an hour


def meeting_mode() -> bool:
    """``?mode=meeting``: no sidebar chrome, larger type, where we stand up front."""
    return st.session_state.get("_mode") == "meeting"


def _read_meeting_once() -> bool:
    if not st.session_state.get("_meeting_read"):
        notices = []
        mode, raw = st.query_params.get("mode"), st.query_params.get("advance")
        if mode not in (None, "meeting"):
            notices.append(f"Ignored mode={formatting.escape_markdown(mode[:40])} from the link: "
                           "the only mode is meeting.")
        advance = None
        if raw is not None:
            low, high = ADVANCE_SECONDS
            if raw.isdigit() and low <= int(raw) <= high:
                advance = int(raw)
            else:
                notices.append(f"Ignored advance={formatting.escape_markdown(raw[:40])} from the link: "
                               f"it is a number of seconds from {low} to {high}.")
        st.session_state["_mode"] = "meeting" if mode == "meeting" else None
        st.session_state["_advance"] = advance
        st.session_state["_meeting_notices"] = notices
        st.session_state["_meeting_read"] = True
    return meeting_mode()


def _meeting_params() -> dict[str, str]:
    if not meeting_mode():
        return {}
    advance = st.session_state.get("_advance")
    return {"mode": "meeting", **({"advance": str(advance)} if advance else {})}


def _write_meeting_url() -> None:
    wanted = _meeting_params()
    for name in MEETING_PARAMS:
        if name in wanted:
            if st.query_params.get(name) != wanted[name]:
                st.query_params[name] = wanted[name]
        elif name in st.query_params:
            del st.query_params[name]


def _start_meeting() -> None:
    st.session_state["_mode"] = "meeting"
    seconds = int(st.session_state.get("m_advance") or 0)
    st.session_state["_advance"] = max(ADVANCE_SECONDS[0], seconds) if seconds else None


def _leave_meeting() -> None:
    st.session_state["_mode"] = None
    st.session_state["_advance"] = None


def _next_page() -> dict | None:
    pages = _pages()
    if len(pages) < 2:
        return None
    here = current_page()
    names = [p["name"] for p in pages]
    i = names.index(here) if here in names else -1
    return pages[(i + 1) % len(pages)]


def _advance_ticker(seconds: int) -> None:
    """Every ``seconds`` on a page, go on to the next page of the navigation, filters kept."""
    st.session_state["_shown_at"] = time.monotonic()

    @st.fragment(run_every=seconds)
    def ticker() -> None:
        if time.monotonic() - st.session_state.get("_shown_at", time.monotonic()) >= seconds - 1:
            nxt = _next_page()
            if nxt is not None:
                view = st.session_state["_view"]
                st.switch_page(nxt["path"], query_params={**view_params(view), **_meeting_params()})
        st.caption(f":material/autoplay: Next page every {seconds} s")

    ticker()


_MEETING_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
[data-testid="stHeader"], [data-testid="stDecoration"] { display: none !important; }
html { font-size: 20px; }
[data-testid="stMainBlockContainer"] { padding-top: 1.2rem; padding-bottom: 2rem; max-width: 100%; }
[data-testid="stMetricValue"] { font-size: 2.6rem; }
</style>"""


def _meeting_header(view: View, conf: Settings) -> None:
    """Meeting mode's header on every page: the company and the view, how fresh the data is,
    and where the company stands (leads and trails with its rank), in two lines: the
    overview's figures (``standing.headline_card``: response figures like for like), and an
    empty period said plainly."""
    from socialdash import response_times, standing
    from socialdash.standing import standings

    st.html(_MEETING_CSS)  # layout only: a constant, never data
    card = standing.with_like_for_like(compute(metrics.scorecard, view, conf, now()),
                                       compute(response_times.comparison, view, conf, now()))
    company = card.loc[card["is_self"], "name"]
    facts = compute(brief.filters, view)
    who = formatting.escape_markdown(company.iloc[0]) if len(company) else "The company"
    with st.container(border=True):
        left, right = st.columns([4, 1], vertical_alignment="center")
        with left:
            st.markdown(f"#### {who} · {view.period.label()}")
            st.caption(" · ".join(f"{formatting.escape_markdown(label)}: {formatting.escape_markdown(value)}"
                                  for label, value in facts[1:])
                       + " · :material/update: " + formatting.escape_markdown(compute(brief.data_as_of, conf)))
        with right:
            st.button("Leave meeting mode", key="m_leave", on_click=_leave_meeting, icon=":material/close:",
                      width="stretch")
            advance = st.session_state.get("_advance")
            if advance:
                _advance_ticker(advance)
        lines = standings(card)
        if not standing.has_data(card):
            st.caption(formatting.escape_markdown(
                standing.no_data_message(view, compute(standing.data_span, conf))))
        elif not len(company):
            st.caption("Select the company among the organizations to see where it stands.")
        elif not lines:
            st.caption("No competitor has figures to compare the company with in this period.")
        else:
            me = card[card["is_self"]].iloc[0]

            def item(s) -> str:
                return (f"{metrics.METRICS[s.metric].label} {formatting.value(s.metric, me[s.metric])} "
                        f"(rank {s.rank} of {s.of}"
                        + (" like for like" if s.metric in standing.RESPONSE_METRICS else "") + ")")

            leads = [item(s) for s in lines if s.leads]
            trails = [item(s) for s in lines if not s.leads]
            st.markdown(f"**Where we stand.** :green[Leads ({len(leads)}):] " + (" · ".join(leads) or "—")
                        + f"  \n:red[Trails ({len(trails)}):] " + (" · ".join(trails) or "—"),
                        help="Among the selected organizations, on the overview's headline figures: "
                             "the full sentences are on the Overview page. "
                             + " ".join(f"{metrics.METRICS[s.metric].label}: {metrics.METRICS[s.metric].formula}"
                                        for s in lines) + " " + standing.like_for_like_note(card))


_COPY_LINK_HTML = """<!doctype html><html><head><meta charset="utf-8"><style>
body { margin: 0; font-family: "Source Sans Pro", "Source Sans 3", system-ui, sans-serif; font-size: 14px; }
.row { display: flex; gap: 6px; align-items: center; }
input { flex: 1; min-width: 0; font: inherit; padding: 6px 8px; border: 1px solid rgba(128, 132, 149, .4);
        border-radius: 8px; background: transparent; color: #808495; }
button { font: inherit; padding: 6px 12px; border: 1px solid rgba(128, 132, 149, .4); border-radius: 8px;
         background: #fff; color: #31333f; cursor: pointer; white-space: nowrap; }
button:hover { border-color: #ff4b4b; color: #ff4b4b; }
</style></head><body><div class="row">
<input id="link" readonly aria-label="Link to this view">
<button id="copy" type="button">Copy link</button></div>
<script>
const box = document.getElementById("link"), button = document.getElementById("copy");
function here() { try { return window.parent.location.href; } catch (e) { return ""; } }
function refresh() { const h = here(); if (box.value !== h) box.value = h; }
refresh(); setInterval(refresh, 500);
button.addEventListener("click", async () => {
  refresh();
  let done = false;
  try { await navigator.clipboard.writeText(box.value); done = true; } catch (e) {
    box.focus(); box.select();
    try { done = document.execCommand("copy"); } catch (e2) { done = false; }
  }
  button.textContent = done ? "Copied" : "Select and copy";
  setTimeout(() => { button.textContent = "Copy link"; }, 2000);
});
</script></body></html>"""


def _share_sidebar(view: View, conf: Settings) -> None:
    with st.sidebar:
        st.subheader("Share and present")
        # The link is read in the browser: it then carries every parameter, the pages' own included.
        st.iframe(_COPY_LINK_HTML, height=40, alt="Copy the link to this view")
        st.caption("The link opens this page with these filters for anyone who can open the dashboard.")
        with st.expander("Saved views", icon=":material/bookmarks:"):
            _saved_views_panel()
        st.number_input("Auto-advance (seconds, 0 = off)", min_value=0,
                        max_value=ADVANCE_SECONDS[1], step=5, key="m_advance",
                        help=f"For a screen in the room: from {ADVANCE_SECONDS[0]} s, through every page in "
                             "the navigation's order, filters kept.")
        st.button("Present", key="m_start", on_click=_start_meeting, icon=":material/slideshow:",
                  width="stretch", help="Meeting mode: no sidebar, larger type, where we stand up front "
                                        "(in the link: mode=meeting, and advance=N when auto-advancing).")
        _brief_buttons(view, conf)


def _brief_file(view: View, conf: Settings, moment: dt.datetime, today: dt.date, as_of: str,
                link: str | None, pdf: bool) -> bytes:
    """The brief, made when its button is clicked (in a thread of its own: no Streamlit here)."""
    _, con = warehouse.reader()
    cur = warehouse.cursor(con)
    try:
        page = brief.build(cur, view, conf, moment, today, as_of=as_of, link=link, for_print=pdf)
    finally:
        cur.close()
    return exports.pdf_from_html(page) if pdf else page.encode("utf-8")


def _brief_buttons(view: View, conf: Settings) -> None:
    """The meeting brief of this view in one click: HTML (interactive, opens offline) or PDF.
    Either file is made only when its button is clicked."""
    as_of = compute(brief.data_as_of, conf)
    moment, today, link = now(), today_in(conf.timezone), _live_link(view)
    stem = f"meeting-brief-{view.period.start}-to-{view.period.end}"
    about = ("This view as one file to send after the meeting: the filters and data-as-of time, the "
             "headline figures with their formulas, where the company stands, rank changes, charts, and the "
             "organizations, departments and goals tables.")
    st.download_button(
        "Brief (HTML)", lambda: _brief_file(view, conf, moment, today, as_of, link, False),
        file_name=f"{stem}.html", mime=exports.HTML_MIME, key="m_brief_html", on_click="ignore",
        icon=":material/summarize:", width="stretch", help=about + " Opens offline, charts interactive.")
    if exports.chromium_path():
        st.download_button(
            "Brief (PDF)", lambda: _brief_file(view, conf, moment, today, as_of, link, True),
            file_name=f"{stem}.pdf", mime=exports.PDF_MIME, key="m_brief_pdf", on_click="ignore",
            icon=":material/picture_as_pdf:", width="stretch", help=about + " Takes a few seconds.")
    else:
        st.button("Brief (PDF): not available on this server", key="m_brief_pdf_missing", disabled=True,
                  width="stretch", icon=":material/picture_as_pdf:",
                  help="The PDF is printed by headless Chromium, which is not installed on this server "
                       "(Debian: apt-get install chromium). The HTML brief prints to PDF from any browser.")


def chart_config(name: str) -> dict:
    """``st.plotly_chart(..., config=ui.chart_config("name"))``: the chart's toolbar camera
    downloads a PNG named after the chart and the period."""
    view = st.session_state.get("_view")
    period = f"-{view.period.start}-to-{view.period.end}" if view is not None else ""
    return {"displaylogo": False,
            "toImageButtonOptions": {"format": "png", "filename": f"{name}{period}", "scale": 2}}
