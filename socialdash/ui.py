"""The frame every page shares: settings, data loading, cached queries and the filter bar.

Streamlit-specific; the pure logic it uses lives in ``viewstate``, ``metrics`` and
``warehouse``. Query parameters are read into ``st.session_state`` once per session and
written back on every run, so a copied link opens the same view and the filters carry
over from page to page.
"""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any, Callable

import pandas as pd
import streamlit as st

from socialdash import formatting, warehouse
from socialdash.config import ConfigError, Settings, load_config
from socialdash.period import PRESETS, Period, matching_preset, preset_period, today_in
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
    """Load the demo data set when the warehouse is missing or empty (first start)."""
    loc = warehouse.location()
    if warehouse.exists(loc) and _organization_count(warehouse.data_version(loc)) > 0:
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
    except warehouse.WarehouseError:
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
    frame = query("SELECT value FROM warehouse_meta WHERE key = 'dataset'")
    return frame.value.iloc[0] if len(frame) else None


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
    preset = matching_preset(view.period, today)
    st.session_state["f_preset"] = preset or CUSTOM
    st.session_state["f_range"] = (view.period.start, view.period.end)
    st.session_state["f_platforms"] = list(view.platforms)
    st.session_state["f_orgs"] = list(view.orgs)
    st.session_state["f_departments"] = list(view.departments)
    st.session_state["_notices"] = notices
    st.session_state["_url_read"] = True


def _filters_changed() -> None:
    st.session_state["_notices"] = []


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

    view = View(period, tuple(platforms), tuple(orgs), tuple(departments))
    _write_url(view)
    for notice in st.session_state.get("_notices", []):
        st.warning(notice, icon=":material/link_off:")
    return view


def _write_url(view: View) -> None:
    wanted = view_params(view)
    for name in ("start", "end", *LIST_PARAMS):
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
    st.set_page_config(page_title="Social business dashboard", page_icon="📊", layout="wide")
    conf = settings()
    ensure_data()
    view = filter_bar(conf)
    st.session_state["_view"], st.session_state["_settings"] = view, conf
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

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def current() -> tuple[View, Settings]:
    """The view and settings the frame set for this run (pages call this)."""
    _leave_legacy_multipage_mode()
    return st.session_state["_view"], st.session_state["_settings"]


def now() -> dt.datetime:
    """The present instant, to the minute, so that cached results can be reused within it."""
    return dt.datetime.now(dt.timezone.utc).replace(second=0, microsecond=0)


def download(frame_: pd.DataFrame, name: str, label: str = "Download CSV") -> None:
    st.download_button(label, frame_.to_csv(index=False).encode("utf-8"), file_name=f"{name}.csv",
                       mime="text/csv", key=f"dl-{name}")
