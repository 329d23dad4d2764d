"""Benchmarks: what ziett costs over raw httpx, and how it compares with the openai client.

``python -m bench.run`` (``make bench``) starts ``bench.server`` in its own process
on a free 127.0.0.1 port, runs every registered scenario and writes
``bench/RESULTS.md`` and ``bench/results.json``. ``--smoke`` runs every scenario
at toy sizes in a few seconds (without the openai peer when it is not installed)
and writes to a temporary directory, so the harness is exercised by the tests;
``--only NAME`` (repeatable) runs some scenarios, also into a temporary directory.

Every figure is the median of interleaved rounds: within a round, ziett, raw
httpx and the peer run one batch each, in an order rotated from round to round.
A ratio is the median of the per-round ratios, so each is taken within one run
and between batches run moments apart.

**A contender that fails or stalls is a finding, never a crash.** A batch that
raises, or does not finish within its cap, counts as a failed round: it is left
out of the medians and ratios, and the row's note says what happened. A ratio
whose every round lacks a usable base (a failure, or nothing answered) is "—".
A scenario that crashes as a whole becomes a row saying so.

**Adding a scenario** (bulk sends, a fleet of processes, ...): write one function
taking a :class:`Bench` (``bench.base_url`` of the server, ``bench.sizes``,
``bench.contenders``, ``bench.openai``) and returning :class:`Row` s, decorate it
with ``@scenario("name", label="6. what it measures")``, and add its sizes to
:class:`Sizes` (both ``FULL`` and ``SMOKE``). Label its rows ``"6. ..."``: the
table is ordered by that number. Use :func:`interleave` (or
:func:`interleave_async`) for rounds and :func:`compared` for a row against raw
httpx; a row without a raw-httpx figure is a plain :class:`Row`. Heavy or
crash-prone work belongs in a child process (see :func:`sends_batch`), so a cap
can stop it. The smoke test checks that every registered scenario yields rows.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import importlib
import json
import math
import os
import platform
import pstats
import re
import resource
import select
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
import tracemalloc
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import httpx

import ziett
from bench.server import MESSAGE_ID, PACED_KEY_PREFIX

T = TypeVar("T")
ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "bench"
API_KEY = "zk_test_bench0123456789abcdef"
MESSAGE_PATH = f"/c/v1/messages/{MESSAGE_ID}"
SEND_PATH = "/c/v1/messages"
REMITTER_ID = "019b4b56-e704-7c30-83a0-527df63c3e00"
TARGET_E164 = "+244990090990"
CONTENT = "Your verification code is 482910. It expires in 5 minutes."
SEND_BODY = {
    "channel_type": "SMS",
    "remitter_id": REMITTER_ID,
    "target_e164": TARGET_E164,
    "content": CONTENT,
}


def ziett_pool_limits() -> httpx.Limits:
    """The pool limits of the httpx client ziett opens for itself (ziett/_http.py)."""
    limits = importlib.import_module("ziett._http").connection_limits(20)
    if isinstance(limits, httpx.Limits):
        return limits
    return httpx.Limits(max_connections=100, max_keepalive_connections=20)


# Every contender gets ziett's pool limits and ziett's default per-attempt timeout.
LIMITS = ziett_pool_limits()
TIMEOUT = httpx.Timeout(30.0, connect=5.0)
RAW_HEADERS = {"X-API-KEY": API_KEY, "Accept": "application/json"}


@dataclass(frozen=True)
class Sizes:
    """How much work each scenario does."""

    rounds: int  # interleaved rounds of the per-call scenarios
    calls: int  # sequential calls per contender and round (1)
    sends: int  # sends gathered at once, per contender and round (2)
    sends_rounds: int  # rounds of 2 and 2b
    sends_cap: float  # seconds after which a batch of sends is stopped
    warm_gather: int  # sends gathered at once in 2b, on a warmed pool
    list_total: int  # messages in the long listing (3)
    list_rounds: int
    imports: int  # cold processes per module (4)
    import_peer: bool  # time ``import openai`` too (about a second a process)
    paced_sends: int  # sends under the server-enforced limit (5)
    rate_limit: int
    rate_window: float
    profile_calls: int  # calls per contender in the profile of a call's time
    fleet_sends: int  # sends of the whole fleet of processes, per measurement (7)
    batch_cap: float  # seconds after which an in-process batch counts as stalled
    bulk_recipients: int  # recipients of the one send_bulk (8)
    bulk_limit: int  # batch requests per bulk_window, on the sandbox and the client (8)
    bulk_window: float
    page_size: int = 200


FULL = Sizes(
    rounds=21,
    calls=200,
    sends=2_000,
    sends_rounds=5,
    sends_cap=10.0,
    warm_gather=100,
    list_total=100_000,
    list_rounds=5,
    imports=10,
    import_peer=True,
    paced_sends=600,
    rate_limit=120,
    rate_window=10.0,
    profile_calls=1_000,
    fleet_sends=240,
    batch_cap=120.0,
    bulk_recipients=20_000,
    bulk_limit=2,
    bulk_window=1.0,
)
SMOKE = Sizes(
    rounds=2,
    calls=20,
    sends=30,
    sends_rounds=1,
    sends_cap=10.0,
    warm_gather=10,
    list_total=1_000,
    list_rounds=1,
    imports=1,
    import_peer=False,
    paced_sends=12,
    rate_limit=4,
    rate_window=0.5,
    profile_calls=40,
    fleet_sends=16,
    batch_cap=30.0,
    bulk_recipients=3_000,
    bulk_limit=2,
    bulk_window=0.5,
)


@dataclass
class Row:
    """One line of the results table; ``samples`` keeps every round's figure (None: failed)."""

    scenario: str
    unit: str
    ziett: float | None
    httpx: float | None
    ratio: float | None
    target: str
    met: bool | None
    peer: float | None = None
    peer_ratio: float | None = None
    vs_peer: float | None = None  # median over rounds of ziett / openai
    note: str = ""
    samples: Mapping[str, list[float | None]] = field(default_factory=dict)


@dataclass
class Bench:
    """What a scenario gets: its sizes, the peer (if installed), the server, the sections."""

    sizes: Sizes
    openai: Any | None
    base_url: str = ""  # empty for scenarios registered with needs_server=False
    server_pid: int | None = None
    sections: list[str] = field(default_factory=list)  # extra markdown after the table
    details: dict[str, Any] = field(default_factory=dict)  # extra entries of results.json

    @property
    def contenders(self) -> tuple[str, ...]:
        return ("ziett", "httpx") + (("openai",) if self.openai is not None else ())


@dataclass(frozen=True)
class Scenario:
    """A registered scenario: ``--only name``; ``label`` names its rows if it crashes."""

    name: str
    label: str
    run: Callable[[Bench], list[Row]]
    needs_server: bool


SCENARIOS: dict[str, Scenario] = {}


def scenario(
    name: str, *, label: str, needs_server: bool = True
) -> Callable[[Callable[[Bench], list[Row]]], Callable[[Bench], list[Row]]]:
    """Register a scenario (run in registration order; rows sorted by their number)."""

    def register(run: Callable[[Bench], list[Row]]) -> Callable[[Bench], list[Row]]:
        SCENARIOS[name] = Scenario(name, label, run, needs_server)
        return run

    return register


# -- the server --------------------------------------------------------------------------


@dataclass(frozen=True)
class Server:
    url: str
    pid: int


@contextmanager
def bench_server(sizes: Sizes) -> Iterator[Server]:
    """``bench.server`` in its own process; yields its URL and pid, stops it on exit."""
    command = [sys.executable, "-m", "bench.server", "--list-total", str(sizes.list_total)]
    command += ["--rate-limit", str(sizes.rate_limit), "--rate-window", str(sizes.rate_window)]
    process = subprocess.Popen(command, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert process.stdin is not None and process.stdout is not None
    try:
        line = process.stdout.readline().decode()
        if not line.startswith("PORT "):
            raise RuntimeError(f"bench.server did not start (said {line!r})")
        yield Server(f"http://127.0.0.1:{int(line.split()[1])}", process.pid)
    finally:
        process.stdin.close()  # the server stops at EOF on its stdin
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# -- the peer (optional in smoke mode) ---------------------------------------------------


def load_openai() -> Any | None:
    """The openai module when installed (the ``bench`` dependency group), else None."""
    try:
        return importlib.import_module("openai")
    except ImportError:
        return None


def openai_client(openai: Any, base_url: str, *, asynchronous: bool, api_key: str = API_KEY) -> Any:
    """An openai client on the same pool limits, timeout and X-API-KEY as the others."""
    httpx2 = importlib.import_module("httpx2")  # openai 3.x is built on httpx2
    limits = httpx2.Limits(
        max_connections=LIMITS.max_connections,
        max_keepalive_connections=LIMITS.max_keepalive_connections,
        keepalive_expiry=LIMITS.keepalive_expiry,
    )
    timeout = httpx2.Timeout(30.0, connect=5.0)
    headers = {"X-API-KEY": api_key}
    if asynchronous:
        http = openai.DefaultAsyncHttpxClient(limits=limits, timeout=timeout)
        client_class = openai.AsyncOpenAI
    else:
        http = openai.DefaultHttpxClient(limits=limits, timeout=timeout)
        client_class = openai.OpenAI
    return client_class(
        base_url=base_url, api_key=api_key, http_client=http, default_headers=headers
    )


# -- rounds, failures and ratios ---------------------------------------------------------

Samples = dict[str, list[float | None]]


@dataclass
class Measured:
    """Every round's figure per contender (None for a failed round) and what went wrong."""

    samples: Samples
    failures: dict[str, list[str]]


def describe(error: BaseException, cap: float | None = None) -> str:
    """A failure in a few words, for a row's note."""
    if isinstance(error, TimeoutError):
        return f"stalled (no result within {cap:g} s)" if cap else "stalled (timed out)"
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{type(error).__name__}: {text[:160]}" if text else type(error).__name__


def rotated(names: list[T], round_number: int) -> list[T]:
    """The contenders' order in one round: each goes first in turn."""
    shift = round_number % len(names)
    return names[shift:] + names[:shift]


def interleave(batches: Mapping[str, Callable[[], float]], rounds: int) -> Measured:
    """One figure per contender and round, the contenders alternating within a round."""
    measured = Measured({name: [] for name in batches}, {name: [] for name in batches})
    for round_number in range(rounds):
        for name in rotated(list(batches), round_number):
            gc.collect()
            try:
                figure: float | None = batches[name]()
            except Exception as error:  # a failed batch is a finding, not a crash
                figure = None
                measured.failures[name].append(describe(error))
            measured.samples[name].append(figure)
    return measured


async def interleave_async(
    batches: Mapping[str, Callable[[], Awaitable[float]]], rounds: int, cap: float
) -> Measured:
    """:func:`interleave` for coroutine batches, each stopped after ``cap`` seconds."""
    measured = Measured({name: [] for name in batches}, {name: [] for name in batches})
    for round_number in range(rounds):
        for name in rotated(list(batches), round_number):
            gc.collect()
            try:
                figure: float | None = await asyncio.wait_for(batches[name](), cap)
            except Exception as error:  # a failed or stalled batch is a finding
                figure = None
                measured.failures[name].append(describe(error, cap))
            measured.samples[name].append(figure)
    return measured


def per_call_us(call: Callable[[], object], calls: int) -> Callable[[], float]:
    """A batch of ``calls`` sequential calls, timed in microseconds per call."""

    def batch() -> float:
        start = time.perf_counter()
        for _ in range(calls):
            call()
        return (time.perf_counter() - start) / calls * 1e6

    return batch


def per_call_us_async(
    call: Callable[[], Awaitable[object]], calls: int
) -> Callable[[], Awaitable[float]]:
    """:func:`per_call_us` for a coroutine function."""

    async def batch() -> float:
        start = time.perf_counter()
        for _ in range(calls):
            await call()
        return (time.perf_counter() - start) / calls * 1e6

    return batch


def usable(values: list[float | None]) -> list[float]:
    return [value for value in values if value is not None and math.isfinite(value)]


def median(values: list[float | None]) -> float | None:
    """The median of the rounds that produced a figure; None when none did."""
    figures = usable(values)
    return statistics.median(figures) if figures else None


def round_ratio(samples: Mapping[str, list[float | None]], name: str, base: str) -> float | None:
    """The median over rounds of ``name``'s figure over ``base``'s in the same round.

    Rounds where either failed, or the base is zero (it answered nothing before a
    cap), are left out; None when no round is left.
    """
    ratios = [
        a / b
        for a, b in zip(samples.get(name, []), samples.get(base, []), strict=False)
        if a is not None and b is not None and math.isfinite(a) and math.isfinite(b) and b > 0
    ]
    return statistics.median(ratios) if ratios else None


def failure_note(measured: Measured) -> str:
    """What failed, per contender: '' when every round of every contender ran."""
    parts = []
    for name, failures in measured.failures.items():
        if failures:
            rounds = len(measured.samples[name])
            kinds = "; ".join(f"{count}x {text}" for text, count in Counter(failures).items())
            parts.append(f"{name}: {len(failures)} of {rounds} rounds failed ({kinds})")
    return "; ".join(parts)


def compared(
    scenario: str,
    unit: str,
    measured: Measured,
    target: str,
    goal: Callable[[Row], bool | None],
) -> Row:
    """A row comparing ziett (and the peer, when measured) with raw httpx.

    ``goal`` decides ``met`` from the row's figures; it is not asked when ziett
    produced no figure (then the target is missed), and it returns None when the
    figure it needs is missing (a contender it compares with failed).
    """
    samples = measured.samples
    has_peer = "openai" in samples
    row = Row(
        scenario=scenario,
        unit=unit,
        ziett=median(samples["ziett"]),
        httpx=median(samples["httpx"]),
        ratio=round_ratio(samples, "ziett", "httpx"),
        peer=median(samples["openai"]) if has_peer else None,
        peer_ratio=round_ratio(samples, "openai", "httpx") if has_peer else None,
        vs_peer=round_ratio(samples, "ziett", "openai") if has_peer else None,
        target=target,
        met=None,
        note=failure_note(measured),
        samples=samples,
    )
    if has_target(row):
        row.met = False if row.ziett is None else goal(row)
    return row


def at_most(limit: float) -> Callable[[Row], bool | None]:
    """Goal: ziett's ratio to raw httpx is at most ``limit`` (lower is better)."""
    return lambda row: None if row.ratio is None else row.ratio <= limit


def at_least_peer(row: Row) -> bool | None:
    """Goal: ziett's throughput is at least openai's in the same rounds (higher is better)."""
    if row.vs_peer is not None:
        return row.vs_peer >= 1.0
    if row.peer == 0 and row.ziett:
        return True  # openai answered nothing, ziett did
    return None


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


# -- 3. long listing ---------------------------------------------------------------------


def nothing() -> None:
    pass


async def ziett_listing(
    client: ziett.AsyncZiett,
    page_size: int,
    after_page: Callable[[], None] = nothing,
    pages: int | None = None,
) -> int:
    """Every message (or ``pages`` pages) through ``messages.list``, its typed status read."""
    count = 0
    limit = None if pages is None else pages * page_size
    async for message in client.messages.list(page_size=page_size, limit=limit):
        if message.status is not None:  # a typed field read: its parse is not skipped
            count += 1
        if count % page_size == 0:
            after_page()
    return count


async def raw_listing(
    http: httpx.AsyncClient,
    page_size: int,
    after_page: Callable[[], None] = nothing,
    pages: int | None = None,
) -> int:
    """Every page (or the first ``pages``) with raw httpx and json.loads, each status read."""
    count, page = 0, 1
    while True:
        response = await http.get(SEND_PATH, params={"page": page, "size": page_size})
        if response.status_code != 200:
            raise RuntimeError(f"unexpected {response.status_code}")
        data = json.loads(response.content)
        for entry in data["entries"]:
            if entry["status"] is not None:
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


async def long_listing(base_url: str, sizes: Sizes) -> Row:
    """Iterate every message, page by page, parsed (ziett) or as dicts (httpx + json)."""
    async with (
        ziett.AsyncZiett(api_key=API_KEY, base_url=base_url, rate_limits={}) as client,
        httpx.AsyncClient(
            base_url=base_url, headers=RAW_HEADERS, limits=LIMITS, timeout=TIMEOUT
        ) as raw,
    ):
        size, total = sizes.page_size, sizes.list_total
        batches = {
            "ziett": timed_listing(lambda: ziett_listing(client, size), total),
            "httpx": timed_listing(lambda: raw_listing(raw, size), total),
        }
        # Warm-up: the server builds and caches every page; ziett's code paths.
        await interleave_async(batches, 1, sizes.batch_cap)
        measured = await interleave_async(batches, sizes.list_rounds, sizes.batch_cap)
    return compared(
        f"3. list {total:,} messages, pages of {size}", "s", measured, "≤ 1.30x", at_most(1.30)
    )


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
    return [asyncio.run(long_listing(bench.base_url, bench.sizes)), listing_memory(bench)]


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
# httpx[cli] extra) are installed, as this project's dev group happens to install
# them; ``pip install ziett`` does not. The "clean" probe hides them (an import of
# a module set to None in sys.modules fails at once), as in a user's environment.
CLI_EXTRAS = ("click", "rich", "pygments")
IMPORT_PROBE = (
    "import sys, time; {hide}start = time.perf_counter(); import {module}; "
    "print(time.perf_counter() - start)"
)


@dataclass(frozen=True)
class ImportCase:
    """One import to time: a module, with or without httpx's CLI extras importable."""

    module: str
    clean: bool

    def run(self) -> tuple[float, float]:
        """(time of the import statement, time of the whole process) in ms.

        Bytecode may be cached (PYTHONDONTWRITEBYTECODE dropped), as after a pip
        install: the figure is the import, not the compilation of the sources.
        """
        hide = f"sys.modules.update(dict.fromkeys({CLI_EXTRAS!r})); " if self.clean else ""
        code = IMPORT_PROBE.format(hide=hide, module=self.module)
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        start = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
        )
        process_ms = (time.perf_counter() - start) * 1e3
        if result.returncode != 0:
            raise RuntimeError(f"import {self.module} failed: {result.stderr.strip()}")
        return float(result.stdout) * 1e3, process_ms


def import_times(sizes: Sizes, with_peer: bool) -> list[Row]:
    """``import ziett`` against ``import httpx`` (and ``import openai``), cold processes."""
    modules = ["ziett", "httpx"] + (["openai"] if with_peer else [])
    cases = [ImportCase(module, clean=True) for module in modules]
    cases += [ImportCase(module, clean=False) for module in ("ziett", "httpx")]
    failures: dict[ImportCase, list[str]] = {case: [] for case in cases}
    for case in cases:  # bytecode caches written, files in the OS page cache
        try:
            case.run()
        except Exception as error:
            print(f"    warm-up of import {case.module} failed: {describe(error)}", flush=True)
    inside: dict[ImportCase, list[float | None]] = {case: [] for case in cases}
    process: dict[ImportCase, list[float | None]] = {case: [] for case in cases}
    for round_number in range(sizes.imports):
        for case in rotated(cases, round_number):
            try:
                import_ms, process_ms = case.run()
            except Exception as error:  # a failed import is a finding, not a crash
                failures[case].append(describe(error))
                inside[case].append(None)
                process[case].append(None)
                continue
            inside[case].append(import_ms)
            process[case].append(process_ms)

    def measured(clean: bool, figures: dict[ImportCase, list[float | None]]) -> Measured:
        chosen = [case for case in cases if case.clean == clean]
        return Measured(
            {case.module: figures[case] for case in chosen},
            {case.module: failures[case] for case in chosen},
        )

    clean_row = compared(
        "4. import, as after `pip install ziett`",
        "ms",
        measured(True, inside),
        "≤ 1.50x",
        at_most(1.50),
    )
    whole = measured(True, process).samples
    clean_row.note = "; ".join(
        filter(
            None,
            [
                "time of the import statement; whole `python -c 'import …'` process: "
                + ", ".join(
                    f"{name} {figure(median(values), 'ms')}" for name, values in whole.items()
                ),
                clean_row.note,
            ],
        )
    )
    # Context: the dev group installs click and rich, and httpx imports them.
    venv_row = compared(
        "4. import in this venv (httpx also loads its CLI)",
        "ms",
        measured(False, inside),
        "",
        at_most(math.inf),
    )
    return [clean_row, venv_row]


@scenario("import", label="4. import", needs_server=False)
def imports(bench: Bench) -> list[Row]:
    sizes = bench.sizes
    return import_times(sizes, with_peer=bench.openai is not None and sizes.import_peer)


# -- 5. pacing ---------------------------------------------------------------------------


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


def achieved_fraction(accepted: list[float], limit: int, window: float) -> float | None:
    """How close the sends came to the allowed rate: the ideal span over the actual one.

    Under at most ``limit`` sends per ``window`` seconds, ``n`` sends need at least
    ``(ceil(n / limit) - 1) * window`` seconds from the first to the last (the first
    ``limit`` go at once, each later ``limit`` waits a window). With ``n`` a multiple
    of ``limit`` this is ``(n - limit) / (last - first)`` relative to ``limit / window``:
    the rate of the sends after the first window's burst, as a fraction of the limit.
    Times are the server's, when it accepted each send.
    """
    if len(accepted) <= limit or accepted[-1] <= accepted[0]:
        return None
    ideal = (math.ceil(len(accepted) / limit) - 1) * window
    return ideal / (accepted[-1] - accepted[0])


# -- 7. a fleet of processes on one key (bench/fleet.py) ----------------------------------


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
their CPU in httpcore's pool, which re-plans every connection on each request added
or finished, in O(connections²) plus O(queued requests x connections), probing every
idle socket each time (encode/httpcore#1035); ziett's in-flight gate (an anyio
semaphore, `max_concurrent_requests`) keeps its queue out of the pool, but the
O(connections²) part and the probes stayed, and they were the gap to openai's client
(httpx2's pool does the same pass linearly). The httpx clients ziett opens for
itself therefore use httpcore's pool with that one method replaced by a linear pass
(`ziett/_http.py`); on the same machine that took a gathered send from about 1,400
to about 500 µs of client CPU. A user's own `http_client=` is used as given (stock
httpcore pool).

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


def environment(bench: Bench, smoke: bool) -> dict[str, Any]:
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
        "ziett": ziett.__version__,
        "httpx": httpx.__version__,
        "openai": getattr(bench.openai, "__version__", None),
        "pool_limits": {
            "max_connections": LIMITS.max_connections,
            "max_keepalive_connections": LIMITS.max_keepalive_connections,
            "keepalive_expiry": LIMITS.keepalive_expiry,
        },
        "smoke": smoke,
        "sizes": asdict(bench.sizes),
    }


# -- the report --------------------------------------------------------------------------


def figure(value: float | None, unit: str = "") -> str:
    if value is None:
        return "—"
    if unit in ("sends/s", "count", "MB"):
        text = f"{value:,.0f}" if unit != "MB" else f"{value:.1f}"
    else:
        text = f"{value:,.1f}" if value >= 10 else f"{value:.3g}"
    return f"{text} {unit}".strip() if unit and unit != "count" else text


def ratio_text(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}x"


def has_target(row: Row) -> bool:
    return row.target not in ("", "—")


def verdict(row: Row) -> str:
    if not has_target(row):
        return "—"
    return {True: "met", False: "**missed**", None: "no comparison"}[row.met]


def table(rows: list[Row]) -> str:
    lines = [
        "| scenario | ziett | raw httpx | ratio | openai | openai ratio | ziett / openai "
        "| target | |",
        "|---|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for row in rows:
        cells = [
            row.scenario,
            figure(row.ziett, row.unit),
            figure(row.httpx, row.unit),
            ratio_text(row.ratio),
            figure(row.peer, row.unit),
            ratio_text(row.peer_ratio),
            ratio_text(row.vs_peer),
            row.target or "—",
            verdict(row),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


DEFINITIONS = """\
## How to read it

- **Medians.** Every figure is the median over rounds; within a round ziett, raw httpx
  and openai each run one batch, in an order rotated every round. A **ratio** is the
  median of the per-round ratios `ziett / httpx` (`openai / httpx` for openai's, and
  `ziett / openai` in its own column), so it compares batches run moments apart in
  the same run. For times, lower is better; for the concurrent sends (a throughput),
  higher is better.
- **Failures are findings.** A batch that raises, or does not finish within its cap,
  is a failed round: it is left out of the medians and ratios, and the notes say what
  happened. A ratio with no usable round (its base failed every time, or answered
  nothing before a cap) is "—", and a target that needs it reads "no comparison".
- **Server.** `bench/server.py`, a raw `asyncio.Protocol` HTTP/1.1 server with keep-alive
  and precomputed response bytes, in its own process on 127.0.0.1.
- **Clients.** ziett opens its own httpx client (`ziett/_http.py`): httpx's default
  transport, whose httpcore pool has a linear `_assign_requests_to_connections`. Raw
  httpx is stock `httpx.AsyncClient`/`httpx.Client`; openai is its own client on
  httpx2. All three get the same pool limits (given above) and ziett's default timeout.
- **1. Per-call.** Sequential `messages.retrieve(id)` (parsed into the generated
  `Message`) against `httpx` GET + status check + `json.loads`, and openai's generic
  `client.get(path, cast_to=object)`; one warm keep-alive connection each.
- **2. Concurrent sends.** `asyncio.gather` of all the sends on one client, pacing off
  (`rate_limits={}`); raw httpx POSTs the same JSON body and reads the answer. Each
  batch runs in a fresh process on a fresh client (after 20 warm-up sends), so every
  contender starts from the same state; a batch still running at the cap is stopped
  and credited with the sends the server answered by then (zero is a finding). **2b**
  is the state a long-lived client is in after any burst: a fresh client whose pool
  an untimed gather has already filled with idle keep-alive connections, then a
  timed gather five times the pool's size. The target of both: at least openai's
  throughput, as the median of the per-round `ziett / openai`.
- **3. Long listing.** `async for` over `messages.list(page_size=200)`, every message
  a typed `Message` whose `status` is read (a `MessageStatus`), against raw httpx GETs +
  `json.loads` reading each entry's `"status"`, over the same pages of full messages
  (every field of the spec's `Message`). The generated models parse a field on its
  first access (`templates/model.py.jinja`, change 3), so the row costs what a caller
  that reads one field pays; reading every field costs about 1.5 µs a message more.
  **Memory** (the target figure) is the growth of the resident set size, read from
  `/proc/self/statm` after every page of one whole iteration, over its value before, in
  a fresh process warmed
  up with a one-message page. The tracemalloc peak over a few more pages is given in
  the notes (Python allocations, including the page being parsed).
- **4. Import.** Cold interpreters, one per figure, bytecode caches warm: the time of
  the `import` statement, measured inside the process. The target row hides httpx's
  optional command line (click, rich, pygments, which this project's dev group installs
  and `pip install ziett` does not), as in a user's environment; the second row, for
  context, is this venv as it is. The whole `python -c 'import …'` processes are in
  the notes.
- **5. Pacing.** All sends `gather`ed at once on a client configured with the server's
  limit (`rate_limits={"POST /c/v1/messages": ziett.RateLimit(L, W)}`); the server
  enforces a sliding window of L accepted sends per W seconds per `X-API-KEY` and
  answers 429 beyond it. **Achieved rate** = the least time N sends can take under the
  limit, (ceil(N / L) - 1) · W, over the time they took from the first to the last
  accepted send (server clock). With N a multiple of L (600 and 120 here) this is exactly
  (sends after the first window's burst of L) / (that time), relative to L / W. A pacer
  that wastes nothing scores 100 %; ziett keeps a 2 % margin of the window for transit
  jitter, so about 98 % is its ceiling.
- **7. Fleet.** Four processes (`bench/fleet.py`) send on one paced key at once,
  against the server's window: with the shared budget (`rate_limit_store=` a real
  `redis-server`; without one the row says so), with today's default (a whole budget
  per process: the 429 answers it provokes), and with the budget split by hand (1/N
  each: the rate it achieves).
- **8. Bulk sends.** One `campaigns.send_bulk` (`bench/bulk.py`, `journal=None`) to N
  distinct numbers against a sandbox process whose batch route allows L requests per
  W seconds, the client's `rate_limits` set to match; rate as in 5, over the campaigns'
  `created_at` (server clock). Duplicates: every message the sandbox holds, each number
  exactly once. The chunks go one after the other, so a window's L batches cannot leave
  at once: L = 2 keeps that cost (about one batch time per window) small.
- **Adding a scenario**: see the docstring of `bench/run.py` (one function, registered
  with `@scenario`, its sizes in `Sizes`).
"""


def markdown(rows: list[Row], env: Mapping[str, Any], sections: list[str]) -> str:
    notes = [f"- {row.scenario}: {row.note}" for row in rows if row.note]
    met = [row for row in rows if has_target(row)]
    summary = f"{sum(row.met is True for row in met)} of {len(met)} targets met."
    load = env.get("load_average")
    load_text = f" Load average at the end: {', '.join(f'{v:.2f}' for v in load)}." if load else ""
    header = (
        f"# Benchmarks\n\nGenerated by `make bench` (`python -m bench.run`) on {env['date']}: "
        f"Python {env['python']} ({env['implementation']}), {env['cpu_count']} CPUs, "
        f"{env['platform']}; ziett {env['ziett']}, httpx {env['httpx']}, "
        f"openai {env['openai'] or 'not installed'}. Every client's pool: "
        f"{', '.join(f'{k}={v}' for k, v in env['pool_limits'].items())} "
        f"(ziett's own).{load_text}\n\n{summary}\n"
    )
    return "\n".join([header, table(rows), "", "Notes:", "", *notes, "", *sections, DEFINITIONS])


def write_results(rows: list[Row], env: Mapping[str, Any], bench: Bench, out: Path) -> None:
    """RESULTS.md and results.json in ``out`` (each replaced whole, never half-written)."""
    out.mkdir(parents=True, exist_ok=True)
    report = {"environment": env, "rows": [asdict(row) for row in rows], **bench.details}
    documents = {
        "RESULTS.md": markdown(rows, env, bench.sections),
        "results.json": json.dumps(report, indent=2) + "\n",
    }
    for name, text in documents.items():
        temporary = out / f"{name}.tmp"
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(out / name)


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
