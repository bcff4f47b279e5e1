"""Benchmark of `python -m connectors refresh`: 200 accounts against a loopback server that
answers each request after 100 ms.

Three runs, each timed from the first request to the written warehouse and the summary:

1. sequential: one account at a time (``workers=1``), a fresh warehouse;
2. parallel: the default bounds (16 workers; at most 4 accounts at once per Mastodon
   instance and 6 against Bluesky), a fresh warehouse;
3. an immediate second parallel run on the warehouse of run 2: nothing new, so it only
   re-reads the counts of the look-back window.

The accounts: half on Mastodon (spread over 4 instances), half on Bluesky, in 5
organizations; each has 3 posts in the last 30 days, one of which has a customer's reply
that the account answered. Every request costs the same 100 ms, so the figures measure how
many requests a refresh makes and how well they overlap, not the platforms' speed.

Run from the project root: ``python benchmarks/refresh_benchmark.py`` (about two minutes;
``--accounts`` and ``--delay`` change the set-up). The figures are written into
docs/BENCHMARKS.md, section "Connectors", and printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import platform
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rich.console import Console  # noqa: E402

from connectors.refresh import refresh  # noqa: E402
from socialdash.config import parse_config  # noqa: E402
from tests.fake_platforms import FakePlatforms  # noqa: E402

INSTANCES = ("one.example", "two.example", "three.example", "four.example")
ORGS = 5


def build(fake: FakePlatforms, accounts: int) -> str:
    """Populate the fake and return the configuration's text."""
    now = fake.now
    fake.page_size = 100
    org_accounts: dict[int, dict[str, list[str]]] = {o: {"mastodon": [], "bluesky": []} for o in range(ORGS)}
    fake.mastodon_account("customer@mastodon.social", "c0", 3)
    fake.bluesky_profile("customer.bsky.social", "did:plc:customer", 3)
    for i in range(accounts):
        org = i % ORGS
        if i % 2 == 0:
            acct = f"brand{i}@{INSTANCES[(i // 2) % len(INSTANCES)]}"
            fake.mastodon_account(acct, f"a{i}", 1000 + i)
            for k in range(3):
                fake.mastodon_status(f"s{i}-{k}", acct, now - dt.timedelta(days=2 + 5 * k), f"post {k}", favourites=k)
            fake.mastodon_status(f"s{i}-q", "customer@mastodon.social", now - dt.timedelta(days=2, hours=-1),
                                 "question", reply_to=f"s{i}-0", mentions=(acct,))
            fake.mastodon_status(f"s{i}-a", acct, now - dt.timedelta(days=2, hours=-2), "answer", reply_to=f"s{i}-q")
            org_accounts[org]["mastodon"].append(acct)
        else:
            handle, did = f"brand{i}.bsky.social", f"did:plc:brand{i}"
            fake.bluesky_profile(handle, did, 1000 + i)
            for k in range(3):
                fake.bluesky_post(f"p{k}", did, now - dt.timedelta(days=2 + 5 * k), f"post {k}", likes=k)
            question = fake.bluesky_post(f"q{i}", "did:plc:customer", now - dt.timedelta(days=2, hours=-1), "question",
                                         reply_to=f"at://{did}/app.bsky.feed.post/p0")
            fake.bluesky_post("a", did, now - dt.timedelta(days=2, hours=-2), "answer", reply_to=question)
            org_accounts[org]["bluesky"].append(handle)
    lines = ['timezone = "UTC"', "history_days = 90", "lookback_days = 30"]
    for org in range(ORGS):
        accounts_toml = ", ".join(f'{p} = [{", ".join(repr(h).replace(chr(39), chr(34)) for h in hs)}]'
                                  for p, hs in org_accounts[org].items() if hs)
        lines += ["", "[[organizations]]", f'id = "org{org}"', f'name = "Organization {org}"',
                  f"self = {'true' if org == 0 else 'false'}", f"accounts = {{ {accounts_toml} }}"]
    lines.append(fake.platforms_toml(("mastodon", "bluesky")))
    return "\n".join(lines)


def timed_refresh(config, db: str, workers: int) -> tuple[float, int, dict[str, int]]:
    out = io.StringIO()
    started = time.perf_counter()
    report = refresh(config, db, credentials={}, workers=workers, console=Console(file=out, width=200))
    elapsed = time.perf_counter() - started
    bad = [r for run in report.runs.values() for r in run.accounts if r.status != "ok"]
    if bad:
        raise SystemExit(f"benchmark refresh had failures: {bad[0].account.handle}: {bad[0].error}")
    by_platform = {p: run.requests for p, run in report.runs.items()}
    return elapsed, sum(by_platform.values()), by_platform


def write_section(text: str) -> Path:
    """Replace (or add) the "## Connectors" section of docs/BENCHMARKS.md; leave the rest alone."""
    path = ROOT / "docs" / "BENCHMARKS.md"
    current = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    section = "## Connectors\n\n" + text.strip() + "\n"
    pattern = re.compile(r"^## Connectors\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(current):
        updated = pattern.sub(lambda _: section + "\n", current, count=1).rstrip("\n") + "\n"
    else:
        updated = current.rstrip("\n") + "\n\n" + section
    path.write_text(updated, encoding="utf-8")
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--accounts", type=int, default=200)
    parser.add_argument("--delay", type=float, default=0.1, help="seconds before each answer (default 0.1)")
    parser.add_argument("--no-write", action="store_true", help="print the figures without writing docs/BENCHMARKS.md")
    args = parser.parse_args()

    with FakePlatforms(delay=args.delay) as fake, tempfile.TemporaryDirectory() as tmp:
        config = parse_config(build(fake, args.accounts))
        print(f"{args.accounts} accounts, {args.delay * 1000:.0f} ms per request; sequential run…", flush=True)
        seq, seq_requests, _ = timed_refresh(config, os.path.join(tmp, "sequential.duckdb"), workers=1)
        print(f"  {seq:.1f} s, {seq_requests} requests; parallel run…", flush=True)
        par, par_requests, per_platform = timed_refresh(config, os.path.join(tmp, "parallel.duckdb"), workers=16)
        print(f"  {par:.1f} s, {par_requests} requests; immediate second run…", flush=True)
        again, again_requests, _ = timed_refresh(config, os.path.join(tmp, "parallel.duckdb"), workers=16)
        print(f"  {again:.1f} s, {again_requests} requests", flush=True)

    floor = par_requests * args.delay / 16
    bluesky_floor = per_platform.get("bluesky", 0) * args.delay / 6
    text = f"""
`python benchmarks/refresh_benchmark.py` — {args.accounts} accounts ({args.accounts // 2} Mastodon accounts on 4
instances, {args.accounts - args.accounts // 2} Bluesky accounts, 5 organizations, 3 posts and one answered reply
each) against a loopback server that answers every request after {args.delay * 1000:.0f} ms. Measured
{dt.date.today().isoformat()} on {platform.machine()} with {os.cpu_count()} cores, Python {platform.python_version()}
(a machine shared with other jobs, so expect some noise).

| run | wall time | requests | per account |
|---|---:|---:|---:|
| sequential (`--workers 1`), first refresh | {seq:.1f} s | {seq_requests} | {seq / args.accounts * 1000:.0f} ms |
| parallel (default bounds), first refresh | {par:.1f} s | {par_requests} | {par / args.accounts * 1000:.0f} ms |
| immediate second run (nothing new) | {again:.1f} s | {again_requests} | {again / args.accounts * 1000:.0f} ms |

Parallel is {seq / par:.1f}× faster than sequential. With 16 workers always busy the floor would be
{par_requests} requests × {args.delay * 1000:.0f} ms / 16 = {floor:.1f} s; the per-API bounds, which keep each
platform within its limits, raise it: at most 6 accounts at once against Bluesky's AppView, so its
{per_platform.get("bluesky", 0)} requests need at least {bluesky_floor:.1f} s, and at most 4 per Mastodon instance (300
requests per 5 minutes per IP by default). The rest is overhead: the loopback server runs in the same Python
process as the refresh (their threads share one interpreter lock on {os.cpu_count()} cores), then the write (a copy of the
warehouse file and an atomic rename), the alerts and the summary take about a second. The second run makes
as many requests as the first: nothing is new, but a refresh re-reads today's follower counts and the counts of
the posts of the last `lookback_days` (30), which is its point: requests scale with accounts and threads, not
with how much is new.
"""
    print(text)
    if not args.no_write:
        print(f"Written to {write_section(text)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
