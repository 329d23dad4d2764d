"""Many processes, one key: a fleet of sending processes sharing (or not) one rate budget.

``python -m bench.fleet --worker ...`` is one worker process: it builds a client, says
``READY``, waits for ``GO`` on its stdin (so every worker starts at once, imports done),
sends its share all in flight at once, and prints one JSON line (``{"ok": n, "errors":
{...}, "seconds": s}``). :func:`run_fleet` starts N of them and gathers their lines;
:func:`fleet_rows` is the benchmark scenario (its rows are described there). The
end-to-end tests (``tests/e2e/test_redis_fleet.py``) use the same workers.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SEND_ROUTE = "POST /c/v1/messages"
REMITTER_ID = "019b4b56-e704-7c30-83a0-527df63c3e00"
PROCESSES = 4
READY_TIMEOUT = 120.0  # seconds for a worker to import and build its client (busy machine)


@dataclass
class FleetOutcome:
    """What the workers of one fleet reported."""

    ok: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0  # the slowest worker's sending time
    failed_workers: list[str] = field(default_factory=list)  # a worker that crashed: its stderr
    warned: int = 0  # workers that fell back to pacing alone (a RateLimitStoreWarning)


# -- one worker ---------------------------------------------------------------------------


def _arguments(first: int, i: int, remitter_id: str) -> dict[str, Any]:
    return {
        "remitter_id": remitter_id,
        "target_e164": f"+24499{first + i:07d}",
        "content": f"Fleet message {first + i}.",
    }


def _client_options(args: argparse.Namespace) -> dict[str, Any]:
    import ziett

    count, _, seconds = args.limit.partition("/")
    return {
        "api_key": args.api_key,
        "base_url": args.base_url,
        "rate_limits": {SEND_ROUTE: ziett.RateLimit(int(count), float(seconds))},
        "rate_limit_store": args.store or None,
        "max_retries": args.max_retries,
    }


def _go() -> None:
    print("READY", flush=True)
    if sys.stdin.readline().strip() != "GO":
        raise SystemExit("bench.fleet worker: no GO")


def _async_worker(args: argparse.Namespace) -> tuple[int, Counter[str], float]:
    import ziett

    async def main() -> tuple[int, Counter[str], float]:
        async with ziett.AsyncZiett(**_client_options(args)) as client:
            _go()
            start = time.perf_counter()
            outcomes = await asyncio.gather(
                *(
                    client.messages.send(**_arguments(args.first, i, args.remitter_id))
                    for i in range(args.sends)
                ),
                return_exceptions=True,
            )
            elapsed = time.perf_counter() - start
        errors = Counter(type(o).__name__ for o in outcomes if isinstance(o, BaseException))
        return args.sends - sum(errors.values()), errors, elapsed

    return asyncio.run(main())


def _sync_worker(args: argparse.Namespace) -> tuple[int, Counter[str], float]:
    import ziett

    with ziett.Ziett(**_client_options(args)) as client, ThreadPoolExecutor(30) as pool:
        _go()
        start = time.perf_counter()

        def one(i: int) -> str | None:
            try:
                client.messages.send(**_arguments(args.first, i, args.remitter_id))
            except ziett.ZiettError as error:
                return type(error).__name__
            return None

        outcomes = list(pool.map(one, range(args.sends)))
        elapsed = time.perf_counter() - start
    errors = Counter(name for name in outcomes if name is not None)
    return args.sends - sum(errors.values()), errors, elapsed


def worker_main(argv: Sequence[str] | None = None) -> int:
    """One worker process (``python -m bench.fleet --worker ...``); prints its JSON line."""
    parser = argparse.ArgumentParser(prog="python -m bench.fleet")
    parser.add_argument("--worker", action="store_true", required=True)
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--api-key", required=True)
    parser.add_argument("--remitter-id", default=REMITTER_ID)
    parser.add_argument("--sends", type=int, required=True)
    parser.add_argument("--first", type=int, default=0, help="number of the first recipient")
    parser.add_argument("--limit", required=True, help="N/SECONDS of the send route")
    parser.add_argument("--store", default="", help="rate_limit_store URL; empty: in-process")
    parser.add_argument("--max-retries", type=int, default=0)
    parser.add_argument("--flavour", choices=("async", "sync"), default="async")
    args = parser.parse_args(argv)
    run = _async_worker if args.flavour == "async" else _sync_worker
    ok, errors, elapsed = run(args)
    print(json.dumps({"ok": ok, "errors": dict(errors), "seconds": elapsed}), flush=True)
    return 0


# -- a fleet ------------------------------------------------------------------------------


def run_fleet(
    base_url: str,
    api_key: str,
    *,
    sends: Sequence[int],
    limit: tuple[int, float],
    store: str | None,
    remitter_id: str = REMITTER_ID,
    max_retries: int = 0,
    flavours: Sequence[str] = ("async",),
    while_sending: Callable[[], None] | None = None,
) -> FleetOutcome:
    """Start one worker per entry of ``sends``, release them at once, gather their reports.

    Args:
        base_url: The server (the bench server or a sandbox).
        api_key: The one key every worker sends with.
        sends: How many messages each worker sends (recipients never repeat).
        limit: ``(requests, seconds)``: each worker's ``rate_limits`` of the send route.
        store: The ``rate_limit_store`` URL shared by the workers; None: each paces alone.
        remitter_id: The Sender ID of the sends.
        max_retries: The clients' ``max_retries`` (0: a 429 is counted, not retried).
        flavours: ``"async"``/``"sync"`` per worker, cycled.
        while_sending: Called once every worker got ``GO`` (e.g. to kill the store later).
    """
    processes: list[subprocess.Popen[str]] = []
    first = 0
    try:
        for index, count in enumerate(sends):
            command = [sys.executable, "-m", "bench.fleet", "--worker", "--base-url", base_url]
            command += ["--api-key", api_key, "--remitter-id", remitter_id]
            command += ["--sends", str(count), "--first", str(first)]
            command += ["--limit", f"{limit[0]}/{limit[1]}", "--store", store or ""]
            command += ["--max-retries", str(max_retries)]
            command += ["--flavour", flavours[index % len(flavours)]]
            first += count
            processes.append(
                subprocess.Popen(
                    command,
                    cwd=ROOT,
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
            )
        for process in processes:  # every worker imported and built its client
            assert process.stdout is not None
            if process.stdout.readline().strip() != "READY":
                process.wait(timeout=READY_TIMEOUT)
        for process in processes:
            if process.poll() is None and process.stdin is not None:
                process.stdin.write("GO\n")
                process.stdin.flush()
        if while_sending is not None:
            while_sending()
        outcome = FleetOutcome()
        for process in processes:
            stdout, stderr = process.communicate()
            outcome.warned += "RateLimitStoreWarning" in stderr
            lines = stdout.strip().splitlines()
            if process.returncode != 0 or not lines:
                outcome.failed_workers.append(stderr.strip()[-2000:])
                continue
            report = json.loads(lines[-1])
            outcome.ok += int(report["ok"])
            outcome.errors.update(report["errors"])
            outcome.seconds = max(outcome.seconds, float(report["seconds"]))
        return outcome
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()


# -- the benchmark scenario -----------------------------------------------------------------


def fleet_rows(
    base_url: str,
    total_sends: int,
    limit: tuple[int, float],
    achieved: Callable[[list[float], int, float], float | None],
    label: str = "7",
) -> list[dict[str, Any]]:
    """The fleet scenario's rows (``bench.run.Row`` fields), against the bench server.

    Against the bench server's sliding window (``PACED_KEY_PREFIX`` keys), four
    processes with: the shared budget (``rate_limit_store=`` a real ``redis-server``):
    429 answers and the achieved rate as a fraction of the allowed one; the default, a
    whole budget per process: the 429 answers it provokes; the budget split by hand (1/N
    each): the rate it achieves (every worker equally busy here; with uneven work the
    idle shares are lost). Without ``redis-server`` the shared rows say so.

    Args:
        base_url: The bench server (its ``PACED_KEY_PREFIX`` keys are rate limited).
        total_sends: Sends of the whole fleet (split evenly over :data:`PROCESSES`).
        limit: ``(requests, seconds)`` the server enforces per key.
        achieved: ``bench.run.achieved_fraction`` (accepted times, limit, window).
        label: The rows' number in the results table.
    """
    import httpx

    from bench.server import PACED_KEY_PREFIX

    sends = [total_sends // PROCESSES] * PROCESSES

    def measure(store: str | None, share: tuple[int, float]) -> tuple[FleetOutcome, dict[str, Any]]:
        key = f"{PACED_KEY_PREFIX}{uuid.uuid4().hex}"  # a fresh window on the server
        outcome = run_fleet(base_url, key, sends=sends, limit=share, store=store)
        stats: dict[str, Any] = httpx.get(f"{base_url}/_bench/stats", params={"key": key}).json()
        return outcome, stats

    def note(outcome: FleetOutcome, stats: dict[str, Any], what: str) -> str:
        errors = ", ".join(f"{n} {name}" for name, n in sorted(outcome.errors.items()))
        crashed = f"; {len(outcome.failed_workers)} worker(s) crashed" * bool(
            outcome.failed_workers
        )
        return (
            f"{PROCESSES} processes x {sends[0]} sends, one key, server limit "
            f"{limit[0]}/{limit[1]:g} s, {what}: {len(stats['accepted_at'])} accepted"
            f"{', errors: ' + errors if errors else ''}{crashed}, {outcome.seconds:.1f} s"
        )

    def fraction(stats: dict[str, Any]) -> float | None:
        value = achieved(sorted(stats["accepted_at"]), limit[0], limit[1])
        return None if value is None else value * 100

    # The same row shape as bench/bulk.py's: this file also runs as a bare script, so it
    # imports nothing of bench at start-up.
    def row(
        name: str, unit: str, value: float | None, target: str, met: bool | None, text: str
    ) -> dict[str, Any]:
        return {
            "scenario": f"{label}. fleet: {name}",
            "unit": unit,
            "ziett": value,
            "httpx": None,
            "ratio": None,
            "target": target,
            "met": met,
            "note": text,
        }

    rows: list[dict[str, Any]] = []
    from tests.redis_server import RedisServer, redis_server_path  # a real redis-server

    if redis_server_path() is None:
        missing = "redis-server is not installed (make test installs it)"
        rows.append(row("shared budget (Redis): 429 answers", "count", None, "0", None, missing))
    else:
        with RedisServer() as redis_server:
            outcome, stats = measure(redis_server.url, limit)
        share = fraction(stats)
        text = note(outcome, stats, "rate_limit_store=redis://")
        clean = stats["rejected"] == 0 and not outcome.errors and not outcome.failed_workers
        rows.append(
            row("shared budget (Redis): 429 answers", "count", stats["rejected"], "0", clean, text)
        )
        rows.append(
            row(
                "shared budget (Redis): achieved / allowed rate",
                "%",
                share,
                "≥ 90 %",
                None if share is None else share >= 90 and clean,
                text,
            )
        )
    outcome, stats = measure(None, limit)
    rows.append(
        row(
            "a whole budget per process (default): 429 answers",
            "count",
            stats["rejected"],
            "—",
            None,
            note(outcome, stats, "each paces alone"),
        )
    )
    split = (max(1, limit[0] // PROCESSES), limit[1])
    outcome, stats = measure(None, split)
    rows.append(
        row(
            "1/N of the budget per process, by hand: achieved / allowed rate",
            "%",
            fraction(stats),
            "—",
            None,
            note(outcome, stats, f"each paces to {split[0]}/{split[1]:g} s"),
        )
    )
    return rows


if __name__ == "__main__":
    sys.exit(worker_main())
