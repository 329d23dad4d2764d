"""The connections of a client: its httpx client and in-flight gate, shared by ``with_options``.

They belong to the process and event loop that made them, and are closed once,
for good. May touch httpx's public API and ``ziett._fork``; nothing above.
"""

from __future__ import annotations

import os
import threading
import weakref
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import httpx

from ziett._errors import ZiettError
from ziett._fork import after_fork_in_child

HttpClientT = TypeVar("HttpClientT", httpx.Client, httpx.AsyncClient)


def closed_message(name: str) -> str:
    """What a call on a closed client says."""
    return f"This {name} is closed: nothing was sent. Make a new client for more calls."


class Connections(Generic[HttpClientT]):
    """The httpx client and in-flight gate of a client and of the clients derived from it.

    A forked child, or an async client used from another event loop, makes its
    own (connections and semaphores belong to the process and loop that made
    them); once closed, every later :meth:`get` raises.
    """

    def __init__(self, http_client: HttpClientT | None, max_concurrent_requests: int) -> None:
        """
        Args:
            http_client: The caller's own httpx client (never closed here), or None
                to make one on first use.
            max_concurrent_requests: Requests in flight at once (the gate's size).
        """
        self.http_client: HttpClientT | None = http_client
        self.owns_http_client = http_client is None
        self.max_concurrent_requests = max_concurrent_requests
        self.gate: Any = None
        self.owner: tuple[int, object] = (os.getpid(), None)
        self.lock = threading.Lock()
        self.closed = False
        after_fork_in_child(_new_locks_after_fork)
        _live.add(self)

    def get(
        self,
        loop: object,
        make_client: Callable[[], HttpClientT],
        make_gate: Callable[[], Any],
        name: str,
    ) -> tuple[HttpClientT, Any]:
        """This process's (and ``loop``'s) httpx client and gate; a ZiettError once closed.

        Args:
            loop: The running event loop's identity (None for blocking clients).
            make_client: Makes the httpx client when this process or loop has none.
            make_gate: Makes the in-flight gate likewise.
            name: The client's class name, for the error of a closed client.
        """
        owner = (os.getpid(), loop)
        client, gate = self.http_client, self.gate
        if client is not None and gate is not None and self.owner == owner and not self.closed:
            return client, gate
        with self.lock:
            if self.closed:
                raise ZiettError(closed_message(name))
            moved = self.owner != owner
            if self.http_client is None or (moved and self.owns_http_client):
                # The old client is abandoned, not closed: its sockets belong to the
                # parent process (or to a loop that is gone) and are not ours to close.
                self.http_client = make_client()
            if self.gate is None or moved:
                self.gate = make_gate()
            self.owner = owner
            return self.http_client, self.gate

    def close(self) -> HttpClientT | None:
        """Close for good; the httpx client the caller must now close (None: not ours)."""
        with self.lock:
            self.closed = True
            http_client, self.http_client = self.http_client, None
        return http_client if self.owns_http_client else None


_live: weakref.WeakSet[Connections[Any]] = weakref.WeakSet()


def _new_locks_after_fork() -> None:
    # Another thread may have held a lock at fork time: the child's copy would stay
    # locked forever.
    for connections in list(_live):
        connections.lock = threading.Lock()
