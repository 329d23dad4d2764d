"""The default throttle: an in-process sliding window, shared by every client of a process.

Computes start times under a lock and never sleeps (the drivers do); imports
only the throttle protocol and ``ziett._fork``.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

from ziett._fork import after_fork_in_child
from ziett._throttle import LocalThrottle, RateLimit, Reservation

# Extra fraction of the window kept free for clock and transit jitter.
WINDOW_MARGIN = 0.02
_RELEASED = float("-inf")
_IN_FLIGHT = object()
"""A booking's token until it is finished or released: it stays in the log until then."""
_OVERDUE_WINDOWS = 10
"""An unfinished booking older than this many windows leaves the log anyway (a leak)."""
Booking = Reservation


class SlidingWindowLimiter(LocalThrottle):
    """Books start times so that no window of ``per_seconds`` holds more than ``requests``.

    A sliding-window log over *bookings*: request number i may start only a window
    (plus a 2 % margin) after request number i - N started, so no window ever holds
    more than N requests, whether the server counts by fixed or sliding window.
    Unlike a token bucket, a burst plus its refill never exceeds the limit.

    The server counts arrivals, which can come well after the booked start (a new
    connection, a busy event loop). So a booking is moved to the moment its request
    was actually written to the socket (httpcore's trace), or, without that signal,
    to when its answer came; a waiter checks again when it wakes (``confirm``) and
    waits longer if an earlier request went out late. A booking given up before its
    start (a cancelled task) is released.

    Hand-written because the maintained limiters are asyncio-only or bring storage
    backends; this one serves sync threads and asyncio/trio tasks at once.
    ``clock`` (default ``time.monotonic``) is what "now" means; tests pass a fake.
    """

    def __init__(self, limit: RateLimit, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self._clock = clock
        self._window = limit.per_seconds * (1 + WINDOW_MARGIN)
        self._bookings: deque[Booking] = deque()
        self._released = 0  # released bookings still in _bookings (the slow path counts)
        self._next_number = 0
        self._last_start = float("-inf")
        self._lock = threading.Lock()

    def reserve(self) -> Booking:
        """Book the next request; ``booking.at`` is its earliest start (on the clock)."""
        with self._lock:
            now = self._clock()
            # A request still in flight stays: its answer may move it later (finish), and
            # the bookings after it must then see it. Past a few windows it is a leak.
            while self._bookings and self._bookings[0].at <= now - self._window:
                first = self._bookings[0]
                if first.token is _IN_FLIGHT and first.at > now - _OVERDUE_WINDOWS * self._window:
                    break
                if self._bookings.popleft().at == _RELEASED:
                    self._released -= 1
            booking = Booking(max(now, self._last_start), self._next_number, _IN_FLIGHT)
            booking.at = self._earliest(booking)
            self._bookings.append(booking)
            self._next_number += 1
            self._last_start = booking.at
            return booking

    def confirm(self, booking: Booking) -> float:
        """Seconds the booked request must still wait (<= 0: it may start now)."""
        with self._lock:
            booking.at = self._earliest(booking)
            return booking.at - self._clock()

    def finish(self, booking: Booking) -> None:
        """The request is over: count it from when it was written, else from now.

        Written is when the server saw it (give or take the network's one-way
        delay, which the margin covers); without that signal (a transport other
        than httpcore's), the answer's arrival is a safe upper bound.
        """
        with self._lock:
            if booking.token is not _IN_FLIGHT:
                return  # finished or released already: once is what counts
            booking.token = None
            seen = booking.written if booking.written is not None else self._clock()
            booking.at = max(booking.at, seen)

    def release(self, booking: Booking) -> None:
        """Give back a booking that will not be used (its waiter was cancelled)."""
        with self._lock:
            if booking.token is not _IN_FLIGHT:
                return  # finished (its slot was used) or released already
            booking.token = None
            if booking.number >= self._next_number - len(self._bookings):  # still listed
                self._released += 1
            booking.at = _RELEASED
            self._last_start = max((b.at for b in self._bookings), default=_RELEASED)

    def _earliest(self, booking: Booking) -> float:
        """A window after the N-th earlier booking still in use (released ones do not count)."""
        position = booking.number - (self._next_number - len(self._bookings))
        if not self._released:  # the common case: the N-th earlier booking, directly
            index = min(position, len(self._bookings)) - self.limit.requests
            if index < 0:
                return booking.at
            return max(booking.at, self._bookings[index].at + self._window)
        counted = 0
        for index in range(min(position, len(self._bookings)) - 1, -1, -1):
            earlier = self._bookings[index]
            if earlier.at == _RELEASED:
                continue
            counted += 1
            if counted == self.limit.requests:
                return max(booking.at, earlier.at + self._window)
        return booking.at  # fewer than N in the last window


_registry: dict[tuple[str, str, str, RateLimit], SlidingWindowLimiter] = {}
_registry_lock = threading.Lock()


def shared_limiter(
    api_key: str, base_url: str, route: str, limit: RateLimit
) -> SlidingWindowLimiter:
    """The process-wide limiter for one API key, server and route (sync and async alike).

    This is the default ``ThrottleFactory`` of both clients.
    """
    key = (api_key, base_url, route, limit)
    limiter = _registry.get(key)
    if limiter is None:
        after_fork_in_child(_reset_after_fork)
        with _registry_lock:
            limiter = _registry.setdefault(key, SlidingWindowLimiter(limit))
    return limiter


def _reset_after_fork() -> None:
    # A child must not inherit locks another thread held at fork time, nor the
    # parent's bookings: each process paces itself from a clean slate.
    global _registry_lock
    _registry.clear()
    _registry_lock = threading.Lock()
