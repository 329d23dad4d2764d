"""The 202 lifecycle (auto and on demand), contacts, and the inspection/control methods."""

from __future__ import annotations

import uuid
from decimal import Decimal

import httpx
import pytest

from ziett.sandbox import Sandbox

from .conftest import FakeClock, batch_body, launch, sandbox_client, send


def status(api: httpx.Client, path: str) -> str:
    return str(api.get(path).json()["status"])


# --- Lifecycle -----------------------------------------------------------------------------------


def test_a_message_advances_with_the_clock(
    sb: Sandbox, api: httpx.Client, clock: FakeClock
) -> None:
    path = f"/c/v1/messages/{send(api, sb)}"
    queued = api.get(path).json()
    assert queued["status"] == "PENDING"
    assert queued["provider_id"] is None and queued["external_id"] is None
    clock.tick(0.19)
    assert status(api, path) == "PENDING"
    clock.tick(0.01)
    sent = api.get(path).json()
    assert sent["status"] == "SENT"
    assert sent["provider_id"] and sent["external_id"]
    assert sent["updated_at"] > queued["updated_at"]
    assert sent["created_at"] == queued["created_at"]
    clock.tick(0.2)
    delivered = api.get(path).json()
    assert delivered["status"] == "DELIVERED"
    assert delivered["error_code"] is None and delivered["is_refunded"] is False
    clock.tick(60)
    assert api.get(path).json() == delivered


def test_a_number_ending_in_13_fails_and_is_refunded(
    sb: Sandbox, api: httpx.Client, clock: FakeClock
) -> None:
    path = f"/c/v1/messages/{send(api, sb, '+244990000013')}"
    assert sb.balance == Decimal("999.95")
    clock.tick(0.2)
    failed = api.get(path).json()
    assert failed["status"] == "FAILED"
    assert failed["error_code"] == "INVALID_PHONE_NUMBER"
    assert failed["is_refunded"] is True
    assert failed["cost"] == "0.05"
    assert sb.balance == Decimal("1000.00")
    clock.tick(10)
    assert status(api, path) == "FAILED"


def test_a_number_ending_in_14_is_sent_but_undelivered(
    sb: Sandbox, api: httpx.Client, clock: FakeClock
) -> None:
    path = f"/c/v1/messages/{send(api, sb, '+244990000014')}"
    clock.tick(0.2)
    assert status(api, path) == "SENT"
    clock.tick(0.2)
    message = api.get(path).json()
    assert message["status"] == "UNDELIVERED"
    assert message["error_code"] == "CARRIER_REJECTED"
    assert message["is_refunded"] is False
    assert sb.balance == Decimal("999.95")


def test_a_campaign_goes_processing_sending_completed(
    sb: Sandbox, api: httpx.Client, clock: FakeClock
) -> None:
    campaign_id = launch(api, sb, ["+244990000001", "+244990000013", "+244990000014"])
    path = f"/c/v1/campaigns/{campaign_id}"
    assert status(api, path) == "PROCESSING"
    assert api.get(path).json()["total_recipients"] == 3
    assert {m["status"] for m in sb.messages} == {"PENDING"}
    assert {m["campaign"]["status"] for m in sb.messages} == {"PROCESSING"}
    clock.tick(0.2)
    assert status(api, path) == "SENDING"
    assert [m["status"] for m in sb.messages] == ["SENT", "FAILED", "SENT"]
    clock.tick(0.2)
    assert status(api, path) == "COMPLETED"
    assert [m["status"] for m in sb.messages] == ["DELIVERED", "FAILED", "UNDELIVERED"]
    assert {m["campaign"]["status"] for m in sb.messages} == {"COMPLETED"}
    assert sb.balance == Decimal("999.90")  # three charged, the failed one refunded


def test_without_auto_advance_only_advance_and_settle_move_things(clock: FakeClock) -> None:
    sb = Sandbox(clock=clock, auto_advance=False)
    with sandbox_client(sb) as api:
        message = f"/c/v1/messages/{send(api, sb)}"
        campaign = f"/c/v1/campaigns/{launch(api, sb, ['+244990000001', '+244990000002'])}"
        clock.tick(3600)
        assert (status(api, message), status(api, campaign)) == ("PENDING", "PROCESSING")
        assert sb.advance() == 4  # 3 messages and the campaign move one step
        assert (status(api, message), status(api, campaign)) == ("SENT", "SENDING")
        assert sb.advance(5) == 4
        assert (status(api, message), status(api, campaign)) == ("DELIVERED", "COMPLETED")
        assert sb.advance() == 0
        send(api, sb)
        launch(api, sb, ["+244990000001", "+244990000013"])
        assert sb.settle() == 7  # 2 + 2 (campaign) + 2 + 1 (the failure is final at once)
        assert sb.settle() == 0
        assert {m["status"] for m in sb.messages} == {"DELIVERED", "FAILED"}
        assert {c["status"] for c in sb.campaigns} == {"COMPLETED"}


def test_manual_steps_are_not_applied_twice_by_the_clock(
    sb: Sandbox, api: httpx.Client, clock: FakeClock
) -> None:
    path = f"/c/v1/messages/{send(api, sb)}"
    sb.advance()
    assert status(api, path) == "SENT"
    clock.tick(0.2)  # the step due by now was already taken by hand
    assert status(api, path) == "SENT"
    clock.tick(0.2)
    assert status(api, path) == "DELIVERED"


def test_a_custom_step_duration(clock: FakeClock) -> None:
    sb = Sandbox(clock=clock, step_seconds=5)
    with sandbox_client(sb) as api:
        path = f"/c/v1/messages/{send(api, sb)}"
        clock.tick(4.9)
        assert status(api, path) == "PENDING"
        clock.tick(0.1)
        assert status(api, path) == "SENT"


# --- Contacts ------------------------------------------------------------------------------------


def test_save_contact_upserts_by_number(sb: Sandbox, api: httpx.Client, clock: FakeClock) -> None:
    first = send(api, sb, save_contact={"name": "Ana", "email": "ana@example.com", "tags": ["A"]})
    clock.tick(1)
    second = send(api, sb, save_contact={"name": "Ana Silva", "tags": ["B"]})
    third = send(api, sb)
    one, two, three = (api.get(f"/c/v1/messages/{i}").json() for i in (first, second, third))
    assert one["contact_id"] == two["contact_id"] is not None
    assert three["contact_id"] is None and three["contact"] is None
    contact = two["contact"]
    assert contact["name"] == "Ana Silva"
    assert contact["email"] == "ana@example.com"  # kept: not given the second time
    assert contact["e164_format"] == "+244990090990"
    assert contact["organization_id"] == sb.organization_id
    assert contact["updated_at"] > contact["created_at"]
    assert sb.contacts == [contact]
    send(api, sb, "+244990000001", save_contact={})
    assert len(sb.contacts) == 2


# --- Inspection and control ----------------------------------------------------------------------


def test_inspection_reflects_the_traffic(sb: Sandbox, api: httpx.Client) -> None:
    message_id = send(api, sb)
    campaign_id = launch(api, sb, ["+244990000001", "+244990000002"])
    api.get("/c/v1/messages")
    api.get("/_sandbox/state")  # the control API is not logged
    assert sb.messages[0]["id"] == message_id
    assert [c["id"] for c in sb.campaigns] == [campaign_id]
    assert sb.requests == [
        ("POST", "/c/v1/messages"),
        ("POST", "/c/v1/campaigns/batch"),
        ("GET", "/c/v1/messages"),
    ]
    assert sb.balance == Decimal("999.85")
    snapshot = sb.snapshot()
    assert snapshot["balance"] == "999.85"
    assert (snapshot["messages"], snapshot["campaigns"], snapshot["requests"]) == (3, 1, 3)
    assert snapshot["api_key"] == sb.api_key
    assert snapshot["remitter_id"] == sb.remitter_id


def test_inspection_returns_copies(sb: Sandbox, api: httpx.Client) -> None:
    send(api, sb)
    sb.messages[0]["status"] = "HACKED"
    sb.requests.clear()
    assert sb.messages[0]["status"] == "PENDING"
    assert len(sb.requests) == 1


def test_balance_controls(sb: Sandbox) -> None:
    assert sb.top_up(Decimal("10.50")) == Decimal("1010.50")
    assert sb.top_up("0.5") == Decimal("1011.00")
    with pytest.raises(ValueError):
        sb.top_up(0)
    with pytest.raises(ValueError):
        sb.top_up("lots")
    sb.drain()
    assert sb.balance == Decimal("0")
    sb.balance = Decimal("3")
    assert sb.balance == Decimal("3")


def test_reset_forgets_the_traffic_but_keeps_the_keys(sb: Sandbox, api: httpx.Client) -> None:
    keys = (sb.api_key, sb.read_only_api_key, sb.remitter_id)
    send(api, sb, save_contact={"name": "Ana"})
    launch(api, sb, ["+244990000001", "+244990000002"])
    sb.inject(500)
    sb.reset()
    assert (sb.messages, sb.campaigns, sb.contacts, sb.requests) == ([], [], [], [])
    assert sb.balance == Decimal("1000.00")
    assert (sb.api_key, sb.read_only_api_key, sb.remitter_id) == keys
    assert sb.snapshot()["pending_faults"] == 0
    assert api.get("/c/v1/messages").json()["total"] == 0


def test_add_remitter_returns_a_usable_uuid_v7(sb: Sandbox, api: httpx.Client) -> None:
    remitter = sb.add_remitter("ACME")
    parsed = uuid.UUID(remitter)
    assert parsed.version == 7 and parsed.variant == uuid.RFC_4122
    body = batch_body(sb, remitter_id=remitter)
    assert api.post("/c/v1/campaigns/batch", json=body).status_code == 202
    assert {m["sms_remitter"]["name"] for m in sb.messages} == {"ACME"}
    assert {"id": remitter, "name": "ACME"} in sb.snapshot()["remitters"]


def test_the_sandbox_is_thread_safe(sb: Sandbox) -> None:
    import threading

    sb = Sandbox(rate_limits={})
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            with sandbox_client(sb) as api:
                for _ in range(25):
                    send(api, sb)
                    api.get("/c/v1/messages", params={"size": 5})
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(sb.messages) == 200
    assert len({m["id"] for m in sb.messages}) == 200
    assert sb.balance == Decimal("1000.00") - Decimal("0.05") * 200
