"""The control API under ``/_sandbox/``: drive a sandbox over HTTP (tests, the inbox page).

Each route calls one public method of the sandbox, typed here as the
:class:`Controlled` protocol so that this module never imports the facade (the
facade imports it: one-way). Errors use the documented error object with
``service: "sandbox"``. Control requests need no API key, are never logged,
rate-limited or hit by faults.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Final, Protocol

import httpx

from ziett.sandbox._faults import FaultSpec
from ziett.sandbox._responses import JSON, ApiError, json_object, json_response, validation_error
from ziett.sandbox._routing import Call, Route

PREFIX: Final = "/_sandbox/"
"""Where the control API lives (no API route starts with it)."""


class Controlled(Protocol):
    """What the control API calls on a sandbox (:class:`ziett.sandbox.Sandbox` is one)."""

    @property
    def messages(self) -> list[JSON]: ...
    @property
    def campaigns(self) -> list[JSON]: ...
    @property
    def requests(self) -> list[tuple[str, str]]: ...
    def snapshot(self) -> JSON: ...
    def inbox(self, phone: str | None = None) -> JSON: ...
    def advance(self, steps: int = 1) -> int: ...
    def settle(self) -> int: ...
    def deliver(self, message_id: str) -> JSON: ...
    def fail(self, message_id: str, status: str | None = None) -> JSON: ...
    def top_up(self, amount: Decimal | int | str) -> Decimal: ...
    def drain(self) -> None: ...
    def reset(self) -> None: ...
    def add_remitter(self, name: str) -> str: ...
    # Sandbox.inject's signature, as the protocol the control API calls through.
    def inject(
        self,
        fault: FaultSpec,
        *,
        times: int = 1,
        method: str | None = None,
        path: str | None = None,
        retry_after: float | str | None = None,
        html: bool = False,
    ) -> None: ...


def is_control(path: str) -> bool:
    """Whether ``path`` belongs to the control API.

    :param path: a request path.
    """
    return path.startswith(PREFIX)


def _control_body(request: httpx.Request) -> JSON:
    return json_object(request, service="sandbox") if request.content.strip() else {}


def _control_error(name: str, message: str) -> ApiError:
    return validation_error({name: message}, service="sandbox")


def _state_response(sandbox: Controlled) -> httpx.Response:
    return json_response(200, sandbox.snapshot())


def _control_state(sandbox: Controlled, call: Call) -> httpx.Response:
    return _state_response(sandbox)


def _control_messages(sandbox: Controlled, call: Call) -> httpx.Response:
    return json_response(200, sandbox.messages)


def _control_campaigns(sandbox: Controlled, call: Call) -> httpx.Response:
    return json_response(200, sandbox.campaigns)


def _control_requests(sandbox: Controlled, call: Call) -> httpx.Response:
    return json_response(
        200, [{"method": method, "path": path} for method, path in sandbox.requests]
    )


def _control_advance(sandbox: Controlled, call: Call) -> httpx.Response:
    steps = _control_body(call.request).get("steps", 1)
    if not isinstance(steps, int) or isinstance(steps, bool) or steps < 1:
        raise _control_error("steps", "Must be an integer of at least 1.")
    sandbox.advance(steps)
    return _state_response(sandbox)


# One small function per control route, alike on purpose: the route table maps each
# name to its function, and each reads its own body.
def _control_settle(sandbox: Controlled, call: Call) -> httpx.Response:
    sandbox.settle()
    return _state_response(sandbox)


def _control_top_up(sandbox: Controlled, call: Call) -> httpx.Response:
    amount = _control_body(call.request).get("amount")
    if isinstance(amount, bool) or not isinstance(amount, str | int | float):
        raise _control_error("amount", "A positive decimal amount is required.")
    try:
        sandbox.top_up(str(amount))
    except ValueError as exc:
        raise _control_error("amount", str(exc)) from None
    return _state_response(sandbox)


def _control_drain(sandbox: Controlled, call: Call) -> httpx.Response:
    sandbox.drain()
    return _state_response(sandbox)


def _control_reset(sandbox: Controlled, call: Call) -> httpx.Response:
    sandbox.reset()
    return _state_response(sandbox)


def _control_add_remitter(sandbox: Controlled, call: Call) -> httpx.Response:
    name = _control_body(call.request).get("name")
    if not isinstance(name, str) or not name:
        raise _control_error("name", "A sender name is required.")
    return json_response(201, {"id": sandbox.add_remitter(name), "name": name})


def _control_inject(sandbox: Controlled, call: Call) -> httpx.Response:
    body = _control_body(call.request)
    fault: Any = body.get("fault")
    if fault == "slow":
        fault = ("slow", body.get("seconds", 1.0))
    elif isinstance(fault, list):
        fault = tuple(fault)
    for name in ("method", "path"):
        if body.get(name) is not None and not isinstance(body[name], str):
            raise _control_error(name, "Must be a string.")
    retry_after = body.get("retry_after")
    if isinstance(retry_after, bool) or not isinstance(retry_after, str | int | float | None):
        raise _control_error("retry_after", "Must be a number of seconds or an HTTP date.")
    try:
        sandbox.inject(
            fault,
            times=body.get("times", 1),
            method=body.get("method"),
            path=body.get("path"),
            retry_after=retry_after,
            html=bool(body.get("html", False)),
        )
    except ValueError as exc:
        raise _control_error("fault", str(exc)) from None
    return _state_response(sandbox)


def _control_inbox(sandbox: Controlled, call: Call) -> httpx.Response:
    phone = call.request.url.params.get("phone") or None
    return json_response(200, sandbox.inbox(phone))


def _finish(sandbox: Controlled, call: Call, outcome: str | None) -> httpx.Response:
    message_id = call.params["message_id"]
    status = _control_body(call.request).get("status")
    if status is not None and not isinstance(status, str):
        raise _control_error("status", "Must be a string.")
    try:
        if outcome == "DELIVERED":
            message = sandbox.deliver(message_id)
        else:
            message = sandbox.fail(message_id, status)
    except LookupError:
        raise ApiError(
            404, "NOT_FOUND", f"Message {message_id!r} was not found.", service="sandbox"
        ) from None
    except ValueError as exc:
        raise ApiError(409, "MESSAGE_FINISHED", str(exc), service="sandbox") from None
    return json_response(200, message)


def _control_deliver(sandbox: Controlled, call: Call) -> httpx.Response:
    return _finish(sandbox, call, "DELIVERED")


def _control_fail(sandbox: Controlled, call: Call) -> httpx.Response:
    return _finish(sandbox, call, None)


CONTROL_ROUTES: Final[Sequence[Route[Controlled]]] = (
    Route("GET", "/_sandbox/state", _control_state),
    Route("GET", "/_sandbox/inbox", _control_inbox),
    Route("GET", "/_sandbox/messages", _control_messages),
    Route("GET", "/_sandbox/campaigns", _control_campaigns),
    Route("GET", "/_sandbox/requests", _control_requests),
    Route("POST", "/_sandbox/advance", _control_advance),
    Route("POST", "/_sandbox/settle", _control_settle),
    Route("POST", "/_sandbox/messages/{message_id}/deliver", _control_deliver),
    Route("POST", "/_sandbox/messages/{message_id}/fail", _control_fail),
    Route("POST", "/_sandbox/top_up", _control_top_up),
    Route("POST", "/_sandbox/drain", _control_drain),
    Route("POST", "/_sandbox/inject", _control_inject),
    Route("POST", "/_sandbox/reset", _control_reset),
    Route("POST", "/_sandbox/remitters", _control_add_remitter),
)
"""Every control route; each calls one public method of the sandbox."""
