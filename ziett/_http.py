"""The httpx clients that an SDK client opens for itself (not a user's ``http_client=``).

One place decides the transport, the pool and its limits, so that the two SDK
clients and the benchmarks agree. Idle connections are dropped after 4 s, before
the common 5 s server keep-alive timeout, so a send never goes out on a connection
the server is closing (an ambiguous failure that a send cannot retry). The pool
holds as many connections as the client lets requests be in flight
(``max_concurrent_requests``): extra calls queue on the client's own gate.

**The pool's bookkeeping.** httpcore 1.x (under httpx 0.28) re-plans its whole pool
on every request added or finished, in ``_assign_requests_to_connections``, and
that pass costs O(connections²) (it counts idle connections inside its loop over
connections) plus O(queued x connections), and it probes the socket of every
idle connection, including one just handed to a request (encode/httpcore#1035).
With 20 connections that pass was most of a concurrent send's CPU time. The pool
of our own clients is therefore httpcore's, with that one method replaced by a
linear pass (the algorithm of httpcore2, pydantic's continuation of httpcore, which
openai's client runs on). Everything else is httpx's and httpcore's own:
``httpx.AsyncClient``/``httpx.Client`` with their default transport, the anyio
network backend (asyncio and trio alike), proxies from the environment, and
respx, which patches ``httpcore``'s pool classes and so intercepts this subclass too.
A user's own ``http_client=`` is never touched.
"""

from __future__ import annotations

from typing import Any

import httpcore
import httpx

KEEPALIVE_EXPIRY = 4.0


def connection_limits(max_connections: int) -> httpx.Limits:
    """The pool limits for a client with at most ``max_connections`` requests in flight."""
    return httpx.Limits(
        max_connections=max_connections,
        max_keepalive_connections=max_connections,
        keepalive_expiry=KEEPALIVE_EXPIRY,
    )


def new_sync_client(max_connections: int) -> httpx.Client:
    """A blocking httpx client sized for ``max_connections`` requests in flight."""
    client = httpx.Client(limits=connection_limits(max_connections))
    _use_linear_pool(client._transport, httpcore.ConnectionPool, LinearConnectionPool)
    return client


def new_async_client(max_connections: int) -> httpx.AsyncClient:
    """An async httpx client (asyncio or trio) sized for ``max_connections`` in flight."""
    client = httpx.AsyncClient(limits=connection_limits(max_connections))
    _use_linear_pool(client._transport, httpcore.AsyncConnectionPool, AsyncLinearConnectionPool)
    return client


def _use_linear_pool(transport: object, stock: type, linear: type) -> None:
    """Give httpx's default transport the linear pool, when it holds httpcore's own.

    The pool object keeps every setting httpx gave it (limits, SSL context, socket
    options, backend); only its class changes, to a subclass that adds no state.
    A transport of another shape (a future httpx, a proxy) is left as it is.
    """
    pool = getattr(transport, "_pool", None)
    if type(pool) is stock:
        pool.__class__ = linear


def _never_connected(connection: Any) -> bool:
    """A connection whose request went away before it connected (nothing to close)."""
    return getattr(connection, "_connection", False) is None and not connection.is_closed()


def _assign_requests_linear(pool: Any) -> list[Any]:
    """httpcore's ``_assign_requests_to_connections`` in one linear pass.

    Same decisions as httpcore's: drop closed connections, close expired ones and
    idle ones beyond ``max_keepalive_connections``, then hand queued requests (in
    order) to available connections, new connections, or in place of an idle
    connection to another origin. Differences, as in httpcore2: a connection
    already handed to a request is not handed out again (httpcore would give it
    to a second request that then retries), a connection whose request was
    cancelled before it connected is dropped instead of holding a slot forever,
    and the scan of the queue stops once nothing can be assigned. One more: an
    idle connection's expiry (its keep-alive deadline, or the server having
    closed it, which takes a socket probe) is checked when it is about to be
    handed out rather than on every pass over the pool, so a pass probes one
    socket instead of every idle one.
    """
    requests = pool._requests
    reserved = {request.connection for request in requests}
    closing: list[Any] = []
    kept = [
        connection
        for connection in pool._connections
        if not connection.is_closed()
        and (connection in reserved or not _never_connected(connection))
    ]
    surplus = sum(c.is_idle() and c not in reserved for c in kept) - pool._max_keepalive_connections
    if surplus > 0:
        trimmed: list[Any] = []
        for connection in kept:
            if surplus > 0 and connection.is_idle() and connection not in reserved:
                closing.append(connection)
                surplus -= 1
            else:
                trimmed.append(connection)
        kept = trimmed
    pool._connections = kept

    # An idle HTTP/1.1 connection takes one request; a busy one that is still
    # available multiplexes (HTTP/2) and may take more.
    available = [c for c in kept if c.is_available() and not (c.is_idle() and c in reserved)]
    for pool_request in requests:
        if not available and len(kept) >= pool._max_connections:
            break
        if not pool_request.is_queued():
            continue
        origin = pool_request.request.url.origin
        connection = _take_available(available, origin, kept, closing)
        if connection is None:
            if len(kept) >= pool._max_connections:
                idle = next((c for c in available if c.is_idle()), None)
                if idle is None:
                    continue
                available.remove(idle)  # idle, to another origin: make room
                kept.remove(idle)
                closing.append(idle)
            connection = pool.create_connection(origin)
            kept.append(connection)
        pool_request.assign_to_connection(connection)
    return closing


def _take_available(available: list[Any], origin: Any, kept: list[Any], closing: list[Any]) -> Any:
    """The first available connection to ``origin`` that has not expired, or None.

    An idle connection leaves ``available`` (it takes one request); an expired one
    leaves the pool too, to be closed.
    """
    index = 0
    while index < len(available):
        connection = available[index]
        if not connection.can_handle_request(origin):
            index += 1
            continue
        if connection.is_idle():
            del available[index]
            if connection.has_expired():
                kept.remove(connection)
                closing.append(connection)
                continue
        return connection
    return None


class AsyncLinearConnectionPool(httpcore.AsyncConnectionPool):
    """httpcore's async pool with a linear ``_assign_requests_to_connections``."""

    def _assign_requests_to_connections(self) -> list[Any]:
        return _assign_requests_linear(self)


class LinearConnectionPool(httpcore.ConnectionPool):
    """httpcore's blocking pool with a linear ``_assign_requests_to_connections``."""

    def _assign_requests_to_connections(self) -> list[Any]:
        return _assign_requests_linear(self)
