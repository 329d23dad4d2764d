"""Observing calls: what a client's ``attempt_hooks`` are told after each attempt.

Pass callables as ``attempt_hooks=[...]`` to a client; each is called, inline, with
an :class:`Attempt` (route, attempt number, status or error, the wait before the
next attempt, elapsed time) for metrics and tracing. Keep them fast.
"""

from ziett._transport import Attempt, AttemptHook

__all__ = ["Attempt", "AttemptHook"]
