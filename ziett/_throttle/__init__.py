"""Pacing to the documented per-key rate limits: the protocol, and who provides it.

:class:`Throttle` is what the call policy drives; implementations live in
:mod:`ziett._throttle.local` (in-process, the default) and
:mod:`ziett._throttle.redis` (one budget for many processes). Imports only the
standard library.
"""

from __future__ import annotations

import time
from typing import Protocol, runtime_checkable

from ziett._config import RateLimit

__all__ = ["LocalThrottle", "RateLimit", "Reservation", "Throttle", "ThrottleFactory"]


class Reservation:
    """One request's place in a throttle's order.

    ``at`` is the earliest start (``time.monotonic`` seconds); ``dispatched`` turns
    True when the request leaves; ``written`` is when its last byte was written
    (from httpcore's trace), None when the transport does not say. ``token`` is
    the implementation's own handle.
    """

    __slots__ = ("at", "dispatched", "number", "token", "written")

    def __init__(self, at: float, number: int = 0, token: object = None) -> None:
        self.at: float = at
        self.number: int = number
        self.token: object = token
        self.dispatched: bool = False
        self.written: float | None = None

    def mark_written(self) -> None:
        """The request's last byte left: the server sees it about now."""
        self.written = time.monotonic()

    def __repr__(self) -> str:
        return f"Reservation(at={self.at:.3f}, number={self.number})"


@runtime_checkable
class Throttle(Protocol):
    """Paces the requests of one route of one API key.

    The call policy (``ziett._transport``) drives it through four steps, each
    performed by the sync or the async driver in its own flavour, so an
    implementation may do I/O (a shared store) without blocking an event loop:

    1. ``reserve()``: book a place for one request; the :class:`Reservation` says
       when it may start (``at``, on ``time.monotonic``'s clock).
    2. *wait*: the policy sleeps until then (a ``Sleep`` step, bounded by the deadline).
    3. ``confirm(reservation)``: just before the request leaves (after queueing for
       a connection), the seconds it must still wait; <= 0 means go now.
    4. ``finish(reservation)`` once the request went out (counted from when it was
       written, ``reservation.written``, else from now), or ``release(reservation)``
       if it never left (cancelled, deadline, error before sending).

    Each step has a blocking form and an ``*_async`` form; ``LocalThrottle``
    subclasses need only the blocking forms. A circuit breaker or a custom budget
    is a Throttle too: pass ``throttle_factory=`` to a client.
    """

    def reserve(self) -> Reservation:
        """Book the next request; ``reservation.at`` is its earliest start."""
        ...

    def confirm(self, reservation: Reservation) -> float:
        """Seconds the booked request must still wait (<= 0: it may start now).

        Args:
            reservation: What ``reserve`` returned for this request.
        """
        ...

    def finish(self, reservation: Reservation) -> None:
        """The request went out: count it from ``reservation.written`` (else now).

        Args:
            reservation: What ``reserve`` returned for this request.
        """
        ...

    def release(self, reservation: Reservation) -> None:
        """Give back a reservation whose request will never leave.

        Args:
            reservation: What ``reserve`` returned for this request.
        """
        ...

    async def reserve_async(self) -> Reservation:
        """``reserve`` for async clients (never blocks the event loop)."""
        ...

    async def confirm_async(self, reservation: Reservation) -> float:
        """``confirm`` for async clients.

        Args:
            reservation: What ``reserve`` returned for this request.
        """
        ...

    async def finish_async(self, reservation: Reservation) -> None:
        """``finish`` for async clients.

        Args:
            reservation: What ``reserve`` returned for this request.
        """
        ...

    async def release_async(self, reservation: Reservation) -> None:
        """``release`` for async clients (performed even while the task is cancelled).

        Args:
            reservation: What ``reserve`` returned for this request.
        """
        ...


class ThrottleFactory(Protocol):
    """Makes the throttle of one (API key, base URL, route, limit); None: no pacing."""

    def __call__(
        self, api_key: str, base_url: str, route: str, limit: RateLimit
    ) -> Throttle | None:
        """The throttle of one route of one API key, or None to send it unpaced.

        Args:
            api_key: The key whose budget it is (a secret: never print it).
            base_url: The API's base URL the key is used against.
            route: The route paced, such as ``"POST /c/v1/messages"``.
            limit: The documented rate limit of that route.
        """
        ...


class LocalThrottle:
    """Base of throttles that never wait on I/O: the async steps call the blocking ones."""

    def reserve(self) -> Reservation:
        raise NotImplementedError

    def confirm(self, reservation: Reservation) -> float:
        raise NotImplementedError

    def finish(self, reservation: Reservation) -> None:
        raise NotImplementedError

    def release(self, reservation: Reservation) -> None:
        raise NotImplementedError

    async def reserve_async(self) -> Reservation:
        return self.reserve()

    async def confirm_async(self, reservation: Reservation) -> float:
        return self.confirm(reservation)

    async def finish_async(self, reservation: Reservation) -> None:
        self.finish(reservation)

    async def release_async(self, reservation: Reservation) -> None:
        self.release(reservation)
