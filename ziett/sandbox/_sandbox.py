"""The facade: :class:`Sandbox`, one organisation behind one lock, and its one entry point.

:meth:`Sandbox.handle` takes an :class:`httpx.Request` (``httpx.MockTransport``
in-process; the ASGI app over HTTP) and runs it through the documented gates (API key,
rate limit, scope) to a handler of :mod:`~ziett.sandbox._handlers` or to the control
API. The typed methods (``top_up``, ``inject``, ``settle``...) are what the control API
and the pytest fixture call. All synchronous, under one :class:`threading.Lock`, so
threads may share a sandbox.
"""

from __future__ import annotations

import math
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Final

import anyio
import httpx

from ziett.sandbox import _overview
from ziett.sandbox._billing import decimal, money
from ziett.sandbox._control import CONTROL_ROUTES, is_control
from ziett.sandbox._faults import (
    DROPPED_MESSAGE,
    Fault,
    FaultSpec,
    Plan,
    fault_text,
    gateway_page,
    make_fault,
)
from ziett.sandbox._guard import check_control, check_origin, from_foreign_page
from ziett.sandbox._handlers import API_ROUTES
from ziett.sandbox._ids import chosen_api_key, chosen_remitter_id, iso
from ziett.sandbox._ratelimit import DEFAULT_RATE_LIMITS, RateLimiter
from ziett.sandbox._responses import JSON, ApiError, json_response
from ziett.sandbox._routing import Call, resolve
from ziett.sandbox._state import State

DEFAULT_STEP_SECONDS: Final = 0.2
"""Clock time between two lifecycle steps when ``auto_advance`` is on."""


class Sandbox:
    """A stateful, in-memory fake of the Ziett /c/v1 API: one organisation, seven operations.

    Use it in-process with ``httpx.MockTransport(sandbox.handle)`` or over HTTP
    through :func:`ziett.sandbox.create_app` / :func:`ziett.sandbox.serve_in_thread`.
    """

    def __init__(
        self,
        *,
        balance: Decimal | int | str = Decimal("1000.00"),
        price_per_segment: Decimal | int | str = Decimal("0.05"),
        rate_limits: Mapping[str, tuple[int, float]] | None = None,
        clock: Callable[[], float] = time.monotonic,
        auto_advance: bool = True,
        step_seconds: float = DEFAULT_STEP_SECONDS,
        api_key: str | None = None,
        remitter_id: str | None = None,
    ) -> None:
        """
        :param balance: the organisation's credits at the start (and after :meth:`reset`).
        :param price_per_segment: what one SMS segment costs.
        :param rate_limits: ``{"METHOD /path": (requests, seconds)}`` instead of the
            documented limits (``DEFAULT_RATE_LIMITS``); ``{}`` turns them off.
        :param clock: the monotonic clock the lifecycle moves on (tests pass a fake one).
        :param auto_advance: move messages and campaigns on the clock (else only when told).
        :param step_seconds: clock time between two lifecycle steps.
        :param api_key: the read-write API key (default: a fresh ``zk_test_`` key); given,
            the read-only key is this key with ``_read_only`` appended, so a sandbox
            started with the same arguments is the same every time.
        :param remitter_id: the id (a UUID) of the approved sender created with the
            sandbox (default: a fresh UUID v7).
        :raises ValueError: for a key that is a live key (``zk_live_``) or not printable,
            a sender id that is not a UUID, or an amount that is not a decimal.
        """
        self._lock = threading.Lock()
        self._clock = clock
        self._auto_advance = auto_advance
        self._limiter = RateLimiter(DEFAULT_RATE_LIMITS if rate_limits is None else rate_limits)
        self._state = State(
            balance=decimal(balance, "balance"),
            price=decimal(price_per_segment, "price_per_segment"),
            clock0=clock(),
            step_seconds=step_seconds,
            api_key=None if api_key is None else chosen_api_key(api_key),
            remitter_id=None if remitter_id is None else chosen_remitter_id(remitter_id),
        )
        self._faults: list[Fault] = []
        self._fault_changes = 0
        self._requests: list[tuple[str, str]] = []

    def __repr__(self) -> str:
        return f"<Sandbox balance={money(self.balance)} messages={len(self._state.messages)}>"

    # Identity ---------------------------------------------------------------------------

    @property
    def api_key(self) -> str:
        """A read-write API key (X-API-KEY) of the sandbox organisation."""
        return self._state.api_key

    @property
    def read_only_api_key(self) -> str:
        """A key without the send scopes: reads work, sends get 403 AUTH_INVALID_SCOPE."""
        return self._state.read_only_api_key

    @property
    def remitter_id(self) -> str:
        """The approved sender ID (a UUID v7) created with the sandbox."""
        return self._state.default_remitter.id

    @property
    def organization_id(self) -> str:
        """The id of the sandbox's one organisation."""
        return self._state.organization_id

    def add_remitter(self, name: str) -> str:
        """Approve another sender ID named ``name``; its id (a UUID v7)."""
        with self._lock:
            return self._state.add_remitter(name, self._clock()).id

    # Inspection -------------------------------------------------------------------------

    @property
    def messages(self) -> list[JSON]:
        """Every message sent, oldest first, in wire form."""
        with self._lock:
            self._catch_up()
            return [self._state.message_wire(message) for message in self._state.messages]

    @property
    def campaigns(self) -> list[JSON]:
        """Every campaign created, oldest first, in wire form."""
        with self._lock:
            self._catch_up()
            return [self._state.campaign_wire(campaign) for campaign in self._state.campaigns]

    @property
    def contacts(self) -> list[JSON]:
        """Every contact saved with ``save_contact``, in wire form."""
        with self._lock:
            return [self._state.contact_wire(contact) for contact in self._state.contacts.values()]

    @property
    def balance(self) -> Decimal:
        """The organisation's credit balance."""
        with self._lock:
            self._catch_up()
            return self._state.balance

    @balance.setter
    def balance(self, amount: Decimal) -> None:
        value = decimal(amount, "balance")
        with self._lock:
            self._state.balance = value

    @property
    def requests(self) -> list[tuple[str, str]]:
        """(method, path) of every API request received (the control API is not logged)."""
        with self._lock:
            return list(self._requests)

    def snapshot(self) -> JSON:
        """The sandbox's state in brief: balance, counts, keys and sender IDs (JSON-ready)."""
        with self._lock:
            self._catch_up()
            state = self._state
            return {
                "balance": money(state.balance),
                "price_per_segment": money(state.price),
                "organization_id": state.organization_id,
                "api_key": state.api_key,
                "read_only_api_key": state.read_only_api_key,
                "remitter_id": state.default_remitter.id,
                "remitters": [{"id": r.id, "name": r.name} for r in state.remitters.values()],
                "messages": len(state.messages),
                "campaigns": len(state.campaigns),
                "contacts": len(state.contacts),
                "requests": len(self._requests),
                "pending_faults": sum(fault.times for fault in self._faults),
                "rate_limits": {key: list(value) for key, value in self._limiter.limits.items()},
                "auto_advance": self._auto_advance,
            }

    # Control ----------------------------------------------------------------------------

    def top_up(self, amount: Decimal | int | str) -> Decimal:
        """Add ``amount`` (> 0) to the balance; the new balance."""
        value = decimal(amount, "amount")
        if value <= 0:
            raise ValueError(f"amount must be positive, got {amount!r}")
        with self._lock:
            self._state.balance += value
            return self._state.balance

    def drain(self) -> None:
        """Set the balance to 0: every send then gets 402."""
        with self._lock:
            self._state.balance = Decimal("0.00")

    def advance(self, steps: int = 1) -> int:
        """Move every unfinished message and campaign ``steps`` steps; the number of changes."""
        if steps < 0:
            raise ValueError(f"steps must not be negative, got {steps}")
        with self._lock:
            self._catch_up()
            now = self._clock()
            return sum(self._state.step_all(now) for _ in range(steps))

    def settle(self) -> int:
        """Move everything to its final state; the number of changes."""
        with self._lock:
            self._catch_up()
            now = self._clock()
            total = 0
            while changed := self._state.step_all(now):
                total += changed
            return total

    def deliver(self, message_id: str) -> JSON:
        """Deliver an unfinished message now (through SENT); the message in wire form.

        :param message_id: the message's id.
        :raises LookupError: when there is no such message.
        :raises ValueError: when it is already DELIVERED, FAILED or UNDELIVERED.
        """
        return self._finish_message(message_id, "DELIVERED")

    def fail(self, message_id: str, status: str | None = None) -> JSON:
        """Fail an unfinished message now; the message in wire form.

        :param message_id: the message's id.
        :param status: "FAILED" (refunded; only while PENDING) or "UNDELIVERED" (through
            SENT); by default FAILED while PENDING, UNDELIVERED once SENT.
        :raises LookupError: when there is no such message.
        :raises ValueError: for another status, or a finished message.
        """
        if status not in (None, "FAILED", "UNDELIVERED"):
            raise ValueError(f"status must be FAILED or UNDELIVERED, got {status!r}")
        return self._finish_message(message_id, status)

    def _finish_message(self, message_id: str, outcome: str | None) -> JSON:
        with self._lock:
            self._catch_up()
            message = self._state.message(message_id)
            if message is None:
                raise LookupError(f"no message {message_id!r} in this sandbox")
            if outcome is None:
                outcome = "FAILED" if message.status == "PENDING" else "UNDELIVERED"
            self._state.finish(message, outcome, self._clock())
            return self._state.message_wire(message)

    @property
    def version(self) -> int:
        """A number that moves whenever what :meth:`inbox` shows may have changed.

        Cheap (no document is built): the inbox's event stream rebuilds its document
        only when this moved since its last look.
        """
        with self._lock:
            self._catch_up()
            return self._state.version + self._fault_changes

    def inbox(self, phone: str | None = None) -> JSON:
        """What the inbox page shows: phones, ``phone``'s conversation, campaigns, balance.

        :param phone: the E.164 number whose messages to include (default: the number
            that received something last).
        """
        with self._lock:
            self._catch_up()
            return _overview.build(
                self._state,
                phone,
                pending_faults=sum(fault.times for fault in self._faults),
                auto_advance=self._auto_advance,
            )

    def reset(self) -> None:
        """Forget all traffic, faults and rate-limit counts; restore the initial balance."""
        with self._lock:
            self._state.clear()
            self._faults.clear()
            self._fault_changes += 1
            self._requests.clear()
            self._limiter.clear()

    def inject(
        self,
        fault: FaultSpec,
        *,
        times: int = 1,
        method: str | None = None,
        path: str | None = None,
        retry_after: float | str | None = None,
        html: bool = False,
    ) -> None:
        """Make the next ``times`` matching requests fail.

        :param fault: an HTTP status (4xx/5xx), "drop" (processed, then the connection
            is dropped), "drop_before" (dropped unprocessed) or ("slow", seconds).
        :param times: how many matching requests it hits.
        :param method: only requests with this method.
        :param path: only requests whose path starts with this.
        :param retry_after: the Retry-After of a status fault (429 defaults to 1).
        :param html: answer a status fault with a text/html gateway page.
        """
        made = make_fault(
            fault, times=times, method=method, path=path, retry_after=retry_after, html=html
        )
        with self._lock:
            self._faults.append(made)
            self._fault_changes += 1

    # HTTP -------------------------------------------------------------------------------

    def handle(self, request: httpx.Request) -> httpx.Response:
        """Answer one request (for ``httpx.MockTransport``, sync or async clients).

        A "drop" fault raises :class:`httpx.RemoteProtocolError`, like a real
        server closing the connection; a "slow" one blocks with ``time.sleep``.
        """
        plan = self.begin(request)
        if plan.delay:
            time.sleep(plan.delay)
        return self._finish(plan)

    async def handle_async(self, request: httpx.Request) -> httpx.Response:
        """Like :meth:`handle`, but a "slow" fault awaits ``anyio.sleep`` (async clients only)."""
        plan = self.begin(request)
        if plan.delay:
            await anyio.sleep(plan.delay)
        return self._finish(plan)

    def _finish(self, plan: Plan) -> httpx.Response:
        response = self.complete(plan)
        if response is None:
            raise httpx.RemoteProtocolError(DROPPED_MESSAGE, request=plan.request)
        return response

    def begin(self, request: httpx.Request) -> Plan:
        """Log the request and draw its fault; the caller waits ``plan.delay``, then
        calls :meth:`complete` (how a server drives the sandbox without blocking).

        :param request: the incoming request.
        """
        path = request.url.path
        if is_control(path) or from_foreign_page(request):
            return Plan(request, None)  # neither logged nor hit by a fault
        with self._lock:
            self._requests.append((request.method, path))
            fault = next((f for f in self._faults if f.matches(request.method, path)), None)
            if fault is not None:
                self._fault_changes += 1
                fault.times -= 1
                if fault.times == 0:
                    self._faults.remove(fault)
        return Plan(request, fault)

    def complete(self, plan: Plan) -> httpx.Response | None:
        """The response to a planned request; None when the connection must be dropped.

        :param plan: what :meth:`begin` returned.
        """
        fault = plan.fault
        if fault is None or fault.kind == "slow":
            return self._respond(plan.request)
        if fault.kind == "drop_before":
            return None
        if fault.kind == "drop":
            self._respond(plan.request)
            return None
        return self._fault_response(fault)

    def _respond(self, request: httpx.Request) -> httpx.Response:
        try:
            check_origin(request)
            if is_control(request.url.path):
                control, params = resolve(CONTROL_ROUTES, request.method, request.url.path)
                check_control(request)
                return control.handler(self, Call(request, params, self._clock()))
            with self._lock:
                return self._respond_api(request)
        except ApiError as error:
            return self.error_response(error)

    def _respond_api(self, request: httpx.Request) -> httpx.Response:
        now = self._clock()
        self._catch_up(now)
        route, params = resolve(API_ROUTES, request.method, request.url.path)
        api_key = request.headers.get("x-api-key", "")
        scopes = self._state.scopes.get(api_key)
        if scopes is None:
            message = "The provided API key is invalid or has been revoked."
            if not api_key:
                message = "The X-API-KEY header is missing."
            raise ApiError(401, "AUTH_INVALID_API_KEY", message)
        retry_after = self._limiter.hit(api_key, route.key, now)
        if retry_after is not None:
            raise ApiError(
                429,
                "RATE_LIMIT_EXCEEDED",
                f"Rate limit exceeded for {route.key}. Retry in {retry_after} seconds.",
                headers={"Retry-After": str(retry_after)},
            )
        if route.scope is not None and route.scope not in scopes:
            raise ApiError(
                403,
                "AUTH_INVALID_SCOPE",
                "Insufficient permissions (missing scope).",
                fields={"apikey": f"The provided key does not have the '{route.scope}' scope."},
            )
        return route.handler(self._state, Call(request, params, now))

    def _catch_up(self, now: float | None = None) -> None:
        if self._auto_advance:
            self._state.catch_up(self._clock() if now is None else now)

    def _error_body(
        self, status: int, code: str, message: str, service: str, fields: Mapping[str, str]
    ) -> JSON:
        body: JSON = {
            "code": code,
            "message": message,
            "status": status,
            "trace_id": uuid.uuid4().hex,
            "timestamp": iso(self._state.wall(self._clock())),
            "service": service,
        }
        if fields:
            body["fields"] = dict(fields)
        return body

    def error_response(self, error: ApiError) -> httpx.Response:
        """The documented error object answering ``error`` (the HTTP adapter's refusals too).

        :param error: what to answer.
        """
        body = self._error_body(
            error.status, error.code, error.message, error.service, error.fields
        )
        return json_response(error.status, body, headers=error.headers)

    def _fault_response(self, fault: Fault) -> httpx.Response:
        headers: dict[str, str] = {}
        retry_after = fault.retry_after
        if retry_after is None and fault.status == 429:
            retry_after = 1
        if retry_after is not None:
            headers["Retry-After"] = (
                retry_after if isinstance(retry_after, str) else str(math.ceil(retry_after))
            )
        if fault.html:
            return httpx.Response(fault.status, html=gateway_page(fault.status), headers=headers)
        code, message = fault_text(fault.status)
        body = self._error_body(fault.status, code, message, "core", {})
        return json_response(fault.status, body, headers=headers)
