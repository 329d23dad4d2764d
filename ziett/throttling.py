"""Pacing, for who brings their own: the protocol a client's throttle follows.

A client paces every request to the documented per-key rate limits through a
:class:`Throttle` made by its ``throttle_factory`` (default: one in-process
budget per key; ``rate_limit_store="redis://..."``: one budget for every process).
To pace another way (a circuit breaker, a budget of your own), implement
:class:`Throttle` and pass a :class:`ThrottleFactory` as ``throttle_factory=``;
each step is described on :class:`Throttle`.
"""

from ziett._throttle import RateLimit, Reservation, Throttle, ThrottleFactory

__all__ = ["RateLimit", "Reservation", "Throttle", "ThrottleFactory"]
