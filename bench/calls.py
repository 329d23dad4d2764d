"""Scenarios 1 and 2: the per-call cost of a retrieval, and concurrent sends (against openai).

Runs ziett, raw httpx and the openai peer against the bench server; the sends batches
run in child processes (``python -m bench.run --sends-probe``) so that a cap can stop them.
"""

from __future__ import annotations

import asyncio
import json
import select
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx

import ziett
from bench.harness import (
    API_KEY,
    CONTENT,
    LIMITS,
    MESSAGE_PATH,
    RAW_HEADERS,
    REMITTER_ID,
    ROOT,
    SEND_BODY,
    SEND_PATH,
    TARGET_E164,
    TIMEOUT,
    Bench,
    Row,
    Sizes,
    at_least_peer,
    at_most,
    compared,
    describe,
    interleave,
    interleave_async,
    load_openai,
    openai_client,
    per_call_us,
    per_call_us_async,
    scenario,
)
from bench.server import MESSAGE_ID

# -- 1. per-call cost --------------------------------------------------------------------


def raw_retrieve(http: httpx.Client) -> object:
    response = http.get(MESSAGE_PATH)
    if response.status_code != 200:
        raise RuntimeError(f"unexpected {response.status_code}")
    return json.loads(response.content)


async def raw_retrieve_async(http: httpx.AsyncClient) -> object:
    response = await http.get(MESSAGE_PATH)
    if response.status_code != 200:
        raise RuntimeError(f"unexpected {response.status_code}")
    return json.loads(response.content)


PER_CALL_TARGET = "≤ 1.10x"


def per_call_sync(bench: Bench) -> Row:
    """Sequential ``retrieve`` with the blocking clients."""
    base_url, sizes, openai = bench.base_url, bench.sizes, bench.openai
    with (
        ziett.Ziett(api_key=API_KEY, base_url=base_url, rate_limits={}) as client,
        httpx.Client(base_url=base_url, headers=RAW_HEADERS, limits=LIMITS, timeout=TIMEOUT) as raw,
    ):
        calls: dict[str, Callable[[], object]] = {
            "ziett": lambda: client.messages.retrieve(MESSAGE_ID),
            "httpx": lambda: raw_retrieve(raw),
        }
        peer = openai_client(openai, base_url, asynchronous=False) if openai else None
        if peer is not None:
            calls["openai"] = lambda: peer.get(MESSAGE_PATH, cast_to=object)
        for name, call in calls.items():  # warm-up: connection, caches, lazy imports
            try:
                per_call_us(call, max(5, sizes.calls // 10))()
            except Exception as error:
                print(f"    warm-up of {name} failed: {describe(error)}", flush=True)
        batches = {name: per_call_us(call, sizes.calls) for name, call in calls.items()}
        measured = interleave(batches, sizes.rounds)
        if peer is not None:
            peer.close()
    return compared(
        "1. per-call retrieve, sync", "µs/call", measured, PER_CALL_TARGET, at_most(1.10)
    )


async def per_call_async(bench: Bench) -> Row:
    """Sequential ``retrieve`` with the async clients."""
    base_url, sizes, openai = bench.base_url, bench.sizes, bench.openai
    async with (
        ziett.AsyncZiett(api_key=API_KEY, base_url=base_url, rate_limits={}) as client,
        httpx.AsyncClient(
            base_url=base_url, headers=RAW_HEADERS, limits=LIMITS, timeout=TIMEOUT
        ) as raw,
    ):
        calls: dict[str, Callable[[], Awaitable[object]]] = {
            "ziett": lambda: client.messages.retrieve(MESSAGE_ID),
            "httpx": lambda: raw_retrieve_async(raw),
        }
        peer = openai_client(openai, base_url, asynchronous=True) if openai else None
        if peer is not None:
            calls["openai"] = lambda: peer.get(MESSAGE_PATH, cast_to=object)
        for name, call in calls.items():
            try:
                warm_up = per_call_us_async(call, max(5, sizes.calls // 10))
                await asyncio.wait_for(warm_up(), sizes.batch_cap)
            except Exception as error:
                print(f"    warm-up of {name} failed: {describe(error)}", flush=True)
        batches = {name: per_call_us_async(call, sizes.calls) for name, call in calls.items()}
        measured = await interleave_async(batches, sizes.rounds, sizes.batch_cap)
        if peer is not None:
            await peer.close()
    return compared(
        "1. per-call retrieve, async", "µs/call", measured, PER_CALL_TARGET, at_most(1.10)
    )


@scenario("per-call", label="1. per-call retrieve")
def per_call(bench: Bench) -> list[Row]:
    return [asyncio.run(per_call_async(bench)), per_call_sync(bench)]


# -- 2. concurrent sends -----------------------------------------------------------------


async def ziett_send(client: ziett.AsyncZiett) -> object:
    return await client.messages.send(
        remitter_id=REMITTER_ID, target_e164=TARGET_E164, content=CONTENT
    )


async def raw_send(http: httpx.AsyncClient) -> object:
    response = await http.post(SEND_PATH, json=SEND_BODY)
    if response.status_code != 202:
        raise RuntimeError(f"unexpected {response.status_code}")
    return json.loads(response.content)


def gathered(call: Callable[[], Awaitable[object]], count: int) -> Callable[[], Awaitable[float]]:
    """A batch of ``count`` concurrent calls (asyncio.gather), as calls per second."""

    async def batch() -> float:
        start = time.perf_counter()
        await asyncio.gather(*(call() for _ in range(count)))
        return count / (time.perf_counter() - start)

    return batch


@asynccontextmanager
async def send_calls(
    base_url: str, api_key: str, contenders: tuple[str, ...]
) -> AsyncIterator[dict[str, Callable[[], Awaitable[object]]]]:
    """One send call per contender, each on its own client (pacing off, same pool limits)."""
    async with (
        ziett.AsyncZiett(api_key=api_key, base_url=base_url, rate_limits={}) as client,
        httpx.AsyncClient(
            base_url=base_url,
            headers={**RAW_HEADERS, "X-API-KEY": api_key},
            limits=LIMITS,
            timeout=TIMEOUT,
        ) as raw,
    ):
        calls: dict[str, Callable[[], Awaitable[object]]] = {
            "ziett": lambda: ziett_send(client),
            "httpx": lambda: raw_send(raw),
        }
        peer = None
        if "openai" in contenders:
            peer = openai_client(load_openai(), base_url, asynchronous=True, api_key=api_key)
            calls["openai"] = lambda: peer.post(SEND_PATH, cast_to=object, body=SEND_BODY)
        try:
            yield {name: call for name, call in calls.items() if name in contenders}
        finally:
            if peer is not None:
                await peer.close()


def warm_pool_gather(base_url: str, contender: str, count: int) -> Callable[[], Awaitable[float]]:
    """A batch on a fresh client whose pool an untimed gather of ``count`` warmed first.

    The pool then holds its connections idle and alive, as a long-lived client's
    does after any burst; sends per second.
    """

    async def batch() -> float:
        async with send_calls(base_url, API_KEY, (contender,)) as calls:
            call = calls[contender]
            await asyncio.gather(*(call() for _ in range(count)))
            return await gathered(call, count)()

    return batch


SENDS_TARGET = "≥ openai's throughput (ziett / openai ≥ 1.00x)"


async def warm_pool_sends(bench: Bench) -> Row:
    """Scenario 2b: a gather larger than the pool, on a pool already holding connections."""
    sizes, count = bench.sizes, bench.sizes.warm_gather
    batches = {name: warm_pool_gather(bench.base_url, name, count) for name in bench.contenders}
    measured = await interleave_async(batches, sizes.sends_rounds, sizes.batch_cap)
    row = compared(
        f"2b. {count} concurrent sends, warm pool (higher is better)",
        "sends/s",
        measured,
        SENDS_TARGET,
        at_least_peer,
    )
    note = (
        f"a fresh client per batch, its pool first filled by an untimed gather of {count} "
        "(so its connections are open and idle, like a long-lived client's)"
    )
    row.note = "; ".join(filter(None, [note, row.note]))
    return row


WARM_SENDS = 20


async def sends_probe(contender: str, base_url: str, count: int, api_key: str) -> None:
    """In a fresh process: warm up, say START, gather ``count`` sends, print the outcome."""
    async with send_calls(base_url, api_key, (contender,)) as calls:
        call = calls[contender]
        await asyncio.gather(*(call() for _ in range(WARM_SENDS)))
        print("START", flush=True)
        start = time.perf_counter()
        outcomes = await asyncio.gather(*(call() for _ in range(count)), return_exceptions=True)
        seconds = time.perf_counter() - start
    errors = Counter(type(o).__name__ for o in outcomes if isinstance(o, BaseException))
    ok = count - sum(errors.values())
    print(json.dumps({"seconds": seconds, "ok": ok, "errors": dict(errors)}), flush=True)


@dataclass
class SendsOutcome:
    """One capped batch of concurrent sends, seen from the parent."""

    per_second: float
    capped: bool
    errors: dict[str, int]


def sends_batch(contender: str, base_url: str, sizes: Sizes) -> SendsOutcome:
    """``sizes.sends`` sends gathered at once in a fresh process, stopped after the cap.

    A batch still running at the cap is killed (cancelling thousands of pending
    requests in-process would take as long as finishing them); its throughput is
    then the sends the server answered for its key, over the time it ran (zero if
    none: a finding, not an error). A probe that does not start (it crashed, or
    its warm-up stalled) raises, and the round counts as failed.
    """
    key = f"zk_test_sends_{uuid.uuid4().hex}"
    command = [sys.executable, "-m", "bench.run", "--sends-probe", contender]
    command += ["--base-url", base_url, "--count", str(sizes.sends), "--api-key", key]
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], sizes.sends_cap + 30)
    if not ready or process.stdout.readline().strip() != "START":
        process.kill()
        _, stderr = process.communicate()
        last = (stderr or "").strip().splitlines()[-1:] or ["no answer to its warm-up"]
        raise RuntimeError(f"the {contender} sends probe did not start ({last[0][:160]})")
    start = time.perf_counter()
    try:
        output, stderr = process.communicate(timeout=sizes.sends_cap)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        elapsed = time.perf_counter() - start
        answered = max(0, server_stats(base_url, key)["sends"] - WARM_SENDS)
        return SendsOutcome(answered / elapsed, capped=True, errors={})
    if process.returncode != 0:
        last = (stderr or "").strip().splitlines()[-1:] or [""]
        raise RuntimeError(f"the {contender} sends probe failed ({last[0][:160]})")
    result = json.loads(output.strip().splitlines()[-1])
    seconds = max(float(result["seconds"]), 1e-9)
    return SendsOutcome(result["ok"] / seconds, capped=False, errors=result["errors"])


def server_stats(base_url: str, key: str) -> dict[str, Any]:
    stats: dict[str, Any] = httpx.get(f"{base_url}/_bench/stats", params={"key": key}).json()
    return stats


def concurrent_sends(bench: Bench) -> Row:
    """Scenario 2: ``sizes.sends`` sends gathered on one client, interleaved rounds."""
    sizes = bench.sizes
    outcomes: dict[str, list[SendsOutcome]] = {name: [] for name in bench.contenders}

    def batch(name: str) -> Callable[[], float]:
        def run() -> float:
            outcomes[name].append(sends_batch(name, bench.base_url, sizes))
            return outcomes[name][-1].per_second

        return run

    measured = interleave({name: batch(name) for name in bench.contenders}, sizes.sends_rounds)
    row = compared(
        f"2. {sizes.sends:,} concurrent sends (higher is better)",
        "sends/s",
        measured,
        SENDS_TARGET,
        at_least_peer,
    )
    summary = "batches (fresh process each): " + "; ".join(
        sends_summary(name, runs, sizes) for name, runs in outcomes.items()
    )
    row.note = "; ".join(filter(None, [summary, row.note]))
    return row


def sends_summary(name: str, runs: list[SendsOutcome], sizes: Sizes) -> str:
    """What happened to one contender's batches, beyond their throughput."""
    capped = sum(run.capped for run in runs)
    silent = sum(run.capped and run.per_second == 0 for run in runs)
    errors: Counter[str] = Counter()
    for run in runs:
        errors.update(run.errors)
    text = f"{name}: {capped or 'none'} of {len(runs)} stopped at the {sizes.sends_cap:g} s cap"
    if silent:
        text += f" ({silent} with nothing answered)"
    failed = ", ".join(f"{count} {kind}" for kind, count in errors.items())
    return f"{text}, failed sends: {failed or 'none'}"


@scenario("sends", label="2. concurrent sends")
def sends(bench: Bench) -> list[Row]:
    return [concurrent_sends(bench), asyncio.run(warm_pool_sends(bench))]
