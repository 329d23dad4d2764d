"""The shared pacing budget in Redis, against a real ``redis-server`` (tests/redis_server.py).

Pacing decisions are checked exactly, on the booked start times the Lua script
writes (scores in the Redis server's microseconds) and the number of script calls
the server counted, never by measuring rates. Also: budgets shared across
factories, clients and processes; released slots taken again; the API key kept out
of Redis; the fallback to in-process pacing with one warning, and the return to
Redis; event loops never blocked; clear errors for wrong URLs and a missing extra.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
import warnings
from collections.abc import Iterator
from typing import Any

import anyio
import pytest
import redis
import redis.commands.core
import redis.exceptions

import ziett
from ziett._throttle import RateLimit, Reservation
from ziett._throttle.redis import (
    RateLimitStoreWarning,
    RedisThrottle,
    RedisThrottleFactory,
    key_name,
)
from ziett.sandbox import Sandbox, serve_in_thread

from .redis_server import RedisServer, free_port, redis_server_path

ROUTE = "POST /c/v1/messages"
BASE_URL = "https://api.ziett.co"
MARGIN = 1.02  # the window's margin, as in ziett._throttle.local

pytestmark = pytest.mark.skipif(
    redis_server_path() is None, reason="redis-server is not installed (make test installs it)"
)


@pytest.fixture(scope="module")
def server() -> Iterator[RedisServer]:
    with RedisServer() as running:
        yield running


@pytest.fixture
def store(server: RedisServer) -> Iterator[redis.Redis]:
    """A plain client of the test server, emptied before each test, to look inside."""
    client = redis.Redis.from_url(server.url, decode_responses=True)
    client.flushall()
    yield client
    client.close()


def window_us(per_seconds: float) -> int:
    return round(per_seconds * MARGIN * 1e6)


def scores(store: redis.Redis, throttle: RedisThrottle) -> list[int]:
    """The booked starts of a throttle's key, in order (server microseconds)."""
    booked: Any = store.zrange(throttle.key, 0, -1, withscores=True)
    return [int(score) for _, score in booked]


def script_calls(store: redis.Redis) -> int:
    """How many times the server ran a script since the last CONFIG RESETSTAT."""
    stats: dict[str, Any] = store.info("commandstats")
    return sum(
        int(stats.get(f"cmdstat_{name}", {}).get("calls", 0)) for name in ("evalsha", "eval")
    )


def throttle(url: str, limit: RateLimit, api_key: str = "zk_test_budget", **options: Any) -> Any:
    return RedisThrottleFactory(url, **options)(api_key, BASE_URL, ROUTE, limit)


def dead_url() -> str:
    return f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there


# --- the budget, exactly --------------------------------------------------------------------


def test_each_booking_starts_a_window_after_the_nth_before_it(
    server: RedisServer, store: redis.Redis
) -> None:
    paced = throttle(server.url, RateLimit(3, 10.0))
    reservations = [paced.reserve() for _ in range(8)]
    booked = scores(store, paced)
    assert len(booked) == 8
    assert booked == sorted(booked)
    for n in range(3, 8):  # the server's own clock, to the microsecond
        assert booked[n] == booked[n - 3] + window_us(10.0)
    # The first three may go now, the others wait whole windows (on this process's clock).
    now = time.monotonic()
    assert all(r.at <= now for r in reservations[:3])
    assert all(r.at > now + 10.0 for r in reservations[3:6])
    assert all(r.at > now + 20.0 for r in reservations[6:])


def test_the_budget_is_shared_by_factories_and_by_other_processes(
    server: RedisServer, store: redis.Redis
) -> None:
    limit = RateLimit(4, 60.0)
    other_process = (
        "import sys; from ziett._throttle import RateLimit; "
        "from ziett._throttle.redis import RedisThrottleFactory as F; "
        f"t = F(sys.argv[1])('zk_test_budget', {BASE_URL!r}, {ROUTE!r}, RateLimit(4, 60.0)); "
        "[t.reserve() for _ in range(3)]"
    )
    subprocess.run([sys.executable, "-c", other_process, server.url], check=True, timeout=60)
    # Two spellings of the URL: two stores in this process, one budget in Redis.
    first = throttle(server.url, limit)
    second = throttle(server.url.removesuffix("/0"), limit)
    assert first.key == second.key
    now = time.monotonic()
    fourth = first.reserve()
    fifth = second.reserve()
    assert fourth.at <= time.monotonic()  # the fourth of the window may go
    assert fifth.at > now + 60.0  # the fifth waits for the window of the first
    booked = scores(store, first)
    assert booked[4] == booked[0] + window_us(60.0)


def test_a_released_slot_is_taken_by_the_next_reservation(
    server: RedisServer, store: redis.Redis
) -> None:
    paced = throttle(server.url, RateLimit(2, 30.0))
    _, second, third = (paced.reserve() for _ in range(3))
    start = scores(store, paced)[0]
    assert scores(store, paced)[2] == start + window_us(30.0)
    paced.release(third)  # cancelled while waiting: its slot is free again
    assert store.zcard(paced.key) == 2
    fourth = paced.reserve()
    assert scores(store, paced)[2] == start + window_us(30.0)  # the same slot
    paced.release(second)  # one of the first window: a second slot at the same time
    paced.reserve()
    assert scores(store, paced) == [start, start + window_us(30.0), start + window_us(30.0)]
    assert fourth.at > time.monotonic()


def test_a_quick_send_without_a_wait_costs_one_round_trip(
    server: RedisServer, store: redis.Redis
) -> None:
    paced = throttle(server.url, RateLimit(5, 60.0))
    paced.release(paced.reserve())  # the script is loaded, the connection open
    store.config_resetstat()
    reservation = paced.reserve()
    left = reservation.at  # the 'leaves now' stamp of 'reserve'
    assert paced.confirm(reservation) <= 0  # before the sleep of the plan
    assert paced.confirm(reservation) <= 0  # after queueing for a connection
    reservation.dispatched = True
    reservation.mark_written()
    before = time.monotonic()
    paced.finish(reservation)  # its answer came at once: the stamp of 'reserve' holds
    after = time.monotonic()
    # The decision, not a duration: fresh (within 0.25 s of the stamp) costs nothing more;
    # on a machine stalled past that, finish stamps it again.
    if after - left <= 0.25:
        assert script_calls(store) == 1
    elif before - left > 0.25:
        assert script_calls(store) == 2
    else:  # stalled during finish itself: either decision was right
        assert script_calls(store) in (1, 2)


def test_a_due_booking_is_checked_once_more_before_it_leaves(
    server: RedisServer, store: redis.Redis
) -> None:
    paced = throttle(server.url, RateLimit(1, 0.2))
    paced.reserve()
    waiting = paced.reserve()
    assert waiting.at > time.monotonic()
    first, booked = scores(store, paced)
    assert booked == first + window_us(0.2)
    store.config_resetstat()
    while (delay := paced.confirm(waiting)) > 0:
        time.sleep(delay)
    assert script_calls(store) == 1  # the 'go' check, which stamped it as leaving now
    (stamped,) = scores(store, paced)  # the first one's window is over: it is gone
    assert stamped >= booked


def test_the_window_in_redis_has_the_last_word_on_leaving(
    server: RedisServer, store: redis.Redis
) -> None:
    paced = throttle(server.url, RateLimit(1, 60.0))
    paced.reserve()
    waiting = paced.reserve()
    waiting.at = time.monotonic()  # as if this process's clock said it is due already
    delay = paced.confirm(waiting)
    assert delay > 55.0  # the 'go' check: the first one's window is far from over
    first, moved = scores(store, paced)
    assert moved == first + window_us(60.0)
    assert waiting.at > time.monotonic() + 55.0


def test_a_slow_request_is_counted_from_when_its_answer_came(
    server: RedisServer, store: redis.Redis
) -> None:
    paced = throttle(server.url, RateLimit(5, 60.0))
    reservation = paced.reserve()
    (booked,) = scores(store, paced)
    reservation.dispatched = True
    reservation.mark_written()
    time.sleep(0.3)  # the server takes its time: it may count the request any time until now
    paced.finish(reservation)
    (moved,) = scores(store, paced)
    assert moved - booked >= 300_000  # microseconds, on the server's clock


# --- keys ----------------------------------------------------------------------------------


def test_the_api_key_never_reaches_redis(server: RedisServer, store: redis.Redis) -> None:
    with serve_in_thread(Sandbox(rate_limits={})) as running:
        api_key = running.sandbox.api_key
        with ziett.Ziett(
            api_key=api_key,
            base_url=running.base_url,
            rate_limits={ROUTE: RateLimit(10, 60.0)},
            rate_limit_store=server.url,
        ) as client:
            client.messages.send(
                remitter_id=running.sandbox.remitter_id,
                target_e164="+244990090990",
                content="Code 482910",
            )
    keys = list(store.scan_iter("*"))
    assert keys == [key_name(api_key, running.base_url, ROUTE)]
    assert keys[0].startswith("ziett:ratelimit:")
    stored = " ".join(keys + store.zrange(keys[0], 0, -1))
    secret = api_key.split("_")[-1]
    assert api_key not in stored and secret not in stored
    assert store.ttl(keys[0]) > 0  # it goes away by itself


# --- through the clients, over HTTP ---------------------------------------------------------


@pytest.fixture(scope="module")
def sandbox_server() -> Iterator[Any]:
    with serve_in_thread(Sandbox(rate_limits={})) as running:
        yield running


def send(running: Any, i: int) -> dict[str, Any]:
    return {
        "remitter_id": running.sandbox.remitter_id,
        "target_e164": f"+24499{i:07d}",
        "content": "Code 482910",
    }


def test_a_sync_client_paces_through_redis_and_gives_back_a_timed_out_slot(
    server: RedisServer, store: redis.Redis, sandbox_server: Any
) -> None:
    limit = RateLimit(2, 60.0)
    api_key = sandbox_server.sandbox.api_key
    with ziett.Ziett(
        api_key=api_key,
        base_url=sandbox_server.base_url,
        rate_limits={ROUTE: limit},
        rate_limit_store=server.url,
    ) as client:
        client.messages.send(**send(sandbox_server, 1))
        client.messages.send(**send(sandbox_server, 2))
        key = key_name(api_key, sandbox_server.base_url, ROUTE)
        assert store.zcard(key) == 2
        with pytest.raises(ziett.APITimeoutError, match="rate limit"):
            client.messages.send(**send(sandbox_server, 3), deadline=0.5)
        assert store.zcard(key) == 2  # the third booking was released


async def test_a_cancelled_async_send_gives_its_slot_back(
    server: RedisServer, store: redis.Redis, sandbox_server: Any
) -> None:
    api_key = sandbox_server.sandbox.api_key
    key = key_name(api_key, sandbox_server.base_url, ROUTE)
    async with ziett.AsyncZiett(
        api_key=api_key,
        base_url=sandbox_server.base_url,
        rate_limits={ROUTE: RateLimit(1, 60.0)},
        rate_limit_store=server.url,
    ) as client:
        await client.messages.send(**send(sandbox_server, 1))
        waiting = asyncio.ensure_future(client.messages.send(**send(sandbox_server, 2)))
        for _ in range(6000):  # until it is booked a window later, and waits
            if store.zcard(key) == 2:
                break
            await asyncio.sleep(0.01)
        waiting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiting
        assert store.zcard(key) == 1  # released (shielded) before the cancellation ended
        assert len(sandbox_server.sandbox.messages) >= 1


def test_an_async_client_serves_several_event_loops_and_trio(
    server: RedisServer, store: redis.Redis
) -> None:
    factory = RedisThrottleFactory(server.url)
    paced = factory("zk_test_loops", BASE_URL, ROUTE, RateLimit(10, 60.0))

    async def book() -> Reservation:
        return await paced.reserve_async()

    async def book_and_close() -> Reservation:
        reservation = await book()
        await factory.aclose()
        return reservation

    with warnings.catch_warnings():
        warnings.simplefilter("error", RateLimitStoreWarning)
        asyncio.run(book_and_close())
        asyncio.run(book_and_close())  # another loop: its own connections
        anyio.run(book, backend="trio")  # redis.asyncio is asyncio-only: a worker thread
    assert store.zcard(paced.key) == 3


# --- a booking nobody holds: the answer to 'reserve' lost ----------------------------------


def answer_lost(
    monkeypatch: pytest.MonkeyPatch, then: BaseException | None = None
) -> tuple[threading.Event, asyncio.Event]:
    """The next 'reserve' runs in Redis, then its answer is lost: ``then`` is raised
    (blocking form), or the answer hangs (async form). The events say it was booked."""
    booked, booked_async = threading.Event(), asyncio.Event()
    blocking, awaited = (
        redis.commands.core.Script.__call__,
        redis.commands.core.AsyncScript.__call__,
    )

    def lost(self: Any, keys: Any = None, args: Any = None, client: Any = None) -> Any:
        reply = blocking(self, keys=keys, args=args, client=client)
        if args[0] == "reserve" and then is not None and not booked.is_set():
            booked.set()
            raise then
        return reply

    async def hangs(self: Any, keys: Any = None, args: Any = None, client: Any = None) -> Any:
        reply = await awaited(self, keys=keys, args=args, client=client)
        if args[0] == "reserve" and not booked_async.is_set():
            booked_async.set()
            await asyncio.sleep(3600)
        return reply

    monkeypatch.setattr(redis.commands.core.Script, "__call__", lost)
    monkeypatch.setattr(redis.commands.core.AsyncScript, "__call__", hangs)
    return booked, booked_async


def test_an_interrupted_reservation_gives_its_slot_back(
    server: RedisServer, store: redis.Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    paced = throttle(server.url, RateLimit(10, 60.0), api_key="zk_test_interrupted")
    booked, _ = answer_lost(monkeypatch, then=KeyboardInterrupt())
    with pytest.raises(KeyboardInterrupt):
        paced.reserve()  # Ctrl-C after the script ran: the caller never got a Reservation
    assert booked.is_set()
    assert store.zcard(paced.key) == 0  # its member was released before the interrupt went on
    paced.reserve()  # and the store is still in use, with no warning
    assert store.zcard(paced.key) == 1


@pytest.mark.parametrize("how", ["task.cancel", "cancel scope"])
async def test_a_reservation_cancelled_before_its_answer_gives_its_slot_back(
    how: str, server: RedisServer, store: redis.Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    paced = throttle(server.url, RateLimit(10, 60.0), api_key="zk_test_cancelled")
    _, booked = answer_lost(monkeypatch)
    if how == "task.cancel":
        waiting = asyncio.ensure_future(paced.reserve_async())
        await booked.wait()
        assert store.zcard(paced.key) == 1  # booked in Redis, the answer still awaited
        waiting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiting
    else:  # an anyio scope keeps cancelling every await: the release must be shielded
        with anyio.move_on_after(0.3) as scope:
            await paced.reserve_async()
        assert scope.cancelled_caught and booked.is_set()
    assert store.zcard(paced.key) == 0


async def test_a_reservation_whose_answer_timed_out_is_removed_when_the_store_answers(
    server: RedisServer, store: redis.Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    paced = throttle(
        server.url, RateLimit(10, 60.0), api_key="zk_test_timed_out", timeout=0.1, retry_after=0
    )
    _, booked = answer_lost(monkeypatch)
    with pytest.warns(RateLimitStoreWarning, match="TimeoutError"):
        lost = await paced.reserve_async()  # the script ran, its answer came too late
    assert booked.is_set() and type(lost.token).__name__ == "_Local"  # paced locally
    assert store.zcard(paced.key) == 1  # the lost booking, held by nobody
    later = await paced.reserve_async()  # the store answers again: the lost one goes
    assert store.zrange(paced.key, 0, -1) == [later.token.member]


def test_a_blocking_reservation_whose_answer_failed_is_removed_later(
    server: RedisServer, store: redis.Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    paced = throttle(server.url, RateLimit(10, 60.0), api_key="zk_test_failed", retry_after=0)
    answer_lost(monkeypatch, then=redis.exceptions.TimeoutError("Timeout reading from socket"))
    with pytest.warns(RateLimitStoreWarning):
        lost = paced.reserve()
    assert type(lost.token).__name__ == "_Local" and store.zcard(paced.key) == 1
    later = paced.reserve()
    assert store.zrange(paced.key, 0, -1) == [later.token.member]


# --- the shared connections: closing them under busy clients ----------------------------------


def test_closing_the_store_under_busy_threads_is_no_outage(
    server: RedisServer, store: redis.Redis
) -> None:
    paced = throttle(server.url, RateLimit(1_000_000, 60.0), api_key="zk_test_close_sync")
    stop = time.monotonic() + 1.0
    errors: list[BaseException] = []
    tokens: set[str] = set()

    def busy() -> None:
        try:
            while time.monotonic() < stop:
                reservation = paced.reserve()
                tokens.add(type(reservation.token).__name__)
                paced.release(reservation)
        except BaseException as error:
            errors.append(error)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        threads = [threading.Thread(target=busy) for _ in range(6)]
        for thread in threads:
            thread.start()
        closes = 0
        while time.monotonic() < stop:  # short-lived owners closing the shared pool
            RedisThrottleFactory(server.url).close()
            closes += 1
            time.sleep(0.005)
        for thread in threads:
            thread.join()
    assert errors == []
    assert [str(w.message) for w in caught] == []
    assert tokens == {"_Booked"} and closes > 10
    assert store.zcard(paced.key) == 0  # every booking released, in Redis


async def test_closing_the_store_under_busy_tasks_is_no_outage(
    server: RedisServer, store: redis.Redis
) -> None:
    paced = throttle(server.url, RateLimit(1_000_000, 60.0), api_key="zk_test_close_async")
    stop = time.monotonic() + 1.0
    tokens: set[str] = set()

    async def busy() -> None:
        while time.monotonic() < stop:
            reservation = await paced.reserve_async()
            tokens.add(type(reservation.token).__name__)
            await paced.release_async(reservation)

    closes = 0

    async def close() -> None:
        nonlocal closes
        while time.monotonic() < stop:
            await RedisThrottleFactory(server.url).aclose()
            closes += 1
            await asyncio.sleep(0.005)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        await asyncio.gather(close(), *(busy() for _ in range(6)))
    assert [str(w.message) for w in caught] == []
    assert tokens == {"_Booked"} and closes > 10
    assert store.zcard(paced.key) == 0


# --- the store fails: pace locally, warn once, come back ----------------------------------


def test_a_dead_store_means_local_pacing_and_one_warning(store: redis.Redis) -> None:
    paced = throttle(dead_url(), RateLimit(3, 10.0), api_key="zk_test_dead_store")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        reservations = [paced.reserve() for _ in range(20)]
        for reservation in reservations[:3]:
            assert paced.confirm(reservation) <= 0
    assert [w.category for w in caught] == [RateLimitStoreWarning]
    message = str(caught[0].message)
    assert "zk_test_dead_store" not in message and "pacing within this process" in message
    # The process's own budget, with the same limit: three now, the rest a window apart.
    now = time.monotonic()
    assert all(r.at <= now for r in reservations[:3])
    assert all(r.at > now + 10.0 for r in reservations[3:6])


def test_a_client_keeps_sending_when_the_store_is_down(sandbox_server: Any) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with ziett.Ziett(
            api_key=sandbox_server.sandbox.api_key,
            base_url=sandbox_server.base_url,
            rate_limits={ROUTE: RateLimit(50, 60.0)},
            rate_limit_store=dead_url(),
        ) as client:
            accepted = [client.messages.send(**send(sandbox_server, i)) for i in range(5)]
    assert len({a.message_id for a in accepted}) == 5
    assert [w.category for w in caught] == [RateLimitStoreWarning]


async def test_a_silent_store_never_blocks_the_event_loop() -> None:
    with socket.socket() as silent:  # accepts connections (the kernel does), never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        url = f"redis://127.0.0.1:{silent.getsockname()[1]}/0"
        paced = throttle(url, RateLimit(3, 10.0), timeout=0.25)
        ticks = 0

        async def ticker() -> None:
            nonlocal ticks
            while True:
                ticks += 1
                await asyncio.sleep(0.005)

        beat = asyncio.ensure_future(ticker())
        await asyncio.sleep(0)
        before = ticks
        with pytest.warns(RateLimitStoreWarning):
            reservation = await paced.reserve_async()
        during = ticks - before
        beat.cancel()
    assert during > 0  # the loop ran other tasks while the store kept silent
    assert reservation.at <= time.monotonic()  # paced locally: the first may go


def test_a_silent_store_costs_a_blocking_send_one_timeout_then_nothing() -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        url = f"redis://127.0.0.1:{silent.getsockname()[1]}/0"
        paced = throttle(url, RateLimit(3, 10.0), timeout=0.25, retry_after=60.0)
        with pytest.warns(RateLimitStoreWarning, match="TimeoutError"):
            first = paced.reserve()  # waits for the timeout, then paces locally
        later = [paced.reserve() for _ in range(5)]  # the store is not tried again yet
        silent.setblocking(False)
        connections = []
        with contextlib.suppress(BlockingIOError):
            while True:
                connections.append(silent.accept()[0])
        for connection in connections:
            connection.close()
    assert len(connections) == 1  # one attempt, for the first reservation only
    assert {type(r.token).__name__ for r in [first, *later]} == {"_Local"}


def test_the_store_is_used_again_after_it_comes_back(
    server: RedisServer, store: redis.Redis
) -> None:
    with RedisServer() as flaky:
        paced = throttle(flaky.url, RateLimit(100, 60.0), retry_after=0.2)
        paced.reserve()
        flaky.kill()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            paced.reserve()  # fails over to the local budget
            flaky.start()  # back, on the same port, empty
            deadline = time.monotonic() + 30
            inside = redis.Redis.from_url(flaky.url)
            while inside.zcard(paced.key) == 0:
                assert time.monotonic() < deadline, "the store was never tried again"
                paced.reserve()
                time.sleep(0.05)
            inside.close()
        assert [w.category for w in caught] == [RateLimitStoreWarning]


def test_a_forked_child_opens_its_own_connection(server: RedisServer, store: redis.Redis) -> None:
    paced = throttle(server.url, RateLimit(10, 60.0), api_key="zk_test_fork")
    paced.reserve()  # the parent's connection is open
    pid = os.fork()
    if pid == 0:  # the child: book once, exit 0 only if it went to Redis
        code = 1
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                reservation = paced.reserve()
            code = 0 if type(reservation.token).__name__ == "_Booked" else 2
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    paced.reserve()  # the parent's connection still works
    assert store.zcard(paced.key) == 3


# --- construction -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://admin:hunter2@cache.internal:6379/0",
        "cache.internal:6379",
        "redis://admin:hunter2@cache.internal:port/0",
        "redis://admin:hunter2@cache.internal:6379/not-a-db",
    ],
)
def test_a_wrong_url_is_an_error_at_construction(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ziett.ZiettError, match="rate_limit_store") as caught:
        ziett.Ziett(api_key="zk_test_wrong_url", rate_limit_store=url)
    assert "hunter2" not in str(caught.value)
    monkeypatch.setenv("ZIETT_RATE_LIMIT_STORE", url)
    with pytest.raises(ziett.ZiettError, match="rate_limit_store") as caught:
        ziett.AsyncZiett(api_key="zk_test_wrong_url")
    assert "hunter2" not in str(caught.value)


def test_a_store_that_is_down_is_not_an_error_at_construction() -> None:
    client = ziett.Ziett(api_key="zk_test_later", rate_limit_store=dead_url())
    client.close()


def test_without_the_extra_the_error_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in [name for name in sys.modules if name == "redis" or name.startswith("redis.")]:
        monkeypatch.setitem(sys.modules, name, None)  # as if not installed
    with pytest.raises(ziett.ZiettError, match=r'pip install "ziett\[redis\]"'):
        ziett.Ziett(api_key="zk_test_no_extra", rate_limit_store=dead_url())


def test_import_ziett_does_not_import_redis() -> None:
    probe = (
        "import sys, ziett; ziett.Ziett(api_key='zk_test_probe').close(); "
        "assert 'redis' not in sys.modules, 'redis was imported'"
    )
    subprocess.run([sys.executable, "-c", probe], check=True, timeout=60)
