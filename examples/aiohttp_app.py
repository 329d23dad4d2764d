"""The sign-up service of fastapi_app.py, with aiohttp: ``POST /signup`` texts a one-time code.

One ``AsyncZiett`` per application, opened and closed by a ``cleanup_ctx`` generator;
a middleware turns ziett's errors into HTTP answers through one function,
``error_response``. Run it against the sandbox::

    python -m ziett.sandbox --port 8080          # prints an API key and a sender ID
    ZIETT_API_KEY=zk_test_... ZIETT_BASE_URL=http://127.0.0.1:8080 \\
    ZIETT_REMITTER_ID=<sender ID> python examples/aiohttp_app.py
    curl -i localhost:8000/signup -H 'content-type: application/json' \\
         -d '{"phone": "+244990090990"}'

Tested by tests/test_examples.py with the ``ziett_sandbox`` pytest fixture.
"""

# Stands alone on purpose (a reader copies one file): the same service as fastapi_app.py,
# so the two read side by side.
from __future__ import annotations

import logging
import math
import os
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

import ziett

logger = logging.getLogger(__name__)

# The fields of ziett's send that come from the user's request, by their name in our API.
REQUEST_FIELDS = {"target_e164": "phone"}


@dataclass(frozen=True)
class Settings:
    """The app's messaging settings; the key and URL come from ZIETT_API_KEY/ZIETT_BASE_URL."""

    remitter_id: str
    max_retries: int = 2
    send_deadline: float = 10.0  # seconds for a whole send, pacing waits and retries included

    @classmethod
    def from_env(cls) -> Settings:
        remitter_id = os.environ.get("ZIETT_REMITTER_ID")
        if not remitter_id:
            raise RuntimeError("Set ZIETT_REMITTER_ID to the UUID of your Sender ID.")
        return cls(remitter_id=remitter_id)


ZIETT = web.AppKey("ziett", ziett.AsyncZiett)
SETTINGS = web.AppKey("settings", Settings)


def error_response(error: ziett.ZiettError) -> web.Response:
    """The HTTP answer to a ziett error: the one place that decides it."""
    if isinstance(error, ziett.RateLimitError):
        wait = error.retry_after
        headers = {} if wait is None else {"Retry-After": str(math.ceil(wait))}
        return web.json_response({"detail": "too many requests"}, status=429, headers=headers)
    # Refused before sending (InvalidRequestError) or by the API (ValidationError): fields say why.
    fields = (
        error.fields if isinstance(error, ziett.InvalidRequestError | ziett.ValidationError) else {}
    )
    if fields and set(fields) <= set(REQUEST_FIELDS):  # the user's input, not our setup
        renamed = {REQUEST_FIELDS[name]: text for name, text in fields.items()}
        return web.json_response({"detail": "invalid request", "fields": renamed}, status=400)
    logger.warning("messaging failed: %s", error)  # str(error) has the trace_id, never the key
    if isinstance(error, ziett.InsufficientFundsError | ziett.APIConnectionError):
        return web.json_response({"detail": "messaging unavailable"}, status=503)
    return web.json_response({"detail": "messaging failed"}, status=502)


@web.middleware
async def ziett_errors(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    try:
        return await handler(request)
    except ziett.ZiettError as error:
        return error_response(error)


async def ziett_client(app: web.Application) -> AsyncIterator[None]:
    """cleanup_ctx: the client is opened at startup and closed at cleanup."""
    if SETTINGS not in app:
        app[SETTINGS] = Settings.from_env()
    async with ziett.AsyncZiett(
        max_retries=app[SETTINGS].max_retries, default_remitter_id=app[SETTINGS].remitter_id
    ) as client:
        app[ZIETT] = client
        yield


async def signup(request: web.Request) -> web.Response:
    """Text a one-time code to ``phone`` (E.164). Rate-limit this route in production."""
    try:
        body: Any = await request.json()
    except ValueError:
        body = None
    phone = body.get("phone") if isinstance(body, dict) else None
    if not isinstance(phone, str):
        fields = {"phone": "A phone number (a JSON string) is required."}
        return web.json_response({"detail": "invalid request", "fields": fields}, status=400)
    settings = request.app[SETTINGS]
    code = f"{secrets.randbelow(1_000_000):06d}"
    accepted = await request.app[ZIETT].messages.send(
        target_e164=phone.strip(),
        content=f"Your verification code is {code}.",
        deadline=settings.send_deadline,
    )
    # Keep a hash of `code` with an expiry to check it later (not shown).
    return web.json_response({"message_id": accepted.message_id}, status=202)


def create_app(settings: Settings | None = None) -> web.Application:
    """The app; ``settings`` default to the environment, read at startup."""
    app = web.Application(middlewares=[ziett_errors])
    if settings is not None:
        app[SETTINGS] = settings
    app.cleanup_ctx.append(ziett_client)
    app.router.add_post("/signup", signup)
    return app


if __name__ == "__main__":
    web.run_app(create_app(), host="127.0.0.1", port=8000)
