"""Fault injection, and the sandbox behind sync, asyncio and trio clients."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import anyio
import httpx
import pytest
import trio

from ziett.sandbox import DROPPED_MESSAGE, Sandbox

from .conftest import async_sandbox_client, batch_body, message_body


@pytest.fixture
def sb() -> Sandbox:
    """On the real clock, moving only when told to."""
    return Sandbox(auto_advance=False)


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (500, "INTERNAL_SERVER_ERROR"),
        (502, "BAD_GATEWAY"),
        (503, "SERVICE_UNAVAILABLE"),
        (504, "GATEWAY_TIMEOUT"),
        (520, "UNKNOWN_ERROR"),
        (409, "CONFLICT"),
    ],
)
def test_an_injected_status_answers_the_error_object_and_does_nothing(
    sb: Sandbox, api: httpx.Client, status: int, code: str
) -> None:
    sb.inject(status)
    response = api.post("/c/v1/messages", json=message_body(sb))
    assert response.status_code == status
    error = response.json()
    assert (error["code"], error["status"], error["service"]) == (code, status, "core")
    assert len(error["trace_id"]) == 32 and error["timestamp"]
    assert sb.messages == [] and sb.balance == Decimal("1000.00")
    assert api.post("/c/v1/messages", json=message_body(sb)).status_code == 202  # consumed


@pytest.mark.parametrize("status", [502, 503, 520])
def test_a_gateway_can_answer_html(sb: Sandbox, api: httpx.Client, status: int) -> None:
    sb.inject(status, html=True)
    response = api.get("/c/v1/messages")
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    assert response.text.startswith("<html>") and str(status) in response.text


@pytest.mark.parametrize(
    ("retry_after", "header"),
    [(None, "1"), (7, "7"), (2.2, "3"), ("Wed, 21 Oct 2015 07:28:00 GMT", None)],
)
def test_an_injected_429_sends_retry_after(
    sb: Sandbox, api: httpx.Client, retry_after: float | str | None, header: str | None
) -> None:
    sb.inject(429, retry_after=retry_after)
    response = api.post("/c/v1/messages", json=message_body(sb))
    assert response.status_code == 429
    assert response.json()["code"] == "RATE_LIMIT_EXCEEDED"
    assert response.headers["Retry-After"] == (header or retry_after)


def test_retry_after_on_a_503(sb: Sandbox, api: httpx.Client) -> None:
    sb.inject(503, retry_after=5)
    assert api.get("/c/v1/messages").headers["Retry-After"] == "5"


def test_times_and_consumption_order(sb: Sandbox, api: httpx.Client) -> None:
    sb.inject(500, times=2)
    sb.inject(503)
    statuses = [api.get("/c/v1/messages").status_code for _ in range(4)]
    assert statuses == [500, 500, 503, 200]


def test_faults_match_by_method_and_path_prefix(sb: Sandbox, api: httpx.Client) -> None:
    sb.inject(500, method="post", path="/c/v1/campaigns")
    sb.inject(503, path="/c/v1/messages")
    assert api.get("/c/v1/campaigns").status_code == 200  # wrong method
    assert api.post("/c/v1/messages", json=message_body(sb)).status_code == 503
    assert api.post("/c/v1/messages", json=message_body(sb)).status_code == 202
    assert api.post("/c/v1/campaigns/batch", json=batch_body(sb)).status_code == 500
    assert api.post("/c/v1/campaigns/batch", json=batch_body(sb)).status_code == 202


def test_a_drop_processes_the_request_then_drops_the_connection(
    sb: Sandbox, api: httpx.Client
) -> None:
    sb.inject("drop", method="POST")
    with pytest.raises(httpx.RemoteProtocolError, match=DROPPED_MESSAGE):
        api.post("/c/v1/messages", json=message_body(sb))
    assert len(sb.messages) == 1  # sent, though the client never heard back
    assert sb.balance == Decimal("999.95")
    assert api.post("/c/v1/messages", json=message_body(sb)).status_code == 202


def test_drop_before_loses_the_request(sb: Sandbox, api: httpx.Client) -> None:
    sb.inject("drop_before")
    with pytest.raises(httpx.RemoteProtocolError, match=DROPPED_MESSAGE):
        api.post("/c/v1/campaigns/batch", json=batch_body(sb))
    assert sb.campaigns == [] and sb.messages == []
    assert sb.requests == [("POST", "/c/v1/campaigns/batch")]


def test_slow_sleeps_before_answering(
    sb: Sandbox, api: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    slept: list[float] = []
    monkeypatch.setattr("ziett.sandbox._sandbox.time.sleep", slept.append)
    sb.inject(("slow", 30))
    assert api.get("/c/v1/messages").status_code == 200
    assert slept == [30.0]


def test_slow_waits_before_it_acts(
    sb: Sandbox, api: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The wait comes first: nothing was accepted yet when the sandbox slept.
    slept: list[tuple[float, int]] = []
    monkeypatch.setattr(
        "ziett.sandbox._sandbox.time.sleep", lambda delay: slept.append((delay, len(sb.messages)))
    )
    sb.inject(("slow", 0.05))
    assert api.post("/c/v1/messages", json=message_body(sb)).status_code == 202
    assert slept == [(0.05, 0)]
    assert len(sb.messages) == 1


@pytest.mark.parametrize(
    ("fault", "kwargs"),
    [
        (200, {}),
        (600, {}),
        ("explode", {}),
        (("slow", -1), {}),
        (("slow", "1"), {}),
        (True, {}),
        (500, {"times": 0}),
    ],
)
def test_bad_faults_are_refused(sb: Sandbox, fault: Any, kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        sb.inject(fault, **kwargs)


def test_the_control_api_is_never_faulted(sb: Sandbox, api: httpx.Client) -> None:
    sb.inject(500)
    assert api.get("/_sandbox/state").status_code == 200
    assert api.get("/_sandbox/state").json()["pending_faults"] == 1
    assert api.get("/c/v1/messages").status_code == 500


# --- Async clients -------------------------------------------------------------------------------


async def test_the_same_handler_serves_an_async_client(sb: Sandbox) -> None:
    async with async_sandbox_client(sb, httpx.MockTransport(sb.handle)) as api:
        response = await api.post("/c/v1/messages", json=message_body(sb))
        assert response.status_code == 202
        message_id = response.json()["message_id"]
        assert (await api.get(f"/c/v1/messages/{message_id}")).json()["status"] == "PENDING"
        sb.inject("drop")
        with pytest.raises(httpx.RemoteProtocolError):
            await api.get("/c/v1/messages")
        sb.inject(503)
        assert (await api.get("/c/v1/messages")).status_code == 503


async def test_handle_async_sleeps_without_blocking(sb: Sandbox) -> None:
    answered: list[int] = []
    async with async_sandbox_client(sb, httpx.MockTransport(sb.handle_async)) as api:

        async def slow_read() -> None:
            answered.append((await api.get("/c/v1/messages")).status_code)

        sb.inject(("slow", 2), method="GET")  # a blocking sleep would end first
        async with anyio.create_task_group() as group:
            group.start_soon(slow_read)
            await anyio.wait_all_tasks_blocked()  # the read is asleep in the sandbox
            # The loop is free: another request is answered while the read still waits.
            assert (await api.post("/c/v1/messages", json=message_body(sb))).status_code == 202
            assert answered == []
            group.cancel_scope.cancel()
        sb.inject("drop_before")
        with pytest.raises(httpx.RemoteProtocolError):
            await api.get("/c/v1/messages")


def test_under_trio(sb: Sandbox) -> None:
    async def main() -> list[int]:
        async with async_sandbox_client(sb, httpx.MockTransport(sb.handle_async)) as api:
            sb.inject(("slow", 0.01))
            first = await api.post("/c/v1/messages", json=message_body(sb))
            second = await api.get("/c/v1/messages")
            return [first.status_code, second.status_code]

    assert trio.run(main) == [202, 200]
