"""Shared fixtures: one test body runs against both the sync and the async client."""

from __future__ import annotations

import inspect
import os
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

import ziett

# The heavy end-to-end scenarios (SIGKILL and resume, a Redis fleet, a real terminal) run
# in `make e2e`, and the slow ones (regeneration from scratch, interrupted-then-resumed
# subprocesses) in `make test-slow`: `make test` stays quick.
collect_ignore_glob = [
    *([] if os.environ.get("ZIETT_E2E") else ["e2e/*"]),
    *([] if os.environ.get("ZIETT_SLOW") else ["slow/*"]),
]

API_KEY = "zk_test_0123456789abcdef"
BASE_URL = "https://api.ziett.co"
REMITTER_V7 = "019b4b56-e704-7c30-83a0-527df63c3e00"


class Flavour:
    """Builds a client of one flavour and lets a test await or call it uniformly."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.client_class: type[ziett.AsyncZiett] | type[ziett.Ziett] = (
            ziett.AsyncZiett if name == "async" else ziett.Ziett
        )

    def client(self, **kwargs: Any) -> Any:
        kwargs.setdefault("api_key", API_KEY)
        kwargs.setdefault("base_url", BASE_URL)
        kwargs.setdefault("rate_limits", {})
        return self.client_class(**kwargs)

    async def run(self, value: Any) -> Any:
        """The result of a client call, awaited when the client is async."""
        return await value if inspect.isawaitable(value) else value

    async def collect(self, iterable: Any) -> list[Any]:
        """Every item of a pager (or pages()), sync or async."""
        if hasattr(iterable, "__aiter__"):
            return [item async for item in iterable]
        return list(iterable)

    async def close(self, client: Any) -> None:
        await self.run(client.aclose() if self.name == "async" else client.close())


@pytest.fixture(params=["async", "sync"])
def flavour(request: pytest.FixtureRequest) -> Flavour:
    return Flavour(request.param)


@pytest.fixture
async def client(flavour: Flavour) -> AsyncIterator[Any]:
    c = flavour.client()
    yield c
    await flavour.close(c)


@pytest.fixture(autouse=True)
def _no_ambient_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # A developer's own settings must not change what the suite tests.
    for name in ("ZIETT_API_KEY", "ZIETT_BASE_URL", "ZIETT_RATE_LIMIT_STORE", "ZIETT_REMITTER_ID"):
        monkeypatch.delenv(name, raising=False)
    yield


def message_json(**overrides: Any) -> dict[str, Any]:
    """A complete message object as the API returns it."""
    body: dict[str, Any] = {
        "id": "019b4b56-e704-7c30-83a0-527df63c3e01",
        "created_at": "2026-01-01T10:00:00+00:00",
        "updated_at": "2026-01-01T10:00:01+00:00",
        "organization_id": "org-1",
        "campaign_id": None,
        "contact_id": None,
        "sms_remitter_id": REMITTER_V7,
        "sms_remitter": {"name": "Ziett"},
        "external_id": None,
        "cost": "0.05",
        "billing_account_id": "ba-1",
        "channel_type": "SMS",
        "channel_destination": "UNITEL",
        "provider_id": None,
        "e164_format": "+244990090990",
        "content": "Your code is 482910.",
        "trigger_source": "API_CLIENT",
        "error_code": None,
        "is_refunded": False,
        "status": "SENT",
        "contact": None,
        "campaign": None,
    }
    body.update(overrides)
    return body


def page_json(entries: list[dict[str, Any]], page: int, size: int, total: int) -> dict[str, Any]:
    pages = -(-total // size)
    return {"entries": entries, "total": total, "page": page, "size": size, "pages": pages}


class SandboxProcess:
    """``python -m ziett.sandbox`` in its own process, as a user would run it."""

    def __init__(self, *arguments: str) -> None:
        import subprocess
        import sys

        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "ziett.sandbox",
                "--port",
                "0",
                "--log-level",
                "warning",
                *arguments,
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        self.banner: dict[str, str] = {}
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if line.startswith("Press Ctrl+C"):
                break
            key, _, value = line.strip().partition("  ")
            self.banner[key.strip()] = value.strip()
        self.base_url = self.banner["base URL"]
        self.api_key = self.banner["API key"]
        self.remitter_id = self.banner["sender ID"]

    def state(self) -> dict[str, Any]:
        import httpx

        return httpx.get(f"{self.base_url}/_sandbox/state").json()  # type: ignore[no-any-return]

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        if self.process.stdout is not None:
            self.process.stdout.close()
