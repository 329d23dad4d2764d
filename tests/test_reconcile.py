"""ambiguous_sends="reconcile": an unknown outcome is settled by looking, not by guessing.

Over real HTTP against the sandbox (both flavours): a send or a batch whose
connection drops after the server committed returns the committed id, and the
sandbox holds exactly one; one dropped before processing (or answered 5xx
unprocessed) is sent again once. The window's arithmetic (the server's Date
header, the margin) is checked on fixed clocks.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

import ziett
from ziett.jobs.reconcile import IdMemory, Reconciler
from ziett.sandbox import Sandbox, serve_in_thread

from .conftest import Flavour

TARGET = "+244990090990"
RECIPIENTS = ["+244990000001", "+244990000002", "+244990000003"]


@pytest.fixture(scope="module")
def server() -> Iterator[Any]:
    with serve_in_thread(Sandbox(rate_limits={})) as running:
        yield running


@pytest.fixture
def sandbox(server: Any) -> Sandbox:
    sandbox: Sandbox = server.sandbox
    sandbox.reset()
    return sandbox


def reconciling(flavour: Flavour, server: Any, **kwargs: Any) -> Any:
    client = flavour.client(
        api_key=server.sandbox.api_key,
        base_url=server.base_url,
        ambiguous_sends="reconcile",
        **kwargs,
    )
    client._settings.reconciler.settle_delay = 0.0  # the sandbox commits before it answers
    return client


def send(client: Any, sandbox: Sandbox, content: str = "Code 482910") -> Any:
    return client.messages.send(
        remitter_id=sandbox.remitter_id, target_e164=TARGET, content=content
    )


async def test_a_send_dropped_after_commit_returns_the_committed_id(
    flavour: Flavour, server: Any, sandbox: Sandbox
) -> None:
    client = reconciling(flavour, server)
    sandbox.inject("drop", method="POST", path="/c/v1/messages")
    accepted = await flavour.run(send(client, sandbox))
    assert [m["id"] for m in sandbox.messages] == [accepted.message_id]
    await flavour.close(client)


async def test_a_raw_send_settled_by_reconciliation_has_no_response_of_its_own(
    flavour: Flavour, server: Any, sandbox: Sandbox
) -> None:
    client = reconciling(flavour, server)
    sandbox.inject("drop", method="POST", path="/c/v1/messages")
    raw = await flavour.run(
        client.messages.with_raw_response.send(
            remitter_id=sandbox.remitter_id, target_e164=TARGET, content="Code 1"
        )
    )
    assert raw.http_response is None and raw.status_code is None and not raw.headers
    assert isinstance(raw.parse(), ziett.SendMessageAccepted)
    assert [m["id"] for m in sandbox.messages] == [raw.parse().message_id]
    await flavour.close(client)


@pytest.mark.parametrize("fault", ["drop_before", 503])
async def test_a_send_the_server_never_processed_is_sent_again_once(
    flavour: Flavour, server: Any, sandbox: Sandbox, fault: Any
) -> None:
    client = reconciling(flavour, server)
    sandbox.inject(fault, method="POST", path="/c/v1/messages")
    accepted = await flavour.run(send(client, sandbox))
    assert [m["id"] for m in sandbox.messages] == [accepted.message_id]
    assert ("POST", "/c/v1/messages") in sandbox.requests
    assert sum(r == ("POST", "/c/v1/messages") for r in sandbox.requests) == 2
    await flavour.close(client)


async def test_a_message_already_returned_is_never_returned_again(
    flavour: Flavour, server: Any, sandbox: Sandbox
) -> None:
    client = reconciling(flavour, server)
    first = await flavour.run(send(client, sandbox))
    sandbox.inject("drop", method="POST", path="/c/v1/messages")
    second = await flavour.run(send(client, sandbox))  # same target, text and sender
    assert second.message_id != first.message_id
    assert [m["id"] for m in sandbox.messages] == [first.message_id, second.message_id]
    await flavour.close(client)


async def test_not_found_without_retries_left_raises_may_have_been_sent(
    flavour: Flavour, server: Any, sandbox: Sandbox
) -> None:
    client = reconciling(flavour, server, max_retries=0)
    sandbox.inject("drop_before", method="POST", path="/c/v1/messages")
    with pytest.raises(ziett.APIConnectionError) as caught:
        await flavour.run(send(client, sandbox))
    assert caught.value.may_have_been_sent is True
    assert sandbox.messages == []
    await flavour.close(client)


async def test_a_failed_lookup_raises_the_attempts_error(
    flavour: Flavour, server: Any, sandbox: Sandbox
) -> None:
    client = reconciling(flavour, server, max_retries=0)
    sandbox.inject("drop", method="POST", path="/c/v1/messages")
    sandbox.inject(401, method="GET", path="/c/v1/messages")
    with pytest.raises(ziett.APIConnectionError) as caught:
        await flavour.run(send(client, sandbox))
    assert caught.value.may_have_been_sent is True
    assert any("Looking for what the server did failed" in n for n in caught.value.__notes__)
    assert len(sandbox.messages) == 1
    await flavour.close(client)


async def test_a_batch_dropped_after_commit_returns_the_committed_campaign(
    flavour: Flavour, server: Any, sandbox: Sandbox
) -> None:
    client = reconciling(flavour, server)
    arguments = {"remitter_id": sandbox.remitter_id, "content": "Sale", "recipients": RECIPIENTS}
    other = await flavour.run(client.campaigns.create_batch(name="Promo", **arguments))
    sandbox.inject("drop", method="POST", path="/c/v1/campaigns/batch")
    accepted = await flavour.run(client.campaigns.create_batch(name="Promo", **arguments))
    assert accepted.campaign_id != other.campaign_id
    assert [c["id"] for c in sandbox.campaigns] == [other.campaign_id, accepted.campaign_id]
    await flavour.close(client)


async def test_a_batch_with_other_recipients_is_not_taken_for_ours(
    flavour: Flavour, server: Any, sandbox: Sandbox
) -> None:
    # A campaign of the same name but other recipients, made by someone else, is not ours.
    sandbox_client = reconciling(flavour, server)
    made = sandbox.handle(
        httpx.Request(
            "POST",
            f"{server.base_url}/c/v1/campaigns/batch",
            headers={"X-API-KEY": sandbox.api_key},
            json={
                "name": "Promo",
                "remitter_id": sandbox.remitter_id,
                "content": "Sale",
                "channel_type": "SMS",
                "recipients": RECIPIENTS[:2],
            },
        )
    )
    assert made.status_code == 202
    sandbox.inject("drop_before", method="POST", path="/c/v1/campaigns/batch")
    accepted = await flavour.run(
        sandbox_client.campaigns.create_batch(
            name="Promo", remitter_id=sandbox.remitter_id, content="Sale", recipients=RECIPIENTS
        )
    )
    assert len(sandbox.campaigns) == 2
    assert sandbox.campaigns[1]["id"] == accepted.campaign_id
    await flavour.close(sandbox_client)


# --- the window, on fixed clocks ------------------------------------------------------------------

NOW = datetime(2026, 5, 14, 10, 30, 0, tzinfo=UTC)


def test_the_window_opens_a_minute_early_until_the_server_tells_its_clock() -> None:
    reconciler = Reconciler(margin=5.0, wall=lambda: NOW)
    assert reconciler.window_start(NOW) == NOW - timedelta(seconds=65)
    answer = httpx.Response(200, headers={"Date": "Thu, 14 May 2026 10:30:42 GMT"})
    reconciler.observe(answer, sends_message=False)
    assert reconciler.skew == 42.0
    assert reconciler.window_start(NOW) == NOW + timedelta(seconds=37)


def test_a_send_that_succeeds_is_remembered_and_a_read_is_not() -> None:
    reconciler = Reconciler(wall=lambda: NOW)
    reconciler.observe(httpx.Response(202, json={"message_id": "m1"}), sends_message=True)
    reconciler.observe(httpx.Response(200, json={"message_id": "m2"}), sends_message=False)
    assert reconciler.memory.claimed("m1") and not reconciler.memory.claimed("m2")


def test_the_memory_forgets_the_oldest_beyond_its_size() -> None:
    memory = IdMemory(size=2)
    for identifier in ("a", "b", "c"):
        memory.claim(identifier)
    assert [memory.claimed(i) for i in "abc"] == [False, True, True]


async def test_the_deadline_bounds_reconciliation_and_no_send_follows_it(
    flavour: Flavour, server: Any, sandbox: Sandbox
) -> None:
    """A settle delay longer than the time left: the unknown outcome is raised, not resent."""
    client = reconciling(flavour, server)
    client._settings.reconciler.settle_delay = 5.0
    sandbox.inject(503, times=3, method="POST", path="/c/v1/messages")
    with pytest.raises(ziett.InternalServerError) as caught:
        await flavour.run(
            client.messages.send(
                remitter_id=sandbox.remitter_id, target_e164=TARGET, content="x", deadline=1.0
            )
        )
    assert caught.value.may_have_been_sent is True
    assert any("deadline left no time" in note for note in caught.value.__notes__)
    assert sum(r == ("POST", "/c/v1/messages") for r in sandbox.requests) == 1
    await flavour.close(client)


async def test_a_new_attempt_after_a_fruitless_lookup_waits_its_backoff(
    flavour: Flavour, server: Any, sandbox: Sandbox
) -> None:
    seen: list[ziett.hooks.Attempt] = []
    client = reconciling(flavour, server, attempt_hooks=[seen.append])
    sandbox.inject(503, method="POST", path="/c/v1/messages")
    accepted = await flavour.run(send(client, sandbox))
    assert [m["id"] for m in sandbox.messages] == [accepted.message_id]
    first, second = (a for a in seen if a.route == "POST /c/v1/messages")
    assert first.status_code == 503 and first.wait is not None  # told: another attempt follows
    assert second.status_code == 202 and second.wait is None
    await flavour.close(client)
