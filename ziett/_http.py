"""The httpx clients that an SDK client opens for itself (not a user's ``http_client=``).

One place decides the transport, the pool and its limits, so that the two SDK
clients and the benchmarks agree. Idle connections are dropped after 4 s, before
the common 5 s server keep-alive timeout, so a send never goes out on a connection
the server is closing (an ambiguous failure that a send cannot retry). The pool
holds as many connections as the client lets requests be in flight
(``max_concurrent_requests``): extra calls queue on the client's own gate, not in
httpcore's pool, whose bookkeeping grows with the square of its queue
(encode/httpcore#1035).
"""

from __future__ import annotations

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
    return httpx.Client(limits=connection_limits(max_connections))


def new_async_client(max_connections: int) -> httpx.AsyncClient:
    """An async httpx client (asyncio or trio) sized for ``max_connections`` in flight."""
    return httpx.AsyncClient(limits=connection_limits(max_connections))
