"""The client-side pacer: never more than N starts in any window, shared, cancellable."""

from __future__ import annotations

import threading
import time
from typing import Any

import anyio
import httpx
import pytest
import sniffio
from hypothesis import given
from hypothesis import strategies as st

import ziett
from ziett._throttle import RateLimit
from ziett._throttle.local import WINDOW_MARGIN, SlidingWindowLimiter, shared_limiter

from .conftest import REMITTER_V7


def max_in_any_window(starts: list[float], window: float) -> int:
    starts = sorted(starts)
    best, low = 0, 0
    for high, start in enumerate(starts):
        while starts[low] <= start - window:
            low += 1
        best = max(best, high - low + 1)
    return best


def test_bookings_never_exceed_the_limit_in_any_window() -> None:
    limiter = SlidingWindowLimiter(RateLimit(20, 2.0))
    starts = [limiter.reserve().at for _ in range(300)]
    assert max_in_any_window(starts, 2.0) == 20
    # Close to the allowed rate: 300 starts in about 14 windows (plus the 2 % margin).
    assert starts[-1] - starts[0] == pytest.approx(14 * 2.0 * 1.02, rel=0.01)


def test_bookings_from_many_threads_respect_the_limit() -> None:
    limiter = SlidingWindowLimiter(RateLimit(10, 1.0))
    starts: list[float] = []
    lock = threading.Lock()

    def book() -> None:
        for _ in range(25):
            start = limiter.reserve().at
            with lock:
                starts.append(start)

    threads = [threading.Thread(target=book) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(starts) == 200
    assert max_in_any_window(starts, 1.0) == 10


def test_a_released_booking_frees_its_slot() -> None:
    limiter = SlidingWindowLimiter(RateLimit(2, 10.0))
    first, second = limiter.reserve(), limiter.reserve()
    waiting = limiter.reserve()  # a window later
    assert waiting.at >= first.at + 10.0
    booked = waiting.at
    limiter.release(waiting)  # its task was cancelled
    again = limiter.reserve()  # the slot was given back, not lost
    assert again.at == pytest.approx(booked, abs=0.05)
    after = limiter.reserve()
    assert after.at >= second.at + 10.0
    assert max_in_any_window([first.at, second.at, again.at, after.at], 10.0) == 2


def test_a_late_answer_pushes_the_next_window_back() -> None:
    """The server counts arrivals: a request answered late may have arrived late."""
    now = [100.0]
    limiter = SlidingWindowLimiter(RateLimit(1, 0.2), clock=lambda: now[0])
    first = limiter.reserve()
    second = limiter.reserve()
    booked = second.at
    now[0] += 0.05
    limiter.finish(first)  # answered 50 ms after its start
    assert first.at == 100.05  # counted from its answer: no sign of when it was written
    assert second.at == booked  # bookings move only when their waiter checks again
    assert limiter.confirm(second) == pytest.approx(booked + 0.05 - now[0])
    assert second.at == pytest.approx(booked + 0.05)
    assert second.at >= first.at + 0.2


def test_clients_with_one_key_share_one_budget() -> None:
    limit = RateLimit(5, 60.0)
    a = shared_limiter("key-a", "http://x", "POST /c/v1/messages", limit)
    assert a is shared_limiter("key-a", "http://x", "POST /c/v1/messages", limit)
    assert a is not shared_limiter("key-b", "http://x", "POST /c/v1/messages", limit)
    sync = ziett.Ziett(
        api_key="key-shared-000000", base_url="http://x", rate_limits={"POST /c/v1/messages": limit}
    )
    asyn = ziett.AsyncZiett(
        api_key="key-shared-000000", base_url="http://x", rate_limits={"POST /c/v1/messages": limit}
    )
    assert sync._throttle_for("POST /c/v1/messages") is asyn._throttle_for("POST /c/v1/messages")
    assert sync._throttle_for("GET /c/v1/messages") is None  # reads are not paced by default


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_cancelling_a_paced_send_gives_its_slot_back(backend: str) -> None:
    anyio.run(cancel_a_paced_send, backend, backend=backend)


async def cancel_a_paced_send(backend: str) -> None:
    assert sniffio.current_async_library() == backend
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(202, json={"message_id": "m"})

    limit = RateLimit(1, 30.0)
    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    client = ziett.AsyncZiett(
        api_key=f"key-cancel-{backend}-0000",
        base_url="http://pace.test",
        http_client=http,
        rate_limits={"POST /c/v1/messages": limit},
    )
    arguments: dict[str, Any] = {
        "remitter_id": REMITTER_V7,
        "target_e164": "+244990090990",
        "content": "x",
    }
    before = time.monotonic()
    await client.messages.send(**arguments)
    limiter = client._throttle_for("POST /c/v1/messages")
    assert limiter is not None
    with anyio.move_on_after(0.2) as scope:
        await client.messages.send(**arguments)  # waits ~30 s for a slot: cancelled
    assert scope.cancelled_caught
    assert len(sent) == 1
    # The cancelled booking was released: the next send waits one window, not two.
    next_booking = limiter.reserve()
    assert before + 30.0 < next_booking.at < before + 2 * 30.0
    limiter.release(next_booking)
    await http.aclose()


# --- the in-flight gate and pacing together ---------------------------------------------------

SEND = {"remitter_id": REMITTER_V7, "target_e164": "+244990090990", "content": "hi"}


def gated_client(handler: Any, **settings: Any) -> ziett.AsyncZiett:
    return ziett.AsyncZiett(
        api_key=f"key-gate-{id(handler)}",
        base_url="http://gate.test",
        max_concurrent_requests=1,
        http_client=httpx.AsyncClient(transport=httpx.MockTransport(handler)),
        **settings,
    )


def test_requests_queued_behind_a_slow_one_are_still_paced() -> None:
    arrivals: list[float] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        arrivals.append(time.monotonic())
        if len(arrivals) == 1:
            await anyio.sleep(0.5)  # holds the only in-flight slot while the others queue
        return httpx.Response(202, json={"message_id": "m"})

    async def main() -> None:
        client = gated_client(handler, rate_limits={"POST /c/v1/messages": RateLimit(3, 0.2)})
        async with anyio.create_task_group() as group:
            for _ in range(7):
                group.start_soon(lambda: client.messages.send(**SEND))
                await anyio.sleep(0.01)

    anyio.run(main)
    assert len(arrivals) == 7
    assert max_in_any_window(arrivals, 0.2) <= 3


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_a_send_cancelled_while_queued_for_a_connection_gives_its_slot_back(backend: str) -> None:
    sent: list[str] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request.url.path)
        if len(sent) == 1:
            await anyio.sleep(1.0)
        return httpx.Response(202, json={"message_id": "m"})

    async def main() -> None:
        client = gated_client(handler, rate_limits={"POST /c/v1/messages": RateLimit(2, 60)})
        async with anyio.create_task_group() as group:
            group.start_soon(lambda: client.messages.send(**SEND))  # holds the slot 1 s
            await anyio.sleep(0.1)
            with anyio.move_on_after(0.3):  # paced slot free, queued on the gate, cancelled
                await client.messages.send(**SEND)
        await client.messages.send(**SEND, deadline=5)  # 2 per minute: one slot is left

    anyio.run(main, backend=backend)
    assert len(sent) == 2


@pytest.mark.parametrize("flavour_name", ["sync", "async"])
def test_a_deadline_bounds_the_wait_for_a_free_connection(flavour_name: str) -> None:
    """The only connection is held until the test lets go: the deadline must end the wait.

    Without the deadline the fast call would wait for the release (a safety timer lets go
    after 10 s, and the call would then get a 404 instead of the timeout).
    """
    release = threading.Event()

    def slow(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/slow"):
            release.wait(10)
        return httpx.Response(404)

    def sync_case() -> None:
        client = ziett.Ziett(
            api_key="key-deadline-0000",
            base_url="http://gate.test",
            max_concurrent_requests=1,
            http_client=httpx.Client(transport=httpx.MockTransport(slow)),
        )

        def hold_the_only_connection() -> None:
            with pytest.raises(ziett.NotFoundError):
                client.messages.retrieve("slow")

        blocker = threading.Thread(target=hold_the_only_connection)
        blocker.start()
        time.sleep(0.1)
        with pytest.raises(ziett.APITimeoutError, match="free connection"):
            client.messages.retrieve("fast", deadline=0.3)
        assert blocker.is_alive()  # the wait ended while the connection was still held
        release.set()
        blocker.join()

    async def async_case() -> None:
        released = anyio.Event()

        async def aslow(request: httpx.Request) -> httpx.Response:
            if request.url.path.endswith("/slow"):
                with anyio.move_on_after(10):
                    await released.wait()
            return httpx.Response(404)

        client = gated_client(aslow)

        async def hold_the_only_connection() -> None:
            with pytest.raises(ziett.NotFoundError):
                await client.messages.retrieve("slow", max_retries=0)

        async with anyio.create_task_group() as group:
            group.start_soon(hold_the_only_connection)
            await anyio.sleep(0.1)
            with pytest.raises(ziett.APITimeoutError, match="free connection"):
                await client.messages.retrieve("fast", deadline=0.3)
            assert not released.is_set()  # the wait ended while the connection was held
            released.set()

    if flavour_name == "sync":
        sync_case()
    else:
        anyio.run(async_case)


@given(
    steps=st.lists(
        st.tuples(st.sampled_from(["reserve", "release", "finish", "tick"]), st.floats(0, 0.5)),
        max_size=120,
    ),
    requests=st.integers(1, 5),
)
def test_no_window_holds_more_than_the_limit_whatever_is_released(
    steps: list[tuple[str, float]], requests: int
) -> None:
    """Reserve, release, finish and time passing in any order: the bookings in use never crowd."""
    now = [0.0]
    limiter = SlidingWindowLimiter(RateLimit(requests, 1.0), clock=lambda: now[0])
    live: list[Any] = []
    for action, amount in steps:
        if action == "reserve":
            live.append(limiter.reserve())
        elif action == "release" and live:
            limiter.release(live.pop(int(amount * 10) % len(live)))
        elif action == "finish" and live:
            limiter.finish(live[int(amount * 10) % len(live)])
        else:
            now[0] += amount
    starts = sorted(limiter.confirm(b) + now[0] for b in live)
    for start in starts:
        assert sum(1 for s in starts if start <= s < start + 1.0) <= requests


def test_a_request_still_in_flight_past_its_window_still_counts_when_it_finishes() -> None:
    """Answered late, with no write time: it counts from its answer, and the next waits."""
    now = [0.0]
    limiter = SlidingWindowLimiter(RateLimit(1, 1.0), clock=lambda: now[0])
    slow = limiter.reserve()
    now[0] = 1.5  # a window later, still no answer
    following = limiter.reserve()
    assert limiter.confirm(following) <= 0  # the window since its start has passed
    limiter.finish(slow)  # answered now: the server may have counted it just now
    assert limiter.confirm(following) == pytest.approx(1.0 * (1 + WINDOW_MARGIN))
    limiter.finish(slow)  # finishing twice changes nothing
    limiter.release(slow)  # nor does releasing what was used
    assert limiter.confirm(following) == pytest.approx(1.0 * (1 + WINDOW_MARGIN))
