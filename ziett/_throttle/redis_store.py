"""The Redis side of the shared pacing budget: connections, health, the Lua script.

One :class:`Store` per Redis URL and settings in a process, shared by every
:class:`~ziett._throttle.redis.RedisThrottle`; it may touch the ``redis``
package (loaded when the first store is made), never the clients.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import os
import threading
import time
import urllib.parse
import warnings
import weakref
from collections.abc import Sequence
from typing import Any

import anyio
import anyio.to_thread

from ziett._errors import InvalidRequestError, ZiettError
from ziett._fork import after_fork_in_child

MAX_CONNECTIONS = 8
"""Connections per process (and event loop) to the store; more commands queue."""
POOL_WAIT = 1.0
"""Seconds a command may queue for one of those connections."""
MAX_ORPHANS = 256
"""Bookings of unknown fate (a reservation whose answer was lost) kept to remove later."""
SCHEMES = ("redis", "rediss", "unix")

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


class Store:
    """One Redis server as seen from this process: its clients and its health.

    **Failures never stop sends.** Every command is bounded (``timeout`` for
    connecting and for answering; no retries). When Redis fails or is slow,
    :meth:`call` answers None and the throttle paces within the process, with one
    :class:`RateLimitStoreWarning` per outage; Redis is tried again ``retry_after``
    seconds later (one probe at a time). A command whose answer is lost is undone
    once the store answers again; one interrupted (cancelled,
    ``KeyboardInterrupt``) is undone at once, best effort (shielded, bounded,
    never raising). A URL that is not ``redis://``, ``rediss://`` or ``unix://``,
    or that cannot be parsed, is an :class:`~ziett.InvalidRequestError` at
    construction (the password masked); a store that is down then is not an error.

    **Event loops.** Async commands never block their loop: under asyncio through
    ``redis.asyncio`` (one client per process and running loop); under trio the
    blocking client runs in a worker thread. A forked child opens its own
    connections. ``close``/``aclose`` retire connections without disturbing
    commands in flight; the next command opens new ones.
    """

    def __init__(self, url: str, timeout: float, retry_after: float) -> None:
        self.display = masked_url(url)
        scheme = url.partition("://")[0].lower() if "://" in url else ""
        if scheme not in SCHEMES:
            raise InvalidRequestError(
                f"rate_limit_store must be a redis://, rediss:// or unix:// URL, "
                f"not {self.display!r}",
                fields={"rate_limit_store": "Must be a redis://, rediss:// or unix:// URL."},
            )
        database = urllib.parse.urlsplit(url).path.strip("/") if scheme != "unix" else ""
        if database and not database.isdigit():
            raise InvalidRequestError(
                f"rate_limit_store {self.display!r}: the path must be a database number, "
                f"not {database!r}",
                fields={"rate_limit_store": "The path must be a database number."},
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
            raise InvalidRequestError(
                f"rate_limit_store {self.display!r} is not a valid Redis URL: {message}",
                fields={"rate_limit_store": "Not a valid Redis URL."},
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

    # call's async twin: the same bookkeeping around one round trip that is awaited here
    # (and run in a thread under trio), which one body cannot express for both.
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


_stores: dict[tuple[str, float, float], Store] = {}
_stores_lock = threading.Lock()


def shared_store(url: str, timeout: float, retry_after: float) -> Store:
    """The process's store for this URL and settings (one pool, one warning per outage)."""
    after_fork_in_child(_after_fork)
    with _stores_lock:
        store = _stores.get((url, timeout, retry_after))
        if store is None:
            store = _stores[(url, timeout, retry_after)] = Store(url, timeout, retry_after)
        return store


def _after_fork() -> None:
    global _stores_lock
    _stores_lock = threading.Lock()
    for store in _stores.values():
        store.after_fork()
