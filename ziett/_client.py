"""The two clients: ``AsyncZiett`` (asyncio and trio) and ``Ziett`` (blocking).

Both share :class:`_ClientCore` (configuration, headers, pacing, the httpx client's
lifecycle) and the call policy in ``ziett._transport``; each adds only the one
line that runs a call with its flavour of httpx client. See ``_transport`` for
why the sync client is a thin shell rather than a facade over the async one.
"""

from __future__ import annotations

import os
import threading
import weakref
from collections.abc import Mapping
from functools import cached_property
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, Self, TypeVar

import anyio
import anyio.lowlevel
import httpx

from ziett._config import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_RATE_LIMITS,
    USER_AGENT,
    masked,
    resolve_api_key,
    resolve_base_url,
    resolve_timeout,
)
from ziett._errors import ZiettError
from ziett._ratelimit import RateLimit, SlidingWindowLimiter, shared_limiter
from ziett._retry import RetryPolicy
from ziett._transport import CallSettings, Operation, plan_call, run_async, run_sync

if TYPE_CHECKING:  # the resources load on first use, so that `import ziett` stays fast
    from ziett.resources.campaigns import AsyncCampaigns, Campaigns
    from ziett.resources.messages import AsyncMessages, Messages

T = TypeVar("T")
HttpClientT = TypeVar("HttpClientT", httpx.Client, httpx.AsyncClient)


def _check_settings(
    max_retries: int,
    max_concurrent_requests: int,
    max_retry_after: float,
    rate_limits: Mapping[str, RateLimit],
) -> None:
    """Refuse settings that would hang or misbehave later, naming the keyword."""
    problems = []
    if not isinstance(max_retries, int) or max_retries < 0:
        problems.append(f"max_retries must be an integer >= 0 (got {max_retries!r})")
    if not isinstance(max_concurrent_requests, int) or max_concurrent_requests < 1:
        problems.append(
            f"max_concurrent_requests must be an integer >= 1 (got {max_concurrent_requests!r})"
        )
    if max_retry_after < 0:
        problems.append(f"max_retry_after must be >= 0 (got {max_retry_after!r})")
    for route, (requests, per_seconds) in rate_limits.items():
        if requests < 1 or per_seconds <= 0:
            problems.append(f"rate_limits[{route!r}] must allow >= 1 request per > 0 seconds")
    if problems:
        raise ZiettError("Invalid client settings: " + "; ".join(problems) + ".")


_live_clients: weakref.WeakSet[_ClientCore[Any]] = weakref.WeakSet()


def _new_locks_after_fork() -> None:
    # Another thread may have held a client's lock at fork time: the child's copy
    # would stay locked forever.
    for client in list(_live_clients):
        client._http_lock = threading.Lock()


os.register_at_fork(after_in_child=_new_locks_after_fork)


class _ClientCore(Generic[HttpClientT]):
    """Configuration and lifecycle shared by both clients."""

    _http_client_class: type[HttpClientT]

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int = DEFAULT_MAX_RETRIES,
        http_client: HttpClientT | None = None,
        default_headers: Mapping[str, str] | None = None,
        rate_limits: Mapping[str, RateLimit] = DEFAULT_RATE_LIMITS,
        retry_ambiguous_sends: bool = False,
        max_retry_after: float = 60.0,
        max_concurrent_requests: int = 20,
    ) -> None:
        _check_settings(max_retries, max_concurrent_requests, max_retry_after, rate_limits)
        if http_client is not None and not isinstance(http_client, self._http_client_class):
            raise ZiettError(
                f"{type(self).__name__} needs an httpx.{self._http_client_class.__name__} as "
                f"http_client, not {type(http_client).__name__}."
            )
        self._api_key = resolve_api_key(api_key)
        self.base_url = resolve_base_url(base_url)
        self.rate_limits = {route: RateLimit(*limit) for route, limit in rate_limits.items()}
        self._settings = CallSettings(
            base_url=self.base_url,
            headers={
                "User-Agent": USER_AGENT,
                "Accept": "application/json",
                **(default_headers or {}),
                "X-API-KEY": self._api_key,
            },
            timeout=resolve_timeout(timeout, http_client is not None),
            retry=RetryPolicy(
                max_retries=max_retries,
                max_retry_after=max_retry_after,
                retry_ambiguous_sends=retry_ambiguous_sends,
            ),
            limiter_for=self._limiter_for,
        )
        self._owns_http_client = http_client is None
        self._http_client: HttpClientT | None = http_client
        self._owner: tuple[int, object] = (os.getpid(), None)
        self._http_lock = threading.Lock()
        _live_clients.add(self)
        self._closed = False
        self._max_concurrent_requests = max_concurrent_requests
        self._gate: Any = None

    def _limiter_for(self, route: str) -> SlidingWindowLimiter | None:
        limit = self.rate_limits.get(route)
        if limit is None:
            return None
        return shared_limiter(self._api_key, self.base_url, route, limit)

    def _connection(self) -> tuple[HttpClientT, Any]:
        """This process's (and event loop's) httpx client and in-flight gate.

        A forked child, or an async client used from a new event loop, builds its
        own: connections and semaphores belong to the process and loop that made them.
        """
        client, gate, owner = self._http_client, self._gate, (os.getpid(), self._loop())
        if client is not None and gate is not None and self._owner == owner:
            return client, gate
        with self._http_lock:
            moved = self._owner != owner
            if self._http_client is None or (moved and self._owns_http_client):
                # The old client is abandoned, not closed: its sockets belong to the
                # parent process (or to a loop that is gone) and are not ours to close.
                self._http_client = self._make_http_client()
                self._closed = False
            if self._gate is None or moved:
                self._gate = self._make_gate()
            self._owner = owner
            return self._http_client, self._gate

    def _loop(self) -> object:
        """The running event loop's identity (async clients); None for blocking clients."""
        return None

    def _make_gate(self) -> Any:
        """The in-flight limiter of this flavour (a semaphore)."""
        raise NotImplementedError

    def _make_http_client(self) -> HttpClientT:
        """The httpx client this SDK client opens for itself (ziett.testing reroutes it)."""
        from ziett import _http

        if self._http_client_class is httpx.AsyncClient:
            return _http.new_async_client(self._max_concurrent_requests)  # type: ignore[return-value]
        return _http.new_sync_client(self._max_concurrent_requests)  # type: ignore[return-value]

    @property
    def is_closed(self) -> bool:
        """True once ``close()``/``aclose()`` ran (a later call would open new connections)."""
        return self._closed

    def _plan(self, op: Operation[Any], http: HttpClientT) -> Any:
        return plan_call(op, self._settings, http.build_request)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(base_url={self.base_url!r}, api_key={masked(self._api_key)!r})"
        )


class AsyncZiett(_ClientCore[httpx.AsyncClient]):
    """The Ziett API for ``async`` code (asyncio or trio). Use as ``async with``.

    Keywords: ``api_key`` (or ZIETT_API_KEY), ``base_url`` (or ZIETT_BASE_URL),
    ``timeout`` (seconds or ``httpx.Timeout``; default 30 s, 5 s to connect),
    ``max_retries`` (default 2), ``http_client`` (your own ``httpx.AsyncClient``,
    left open on close), ``default_headers``, ``rate_limits`` (``{}`` turns pacing
    off), ``retry_ambiguous_sends`` (retry sends that may have gone through),
    ``max_retry_after`` (the longest ``Retry-After`` slept, 60 s),
    ``max_concurrent_requests`` (in flight at once, default 20; more calls queue).
    """

    _http_client_class = httpx.AsyncClient

    @cached_property
    def messages(self) -> AsyncMessages:
        """Send, retrieve and list messages."""
        from ziett.resources.messages import AsyncMessages

        return AsyncMessages(self)

    @cached_property
    def campaigns(self) -> AsyncCampaigns:
        """Create batch campaigns, retrieve and list them and their messages."""
        from ziett.resources.campaigns import AsyncCampaigns

        return AsyncCampaigns(self)

    def _make_gate(self) -> anyio.Semaphore:
        return anyio.Semaphore(self._max_concurrent_requests)

    def _loop(self) -> object:
        return anyio.lowlevel.current_token()

    async def _execute(self, op: Operation[T]) -> T:
        http, gate = self._connection()
        return op.result(await run_async(self._plan(op, http), http, gate))

    async def aclose(self) -> None:
        """Close the connections this client opened (not a user-supplied http_client)."""
        if self._owns_http_client and self._http_client is not None:
            await self._http_client.aclose()
            self._http_client = None
        self._closed = True

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()


class Ziett(_ClientCore[httpx.Client]):
    """The Ziett API for blocking code: the same surface as :class:`AsyncZiett`.

    Safe from several threads, from inside a running event loop's thread, and in
    a child after ``fork()`` (it opens its own connections there).
    """

    _http_client_class = httpx.Client

    @cached_property
    def messages(self) -> Messages:
        """Send, retrieve and list messages."""
        from ziett.resources.messages import Messages

        return Messages(self)

    @cached_property
    def campaigns(self) -> Campaigns:
        """Create batch campaigns, retrieve and list them and their messages."""
        from ziett.resources.campaigns import Campaigns

        return Campaigns(self)

    def _make_gate(self) -> threading.BoundedSemaphore:
        return threading.BoundedSemaphore(self._max_concurrent_requests)

    def _execute(self, op: Operation[T]) -> T:
        http, gate = self._connection()
        return op.result(run_sync(self._plan(op, http), http, gate))

    def close(self) -> None:
        """Close the connections this client opened (not a user-supplied http_client)."""
        if self._owns_http_client and self._http_client is not None:
            self._http_client.close()
            self._http_client = None
        self._closed = True

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
