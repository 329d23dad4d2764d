"""The inbox: a web page at ``/`` that shows what an app sent to the sandbox, live.

Phones, each one's conversation, the campaigns' progress and the balance, with the
fixture's controls as buttons calling the ``/_sandbox/`` control API. The page is three
static files in this package (no CDN, no build step); :func:`events` yields the inbox
document (:meth:`Sandbox.inbox`) whenever :attr:`Sandbox.version` moves, and
:mod:`ziett.sandbox._asgi` streams it at ``/_sandbox/events``. Depends on the engine;
the engine never imports it.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncGenerator
from functools import cache
from importlib import resources
from typing import Final

import anyio

from ziett.sandbox._sandbox import Sandbox

EVENTS_PATH: Final = "/_sandbox/events"
"""Where the HTTP app streams the inbox document (``?phone=`` selects a conversation)."""

_ASSETS: Final = {
    "/": ("index.html", "text/html; charset=utf-8"),
    "/inbox.css": ("inbox.css", "text/css; charset=utf-8"),
    "/inbox.js": ("inbox.js", "text/javascript; charset=utf-8"),
}
POLL_SECONDS: Final = 0.25
"""How often a stream looks for changes (the lifecycle moves on the clock, not on events)."""
KEEP_ALIVE_SECONDS: Final = 15.0
"""The longest silence on a stream: a comment line keeps proxies from closing it."""
STREAM_SECONDS: Final = 60.0
"""A stream's lifetime; the browser reconnects at once (so a stopping server is never held)."""


@cache
def asset(path: str) -> tuple[str, bytes] | None:
    """The content type and bytes of the page's file at URL ``path``, or None.

    :param path: a request path: ``/``, ``/inbox.css`` or ``/inbox.js``.
    """
    found = _ASSETS.get(path)
    if found is None:
        return None
    name, content_type = found
    return content_type, resources.files(__package__).joinpath(name).read_bytes()


async def events(
    sandbox: Sandbox,
    phone: str | None,
    *,
    poll: float = POLL_SECONDS,
    keep_alive: float = KEEP_ALIVE_SECONDS,
    lifetime: float = STREAM_SECONDS,
) -> AsyncGenerator[bytes, None]:
    """Server-sent events: the inbox document at once, then each time it changes.

    :param sandbox: the sandbox to watch.
    :param phone: the E.164 number whose conversation to include (None: the latest).
    :param poll: seconds between two looks at the sandbox.
    :param keep_alive: the longest silence before a comment line.
    :param lifetime: seconds after which the stream ends (the browser reconnects).
    """
    yield b"retry: 500\n\n"
    last = document = ""
    seen: int | None = None
    quiet_since = started = time.monotonic()
    while time.monotonic() - started < lifetime:
        # Building the document is the expensive part: only when something changed.
        # (A change between these two looks is in the document, and moves the version
        # again: the next look rebuilds an equal document and sends nothing.)
        version = sandbox.version
        if version != seen:
            seen = version
            document = json.dumps(sandbox.inbox(phone), separators=(",", ":"))
        now = time.monotonic()
        if document != last:
            last, quiet_since = document, now
            yield b"data: " + document.encode() + b"\n\n"
        elif now - quiet_since >= keep_alive:
            quiet_since = now
            yield b": keep-alive\n\n"
        await anyio.sleep(poll)
