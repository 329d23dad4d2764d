"""Benchmarks: what ziett costs over raw httpx, and how it compares with the openai client.

``python -m bench.run`` (``make bench``) starts ``bench.server`` in its own process on a
free 127.0.0.1 port, runs every registered scenario and writes ``bench/RESULTS.md`` and
``bench/results.json`` (whose "How to read it" says how rounds, ratios and failures are
counted). ``--smoke`` runs every scenario at toy sizes into a temporary directory, so the
tests exercise the harness; ``--only NAME`` (repeatable) runs some. The modules:
``bench.harness`` (sizes, rows, registry, rounds; how to add a scenario is on its
``scenario``), one module per group of scenarios, ``bench.report`` and this driver.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import re
import sys
import tempfile
import time
import traceback
from pathlib import Path

from bench.calls import sends_probe
from bench.harness import (
    BENCH_DIR,
    FULL,
    SCENARIOS,
    SMOKE,
    Bench,
    Measured,
    Row,
    Scenario,
    achieved_fraction,
    bench_server,
    compared,
    describe,
    load_openai,
    round_ratio,
)
from bench.listing import memory_probe
from bench.report import environment, table, write_results

__all__ = ["SCENARIOS", "Measured", "Row", "achieved_fraction", "compared", "main", "round_ratio"]

SCENARIO_MODULES = (
    "bench.calls",
    "bench.listing",
    "bench.startup",
    "bench.pacing",
    "bench.profile",
)
"""Importing one registers its scenarios, run in this order (rows sorted by number)."""
for _module in SCENARIO_MODULES:
    importlib.import_module(_module)

# -- the run -----------------------------------------------------------------------------


def run_scenario(chosen: Scenario, bench: Bench) -> list[Row]:
    """One scenario, timed; a crash becomes a row that says so."""
    start = time.perf_counter()
    try:
        rows = chosen.run(bench)
    except Exception as error:  # a broken scenario is reported, the others still run
        traceback.print_exc()
        rows = [
            Row(
                scenario=f"{chosen.label}: the scenario failed",
                unit="",
                ziett=None,
                httpx=None,
                ratio=None,
                target="runs",
                met=False,
                note=describe(error),
            )
        ]
    print(f"  {chosen.name}: {time.perf_counter() - start:.1f} s", flush=True)
    return rows


def row_order(row: Row) -> tuple[int, str]:
    """Rows by their scenario number (1, 2, 2b, 3, ..., 10), stable within one."""
    match = re.match(r"(\d+)([a-z]*)\.", row.scenario)
    return (int(match.group(1)), match.group(2)) if match else (1_000, row.scenario)


def run_all(bench: Bench, chosen: tuple[str, ...]) -> list[Row]:
    """The chosen scenarios; the bench server runs only around those that need it."""
    picked = [SCENARIOS[name] for name in SCENARIOS if name in chosen]
    rows: list[Row] = []
    for local in (entry for entry in picked if not entry.needs_server):
        rows += run_scenario(local, bench)
    served = [entry for entry in picked if entry.needs_server]
    if served:
        with bench_server(bench.sizes) as server:
            bench.base_url, bench.server_pid = server.url, server.pid
            print(f"  server at {server.url}", flush=True)
            for entry in served:
                rows += run_scenario(entry, bench)
    return sorted(rows, key=row_order)


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="toy sizes, a few seconds")
    parser.add_argument("--no-peer", action="store_true", help="leave the openai client out")
    parser.add_argument("--out", type=Path, help="where to write RESULTS.md and results.json")
    parser.add_argument(
        "--only",
        action="append",
        choices=list(SCENARIOS),
        help="run only this scenario (repeatable); results go to a temporary directory",
    )
    parser.add_argument("--memory-probe", choices=["ziett", "httpx"], help=argparse.SUPPRESS)
    parser.add_argument(
        "--sends-probe", choices=["ziett", "httpx", "openai"], help=argparse.SUPPRESS
    )
    parser.add_argument("--count", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--api-key", help=argparse.SUPPRESS)
    parser.add_argument("--base-url", help=argparse.SUPPRESS)
    parser.add_argument("--list-total", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--page-size", type=int, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)
    if args.memory_probe:
        probe = memory_probe(args.memory_probe, args.base_url, args.list_total, args.page_size)
        asyncio.run(probe)
        return 0
    if args.sends_probe:
        asyncio.run(sends_probe(args.sends_probe, args.base_url, args.count, args.api_key))
        return 0
    sizes = SMOKE if args.smoke else FULL
    openai = None if args.no_peer else load_openai()
    if openai is None and not (args.smoke or args.no_peer):
        print("openai is not installed: run `make bench` (the bench dependency group).")
        return 2
    chosen = tuple(args.only or SCENARIOS)
    partial = args.smoke or set(chosen) != set(SCENARIOS)
    out = args.out or (Path(tempfile.mkdtemp(prefix="ziett-bench-")) if partial else BENCH_DIR)
    bench = Bench(sizes, openai)
    rows = run_all(bench, chosen)
    write_results(rows, environment(bench, args.smoke), bench, out)
    print(table(rows))
    print(f"\nwritten to {out / 'RESULTS.md'} and {out / 'results.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
