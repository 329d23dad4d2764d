"""Client-side pacing to the documented per-key limits, shared by every client.

A sliding-window log: a request may start when fewer than ``requests`` requests
started in the last ``per_seconds`` (plus a small margin for transit jitter).
Unlike a token bucket, it never lets a burst plus the refill exceed the limit
within any window, so a server counting by fixed or sliding window never
answers 429. Hand-written (about forty lines) because the libraries that do this
are asyncio-only or bring their own storage backends; this one must serve sync
threads and asyncio/trio tasks at once.

``reserve()`` only computes and books a start time under a lock; the caller
sleeps (``time.sleep`` or ``anyio.sleep``). A reservation given up before its
start (a cancelled task) is released so the slot is not lost.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections import deque
from typing import NamedTuple

# Extra fraction of the window kept free for transit jitter between client and server.
_WINDOW_MARGIN = 0.02


class RateLimit(NamedTuple):
    """At most ``requests`` requests per ``per_seconds`` seconds."""

    requests: int
    per_seconds: float


class SlidingWindowLimiter:
    """Books start times so that no window of ``per_seconds`` holds more than ``requests``."""

    def __init__(self, limit: RateLimit) -> None:
        self.limit = limit
        self._window = limit.per_seconds * (1 + _WINDOW_MARGIN)
        self._starts: deque[float] = deque()
        self._lock = threading.Lock()

    def reserve(self) -> float:
        """Book the earliest allowed start; returns that start time (``time.monotonic``)."""
        with self._lock:
            now = time.monotonic()
            while self._starts and self._starts[0] <= now - self._window:
                self._starts.popleft()
            # Bookings stay sorted (a new one is never before the last), so only
            # the window ending at the new start needs checking.
            start = max(now, self._starts[-1]) if self._starts else now
            if len(self._starts) >= self.limit.requests:
                start = max(start, self._starts[-self.limit.requests] + self._window)
            self._starts.append(start)
            return start

    def release(self, start: float) -> None:
        """Give back a booked start that will not be used (the waiter was cancelled)."""
        with self._lock, contextlib.suppress(ValueError):
            self._starts.remove(start)


_registry: dict[tuple[str, str, str, RateLimit], SlidingWindowLimiter] = {}
_registry_lock = threading.Lock()


def shared_limiter(
    api_key: str, base_url: str, route: str, limit: RateLimit
) -> SlidingWindowLimiter:
    """The process-wide limiter for one API key, server and route (sync and async alike)."""
    key = (api_key, base_url, route, limit)
    limiter = _registry.get(key)
    if limiter is None:
        with _registry_lock:
            limiter = _registry.setdefault(key, SlidingWindowLimiter(limit))
    return limiter


def _reset_after_fork() -> None:
    # A child must not inherit locks another thread held at fork time, nor the
    # parent's bookings: each process paces itself from a clean slate.
    global _registry_lock
    _registry.clear()
    _registry_lock = threading.Lock()


os.register_at_fork(after_in_child=_reset_after_fork)
