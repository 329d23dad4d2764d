"""The steps a plan yields, the link they are performed with, and the two drivers.

A *plan* (``ziett._transport.plan_call``, or a job) is a generator that only yields
:class:`Step` objects: send this request, sleep, pace, read the clock, do blocking work,
emit a value. Each step performs itself in both flavours, so :func:`run_sync` and
:func:`run_async` are a loop each: perform the step, hand the outcome (or the exception,
cancellation included) back to the plan. No portal thread: the sync client works inside a
running event loop, across threads and after ``fork()``. Knows nothing of clients or jobs.
"""

from __future__ import annotations

import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterator
from typing import Any, Generic, NamedTuple, TypeVar

import anyio
import httpx

from ziett._call import DEFAULT_MAX_RESPONSE_BYTES, CallSettings
from ziett._errors import APITimeoutError
from ziett._throttle import LocalThrottle, Reservation, Throttle
from ziett._wire import Body, conceal, declared_length, too_large

T = TypeVar("T")


class Link(NamedTuple):
    """What the drivers perform steps with: a client's call settings and its connection."""

    settings: CallSettings
    http: httpx.Client | httpx.AsyncClient
    gate: threading.BoundedSemaphore | anyio.Semaphore


class Step:
    """Something a plan needs done; performed by the driver of the plan's flavour."""

    __slots__ = ()

    def run_sync(self, link: Link) -> Any:
        raise NotImplementedError

    async def run_async(self, link: Link) -> Any:
        raise NotImplementedError


class Sleep(Step):
    """Wait this many seconds."""

    __slots__ = ("seconds",)

    def __init__(self, seconds: float) -> None:
        self.seconds: float = seconds

    def run_sync(self, link: Link) -> None:
        time.sleep(max(0.0, self.seconds))

    async def run_async(self, link: Link) -> None:
        await anyio.sleep(max(0.0, self.seconds))

    def __repr__(self) -> str:
        return f"Sleep({self.seconds!r})"


class Pace(Step):
    """One throttle step: ``action`` is reserve, confirm, finish or release.

    An in-process throttle is called directly in both flavours (nothing waits);
    another one is awaited in async code, and its finish/release run shielded
    from cancellation (a cancelled send must still give its slot back).
    """

    __slots__ = ("action", "reservation", "throttle")

    def __init__(
        self, throttle: Throttle, action: str, reservation: Reservation | None = None
    ) -> None:
        self.throttle = throttle
        self.action = action
        self.reservation = reservation

    def _args(self) -> tuple[Reservation, ...]:
        return () if self.reservation is None else (self.reservation,)

    def run_sync(self, link: Link) -> Any:
        return getattr(self.throttle, self.action)(*self._args())

    async def run_async(self, link: Link) -> Any:
        if isinstance(self.throttle, LocalThrottle):
            return getattr(self.throttle, self.action)(*self._args())
        perform = getattr(self.throttle, self.action + "_async")
        if self.action in ("finish", "release"):
            with anyio.CancelScope(shield=True):
                return await perform(*self._args())
        return await perform(*self._args())

    def __repr__(self) -> str:
        return f"Pace({self.action!r})"


class Send(Step):
    """Send this request and give back the response, its body read (or throw the error).

    The drivers take an in-flight slot (the client's gate) first, then confirm
    the rate-limit reservation again (others may have gone ahead while this one
    queued), mark it dispatched and send. ``deadline`` bounds the wait for the gate.
    The body is read while it streams, refused past ``limit`` bytes; the response
    and any httpx error carry the request, its credentials masked once it was sent.
    """

    __slots__ = (
        "clock",
        "deadline",
        "limit",
        "request",
        "reservation",
        "route",
        "throttle",
    )

    def __init__(
        self,
        request: httpx.Request,
        route: str,
        throttle: Throttle | None = None,
        reservation: Reservation | None = None,
        deadline: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        limit: int = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        self.request = request
        self.route = route
        self.throttle = throttle
        self.reservation = reservation
        self.deadline = deadline
        self.clock = clock
        self.limit = limit

    def time_left(self) -> float | None:
        """Seconds until the call's deadline, None without one."""
        return None if self.deadline is None else max(0.0, self.deadline - self.clock())

    def check_wait(self, delay: float) -> None:
        """Refuse to wait for a rate-limit slot that comes after the deadline (nothing sent)."""
        if self.deadline is not None and self.clock() + delay > self.deadline:
            raise APITimeoutError(
                f"{self.route}: the rate limit leaves no slot before the deadline"
            )

    def gate_timeout(self) -> APITimeoutError:
        """The error when the deadline passes waiting for an in-flight slot (nothing sent)."""
        return APITimeoutError(f"{self.route}: the deadline passed waiting for a free connection")

    def dispatch(self, asynchronous: bool) -> httpx.Request:
        """Mark the request as leaving now; returns it, its write time traced for pacing."""
        if self.reservation is not None:
            self.reservation.dispatched = True
            trace = _async_trace if asynchronous else _sync_trace
            self.request.extensions["trace"] = trace(self.reservation.mark_written)
        return self.request

    def run_sync(self, link: Link) -> httpx.Response:
        gate: Any = link.gate
        http: Any = link.http
        while True:
            if not gate.acquire(timeout=self.time_left()):
                raise self.gate_timeout()
            try:
                delay = (
                    0.0
                    if self.throttle is None or self.reservation is None
                    else self.throttle.confirm(self.reservation)
                )
                if delay <= 0:
                    return self._send_sync(http)
            finally:
                gate.release()
            self.check_wait(delay)
            time.sleep(delay)

    async def run_async(self, link: Link) -> httpx.Response:
        gate: Any = link.gate
        http: Any = link.http
        while True:
            try:
                gate.acquire_nowait()  # the common case, without a trip through the event loop
            except anyio.WouldBlock:
                await self._acquire_before_deadline(gate)
            try:
                delay = 0.0
                if self.throttle is not None and self.reservation is not None:
                    delay = await Pace(self.throttle, "confirm", self.reservation).run_async(link)
                if delay <= 0:
                    return await self._send_async(http)
            finally:
                gate.release()
            self.check_wait(delay)
            await anyio.sleep(delay)

    def _reader(self, response: httpx.Response) -> Body | None:
        """How to read this answer: None for a body its headers bound (read it whole)."""
        length = declared_length(response)
        if length is None:
            return Body(self.route, self.limit)
        if length > self.limit:
            raise too_large(response, self.route, self.limit)
        return None

    def _send_sync(self, http: httpx.Client) -> httpx.Response:
        try:
            response = http.send(self.dispatch(asynchronous=False), stream=True)
        finally:
            conceal(self.request)  # written (or failed): what is handed out shows no key
        try:
            body = self._reader(response)
            if body is None:
                response.read()
                return response
            for chunk in response.iter_bytes():
                body.add(chunk, response)
            return body.response(response)
        finally:
            response.close()

    async def _send_async(self, http: httpx.AsyncClient) -> httpx.Response:
        try:
            response = await http.send(self.dispatch(asynchronous=True), stream=True)
        finally:
            conceal(self.request)
        try:
            body = self._reader(response)
            if body is None:
                await response.aread()
                return response
            async for chunk in response.aiter_bytes():
                body.add(chunk, response)
            return body.response(response)
        finally:
            await response.aclose()

    async def _acquire_before_deadline(self, gate: anyio.Semaphore) -> None:
        time_left = self.time_left()
        if time_left is None:
            await gate.acquire()
            return
        with anyio.move_on_after(time_left):  # the deadline bounds only this wait
            await gate.acquire()
            return
        raise self.gate_timeout()

    def __repr__(self) -> str:
        return f"Send({self.request.method} {self.request.url.path})"


class Blocking(Step, Generic[T]):
    """Run blocking work (a file write, an fsync): in a worker thread in async code."""

    __slots__ = ("function",)

    def __init__(self, function: Callable[[], T]) -> None:
        self.function: Callable[[], T] = function

    def run_sync(self, link: Link) -> T:
        return self.function()

    async def run_async(self, link: Link) -> T:
        return await anyio.to_thread.run_sync(self.function)


class Now(Step):
    """The client's clock (``time.monotonic`` unless a test set a fake): jobs ask for it."""

    __slots__ = ()

    def run_sync(self, link: Link) -> float:
        return link.settings.clock()

    async def run_async(self, link: Link) -> float:
        return link.settings.clock()


class Emit(Step, Generic[T]):
    """Hand a value to the consumer of a stream (see :func:`iterate_sync`)."""

    __slots__ = ("value",)

    def __init__(self, value: T) -> None:
        self.value: T = value


Plan = Generator[Step, Any, T]
"""A policy or a job: yields steps, receives their outcomes, returns its result."""


_WRITTEN = frozenset({"http11.send_request_body.complete", "http2.send_request_body.complete"})


def _sync_trace(on_written: Callable[[], None]) -> Callable[[str, Any], None]:
    def trace(event: str, info: Any) -> None:
        if event in _WRITTEN:
            on_written()

    return trace


def _async_trace(on_written: Callable[[], None]) -> Callable[[str, Any], Awaitable[None]]:
    async def trace(event: str, info: Any) -> None:
        if event in _WRITTEN:
            on_written()

    return trace


# --- the drivers -------------------------------------------------------------------------------


class _Done(NamedTuple):
    value: Any


def _advance(plan: Plan[Any], outcome: Any = None, error: BaseException | None = None) -> Any:
    """The plan's next step after an outcome (or an error), or ``_Done`` with its result."""
    try:
        return plan.throw(error) if error is not None else plan.send(outcome)
    except StopIteration as stop:
        return _Done(stop.value)


# The two drivers, and the two iterators below, are one loop written twice: the async
# one awaits each step, and Python cannot share a loop body across that difference.
def run_sync(plan: Plan[T], link: Link) -> T:
    """Perform a plan's steps in blocking code; returns the plan's result."""
    step = _advance(plan)
    while not isinstance(step, _Done):
        try:
            outcome = step.run_sync(link)
        except BaseException as exc:  # handed to the plan, which re-raises or carries on
            step = _advance(plan, error=exc)
        else:
            step = _advance(plan, outcome)
    result: T = step.value
    return result


async def run_async(plan: Plan[T], link: Link) -> T:
    """Perform a plan's steps in async code (asyncio or trio); returns the plan's result."""
    step = _advance(plan)
    while not isinstance(step, _Done):
        try:
            outcome = await step.run_async(link)
        except BaseException as exc:  # handed to the plan, which re-raises or carries on
            step = _advance(plan, error=exc)
        else:
            step = _advance(plan, outcome)
    result: T = step.value
    return result


def iterate_sync(plan: Plan[None], link: Link) -> Iterator[Any]:
    """The values a plan emits (``Emit`` steps), its other steps performed in blocking code."""
    try:
        step = _advance(plan)
        while not isinstance(step, _Done):
            if isinstance(step, Emit):
                yield step.value
                step = _advance(plan)
                continue
            try:
                outcome = step.run_sync(link)
            except BaseException as exc:
                step = _advance(plan, error=exc)
            else:
                step = _advance(plan, outcome)
    finally:
        plan.close()


async def iterate_async(plan: Plan[None], link: Link) -> AsyncIterator[Any]:
    """The values a plan emits, its other steps performed in async code."""
    try:
        step = _advance(plan)
        while not isinstance(step, _Done):
            if isinstance(step, Emit):
                yield step.value
                step = _advance(plan)
                continue
            try:
                outcome = await step.run_async(link)
            except BaseException as exc:
                step = _advance(plan, error=exc)
            else:
                step = _advance(plan, outcome)
    finally:
        plan.close()
