"""The hand-computed fixture (tests/fixture_warehouse.py), plus what meetings need: the
connector runs that say how fresh the data is, and optionally an organization whose
name is hostile markup, for the escaping of the brief and the pages.

Data as of: the last successful run finished 2026-01-14 12:00 UTC = 07:00 in New York; a
later run failed at 13:05 UTC = 08:05.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from socialdash.warehouse import upsert, writing
from tests import fixture_warehouse

HOSTILE = '<img src=x onerror=alert(1)> "Other" & <script>alert(2)</script>'
CONFIG = 'timezone = "America/New_York"\nsla_minutes = 60\n'  # the fixture's settings as a file
AS_OF = "Data as of 14 Jan 2026, 07:00 (America/New_York)"
FAILED_LATER = "; a later refresh failed at 14 Jan 2026, 08:05 (see Data health)"


def _utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.timezone.utc)


RUNS = [
    # run_id, connector, started, finished, status, rows, error
    ("run-1", "x", "2026-01-13 11:50", "2026-01-13 12:00", "ok", 40, None),
    ("run-2", "x", "2026-01-14 11:50", "2026-01-14 12:00", "partial", 12, "one account failed"),
    ("run-3", "bluesky", "2026-01-14 13:00", "2026-01-14 13:05", "failed", 0, "bluesky: timeout"),
]


def build(path: str, *, hostile: bool = False, failed_later: bool = True) -> str:
    fixture_warehouse.build(path)
    with writing(path) as con:
        runs = [r for r in RUNS if failed_later or r[4] != "failed"]
        upsert(con, "connector_runs", pd.DataFrame(
            [(rid, conn, _utc(s), _utc(f), status, rows, err) for rid, conn, s, f, status, rows, err in runs],
            columns=["run_id", "connector", "started_at", "finished_at", "status", "rows_written", "error"]))
        if hostile:
            con.execute("UPDATE organizations SET name = $name WHERE org_id = 'other'", {"name": HOSTILE})
    return path
