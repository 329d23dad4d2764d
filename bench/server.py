"""A minimal, fast HTTP/1.1 stand-in for the Ziett API, for benchmarks only.

Run as ``python -m bench.server [--port 0] ...``: it binds 127.0.0.1, prints ``PORT <n>``
on stdout, and serves until its stdin closes (the benchmark that started it ended,
however it ended), so it never outlives the run. A raw :class:`asyncio.Protocol` with
keep-alive and precomputed response bytes, so its cost per request stays small next to
the client's; its routes are listed on :class:`Api`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import sys
import threading
import time
from collections import deque
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qs, urlsplit

PACED_KEY_PREFIX = "zk_test_paced_"
MESSAGE_ID = "019b4b56-e704-7c30-83a0-527df63c3e00"
ORGANIZATION_ID = "019a1f2e-3c4d-7e5f-8a9b-0c1d2e3f4a5b"
_CAMPAIGN_ID = "019b4a10-0000-7000-8000-00000000c0de"
_REMITTER_ID = "019b4b56-e704-7c30-83a0-000000000001"
_BILLING_ID = "019a1f2e-0000-7000-8000-0000000b111e"


def full_message(n: int) -> dict[str, Any]:
    """Message number ``n``: one of four realistic shapes, every field of the schema."""
    shape = n % 4
    e164 = f"+24499{n % 10_000_000:07d}"
    contact = {
        "id": f"019b4b00-aaaa-7bbb-8ccc-{n:012x}",
        "updated_at": "2025-11-20T08:14:03.551203Z",
        "created_at": "2025-11-20T08:14:03.551203Z",
        "name": "Ana Silva",
        "email": "ana.silva@example.com",
        "e164_format": e164,
        "organization_id": ORGANIZATION_ID,
    }
    campaign = {
        "id": _CAMPAIGN_ID,
        "updated_at": "2025-11-22T19:00:41.002817Z",
        "created_at": "2025-11-22T18:59:58.713344Z",
        "name": "Black Friday Promo - Luanda",
        "status": "COMPLETED",
    }
    in_campaign = shape == 2
    return {
        "id": f"019b4b56-e704-7c30-83a0-{n:012x}",
        "updated_at": "2025-11-23T16:52:11.482913Z",
        "created_at": "2025-11-23T16:52:09.102233Z",
        "organization_id": ORGANIZATION_ID,
        "campaign_id": _CAMPAIGN_ID if in_campaign else None,
        "contact_id": contact["id"] if shape != 0 else None,
        "sms_remitter_id": _REMITTER_ID,
        "sms_remitter": {"name": "ZIETT"},
        "external_id": f"prv-{n:010d}",
        "cost": "3.50" if shape != 3 else "0.00",
        "billing_account_id": _BILLING_ID,
        "channel_type": "SMS",
        "channel_destination": "UNITEL",
        "provider_id": "019a0000-0000-7000-8000-0000000000a1",
        "e164_format": e164,
        "content": (
            "Flash Sale! Enjoy 50% off on all items this weekend only."
            if in_campaign
            else "Your verification code is 482910. It expires in 5 minutes."
        ),
        "trigger_source": "CAMPAIGN" if in_campaign else "API_CLIENT",
        "error_code": "INVALID_PHONE_NUMBER" if shape == 3 else None,
        "is_refunded": shape == 3,
        "status": ("DELIVERED", "SENT", "DELIVERED", "FAILED")[shape],
        "contact": contact if shape != 0 else None,
        "campaign": campaign if in_campaign else None,
    }


def _template(shape: int) -> str:
    """Message JSON of one shape with ``%(hex)s`` and ``%(digits)s`` placeholders."""
    probe = 0xFEEDFACE00 + shape  # distinctive values, replaced by placeholders below
    text = json.dumps(full_message(probe), separators=(",", ":"))
    text = text.replace("%", "%%").replace(f"{probe:012x}", "%(hex)s")
    text = text.replace(f"{probe:010d}", "%(digits)s")
    return text.replace(f"{probe % 10_000_000:07d}", "%(e164)s")


_TEMPLATES = [_template(shape) for shape in range(4)]


def message_json(n: int) -> str:
    """The same JSON as ``full_message(n)``, from a template (about 1 µs)."""
    values = {"hex": f"{n:012x}", "digits": f"{n:010d}", "e164": f"{n % 10_000_000:07d}"}
    return _TEMPLATES[n % 4] % values


def page_body(page: int, size: int, total: int) -> bytes:
    """A MessagePage (page numbers from 1) over ``total`` messages."""
    pages = math.ceil(total / size) if size else 0
    first = (page - 1) * size
    entries = ",".join(message_json(n) for n in range(first, min(first + size, total)))
    tail = f'],"total":{total},"page":{page},"size":{size},"pages":{pages}}}'
    return ('{"entries":[' + entries + tail).encode()


@lru_cache(maxsize=1024)  # 500 pages of 200 full messages: about 100 MB, server side
def page_response(page: int, size: int, total: int) -> bytes:
    """The complete response for one page, built once."""
    return response("200 OK", page_body(page, size, total))


def response(status: str, body: bytes, extra: str = "") -> bytes:
    """A complete HTTP/1.1 keep-alive response."""
    head = (
        f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n{extra}\r\n"
    )
    return head.encode() + body


def _error(status: int, reason: str, code: str, extra: str = "") -> bytes:
    body = {"code": code, "message": reason, "status": status, "trace_id": "0" * 32}
    return response(f"{status} {reason}", json.dumps(body).encode(), extra)


MESSAGE_RESPONSE = response("200 OK", json.dumps(full_message(1), separators=(",", ":")).encode())
ACCEPTED_RESPONSE = response("202 Accepted", json.dumps({"message_id": MESSAGE_ID}).encode())
NOT_FOUND_RESPONSE = _error(404, "Not Found", "NOT_FOUND")


class SlidingWindow:
    """At most ``limit`` accepted requests in any ``window`` seconds, per key."""

    def __init__(self, limit: int, window: float) -> None:
        self.limit = limit
        self.window = window
        self.recent: dict[str, deque[float]] = {}
        self.accepted: dict[str, list[float]] = {}
        self.rejected: dict[str, int] = {}

    def admit(self, key: str) -> float | None:
        """None when admitted; else the seconds until a slot frees."""
        now = time.monotonic()
        recent = self.recent.setdefault(key, deque())
        while recent and recent[0] <= now - self.window:
            recent.popleft()
        if len(recent) >= self.limit:
            self.rejected[key] = self.rejected.get(key, 0) + 1
            return recent[0] + self.window - now
        recent.append(now)
        self.accepted.setdefault(key, []).append(now)
        return None

    def stats(self, key: str) -> dict[str, Any]:
        return {
            "accepted_at": self.accepted.get(key, []),
            "rejected": self.rejected.get(key, 0),
            "limit": self.limit,
            "window": self.window,
        }


class Api:
    """Request head and body in, complete response bytes out.

    Routes:

    - ``GET /c/v1/messages/{id}``: one full Message (every field of the spec's schema).
    - ``GET /c/v1/messages?page=N&size=S``: a MessagePage of full messages, built
      once per page from per-shape templates and then served from a cache.
    - ``POST /c/v1/messages``: 202 Accepted. Keys starting with :data:`PACED_KEY_PREFIX`
      are held to a sliding window (``--rate-limit`` per ``--rate-window`` seconds)
      and answered 429 with ``Retry-After`` beyond it.
    - ``GET /_bench/stats?key=K``: what the server saw for key K (sends answered,
      accepted send times on the server's monotonic clock, the number of 429 answers).
    """

    def __init__(self, list_total: int, pacing: SlidingWindow) -> None:
        self.list_total = list_total
        self.pacing = pacing
        self.sends: dict[str, int] = {}

    def respond(self, method: bytes, target: bytes, api_key: str, body: bytes) -> bytes:
        if method == b"GET" and target.startswith(b"/c/v1/messages/"):
            return MESSAGE_RESPONSE
        if method == b"POST" and target == b"/c/v1/messages":
            return self.send(api_key, body)
        url = urlsplit(target.decode())
        query = {name: values[-1] for name, values in parse_qs(url.query).items()}
        if method == b"GET" and url.path == "/c/v1/messages":
            page, size = int(query.get("page", "1")), int(query.get("size", "30"))
            return page_response(page, size, self.list_total)
        if method == b"GET" and url.path == "/_bench/stats":
            key = query.get("key", "")
            stats = {"sends": self.sends.get(key, 0), **self.pacing.stats(key)}
            return response("200 OK", json.dumps(stats).encode())
        return NOT_FOUND_RESPONSE

    def send(self, api_key: str, body: bytes) -> bytes:
        self.sends[api_key] = self.sends.get(api_key, 0) + 1
        if api_key.startswith(PACED_KEY_PREFIX):
            wait = self.pacing.admit(api_key)
            if wait is not None:
                retry_after = f"Retry-After: {max(1, math.ceil(wait))}\r\n"
                return _error(429, "Too Many Requests", "RATE_LIMITED", retry_after)
        return ACCEPTED_RESPONSE


def _header(head: bytes, lowered: bytes, name: bytes) -> bytes | None:
    """The value of header ``name`` (lowercase, with the colon) in a request head."""
    start = lowered.find(b"\r\n" + name)
    if start < 0:
        return None
    start += 2 + len(name)
    end = head.find(b"\r\n", start)
    return head[start : end if end >= 0 else len(head)].strip()


class HttpProtocol(asyncio.Protocol):
    """HTTP/1.1 with keep-alive: parse each complete request, write its answer."""

    def __init__(self, api: Api) -> None:
        self.api = api
        self.buffer = bytearray()
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while self.transport is not None and self._answer_one():
            pass

    def _answer_one(self) -> bool:
        """Answer the first buffered request if it is complete; False when it is not."""
        assert self.transport is not None
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0:
            return False
        head = bytes(self.buffer[:end])
        lowered = head.lower()
        length = int(_header(head, lowered, b"content-length:") or 0)
        if len(self.buffer) < end + 4 + length:
            return False
        body = bytes(self.buffer[end + 4 : end + 4 + length])
        del self.buffer[: end + 4 + length]
        method, target, _ = head[: head.find(b"\r\n")].split(b" ", 2)
        api_key = (_header(head, lowered, b"x-api-key:") or b"").decode()
        self.transport.write(self.api.respond(method, target, api_key, body))
        if _header(head, lowered, b"connection:") == b"close":
            self.transport.close()
            self.transport = None
        return True

    def connection_lost(self, exc: Exception | None) -> None:
        self.transport = None


def _stop_when_stdin_closes(loop: asyncio.AbstractEventLoop, stopped: asyncio.Event) -> None:
    def watch() -> None:
        sys.stdin.buffer.read()  # returns at EOF: the parent closed the pipe or died
        loop.call_soon_threadsafe(stopped.set)

    threading.Thread(target=watch, daemon=True).start()


async def serve(port: int, api: Api) -> None:
    """Serve on 127.0.0.1 until stdin closes; prints ``PORT <n>`` once listening."""
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: HttpProtocol(api), "127.0.0.1", port, backlog=1024, reuse_address=True
    )
    bound = server.sockets[0].getsockname()[1]
    print(f"PORT {bound}", flush=True)
    stopped = asyncio.Event()
    _stop_when_stdin_closes(loop, stopped)
    async with server:
        await stopped.wait()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--list-total", type=int, default=100_000)
    parser.add_argument("--rate-limit", type=int, default=120)
    parser.add_argument("--rate-window", type=float, default=10.0)
    args = parser.parse_args(argv)
    api = Api(args.list_total, SlidingWindow(args.rate_limit, args.rate_window))
    asyncio.run(serve(args.port, api))


if __name__ == "__main__":
    main()
