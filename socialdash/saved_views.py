"""Saved views: named links everyone can open with ``?view=NAME``.

They live in a small SQLite store of their own beside the warehouse (``views.sqlite``, or
the path in ``SOCIAL_VIEWS``), so that refreshes, which replace the warehouse file, never
touch them, and the dashboard never has to write the warehouse. SQLite serialises the
writes of concurrent sessions.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sqlite3
from contextlib import closing
from pathlib import Path

from socialdash import warehouse

MAX_NAME = 80
# The parameters a saved view keeps: the contract's filters and the pages' own choices
# (Competitors: platform, metric, top, search; Goals: goal; Data health: stale). The page it
# was saved on is kept beside them; meeting mode (mode, advance) is the presenter's, not the view's.
# A view saved on a preset keeps ``period`` (e.g. last-30-days), not dates: it reopens on the
# latest days; one saved on a custom range keeps its ``start`` and ``end``.
KEPT_PARAMS = ("period", "start", "end", "platforms", "orgs", "departments", "metric", "platform", "sort",
               "top", "search", "goal", "stale")


class ViewError(ValueError):
    """A view name or operation was refused; the message says why."""


def store_path() -> Path:
    explicit = os.environ.get("SOCIAL_VIEWS")
    if explicit:
        return Path(explicit)
    loc = warehouse.location()
    folder = Path(loc).parent if warehouse.is_file_location(loc) else Path("data")
    return folder / "views.sqlite"


def clean_name(name: str) -> str:
    name = " ".join(str(name).split())
    if not name:
        raise ViewError("A saved view needs a name.")
    if len(name) > MAX_NAME:
        raise ViewError(f"A view name can have at most {MAX_NAME} characters.")
    if re.search(r"[\x00-\x1f\x7f]", name):
        raise ViewError("A view name cannot contain control characters.")
    return name


class ViewStore:
    def __init__(self, path: Path | str | None = None):
        self.path = Path(path) if path else store_path()

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(self.path, timeout=10)
        con.execute(
            """CREATE TABLE IF NOT EXISTS saved_views (
                   name TEXT PRIMARY KEY COLLATE NOCASE,
                   page TEXT NOT NULL,
                   params TEXT NOT NULL,
                   saved_at TEXT NOT NULL)"""
        )
        return con

    def save(self, name: str, page: str, params: dict[str, str], *, replace: bool = False) -> str:
        """Save (or, with ``replace``, overwrite) a view; returns the cleaned name."""
        name = clean_name(name)
        kept = {k: str(v) for k, v in params.items() if k in KEPT_PARAMS and v not in (None, "")}
        row = (name, page, json.dumps(kept, sort_keys=True), dt.datetime.now(dt.timezone.utc).isoformat())
        with closing(self._connect()) as con, con:
            if replace:
                con.execute("INSERT OR REPLACE INTO saved_views VALUES (?, ?, ?, ?)", row)
            else:
                try:
                    con.execute("INSERT INTO saved_views VALUES (?, ?, ?, ?)", row)
                except sqlite3.IntegrityError:
                    raise ViewError(f"A view named {name!r} exists already; choose another name or replace it.") from None
        return name

    def get(self, name: str) -> dict | None:
        with closing(self._connect()) as con:
            row = con.execute("SELECT name, page, params, saved_at FROM saved_views WHERE name = ?", (name,)).fetchone()
        return _as_dict(row) if row else None

    def list(self) -> list[dict]:
        with closing(self._connect()) as con:
            rows = con.execute("SELECT name, page, params, saved_at FROM saved_views ORDER BY name").fetchall()
        return [_as_dict(r) for r in rows]

    def rename(self, old: str, new: str) -> str:
        new = clean_name(new)
        with closing(self._connect()) as con, con:
            if old.lower() != new.lower() and con.execute("SELECT 1 FROM saved_views WHERE name = ?", (new,)).fetchone():
                raise ViewError(f"A view named {new!r} exists already.")
            changed = con.execute("UPDATE saved_views SET name = ? WHERE name = ?", (new, old)).rowcount
        if not changed:
            raise ViewError(f"There is no saved view named {old!r}.")
        return new

    def delete(self, name: str) -> None:
        with closing(self._connect()) as con, con:
            if not con.execute("DELETE FROM saved_views WHERE name = ?", (name,)).rowcount:
                raise ViewError(f"There is no saved view named {name!r}.")


def _as_dict(row) -> dict:
    name, page, params, saved_at = row
    return {"name": name, "page": page, "params": json.loads(params), "saved_at": saved_at}
