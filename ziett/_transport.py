"""The call policy and the two drivers: everything that waits is a step of a plan.

How sync shares behaviour with async: *shared pure policy, two thin shells*.
A *plan* is a generator that holds a policy and only *yields* what it needs
done, as :class:`Step` objects: send this request, sleep, reserve or release a
rate-limit slot, run this API call (for jobs), do this blocking work. Each step
knows how to perform itself in both flavours (``run_sync`` / ``run_async``), so
the drivers :func:`run_sync` and :func:`run_async` are a loop each: perform the
step, hand the outcome (or the exception, cancellation included) back to the plan.
No portal thread, so the sync client works inside a running event loop, across
threads and after ``fork()``. httpx's own ``Auth.auth_flow`` is the same idea.

:func:`plan_call` is the policy of one API call: pace through the route's
:class:`~ziett._throttle.Throttle` (reserve, wait, confirm, then finish or
release), send, decide (``ziett._retry``), back off, map errors, tell the
attempt hooks. Jobs (waiting for deliveries, bulk sends) are plans too: they
yield :class:`Call` steps, driven by the same two loops, and tests step them
with a fake clock. :func:`iterate_sync`/:func:`iterate_async` drive plans that
produce a stream of values (:class:`Emit` steps).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import (
    AsyncIterator,
    Awaitable,
    Callable,
    Generator,
    Iterator,
    Mapping,
    Sequence,
)
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypedDict, TypeVar

import anyio
import httpx

from ziett._decode import decode
from ziett._errors import (
    APIConnectionError,
    APITimeoutError,
    ZiettError,
    error_from_response,
)
from ziett._retry import RetryPolicy, never_sent
from ziett._throttle import LocalThrottle, Reservation, Throttle

if TYPE_CHECKING:
    from ziett._client import _ClientCore
    from ziett.jobs.reconcile import Reconciler
    from ziett_client.types import RequestSpec

T = TypeVar("T")
logger = logging.getLogger("ziett")


class RequestOptions(TypedDict, total=False):
    """Per-call overrides (every method takes them as keyword arguments)."""

    max_retries: int
    """Retries after the first attempt (0 disables)."""
    timeout: float | httpx.Timeout | None
    """Per-attempt timeout in seconds (or an ``httpx.Timeout``); None: no timeout."""
    deadline: float
    """Seconds for the whole call, retries and waits included."""


class Operation(NamedTuple, Generic[T]):
    """One API call, ready to run: the request, how to read the answer, how careful to be."""

    request: RequestSpec
    """What to send: a generated endpoint's ``build_request(...)`` (route, method, url...)."""
    parse: Callable[[Any], T]
    """How to read a successful answer's body (bytes): a model's decoder (``ziett._decode``),
    a function built on one, or a model class or its ``from_dict`` (its decoder is used)."""
    sends_message: bool = False
    options: RequestOptions = RequestOptions()  # never mutated: a shared empty default is safe
    ambiguity_note: str | None = None
    reconcile: Callable[[Any, Any], Plan[dict[str, Any] | None]] | None = None
    """How to find what the server did after an ambiguous attempt (``ziett.jobs.reconcile``):
    called with (earliest server time, the client's claimed ids), a plan returning the
    body of the accepted answer it found, or None."""

    @property
    def route(self) -> str:
        """ "METHOD /path/template", the key of rate limits and attempt hooks."""
        return self.request.route

    def result(self, response: httpx.Response) -> T:
        """The decoded model of a successful response (``ziett._decode``)."""
        return decode(self.route, self.sends_message, self.parse, response)


class Attempt(NamedTuple):
    """What an attempt hook is told after each attempt of a call.

    ``number`` counts from 1; ``status_code`` is the answer's status (None when
    no answer came), ``error`` the transport error (None with an answer);
    ``wait`` the seconds before the next attempt (None: no further attempt);
    ``elapsed`` the seconds the attempt took; ``may_have_been_sent`` whether a
    sending call may have been acted on by this attempt.
    """

    method: str
    route: str
    number: int
    status_code: int | None
    error: BaseException | None
    wait: float | None
    elapsed: float
    may_have_been_sent: bool


AttemptHook = Callable[[Attempt], None]


class CallSettings(NamedTuple):
    """What a client contributes to every call (set once, at construction)."""

    base_url: str
    headers: Mapping[str, str]
    timeout: httpx.Timeout | None
    retry: RetryPolicy
    throttle_for: Callable[[str], Throttle | None]
    hooks: Sequence[AttemptHook] = ()
    clock: Callable[[], float] = time.monotonic
    reconciler: Reconciler | None = None
    """Set when the client's ``ambiguous_sends`` is "reconcile" (``ziett.jobs.reconcile``)."""
    deadline: float | None = None
    """Seconds for a whole call when the call gives no ``deadline`` of its own."""

    def __repr__(self) -> str:  # the headers hold the API key: never show them
        return f"CallSettings(base_url={self.base_url!r}, timeout={self.timeout!r}, ...)"


class Link(NamedTuple):
    """What the drivers perform steps with: the SDK client and its connection."""

    core: _ClientCore[Any]
    http: httpx.Client | httpx.AsyncClient
    gate: threading.BoundedSemaphore | anyio.Semaphore

    def plan(self, op: Operation[Any]) -> Plan[httpx.Response]:
        """The policy of one call on this client and connection (its successful response)."""
        return plan_call(op, self.core._settings, self.http.build_request)


# --- steps -------------------------------------------------------------------------------


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
    """Send this request and give back the response (or throw the error).

    The drivers take an in-flight slot (the client's gate) first, then confirm
    the rate-limit reservation again (others may have gone ahead while this one
    queued), mark it dispatched and send. ``deadline`` bounds the wait for the gate.
    """

    __slots__ = ("clock", "deadline", "request", "reservation", "route", "throttle")

    def __init__(
        self,
        request: httpx.Request,
        route: str,
        throttle: Throttle | None = None,
        reservation: Reservation | None = None,
        deadline: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.request = request
        self.route = route
        self.throttle = throttle
        self.reservation = reservation
        self.deadline = deadline
        self.clock = clock

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
                    response: httpx.Response = http.send(self.dispatch(asynchronous=False))
                    return response
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
                    response: httpx.Response = await http.send(self.dispatch(asynchronous=True))
                    return response
            finally:
                gate.release()
            self.check_wait(delay)
            await anyio.sleep(delay)

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


class Call(Step, Generic[T]):
    """Run one API call (its whole policy) and give back its parsed result: a job's step."""

    __slots__ = ("operation",)

    def __init__(self, operation: Operation[T]) -> None:
        self.operation: Operation[T] = operation

    def run_sync(self, link: Link) -> T:
        return self.operation.result(run_sync(link.plan(self.operation), link))

    async def run_async(self, link: Link) -> T:
        return self.operation.result(await run_async(link.plan(self.operation), link))

    def __repr__(self) -> str:
        return f"Call({self.operation.route})"


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
        return link.core._settings.clock()

    async def run_async(self, link: Link) -> float:
        return link.core._settings.clock()


class Emit(Step, Generic[T]):
    """Hand a value to the consumer of a stream (see :func:`iterate_sync`)."""

    __slots__ = ("value",)

    def __init__(self, value: T) -> None:
        self.value: T = value


Plan = Generator[Step, Any, T]
"""A policy or a job: yields steps, receives their outcomes, returns its result."""


# --- the policy of one call ------------------------------------------------------------------


def plan_call(
    op: Operation[Any], settings: CallSettings, build: Callable[..., httpx.Request]
) -> Plan[httpx.Response]:
    """The policy of one call, as a generator of steps; returns the successful response."""
    options = op.options
    policy = settings.retry
    clock = settings.clock
    if "max_retries" in options:
        policy = policy._replace(max_retries=options["max_retries"])
    if "timeout" in options:
        timeout_argument = {"timeout": options["timeout"]}
    else:  # None: the user's own http_client keeps its own default
        timeout_argument = {} if settings.timeout is None else {"timeout": settings.timeout}
    seconds = options.get("deadline", settings.deadline)
    deadline = None if seconds is None else clock() + seconds
    spec = op.request
    request = build(
        spec.method,
        settings.base_url + spec.url,
        params=spec.params,
        json=spec.json,
        headers=settings.headers,
        **timeout_argument,
    )
    throttle = settings.throttle_for(spec.route)
    reconciler = settings.reconciler
    maybe_sent = False  # an attempt of a send may have gone through
    try:
        for retry_number in range(policy.max_retries + 1):
            reservation = None
            if throttle is not None:
                reservation = yield from _wait_for_slot(throttle, deadline, op, clock)
            _fit_timeout_to_deadline(request, deadline, clock)
            started = clock()
            began = None if reconciler is None else reconciler.began()
            outcome = yield from _send_once(
                Send(request, spec.route, throttle, reservation, deadline, clock)
            )
            if reconciler is not None:
                reconciler.observe(outcome, op.sends_message)
            ambiguous = _ambiguous(outcome, op)
            maybe_sent = maybe_sent or ambiguous
            if isinstance(outcome, httpx.Response):
                if outcome.is_success:
                    _tell(settings, request, spec.route, retry_number, outcome, None, started, True)
                    return outcome
                wait = policy.wait_after_response(outcome, retry_number, op.sends_message)
            elif isinstance(outcome, httpx.TransportError):
                wait = policy.wait_after_error(outcome, retry_number, op.sends_message)
            else:  # not a transport failure (an undecodable body...): never retried
                wait = None
            if ambiguous and reconciler is not None and op.reconcile is not None:
                # Settle the unknown outcome: look for what the server did, then either
                # answer as if the 202 had arrived or make a new attempt (surely not sent).
                if deadline is not None and clock() + reconciler.settle_delay > deadline:
                    _tell(settings, request, spec.route, retry_number, outcome, None, started, True)
                    error = _final_error(outcome, op)
                    error.add_note("The deadline left no time to look for what the server did.")
                    raise error
                found = yield from _reconcile(reconciler, op, began, outcome)
                if found is not None:
                    _tell(settings, request, spec.route, retry_number, outcome, None, started, True)
                    return httpx.Response(202, json=found, request=request, headers=_RECONCILED)
                wait = policy.backoff(retry_number) if retry_number < policy.max_retries else None
            _tell(settings, request, spec.route, retry_number, outcome, wait, started, ambiguous)
            if wait is None:
                raise _final_error(outcome, op)
            if deadline is not None and clock() + wait > deadline:
                raise APITimeoutError(f"{op.route}: the call's deadline would pass while waiting")
            yield Sleep(wait)
        raise AssertionError("unreachable: the last attempt always returns or raises")
    except ZiettError as error:  # the one place that says whether a send may have gone through
        if op.sends_message:
            error.may_have_been_sent = maybe_sent
            if maybe_sent and op.ambiguity_note:
                error.add_note(op.ambiguity_note)
        raise


Outcome = httpx.Response | BaseException

_RECONCILED = {"X-Ziett-Reconciled": "true"}
"""Marks the answer plan_call makes up when reconciliation found the accepted request."""


def _reconcile(
    reconciler: Reconciler, op: Operation[Any], began: Any, outcome: Outcome
) -> Generator[Step, Any, dict[str, Any] | None]:
    """The reconcile hook: the accepted answer's body found on the server, or None.

    A failure of the lookup itself leaves the outcome unknown: the attempt's own
    error is raised (``may_have_been_sent`` stays True), noting why.
    """
    try:
        return (yield from reconciler.settle(op, began))
    except ZiettError as exc:
        error = _final_error(outcome, op)
        error.add_note(f"Looking for what the server did failed too: {exc}")
        raise error from exc


def _ambiguous(outcome: Outcome, op: Operation[Any]) -> bool:
    """True when this attempt of a send may have been acted on by the server."""
    if not op.sends_message:
        return False
    if isinstance(outcome, httpx.Response):
        return outcome.is_success or outcome.status_code >= 500 or outcome.status_code == 408
    return not (isinstance(outcome, httpx.TransportError) and never_sent(outcome))


def _send_once(step: Send) -> Generator[Step, Any, Outcome]:
    """One attempt; the reservation is finished (it left) or released (it never did)."""
    try:
        response: httpx.Response = yield step
    except (httpx.HTTPError, ValueError, RuntimeError, TypeError) as exc:
        # A transport error, or another failure of the send (an undecodable body, a
        # client used on another event loop...): the plan decides what it means.
        yield from _settle_reservation(step)
        return exc
    except BaseException:  # cancelled, interrupted: give the slot back, then stop
        yield from _settle_reservation(step)
        raise
    yield from _settle_reservation(step)
    return response


def _settle_reservation(step: Send) -> Generator[Step, Any, None]:
    if step.throttle is not None and step.reservation is not None:
        action = "finish" if step.reservation.dispatched else "release"
        yield Pace(step.throttle, action, step.reservation)


def _final_error(outcome: Outcome, op: Operation[Any]) -> ZiettError:
    if isinstance(outcome, httpx.Response):
        return error_from_response(outcome)
    if isinstance(outcome, httpx.TransportError):
        error: ZiettError = _connection_error(outcome, op)
    else:
        error = APIConnectionError(f"{op.route}: {type(outcome).__name__}: {outcome}.")
    error.__cause__ = outcome
    return error


def _wait_for_slot(
    throttle: Throttle, deadline: float | None, op: Operation[Any], clock: Callable[[], float]
) -> Generator[Step, Any, Reservation]:
    reservation: Reservation = yield Pace(throttle, "reserve")
    try:
        while (delay := (yield Pace(throttle, "confirm", reservation))) > 0:
            if deadline is not None and clock() + delay > deadline:
                raise APITimeoutError(
                    f"{op.route}: the rate limit leaves no slot before the deadline"
                )
            yield Sleep(delay)
    except BaseException:
        yield Pace(throttle, "release", reservation)
        raise
    return reservation


def _fit_timeout_to_deadline(
    request: httpx.Request, deadline: float | None, clock: Callable[[], float]
) -> None:
    if deadline is None:
        return
    left = max(0.001, deadline - clock())
    current = request.extensions.get("timeout", {})
    request.extensions["timeout"] = {
        key: left if value is None else min(value, left)
        for key, value in {**dict.fromkeys(("connect", "read", "write", "pool")), **current}.items()
    }


def _connection_error(exc: httpx.TransportError, op: Operation[Any]) -> APIConnectionError:
    detail = str(exc) or type(exc).__name__
    cls = APITimeoutError if isinstance(exc, httpx.TimeoutException) else APIConnectionError
    return cls(f"{op.route}: {detail}.", request=exc.request if _has_request(exc) else None)


def _has_request(exc: httpx.TransportError) -> bool:
    try:
        exc.request  # noqa: B018 - the property raises when no request is attached
    except RuntimeError:
        return False
    return True


def _tell(
    settings: CallSettings,
    request: httpx.Request,
    route: str,
    retry_number: int,
    outcome: Outcome,
    wait: float | None,
    started: float,
    ambiguous: bool,
) -> None:
    """Tell the attempt hooks (and the ``ziett`` logger) how an attempt went."""
    hooks = settings.hooks
    if not hooks and not logger.isEnabledFor(logging.INFO):
        return
    response = outcome if isinstance(outcome, httpx.Response) else None
    attempt = Attempt(
        method=request.method,
        route=route,
        number=retry_number + 1,
        status_code=None if response is None else response.status_code,
        error=None if response is not None else outcome,  # type: ignore[arg-type]
        wait=wait,
        elapsed=settings.clock() - started,
        may_have_been_sent=ambiguous,
    )
    log_attempt(attempt)
    for hook in hooks:
        hook(attempt)


def log_attempt(attempt: Attempt) -> None:
    """The built-in observer: DEBUG for every attempt, INFO for retries and failures."""
    failed = attempt.status_code is None or attempt.status_code >= 400
    level = logging.INFO if failed else logging.DEBUG
    if not logger.isEnabledFor(level):
        return
    if attempt.wait is not None:
        then = f"retrying in {attempt.wait:.2f}s"
    else:
        then = "raising" if failed else "done"
    outcome = attempt.status_code if attempt.error is None else type(attempt.error).__name__
    logger.log(
        level,
        "%s attempt %d: %s in %.3fs; %s",
        attempt.route,
        attempt.number,
        outcome,
        attempt.elapsed,
        then,
    )


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
