"""Configuration: environment variables, defaults, the User-Agent, the key's secrecy.

Environment variables: ``ZIETT_API_KEY``, ``ZIETT_BASE_URL``, ``ZIETT_REMITTER_ID``
(the default sender id),
``ZIETT_RATE_LIMIT_STORE`` (a ``redis://`` URL for a shared pacing budget) and
``ZIETT_LOG`` (``debug`` or ``info``: the ``ziett`` logger writes to stderr, as
``OPENAI_LOG`` does for openai's client).
"""

from __future__ import annotations

import logging
import os
import platform
import re
import threading
from collections.abc import Mapping
from typing import NamedTuple

import httpx

from ziett._errors import ZiettError
from ziett._version import __version__

ENV_API_KEY = "ZIETT_API_KEY"
ENV_BASE_URL = "ZIETT_BASE_URL"
ENV_RATE_LIMIT_STORE = "ZIETT_RATE_LIMIT_STORE"
ENV_LOG = "ZIETT_LOG"
ENV_REMITTER_ID = "ZIETT_REMITTER_ID"
DEFAULT_BASE_URL = "https://api.ziett.co"
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)
DEFAULT_MAX_RETRIES = 2


# The documented per-key limits (overview and endpoint pages of the docs).
class RateLimit(NamedTuple):
    """At most ``requests`` requests per ``per_seconds`` seconds."""

    requests: int
    per_seconds: float


DEFAULT_RATE_LIMITS: Mapping[str, RateLimit] = {
    "POST /c/v1/messages": RateLimit(120, 60.0),
    "POST /c/v1/campaigns/batch": RateLimit(10, 60.0),
}
_PRINTABLE_ASCII = re.compile(r"[\x21-\x7e]+")
USER_AGENT = f"ziett-python/{__version__} Python/{platform.python_version()}"


def resolve_api_key(api_key: str | None) -> str:
    """The explicit key, else ``ZIETT_API_KEY``; a clear error when neither is set."""
    key = api_key if api_key is not None else os.environ.get(ENV_API_KEY)
    key = key.strip() if isinstance(key, str) else key
    if not key:
        raise ZiettError(
            f"No API key: pass api_key=... or set the {ENV_API_KEY} environment variable."
        )
    if not _PRINTABLE_ASCII.fullmatch(key):
        # Never echo the key: it would end up in logs and tracebacks.
        raise ZiettError("The API key has characters an HTTP header cannot carry; check its value.")
    return key


def resolve_remitter_id(remitter_id: str | None) -> str | None:
    """The explicit default sender id, else ``ZIETT_REMITTER_ID``, else None."""
    value = remitter_id if remitter_id is not None else os.environ.get(ENV_REMITTER_ID)
    value = value.strip() if isinstance(value, str) else value
    return value or None


def resolve_base_url(base_url: str | None) -> str:
    """The explicit base URL, else ``ZIETT_BASE_URL``, else the production API."""
    url = base_url or os.environ.get(ENV_BASE_URL) or DEFAULT_BASE_URL
    return url.rstrip("/")


def resolve_timeout(
    timeout: float | httpx.Timeout | None, has_own_http_client: bool
) -> httpx.Timeout | None:
    """The per-attempt timeout; None leaves a user-supplied http_client's own default."""
    if timeout is None:
        return None if has_own_http_client else DEFAULT_TIMEOUT
    return timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)


def masked(api_key: str) -> str:
    """A form of the key safe to show: its prefix and last four characters."""
    prefix = api_key.split("_", 2)
    shown = "_".join(prefix[:2]) + "_" if len(prefix) == 3 else ""
    return f"{shown}...{api_key[-4:]}" if len(api_key) > 12 else "***"


def resolve_rate_limit_store(store: str | None) -> str | None:
    """The explicit store URL, else ``ZIETT_RATE_LIMIT_STORE``; None: the in-process budget."""
    url = store if store is not None else os.environ.get(ENV_RATE_LIMIT_STORE)
    url = url.strip() if isinstance(url, str) else url
    return url or None


_logging_lock = threading.Lock()
_logging_configured = False


def configure_logging_from_env() -> None:
    """Once per process: with ``ZIETT_LOG=debug|info``, the ``ziett`` logger writes to stderr.

    Nothing happens without the variable (the application's logging decides), nor
    when the ``ziett`` logger already has a handler.
    """
    global _logging_configured
    if _logging_configured:
        return
    with _logging_lock:
        if _logging_configured:
            return
        _logging_configured = True
        level = {"debug": logging.DEBUG, "info": logging.INFO}.get(
            os.environ.get(ENV_LOG, "").strip().lower()
        )
        logger = logging.getLogger("ziett")
        if level is None or logger.handlers:
            return
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(level)
