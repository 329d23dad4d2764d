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
(state, advance, settle, top_up, drain, inject, reset) drives it over HTTP.
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
