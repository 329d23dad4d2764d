"""Scenario 6 (no rows): where a call's time goes, by package, ziett against raw httpx.

cProfile in this process and the bench server's CPU time; adds a section to RESULTS.md.
"""

from __future__ import annotations

import asyncio
import cProfile
import gc
import os
import pstats
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from typing import Any

import httpx

import ziett
from bench.calls import raw_retrieve_async, raw_send, ziett_send
from bench.harness import API_KEY, LIMITS, RAW_HEADERS, TIMEOUT, Bench, Row, scenario
from bench.server import MESSAGE_ID

# -- where a call's time goes -------------------------------------------------------------

# Where a function's own time is counted: the first of these path fragments found
# in its file name; C functions count for the Python code that called them.
CATEGORIES = (
    ("ziett", ("/ziett/", "/ziett_client/", "<attrs generated")),
    ("httpx", ("/httpx/",)),
    ("httpcore + h11", ("/httpcore/", "/h11/")),
    ("anyio", ("/anyio/", "/sniffio/")),
    ("bench code", ("/bench/",)),
)
OTHER = "asyncio + stdlib"
CATEGORY_NAMES = [name for name, _ in CATEGORIES] + [OTHER]


def category(filename: str) -> str:
    for name, fragments in CATEGORIES:
        if any(fragment in filename for fragment in fragments):
            return name
    return OTHER


def cpu_shares(profile: cProfile.Profile) -> dict[str, float]:
    """Each category's share of the profiled CPU time (C functions go to their callers)."""
    stats: dict[Any, Any] = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    totals: Counter[str] = Counter()
    for (filename, _line, _name), (_cc, _nc, own, _cum, callers) in stats.items():
        if filename != "~":
            totals[category(filename)] += own
            continue
        edges = {caller: edge[2] for caller, edge in callers.items()}
        spread = sum(edges.values())
        if spread <= 0:
            totals[OTHER] += own
            continue
        for caller, edge_time in edges.items():
            totals[category(caller[0]) if caller[0] != "~" else OTHER] += own * edge_time / spread
    whole = sum(totals.values())
    return {name: (totals[name] / whole if whole > 0 else 0.0) for name in CATEGORY_NAMES}


def process_cpu_seconds(pid: int | None) -> float | None:
    """The user + system CPU time of process ``pid`` so far (Linux), else None."""
    if pid is None:
        return None
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class CallCost:
    """Per call: wall time, this process's CPU, the server's CPU (µs), CPU shares."""

    call: str
    contender: str
    wall_us: float
    cpu_us: float
    server_us: float | None
    shares: dict[str, float]


async def call_cost(
    call: Callable[[], Awaitable[object]], calls: int, gather: int, server_pid: int | None
) -> tuple[float, float, float | None, dict[str, float]]:
    """Run ``calls`` calls (``gather`` at a time) twice: timed, then under cProfile."""

    async def run() -> None:
        for _ in range(max(1, calls // gather)):
            await asyncio.gather(*(call() for _ in range(gather)))

    await run()  # warm-up
    gc.collect()
    server_before = process_cpu_seconds(server_pid)
    wall, cpu = time.perf_counter(), time.process_time()
    await run()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    server_after = process_cpu_seconds(server_pid)
    done = max(1, calls // gather) * gather
    server = None
    if server_before is not None and server_after is not None:
        server = (server_after - server_before) / done * 1e6
    profile = cProfile.Profile()
    profile.enable()
    await run()
    profile.disable()
    return wall / done * 1e6, cpu / done * 1e6, server, cpu_shares(profile)


async def call_costs(bench: Bench) -> list[CallCost]:
    base_url, calls = bench.base_url, bench.sizes.profile_calls
    costs: list[CallCost] = []
    async with (
        ziett.AsyncZiett(api_key=API_KEY, base_url=base_url, rate_limits={}) as client,
        httpx.AsyncClient(
            base_url=base_url, headers=RAW_HEADERS, limits=LIMITS, timeout=TIMEOUT
        ) as raw,
    ):
        cases: list[tuple[str, str, Callable[[], Awaitable[object]], int]] = [
            ("retrieve, one at a time", "ziett", lambda: client.messages.retrieve(MESSAGE_ID), 1),
            ("retrieve, one at a time", "httpx", lambda: raw_retrieve_async(raw), 1),
            ("send, 100 gathered", "ziett", lambda: ziett_send(client), 100),
            ("send, 100 gathered", "httpx", lambda: raw_send(raw), 100),
        ]
        for name, contender, call, gather in cases:
            figures = await asyncio.wait_for(
                call_cost(call, calls, min(gather, calls), bench.server_pid), bench.sizes.batch_cap
            )
            costs.append(CallCost(name, contender, *figures))
    return costs


def cost_table(costs: list[CallCost]) -> str:
    head = ["call", "client", "wall", "client CPU", *CATEGORY_NAMES, "server CPU"]
    lines = ["| " + " | ".join(head) + " |", "|---|---|" + "---:|" * (len(head) - 2)]
    for cost in costs:
        split = [f"{cost.cpu_us * cost.shares[name]:.0f}" for name in CATEGORY_NAMES]
        server = "—" if cost.server_us is None else f"{cost.server_us:.0f}"
        cells = [cost.call, cost.contender, f"{cost.wall_us:.0f}", f"{cost.cpu_us:.0f}"]
        lines.append("| " + " | ".join([*cells, *split, server]) + " |")
    return "\n".join(lines)


PROFILE_TEXT = """\
## Where a call's time goes

Microseconds per call, async, measured by the bench on this run ({calls:,} calls per
line): **wall** is the time per call (for gathered sends, the batch's time over its
calls); **client CPU** is this process's CPU time (`time.process_time`) per call,
split by package from a second, profiled pass (cProfile's own time per function;
a C function, such as `json.loads` or a socket's `send`, counts for the package
that called it; cProfile inflates code made of many small calls, so read the split
as shares); **server CPU** is the bench server's process, from `/proc`, in clock
ticks (± {tick:.0f} µs per call here). The kernel's loopback work counts for
whichever process made the system call. Sequential calls wait for the server; with
100 gathered the two processes overlap on the two cores and the client's CPU is
the bound.

{table}

What it shows: ziett's own code (argument checks, the call plan, the generated
request builder and model parsing: the **ziett** column) is a small part of a call;
the rest is httpx, httpcore, anyio and the event loop, the same code raw httpx runs,
and the server is cheap next to the client. Raw httpx's gathered sends spend most of
their CPU in httpcore's connection pool, which re-plans every connection on each
request added or finished, in O(connections²) plus O(queued requests x connections),
probing every idle socket each time (encode/httpcore#1035). The httpx clients ziett
opens for itself use its own transport instead (`ziett/_http.py`), written against
httpx's public transport interface: a row of one-connection httpx transports, where a
request takes an idle connection, so no pool ever queues and each pool's bookkeeping
stays O(1); ziett's in-flight gate (an anyio semaphore, `max_concurrent_requests`)
keeps any further requests waiting in front of the row. A user's own `http_client=`
is used as given (httpx's default transport).

Not chosen: **httpx2** (what openai runs on) would change the public types
(`http_client=` and the exceptions would be httpx2's) and respx patches `httpcore`,
not `httpcore2`, so respx-based tests, ours and our users', would stop intercepting;
**httpx-aiohttp** is asyncio-only (trio would need a second path), is not what respx's
default (httpcore) mocker patches, and adds aiohttp and its dependencies (multidict, yarl,
frozenlist, propcache, aiosignal, aiohappyeyeballs) to the install. Neither was
needed to pass openai's throughput.
"""


@scenario("profile", label="6. where a call's time goes")
def profile(bench: Bench) -> list[Row]:
    """No rows: a section on where a call's time goes (ziett vs httpx vs the server)."""
    costs = asyncio.run(call_costs(bench))
    calls = bench.sizes.profile_calls
    tick = 1e6 / os.sysconf("SC_CLK_TCK") / calls
    text = PROFILE_TEXT.format(calls=calls, tick=tick, table=cost_table(costs))
    bench.sections.append(text)
    bench.details["profile"] = [asdict(cost) for cost in costs]
    return []
