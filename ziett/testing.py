"""Test your application against a local Ziett, in-process and without sockets.

A pytest plugin (entry point ``pytest11``): while the ``ziett_sandbox`` fixture is active,
``ZIETT_API_KEY``, ``ZIETT_BASE_URL`` and ``ZIETT_REMITTER_ID`` point at a fresh sandbox
and every ``Ziett``/``AsyncZiett`` the code under test creates for that URL talks to it
in-process; ``@pytest.mark.ziett_sandbox(...)`` or a ``ziett_sandbox_options`` fixture
starts it the same way every time (docs/guides/testing.md shows it). Loaded by every
pytest run of every project that installed ziett: beyond pytest and the ``ziett``
package it imports nothing until a fixture is used.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from decimal import Decimal

    import httpx

    from ziett._client import AsyncZiett, Ziett, _ClientCore
    from ziett.sandbox import FaultSpec, Sandbox

SANDBOX_URL = "http://sandbox.ziett.test"

MARKER = "ziett_sandbox"
"""``@pytest.mark.ziett_sandbox(**options)``: how this test's sandbox starts."""

__all__ = ["MARKER", "SANDBOX_URL", "ZiettSandbox", "ziett_sandbox", "ziett_sandbox_options"]


def pytest_configure(config: pytest.Config) -> None:
    """Register the ``ziett_sandbox`` marker (so ``--strict-markers`` knows it).

    :param config: pytest's configuration.
    """
    config.addinivalue_line(
        "markers",
        f"{MARKER}(**options): start this test's ziett_sandbox with these "
        "ziett.sandbox.Sandbox arguments (api_key=, remitter_id=, balance=, ...)",
    )


class ZiettSandbox:
    """A fresh sandbox, clients wired to it, what it has seen, and how to drive it."""

    def __init__(self, sandbox: Sandbox) -> None:
        """
        :param sandbox: the in-process sandbox this fixture wraps (also ``self.sandbox``).
        """
        self.sandbox = sandbox
        self.base_url = SANDBOX_URL
        self.api_key: str = sandbox.api_key
        self.read_only_api_key: str = sandbox.read_only_api_key
        self.remitter_id: str = sandbox.remitter_id

    def __repr__(self) -> str:
        return f"<ZiettSandbox {self.sandbox!r}>"

    # Clients -----------------------------------------------------------------------------

    def transport(self, asynchronous: bool = False) -> httpx.MockTransport:
        """An httpx transport answering from the sandbox.

        :param asynchronous: for an ``httpx.AsyncClient`` (a "slow" fault then awaits
            instead of blocking the event loop).
        """
        import httpx

        return httpx.MockTransport(
            self.sandbox.handle_async if asynchronous else self.sandbox.handle
        )

    def client(self, **kwargs: Any) -> Ziett:
        """A blocking client talking to this sandbox.

        :param kwargs: passed to :class:`ziett.Ziett` (``api_key`` and ``base_url``
            default to this sandbox's).
        """
        from ziett._client import Ziett

        kwargs.setdefault("api_key", self.api_key)
        kwargs.setdefault("base_url", self.base_url)
        return Ziett(**kwargs)

    def async_client(self, **kwargs: Any) -> AsyncZiett:
        """An async client talking to this sandbox.

        :param kwargs: passed to :class:`ziett.AsyncZiett` (``api_key`` and
            ``base_url`` default to this sandbox's).
        """
        from ziett._client import AsyncZiett

        kwargs.setdefault("api_key", self.api_key)
        kwargs.setdefault("base_url", self.base_url)
        return AsyncZiett(**kwargs)

    # What it has seen --------------------------------------------------------------------

    @property
    def sent(self) -> list[dict[str, Any]]:
        """Every message the sandbox accepted, oldest first, in wire form."""
        return self.sandbox.messages

    @property
    def messages(self) -> list[dict[str, Any]]:
        """The same as :attr:`sent`: every message, oldest first, in wire form."""
        return self.sandbox.messages

    @property
    def campaigns(self) -> list[dict[str, Any]]:
        """Every campaign created, oldest first, in wire form."""
        return self.sandbox.campaigns

    @property
    def contacts(self) -> list[dict[str, Any]]:
        """Every contact saved by a send's ``save_contact``, in wire form."""
        return self.sandbox.contacts

    @property
    def requests(self) -> list[tuple[str, str]]:
        """(method, path) of every API request the sandbox received."""
        return self.sandbox.requests

    @property
    def balance(self) -> Decimal:
        """The organisation's credit balance (settable)."""
        return self.sandbox.balance

    @balance.setter
    def balance(self, amount: Decimal) -> None:
        self.sandbox.balance = amount

    def snapshot(self) -> dict[str, Any]:
        """The sandbox's state in brief: balance, counts, keys and sender IDs."""
        return self.sandbox.snapshot()

    # Driving it --------------------------------------------------------------------------

    def top_up(self, amount: Decimal | int | str) -> Decimal:
        """Add ``amount`` to the balance; the new balance.

        :param amount: a positive amount (a Decimal, an int or a decimal string).
        """
        return self.sandbox.top_up(amount)

    def drain(self) -> None:
        """Set the balance to 0: every send then gets 402 BILLING_INSUFFICIENT_FUNDS."""
        self.sandbox.drain()

    def advance(self, steps: int = 1) -> int:
        """Move every unfinished message and campaign; the number of changes.

        :param steps: how many lifecycle steps (PENDING -> SENT -> DELIVERED is two).
        """
        return self.sandbox.advance(steps)

    def settle(self) -> int:
        """Move every message and campaign to its final status; the number of changes."""
        return self.sandbox.settle()

    def deliver(self, message_id: str) -> dict[str, Any]:
        """Deliver one unfinished message now; the message in wire form.

        :param message_id: the id a send returned.
        """
        return self.sandbox.deliver(message_id)

    def fail(self, message_id: str, status: str | None = None) -> dict[str, Any]:
        """Fail one unfinished message now; the message in wire form.

        :param message_id: the id a send returned.
        :param status: "FAILED" (refunded, while PENDING) or "UNDELIVERED"; by default
            the one its current status allows.
        """
        return self.sandbox.fail(message_id, status)

    def add_remitter(self, name: str) -> str:
        """Approve another sender ID; its id.

        :param name: the sender name.
        """
        return self.sandbox.add_remitter(name)

    # The signature repeats Sandbox.inject's so that a test's call reads the same on either.
    def inject(
        self,
        fault: FaultSpec,
        *,
        times: int = 1,
        method: str | None = None,
        path: str | None = None,
        retry_after: float | str | None = None,
        html: bool = False,
    ) -> None:
        """Make the next ``times`` matching requests fail.

        :param fault: an HTTP status (4xx/5xx), "drop" (processed, then the connection
            drops), "drop_before" (dropped unprocessed) or ("slow", seconds).
        :param times: how many matching requests it hits.
        :param method: only requests with this method.
        :param path: only requests whose path starts with this.
        :param retry_after: the Retry-After of a status fault (429 defaults to 1).
        :param html: answer a status fault with an HTML gateway page.
        """
        self.sandbox.inject(
            fault, times=times, method=method, path=path, retry_after=retry_after, html=html
        )

    def reset(self) -> None:
        """Forget all traffic, faults and rate-limit counts; restore the initial balance."""
        self.sandbox.reset()


def _route_to(sandboxes: dict[str, ZiettSandbox]) -> Callable[[_ClientCore[Any]], Any]:
    from ziett._client import _ClientCore

    original = _ClientCore._make_http_client

    def make_http_client(self: _ClientCore[Any]) -> Any:
        import httpx

        target = sandboxes.get(self.base_url)
        if target is None:
            return original(self)
        asynchronous = self._http_client_class is httpx.AsyncClient
        return self._http_client_class(transport=target.transport(asynchronous))

    return make_http_client


@pytest.fixture
def ziett_sandbox_options() -> dict[str, Any]:
    """The :class:`ziett.sandbox.Sandbox` arguments of every ``ziett_sandbox`` (default none).

    Override it in a ``conftest.py`` to start every sandbox of a directory the same way::

        @pytest.fixture
        def ziett_sandbox_options():
            return {"api_key": "zk_test_local", "remitter_id": SENDER, "balance": "5.00"}

    A test's ``@pytest.mark.ziett_sandbox(...)`` arguments take precedence.
    """
    return {}


@pytest.fixture
def ziett_sandbox(
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    ziett_sandbox_options: dict[str, Any],
) -> Iterator[ZiettSandbox]:
    """A fresh in-process sandbox; clients created during the test use it.

    ``ZIETT_API_KEY``, ``ZIETT_BASE_URL`` and ``ZIETT_REMITTER_ID`` are set to it for
    the test. It starts with ``ziett_sandbox_options`` updated by the test's
    ``@pytest.mark.ziett_sandbox(api_key=..., remitter_id=..., balance=...)``
    arguments: the same arguments give the same keys, sender and balance every time.
    """
    from ziett._client import _ClientCore
    from ziett._config import ENV_API_KEY, ENV_BASE_URL, ENV_REMITTER_ID
    from ziett.sandbox import Sandbox

    options = dict(ziett_sandbox_options)
    for marker in reversed(list(request.node.iter_markers(MARKER))):
        if marker.args:
            raise TypeError(f"@pytest.mark.{MARKER} takes keyword arguments only")
        options.update(marker.kwargs)
    fixture = ZiettSandbox(Sandbox(**options))
    monkeypatch.setenv(ENV_API_KEY, fixture.api_key)
    monkeypatch.setenv(ENV_BASE_URL, fixture.base_url)
    monkeypatch.setenv(ENV_REMITTER_ID, fixture.remitter_id)
    monkeypatch.setattr(_ClientCore, "_make_http_client", _route_to({SANDBOX_URL: fixture}))
    yield fixture
