"""One pacing budget for every process using an API key: a sliding window kept in Redis.

``rate_limit_store="redis://..."`` (or ``ZIETT_RATE_LIMIT_STORE``) makes each
client's throttles :class:`RedisThrottle` s, so that every worker and host using a
key shares its documented limits. Needs the ``redis`` extra (``pip install
"ziett[redis]"``), loaded only when a factory is made; the connections and
their failures live in :mod:`ziett._throttle.redis_store`.
"""

from __future__ import annotations

import hashlib
import math
import os
import time
from collections.abc import Callable

from ziett._errors import InvalidRequestError
from ziett._throttle import RateLimit, Reservation
from ziett._throttle.local import WINDOW_MARGIN, SlidingWindowLimiter, shared_limiter
from ziett._throttle.redis_store import RateLimitStoreWarning, Store, shared_store

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
KEY_PREFIX = "ziett:ratelimit:"


def key_name(api_key: str, base_url: str, route: str) -> str:
    """The Redis key of one (API key, server, route): a hash stands for the key.

    Args:
        api_key: The API key (only its SHA-256, with the server's URL, is used).
        base_url: The server the key belongs to.
        route: ``"METHOD /path"`` of the paced operation.
    """
    digest = hashlib.sha256(f"ziett\n{base_url}\n{api_key}".encode()).hexdigest()[:32]
    return f"{KEY_PREFIX}{digest}:{route}"


def _seconds(name: str, value: object) -> bool:
    """True for a finite number; a TypeError for what is not a number at all."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{name} must be a number of seconds, not {type(value).__name__}")
    return math.isfinite(value)


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

    Made by :class:`RedisThrottleFactory`. The bookings of one (API key, server,
    route) are a sorted set: one member per reservation, scored with its start in
    the *Redis server's* microseconds (``TIME``; the clients' clocks never enter),
    evaluated by one Lua script, so every decision is atomic. It is the same
    sliding-window log as :mod:`ziett._throttle.local`, margin included:

    - ``reserve`` books after the latest booking and a window after the N-th
      latest, and answers the delay; the reservation's ``at`` is that delay on
      this process's ``time.monotonic`` clock, counted from the end of the round
      trip (never early).
    - ``confirm`` is local while the booking lies ahead. When it is due, one call
      (``go``) checks that fewer than N *other* bookings lie in the window ending
      now and moves the booking to now (it leaves), or later (someone left late).
      Counting only bookings at or before now, each stamped when it left, keeps
      every window of departures within N, whatever the other processes do. A
      booking made with no wait, or confirmed moments ago, needs no second call.
    - ``finish`` moves a booking to when the request's answer came, unless that
      was within a quarter of the margin of its stamp (then no call): a fleet's
      requests queue at the server, and the answer is the one moment known to
      come after the count. ``release`` removes a booking.

    Needs Redis 6.2 or later (``ZADD ... GT``); one key per script call, so a
    Redis Cluster works too. Keys are ``ziett:ratelimit:<hash>:<route>`` (see
    :func:`key_name`); each set expires a window after its last booking. While
    the store is down the process's own budget paces (a fleet may then exceed the
    limit: the 429 answers that follow were not acted on, and retries absorb them).
    """

    def __init__(
        self,
        store: Store,
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
        window = limit.per_seconds * (1 + WINDOW_MARGIN)
        self._window_us = round(window * 1e6)
        # A stamp this close to the request's answer stays valid (a quarter of the margin).
        self._fresh = min(0.25, limit.per_seconds * WINDOW_MARGIN / 4)

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

    What ``rate_limit_store=`` makes. Raises :class:`~ziett.InvalidRequestError` at
    once for a URL that is not ``redis://``, ``rediss://`` or ``unix://`` (or cannot
    be parsed), and :class:`~ziett.ZiettError` when the ``redis`` package is
    missing; nothing connects until the first reservation.
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
        problems = {
            name: f"Must be a finite number of seconds{bound} (got {value!r})."
            for name, value, bound in (
                ("timeout", timeout, " > 0"),
                ("retry_after", retry_after, ""),
            )
            if not _seconds(name, value) or value < 0 or (value == 0 and bound)
        }
        if problems:
            raise InvalidRequestError(
                "Invalid rate-limit store settings: " + " ".join(problems.values()),
                fields=problems,
            )
        self._store = shared_store(url, float(timeout), float(retry_after))
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
