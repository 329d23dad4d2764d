"""The harness every scenario uses: sizes, rows, the registry, the server, rounds and ratios.

A scenario module registers its functions with :func:`scenario`; ``bench.run`` imports
the scenario modules and runs what is registered (see its docstring).
"""

from __future__ import annotations

import asyncio
import gc
import importlib
import math
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx

from bench.server import MESSAGE_ID

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


# FULL and SMOKE spell out every size, so that each run's scale reads in one place.
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
    """Register a scenario (run in registration order; rows sorted by their number).

    Adding one (a plug-in row): in a module of its own, write one function taking a
    :class:`Bench` (``bench.base_url`` of the server, ``bench.sizes``,
    ``bench.contenders``, ``bench.openai``) and returning :class:`Row` s, decorate it
    with ``@scenario("name", label="9. what it measures")``, add its sizes to ``Sizes``
    (both ``FULL`` and ``SMOKE``) and the module's name to ``bench.run.SCENARIO_MODULES``.
    Label its rows ``"9. ..."``: the table is ordered by that number. Use ``interleave``
    (or ``interleave_async``) for rounds and ``compared`` for a row against raw httpx; a
    row without a raw-httpx figure is a plain ``Row``. Heavy or crash-prone work belongs
    in a child process (see ``bench.calls.sends_batch``), so a cap can stop it. The
    smoke test checks that every registered scenario yields rows.

    Args:
        name: The scenario's name, as ``--only`` takes it.
        label: Its heading, ``"N. what it measures"``.
        needs_server: Whether it runs against the bench server.
    """

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


def has_target(row: Row) -> bool:
    """Whether the row has a goal to meet (a target other than "—")."""
    return row.target not in ("", "—")


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
