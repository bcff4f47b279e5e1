"""``python -m connectors``: the connectors' command line (contract section 3).

Exit codes: 0 everything succeeded; 1 some accounts or platforms failed (the data the
others brought is written); 2 a usage or configuration error (nothing is written).

The warehouse changes only when data arrives: a refresh that brings none leaves a demo or
empty warehouse exactly as it was (connectors.refresh), a refused import writes nothing,
and the demo never replaces real data (``demo`` says how to build it beside it).

Subcommands: ``demo``, ``status``, ``refresh`` (connectors.refresh), ``import``
(connectors.importer).
"""

from __future__ import annotations

import argparse
import datetime as dt
import shlex
import sys
import time

from socialdash import warehouse
from socialdash.config import PLATFORMS, ConfigError, config_path, load_config

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Wrong use of the command line or a refused input: exit 2, nothing written."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m connectors",
        description="Fill the social business warehouse: demo data, platform refreshes, CSV imports.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = sub.add_parser("demo", help="fill the warehouse with the deterministic demo data set",
                          description="Fill the warehouse with the deterministic demo data set, replacing an "
                                      "earlier demo. A warehouse that holds real data is never replaced: build the "
                                      "demo in a file of its own with --db and open the dashboard with SOCIAL_DB "
                                      "pointing there.")
    demo.add_argument("--scale", choices=("small", "large"), default="small",
                      help="small (default, seconds) or large (enterprise size, minutes)")
    demo.add_argument("--seed", type=int, default=7, help="same seed, same rows (default 7)")
    demo.add_argument("--db", metavar="PATH", help="warehouse location (default: $SOCIAL_DB or data/social.duckdb)")

    status = sub.add_parser("status", help="last run and data freshness per connector")
    status.add_argument("--db", metavar="PATH", help="warehouse location")

    refresh = sub.add_parser(
        "refresh", help="pull every configured account from the platforms' APIs",
        description="Pull every configured account (the company, its departments, its people and its "
                    "competitors): today's follower counts, posts with their counts, inbound items and first "
                    "responses. The first refresh of an account reaches back history_days; later ones read "
                    "what is new and re-read the counts of the last lookback_days. Credentials come from the "
                    "environment (X_BEARER_TOKEN, YOUTUBE_API_KEY, META_ACCESS_TOKEN, LINKEDIN_ACCESS_TOKEN) "
                    "or the [connectors] section of .streamlit/secrets.toml; a platform without them is "
                    "skipped. The warehouse changes only when data arrives: a run that brings none leaves "
                    "the demo (or an empty warehouse) exactly as it was, and says so. Exit 0: all succeeded; "
                    "1: some accounts or platforms failed (the data the others brought is written); 2: usage or "
                    "configuration error (nothing written).",
    )
    refresh.add_argument("--only", nargs="+", action="extend", choices=PLATFORMS, metavar="PLATFORM",
                         help=f"refresh only these platforms ({', '.join(PLATFORMS)})")
    refresh.add_argument("--config", metavar="PATH", help="configuration file (default: $SOCIAL_CONFIG or data/config.toml)")
    refresh.add_argument("--db", metavar="PATH", help="warehouse location (default: $SOCIAL_DB or data/social.duckdb)")
    refresh.add_argument("--max-wait", type=float, default=None, metavar="SECONDS",
                         help="the longest wait for a platform's rate limit to reset (default 120); a later reset "
                              "fails the account instead")
    refresh.add_argument("--workers", type=int, default=16, metavar="N",
                         help="accounts pulled at once across platforms (default 16; each API has its own lower bound)")
    refresh.add_argument("--no-alerts", action="store_true", help="do not check or post alerts after the refresh")

    from connectors.importer import KINDS, kinds_help

    imp = sub.add_parser(
        "import", help="load a CSV export (KIND: followers, posts, interactions)",
        description="Load a CSV export of what no API gives. A file with wrong columns or values is refused "
                    "with the line and column named, and nothing is written.\n\n" + kinds_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    imp.add_argument("kind", metavar="KIND", choices=list(KINDS), help=", ".join(KINDS))
    imp.add_argument("file", metavar="FILE", help="the CSV file")
    imp.add_argument("--config", metavar="PATH", help="configuration file (default: $SOCIAL_CONFIG or data/config.toml)")
    imp.add_argument("--db", metavar="PATH", help="warehouse location")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 for --help
        return int(exc.code or 0)
    try:
        return {"demo": cmd_demo, "status": cmd_status, "refresh": cmd_refresh, "import": cmd_import}[args.command](args)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except warehouse.WarehouseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE


def cmd_demo(args: argparse.Namespace) -> int:
    from connectors.demo import build_demo, holds_real_data

    loc = args.db or warehouse.location()
    if _holds_real_data(loc):  # read-only first: no copy of a real warehouse just to refuse it
        raise UsageError(demo_refusal(loc, args.scale))
    started = time.perf_counter()
    print(f"Building the {args.scale} demo data set (seed {args.seed}) into {loc} …", flush=True)

    def progress(message: str) -> None:
        print(f"  {time.perf_counter() - started:6.1f} s  {message}", flush=True)

    with warehouse.writing(loc) as con:
        if holds_real_data(con):
            raise UsageError(demo_refusal(loc, args.scale))
        counts = build_demo(con, scale=args.scale, seed=args.seed, progress=progress)
    elapsed = time.perf_counter() - started
    print(f"Done in {elapsed:.1f} s:")
    for table, n in counts.items():
        print(f"  {table:<16} {n:>12,} rows")
    if loc != warehouse.location():
        print(f"Open the dashboard on it: SOCIAL_DB={shlex.quote(loc)} streamlit run dashboard.py")
    return EXIT_OK


def _holds_real_data(loc: str) -> bool:
    from connectors.demo import holds_real_data

    if not warehouse.is_file_location(loc) or not warehouse.exists(loc):
        return False
    con = warehouse.open_warehouse(loc)
    try:
        return holds_real_data(con)
    finally:
        con.close()


def demo_refusal(loc: str, scale: str = "small") -> str:
    """Why the demo is refused, and how to have it all the same without losing anything."""
    from connectors.demo import demo_location

    other = demo_location(loc)
    scale_arg = f" --scale {scale}" if scale != "small" else ""
    return (
        f"{loc} holds real data (from refreshes or imports); the demo never replaces real data, and nothing was "
        "changed.\n"
        "To look at the demo, build it in a file of its own and open the dashboard on that file:\n"
        f"  python -m connectors demo{scale_arg} --db {shlex.quote(other)}\n"
        f"  SOCIAL_DB={shlex.quote(other)} streamlit run dashboard.py\n"
        f"Your real data stays in {loc}, untouched"
        + (" (the dashboard reads it whenever SOCIAL_DB is unset)." if loc == warehouse.DEFAULT_LOCATION
           else f" (the dashboard reads it with SOCIAL_DB={shlex.quote(loc)}).")
    )


def cmd_status(args: argparse.Namespace) -> int:
    loc = args.db or warehouse.location()
    con = warehouse.open_warehouse(loc)
    try:
        runs = con.execute(
            """SELECT connector, arg_max(status, started_at) AS status, max(started_at) AS last_run,
                      arg_max(rows_written, started_at) AS rows_written, arg_max(error, started_at) AS error,
                      max(finished_at) FILTER (WHERE status IN ('ok', 'partial')) AS last_success
               FROM connector_runs GROUP BY connector ORDER BY connector"""
        ).fetchall()
        fresh = con.execute(
            "SELECT a.platform, max(d.day) AS latest, count(DISTINCT a.account_id) AS accounts "
            "FROM accounts a LEFT JOIN account_daily d USING (account_id) GROUP BY a.platform ORDER BY 1"
        ).fetchall()
        dataset = warehouse.meta(con, "dataset")
    finally:
        con.close()
    print(f"Warehouse: {loc}" + (" (demo data)" if dataset == "demo" else ""))
    if not runs:
        print("No connector has run yet.")
    else:
        print(f"{'connector':<12} {'status':<8} {'last run (UTC)':<20} {'rows':>10}  last success / error")
        for connector, status, last_run, rows, error, last_success in runs:
            tail = error or (f"{last_success:%Y-%m-%d %H:%M}" if last_success else "never")
            print(f"{connector:<12} {status:<8} {last_run:%Y-%m-%d %H:%M}     {rows or 0:>10,}  {tail}")
    today = dt.date.today()
    print(f"\n{'platform':<12} {'accounts':>8}  latest follower count")
    for platform, latest, accounts in fresh:
        age = f"{(today - latest).days} days ago" if latest else "never"
        print(f"{platform:<12} {accounts:>8}  {latest or '—'} ({age})")
    return EXIT_OK


def cmd_refresh(args: argparse.Namespace) -> int:
    from connectors.http import ConnectorError
    from connectors.refresh import accounts_of, refresh

    try:
        config = load_config(args.config, required=True)
    except ConfigError as exc:
        raise UsageError(f"the configuration was refused, nothing was written: {exc}") from None
    if not config.organizations:
        raise UsageError("the configuration names no organization: nothing to refresh")
    accounts = accounts_of(config, args.only)
    if not accounts:
        which = ", ".join(args.only or [])
        raise UsageError(f"no configured account on {which}" if which else "the configuration names no account")
    if args.max_wait is not None and args.max_wait < 0:
        raise UsageError("--max-wait must be 0 or more seconds")
    if args.workers < 1:
        raise UsageError("--workers must be at least 1")
    try:
        report = refresh(config, args.db or warehouse.location(), only=args.only, max_wait=args.max_wait,
                         workers=args.workers, alerts=not args.no_alerts)
    except ConnectorError as exc:  # e.g. an unreadable secrets file, or the write failed
        raise UsageError(str(exc)) from None
    return report.exit_code


def cmd_import(args: argparse.Namespace) -> int:
    from connectors.demo import demo_location
    from connectors.importer import ImportRefused, import_csv

    try:
        config = load_config(args.config)
    except ConfigError as exc:
        raise UsageError(f"the configuration was refused, nothing was written: {exc}") from None
    loc = args.db or warehouse.location()
    try:
        result = import_csv(args.kind, args.file, loc, config, str(config_path(args.config)))
    except ImportRefused as exc:
        raise UsageError(str(exc)) from None
    print(f"Imported {result.rows:,} {args.kind} rows from {args.file} into {loc}.")
    if result.cleared_demo:
        print(f"The warehouse held the demo data set: real data arrived, so the demo was cleared and {loc} now "
              f"holds real data only (`python -m connectors demo --db {shlex.quote(demo_location(loc))}` builds "
              "the demo in a file of its own).")
    return EXIT_OK
