"""One pacing budget for every process using an API key: a sliding window kept in Redis.

``rate_limit_store="redis://..."`` (or ``ZIETT_RATE_LIMIT_STORE``) makes each
client's throttles :class:`RedisThrottle` s: gunicorn workers, Celery workers and
a cron job on another host then share the documented per-key limits instead of
each believing it owns them. Needs the ``redis`` extra (``pip install
"ziett[redis]"``, the maintained ``redis`` client and its asyncio API); ``import
ziett`` does not import it, and neither does this module until a factory is made.

**The budget.** The bookings of one (API key, server, route) are a sorted set:
one member per reservation, scored with its start in the *Redis server's*
microseconds (``TIME``; the clients' clocks never enter), evaluated by one Lua
script, so every decision is atomic. It is the same sliding-window log as
:mod:`ziett._throttle.local`, margin included:

- ``reserve`` books after the latest booking and a window after the N-th latest,
  and answers the delay; the reservation's ``at`` is that delay on this process's
  ``time.monotonic`` clock, counted from the end of the round trip (never early).
- ``confirm`` is local while the booking lies ahead. When it is due, one call
  (``go``) checks that fewer than N *other* bookings lie in the window ending
  now and moves the booking to now (it leaves), or later (someone left late).
  Counting only bookings at or before now, each stamped when it left, is what
  keeps every window of departures within N, whatever the other processes do;
  the booked times only order the queue. A booking made with no wait, or
  confirmed moments ago, needs no second call: a quick send that does not wait
  costs one round trip.
- ``finish`` moves a booking to when the request's answer came, unless that was
  within a quarter of the margin of its stamp (then no call). Not to when it was
  written, as the in-process budget does: a fleet's requests queue at the server,
  which may count one long after it was written, and the answer is the one moment
  known to come after the count. ``release`` removes a booking, so the next
  reservation takes the slot.

Needs Redis 6.2 or later (``ZADD ... GT``); one key per script call, so a Redis
Cluster works too. **Keys** are ``ziett:ratelimit:<hash>:<route>``, the hash
(SHA-256) of the server and the API key: the key itself never reaches Redis, logs
or errors. Each set expires a window after its last booking.

**Failures never stop sends.** Every command is bounded (``timeout``, 0.25 s by
default, for connecting and for answering; no retries). When Redis fails or is
slow, the throttle falls back to the process's own budget
(:func:`~ziett._throttle.local.shared_limiter`) with one
:class:`RateLimitStoreWarning` per outage, and tries Redis again ``retry_after``
seconds later (one probe at a time). A booking made in Redis whose store fails
mid-wait continues as a local booking. A reservation whose answer is lost (the
store failed or timed out after the script may have run) is removed once the
store answers again; one interrupted (cancelled, ``KeyboardInterrupt``) is
removed at once, best effort (shielded, bounded, never raising), before the
interruption goes on: the member's name is made here, so a booking nobody holds
never keeps a slot for a window. The local budget knows neither what the
other processes send nor what this one booked in Redis just before, so during an
outage a fleet may exceed the limit: the 429 answers that follow were not acted
on, and the client's retries absorb them. A URL that is not ``redis://``,
``rediss://`` or ``unix://``, or that the client cannot parse, is a
:class:`~ziett.ZiettError` at construction (the password masked); a store that
is down at construction is not an error (it may come up later).

**Event loops.** Async clients never block their loop: under asyncio through
``redis.asyncio`` (one client per process and running loop, as the SDK's own HTTP
clients); under trio (``redis.asyncio`` is asyncio-only) the blocking client runs
in a worker thread (``anyio.to_thread``). Sync clients use one blocking client per
process; a forked child opens its own connections. Closing a client leaves these
shared connections alone; the factory's ``close``/``aclose`` (process shutdown,
tests) retire them without disturbing commands in flight, and the next command
opens new ones.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import hashlib
import os
import threading
import time
import urllib.parse
import warnings
import weakref
from collections.abc import Callable, Sequence
from typing import Any

import anyio
import anyio.to_thread

from ziett._errors import ZiettError
from ziett._throttle import RateLimit, Reservation
from ziett._throttle.local import _WINDOW_MARGIN, SlidingWindowLimiter, shared_limiter

__all__ = [
    "RateLimitStoreWarning",
    "RedisThrottle",
    "RedisThrottleFactory",
    "key_name",
]

DEFAULT_TIMEOUT = 0.25
"""Seconds a command may take (connect, then answer) before the store counts as down."""
DEFAULT_RETRY_AFTER = 5.0
"""Seconds of in-process pacing after a failure before Redis is tried again."""
MAX_CONNECTIONS = 8
"""Connections per process (and event loop) to the store; more commands queue."""
POOL_WAIT = 1.0
"""Seconds a command may queue for one of those connections."""
MAX_ORPHANS = 256
"""Bookings of unknown fate (a reservation whose answer was lost) kept to remove later."""
SCHEMES = ("redis", "rediss", "unix")
KEY_PREFIX = "ziett:ratelimit:"

# KEYS[1]: the bookings of one (API key, server, route), a sorted set scored in the
#          Redis server's microseconds.
# ARGV: operation, member, N requests per window, the window in microseconds
#       (margin included).
# Answers the microseconds the booking must still wait (0: it may leave now).
LUA = """
local key, op, member = KEYS[1], ARGV[1], ARGV[2]
local limit, window = tonumber(ARGV[3]), tonumber(ARGV[4])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local function int(value) return string.format('%.0f', value) end
if op == 'release' then
  redis.call('ZREM', key, member)
  return 0
end
if op == 'stamp' then
  redis.call('ZADD', key, 'XX', 'GT', int(now), member)
  return 0
end
redis.call('ZREMRANGEBYSCORE', key, '-inf', int(now - window))
local at = now
if op == 'reserve' then
  local last = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
  if #last > 0 then at = math.max(at, tonumber(last[2])) end
  if redis.call('ZCARD', key) >= limit then
    local nth = redis.call('ZRANGE', key, -limit, -limit, 'WITHSCORES')
    at = math.max(at, tonumber(nth[2]) + window)
  end
elseif op == 'go' then
  local before = redis.call('ZREVRANGEBYSCORE', key, int(now), '-inf',
                            'WITHSCORES', 'LIMIT', 0, limit + 1)
  local counted = 0
  for i = 1, #before, 2 do
    if before[i] ~= member then
      counted = counted + 1
      if counted == limit then
        at = math.max(at, tonumber(before[i + 1]) + window)
        break
      end
    end
  end
else
  return redis.error_reply('ziett: unknown operation ' .. tostring(op))
end
redis.call('ZADD', key, int(at), member)
local last = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
redis.call('PEXPIRE', key, math.ceil((tonumber(last[2]) - now + window) / 1000) + 1000)
return at - now
"""


class RateLimitStoreWarning(RuntimeWarning):
    """The shared rate-limit store failed: this process paces on its own for a while."""


def key_name(api_key: str, base_url: str, route: str) -> str:
    """The Redis key of one (API key, server, route): a hash stands for the key.

    Args:
        api_key: The API key (only its SHA-256, with the server's URL, is used).
        base_url: The server the key belongs to.
        route: ``"METHOD /path"`` of the paced operation.
    """
    digest = hashlib.sha256(f"ziett\n{base_url}\n{api_key}".encode()).hexdigest()[:32]
    return f"{KEY_PREFIX}{digest}:{route}"


def masked_url(url: str) -> str:
    """``url`` with its password (if any) replaced by ``***``, safe to show."""
    try:
        parts = urllib.parse.urlsplit(url)
        password = parts.password
    except ValueError:
        return "<unparsable URL>"
    if not password:
        return url
    return url.replace(f":{password}@", ":***@", 1)


# -- the store: connections, health, one warning per outage ------------------------------


class _Health:
    """Whether the store may be tried now; one probe at a time after a failure."""

    def __init__(self, display: str, retry_after: float) -> None:
        self.display = display
        self.retry_after = retry_after
        self.lock = threading.Lock()
        self.down = False
        self.down_until = float("-inf")
        self.probing = False

    def begin(self) -> bool:
        """True when a command may go to Redis now (the caller then reports its outcome)."""
        with self.lock:
            if not self.down:
                return True
            if self.probing or time.monotonic() < self.down_until:
                return False
            self.probing = True
            return True

    def succeeded(self) -> None:
        with self.lock:
            self.down = False
            self.probing = False

    def failed(self, error: BaseException) -> None:
        with self.lock:
            first = not self.down
            self.down = True
            self.probing = False
            self.down_until = time.monotonic() + self.retry_after
        if first:
            warnings.warn(
                f"ziett: the rate-limit store {self.display} failed "
                f"({type(error).__name__}: {error}); pacing within this process, "
                f"trying the store again every {self.retry_after:g} s",
                RateLimitStoreWarning,
                stacklevel=2,
            )

    def abandoned(self) -> None:
        """The command was interrupted (cancelled): no verdict."""
        with self.lock:
            self.probing = False

    def after_fork(self) -> None:
        self.lock = threading.Lock()
        self.probing = False


def _load_redis() -> Any:
    try:
        import redis
        import redis.asyncio
    except ImportError:
        raise ZiettError(
            'rate_limit_store needs the redis client: pip install "ziett[redis]"'
        ) from None
    return redis


class _Pool:
    """One connection pool (a client and its script) and who is using it right now.

    ``close``/``aclose`` retire a pool: nothing new uses it, and its connections
    are closed when its last command ends, never under a command in flight.
    """

    __slots__ = ("pid", "retired", "script", "users")

    def __init__(self, script: Any) -> None:
        self.pid = os.getpid()
        self.script = script  # redis' Script or AsyncScript, bound to the pool's client
        self.users = 0
        self.retired = False


class _Store:
    """One Redis server as seen from this process: its clients and its health."""

    def __init__(self, url: str, timeout: float, retry_after: float) -> None:
        self.display = masked_url(url)
        scheme = url.partition("://")[0].lower() if "://" in url else ""
        if scheme not in SCHEMES:
            raise ZiettError(
                f"rate_limit_store must be a redis://, rediss:// or unix:// URL, "
                f"not {self.display!r}"
            )
        database = urllib.parse.urlsplit(url).path.strip("/") if scheme != "unix" else ""
        if database and not database.isdigit():
            raise ZiettError(
                f"rate_limit_store {self.display!r}: the path must be a database number, "
                f"not {database!r}"
            )
        self._redis = _load_redis()
        self._url = url
        self.timeout = timeout
        self.health = _Health(self.display, retry_after)
        self._lock = threading.Lock()
        self._sync: _Pool | None = None
        self._async: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Pool]
        self._async = weakref.WeakKeyDictionary()
        # Bookings whose fate a failed command left unknown: removed once the store answers.
        self._orphans: collections.deque[tuple[str, tuple[str | int, ...]]]
        self._orphans = collections.deque(maxlen=MAX_ORPHANS)
        try:  # parse now: a malformed URL is an error at construction, not at the first send
            self._leave(self._enter_sync())
        except (ValueError, TypeError) as error:
            message = str(error).replace(self._password(), "***") if self._password() else error
            raise ZiettError(
                f"rate_limit_store {self.display!r} is not a valid Redis URL: {message}"
            ) from None

    def _password(self) -> str:
        try:
            return urllib.parse.urlsplit(self._url).password or ""
        except ValueError:
            return ""

    def _client(self, asynchronous: bool) -> Any:
        """A client on a small blocking pool: a burst of reservations queues for a
        connection instead of opening hundreds at once."""
        package = self._redis.asyncio if asynchronous else self._redis
        pool = package.BlockingConnectionPool.from_url(
            self._url,
            max_connections=MAX_CONNECTIONS,
            timeout=POOL_WAIT,
            socket_timeout=self.timeout,
            socket_connect_timeout=self.timeout,
            # One attempt: a slow store means in-process pacing, never a longer wait.
            retry=package.retry.Retry(self._redis.backoff.NoBackoff(), 0),
        )
        return package.Redis.from_pool(pool)

    # A pool is entered for each command and left after it; the last one to leave a
    # retired pool closes it (a closed pool is replaced on the next command, unnoticed).

    def _enter_sync(self) -> _Pool:
        pid = os.getpid()
        with self._lock:
            current = self._sync
            if current is None or current.pid != pid:
                current = self._sync = _Pool(self._client(False).register_script(LUA))
            current.users += 1
            return current

    def _enter_async(self, loop: asyncio.AbstractEventLoop) -> _Pool:
        pid = os.getpid()
        with self._lock:
            current = self._async.get(loop)
            if current is None or current.pid != pid:
                current = _Pool(self._client(True).register_script(LUA))
                self._async[loop] = current
            current.users += 1
            return current

    def _leave(self, pool: _Pool) -> bool:
        """True when the caller must now close ``pool`` (retired, and it was the last)."""
        with self._lock:
            pool.users -= 1
            return pool.retired and pool.users == 0 and pool.pid == os.getpid()

    def _retire(self, pool: _Pool | None) -> bool:
        """Nothing new uses ``pool``; True when it may be closed at once (nobody uses it)."""
        if pool is None:
            return False
        with self._lock:
            pool.retired = True
            return pool.users == 0 and pool.pid == os.getpid()

    @staticmethod
    def _close_sync(pool: _Pool) -> None:
        with contextlib.suppress(Exception):
            pool.script.registered_client.close()

    @staticmethod
    async def _close_async(pool: _Pool) -> None:
        with contextlib.suppress(Exception):
            await pool.script.registered_client.aclose()

    def _errors(self) -> tuple[type[BaseException], ...]:
        return (self._redis.RedisError, OSError, TimeoutError)

    def _run(self, key: str, args: Sequence[str | int]) -> int:
        pool = self._enter_sync()
        try:
            return int(pool.script(keys=[key], args=args))
        finally:
            if self._leave(pool):
                self._close_sync(pool)

    async def _run_async(
        self, loop: asyncio.AbstractEventLoop, key: str, args: Sequence[str | int]
    ) -> int:
        pool = self._enter_async(loop)
        try:
            return int(await pool.script(keys=[key], args=args))
        finally:
            if self._leave(pool):
                with anyio.CancelScope(shield=True):
                    await self._close_async(pool)

    def _orphan(self, key: str, undo: Sequence[str | int] | None) -> None:
        if undo is not None:
            self._orphans.append((key, tuple(undo)))

    def _adopted(self) -> list[tuple[str, tuple[str | int, ...]]]:
        found = []
        with contextlib.suppress(IndexError):
            while True:
                found.append(self._orphans.popleft())
        return found

    def call(
        self, key: str, args: Sequence[str | int], undo: Sequence[str | int] | None = None
    ) -> int | None:
        """The script's answer, or None when the store is down (or just failed).

        ``undo``: the command that takes back what ``args`` may have done, for a
        command whose outcome is lost: sent at once (best effort) when the call is
        interrupted, and once the store answers again when it failed.
        """
        if not self.health.begin():
            return None
        try:
            reply = self._run(key, args)
        except self._errors() as error:
            self.health.failed(error)
            self._orphan(key, undo)
            return None
        except BaseException:
            self.health.abandoned()
            if undo is not None:
                self.discard(key, undo)
            raise
        self.health.succeeded()
        for orphan in self._adopted() if self._orphans else ():
            self.discard(*orphan)
        return reply

    async def call_async(
        self, key: str, args: Sequence[str | int], undo: Sequence[str | int] | None = None
    ) -> int | None:
        """``call`` without blocking the event loop (asyncio: redis.asyncio; trio: a thread)."""
        if not self.health.begin():
            return None
        try:
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:  # trio: redis.asyncio is asyncio-only
                reply = await anyio.to_thread.run_sync(self._run, key, args)
            else:
                with anyio.fail_after(POOL_WAIT + self.timeout * 2):  # queue, connect, answer
                    reply = await self._run_async(loop, key, args)
        except self._errors() as error:
            self.health.failed(error)
            self._orphan(key, undo)
            return None
        except BaseException:
            self.health.abandoned()
            if undo is not None:
                await self.discard_async(key, undo)
            raise
        self.health.succeeded()
        for orphan in self._adopted() if self._orphans else ():
            await self.discard_async(*orphan)
        return reply

    def discard(self, key: str, args: Sequence[str | int]) -> None:
        """Best effort, outside the health accounting: never raises, never warns."""
        with contextlib.suppress(Exception):
            self._run(key, args)

    async def discard_async(self, key: str, args: Sequence[str | int]) -> None:
        """``discard`` for async code: shielded from cancellation, bounded in time."""
        with anyio.CancelScope(shield=True), contextlib.suppress(Exception):
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:  # trio: the blocking client's own timeouts bound it
                await anyio.to_thread.run_sync(self._run, key, args)
            else:
                with anyio.move_on_after(POOL_WAIT + self.timeout * 2):
                    await self._run_async(loop, key, args)

    def close(self) -> None:
        """Retire this process's blocking connections (closed once no command uses them)."""
        with self._lock:
            current, self._sync = self._sync, None
        if self._retire(current):
            assert current is not None
            self._close_sync(current)

    async def aclose(self) -> None:
        """Retire the running asyncio loop's connections (closed once no command uses them)."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        with self._lock:
            current = self._async.pop(loop, None)
        if self._retire(current):
            assert current is not None
            await self._close_async(current)

    def after_fork(self) -> None:
        # The parent's connections are not ours: new ones on first use.
        self._lock = threading.Lock()
        self._sync = None
        self._async = weakref.WeakKeyDictionary()
        self._orphans.clear()
        self.health.after_fork()


_stores: dict[tuple[str, float, float], _Store] = {}
_stores_lock = threading.Lock()


def _store(url: str, timeout: float, retry_after: float) -> _Store:
    """The process's store for this URL and settings (one pool, one warning per outage)."""
    with _stores_lock:
        store = _stores.get((url, timeout, retry_after))
        if store is None:
            store = _stores[(url, timeout, retry_after)] = _Store(url, timeout, retry_after)
        return store


def _after_fork() -> None:
    global _stores_lock
    _stores_lock = threading.Lock()
    for store in _stores.values():
        store.after_fork()


os.register_at_fork(after_in_child=_after_fork)


# -- the throttle ---------------------------------------------------------------------------


class _Booked:
    """A booking in Redis: its member, and when it was last stamped as leaving."""

    __slots__ = ("left", "member")

    def __init__(self, member: str, left: float | None) -> None:
        self.member = member
        self.left = left  # time.monotonic() of the last 'leaves now' stamp, None: not yet


class _Local:
    """A booking in the process's own budget (the store was down)."""

    __slots__ = ("booking", "limiter")

    def __init__(self, limiter: SlidingWindowLimiter, booking: Reservation) -> None:
        self.limiter = limiter
        self.booking = booking

    def confirm(self, reservation: Reservation) -> float:
        delay = self.limiter.confirm(self.booking)
        reservation.at = self.booking.at
        return delay

    def finish(self, reservation: Reservation) -> None:
        self.booking.written = reservation.written
        self.limiter.finish(self.booking)

    def release(self) -> None:
        self.limiter.release(self.booking)


def _member() -> str:
    return os.urandom(9).hex()


class RedisThrottle:
    """Paces one route of one API key with bookings shared through Redis.

    See the module docstring for the protocol; made by :class:`RedisThrottleFactory`.
    """

    def __init__(
        self,
        store: _Store,
        key: str,
        limit: RateLimit,
        fallback: Callable[[], SlidingWindowLimiter],
    ) -> None:
        """
        Args:
            store: The Redis server and its health.
            key: The sorted set of this (API key, server, route) (see :func:`key_name`).
            limit: At most ``limit.requests`` per ``limit.per_seconds``.
            fallback: The process's own limiter of the route, used while Redis is down.
        """
        self.limit = limit
        self.key = key
        self._store = store
        self._fallback = fallback
        window = limit.per_seconds * (1 + _WINDOW_MARGIN)
        self._window_us = round(window * 1e6)
        # A stamp this close to the request's answer stays valid (a quarter of the margin).
        self._fresh = min(0.25, limit.per_seconds * _WINDOW_MARGIN / 4)

    def __repr__(self) -> str:
        return f"RedisThrottle({self._store.display!r}, limit={tuple(self.limit)!r})"

    def _args(self, op: str, member: str, *extra: int) -> tuple[str | int, ...]:
        return (op, member, self.limit.requests, self._window_us, *extra)

    # The decisions, shared by the blocking and the async forms.

    def _reserved(self, member: str, reply: int, started: float) -> Reservation:
        # The script ran between ``started`` and now: a start is mapped from the end of
        # the round trip (never early by this process's clock), a stamp from its start
        # (never thought fresher than it is).
        if reply <= 0:
            return Reservation(started, token=_Booked(member, started))
        return Reservation(time.monotonic() + reply / 1e6, token=_Booked(member, None))

    def _reserved_locally(self) -> Reservation:
        limiter = self._fallback()
        booking = limiter.reserve()
        booking.token = _Local(limiter, booking)
        return booking

    def _due(self, reservation: Reservation, booked: _Booked) -> float | None:
        """The answer of ``confirm`` without Redis, or None when Redis must say."""
        now = time.monotonic()
        remaining = reservation.at - now
        if remaining > 0:
            return remaining
        if booked.left is not None and now - booked.left <= self._fresh:
            return remaining
        return None

    def _went(self, reservation: Reservation, booked: _Booked, reply: int, started: float) -> float:
        if reply <= 0:
            booked.left = reservation.at = started
            return 0.0
        booked.left = None
        reservation.at = time.monotonic() + reply / 1e6
        return max(reservation.at - time.monotonic(), 1e-3)  # > 0: never leave unchecked

    def _to_local(self, reservation: Reservation) -> float:
        """Redis failed while this booking waited: it continues in the local budget."""
        limiter = self._fallback()
        local = _Local(limiter, limiter.reserve())
        reservation.token = local
        return local.confirm(reservation)

    def _stamp_args(self, booked: _Booked) -> tuple[str | int, ...] | None:
        if booked.left is not None and time.monotonic() - booked.left <= self._fresh:
            return None
        return self._args("stamp", booked.member)

    # The blocking forms.

    def reserve(self) -> Reservation:
        """Book the next request in Redis (or locally while the store is down)."""
        member, started = _member(), time.monotonic()
        # The member is ours before Redis answers: a lost answer is undone by its release.
        reserve, undo = self._args("reserve", member), self._args("release", member)
        reply = self._store.call(self.key, reserve, undo)
        if reply is None:
            return self._reserved_locally()
        return self._reserved(member, reply, started)

    def confirm(self, reservation: Reservation) -> float:
        """Seconds the booked request must still wait (<= 0: it may start now)."""
        booked = reservation.token
        if isinstance(booked, _Local):
            return booked.confirm(reservation)
        assert isinstance(booked, _Booked)
        due = self._due(reservation, booked)
        if due is not None:
            return due
        started = time.monotonic()
        reply = self._store.call(self.key, self._args("go", booked.member))
        if reply is None:
            return self._to_local(reservation)
        return self._went(reservation, booked, reply, started)

    def finish(self, reservation: Reservation) -> None:
        """The request went out and its answer came: count it from now, if that is late."""
        booked = reservation.token
        if isinstance(booked, _Local):
            booked.finish(reservation)
        elif isinstance(booked, _Booked) and (args := self._stamp_args(booked)):
            self._store.call(self.key, args)

    def release(self, reservation: Reservation) -> None:
        """Give the slot back: the request will never leave."""
        booked = reservation.token
        if isinstance(booked, _Local):
            booked.release()
        elif isinstance(booked, _Booked):
            self._store.call(self.key, self._args("release", booked.member))

    # The async forms: the same decisions, the round trips awaited.

    async def reserve_async(self) -> Reservation:
        """``reserve`` without blocking the event loop."""
        member, started = _member(), time.monotonic()
        reserve, undo = self._args("reserve", member), self._args("release", member)
        reply = await self._store.call_async(self.key, reserve, undo)
        if reply is None:
            return self._reserved_locally()
        return self._reserved(member, reply, started)

    async def confirm_async(self, reservation: Reservation) -> float:
        """``confirm`` without blocking the event loop."""
        booked = reservation.token
        if isinstance(booked, _Local):
            return booked.confirm(reservation)
        assert isinstance(booked, _Booked)
        due = self._due(reservation, booked)
        if due is not None:
            return due
        started = time.monotonic()
        reply = await self._store.call_async(self.key, self._args("go", booked.member))
        if reply is None:
            return self._to_local(reservation)
        return self._went(reservation, booked, reply, started)

    async def finish_async(self, reservation: Reservation) -> None:
        """``finish`` without blocking the event loop."""
        booked = reservation.token
        if isinstance(booked, _Local):
            booked.finish(reservation)
        elif isinstance(booked, _Booked) and (args := self._stamp_args(booked)):
            await self._store.call_async(self.key, args)

    async def release_async(self, reservation: Reservation) -> None:
        """``release`` without blocking the event loop (the driver shields it)."""
        booked = reservation.token
        if isinstance(booked, _Local):
            booked.release()
        elif isinstance(booked, _Booked):
            await self._store.call_async(self.key, self._args("release", booked.member))


class RedisThrottleFactory:
    """A ``ThrottleFactory`` sharing each (API key, route) budget through one Redis server.

    What ``rate_limit_store=`` makes. Raises :class:`~ziett.ZiettError` at once for
    a URL that is not ``redis://``, ``rediss://`` or ``unix://`` (or cannot be
    parsed), or when the ``redis`` package is missing; nothing connects until the
    first reservation.
    """

    def __init__(
        self,
        url: str,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        retry_after: float = DEFAULT_RETRY_AFTER,
    ) -> None:
        """
        Args:
            url: ``redis://[[user]:password@]host[:port][/db]``, ``rediss://...``
                (TLS) or ``unix:///path/to/socket[?db=N]``.
            timeout: Seconds a command may take to connect, and again to answer,
                before this process paces on its own (default 0.25).
            retry_after: Seconds of in-process pacing after a failure before the
                store is tried again (default 5).
        """
        if not timeout > 0 or not retry_after >= 0:
            raise ZiettError("timeout must be > 0 and retry_after >= 0")
        self._store = _store(url, float(timeout), float(retry_after))
        self._throttles: dict[tuple[str, str, str, RateLimit], RedisThrottle] = {}

    def __call__(self, api_key: str, base_url: str, route: str, limit: RateLimit) -> RedisThrottle:
        """The throttle of one API key's route on one server (the same object every time).

        Args:
            api_key: The API key whose budget it is (hashed before it reaches Redis).
            base_url: The server the key belongs to.
            route: ``"METHOD /path"`` of the paced operation.
            limit: The documented (or configured) limit of the route.
        """
        found = (api_key, base_url, route, limit)
        throttle = self._throttles.get(found)
        if throttle is None:
            throttle = self._throttles.setdefault(
                found,
                RedisThrottle(
                    self._store,
                    key_name(api_key, base_url, route),
                    limit,
                    lambda: shared_limiter(api_key, base_url, route, limit),
                ),
            )
        return throttle

    def __repr__(self) -> str:
        return f"RedisThrottleFactory({self._store.display!r})"

    def close(self) -> None:
        """Close this process's blocking connections to the store: for process shutdown / tests.

        The connections are the process's, shared by every client and factory of
        the same URL and settings: clients never call this. It is safe while
        others use the store: commands in flight finish on their connections
        (closed when the last one ends), and the next command opens new ones, with
        no warning and no in-process pacing.
        """
        self._store.close()

    async def aclose(self) -> None:
        """Close the running event loop's connections to the store: for shutdown / tests.

        As :meth:`close`, for the connections of the running asyncio loop.
        """
        await self._store.aclose()
