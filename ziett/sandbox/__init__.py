"""A local, stateful fake of the Ziett /c/v1 API for tests, demos and offline work.

In-process, no sockets::

    sandbox = Sandbox()
    client = httpx.Client(
        transport=httpx.MockTransport(sandbox.handle),
        base_url="http://sandbox",
        headers={"X-API-KEY": sandbox.api_key},
    )

Over real HTTP: ``with serve_in_thread() as server: ...`` (``server.base_url``,
``server.sandbox``) or ``python -m ziett.sandbox --port 8080``; both need
uvicorn (``pip install 'ziett[sandbox]'``). A control API under ``/_sandbox/``
(state, inbox, advance, settle, deliver/fail a message, top_up, drain, inject,
reset) drives it over HTTP, and the inbox page at ``/`` shows what was sent, live.
Over HTTP it answers only its own host names, and its control API only JSON from
no other origin (``_guard``): no web page the developer visits can drive it.

The package, bottom to top (each module imports only those above it in this list):
``_ids``, ``_numbers``, ``_billing`` (ids, phone numbers, pricing; the last two on
:mod:`ziett.phone` and :mod:`ziett.sms`), ``_responses`` (errors, bodies, on
``ziett._validation``), ``_records``, ``_state`` (data, charges, lifecycle, wire
forms), ``_queries``, ``_routing``, ``_handlers`` (the seven operations),
``_ratelimit``, ``_faults``, ``_overview`` (the inbox's document), ``_guard``
(who may drive it), ``_control`` (the control API), ``_sandbox`` (the facade,
:class:`Sandbox`), then the HTTP
adapter: ``inbox`` (the page and its event stream), ``_asgi`` and ``__main__``.
"""

from ziett.sandbox._asgi import ASGIApp, SandboxServer, create_app, serve_in_thread
from ziett.sandbox._faults import DROPPED_MESSAGE, FaultSpec
from ziett.sandbox._ratelimit import DEFAULT_RATE_LIMITS
from ziett.sandbox._sandbox import DEFAULT_STEP_SECONDS, Sandbox

__all__ = [
    "DEFAULT_RATE_LIMITS",
    "DEFAULT_STEP_SECONDS",
    "DROPPED_MESSAGE",
    "ASGIApp",
    "FaultSpec",
    "Sandbox",
    "SandboxServer",
    "create_app",
    "serve_in_thread",
]
