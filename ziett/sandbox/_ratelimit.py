"""Per-key rate limits: the documented ones by default, a sliding window per operation.

The defaults are the SDK's own ``ziett._config.DEFAULT_RATE_LIMITS`` (one copy
of the documented numbers), as ``(requests, window seconds)`` pairs.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from ziett._config import DEFAULT_RATE_LIMITS as _SDK_LIMITS
from ziett.sandbox._handlers import ROUTE_KEYS

DEFAULT_RATE_LIMITS: Final[Mapping[str, tuple[int, float]]] = MappingProxyType(
    {route: (limit.requests, limit.per_seconds) for route, limit in _SDK_LIMITS.items()}
)
"""The documented limits, per API key: (requests, window in seconds) by "METHOD /path"."""


class RateLimiter:
    """Sliding-window request counts per (API key, operation)."""

    def __init__(self, rate_limits: Mapping[str, tuple[int, float]]) -> None:
        """
        :param rate_limits: ``{"METHOD /path": (requests, window seconds)}``; others are free.
        :raises ValueError: for an unknown operation or a limit that allows nothing.
        """
        for key, (count, window) in rate_limits.items():
            if key not in ROUTE_KEYS:
                raise ValueError(
                    f"unknown operation {key!r} in rate_limits: use one of {sorted(ROUTE_KEYS)}"
                )
            if count < 1 or window <= 0:
                raise ValueError(f"rate limit of {key!r} needs count >= 1 and window > 0")
        self.limits = {
            key: (int(count), float(window)) for key, (count, window) in rate_limits.items()
        }
        self._hits: dict[tuple[str, str], deque[float]] = {}

    def hit(self, api_key: str, operation: str, now: float) -> int | None:
        """Count one request; None when allowed, else the whole seconds until a slot frees.

        :param api_key: the request's key (each key has its own budget).
        :param operation: the route's key, ``"METHOD /template"``.
        :param now: the clock time of the request.
        """
        limit = self.limits.get(operation)
        if limit is None:
            return None
        count, window = limit
        hits = self._hits.setdefault((api_key, operation), deque())
        while hits and hits[0] <= now - window:
            hits.popleft()
        if len(hits) >= count:
            return max(1, math.ceil(hits[0] + window - now))
        hits.append(now)
        return None

    def clear(self) -> None:
        """Forget every count."""
        self._hits.clear()
