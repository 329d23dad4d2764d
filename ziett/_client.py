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
from collections.abc import Mapping, Sequence
from functools import cached_property
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, Literal, Self, TypeVar, get_args

import anyio
import anyio.lowlevel
import httpx

from ziett._call import DEFAULT_MAX_RESPONSE_BYTES, check_max_response_bytes
from ziett._config import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_RATE_LIMITS,
    USER_AGENT,
    configure_logging_from_env,
    masked,
    resolve_api_key,
    resolve_base_url,
    resolve_rate_limit_store,
    resolve_remitter_id,
    resolve_timeout,
)
from ziett._errors import ZiettError
from ziett._retry import RetryPolicy
from ziett._throttle import RateLimit, Throttle, ThrottleFactory
from ziett._throttle.local import shared_limiter
from ziett._transport import AttemptHook, CallSettings, Link

if TYPE_CHECKING:  # the resources load on first use, so that `import ziett` stays fast
    from ziett.resources._classes import (
        AsyncCampaigns,
        AsyncMessages,
        Campaigns,
        Messages,
    )

T = TypeVar("T")
HttpClientT = TypeVar("HttpClientT", httpx.Client, httpx.AsyncClient)


AmbiguousSends = Literal["raise", "retry", "reconcile"]
_AMBIGUOUS_SENDS: tuple[str, ...] = get_args(AmbiguousSends)


def _check_settings(
    max_retries: int,
    max_concurrent_requests: int,
    max_retry_after: float,
    rate_limits: Mapping[str, RateLimit | tuple[int, float]],
    ambiguous_sends: str,
) -> None:
    """Refuse settings that would hang or misbehave later, naming the keyword."""
    problems = []
    if ambiguous_sends not in _AMBIGUOUS_SENDS:
        problems.append(
            f"ambiguous_sends must be one of {', '.join(map(repr, _AMBIGUOUS_SENDS))} "
            f"(got {ambiguous_sends!r})"
        )
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


def _reconciler() -> Any:
    """The state of the "reconcile" mode (loaded only by the clients that use it)."""
    from ziett.jobs.reconcile import Reconciler

    return Reconciler()


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
        rate_limits: Mapping[str, RateLimit | tuple[int, float]] = DEFAULT_RATE_LIMITS,
        rate_limit_store: str | None = None,
        throttle_factory: ThrottleFactory | None = None,
        ambiguous_sends: AmbiguousSends = "raise",
        max_retry_after: float = 60.0,
        max_concurrent_requests: int = 20,
        attempt_hooks: Sequence[AttemptHook] = (),
        default_remitter_id: str | None = None,
        default_country: str | None = None,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        """Configure a client; nothing is sent or opened until the first call.

        Args:
            api_key: The organisation's API key; default: the ``ZIETT_API_KEY``
                environment variable. Never shown in reprs, logs or errors.
            base_url: The server; default: ``ZIETT_BASE_URL``, else
                ``https://api.ziett.co``. Read-only after construction.
            timeout: Per-attempt timeout in seconds or an ``httpx.Timeout``;
                default 30 s (5 s to connect). With ``http_client``, None keeps
                that client's own default.
            max_retries: Retries after a failed first attempt (default 2); reads
                retry 408/429/5xx/transport errors, sends only what surely was not
                acted on (see ``ambiguous_sends``).
            http_client: Your own ``httpx.AsyncClient`` (async) or ``httpx.Client``
                (sync); left open on close.
            default_headers: Extra headers sent with every request.
            rate_limits: Client-side pacing per route (``"POST /c/v1/messages"``
                -> ``RateLimit(requests, per_seconds)``); default: the documented
                per-key limits; ``{}`` turns pacing off.
            rate_limit_store: ``"redis://host:port/db"`` to share the pacing budget
                with every process using the same key (``pip install
                "ziett[redis]"``); default: ``ZIETT_RATE_LIMIT_STORE``, else the
                in-process budget.
            throttle_factory: Your own pacing (a ``ziett.ThrottleFactory``);
                overrides ``rate_limit_store``.
            ambiguous_sends: What a send whose outcome is unknown (a timeout after
                the request was written, a dropped connection, a 5xx) does:
                ``"raise"`` (default; the error's ``may_have_been_sent`` is True),
                ``"retry"`` (send again: may deliver twice) or ``"reconcile"``
                (look for what the server did before sending again).
            max_retry_after: The longest ``Retry-After`` (seconds) honoured; a
                longer one raises ``RateLimitError`` at once. Default 60.
            max_concurrent_requests: Requests in flight at once (default 20; the
                connection pool is sized to match); more calls queue.
            attempt_hooks: Callables told about every attempt (a ``ziett.Attempt``:
                route, attempt number, status or error, wait, elapsed), for
                metrics and tracing. They run inline: keep them fast.
            default_remitter_id: The sender id used when a send or batch leaves
                ``remitter_id`` out; default: ``ZIETT_REMITTER_ID``, else none
                (then ``remitter_id`` is required).
            default_country: ISO 3166 alpha-2 code (``"NG"``) for numbers written
                without a country code: they are normalised to E.164 through
                ``ziett.phone`` before sending; default: none (E.164 only).
            max_response_bytes: The largest response body read (default 32 MiB); a
                longer one is refused while it streams (``APIResponseValidationError``).
        """
        _check_settings(
            max_retries, max_concurrent_requests, max_retry_after, rate_limits, ambiguous_sends
        )
        if http_client is not None and not isinstance(http_client, self._http_client_class):
            raise ZiettError(
                f"{type(self).__name__} needs an httpx.{self._http_client_class.__name__} as "
                f"http_client, not {type(http_client).__name__}."
            )
        configure_logging_from_env()
        self._api_key = resolve_api_key(api_key)
        self._base_url = resolve_base_url(base_url)
        self.rate_limits: dict[str, RateLimit] = {
            route: RateLimit(*limit) for route, limit in rate_limits.items()
        }
        self.ambiguous_sends: AmbiguousSends = ambiguous_sends
        self._default_remitter_id = resolve_remitter_id(default_remitter_id)
        self._default_country = default_country.strip().upper() if default_country else None
        if throttle_factory is None:
            store = resolve_rate_limit_store(rate_limit_store)
            if store is None:
                throttle_factory = shared_limiter
            else:
                from ziett._throttle.redis import RedisThrottleFactory

                throttle_factory = RedisThrottleFactory(store)
        self._throttle_factory: ThrottleFactory = throttle_factory
        self._settings = CallSettings(
            base_url=self._base_url,
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
                retry_ambiguous_sends=ambiguous_sends == "retry",
            ),
            throttle_for=self._throttle_for,
            hooks=tuple(attempt_hooks),
            reconciler=_reconciler() if ambiguous_sends == "reconcile" else None,
            max_response_bytes=check_max_response_bytes(max_response_bytes),
        )
        self._owns_http_client = http_client is None
        self._http_client: HttpClientT | None = http_client
        self._owner: tuple[int, object] = (os.getpid(), None)
        self._http_lock = threading.Lock()
        _live_clients.add(self)
        self._closed = False
        self._max_concurrent_requests = max_concurrent_requests
        self._gate: Any = None

    @property
    def base_url(self) -> str:
        """The server this client talks to (set at construction)."""
        return self._base_url

    @property
    def default_remitter_id(self) -> str | None:
        """The sender id used when a send leaves ``remitter_id`` out (None: required)."""
        return self._default_remitter_id

    @property
    def default_country(self) -> str | None:
        """The alpha-2 country of numbers given without a country code (None: E.164 only)."""
        return self._default_country

    def _throttle_for(self, route: str) -> Throttle | None:
        limit = self.rate_limits.get(route)
        if limit is None:
            return None
        return self._throttle_factory(self._api_key, self._base_url, route, limit)

    def _link(self) -> Link:
        """What the drivers perform steps with: this client and its connection."""
        http, gate = self._connection()
        return Link(self._settings, http, gate)

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

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(base_url={self._base_url!r}, api_key={masked(self._api_key)!r})"
        )


class AsyncZiett(_ClientCore[httpx.AsyncClient]):
    """The Ziett API for ``async`` code (asyncio or trio). Use as ``async with``.

    ``client.messages`` and ``client.campaigns`` hold the calls; see ``__init__``
    for every keyword.
    """

    _http_client_class = httpx.AsyncClient

    @cached_property
    def messages(self) -> AsyncMessages:
        """Send, retrieve and list messages."""
        from ziett.resources._classes import AsyncMessages

        return AsyncMessages(self)

    @cached_property
    def campaigns(self) -> AsyncCampaigns:
        """Create batch campaigns, retrieve and list them and their messages."""
        from ziett.resources._classes import AsyncCampaigns

        return AsyncCampaigns(self)

    def _make_gate(self) -> anyio.Semaphore:
        return anyio.Semaphore(self._max_concurrent_requests)

    def _loop(self) -> object:
        return anyio.lowlevel.current_token()

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
        from ziett.resources._classes import Messages

        return Messages(self)

    @cached_property
    def campaigns(self) -> Campaigns:
        """Create batch campaigns, retrieve and list them and their messages."""
        from ziett.resources._classes import Campaigns

        return Campaigns(self)

    def _make_gate(self) -> threading.BoundedSemaphore:
        return threading.BoundedSemaphore(self._max_concurrent_requests)

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
