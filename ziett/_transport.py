"""Transport policy: one call's attempts, pacing, retries and deadline, written once.

How sync shares behaviour with async: *shared pure policy, two thin shells*.
:func:`plan_call` is a generator that holds the whole policy (pace to the rate
limit, send, decide, back off, map errors) and only *yields* what it needs done:
``Send(request)`` or ``Sleep(seconds)``. :func:`run_sync` and :func:`run_async`
are the only flavour-specific code: they perform those two steps with
``httpx.Client``/``time.sleep`` or ``httpx.AsyncClient``/``anyio.sleep``, and
throw any exception (including cancellation) back into the plan, which releases
a booked rate-limit slot before re-raising. No portal thread, so the sync client
works inside a running event loop, across threads and after ``fork()``.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Awaitable, Callable, Generator, Mapping
from typing import Any, Generic, NamedTuple, TypedDict, TypeVar

import anyio
import httpx

from ziett._errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    ZiettError,
    error_from_response,
)
from ziett._ratelimit import Booking, SlidingWindowLimiter
from ziett._retry import RetryPolicy, never_sent

T = TypeVar("T")
logger = logging.getLogger("ziett")


class RequestOptions(TypedDict, total=False):
    """Per-call overrides accepted by every method."""

    max_retries: int
    """Retries after the first attempt (0 disables)."""
    timeout: float | httpx.Timeout | None
    """Per-attempt timeout in seconds (or an ``httpx.Timeout``)."""
    deadline: float
    """Seconds for the whole call, retries and waits included."""


class Operation(NamedTuple, Generic[T]):
    """One API call, ready to run: the request, how to read the answer, how careful to be."""

    route: str
    request: Mapping[str, Any]
    parse: Callable[[Any], T]
    sends_message: bool = False
    options: RequestOptions = RequestOptions()  # never mutated: a shared empty default is safe
    ambiguity_note: str | None = None

    def result(self, response: httpx.Response) -> T:
        """The parsed model of a successful response."""
        try:
            return self.parse(json.loads(response.content))
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            raise APIError(
                f"Could not read the {self.route} response: {exc!r}",
                status_code=response.status_code,
                response=response,
                note="The server accepted the request: do not send it again."
                if self.sends_message
                else None,
            ) from exc


class Send(NamedTuple):
    """Step: send this request and give back the response (or throw the error).

    The drivers take an in-flight slot (the client's gate) first, then ask
    ``pacing_delay()`` again (others may have gone ahead while this one queued),
    call ``dispatch()`` and send. ``deadline`` bounds the wait for the gate.
    """

    request: httpx.Request
    route: str
    limiter: SlidingWindowLimiter | None = None
    booking: Booking | None = None
    deadline: float | None = None

    def pacing_delay(self) -> float:
        """Seconds this request must still wait for its rate-limit slot (<= 0: none)."""
        if self.limiter is None or self.booking is None:
            return 0.0
        return self.limiter.confirm(self.booking)

    def time_left(self) -> float | None:
        """Seconds until the call's deadline, None without one."""
        return None if self.deadline is None else max(0.0, self.deadline - time.monotonic())

    def gate_timeout(self) -> APITimeoutError:
        """The error when the deadline passes waiting for an in-flight slot (nothing sent)."""
        return APITimeoutError(f"{self.route}: the deadline passed waiting for a free connection")

    def dispatch(self, asynchronous: bool) -> httpx.Request:
        """Mark the request as leaving now; returns it, its write time traced for pacing."""
        if self.booking is not None:
            self.booking.dispatched = True
            trace = _async_trace if asynchronous else _sync_trace
            self.request.extensions["trace"] = trace(self.booking.mark_written)
        return self.request


class Sleep(NamedTuple):
    """Step: wait this many seconds."""

    seconds: float


Plan = Generator[Send | Sleep, Any, httpx.Response]


class CallSettings(NamedTuple):
    """What a client contributes to every call (set once, at construction)."""

    base_url: str
    headers: Mapping[str, str]
    timeout: httpx.Timeout | None
    retry: RetryPolicy
    limiter_for: Callable[[str], SlidingWindowLimiter | None]

    def __repr__(self) -> str:  # the headers hold the API key: never show them
        return f"CallSettings(base_url={self.base_url!r}, timeout={self.timeout!r}, ...)"


def plan_call(
    op: Operation[Any], settings: CallSettings, build: Callable[..., httpx.Request]
) -> Plan:
    """The policy of one call, as a generator of ``Send``/``Sleep`` steps."""
    options = op.options
    policy = settings.retry
    if "max_retries" in options:
        policy = policy._replace(max_retries=options["max_retries"])
    if "timeout" in options:
        timeout_argument = {"timeout": options["timeout"]}
    else:  # None: the user's own http_client keeps its own default
        timeout_argument = {} if settings.timeout is None else {"timeout": settings.timeout}
    deadline = time.monotonic() + options["deadline"] if "deadline" in options else None
    request = build(
        op.request["method"],
        settings.base_url + op.request["url"],
        params=op.request.get("params"),
        json=op.request.get("json"),
        headers={**settings.headers, **op.request.get("headers", {})},
        **timeout_argument,
    )
    limiter = settings.limiter_for(op.route)
    method, path = request.method, request.url.path
    maybe_sent = False  # an earlier attempt of a send may have gone through
    try:
        for retry_number in range(policy.max_retries + 1):
            booking = (
                None if limiter is None else (yield from _wait_for_slot(limiter, deadline, op))
            )
            _fit_timeout_to_deadline(request, deadline)
            step = Send(request, op.route, limiter, booking, deadline)
            outcome = yield from _send_once(step)
            maybe_sent = maybe_sent or _ambiguous(outcome, op)
            if isinstance(outcome, httpx.Response):
                if outcome.is_success:
                    _log(method, path, retry_number, outcome.status_code, None)
                    return outcome
                wait = policy.wait_after_response(outcome, retry_number, op.sends_message)
                _log(method, path, retry_number, outcome.status_code, wait)
            elif isinstance(outcome, httpx.TransportError):
                wait = policy.wait_after_error(outcome, retry_number, op.sends_message)
                _log(method, path, retry_number, type(outcome).__name__, wait)
            else:  # not a transport failure (an undecodable body...): never retried
                raise APIConnectionError(
                    f"{op.route}: {type(outcome).__name__}: {outcome}."
                ) from outcome
            if wait is None:
                raise _final_error(outcome, op) from (
                    None if isinstance(outcome, httpx.Response) else outcome
                )
            if deadline is not None and time.monotonic() + wait > deadline:
                raise APITimeoutError(f"{op.route}: the call's deadline would pass while waiting")
            yield Sleep(wait)
        raise AssertionError("unreachable: the last attempt always returns or raises")
    except ZiettError as error:  # the one place that says a send may have gone through
        if maybe_sent and op.ambiguity_note:
            _add_note(error, op.ambiguity_note)
        raise


Outcome = httpx.Response | httpx.TransportError | Exception


def _ambiguous(outcome: Outcome, op: Operation[Any]) -> bool:
    """True when this attempt of a send may have been acted on by the server."""
    if not op.sends_message:
        return False
    if isinstance(outcome, httpx.Response):
        return outcome.status_code >= 500 or outcome.status_code == 408
    return not (isinstance(outcome, httpx.TransportError) and never_sent(outcome))


def _add_note(error: ZiettError, note: str) -> None:
    """Say on the final error that an earlier attempt may have sent the message."""
    if isinstance(error, APIError):
        error.note = error.note or note
    elif isinstance(error, APIConnectionError) and note not in error.message:
        error.message = f"{error.message} {note}"
        error.args = (error.message,)


def _send_once(step: Send) -> Generator[Send, Any, Outcome]:
    try:
        response: httpx.Response = yield step
    except (httpx.HTTPError, ValueError, RuntimeError, TypeError) as exc:
        # A transport error, or another failure of the send (an undecodable body, a
        # client used on another event loop...): the plan decides what it means.
        return exc
    finally:
        if step.limiter is not None and step.booking is not None:
            if step.booking.dispatched:
                step.limiter.finish(step.booking)
            else:  # cancelled or failed before it left: the slot is not used
                step.limiter.release(step.booking)
    return response


def _final_error(outcome: httpx.Response | httpx.TransportError, op: Operation[Any]) -> ZiettError:
    if isinstance(outcome, httpx.TransportError):
        return _connection_error(outcome, op)
    return error_from_response(outcome)


def _wait_for_slot(
    limiter: SlidingWindowLimiter, deadline: float | None, op: Operation[Any]
) -> Generator[Sleep, None, Booking]:
    booking = limiter.reserve()
    try:
        while (delay := limiter.confirm(booking)) > 0:
            if deadline is not None and booking.at > deadline:
                raise APITimeoutError(
                    f"{op.route}: the rate limit leaves no slot before the deadline"
                )
            yield Sleep(delay)
    except BaseException:
        limiter.release(booking)
        raise
    return booking


def _fit_timeout_to_deadline(request: httpx.Request, deadline: float | None) -> None:
    if deadline is None:
        return
    left = max(0.001, deadline - time.monotonic())
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


def _log(method: str, path: str, retry: int, outcome: object, wait: float | None) -> None:
    if logger.isEnabledFor(logging.DEBUG):
        failed = not (isinstance(outcome, int) and outcome < 400)
        then = f"retrying in {wait:.2f}s" if wait is not None else ("raising" if failed else "done")
        logger.debug("%s %s attempt %d: %s; %s", method, path, retry + 1, outcome, then)


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


def _advance(plan: Plan, outcome: Any = None, error: BaseException | None = None) -> Any:
    """The plan's next step after an outcome (or an error), or its final response."""
    try:
        return plan.throw(error) if error is not None else plan.send(outcome)
    except StopIteration as stop:
        return stop.value


def run_sync(plan: Plan, client: httpx.Client, gate: threading.BoundedSemaphore) -> httpx.Response:
    """Perform a plan's steps with a blocking client, at most ``gate`` requests in flight."""
    step = next(plan)
    while isinstance(step, Send | Sleep):
        outcome: httpx.Response | None = None
        try:
            if isinstance(step, Sleep):
                time.sleep(step.seconds)
            else:
                outcome = _send_sync(step, client, gate)
        except BaseException as exc:  # handed to the policy, which re-raises or retries
            step = _advance(plan, error=exc)
        else:
            step = _advance(plan, outcome)
    response: httpx.Response = step
    return response


def _send_sync(
    step: Send, client: httpx.Client, gate: threading.BoundedSemaphore
) -> httpx.Response:
    while True:
        if not gate.acquire(timeout=step.time_left()):
            raise step.gate_timeout()
        try:
            delay = step.pacing_delay()
            if delay <= 0:
                return client.send(step.dispatch(asynchronous=False))
        finally:
            gate.release()
        time.sleep(delay)


async def run_async(plan: Plan, client: httpx.AsyncClient, gate: anyio.Semaphore) -> httpx.Response:
    """Perform a plan's steps with an async client (asyncio or trio), gated like run_sync."""
    step = next(plan)
    while isinstance(step, Send | Sleep):
        outcome: httpx.Response | None = None
        try:
            if isinstance(step, Sleep):
                await anyio.sleep(step.seconds)
            else:
                outcome = await _send_async(step, client, gate)
        except BaseException as exc:  # handed to the policy, which re-raises or retries
            step = _advance(plan, error=exc)
        else:
            step = _advance(plan, outcome)
    response: httpx.Response = step
    return response


async def _acquire_before_deadline(gate: anyio.Semaphore, step: Send) -> None:
    time_left = step.time_left()
    if time_left is None:
        await gate.acquire()
        return
    with anyio.move_on_after(time_left):  # the deadline bounds only this wait
        await gate.acquire()
        return
    raise step.gate_timeout()


async def _send_async(
    step: Send, client: httpx.AsyncClient, gate: anyio.Semaphore
) -> httpx.Response:
    while True:
        try:
            gate.acquire_nowait()  # the common case, without a trip through the event loop
        except anyio.WouldBlock:
            await _acquire_before_deadline(gate, step)
        try:
            delay = step.pacing_delay()
            if delay <= 0:
                return await client.send(step.dispatch(asynchronous=True))
        finally:
            gate.release()
        await anyio.sleep(delay)
