"""``python -m connectors refresh``: pull every configured account and write the warehouse.

The order of things:

1. Read the configuration's accounts and each account's incremental state
   (``connector_state``, a table of this module's own, created idempotently). The first
   refresh of an account reaches back ``history_days``; later ones read everything since
   the last success or the last ``lookback_days``, whichever reaches further, so new
   posts come in and recent posts' counts are re-read.
2. Skip, with a message, every platform whose credential is missing (environment
   variables, else the ``[connectors]`` section of ``.streamlit/secrets.toml``).
3. Pull the accounts in parallel, bounded twice: at most ``Connector.concurrency``
   accounts at once against one API address (one Mastodon instance, one Graph app…), each
   address with its own threads, and ``workers`` accounts in all; meanwhile the HTTP layer
   honours each API's rate-limit signal.
   An account that fails is reported and the others carry on.
4. Derive inbound items and first responses per organization and platform from the
   reply threads (``responses``): an item addressed to an official account (a reply to
   it, a mention of it, a comment under its post) and not written by any account of the
   organization; its response is the first later reply by an official account of the
   organization in the same thread.
5. When data arrived (a post, a follower count or an inbound item from any account), write
   everything in one all-or-nothing step (``warehouse.writing()``): the configuration
   (``config_sync``), posts, today's follower counts, department attribution
   (``connectors.attribution``), interactions, the accounts' state, one ``connector_runs``
   row per platform (``ok`` / ``partial`` / ``failed``). A warehouse that held the demo
   data set is cleared first: real data never mixes with the demo.
   When no data arrived, the warehouse changes only if it already holds real data, and
   then only by the record of the attempt (``connector_runs`` and ``connector_state``), so
   that Data health and "a later refresh failed" tell the truth. The demo, an empty
   warehouse or a missing file are left exactly as they were: a refresh that brought
   nothing must not cost the user the demo (see ``record_attempt``).
6. Check the alerts (``connectors.alerts``) on the new data; print the summary.

Department of an answered interaction: the department whose signature the reply carries
(the attribution of the reply post), else the responding account's own department.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import datetime as dt
import json
import os
import threading
import time
import tomllib
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Callable, Iterable

import duckdb
import pandas as pd

from connectors.config_sync import configured_accounts, sync_config
from connectors.http import ConnectorError, redact, register_secret
from connectors.platforms import (
    Account, AccountData, Connector, ConnectorSettings, ThreadItem, Window, connector_class,
)
from socialdash import warehouse
from socialdash.config import PLATFORMS, Config
from socialdash.period import today_in

CREDENTIALS = ("X_BEARER_TOKEN", "YOUTUBE_API_KEY", "META_ACCESS_TOKEN", "LINKEDIN_ACCESS_TOKEN", "META_IG_USER_ID")
SECRET_CREDENTIALS = ("X_BEARER_TOKEN", "YOUTUBE_API_KEY", "META_ACCESS_TOKEN", "LINKEDIN_ACCESS_TOKEN",
                      "ALERTS_WEBHOOK_URL")
DEFAULT_WORKERS = 16
ERROR_LIMIT = 2000  # characters of connector_runs.error



# --- Credentials --------------------------------------------------------------------------

def default_secrets_path() -> Path:
    return Path(os.environ.get("SOCIAL_SECRETS") or ".streamlit/secrets.toml")


def load_credentials(secrets_path: Path | str | None = None, env: dict | None = None) -> dict[str, str]:
    """Credentials by name: the environment wins over the ``[connectors]`` section of
    ``.streamlit/secrets.toml``; empty values count as absent."""
    env = os.environ if env is None else env
    found: dict[str, str] = {}
    path = Path(secrets_path) if secrets_path is not None else default_secrets_path()
    if path.exists():
        try:
            section = tomllib.loads(path.read_text(encoding="utf-8")).get("connectors") or {}
        except tomllib.TOMLDecodeError as exc:
            raise ConnectorError(f"{path}: not valid TOML: {exc}") from None
        for key, value in section.items():
            if isinstance(value, str) and value.strip():
                found[key.upper()] = value.strip()
    for name in (*CREDENTIALS, "ALERTS_WEBHOOK_URL"):
        value = env.get(name)
        if value and value.strip():
            found[name] = value.strip()
    for name in SECRET_CREDENTIALS:
        register_secret(found.get(name))
    return found


# --- Results ------------------------------------------------------------------------------

@dataclasses.dataclass
class AccountResult:
    account: Account
    status: str = "failed"             # ok / failed / skipped
    data: AccountData | None = None
    error: str | None = None
    seconds: float = 0.0
    finished_at: dt.datetime | None = None
    window: Window | None = None
    inbound: int = 0
    answered: int = 0

    @property
    def note(self) -> str:
        if self.error:
            return self.error
        return "; ".join(self.data.notes) if self.data and self.data.notes else ""


@dataclasses.dataclass
class PlatformRun:
    platform: str
    started_at: dt.datetime
    finished_at: dt.datetime | None = None
    status: str = "ok"
    rows_written: int = 0
    requests: int = 0
    accounts: list[AccountResult] = dataclasses.field(default_factory=list)
    error: str | None = None           # a failure of the whole platform (e.g. re-authorise)

    @property
    def errors(self) -> list[str]:
        out = [self.error] if self.error else []
        out += [f"{r.account.handle}: {r.error}" for r in self.accounts if r.status == "failed" and r.error and r.error != self.error]
        return out


@dataclasses.dataclass
class RefreshReport:
    runs: dict[str, PlatformRun] = dataclasses.field(default_factory=dict)
    skipped: dict[str, str] = dataclasses.field(default_factory=dict)
    warnings: list[str] = dataclasses.field(default_factory=list)   # failures: exit code 1
    notes: list[str] = dataclasses.field(default_factory=list)      # information only
    alerts: list = dataclasses.field(default_factory=list)
    cleared_demo: bool = False
    brought_data: bool = False      # a post, a follower count or an inbound item arrived
    written: str = "nothing"        # "data", "attempt" (runs and state only) or "nothing"
    kept: str | None = None         # what a run that wrote nothing left in place: "demo", "empty", "missing"
    location: str = ""
    seconds: float = 0.0

    @property
    def rows_written(self) -> int:
        return sum(run.rows_written for run in self.runs.values())

    @property
    def exit_code(self) -> int:
        bad = any(run.status != "ok" for run in self.runs.values())
        return 1 if bad or self.warnings else 0


# --- Responses from reply threads -----------------------------------------------------------

@dataclasses.dataclass
class Interaction:
    platform: str
    interaction_id: str
    account_id: str
    received_at: dt.datetime
    first_response_at: dt.datetime | None
    responder_account_id: str | None
    reply_id: str | None
    org_id: str


def responses(platform: str, results: Iterable[AccountResult], known_ids: dict[str, str] | None = None) -> list[Interaction]:
    """Inbound items and their first responses, per organization, from what the accounts saw.

    ``results`` are the platform's pulled accounts; ``known_ids`` maps account ids of
    accounts that did not answer this time to their platform ids (from earlier refreshes),
    so that their posts are still recognised as the organization's own.
    """
    known_ids = known_ids or {}
    by_org: dict[str, list[AccountResult]] = defaultdict(list)
    for result in results:
        by_org[result.account.org_id].append(result)
    out: list[Interaction] = []
    for org_id, org_results in by_org.items():
        org_ids: set[str] = set()
        official: dict[str, str] = {}  # platform id -> account id
        for r in org_results:
            pid = r.data.self_id if r.data else known_ids.get(r.account.account_id)
            if not pid:
                continue
            org_ids.add(pid)
            if r.account.official:
                official[pid] = r.account.account_id
        collected = [r for r in org_results if r.status == "ok" and r.data and r.data.interactions_collected]
        if not collected:
            continue
        items: dict[str, ThreadItem] = {}
        for r in org_results:
            if r.status != "ok" or not r.data:
                continue
            for item in r.data.items:
                current = items.get(item.item_id)
                if current is None or (current.author_id is None and item.author_id is not None):
                    items[item.item_id] = item
        for r in org_results:  # the accounts' own posts are the organization's items
            if r.status != "ok" or not r.data:
                continue
            for post in r.data.posts:
                seen = items.get(post.post_id)
                thread = post.thread_id or (seen.thread_id if seen else post.post_id)
                items[post.post_id] = ThreadItem(
                    post.post_id, r.data.self_id, post.created_at, thread,
                    post.reply_to_author if post.reply_to_author is not None else (seen.reply_to_author if seen else None),
                    post.mentions or (seen.mentions if seen else ()), post.is_reply,
                )
        replies_by_thread: dict[str, list[ThreadItem]] = defaultdict(list)
        for item in items.values():
            if item.is_reply and item.author_id in official:
                replies_by_thread[item.thread_id].append(item)
        for thread_replies in replies_by_thread.values():
            thread_replies.sort(key=lambda i: (i.created_at, i.item_id))
        for item in items.values():
            if item.author_id is None or item.author_id in org_ids:
                continue
            if item.reply_to_author in official:
                addressed = official[item.reply_to_author]
            else:
                addressed = next((official[m] for m in item.mentions if m in official), None)
            if addressed is None:
                continue
            answer = next((r for r in replies_by_thread.get(item.thread_id, ()) if r.created_at > item.created_at), None)
            out.append(Interaction(
                platform, item.item_id, addressed, item.created_at,
                answer.created_at if answer else None,
                official[answer.author_id] if answer else None,
                answer.item_id if answer else None, org_id,
            ))
    return out


# --- Progress and summary -------------------------------------------------------------------

class Reporter:
    """A progress bar per account on a terminal; one line per finished account otherwise."""

    def __init__(self, console, accounts: list[Account], connectors: dict[str, Connector]):
        self.console = console
        self.live = console.is_terminal
        self._lock = threading.Lock()
        self.tasks: dict[str, int] = {}
        self.totals: dict[str, int] = {}
        self.progress = None
        self.hide_done = len(accounts) > 20
        if self.live:
            from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

            self.progress = Progress(
                TextColumn("{task.fields[label]}", style="bold"), BarColumn(bar_width=24),
                TaskProgressColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                console=console, transient=False,
            )
            for account in accounts:
                total = connectors[account.platform].PHASES if account.platform in connectors else 1
                self.totals[account.account_id] = total
                self.tasks[account.account_id] = self.progress.add_task(
                    "waiting", total=total, label=f"{account.platform:<9} {_escape(account.handle)}")

    def __enter__(self):
        if self.progress:
            self.progress.start()
        return self

    def __exit__(self, *exc):
        if self.progress:
            self.progress.stop()

    def step(self, account: Account, detail: str) -> None:
        if self.progress:
            self.progress.update(self.tasks[account.account_id], advance=1, description=_escape(redact(detail)))

    def done(self, result: AccountResult) -> None:
        account = result.account
        if result.status == "ok":
            data = result.data
            text = _plural(len(data.posts), "post") + (f", {data.followers:,} followers" if data.followers is not None else "")
        elif result.status == "skipped":
            text = f"skipped: {result.note}"
        else:
            text = f"failed: {result.error}"
        text = redact(text)
        if self.progress:
            task = self.tasks[account.account_id]
            mark = {"ok": "[green]✓[/]", "skipped": "[yellow]–[/]"}.get(result.status, "[red]✗[/]")
            self.progress.update(task, completed=self.totals[account.account_id], description=f"{mark} {_escape(text)}")
            if self.hide_done and result.status == "ok":
                self.progress.update(task, visible=False)
        else:
            mark = {"ok": "ok", "skipped": "skipped"}.get(result.status, "FAILED")
            with self._lock:
                self.console.print(f"{mark:<7} {account.platform:<9} {_escape(account.handle)}  "
                                   f"{_escape(text)}  ({result.seconds:.1f} s)", highlight=False, soft_wrap=True)


def _plural(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def print_summary(console, report: RefreshReport, org_names: dict[str, str]) -> None:
    from rich.table import Table

    table = Table(title="Accounts", title_justify="left", show_lines=False)
    for name, justify in (("Platform", "left"), ("Account", "left"), ("Organization", "left"), ("Status", "left"),
                          ("Followers", "right"), ("Posts", "right"), ("Inbound", "right"),
                          ("Answered", "right"), ("Time", "right"), ("Note", "left")):
        table.add_column(name, justify=justify, overflow="fold")
    for run in report.runs.values():
        for r in run.accounts:
            style = {"ok": "green", "skipped": "yellow"}.get(r.status, "red")
            data = r.data if r.status == "ok" else None
            table.add_row(
                r.account.platform, _escape(r.account.handle), _escape(org_names.get(r.account.org_id, r.account.org_id)),
                f"[{style}]{r.status}[/]",
                f"{data.followers:,}" if data and data.followers is not None else "—",
                f"{len(data.posts):,}" if data else "—",
                f"{r.inbound:,}" if data and data.interactions_collected else "—",
                f"{r.answered:,}" if data and data.interactions_collected else "—",
                f"{r.seconds:.1f} s", _escape(redact(r.note)),
            )
    console.print(table)

    title = {"data": "Connectors (one connector_runs row each)",
             "attempt": "Connectors (recorded in connector_runs; no data arrived)"}.get(
        report.written, "Connectors (not recorded: nothing was written)")
    runs = Table(title=title, title_justify="left")
    for name, justify in (("Connector", "left"), ("Status", "left"), ("Accounts ok", "right"), ("Failed", "right"),
                          ("Rows written", "right"), ("Requests", "right"), ("Time", "right"), ("Error", "left")):
        runs.add_column(name, justify=justify, overflow="fold")
    for run in report.runs.values():
        style = {"ok": "green", "partial": "yellow"}.get(run.status, "red")
        ok = sum(r.status == "ok" for r in run.accounts)
        failed = sum(r.status == "failed" for r in run.accounts)
        seconds = (run.finished_at - run.started_at).total_seconds() if run.finished_at else 0
        runs.add_row(run.platform, f"[{style}]{run.status}[/]", str(ok), str(failed), f"{run.rows_written:,}",
                     f"{run.requests:,}", f"{seconds:.1f} s", _escape(redact("; ".join(run.errors)[:300])))
    for platform, reason in report.skipped.items():
        runs.add_row(platform, "[yellow]skipped[/]", "—", "—", "—", "—", "—", _escape(reason))
    console.print(runs)

    for line in outcome(report):
        console.print(line, highlight=False)
    for warning in report.warnings:
        console.print(f"[yellow]Warning:[/] {_escape(redact(warning))}")
    for note in report.notes:
        console.print(f"Note: {_escape(redact(note))}", highlight=False)
    if report.alerts:
        console.print(f"[bold]Alerts ({len(report.alerts)})[/]")
        for alert in report.alerts:
            console.print(f"  • {_escape(redact(alert.text))}", highlight=False)
    elif report.written == "data":
        console.print("No alerts.")
    if report.written == "attempt":
        status = {0: "[yellow]no data arrived[/]", 1: "[yellow]accounts failed and no data arrived[/]"}
    elif report.written != "data":
        status = {0: "[yellow]nothing was written[/]", 1: "[yellow]accounts failed and nothing was written[/]"}
    else:
        status = {0: "[green]all connectors succeeded[/]",
                  1: "[yellow]some accounts or platforms failed; the rest is written[/]"}
    console.print(f"Done in {report.seconds:.1f} s: {status[report.exit_code]}.")


def outcome(report: RefreshReport) -> list[str]:
    """What the run did to the warehouse, in words: whether anything was written and why
    not, and what became of the demo."""
    if report.written == "data":
        lines = [f"Written: {_plural(report.rows_written, 'row')}."]
        if report.cleared_demo:
            from connectors.demo import demo_location

            lines.append("The warehouse held the demo data set: real data arrived, so the demo was cleared and the "
                         "warehouse now holds real data only (the demo never mixes with it; `python -m connectors "
                         f"demo --db {demo_location(report.location)}` builds it in a file of its own).")
        return lines
    failed = sum(r.status == "failed" for run in report.runs.values() for r in run.accounts)
    reasons = []
    if failed:
        reasons.append(f"{_plural(failed, 'account')} failed")
    if report.skipped:
        reasons.append(f"{_plural(len(report.skipped), 'platform')} skipped, without credentials: "
                       f"{', '.join(report.skipped)}")
    empty = sum(r.status == "ok" for run in report.runs.values() for r in run.accounts)
    if empty:
        reasons.append(f"{_plural(empty, 'account')} answered with no posts and no follower count")
    passed = sum(r.status == "skipped" for run in report.runs.values() for r in run.accounts)
    if passed:
        reasons.append(f"{_plural(passed, 'account')} skipped")
    why = "; ".join(reasons) or "no account was pulled"
    if report.written == "attempt":
        return [f"[bold]No data arrived[/]: no account brought any ({why}).",
                "The data in the warehouse is as it was; only this attempt was recorded (connector_runs, "
                "shown on the Data health page)."]
    head = f"[bold]Nothing was written[/]: no account brought any data ({why})."
    tail = {
        "demo": "The warehouse is exactly as it was and still holds the demo data set; it is replaced only "
                "when a refresh or an import brings real data.",
        "empty": "The warehouse is exactly as it was.",
        "missing": "No warehouse file was created.",
    }.get(report.kept or "", "The warehouse is exactly as it was.")
    return [head, tail]


# --- The refresh ------------------------------------------------------------------------------

def accounts_of(config: Config, only: Iterable[str] | None = None) -> list[Account]:
    frame = configured_accounts(config)
    wanted = set(only or ())
    out = []
    for row in frame.itertuples(index=False):
        if wanted and row.platform not in wanted:
            continue
        out.append(Account(row.account_id, row.org_id, row.platform, row.handle,
                           row.department_id if isinstance(row.department_id, str) else None,
                           row.person if isinstance(row.person, str) else None))
    return out


def read_state(loc: str) -> dict[str, dict]:
    """Each account's incremental state, from the live warehouse (empty on a first run)."""
    if not warehouse.exists(loc):
        return {}
    try:
        con = warehouse.open_warehouse(loc, read_only=True)
    except warehouse.WarehouseError:
        return {}
    try:
        exists = con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'connector_state' AND database_name = current_database()"
        ).fetchone()[0]
        if not exists:
            return {}
        frame = con.execute("SELECT * FROM connector_state").df()
    finally:
        con.close()
    out = {}
    for row in frame.to_dict("records"):
        row = {k: (None if _missing(v) else v) for k, v in row.items()}
        try:
            row["state"] = json.loads(row["state"]) if row.get("state") else {}
        except ValueError:
            row["state"] = {}
        out[row["account_id"]] = row
    return out


def _missing(value) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def window_for(config: Config, state: dict | None, now: dt.datetime) -> Window:
    last = (state or {}).get("last_success_at")
    if last is None:
        return Window(since=now - dt.timedelta(days=config.history_days), now=now, first=True)
    last = pd.Timestamp(last).to_pydatetime()
    if last.tzinfo is None:
        last = last.replace(tzinfo=dt.timezone.utc)
    return Window(since=min(last, now - dt.timedelta(days=config.lookback_days)), now=now, first=False)


def refresh(
    config: Config,
    loc: str | None = None,
    *,
    only: Iterable[str] | None = None,
    credentials: dict[str, str] | None = None,
    secrets_path: Path | str | None = None,
    max_wait: float | None = None,
    retries: int | None = None,
    backoff: float | None = None,
    workers: int = DEFAULT_WORKERS,
    now: dt.datetime | None = None,
    console=None,
    alerts: bool = True,
    on_account: Callable[[AccountResult], None] | None = None,
) -> RefreshReport:
    """Pull, write and summarise; see the module's docstring."""
    from rich.console import Console

    started = time.perf_counter()
    loc = loc or warehouse.location()
    console = console or Console(width=None if os.isatty(1) else 160)
    now = (now or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc)
    creds = dict(credentials) if credentials is not None else load_credentials(secrets_path)
    for name in SECRET_CREDENTIALS:
        register_secret(creds.get(name))
    report = RefreshReport(location=loc)

    accounts = accounts_of(config, only)
    states = read_state(loc)
    connectors: dict[str, Connector] = {}
    platforms = [p for p in PLATFORMS if any(a.platform == p for a in accounts)]
    for platform in platforms:
        cls = connector_class(platform)
        credential = creds.get(cls.credential_name) if cls.credential_name else None
        if cls.credential_name and not credential:
            report.skipped[platform] = (
                f"skipped: no {cls.credential_name} (set it in the environment or in the [connectors] section "
                f"of .streamlit/secrets.toml; see docs/CONNECTORS.md)")
            continue
        base = config.platforms.get(platform)
        defaults = ConnectorSettings()
        connectors[platform] = cls(ConnectorSettings(
            base_url=base.base_url if base else None, credential=credential,
            extra={k: v for k, v in creds.items() if k == "META_IG_USER_ID"},
            max_wait=defaults.max_wait if max_wait is None else max_wait,
            retries=defaults.retries if retries is None else retries,
            backoff=defaults.backoff if backoff is None else backoff,
        ))
    for platform, reason in report.skipped.items():
        console.print(f"[yellow]{platform}[/]: {_escape(reason)}", highlight=False)
    to_pull = [a for a in accounts if a.platform in connectors]

    with Reporter(console, to_pull, connectors) as reporter:
        for platform, connector in connectors.items():
            run = PlatformRun(platform, started_at=dt.datetime.now(dt.timezone.utc))
            report.runs[platform] = run
            platform_accounts = [a for a in to_pull if a.platform == platform]
            try:
                connector.prepare(platform_accounts)
            except ConnectorError as exc:
                run.error = str(exc)
            except Exception as exc:  # noqa: BLE001 - reported, never raised past the refresh
                run.error = redact(f"{platform}: {type(exc).__name__}: {exc}")
            if run.error:
                for account in platform_accounts:
                    result = AccountResult(account, "failed", error=run.error)
                    run.accounts.append(result)
                    reporter.done(result)

        # One pool per API address, sized by that API's bound, so that accounts waiting for
        # one API never hold up another; a shared semaphore caps the total at ``workers``.
        overall = threading.BoundedSemaphore(max(1, workers))

        def pull(account: Account) -> AccountResult:
            connector = connectors[account.platform]
            state = states.get(account.account_id) or {}
            window = window_for(config, state, now)
            result = AccountResult(account, window=window)
            with overall:
                t0 = time.perf_counter()
                try:
                    connector_state = {**(state.get("state") or {})}
                    if state.get("platform_user_id"):
                        connector_state.setdefault("platform_user_id", state["platform_user_id"])
                    data = connector.pull(account, window, connector_state, lambda d: reporter.step(account, d))
                    result.data = data
                    result.status = "skipped" if data.skipped else "ok"
                except ConnectorError as exc:
                    result.error = redact(str(exc))
                except Exception as exc:  # noqa: BLE001 - a malformed answer must not stop the others
                    result.error = redact(f"{account.platform}: unexpected answer ({type(exc).__name__}: {exc})")
                result.seconds = time.perf_counter() - t0
                result.finished_at = dt.datetime.now(dt.timezone.utc)
            return result

        groups: dict[tuple[str, str], list[Account]] = defaultdict(list)
        for account in to_pull:
            if not report.runs[account.platform].error:
                groups[(account.platform, connectors[account.platform].concurrency_key(account))].append(account)
        pools = [concurrent.futures.ThreadPoolExecutor(
                     max_workers=max(1, min(connectors[platform].concurrency, workers, len(group))),
                     thread_name_prefix=f"refresh-{platform}")
                 for (platform, _), group in groups.items()]
        try:
            futures = [pool.submit(pull, account) for pool, group in zip(pools, groups.values()) for account in group]
            for future in concurrent.futures.as_completed(futures):
                result = future.result()
                report.runs[result.account.platform].accounts.append(result)
                reporter.done(result)
                if on_account:
                    on_account(result)
        finally:
            for pool in pools:
                pool.shutdown(wait=True, cancel_futures=True)

    finished = dt.datetime.now(dt.timezone.utc)
    for platform, run in report.runs.items():
        run.finished_at = max([r.finished_at for r in run.accounts if r.finished_at] or [finished])
        run.requests = connectors[platform].requests_made
        order = {a.account_id: i for i, a in enumerate(to_pull)}
        run.accounts.sort(key=lambda r: order.get(r.account.account_id, 0))
        pulled = [r for r in run.accounts if r.status != "skipped"]
        failed = [r for r in pulled if r.status == "failed"]
        run.status = "ok" if not failed else ("failed" if len(failed) == len(pulled) else "partial")

    known = {aid: s.get("platform_user_id") for aid, s in states.items() if s.get("platform_user_id")}
    interactions = {platform: responses(platform, run.accounts, known) for platform, run in report.runs.items()}
    report.brought_data = brought_data(report, interactions)

    org_names = {o.id: o.name for o in config.organizations}
    try:
        if report.brought_data:
            write(config, loc, report, states, now, creds if alerts else None, interactions)
            report.written = "data"
        else:
            report.kept = record_attempt(loc, report, states, now)
            report.written = "attempt" if report.kept is None else "nothing"
    except Exception as exc:
        raise ConnectorError(redact(f"writing the warehouse failed, nothing was written: {exc}")) from None
    report.seconds = time.perf_counter() - started
    print_summary(console, report, org_names)
    return report


# --- Writing -------------------------------------------------------------------------------

POST_COLUMNS = ["platform", "post_id", "account_id", "created_at", "url", "text", "likes", "comments", "shares",
                "views", "is_reply", "observed_at"]
INTERACTION_COLUMNS = ["platform", "interaction_id", "account_id", "received_at", "first_response_at",
                       "responder_account_id", "department_id"]
DEMO_META_KEYS = ("dataset", "demo_scale", "demo_seed", "demo_built_at")


def brought_data(report: RefreshReport, interactions: dict[str, list[Interaction]]) -> bool:
    """Whether any account brought data: a post, a follower count or an inbound item."""
    for run in report.runs.values():
        for r in run.accounts:
            if r.status == "ok" and r.data and (r.data.posts or r.data.followers is not None):
                return True
    return any(interactions.values())


class _Unchanged(Exception):
    """Raised inside ``warehouse.writing()`` to throw the private copy away."""


def record_attempt(loc: str, report: RefreshReport, states: dict[str, dict], now: dt.datetime) -> str | None:
    """A run that brought no data: record the attempt (``connector_runs``, ``connector_state``)
    in a warehouse that holds real data, so that Data health shows the failure; leave any
    other warehouse exactly as it was. Returns None when the attempt was recorded, else
    what was left in place: "demo", "empty" or "missing"."""
    from connectors.demo import holds_real_data

    if not warehouse.exists(loc):
        return "missing"
    if not report.runs:  # every platform skipped: no attempt to record
        return _kind_of(loc)
    if warehouse.is_file_location(loc):
        kind = _kind_of(loc)  # read-only first: no copy of a large demo file just to learn it is one
        if kind != "real":
            return kind
    try:
        with warehouse.writing(loc) as con:
            if not holds_real_data(con):
                raise _Unchanged("demo" if warehouse.meta(con, "dataset") == "demo" else "empty")
            _write_state(con, report, states, now)
            _write_runs(con, report)
    except _Unchanged as unchanged:
        return str(unchanged)
    return None


def _kind_of(loc: str) -> str:
    """"real", "demo" or "empty", from the live warehouse, read-only."""
    from connectors.demo import holds_real_data

    try:
        con = warehouse.open_warehouse(loc, read_only=True)
    except warehouse.WarehouseError:
        return "empty"
    try:
        if holds_real_data(con):
            return "real"
        try:
            return "demo" if warehouse.meta(con, "dataset") == "demo" else "empty"
        except duckdb.Error:
            return "empty"
    finally:
        con.close()


def claim_warehouse(con: duckdb.DuckDBPyConnection) -> bool:
    """Make the warehouse a real one; clear it first when it holds the demo data set.
    Returns whether demo data was cleared. Call it only when real data is about to be
    written: claiming a demo warehouse for nothing would lose the demo."""
    cleared = False
    if warehouse.meta(con, "dataset") == "demo":
        # Dropped and created again from the schema: a DELETE of the demo's indexed rows
        # takes seconds at the small scale and minutes at the large one.
        for table in warehouse.TABLES:
            con.execute(f"DROP TABLE IF EXISTS {table}")
        warehouse.ensure_schema(con)
        con.execute("DELETE FROM warehouse_meta WHERE list_contains($keys, key)", {"keys": list(DEMO_META_KEYS)})
        cleared = True
    con.execute("INSERT OR REPLACE INTO warehouse_meta VALUES ('dataset', 'real')")
    return cleared


def write(config: Config, loc: str, report: RefreshReport, states: dict[str, dict], now: dt.datetime,
          alert_credentials: dict | None = None, interactions: dict[str, list[Interaction]] | None = None) -> None:
    """Write the pulled data in one all-or-nothing step; with ``alert_credentials`` (None
    = no alerts), check the alerts on the new data before it is committed.
    ``interactions``: each platform's from ``responses`` (derived here when not given)."""
    today = today_in(config.timezone, now)
    company = config.company.id if config.company else None
    account_depts = {a.account_id: a.department_id for a in accounts_of(config)}
    with warehouse.writing(loc) as con:
        report.cleared_demo = claim_warehouse(con)
        sync_config(con, config)
        all_interactions: dict[str, list[Interaction]] = {}
        for platform, run in report.runs.items():
            ok = [r for r in run.accounts if r.status == "ok"]
            posts = pd.DataFrame(
                [(platform, p.post_id, r.account.account_id, p.created_at, p.url, p.text, p.likes, p.comments,
                  p.shares, p.views, p.is_reply, now) for r in ok for p in r.data.posts],
                columns=POST_COLUMNS,
            ).drop_duplicates(["platform", "post_id"])
            daily = pd.DataFrame(
                [(r.account.account_id, today, r.data.followers) for r in ok if r.data.followers is not None],
                columns=["account_id", "day", "followers"],
            )
            posts["views"] = posts["views"].astype("Int64")
            run.rows_written += warehouse.upsert(con, "posts", posts)
            run.rows_written += warehouse.upsert(con, "account_daily", daily)
            if interactions is not None:
                all_interactions[platform] = interactions.get(platform, [])
            else:
                known = {aid: s.get("platform_user_id") for aid, s in states.items() if s.get("platform_user_id")}
                all_interactions[platform] = responses(platform, run.accounts, known)

        try:
            from connectors.attribution import apply_attribution
        except ImportError as exc:
            report.notes.append(f"department attribution is not available ({exc}); posts keep their accounts' departments")
        else:
            try:
                apply_attribution(con, config)
            except Exception as exc:  # noqa: BLE001 - the rows are still worth writing
                report.warnings.append(f"department attribution failed: {type(exc).__name__}: {exc}")

        for platform, items in all_interactions.items():
            run = report.runs[platform]
            frame = _interaction_frame(con, platform, items, company, account_depts)
            run.rows_written += warehouse.upsert(con, "interactions", frame)
            counts = defaultdict(lambda: [0, 0])
            for i in items:
                counts[i.account_id][0] += 1
                counts[i.account_id][1] += i.first_response_at is not None
            for r in run.accounts:
                r.inbound, r.answered = counts[r.account.account_id]

        _write_state(con, report, states, now)
        _write_runs(con, report)

        if alert_credentials is not None:
            from connectors import alerts as alerting

            try:
                report.alerts, notes = alerting.check_and_send(con, config, now, alert_credentials)
                report.notes.extend(notes)
            except Exception as exc:  # noqa: BLE001 - alerts never undo a refresh
                report.notes.append(f"alerts could not be checked: {type(exc).__name__}: {exc}")


def _write_runs(con, report: RefreshReport) -> None:
    """One ``connector_runs`` row per platform pulled."""
    runs = pd.DataFrame(
        [(f"{platform}-{run.started_at:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}", platform, run.started_at,
          run.finished_at, run.status, run.rows_written,
          redact("; ".join(run.errors))[:ERROR_LIMIT] or None) for platform, run in report.runs.items()],
        columns=["run_id", "connector", "started_at", "finished_at", "status", "rows_written", "error"],
    )
    warehouse.upsert(con, "connector_runs", runs)


def _interaction_frame(con, platform: str, items: list[Interaction], company: str | None,
                       account_depts: dict[str, str | None]) -> pd.DataFrame:
    """Rows for ``interactions``: the department that answered (the reply's attribution,
    else the responding account's department; the company only), and the earliest
    response known, so that a later refresh that no longer sees an old reply keeps it."""
    if not items:
        return pd.DataFrame(columns=INTERACTION_COLUMNS)
    reply_ids = [i.reply_id for i in items if i.reply_id]
    attributed = dict(con.execute(
        "SELECT post_id, department_id FROM posts WHERE platform = $p AND list_contains($ids, post_id) "
        "AND department_id IS NOT NULL", {"p": platform, "ids": reply_ids}).fetchall()) if reply_ids else {}
    existing = {row[0]: row[1:] for row in con.execute(
        "SELECT interaction_id, first_response_at, responder_account_id, department_id FROM interactions "
        "WHERE platform = $p AND list_contains($ids, interaction_id)",
        {"p": platform, "ids": [i.interaction_id for i in items]}).fetchall()}
    rows = []
    for i in items:
        department = None
        if i.responder_account_id and i.org_id == company:
            department = attributed.get(i.reply_id) or account_depts.get(i.responder_account_id)
        first, responder = i.first_response_at, i.responder_account_id
        old = existing.get(i.interaction_id)
        if old and old[0] is not None:
            old_first = pd.Timestamp(old[0]).to_pydatetime()
            if first is None or old_first < first:
                first, responder, department = old_first, old[1], old[2]
        rows.append((platform, i.interaction_id, i.account_id, i.received_at, first, responder, department))
    frame = pd.DataFrame(rows, columns=INTERACTION_COLUMNS).drop_duplicates(["platform", "interaction_id"])
    frame["first_response_at"] = pd.to_datetime(frame["first_response_at"], utc=True)
    frame["received_at"] = pd.to_datetime(frame["received_at"], utc=True)
    return frame


def _write_state(con, report: RefreshReport, states: dict[str, dict], now: dt.datetime) -> None:
    rows = []
    for run in report.runs.values():
        for r in run.accounts:
            old = states.get(r.account.account_id) or {}
            ok = r.status == "ok"
            data = r.data
            rows.append({
                "account_id": r.account.account_id,
                "platform": r.account.platform,
                "platform_user_id": (data.self_id if data else None) or old.get("platform_user_id"),
                "state": json.dumps({**(old.get("state") or {}), **(data.state if data else {})}),
                "first_refresh_at": old.get("first_refresh_at") or (now if ok else None),
                "history_from": old.get("history_from") or (r.window.since if ok and r.window else None),
                "last_attempt_at": now,
                "last_success_at": now if ok else old.get("last_success_at"),
                "last_status": r.status,
                "last_error": r.error if r.status == "failed" else (r.note or None),
                "posts_seen": len(data.posts) if ok else old.get("posts_seen"),
                "items_seen": len(data.items) if ok else old.get("items_seen"),
            })
    if not rows:
        return
    frame = pd.DataFrame(rows)
    for col in ("first_refresh_at", "history_from", "last_attempt_at", "last_success_at"):
        frame[col] = pd.to_datetime(frame[col], utc=True)
    frame["posts_seen"] = frame["posts_seen"].astype("Int64")
    frame["items_seen"] = frame["items_seen"].astype("Int64")
    # connector_state is this module's own table (not in warehouse.PRIMARY_KEYS), so it is
    # upserted here the same way warehouse.upsert does it.
    cols = ", ".join(f'"{c}"' for c in frame.columns)
    con.register("_state_rows", frame)
    try:
        con.execute(f"INSERT OR REPLACE INTO connector_state ({cols}) SELECT {cols} FROM _state_rows")
    finally:
        con.unregister("_state_rows")
