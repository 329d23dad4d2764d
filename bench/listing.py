"""Scenario 3: a long listing, typed (ziett) against raw httpx + json.loads, and its memory.

Two timed rows, every field of every message read (the target) and none read, then the
memory growth of one listing in a fresh process. Talks only to the bench server.
"""

from __future__ import annotations

import asyncio
import gc
import json
import operator
import os
import resource
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Awaitable, Callable

import attrs
import httpx

import ziett
from bench.harness import (
    API_KEY,
    LIMITS,
    RAW_HEADERS,
    ROOT,
    SEND_PATH,
    TIMEOUT,
    Bench,
    Row,
    Sizes,
    at_most,
    compared,
    interleave_async,
    scenario,
)
from bench.server import MESSAGE_ID
from ziett_client.models import Message

# Every field of a Message, read the same way on both sides: one C call per message.
FIELDS = tuple(a.name for a in attrs.fields(Message) if a.name != "additional_properties")
READ_MODEL, READ_DICT = operator.attrgetter(*FIELDS), operator.itemgetter(*FIELDS)


def nothing() -> None:
    pass


async def ziett_listing(
    client: ziett.AsyncZiett,
    page_size: int,
    after_page: Callable[[], None] = nothing,
    pages: int | None = None,
    *,
    read: bool = True,
) -> int:
    """Every message (or ``pages`` pages) through ``messages.list``; ``read``: every field."""
    count = 0
    limit = None if pages is None else pages * page_size
    async for message in client.messages.list(page_size=page_size, limit=limit):
        if read:
            READ_MODEL(message)
        count += 1
        if count % page_size == 0:
            after_page()
    return count


async def raw_listing(
    http: httpx.AsyncClient,
    page_size: int,
    after_page: Callable[[], None] = nothing,
    pages: int | None = None,
    *,
    read: bool = True,
) -> int:
    """Every page (or the first ``pages``) with raw httpx and json.loads; ``read``: every key."""
    count, page = 0, 1
    while True:
        response = await http.get(SEND_PATH, params={"page": page, "size": page_size})
        if response.status_code != 200:
            raise RuntimeError(f"unexpected {response.status_code}")
        data = json.loads(response.content)
        for entry in data["entries"]:
            if read:
                READ_DICT(entry)
            count += 1
        after_page()
        if not data["entries"] or page >= data["pages"] or page == pages:
            return count
        page += 1


def timed_listing(
    walk: Callable[[], Awaitable[int]], expected: int
) -> Callable[[], Awaitable[float]]:
    """A batch that walks the whole listing once; seconds."""

    async def batch() -> float:
        start = time.perf_counter()
        count = await walk()
        elapsed = time.perf_counter() - start
        if count != expected:
            raise RuntimeError(f"listed {count} messages, expected {expected}")
        return elapsed

    return batch


async def long_listing(base_url: str, sizes: Sizes, *, read: bool) -> Row:
    """Iterate every message, page by page: typed models (ziett) or dicts (httpx + json)."""
    async with (
        ziett.AsyncZiett(api_key=API_KEY, base_url=base_url, rate_limits={}) as client,
        httpx.AsyncClient(
            base_url=base_url, headers=RAW_HEADERS, limits=LIMITS, timeout=TIMEOUT
        ) as raw,
    ):
        size, total = sizes.page_size, sizes.list_total
        batches = {
            "ziett": timed_listing(lambda: ziett_listing(client, size, read=read), total),
            "httpx": timed_listing(lambda: raw_listing(raw, size, read=read), total),
        }
        # Warm-up: the server builds and caches every page; ziett's code paths.
        await interleave_async(batches, 1, sizes.batch_cap)
        measured = await interleave_async(batches, sizes.list_rounds, sizes.batch_cap)
    what = f"every field read ({len(FIELDS)})" if read else "no field read"
    name = f"3. list {total:,} messages, pages of {size}, {what}"
    if read:
        return compared(name, "s", measured, "≤ 1.00x", at_most(1.00))
    return compared(name, "s", measured, "—", at_most(1.00))


def listing_memory(bench: Bench) -> Row:
    """Memory growth while listing, each contender in a fresh process."""
    base_url, sizes = bench.base_url, bench.sizes
    growth = {name: memory_probe_process(name, base_url, sizes) for name in ("ziett", "httpx")}
    page_bytes = len(httpx.get(f"{base_url}{SEND_PATH}?page=1&size={sizes.page_size}").content)
    ziett_mb = growth["ziett"]["rss_growth_mb"]
    note = (
        "growth of the resident set size (/proc/self/statm) sampled after every page, over "
        "the whole iteration, in a fresh process; tracemalloc peak over "
        f"{TRACED_PAGES} more pages (Python allocations, the page being parsed included): "
        f"ziett {growth['ziett']['tracemalloc_peak_mb']:.1f} MB, "
        f"httpx {growth['httpx']['tracemalloc_peak_mb']:.1f} MB; "
        f"one page is {page_bytes / 1e6:.2f} MB of JSON"
    )
    return Row(
        scenario=f"3. list {sizes.list_total:,}: memory growth",
        unit="MB",
        ziett=ziett_mb,
        httpx=growth["httpx"]["rss_growth_mb"],
        ratio=None,
        target="< 20 MB",
        met=ziett_mb < 20,
        note=note,
        samples={name: list(values.values()) for name, values in growth.items()},
    )


@scenario("listing", label="3. long listing")
def listing(bench: Bench) -> list[Row]:
    return [
        asyncio.run(long_listing(bench.base_url, bench.sizes, read=True)),
        asyncio.run(long_listing(bench.base_url, bench.sizes, read=False)),
        listing_memory(bench),
    ]


def memory_probe_process(contender: str, base_url: str, sizes: Sizes) -> dict[str, float]:
    command = [sys.executable, "-m", "bench.run", "--memory-probe", contender]
    command += ["--base-url", base_url, "--list-total", str(sizes.list_total)]
    command += ["--page-size", str(sizes.page_size)]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    probe: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
    return probe


TRACED_PAGES = 20


def rss_mb() -> float:
    """The resident set size now (Linux); elsewhere the peak so far (ru_maxrss)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6


async def memory_probe(contender: str, base_url: str, total: int, page_size: int) -> None:
    """In a fresh process: RSS growth over one listing, then tracemalloc's peak over a few pages."""
    async with (
        ziett.AsyncZiett(api_key=API_KEY, base_url=base_url, rate_limits={}) as client,
        httpx.AsyncClient(
            base_url=base_url, headers=RAW_HEADERS, limits=LIMITS, timeout=TIMEOUT
        ) as raw,
    ):
        highest = [0.0]

        def sample() -> None:
            highest[0] = max(highest[0], rss_mb())

        async def walk(after_page: Callable[[], None], pages: int | None = None) -> int:
            if contender == "ziett":
                return await ziett_listing(client, page_size, after_page, pages)
            return await raw_listing(raw, page_size, after_page, pages)

        # Warm-up with a one-message page: connection, imports, code paths, no big page.
        await client.messages.retrieve(MESSAGE_ID)
        _ = [m async for m in client.messages.list(page_size=1, limit=1)]
        await raw.get(SEND_PATH, params={"page": 1, "size": 1})
        gc.collect()
        before = rss_mb()
        if await walk(sample) != total:
            raise RuntimeError("incomplete listing")
        gc.collect()
        tracemalloc.start()  # slow: a few pages show the per-page peak
        await walk(nothing, TRACED_PAGES)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    growth = {"rss_growth_mb": max(0.0, highest[0] - before), "tracemalloc_peak_mb": peak / 1e6}
    print(json.dumps(growth))


# -- 4. import time ----------------------------------------------------------------------

# httpx imports its optional command line when click, rich and pygments (the
