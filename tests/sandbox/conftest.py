"""Fixtures and request helpers shared by the sandbox's tests.

The fixtures (``clock``, ``sb``, ``api``) reach every module here; a module that
needs a differently built sandbox overrides ``sb``. The helpers are imported with
``from .conftest import ...``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from ziett.sandbox import Sandbox


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def tick(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def sb(clock: FakeClock) -> Sandbox:
    return Sandbox(clock=clock)


def sandbox_client(sb: Sandbox) -> httpx.Client:
    """A client that reaches ``sb`` in-process, with its full-scope API key."""
    return httpx.Client(
        transport=httpx.MockTransport(sb.handle),
        base_url="http://localhost",
        headers={"X-API-KEY": sb.api_key},
    )


def async_sandbox_client(sb: Sandbox, transport: httpx.AsyncBaseTransport) -> httpx.AsyncClient:
    """An async client that reaches ``sb`` through ``transport``, with its full-scope API key."""
    return httpx.AsyncClient(
        transport=transport,
        base_url="http://localhost",
        headers={"X-API-KEY": sb.api_key},
    )


@pytest.fixture
def api(sb: Sandbox) -> Iterator[httpx.Client]:
    with sandbox_client(sb) as client:
        yield client


def message_body(sb: Sandbox, target: str = "+244990090990", **overrides: Any) -> dict[str, Any]:
    """A valid send from the sandbox's sender; ``overrides`` replace or add fields."""
    body = {
        "remitter_id": sb.remitter_id,
        "channel_type": "SMS",
        "target_e164": target,
        "content": "Hello",
    }
    body.update(overrides)
    return body


def batch_body(sb: Sandbox, **overrides: Any) -> dict[str, Any]:
    """A valid two-recipient batch from the sandbox's sender; ``overrides`` replace fields."""
    body = {
        "name": "Promo",
        "remitter_id": sb.remitter_id,
        "channel_type": "SMS",
        "content": "Hi",
        "recipients": ["+244990000001", "+244990000002"],
    }
    body.update(overrides)
    return body


def send(api: httpx.Client, sb: Sandbox, target: str = "+244990090990", **extra: Any) -> str:
    """Sends ``message_body(sb, target, **extra)``, checks the 202, returns the message ID."""
    response = api.post("/c/v1/messages", json=message_body(sb, target, **extra))
    assert response.status_code == 202, response.text
    return str(response.json()["message_id"])


def launch(api: httpx.Client, sb: Sandbox, recipients: list[str]) -> str:
    """Creates a "Flash sale" batch to ``recipients``, checks the 202, returns the campaign ID."""
    body = batch_body(sb, content="Flash sale", recipients=recipients)
    response = api.post("/c/v1/campaigns/batch", json=body)
    assert response.status_code == 202, response.text
    return str(response.json()["campaign_id"])
