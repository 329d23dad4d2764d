"""The policy of one API call, written once for both flavours as a plan of steps.

:func:`plan_call` paces through the route's throttle (reserve, wait, confirm, then finish
or release), sends, decides (``ziett._retry``), backs off, settles an unknown outcome of
a send (the client's :class:`~ziett._call.Settler`), maps errors and tells the attempt
hooks. :class:`Operation` is one call ready to run; :class:`Call` is the step a job yields
to run one. Steps and drivers live in ``ziett._steps``; nothing here knows the clients.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Generator
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypedDict, TypeVar

import httpx

from ziett._call import Attempt, AttemptHook, CallSettings, Finder, Settler
from ziett._decode import decode
from ziett._errors import (
    APIConnectionError,
    APITimeoutError,
    ZiettError,
    error_from_response,
)
from ziett._retry import never_sent
from ziett._steps import (
    Blocking,
    Emit,
    Link,
    Now,
    Pace,
    Plan,
    Send,
    Sleep,
    Step,
    _advance,
    _Done,
    iterate_async,
    iterate_sync,
    run_async,
    run_sync,
)
from ziett._throttle import Reservation, Throttle

if TYPE_CHECKING:
    from ziett_client.types import RequestSpec

__all__ = [
    "Answer",
    "Attempt",
    "AttemptHook",
    "Blocking",
    "Call",
    "CallSettings",
    "Emit",
    "Link",
    "Now",
    "Operation",
    "Pace",
    "Plan",
    "Reconciled",
    "RequestOptions",
    "Send",
    "Sleep",
    "Step",
    "Stream",
    "_Done",
    "_advance",
    "iterate_async",
    "iterate_sync",
    "log_attempt",
    "plan_call",
    "plan_on",
    "result_of",
    "run_async",
    "run_sync",
]

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
    reconcile: Finder | None = None
    """How to find what the server did after an ambiguous attempt (``ziett.jobs.reconcile``):
    called with (earliest server time, the client's claimed ids), a plan returning the
    call's result built from what it found (the model the call returns), or None."""

    @property
    def route(self) -> str:
        """ "METHOD /path/template", the key of rate limits and attempt hooks."""
        return self.request.route

    def result(self, response: httpx.Response) -> T:
        """The decoded model of a successful response (``ziett._decode``)."""
        return decode(self.route, self.sends_message, self.parse, response)


class Reconciled(NamedTuple):
    """A send's result found on the server after an unknown outcome (no answer of its own)."""

    value: Any
    """What the call returns: the model the finder built from what it found."""


Answer = httpx.Response | Reconciled
"""How a call ends well: the server's successful answer, or what reconciliation found."""


def result_of(op: Operation[T], answer: Answer) -> T:
    """The call's result: the parsed answer, or the result reconciliation found."""
    if isinstance(answer, Reconciled):
        value: T = answer.value
        return value
    return op.result(answer)


def plan_on(link: Link, op: Operation[Any]) -> Plan[Answer]:
    """The policy of one call on a client's settings and connection."""
    return plan_call(op, link.settings, link.http.build_request)


class Stream(NamedTuple, Generic[T]):
    """A builder's stream: a plan emitting ``T`` values (``Emit`` steps) until stopped."""

    plan: Plan[None]


class Call(Step, Generic[T]):
    """Run one API call (its whole policy) and give back its parsed result: a job's step."""

    __slots__ = ("operation",)

    def __init__(self, operation: Operation[T]) -> None:
        self.operation: Operation[T] = operation

    def run_sync(self, link: Link) -> T:
        return result_of(self.operation, run_sync(plan_on(link, self.operation), link))

    async def run_async(self, link: Link) -> T:
        return result_of(self.operation, await run_async(plan_on(link, self.operation), link))

    def __repr__(self) -> str:
        return f"Call({self.operation.route})"


def plan_call(
    op: Operation[Any], settings: CallSettings, build: Callable[..., httpx.Request]
) -> Plan[Answer]:
    """The policy of one call, as a generator of steps; returns the successful answer.

    The answer is the server's successful response (its body read, the credentials of
    its request masked), or, after an unknown outcome of a send, what reconciliation found.
    """
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
    throttle = settings.throttle_for(spec.route)
    reconciler = settings.reconciler
    maybe_sent = False  # an attempt of a send may have gone through
    try:
        for retry_number in range(policy.max_retries + 1):
            reservation = None
            if throttle is not None:
                reservation = yield from _wait_for_slot(throttle, deadline, op, clock)
            # A new request per attempt: a sent one has its credentials masked, for good.
            request = build(
                spec.method,
                settings.base_url + spec.url,
                params=spec.params,
                json=spec.json,
                headers=settings.headers,
                **timeout_argument,
            )
            _fit_timeout_to_deadline(request, deadline, clock)
            started = clock()
            began = None if reconciler is None else reconciler.began()
            outcome = yield from _send_once(
                Send(
                    request,
                    spec.route,
                    throttle,
                    reservation,
                    deadline,
                    clock,
                    settings.max_response_bytes,
                )
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
                # return what was found or make a new attempt (surely not sent).
                if deadline is not None and clock() + reconciler.settle_delay > deadline:
                    _tell(settings, request, spec.route, retry_number, outcome, None, started, True)
                    error = _final_error(outcome, op)
                    error.add_note("The deadline left no time to look for what the server did.")
                    raise error
                found = yield from _reconcile(reconciler, op, op.reconcile, began, outcome)
                if found is not None:
                    _tell(settings, request, spec.route, retry_number, outcome, None, started, True)
                    return Reconciled(found)
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


def _reconcile(
    reconciler: Settler, op: Operation[Any], find: Finder, began: Any, outcome: Outcome
) -> Plan[Any]:
    """The send's result found on the server, or None.

    A failure of the lookup itself leaves the outcome unknown: the attempt's own
    error is raised (``may_have_been_sent`` stays True), noting why.
    """
    try:
        return (yield from reconciler.settle(op.route, find, began))
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
    except (httpx.HTTPError, ZiettError, ValueError, RuntimeError, TypeError) as exc:
        # A transport error, or another failure of the send (a body past its cap, an
        # undecodable body, a client used on another event loop...): the plan decides.
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
    if isinstance(outcome, ZiettError):  # already says what happened (a body too large)
        return outcome
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
