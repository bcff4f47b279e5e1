"""The page benchmark (`python -m benchmarks`) at a small scale: its pandas implementation
gives socialdash's numbers, it times exactly the query functions the pages call, and a
smoke run prints its table. Correctness only: no test here asserts a time.

Also the charts' size: no Plotly figure of any page carries more than about 5,000 points,
even over the whole two years of the demo data.
"""

import ast
import base64
import datetime as dt
import json
import os

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from benchmarks import pages
from connectors.demo import build_demo
from socialdash import ui, warehouse
from socialdash.config import Settings, load_config
from socialdash.period import today_in
from tests.browser import ROOT

MAX_POINTS = 5000


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> str:
    """The small demo data set (seed 7), as `python -m connectors demo` writes it."""
    db = str(tmp_path_factory.mktemp("bench") / "demo.duckdb")
    with warehouse.writing(db) as con:
        build_demo(con, scale="small", seed=7)
    return db


@pytest.fixture()
def context(demo_db, monkeypatch):
    monkeypatch.setenv("SOCIAL_DB", demo_db)
    monkeypatch.setenv("SOCIAL_CONFIG", str(pages.CONFIG))
    pages.reset()
    yield pages.context()
    pages.reset()


@pytest.mark.parametrize("page", pages.PAGE_NAMES)
@pytest.mark.parametrize("reader", ["reader", "plain connection"])
def test_the_pandas_implementation_gives_socialdashs_numbers(page, reader, context, demo_db):
    # "reader": the dashboard's reader, with its in-memory copy of the official accounts'
    # counts (warehouse.reader); "plain connection": open_warehouse, which reads account_daily
    con = warehouse.reader(demo_db)[1] if reader == "reader" else warehouse.open_warehouse(demo_db)
    uses_copy = "official_daily" in pages.metrics._official_counts(con)
    assert uses_copy == (reader == "reader")
    theirs = pages.socialdash_numbers(page, con, context)
    ours = pages.pandas_numbers(page, pages.load_tables(con, page), context)
    assert pages.check_numbers(ours, theirs) == []
    assert set(theirs) <= set(ours) and len(theirs) >= 2


def test_a_readers_copy_of_the_official_counts_is_of_its_own_version(tmp_path):
    db = str(tmp_path / "w.duckdb")
    with warehouse.writing(db) as con:
        build_demo(con, scale="small", seed=3)
    official = "account_id IN (SELECT account_id FROM accounts WHERE person IS NULL)"
    version, con = warehouse.reader(db)
    copied = con.execute(f"SELECT count(*), sum(followers) FROM {warehouse.OFFICIAL_COUNTS}").fetchone()
    assert copied == con.execute(f"SELECT count(*), sum(followers) FROM account_daily WHERE {official}").fetchone()
    assert copied[0] > 0
    with warehouse.writing(db) as w:  # every official count one higher
        w.execute(f"UPDATE account_daily SET followers = followers + 1 WHERE {official}")
    new_version, new_con = warehouse.reader(db)
    assert new_version != version and new_con is not con
    # n counts, each one higher: the sum grows by n
    assert new_con.execute(f"SELECT count(*), sum(followers) FROM {warehouse.OFFICIAL_COUNTS}").fetchone() == \
        (copied[0], copied[1] + copied[0])
    # the old reader keeps reading its own version, its copy with it
    assert con.execute(f"SELECT count(*), sum(followers) FROM {warehouse.OFFICIAL_COUNTS}").fetchone() == copied


def test_a_different_number_is_caught(context, demo_db):
    con = warehouse.open_warehouse(demo_db)
    theirs = pages.socialdash_numbers("response_times", con, context)
    ours = pages.pandas_numbers("response_times", pages.load_tables(con, "response_times"), context)
    ours["weekly"].loc[ours["weekly"].index[0], "median_response_minutes"] += 0.5
    ours["buckets"] = ours["buckets"].iloc[1:]
    problems = pages.check_numbers(ours, theirs)
    assert any(p.startswith("weekly.median_response_minutes: 1 of") for p in problems)
    assert any(p.startswith("buckets: different rows") for p in problems)
    assert len(problems) == 2


def _compute_calls_in(source: str) -> set[str]:
    """`module.function` of every ui.compute(module.function, ...) in a page file."""
    calls = set()
    for node in ast.walk(ast.parse(source)):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "compute"
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "ui"):
            fn = node.args[0]
            assert isinstance(fn, ast.Attribute) and isinstance(fn.value, ast.Name)
            calls.add(f"{fn.value.id}.{fn.attr}")
    return calls


MODULE_NAMES = {"rt": "response_times", "shared_goals": "goals"}  # the pages' import aliases


@pytest.mark.parametrize("page", pages.PAGE_NAMES)
def test_the_benchmark_times_the_functions_the_page_calls(page, context, monkeypatch):
    called = set()
    real = ui.compute

    def recording(fn, *args):
        called.add(f"{fn.__module__.rsplit('.', 1)[1]}.{fn.__qualname__}")
        return real(fn, *args)

    monkeypatch.setattr(ui, "compute", recording)
    pages.PAGES[page](context)
    in_page = {f"{MODULE_NAMES.get(m, m)}.{f}" for m, f in
               (c.split(".") for c in _compute_calls_in((ROOT / "pages" / f"{page}.py").read_text()))}
    # The goals page charts one goal, the overview lists off-track goals: both are in the default view.
    assert called == in_page


def test_a_smoke_run_prints_the_table(demo_db, monkeypatch, capsys):
    for name in ("SOCIAL_DB", "SOCIAL_CONFIG"):  # main() sets them; restored after the test
        monkeypatch.setenv(name, "")
    code = pages.main(["--db", demo_db, "--repeat", "1", "--no-browser", "--no-write", "--pages", "goals,data_health"])
    out = capsys.readouterr().out
    assert code == 0, out  # 1 when a pandas number differs from socialdash's
    assert "| goals |" in out and "| data_health |" in out
    assert out.count("same numbers: True") == 2 and "Targets (large warehouse, 2 cores)" in out


def test_the_pages_section_is_written_beside_the_connectors_section(tmp_path):
    doc = tmp_path / "BENCHMARKS.md"
    doc.write_text("# Benchmarks\n\n## Connectors\n\nrefresh figures\n")
    pages.write_section("first table", doc)
    pages.write_section("second table", doc)
    assert doc.read_text() == "# Benchmarks\n\n## Pages\n\nsecond table\n\n## Connectors\n\nrefresh figures\n"


# --- Chart sizes ------------------------------------------------------------------------------

def _size(values) -> int:
    """Points in a trace's x/y/z/values: a list (of lists) or Plotly's packed typed array."""
    if isinstance(values, dict) and "bdata" in values:
        count = len(base64.b64decode(values["bdata"])) // np.dtype(values["dtype"]).itemsize
        return count
    if isinstance(values, (list, tuple)):
        return sum(len(v) if isinstance(v, (list, tuple)) else 1 for v in values)
    return 0


def trace_points(trace: dict) -> int:
    return max(_size(trace.get(key)) for key in ("x", "y", "z", "values"))


def test_trace_points_counts_lists_grids_and_packed_arrays():
    packed = {"dtype": "f8", "bdata": base64.b64encode(np.arange(7, dtype="f8").tobytes()).decode()}
    assert trace_points({"x": [1, 2, 3], "y": packed}) == 7
    assert trace_points({"z": [[1, 2], [3, 4], [5, 6]]}) == 6
    assert trace_points({"values": [1, 2]}) == 2


# The demo's two years, in the configured zone: 730 days from FIRST_DAY to today.
TODAY = today_in(Settings.from_config(load_config(pages.CONFIG)).timezone)
FIRST_DAY = TODAY - dt.timedelta(days=729)


@pytest.fixture(scope="module")
def two_years(demo_db):
    """Every page over the demo's whole two years, its charts' points."""
    env = {"SOCIAL_DB": demo_db, "SOCIAL_CONFIG": str(pages.CONFIG)}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
        at.query_params["start"], at.query_params["end"] = str(FIRST_DAY), str(TODAY)
        at.run()
        charts = {}
        for page in pages.PAGE_NAMES:
            at.switch_page(f"pages/{page}.py")
            at.run()
            assert not at.exception, (page, [e.message for e in at.exception])
            charts[page] = [[trace_points(t) for t in json.loads(c.proto.spec)["data"]] for c in at.get("plotly_chart")]
        return charts
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def test_no_chart_carries_more_than_about_5000_points(two_years):
    figures = [(page, sum(traces)) for page, charts in two_years.items() for traces in charts]
    # the pages draw charts over these two years (data health has none)
    assert len([f for f in figures if f[1] > 0]) >= 10
    too_big = [(page, n) for page, n in figures if n > MAX_POINTS]
    assert too_big == []
    # the largest: the audience over time on the overview and the competitors page, one point
    # per organization and day: 5 organizations × 730 days = 3,650 (under metrics.audience_series'
    # 4,000, so not thinned)
    largest = sorted(figures, key=lambda f: -f[1])[:2]
    assert largest == [("overview", 3650), ("competitors", 3650)]
