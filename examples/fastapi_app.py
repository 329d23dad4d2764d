"""A FastAPI service that sends a sign-up code by SMS, awaiting ziett's async client.

One ``AsyncZiett`` per application: opened in the lifespan, closed on shutdown, handed
to routes by dependency injection. Ziett's errors become HTTP answers in one function,
``error_response``. Run it (uvicorn comes with ``ziett[sandbox]``) against the sandbox::

    python -m ziett.sandbox --port 8080          # prints an API key and a sender ID
    ZIETT_API_KEY=zk_test_... ZIETT_BASE_URL=http://127.0.0.1:8080 \\
    ZIETT_REMITTER_ID=<sender ID> python examples/fastapi_app.py
    curl -i localhost:8000/signup -H 'content-type: application/json' \\
         -d '{"phone": "+244990090990"}'

Tested by tests/test_examples.py with the ``ziett_sandbox`` pytest fixture.
"""

# Stands alone on purpose (a reader copies one file): the same service as aiohttp_app.py,
# so the two read side by side.
from __future__ import annotations

import logging
import math
import os
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

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


class SignupRequest(BaseModel):
    phone: str


class SignupAccepted(BaseModel):
    message_id: str


def error_response(error: ziett.ZiettError) -> JSONResponse:
    """The HTTP answer to a ziett error: the one place that decides it."""
    if isinstance(error, ziett.RateLimitError):
        wait = error.retry_after
        headers = {} if wait is None else {"Retry-After": str(math.ceil(wait))}
        return JSONResponse({"detail": "too many requests"}, status_code=429, headers=headers)
    # Refused before sending (InvalidRequestError) or by the API (ValidationError): fields say why.
    fields = (
        error.fields if isinstance(error, ziett.InvalidRequestError | ziett.ValidationError) else {}
    )
    if fields and set(fields) <= set(REQUEST_FIELDS):  # the user's input, not our setup
        renamed = {REQUEST_FIELDS[name]: text for name, text in fields.items()}
        return JSONResponse({"detail": "invalid request", "fields": renamed}, status_code=400)
    logger.warning("messaging failed: %s", error)  # str(error) has the trace_id, never the key
    if isinstance(error, ziett.InsufficientFundsError | ziett.APIConnectionError):
        return JSONResponse({"detail": "messaging unavailable"}, status_code=503)
    return JSONResponse({"detail": "messaging failed"}, status_code=502)


async def _ziett_error_handler(request: Request, error: Exception) -> Response:
    if not isinstance(error, ziett.ZiettError):  # registered for ZiettError only
        raise error
    return error_response(error)


def get_ziett(request: Request) -> ziett.AsyncZiett:
    """The application's client (dependency)."""
    client: ziett.AsyncZiett = request.app.state.ziett
    return client


def get_settings(request: Request) -> Settings:
    """The application's settings (dependency)."""
    settings: Settings = request.app.state.settings
    return settings


ZiettClient = Annotated[ziett.AsyncZiett, Depends(get_ziett)]
AppSettings = Annotated[Settings, Depends(get_settings)]


async def signup(body: SignupRequest, client: ZiettClient, settings: AppSettings) -> SignupAccepted:
    """Text a one-time code to ``phone`` (E.164). Rate-limit this route in production."""
    code = f"{secrets.randbelow(1_000_000):06d}"
    accepted = await client.messages.send(
        target_e164=body.phone.strip(),
        content=f"Your verification code is {code}.",
        deadline=settings.send_deadline,
    )
    # Keep a hash of `code` with an expiry to check it later (not shown).
    return SignupAccepted(message_id=accepted.message_id)


def create_app(settings: Settings | None = None) -> FastAPI:
    """The app; ``settings`` default to the environment, read at startup."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings or Settings.from_env()
        async with ziett.AsyncZiett(
            max_retries=app.state.settings.max_retries,
            default_remitter_id=app.state.settings.remitter_id,
        ) as client:
            app.state.ziett = client
            yield

    app = FastAPI(lifespan=lifespan)
    app.add_exception_handler(ziett.ZiettError, _ziett_error_handler)
    app.post("/signup", status_code=202)(signup)
    return app


app = create_app()

if __name__ == "__main__":
    import uvicorn

    uvicorn.run(app, host="127.0.0.1", port=8000)
