"""The pool of the httpx clients ziett opens for itself (ziett/_http.py), over real sockets.

Its one change to httpcore's pool is the linear ``_assign_requests_to_connections``;
these check the decisions it must keep: connections are reused and capped, an idle
connection past its keep-alive is replaced when handed out, a request cancelled
before it connects leaves no slot behind, on asyncio, trio and threads; and respx
still intercepts the client.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import anyio
import httpcore
import httpx
import pytest
import respx

from ziett import _http

RESPONSE = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    """A keep-alive HTTP/1.1 server answering ``{}`` to every request, in a thread."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while await reader.readuntil(b"\r\n\r\n"):
                await asyncio.sleep(0.001)  # long enough for requests to queue
                writer.write(RESPONSE)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()

    loop = asyncio.new_event_loop()
    listener = socket.create_server(("127.0.0.1", 0))
    server = loop.run_until_complete(asyncio.start_server(handle, sock=listener))
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/"
    loop.call_soon_threadsafe(loop.stop)
    thread.join(timeout=5)
    server.close()


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_async_client_caps_and_reuses_connections(url: str, backend: str) -> None:
    async def main() -> tuple[list[int], int]:
        async with _http.new_async_client(3) as client:
            codes: list[int] = []

            async def one() -> None:
                codes.append((await client.get(url)).status_code)

            async with anyio.create_task_group() as group:
                for _ in range(40):
                    group.start_soon(one)
            return codes, len(client._transport._pool.connections)  # type: ignore[attr-defined]

    codes, connections = anyio.run(main, backend=backend)

    assert codes == [200] * 40
    assert connections == 3


def test_sync_client_caps_and_reuses_connections_across_threads(url: str) -> None:
    with _http.new_sync_client(3) as client, ThreadPoolExecutor(8) as threads:
        codes = list(threads.map(lambda _: client.get(url).status_code, range(40)))
        connections = client._transport._pool.connections  # type: ignore[attr-defined]

    assert codes == [200] * 40
    assert len(connections) == 3


def test_an_expired_idle_connection_is_replaced_when_handed_out(url: str) -> None:
    with _http.new_sync_client(2) as client:
        pool = client._transport._pool  # type: ignore[attr-defined]
        pool._keepalive_expiry = 0.05
        client.get(url)
        [first] = pool.connections
        time.sleep(0.1)
        client.get(url)
        [second] = pool.connections
        client.get(url)

        assert first is not second and first.is_closed()
        assert pool.connections == [second]


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_a_request_cancelled_on_the_way_leaves_no_slot_behind(url: str, backend: str) -> None:
    async def main() -> tuple[int, int]:
        async with _http.new_async_client(1) as client:
            pool = client._transport._pool  # type: ignore[attr-defined]
            # What a request cancelled between being handed a new connection and
            # connecting it leaves behind: a connection that never connected.
            pool._connections.append(pool.create_connection(httpcore.URL(url).origin))
            with anyio.move_on_after(0):
                await client.get(url)
            with anyio.fail_after(5):
                response = await client.get(url)
            return response.status_code, len(pool.connections)

    assert anyio.run(main, backend=backend) == (200, 1)


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


def test_the_clients_use_the_linear_pool() -> None:
    with _http.new_sync_client(2) as client:
        assert isinstance(client._transport._pool, _http.LinearConnectionPool)  # type: ignore[attr-defined]
    async_client = _http.new_async_client(2)
    pool = async_client._transport._pool  # type: ignore[attr-defined]
    assert isinstance(pool, _http.AsyncLinearConnectionPool)
    assert isinstance(async_client, httpx.AsyncClient)
