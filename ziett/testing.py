"""Test your application against a local Ziett, in-process and without sockets.

Installed as a pytest plugin (entry point ``pytest11``), so with ziett installed::

    def test_signup_sends_otp(ziett_sandbox):
        signup("+244990090990")              # your code, using ziett.Ziett() or AsyncZiett()
        (sent,) = ziett_sandbox.sent
        assert sent["e164_format"] == "+244990090990"

While the fixture is active, ``ZIETT_API_KEY`` and ``ZIETT_BASE_URL`` point at a
fresh sandbox and every ``Ziett``/``AsyncZiett`` the code under test creates for
that URL talks to it in-process. Control it from the test: ``top_up``/``drain``
the balance, ``settle``/``advance`` deliveries, ``inject`` 429s, 5xx, dropped
connections or slow answers. The sandbox itself is :mod:`ziett.sandbox`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from ziett._client import AsyncZiett, Ziett, _ClientCore
from ziett._config import ENV_API_KEY, ENV_BASE_URL

if TYPE_CHECKING:
    from ziett.sandbox import Sandbox

SANDBOX_URL = "http://sandbox.ziett.test"

__all__ = ["SANDBOX_URL", "ZiettSandbox", "ziett_sandbox"]


class ZiettSandbox:
    """A fresh sandbox, clients wired to it, and what it has seen."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self.base_url = SANDBOX_URL
        self.api_key = sandbox.api_key
        self.remitter_id = sandbox.remitter_id

    def transport(self, asynchronous: bool = False) -> httpx.MockTransport:
        """An httpx transport answering from the sandbox (``asynchronous`` for AsyncClient,
        so that a "slow" fault awaits instead of blocking the event loop)."""
        return httpx.MockTransport(
            self.sandbox.handle_async if asynchronous else self.sandbox.handle
        )

    def client(self, **kwargs: Any) -> Ziett:
        """A blocking client talking to this sandbox."""
        kwargs.setdefault("api_key", self.api_key)
        kwargs.setdefault("base_url", self.base_url)
        return Ziett(**kwargs)

    def async_client(self, **kwargs: Any) -> AsyncZiett:
        """An async client talking to this sandbox."""
        kwargs.setdefault("api_key", self.api_key)
        kwargs.setdefault("base_url", self.base_url)
        return AsyncZiett(**kwargs)

    @property
    def sent(self) -> list[dict[str, Any]]:
        """Every message the sandbox accepted, oldest first, in wire form."""
        return list(self.sandbox.messages)

    def __getattr__(self, name: str) -> Any:
        # top_up, drain, balance, settle, advance, inject, campaigns, requests...
        return getattr(self.sandbox, name)


def _route_to(sandboxes: dict[str, ZiettSandbox]) -> Any:
    original = _ClientCore._make_http_client

    def make_http_client(self: _ClientCore[Any]) -> Any:
        target = sandboxes.get(self.base_url)
        if target is None:
            return original(self)
        asynchronous = self._http_client_class is httpx.AsyncClient
        return self._http_client_class(transport=target.transport(asynchronous))

    return make_http_client


@pytest.fixture
def ziett_sandbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[ZiettSandbox]:
    """A fresh in-process sandbox; clients created during the test use it."""
    from ziett.sandbox import Sandbox

    fixture = ZiettSandbox(Sandbox())
    monkeypatch.setenv(ENV_API_KEY, fixture.api_key)
    monkeypatch.setenv(ENV_BASE_URL, fixture.base_url)
    monkeypatch.setattr(_ClientCore, "_make_http_client", _route_to({SANDBOX_URL: fixture}))
    yield fixture
