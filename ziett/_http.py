"""The httpx clients an SDK client opens for itself (never a user's ``http_client=``).

One place decides the transport and its limits, so that both clients and the benchmarks
agree. The transport is a row of one-connection httpx transports: a request takes an
idle one, so no pool ever queues and each pool's bookkeeping stays O(1) (httpcore 1.x
re-plans a whole pool on every request, in O(connections²)). Built on httpx's public
transport interface only; respx works as with httpx's. With a proxy in the environment
(``HTTPS_PROXY``...), httpx's own pool is used instead, so its proxies and ``NO_PROXY`` apply.
Idle connections close after 4 s, before the common 5 s server keep-alive, so a send
never goes out on a connection the server is closing.
"""

from __future__ import annotations

import ssl
import threading
import urllib.request
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Generic, TypeVar

import httpx

KEEPALIVE_EXPIRY = 4.0

TransportT = TypeVar("TransportT", httpx.HTTPTransport, httpx.AsyncHTTPTransport)


def connection_limits(max_connections: int) -> httpx.Limits:
    """The limits of a pool holding at most ``max_connections`` connections.

    Args:
        max_connections: How many requests the client lets be in flight at once.
    """
    return httpx.Limits(
        max_connections=max_connections,
        max_keepalive_connections=max_connections,
        keepalive_expiry=KEEPALIVE_EXPIRY,
    )


# The two factories differ only in the client and transport classes; both build on the
# one row of lanes (_Lanes), which holds the shared logic.
def new_sync_client(
    max_connections: int, keepalive_expiry: float = KEEPALIVE_EXPIRY
) -> httpx.Client:
    """A blocking httpx client with ``max_connections`` connections.

    Args:
        max_connections: How many requests may be in flight at once (one connection each).
        keepalive_expiry: Seconds an idle connection is kept.
    """
    if _proxied():
        return httpx.Client(limits=connection_limits(max_connections))
    return httpx.Client(transport=SyncRowTransport(max_connections, keepalive_expiry))


def new_async_client(
    max_connections: int, keepalive_expiry: float = KEEPALIVE_EXPIRY
) -> httpx.AsyncClient:
    """An async httpx client (asyncio or trio) with ``max_connections`` connections.

    Args:
        max_connections: How many requests may be in flight at once (one connection each).
        keepalive_expiry: Seconds an idle connection is kept.
    """
    if _proxied():
        return httpx.AsyncClient(limits=connection_limits(max_connections))
    return httpx.AsyncClient(transport=AsyncRowTransport(max_connections, keepalive_expiry))


def _proxied() -> bool:
    """True when the environment names a proxy: httpx honours it only on its own transport."""
    return bool(urllib.request.getproxies())


class _Row(Generic[TransportT]):
    """One-connection transports and how many requests each one carries now.

    ``take`` hands out the most recently freed idle lane (its connection is the
    warmest); when every lane is busy (more requests than connections: the
    client's own gate prevents it), the least busy one, whose pool queues.
    """

    def __init__(self, size: int, make: Callable[[], TransportT]) -> None:
        size = max(1, size)  # the clients check their setting; never an empty row
        self.lanes: list[TransportT] = [make() for _ in range(size)]
        self._busy = [0] * size
        self._idle = list(range(size - 1, -1, -1))  # a stack: lane 0 first
        self._lock = threading.Lock()

    def take(self) -> int:
        with self._lock:
            if self._idle:
                index = self._idle.pop()
            else:
                index = min(range(len(self._busy)), key=self._busy.__getitem__)
            self._busy[index] += 1
            return index

    def give_back(self, index: int) -> None:
        with self._lock:
            self._busy[index] -= 1
            if self._busy[index] == 0:
                self._idle.append(index)

    def releaser(self, index: int) -> Callable[[], None]:
        """A function that gives lane ``index`` back once, however often it is called."""
        done = False

        def release() -> None:
            nonlocal done
            if not done:
                done = True
                self.give_back(index)

        return release


class _SyncStream(httpx.SyncByteStream):
    """A response body that frees its lane when closed."""

    def __init__(self, stream: httpx.SyncByteStream, release: Callable[[], None]) -> None:
        self._stream = stream
        self._release = release

    def __iter__(self) -> Iterator[bytes]:
        return iter(self._stream)  # the lane's own iterator: no generator layer per chunk

    def close(self) -> None:
        try:
            self._stream.close()
        finally:
            self._release()


class _AsyncStream(httpx.AsyncByteStream):
    """A response body that frees its lane when closed."""

    def __init__(self, stream: httpx.AsyncByteStream, release: Callable[[], None]) -> None:
        self._stream = stream
        self._release = release

    def __aiter__(self) -> AsyncIterator[bytes]:
        return self._stream.__aiter__()  # the lane's own iterator: no generator layer per chunk

    async def aclose(self) -> None:
        try:
            await self._stream.aclose()
        finally:
            self._release()


class _Lanes(Generic[TransportT]):
    """What both transports share: the row, its size, and wrapping an answer's body."""

    def __init__(
        self,
        size: int,
        make: Callable[[httpx.Limits, ssl.SSLContext], TransportT],
        expiry: float,
    ) -> None:
        one = httpx.Limits(max_connections=1, max_keepalive_connections=1, keepalive_expiry=expiry)
        # One TLS context for the row: each costs a read of the CA bundle (~20 ms), and
        # httpx would otherwise build one per lane, 20 per client by default.
        tls = httpx.create_ssl_context()
        self._row: _Row[TransportT] = _Row(size, lambda: make(one, tls))

    @property
    def max_connections(self) -> int:
        """The most connections this transport holds open at once."""
        return len(self._row.lanes)

    @staticmethod
    def _answer(
        response: httpx.Response, body: httpx.SyncByteStream | httpx.AsyncByteStream
    ) -> httpx.Response:
        response.stream = body  # the lane's answer, its body now freeing the lane when closed
        return response


class SyncRowTransport(_Lanes[httpx.HTTPTransport], httpx.BaseTransport):
    """A blocking transport of ``size`` one-connection httpx transports.

    Args:
        size: The most connections open at once (and requests in flight without queueing).
        keepalive_expiry: Seconds an idle connection is kept.
    """

    def __init__(self, size: int, keepalive_expiry: float = KEEPALIVE_EXPIRY) -> None:
        super().__init__(
            size,
            lambda limits, tls: httpx.HTTPTransport(verify=tls, limits=limits),
            keepalive_expiry,
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Send ``request`` on an idle connection (httpx calls this)."""
        index = self._row.take()
        release = self._row.releaser(index)
        try:
            response = self._row.lanes[index].handle_request(request)
        except BaseException:
            release()
            raise
        assert isinstance(response.stream, httpx.SyncByteStream)
        return self._answer(response, _SyncStream(response.stream, release))

    def close(self) -> None:
        """Close every connection."""
        for lane in self._row.lanes:
            lane.close()


class AsyncRowTransport(_Lanes[httpx.AsyncHTTPTransport], httpx.AsyncBaseTransport):
    """An async transport of ``size`` one-connection httpx transports.

    Args:
        size: The most connections open at once (and requests in flight without queueing).
        keepalive_expiry: Seconds an idle connection is kept.
    """

    def __init__(self, size: int, keepalive_expiry: float = KEEPALIVE_EXPIRY) -> None:
        super().__init__(
            size,
            lambda limits, tls: httpx.AsyncHTTPTransport(verify=tls, limits=limits),
            keepalive_expiry,
        )

    # The same steps as SyncRowTransport.handle_request, awaited: httpx's two
    # transport interfaces cannot share one body.
    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send ``request`` on an idle connection (httpx calls this)."""
        index = self._row.take()
        release = self._row.releaser(index)
        try:
            response = await self._row.lanes[index].handle_async_request(request)
        except BaseException:
            release()
            raise
        assert isinstance(response.stream, httpx.AsyncByteStream)
        return self._answer(response, _AsyncStream(response.stream, release))

    async def aclose(self) -> None:
        """Close every connection."""
        for lane in self._row.lanes:
            await lane.aclose()
