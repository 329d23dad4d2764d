"""Step plans by hand on a fake clock: exact timing tests, no sleeps, no sockets.

:class:`Simulation` is a tiny discrete-event driver for the plans of
``ziett._transport`` (a call's policy, or a job): it performs each step the way
the real drivers do, but time only moves when every plan is waiting, straight to
the next wake-up. Several plans run "concurrently" (like tasks sharing a client),
so pacing, retries, backoff and deadlines can be asserted to the millisecond.

- ``Sleep(s)``: the plan wakes ``s`` later on the fake clock.
- ``Pace``: the throttle's blocking method, at once.
- ``Send``: confirms the reservation like the drivers (waiting if another plan
  went first), records the dispatch, then asks ``respond(request, now)`` for an
  ``httpx.Response`` (or an exception to throw into the plan).
- ``Now``: the fake clock. ``Call``: ``call(operation, now)``. ``Blocking``: runs it.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable
from typing import Any

import httpx

from ziett._retry import RetryPolicy
from ziett._throttle import RateLimit
from ziett._throttle.local import SlidingWindowLimiter
from ziett._transport import (
    Blocking,
    Call,
    CallSettings,
    Emit,
    Now,
    Operation,
    Pace,
    Plan,
    Send,
    Sleep,
    Step,
    _advance,
    _Done,
    plan_call,
)

Respond = Callable[[httpx.Request, float], httpx.Response | BaseException]


class FakeClock:
    """A monotonic clock that moves only when told."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


def settings(
    clock: FakeClock,
    *,
    limits: dict[str, RateLimit] | None = None,
    max_retries: int = 2,
    retry_ambiguous_sends: bool = False,
    hooks: tuple[Any, ...] = (),
    jitter: Callable[[float, float], float] = lambda low, high: high,
) -> CallSettings:
    """Call settings on the fake clock; the jitter takes the upper bound (exact waits)."""
    throttles = {
        route: SlidingWindowLimiter(limit, clock=clock) for route, limit in (limits or {}).items()
    }
    return CallSettings(
        base_url="https://api.test",
        headers={"X-API-KEY": "zk_test_0123456789abcdef"},
        timeout=httpx.Timeout(30.0),
        retry=RetryPolicy(
            max_retries=max_retries, retry_ambiguous_sends=retry_ambiguous_sends, jitter=jitter
        ),
        throttle_for=throttles.get,
        hooks=hooks,
        clock=clock,
    )


def call_plan(op: Operation[Any], call_settings: CallSettings) -> Plan[httpx.Response]:
    """The policy of one call, building plain ``httpx.Request`` objects."""

    def build(method: str, url: str, **kwargs: Any) -> httpx.Request:
        timeout = kwargs.pop("timeout", None)
        request = httpx.Request(method, url, **kwargs)
        if timeout is not None:
            request.extensions["timeout"] = httpx.Timeout(timeout).as_dict()
        return request

    return plan_call(op, call_settings, build)


class Simulation:
    """Runs plans against ``respond`` on a fake clock; see the module docstring."""

    def __init__(
        self,
        clock: FakeClock,
        respond: Respond | None = None,
        call: Callable[[Operation[Any], float], Any] | None = None,
    ) -> None:
        self.clock = clock
        self.respond = respond
        self.call = call
        self.dispatched: list[tuple[float, httpx.Request]] = []
        self.sleeps: list[float] = []
        self.emitted: list[Any] = []
        self.results: list[Any] = []
        self._queue: list[tuple[float, int, int]] = []
        self._order = itertools.count()
        self._plans: list[Plan[Any]] = []
        # What each waiting plan gets when it wakes: a step to perform again, or an outcome.
        self._waiting: list[tuple[Step | None, Any, BaseException | None]] = []
        self._cancel_at: dict[int, float] = {}

    def add(self, plan: Plan[Any], at: float | None = None) -> int:
        """Start a plan (now, or at a later fake time); returns its index in ``results``."""
        index = len(self._plans)
        self._plans.append(plan)
        self._waiting.append((None, None, None))
        self.results.append(None)
        self._wake(index, self.clock() if at is None else at)
        return index

    def cancel(self, index: int, at: float) -> None:
        """Throw a cancellation into plan ``index`` when it is waiting at fake time ``at``."""
        self._cancel_at[index] = at
        self._wake(index, at)

    def run(self) -> list[Any]:
        """Run every plan to its end; a plan's result is its value or the exception it raised."""
        started: set[int] = set()
        while self._queue:
            wake, _, index = heapq.heappop(self._queue)
            if index in started and self.results[index] is not None:
                continue  # finished (a stale wake-up)
            self.clock.now = max(self.clock.now, wake)
            plan = self._plans[index]
            cancel_at = self._cancel_at.get(index)
            try:
                if cancel_at is not None and cancel_at <= self.clock.now:
                    del self._cancel_at[index]
                    step = _advance(plan, error=Cancelled())
                elif index not in started:
                    started.add(index)
                    step = _advance(plan)
                else:
                    again, outcome, error = self._waiting[index]
                    if self._scheduled(index, wake):
                        continue  # an earlier wake-up of a plan that is still waiting
                    step = again if again is not None else _advance(plan, outcome, error)
                self._drive(index, step)
            except BaseException as exc:  # the plan raised: that is its result
                self.results[index] = exc
        return self.results

    def _scheduled(self, index: int, wake: float) -> bool:
        return any(i == index and at > wake for at, _, i in self._queue) and (
            index not in self._cancel_at
        )

    def _wake(self, index: int, at: float) -> None:
        heapq.heappush(self._queue, (at, next(self._order), index))

    def _drive(self, index: int, step: Any) -> None:
        plan = self._plans[index]
        while not isinstance(step, _Done):
            if isinstance(step, Send) and (delay := self._confirm(step)) > 0:
                self._waiting[index] = (step, None, None)  # send it when its slot comes
                self._wake(index, self.clock() + delay)
                return
            if isinstance(step, Sleep):
                self.sleeps.append(step.seconds)
                self._waiting[index] = (None, None, None)
                self._wake(index, self.clock() + max(0.0, step.seconds))
                return
            outcome, error = self._perform(step)
            step = _advance(plan, outcome, error)
        self.results[index] = step.value if step.value is not None else _NONE

    def _confirm(self, step: Send) -> float:
        if step.throttle is None or step.reservation is None:
            return 0.0
        return step.throttle.confirm(step.reservation)

    def _perform(self, step: Step) -> tuple[Any, BaseException | None]:
        try:
            if isinstance(step, Pace):
                return step.run_sync(None), None  # type: ignore[arg-type]
            if isinstance(step, Now):
                return self.clock(), None
            if isinstance(step, Emit):
                self.emitted.append(step.value)
                return None, None
            if isinstance(step, Blocking):
                return step.function(), None
            if isinstance(step, Call):
                assert self.call is not None, "no call= given for a job's Call steps"
                return self.call(step.operation, self.clock()), None
            if isinstance(step, Send):
                return self._send(step)
        except BaseException as exc:  # handed to the plan, like the drivers
            return None, exc
        raise AssertionError(f"unknown step {step!r}")

    def _send(self, step: Send) -> tuple[Any, BaseException | None]:
        request = step.dispatch(asynchronous=False)
        if step.reservation is not None:
            step.reservation.written = self.clock()
        self.dispatched.append((self.clock(), request))
        assert self.respond is not None, "no respond= given for Send steps"
        answer = self.respond(request, self.clock())
        if isinstance(answer, BaseException):
            return None, answer
        answer.request = request
        return answer, None


class Cancelled(BaseException):
    """What :meth:`Simulation.cancel` throws into a plan (like a task's cancellation)."""


_NONE = object()
"""The result of a plan that returned None (so that None means "not finished")."""
