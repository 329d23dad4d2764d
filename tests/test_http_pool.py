"""The httpx clients ziett opens for itself (ziett/_http.py), over real sockets.

Connections are counted by the server: they are reused and capped, an idle one
past its keep-alive is replaced, a request cancelled on the way leaves no slot
behind, on asyncio, trio and threads; and respx still intercepts the clients.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

import anyio
import httpx
import pytest
import respx

from ziett import _http

RESPONSE = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"


class Server(NamedTuple):
    url: str
    accepted: list[int]
    """One entry per connection the server accepted."""


@pytest.fixture
def server() -> Iterator[Server]:
    """A keep-alive HTTP/1.1 server answering ``{}`` to every request, in a thread."""
    accepted: list[int] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        accepted.append(1)
        try:
            while await reader.readuntil(b"\r\n\r\n"):
                await asyncio.sleep(0.001)  # long enough for requests to queue
                writer.write(RESPONSE)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()

    loop = asyncio.new_event_loop()
    listener = socket.create_server(("127.0.0.1", 0))
    running = loop.run_until_complete(asyncio.start_server(handle, sock=listener))
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    yield Server(f"http://127.0.0.1:{listener.getsockname()[1]}/", accepted)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(timeout=5)
    running.close()


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_async_client_caps_and_reuses_connections(server: Server, backend: str) -> None:
    async def main() -> list[int]:
        async with _http.new_async_client(3) as client:
            codes: list[int] = []

            async def one() -> None:
                codes.append((await client.get(server.url)).status_code)

            async with anyio.create_task_group() as group:
                for _ in range(40):
                    group.start_soon(one)
            return codes

    assert anyio.run(main, backend=backend) == [200] * 40
    assert len(server.accepted) == 3


def test_sync_client_caps_and_reuses_connections_across_threads(server: Server) -> None:
    with _http.new_sync_client(3) as client, ThreadPoolExecutor(8) as threads:
        codes = list(threads.map(lambda _: client.get(server.url).status_code, range(40)))

    assert codes == [200] * 40
    assert len(server.accepted) == 3


def test_one_request_at_a_time_uses_one_connection(server: Server) -> None:
    with _http.new_sync_client(5) as client:
        for _ in range(10):
            client.get(server.url)
    assert len(server.accepted) == 1


def test_an_expired_idle_connection_is_replaced(server: Server) -> None:
    with _http.new_sync_client(2, keepalive_expiry=0.05) as client:
        client.get(server.url)
        time.sleep(0.1)
        client.get(server.url)
        client.get(server.url)
    assert len(server.accepted) == 2


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_a_request_cancelled_on_the_way_leaves_no_slot_behind(server: Server, backend: str) -> None:
    async def main() -> list[int]:
        async with _http.new_async_client(1) as client:
            for _ in range(3):
                with anyio.move_on_after(0):
                    await client.get(server.url)
            with anyio.fail_after(5):
                return [(await client.get(server.url)).status_code for _ in range(3)]

    assert anyio.run(main, backend=backend) == [200] * 3


def test_a_response_left_unread_frees_its_connection_when_closed(server: Server) -> None:
    with _http.new_sync_client(1) as client:
        with client.stream("GET", server.url) as response:
            assert response.status_code == 200
        # The lane is free again: a held one would make this wait for a pool slot.
        assert client.get(server.url, timeout=5).json() == {}


def test_respx_intercepts_the_clients() -> None:
    with respx.mock(base_url="http://ziett.test") as router:
        route = router.get("/a").respond(200, json={"ok": True})
        with _http.new_sync_client(2) as client:
            assert client.get("http://ziett.test/a").json() == {"ok": True}

        async def main() -> object:
            async with _http.new_async_client(2) as client:
                return (await client.get("http://ziett.test/a")).json()

        assert asyncio.run(main()) == {"ok": True}
    assert route.call_count == 2


def test_transport_errors_are_httpx_errors() -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    with _http.new_sync_client(1) as client:
        for _ in range(2):  # the first failure gave its lane back
            with pytest.raises(httpx.ConnectError):
                client.get(f"http://127.0.0.1:{port}/")


@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_a_proxy_in_the_environment_is_used(
    flavour: str, server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", server.url)  # the test server stands in for a proxy
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    url = "http://api.ziett.invalid/c/v1/messages"  # unresolvable: only a proxy can answer
    if flavour == "sync":
        with _http.new_sync_client(2) as client:
            response = client.get(url)
    else:

        async def fetch() -> httpx.Response:
            async with _http.new_async_client(2) as client:
                return await client.get(url)

        response = anyio.run(fetch)
    assert response.status_code == 200 and server.accepted == [1]
