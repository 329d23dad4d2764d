"""A local, stateful fake of the Ziett /c/v1 API for tests, demos and offline work.

In-process, no sockets: an httpx client on ``httpx.MockTransport(sandbox.handle)``,
sending ``sandbox.api_key`` as ``X-API-KEY``. Over real HTTP (uvicorn,
``ziett[sandbox]``): ``serve_in_thread()`` or ``python -m ziett.sandbox``, with a
control API under ``/_sandbox/`` and a live inbox page at ``/``; it answers only its
own host names and JSON from no other origin (``_guard``).

Its modules' order: docs/contributing/architecture.md ("Inside the sandbox").
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
