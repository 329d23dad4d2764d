"""The sandbox over real HTTP: a raw ASGI 3 app and a uvicorn thread for tests and demos.

The app converts ASGI <-> httpx requests and responses and calls the same logic as
:meth:`Sandbox.handle`; it also serves the inbox page at ``/`` and streams its updates
at ``/_sandbox/events``. Every request first passes the host check of
:mod:`ziett.sandbox._guard`. uvicorn (the ``sandbox`` extra) is imported lazily, by
:func:`serve_in_thread` and the CLI only.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator, MutableMapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, TypeAlias
from urllib.parse import quote, urlsplit

import anyio
import httpx

from ziett.sandbox import inbox
from ziett.sandbox._faults import DROPPED_MESSAGE
from ziett.sandbox._guard import check_host, normalise_host, own_names
from ziett.sandbox._responses import ApiError
from ziett.sandbox._sandbox import Sandbox

if TYPE_CHECKING:
    import uvicorn

Scope: TypeAlias = MutableMapping[str, Any]
Message: TypeAlias = MutableMapping[str, Any]
Receive: TypeAlias = Callable[[], Awaitable[Message]]
Send: TypeAlias = Callable[[Message], Awaitable[None]]
ASGIApp: TypeAlias = Callable[[Scope, Receive, Send], Awaitable[None]]

MISSING_UVICORN: Final = (
    "Serving the Ziett sandbox over HTTP needs uvicorn: pip install 'ziett[sandbox]'"
)


def create_app(sandbox: Sandbox, *, allowed_hosts: Iterable[str] = ()) -> ASGIApp:
    """An ASGI 3 app serving ``sandbox``: the /c/v1 API, the /_sandbox/ control API, the inbox.

    Every route answers 421 to a ``Host`` that is not the sandbox's own: localhost,
    127.0.0.1, [::1], the IP address the connection reached (the bound socket's, e.g.
    a LAN address when bound to 0.0.0.0), with or without a port, or one of
    ``allowed_hosts`` (in-process, ``httpx.ASGITransport`` with
    ``base_url="http://localhost"`` is served; another name needs ``allowed_hosts``).
    No CORS header is ever sent, and state-changing control requests take JSON from
    no other origin (``ziett.sandbox._guard.check_control``).

    :param sandbox: the sandbox to serve.
    :param allowed_hosts: more names to answer to (a proxy's or a LAN name, e.g.
        ``["sandbox.dev.internal"]``): only names you trust to reach this sandbox.
    """
    extra = frozenset(normalise_host(name) for name in allowed_hosts)

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":
            raise RuntimeError(f"The Ziett sandbox only speaks HTTP, not {scope['type']!r}.")
        server = scope.get("server")
        try:
            check_host(_host_header(scope), own_names(server[0] if server else None, extra))
        except ApiError as refused:
            await _send_response(send, sandbox.error_response(refused))
            return
        request = _to_request(scope, await _read_body(receive))
        if scope["method"] == "GET":
            page = inbox.asset(scope["path"])
            if page is not None:
                await _send_page(send, *page)
                return
            if scope["path"] == inbox.EVENTS_PATH:
                await _stream_events(sandbox, scope, receive, send)
                return
        plan = sandbox.begin(request)
        if plan.delay:
            await anyio.sleep(plan.delay)
        response = sandbox.complete(plan)
        if response is None:
            await _drop_connection(receive, send)
        else:
            await _send_response(send, response)

    return app


async def _send_page(send: Send, content_type: str, body: bytes) -> None:
    headers = [
        (b"content-type", content_type.encode()),
        (b"content-length", str(len(body)).encode()),
        (b"cache-control", b"no-cache"),
        (b"x-content-type-options", b"nosniff"),
        (b"content-security-policy", _PAGE_POLICY),
    ]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})


_PAGE_POLICY: Final = (
    b"default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    b"img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


async def _stream_events(sandbox: Sandbox, scope: Scope, receive: Receive, send: Send) -> None:
    """Stream :func:`ziett.sandbox.inbox.events` until it ends or the client goes away."""
    query = httpx.QueryParams(scope.get("query_string", b"").decode("latin-1"))
    headers = [
        (b"content-type", b"text/event-stream; charset=utf-8"),
        (b"cache-control", b"no-cache"),
        (b"x-accel-buffering", b"no"),
    ]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    ended = False
    async with anyio.create_task_group() as group:

        async def cancel_on_disconnect() -> None:
            while (await receive())["type"] != "http.disconnect":
                pass
            group.cancel_scope.cancel()

        group.start_soon(cancel_on_disconnect)
        async for frame in inbox.events(sandbox, query.get("phone") or None):
            await send({"type": "http.response.body", "body": frame, "more_body": True})
        ended = True
        group.cancel_scope.cancel()
    if ended:
        await send({"type": "http.response.body", "body": b"", "more_body": False})


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _host_header(scope: Scope) -> str:
    """The ``Host`` the client sent ("" without one; HTTP/2's ``:authority`` arrives as it)."""
    hosts = [bytes(value) for name, value in scope.get("headers", []) if bytes(name) == b"host"]
    return hosts[0].decode("latin-1") if len(hosts) == 1 else ""


def _to_request(scope: Scope, body: bytes) -> httpx.Request:
    raw_path: bytes = scope.get("raw_path") or quote(scope["path"]).encode("ascii")
    if not raw_path.startswith(b"/"):  # absolute-form, as sent to a proxy: keep its path
        raw_path = urlsplit(raw_path.decode("latin-1")).path.encode("latin-1") or b"/"
    query: bytes = scope.get("query_string", b"")
    target = raw_path + (b"?" + query if query else b"")
    headers = [(bytes(name), bytes(value)) for name, value in scope.get("headers", [])]
    url = httpx.URL(f"{scope.get('scheme', 'http')}://sandbox").copy_with(raw_path=target)
    return httpx.Request(scope["method"], url, headers=headers, content=body)


async def _send_response(send: Send, response: httpx.Response) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": response.status_code,
            "headers": list(response.headers.raw),
        }
    )
    await send({"type": "http.response.body", "body": response.content, "more_body": False})


async def _drop_connection(receive: Receive, send: Send) -> None:
    """Close the connection without a response, as a crashing server or proxy would.

    ASGI has no "abort": an app that raises before answering gets a 500 from
    uvicorn. So the sandbox closes uvicorn's transport itself (reached through
    the ``receive`` bound method of its request cycle; HTTP/2 streams are reset),
    then waits for uvicorn to notice the disconnect, after which uvicorn sends
    nothing. The client sees "Server disconnected without sending a response.".
    Under another server (or ``httpx.ASGITransport``) it starts a response that
    promises a body and raises :class:`httpx.RemoteProtocolError`, so the client
    still sees a broken connection.
    """
    cycle = getattr(receive, "__self__", None)
    abort_stream = getattr(cycle, "abort_stream", None)
    transport = getattr(cycle, "transport", None)
    if callable(abort_stream):
        abort_stream()
        return
    if transport is not None and callable(getattr(transport, "close", None)):
        transport.close()
        with anyio.move_on_after(5):
            while (await receive())["type"] != "http.disconnect":
                pass
        return
    await send(
        {"type": "http.response.start", "status": 500, "headers": [(b"content-length", b"1")]}
    )
    raise httpx.RemoteProtocolError(DROPPED_MESSAGE)


# --- Serving with uvicorn ------------------------------------------------------------------------


def bind_socket(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port`` (0 picks a free port), ready for uvicorn.

    It listens at once, so connections made before uvicorn starts wait in the backlog.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(2048)
    except OSError:
        sock.close()
        raise
    return sock


def base_url(sock: socket.socket) -> str:
    """``http://host:port`` of a bound socket."""
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


@dataclass(frozen=True)
class SandboxServer:
    """A sandbox served over HTTP by :func:`serve_in_thread`."""

    base_url: str
    sandbox: Sandbox


@contextlib.contextmanager
def serve_in_thread(
    sandbox: Sandbox | None = None,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    allowed_hosts: Iterable[str] = (),
) -> Iterator[SandboxServer]:
    """Serve ``sandbox`` (a new one by default) with uvicorn in a background thread.

    The server is up on entry and stopped on exit.

    :param sandbox: the sandbox to serve (default: a new :class:`Sandbox`).
    :param host: the interface to listen on.
    :param port: the port, 0 for a free one (``base_url`` tells which).
    :param allowed_hosts: more ``Host`` names to answer to (see :func:`create_app`).
    """
    try:
        import uvicorn
    except ImportError as exc:
        raise ImportError(MISSING_UVICORN) from exc

    served = sandbox if sandbox is not None else Sandbox()
    sock = bind_socket(host, port)
    config = uvicorn.Config(
        create_app(served, allowed_hosts=[*allowed_hosts, sock.getsockname()[0]]),
        log_level="warning",
        access_log=False,
        lifespan="on",
        timeout_graceful_shutdown=5,
        timeout_keep_alive=30,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="ziett-sandbox", daemon=True
    )
    thread.start()
    try:
        _wait_until_started(server, thread)
        yield SandboxServer(base_url=base_url(sock), sandbox=served)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def _wait_until_started(
    server: uvicorn.Server, thread: threading.Thread, timeout: float = 10.0
) -> None:
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("The Ziett sandbox server failed to start.")
        if time.monotonic() > deadline:
            raise TimeoutError("The Ziett sandbox server did not start in time.")
        time.sleep(0.005)
