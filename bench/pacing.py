"""Scenarios 5, 7 and 8: sends paced under a server-enforced limit, a fleet, bulk sends.

5 runs here against the bench server; 7 and 8 wrap ``bench.fleet`` and ``bench.bulk``.
"""

from __future__ import annotations

import asyncio
import time
import uuid

import ziett
from bench.calls import server_stats, ziett_send
from bench.harness import Bench, Row, Sizes, achieved_fraction, scenario
from bench.server import PACED_KEY_PREFIX


async def paced_sends(base_url: str, sizes: Sizes, key: str) -> tuple[int, float]:
    """Every send gathered at once, paced by ziett; (client-side failures, seconds)."""
    limit = ziett.RateLimit(sizes.rate_limit, sizes.rate_window)
    async with ziett.AsyncZiett(
        api_key=key, base_url=base_url, rate_limits={"POST /c/v1/messages": limit}
    ) as client:
        start = time.perf_counter()
        outcomes = await asyncio.gather(
            *(ziett_send(client) for _ in range(sizes.paced_sends)),
            return_exceptions=True,
        )
        elapsed = time.perf_counter() - start
    return sum(isinstance(outcome, BaseException) for outcome in outcomes), elapsed


@scenario("pacing", label="5. pacing")
def pacing(bench: Bench) -> list[Row]:
    """Sends under a server-enforced sliding window, the client's limiter set to match."""
    base_url, sizes = bench.base_url, bench.sizes
    key = f"{PACED_KEY_PREFIX}{uuid.uuid4().hex}"  # a fresh window and a fresh limiter
    failed, elapsed = asyncio.run(paced_sends(base_url, sizes, key))
    stats = server_stats(base_url, key)
    accepted: list[float] = sorted(stats["accepted_at"])
    fraction = achieved_fraction(accepted, sizes.rate_limit, sizes.rate_window)
    rejected = int(stats["rejected"])
    note = (
        f"{sizes.paced_sends} sends, limit {sizes.rate_limit}/{sizes.rate_window:g} s: "
        f"{len(accepted)} accepted, {failed} failed client-side, {elapsed:.1f} s in all"
    )
    return [
        Row(
            scenario="5. pacing: 429 answers (server count)",
            unit="count",
            ziett=rejected,
            httpx=None,
            ratio=None,
            target="0",
            met=rejected == 0 and failed == 0,
            note=note,
        ),
        Row(
            scenario="5. pacing: achieved rate / allowed rate",
            unit="%",
            ziett=None if fraction is None else fraction * 100,
            httpx=None,
            ratio=None,
            target="≥ 95 %",
            met=None if fraction is None else fraction >= 0.95,
            samples={"accepted_at": list[float | None](accepted)},
        ),
    ]


@scenario("fleet", label="7. fleet")
def fleet(bench: Bench) -> list[Row]:
    """Four processes sending on one key: a shared Redis budget, a budget each, 1/N each."""
    from bench.fleet import fleet_rows

    sizes = bench.sizes
    limit = (sizes.rate_limit, sizes.rate_window)
    rows = fleet_rows(bench.base_url, sizes.fleet_sends, limit, achieved_fraction, label="7")
    return [Row(**row) for row in rows]


# -- 8. bulk sends under a scaled batch limit (bench/bulk.py) ------------------------------


@scenario("bulk", label="8. bulk sends", needs_server=False)
def bulk(bench: Bench) -> list[Row]:
    """send_bulk of a large audience against a sandbox process: rate, duplicates, 429s."""
    from bench.bulk import bulk_rows

    sizes = bench.sizes
    limit = (sizes.bulk_limit, sizes.bulk_window)
    rows = bulk_rows(sizes.bulk_recipients, limit, sizes.batch_cap, achieved_fraction, label="8")
    return [Row(**row) for row in rows]


# -- where a call's time goes -------------------------------------------------------------

# Where a function's own time is counted: the first of these path fragments found
