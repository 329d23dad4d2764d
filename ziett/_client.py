"""The two clients: ``AsyncZiett`` (asyncio and trio) and ``Ziett`` (blocking).

Both share :class:`_ClientCore` (settings, headers, pacing, the connections'
lifecycle, ``with_options``) and the call policy in ``ziett._transport``; each
adds only its flavour of httpx client, gate and close. Settings are checked in
``ziett._config``.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from functools import cached_property
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, Self, TypeVar

import anyio
import anyio.lowlevel
import httpx

from ziett import _http
from ziett._arguments import NOT_GIVEN, NotGiven
from ziett._call import DEFAULT_MAX_RESPONSE_BYTES, check_max_response_bytes
from ziett._config import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_RATE_LIMITS,
    USER_AGENT,
    AmbiguousSends,
    ClientOptions,
    checked_limits,
    checked_options,
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
from ziett._shared_http import Connections, closed_message
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

__all__ = ["AmbiguousSends", "AsyncZiett", "Ziett"]

HttpClientT = TypeVar("HttpClientT", httpx.Client, httpx.AsyncClient)


def _reconciler() -> Any:
    """The state of the "reconcile" mode (loaded only by the clients that use it)."""
    # Not a cycle (tests/test_layers.py reads this import too): the lookups and their
    # models load only for a client that asks for reconciliation.
    from ziett.jobs.reconcile import Reconciler

    return Reconciler()


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
        deadline: float | None = None,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        """Configure a client; nothing is sent or opened until the first call.

        Every setting is checked here: a wrong type raises ``TypeError``, a wrong
        value (negative, NaN, out of range) ``ziett.InvalidRequestError`` naming it.

        Args:
            api_key: The organisation's API key; default: the ``ZIETT_API_KEY``
                environment variable. Never shown in reprs, logs or errors.
            base_url: The server, an ``http(s)://`` URL; default: ``ZIETT_BASE_URL``,
                else ``https://api.ziett.co``. A ``user:password@`` in it is sent as
                an ``Authorization`` header and never shown. Read-only.
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
            throttle_factory: Your own pacing (a ``ziett.throttling.ThrottleFactory``);
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
            attempt_hooks: Callables told about every attempt (a ``ziett.hooks.Attempt``:
                route, attempt number, status or error, wait, elapsed), for
                metrics and tracing. They run inline: keep them fast.
            default_remitter_id: The sender id used when a send or batch leaves
                ``remitter_id`` out; default: ``ZIETT_REMITTER_ID``, else none
                (then ``remitter_id`` is required).
            default_country: ISO 3166 alpha-2 code (``"NG"``) for numbers written
                without a country code: they are normalised to E.164 through
                ``ziett.phone`` before sending; default: none (E.164 only).
            deadline: Seconds for each whole call (retries and waits included)
                when the call gives none; default: none.
            max_response_bytes: The largest response body read (default 32 MiB); a
                longer one is refused while it streams (``APIResponseValidationError``).
        """
        if http_client is not None and not isinstance(http_client, self._http_client_class):
            raise TypeError(
                f"{type(self).__name__} needs an httpx.{self._http_client_class.__name__} as "
                f"http_client, not {type(http_client).__name__}."
            )
        self.rate_limits: dict[str, RateLimit] = checked_limits(
            max_concurrent_requests=max_concurrent_requests,
            rate_limits=rate_limits,
            rate_limit_store=rate_limit_store,
            throttle_factory=throttle_factory,
        )
        options = checked_options(
            timeout=resolve_timeout(timeout, http_client is not None),
            deadline=deadline,
            max_retries=max_retries,
            max_retry_after=max_retry_after,
            ambiguous_sends=ambiguous_sends,
            default_remitter_id=resolve_remitter_id(default_remitter_id),
            default_country=default_country,
            default_headers=default_headers,
            attempt_hooks=attempt_hooks,
        )
        self._api_key = resolve_api_key(api_key)
        self._base_url, self._authorization = resolve_base_url(base_url)
        configure_logging_from_env()
        if throttle_factory is None:
            store = resolve_rate_limit_store(rate_limit_store)
            if store is None:
                throttle_factory = shared_limiter
            else:
                from ziett._throttle.redis import RedisThrottleFactory

                throttle_factory = RedisThrottleFactory(store)
        self._throttle_factory: ThrottleFactory = throttle_factory
        self._shared: Connections[HttpClientT] = Connections(http_client, max_concurrent_requests)
        self._max_response_bytes = check_max_response_bytes(max_response_bytes)
        self._derived = False
        self._configure(options)

    def _configure(self, options: ClientOptions) -> None:
        """Apply the per-call defaults (at construction, and on a ``with_options`` copy)."""
        self._options = options
        self._closed = False
        credentials = {} if self._authorization is None else {"Authorization": self._authorization}
        self._settings = CallSettings(
            base_url=self._base_url,
            headers={
                "User-Agent": USER_AGENT,
                "Accept": "application/json",
                **options.default_headers,
                **credentials,
                "X-API-KEY": self._api_key,
            },
            timeout=options.timeout,
            retry=RetryPolicy(
                max_retries=options.max_retries,
                max_retry_after=options.max_retry_after,
                retry_ambiguous_sends=options.ambiguous_sends == "retry",
            ),
            throttle_for=self._throttle_for,
            hooks=options.attempt_hooks,
            reconciler=_reconciler() if options.ambiguous_sends == "reconcile" else None,
            deadline=options.deadline,
            max_response_bytes=self._max_response_bytes,
        )

    def with_options(
        self,
        *,
        timeout: float | httpx.Timeout | NotGiven | None = NOT_GIVEN,
        deadline: float | NotGiven | None = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        max_retry_after: float | NotGiven = NOT_GIVEN,
        ambiguous_sends: AmbiguousSends | NotGiven = NOT_GIVEN,
        default_remitter_id: str | NotGiven | None = NOT_GIVEN,
        default_country: str | NotGiven | None = NOT_GIVEN,
        default_headers: Mapping[str, str] | NotGiven = NOT_GIVEN,
        attempt_hooks: Sequence[AttemptHook] | NotGiven = NOT_GIVEN,
    ) -> Self:
        """A client with other per-call defaults, on this client's connections and budget.

        The new client shares this one's connection pool (the same httpx client and
        in-flight limit) and rate budget (the same throttles). Closing it leaves the
        pool open; closing this client closes the pool, and the new client with it.
        Every argument left out keeps this client's value; each is checked as in
        the constructor (``TypeError`` for a wrong type, ``InvalidRequestError``
        for a wrong value).

        Args:
            timeout: Per-attempt timeout in seconds or an ``httpx.Timeout``; None: none.
            deadline: Seconds for each whole call, retries and waits included; None: none.
            max_retries: Retries after a failed first attempt (0 disables).
            max_retry_after: The longest ``Retry-After`` (seconds) honoured.
            ambiguous_sends: ``"raise"``, ``"retry"`` or ``"reconcile"`` (see the constructor).
            default_remitter_id: The sender id used when a send leaves ``remitter_id``
                out; None: ``remitter_id`` is required.
            default_country: Alpha-2 country for numbers without a country code;
                None: E.164 only.
            default_headers: Extra headers, added to (and overriding) this client's.
            attempt_hooks: Callables told about every attempt (replace this client's).
        """
        old = self._options
        options = checked_options(
            timeout=(  # None: no timeout at all, as in a call
                old.timeout
                if isinstance(timeout, NotGiven)
                else httpx.Timeout(None)
                if timeout is None
                else timeout
            ),
            deadline=old.deadline if isinstance(deadline, NotGiven) else deadline,
            max_retries=old.max_retries if isinstance(max_retries, NotGiven) else max_retries,
            max_retry_after=(
                old.max_retry_after if isinstance(max_retry_after, NotGiven) else max_retry_after
            ),
            ambiguous_sends=(
                old.ambiguous_sends if isinstance(ambiguous_sends, NotGiven) else ambiguous_sends
            ),
            default_remitter_id=(
                old.default_remitter_id
                if isinstance(default_remitter_id, NotGiven)
                else default_remitter_id
            ),
            default_country=(
                old.default_country if isinstance(default_country, NotGiven) else default_country
            ),
            default_headers=(
                old.default_headers
                if isinstance(default_headers, NotGiven)
                else {**old.default_headers, **default_headers}
            ),
            attempt_hooks=old.attempt_hooks
            if isinstance(attempt_hooks, NotGiven)
            else attempt_hooks,
        )
        derived = object.__new__(type(self))
        derived._share(self)
        derived._configure(options)
        return derived

    def _share(self, original: Self) -> None:
        """Take ``original``'s key, server, budget and connections (a ``with_options`` copy)."""
        self.rate_limits = original.rate_limits
        self._api_key = original._api_key
        self._base_url = original._base_url
        self._authorization = original._authorization
        self._throttle_factory = original._throttle_factory
        self._shared = original._shared
        self._max_response_bytes = original._max_response_bytes
        self._derived = True

    @property
    def base_url(self) -> str:
        """The server this client talks to (set at construction; credentials left out)."""
        return self._base_url

    @property
    def ambiguous_sends(self) -> AmbiguousSends:
        """What a send whose outcome is unknown does (``"raise"``, ``"retry"``, ``"reconcile"``)."""
        return self._options.ambiguous_sends

    @property
    def default_remitter_id(self) -> str | None:
        """The sender id used when a send leaves ``remitter_id`` out (None: required)."""
        return self._options.default_remitter_id

    @property
    def default_country(self) -> str | None:
        """The alpha-2 country of numbers given without a country code (None: E.164 only)."""
        return self._options.default_country

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
        """This process's (and event loop's) httpx client and gate; a ZiettError once closed."""
        name = type(self).__name__
        if self._closed:
            raise ZiettError(closed_message(name))
        return self._shared.get(self._loop(), self._make_http_client, self._make_gate, name)

    @property
    def _http_client(self) -> HttpClientT | None:
        """The httpx client in use (None before the first call and after close)."""
        return self._shared.http_client

    def _shut(self) -> HttpClientT | None:
        """Mark this client closed; the httpx client the caller must now close, if any.

        A client made by ``with_options`` closes only itself; the client that made
        the connections closes them too (never a user-supplied http_client).
        """
        self._closed = True
        return None if self._derived else self._shared.close()

    def _loop(self) -> object:
        """The running event loop's identity (async clients); None for blocking clients."""
        return None

    def _make_gate(self) -> Any:
        """The in-flight limiter of this flavour (a semaphore)."""
        raise NotImplementedError

    def _make_http_client(self) -> HttpClientT:
        """The httpx client this SDK client opens for itself (ziett.testing reroutes it)."""
        pool_size = self._shared.max_concurrent_requests
        if self._http_client_class is httpx.AsyncClient:
            return _http.new_async_client(pool_size)  # type: ignore[return-value]
        return _http.new_sync_client(pool_size)  # type: ignore[return-value]

    @property
    def is_closed(self) -> bool:
        """True once this client, or the one it was derived from, was closed: calls raise."""
        return self._closed or self._shared.closed

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(base_url={self._base_url!r}, api_key={masked(self._api_key)!r})"
        )


class AsyncZiett(_ClientCore[httpx.AsyncClient]):
    """The Ziett API for ``async`` code (asyncio or trio). Use as ``async with``.

    ``client.messages`` and ``client.campaigns`` hold the calls. The constructor
    takes keywords only, the same as :class:`Ziett`'s; each is described under
    ``Args`` below (``http_client`` is an ``httpx.AsyncClient`` here).
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
        return anyio.Semaphore(self._shared.max_concurrent_requests)

    def _loop(self) -> object:
        return anyio.lowlevel.current_token()

    async def aclose(self) -> None:
        """Close this client for good: later calls raise ``ZiettError``.

        Also closes the connections it opened (not a user-supplied http_client),
        and with them every client derived with ``with_options``; a derived
        client's ``aclose`` closes only itself.
        """
        http_client = self._shut()
        if http_client is not None:
            await http_client.aclose()

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
        return threading.BoundedSemaphore(self._shared.max_concurrent_requests)

    def close(self) -> None:
        """Close this client for good: later calls raise ``ZiettError``.

        Also closes the connections it opened (not a user-supplied http_client),
        and with them every client derived with ``with_options``; a derived
        client's ``close`` closes only itself.
        """
        http_client = self._shut()
        if http_client is not None:
            http_client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
