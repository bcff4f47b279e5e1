"""``python -m connectors import KIND FILE``: load a CSV export of what no API gives.

KINDs and their columns (a header row is required; column order is free; UTF-8, with or
without a byte-order mark; comma- or semicolon-separated):

* ``followers``: follower history (backfill), one row per account and day:
  ``platform, handle, day, followers``.
* ``posts``: posts with their counts: ``platform, handle, post_id, created_at, likes,
  comments, shares`` and optionally ``url, text, views, is_reply``.
* ``interactions``: help-desk or inbox exports (private messages, comments the API does
  not show): ``platform, handle, interaction_id, received_at`` and optionally
  ``first_response_at, team, responder``. ``handle`` is the official account the item
  was addressed to; ``team`` is a department's id or name (case-insensitive) and becomes
  the department that answered (kept only when there is a response, contract §1);
  ``responder`` is the handle of the answering account on the same platform.

Instead of ``platform`` and ``handle`` a file may carry ``account_id`` (the warehouse id,
``platform:handle``). Accounts must be in the configuration (or the warehouse already).
Times are ISO 8601 (``2026-01-05T14:30:00Z``, ``2026-01-05 14:30``); a time without an
offset is read in the configuration's time zone. Counts are whole numbers ≥ 0.

A file with a missing or unknown column, or any wrong value, is refused with the line
and column named, and nothing is written. Rows are upserted on the platform's id, so
importing the same file twice changes nothing.

An import writes real data, and real data never mixes with the demo: a warehouse holding
the demo data set is cleared by an import that is accepted (and the result says so),
and left exactly as it was by one that is refused. A row naming one of the demo's
accounts that the configuration does not name is refused with that reason and the way
out (name the account in the configuration; build the demo in a file of its own).
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import shlex
import uuid
import zoneinfo
from pathlib import Path

import pandas as pd

from connectors.config_sync import sync_config
from socialdash import warehouse
from socialdash.config import PLATFORMS, Config, account_id

MAX_ERRORS = 10


@dataclasses.dataclass(frozen=True)
class Kind:
    name: str
    summary: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()


KINDS = {
    "followers": Kind("followers", "follower history (backfill): one count per account and day",
                      ("day", "followers")),
    "posts": Kind("posts", "posts with their counts", ("post_id", "created_at", "likes", "comments", "shares"),
                  ("url", "text", "views", "is_reply")),
    "interactions": Kind("interactions", "help-desk / inbox exports, with a team column mapped to departments",
                         ("interaction_id", "received_at"), ("first_response_at", "team", "responder")),
}
ACCOUNT_COLUMNS = ("platform", "handle")


class ImportRefused(ValueError):
    """The file was refused; the message names the lines and columns."""


def kinds_help() -> str:
    lines = []
    for kind in KINDS.values():
        optional = f"; optional: {', '.join(kind.optional)}" if kind.optional else ""
        lines.append(f"{kind.name}: {kind.summary}. Columns: platform, handle (or account_id), "
                     f"{', '.join(kind.required)}{optional}.")
    return "\n".join(lines)


@dataclasses.dataclass
class _Problems:
    source: str
    items: list[str] = dataclasses.field(default_factory=list)
    count: int = 0
    footer: str = ""                 # the cause common to several problems, said once

    def add(self, line: int | None, column: str | None, message: str) -> None:
        self.count += 1
        if len(self.items) < MAX_ERRORS:
            where = f"line {line}" if line is not None else "header"
            if column:
                where += f", column \"{column}\""
            self.items.append(f"{where}: {message}")

    def raise_if_any(self) -> None:
        if self.count:
            more = f"\n  … and {self.count - len(self.items)} more" if self.count > len(self.items) else ""
            raise ImportRefused(f"{self.source} was refused ({self.count} problem{'s' if self.count != 1 else ''}; "
                                f"nothing was written):\n  " + "\n  ".join(self.items) + more
                                + (f"\n{self.footer}" if self.footer else ""))


def read_rows(path: Path) -> tuple[list[str], list[tuple[int, dict]]]:
    """The header and (line number, row) pairs of a CSV file."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRefused(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start}); save the export as UTF-8") from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    rows = []
    for row in reader:
        if all(not (v or "").strip() for k, v in row.items() if k is not None):
            continue  # a blank line
        rows.append((reader.line_num, row))
    return header, rows


def _check_header(kind: Kind, header: list[str], problems: _Problems) -> None:
    if not header:
        problems.add(None, None, "the file is empty (a header row is needed)")
        return
    known = set(kind.required) | set(kind.optional) | set(ACCOUNT_COLUMNS) | {"account_id"}
    expected = f"expected: platform, handle (or account_id), {', '.join(kind.required)}" + (
        f" and optionally {', '.join(kind.optional)}" if kind.optional else "")
    seen = set()
    for name in header:
        if name in seen:
            problems.add(None, name, "appears twice")
        seen.add(name)
        if name not in known:
            problems.add(None, name, f"unknown column ({expected})")
    missing = [c for c in kind.required if c not in seen]
    if "account_id" not in seen:
        missing = [c for c in ACCOUNT_COLUMNS if c not in seen] + missing
    for name in missing:
        problems.add(None, name, f"missing column ({expected})")


def _text(row: dict, column: str) -> str:
    return (row.get(column) or "").strip()


def _count(row, column, line, problems, *, optional=False) -> int | None:
    raw = _text(row, column)
    if raw == "" and optional:
        return None
    try:
        value = int(raw.replace(",", "").replace("_", "")) if raw else None
    except ValueError:
        value = None
    if value is None or value < 0:
        problems.add(line, column, f"{raw!r} is not a whole number ≥ 0")
        return None
    return value


def _day(row, column, line, problems) -> dt.date | None:
    raw = _text(row, column)
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        problems.add(line, column, f"{raw!r} is not a date (YYYY-MM-DD)")
        return None


def _time(row, column, line, problems, zone, *, optional=False) -> dt.datetime | None:
    raw = _text(row, column)
    if raw == "" and optional:
        return None
    try:
        stamp = dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        problems.add(line, column, f"{raw!r} is not a time (ISO 8601, e.g. 2026-01-05T14:30:00Z)")
        return None
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=zone)
    return stamp.astimezone(dt.timezone.utc)


def _flag(row, column, line, problems) -> bool:
    raw = _text(row, column).lower()
    if raw in ("", "false", "0", "no", "n"):
        return False
    if raw in ("true", "1", "yes", "y"):
        return True
    problems.add(line, column, f"{raw!r} is not true or false")
    return False


@dataclasses.dataclass
class DemoContext:
    """A warehouse that holds the demo data set, as an import sees it: the import replaces
    the demo with the configuration's accounts, so a demo account the configuration does
    not name is unknown for a reason the user must be told."""
    accounts: frozenset[str]             # the demo's account ids
    loc: str
    config_file: str | None              # the configuration file read, if any
    configured: bool                     # whether it names any organization
    named: set[str] = dataclasses.field(default_factory=set)  # demo accounts the file rows used

    def unknown(self, aid: str) -> str | None:
        if aid not in self.accounts:
            return None
        self.named.add(aid)
        return (f"unknown account {aid!r}: it is an account of the demo data set, which this import would replace, "
                "and your configuration does not name it")

    def footer(self) -> str:
        names = ", ".join(repr(a) for a in sorted(self.named)[:5]) + (" …" if len(self.named) > 5 else "")
        from connectors.demo import demo_location

        where = self.config_file or "data/config.toml"
        other = shlex.quote(demo_location(self.loc))
        if self.configured:
            source = f"the organizations and accounts of your configuration ({where}), which does not name {names}"
            todo = (f"To import these rows, add {'that account' if len(self.named) == 1 else 'those accounts'} to "
                    f"{where} (an organization's, a department's or a person's accounts) and run the import again.")
        else:
            why = "names no organization" if Path(where).exists() else "does not exist"
            source = f"the organizations and accounts of your configuration, but there is none ({where} {why})"
            todo = (f"To import real data, copy data/config.example.toml to {where}, name your own accounts there and "
                    "run the import again.")
        return (f"Why: {self.loc} holds the demo data set. An import writes real data, and real data never mixes "
                f"with the demo: the import replaces the whole demo with {source}. The demo is kept.\n{todo} "
                "To keep the demo as well, build it in a file of its own first: "
                f"`python -m connectors demo --db {other}` (open it with SOCIAL_DB={other}).")


def _account(row, line, problems, accounts: dict[str, dict], demo: DemoContext | None = None) -> dict | None:
    if "account_id" in row and _text(row, "account_id"):
        aid = _text(row, "account_id").lower()
        column = "account_id"
    else:
        platform, handle = _text(row, "platform").lower(), _text(row, "handle")
        if platform not in PLATFORMS:
            problems.add(line, "platform", f"{platform!r} is not a platform ({', '.join(PLATFORMS)})")
            return None
        if not handle:
            problems.add(line, "handle", "empty")
            return None
        aid, column = account_id(platform, handle), "handle"
    found = accounts.get(aid)
    if found is None:
        problems.add(line, column, _unknown(aid, demo))
    return found


def _unknown(aid: str, demo: DemoContext | None) -> str:
    return (demo.unknown(aid) if demo else None) or f"unknown account {aid!r}: add it to the configuration first"


def parse(kind_name: str, path: Path, accounts: dict[str, dict], departments: dict[str, str],
          zone: zoneinfo.ZoneInfo, demo: DemoContext | None = None) -> pd.DataFrame:
    """The file's rows as warehouse rows; raises ImportRefused naming every problem.
    ``demo``: set when the warehouse holds the demo data set (see ``DemoContext``)."""
    kind = KINDS[kind_name]
    problems = _Problems(str(path))
    header, rows = read_rows(path)
    _check_header(kind, header, problems)
    problems.raise_if_any()
    if not rows:
        raise ImportRefused(f"{path}: no rows after the header; nothing was written")
    out, keys = [], {}
    for line, row in rows:
        if None in row:  # more fields than header columns
            problems.add(line, None, f"{len(row) - 1 + len(row[None])} fields, the header has {len(header)}")
            continue
        account = _account(row, line, problems, accounts, demo)
        if kind_name == "followers":
            day = _day(row, "day", line, problems)
            followers = _count(row, "followers", line, problems)
            key = (account["account_id"] if account else None, day)
            out.append({"account_id": key[0], "day": day, "followers": followers})
            id_column = "day"
        elif kind_name == "posts":
            post_id = _text(row, "post_id")
            if not post_id:
                problems.add(line, "post_id", "empty")
            key = (account["platform"] if account else None, post_id)
            out.append({
                "platform": key[0], "post_id": post_id, "account_id": account["account_id"] if account else None,
                "created_at": _time(row, "created_at", line, problems, zone), "url": _text(row, "url") or None,
                "text": row.get("text") or None, "likes": _count(row, "likes", line, problems),
                "comments": _count(row, "comments", line, problems), "shares": _count(row, "shares", line, problems),
                "views": _count(row, "views", line, problems, optional=True) if "views" in row else None,
                "is_reply": _flag(row, "is_reply", line, problems) if "is_reply" in row else False,
                "observed_at": dt.datetime.now(dt.timezone.utc),
            })
            id_column = "post_id"
        else:
            interaction_id = _text(row, "interaction_id")
            if not interaction_id:
                problems.add(line, "interaction_id", "empty")
            if account is not None and account["person"] is not None:
                problems.add(line, "account_id" if "account_id" in row else "handle",
                             f"{account['account_id']!r} is an employee's own account; inbound items are counted "
                             "for official accounts only")
            received = _time(row, "received_at", line, problems, zone)
            first = _time(row, "first_response_at", line, problems, zone, optional=True) if "first_response_at" in row else None
            if received and first and first < received:
                problems.add(line, "first_response_at", f"{_text(row, 'first_response_at')!r} is before received_at")
            team = _text(row, "team")
            department = None
            if team:
                department = departments.get(team.lower())
                if department is None:
                    problems.add(line, "team", f"{team!r} is not a department (known: "
                                 f"{', '.join(sorted(set(departments.values()))) or 'none configured'})")
            responder = None
            if _text(row, "responder") and account is not None:
                responder = account_id(account["platform"], _text(row, "responder"))
                if responder not in accounts:
                    problems.add(line, "responder", _unknown(responder, demo))
            key = (account["platform"] if account else None, interaction_id)
            out.append({
                "platform": key[0], "interaction_id": interaction_id,
                "account_id": account["account_id"] if account else None, "received_at": received,
                "first_response_at": first, "responder_account_id": responder if first else None,
                "department_id": department if first else None,
            })
            id_column = "interaction_id"
        if account is not None and all(k is not None for k in key):
            if key in keys:
                problems.add(line, id_column, f"the same row as line {keys[key]} ({key[1]})")
            keys.setdefault(key, line)
    if demo is not None and demo.named:
        problems.footer = demo.footer()
    problems.raise_if_any()
    frame = pd.DataFrame(out)
    for col in ("created_at", "received_at", "first_response_at", "observed_at"):
        if col in frame:
            frame[col] = pd.to_datetime(frame[col], utc=True)
    if "views" in frame:
        frame["views"] = frame["views"].astype("Int64")
    return frame


TABLE = {"followers": "account_daily", "posts": "posts", "interactions": "interactions"}


@dataclasses.dataclass
class ImportResult:
    rows: int
    cleared_demo: bool               # the warehouse held the demo data set, replaced by this import


def import_file(kind: str, path: str | Path, loc: str | None = None, config: Config | None = None,
                config_file: str | None = None) -> int:
    """Validate and write one CSV file; returns the rows written. Nothing is written when
    the file is refused (``ImportRefused``)."""
    return import_csv(kind, path, loc, config, config_file).rows


def import_csv(kind: str, path: str | Path, loc: str | None = None, config: Config | None = None,
               config_file: str | None = None) -> ImportResult:
    """``import_file``, telling also whether the demo data set was cleared. ``config_file``
    names the configuration in messages."""
    from connectors.refresh import claim_warehouse

    if kind not in KINDS:
        raise ImportRefused(f"unknown KIND {kind!r}; one of: {', '.join(KINDS)}")
    path = Path(path)
    if not path.is_file():
        raise ImportRefused(f"{path}: no such file")
    loc = loc or warehouse.location()
    zone = config.tz if config is not None else zoneinfo.ZoneInfo("UTC")
    started = dt.datetime.now(dt.timezone.utc)
    with warehouse.writing(loc) as con:
        demo = None
        if warehouse.meta(con, "dataset") == "demo":
            demo = DemoContext(
                frozenset(r[0] for r in con.execute("SELECT account_id FROM accounts").fetchall()), loc, config_file,
                bool(config is not None and config.organizations))
        # Claimed before the rows are checked against the accounts the import will leave; a
        # refused file raises and the private copy, claim included, is thrown away.
        cleared = claim_warehouse(con)
        if config is not None and config.organizations:
            sync_config(con, config)
        accounts = {r["account_id"]: r for r in con.execute(
            "SELECT account_id, platform, org_id, person FROM accounts").df().to_dict("records")}
        for r in accounts.values():
            r["person"] = None if pd.isna(r["person"]) else r["person"]
        departments = {}
        for dept_id, name in con.execute("SELECT department_id, name FROM departments").fetchall():
            departments[dept_id.lower()] = dept_id
            departments[str(name).lower()] = dept_id
        frame = parse(kind, path, accounts, departments, zone, demo)
        written = warehouse.upsert(con, TABLE[kind], frame)
        if kind == "posts" and config is not None:
            from connectors.attribution import apply_attribution

            apply_attribution(con, config)
        warehouse.upsert(con, "connector_runs", pd.DataFrame([{
            "run_id": f"import-{kind}-{started:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}",
            "connector": f"import:{kind}", "started_at": started, "finished_at": dt.datetime.now(dt.timezone.utc),
            "status": "ok", "rows_written": written, "error": None,
        }]))
    return ImportResult(written, cleared)
