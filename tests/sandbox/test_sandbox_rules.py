"""The sandbox's request rules: auth, scopes, body validation, pricing, funds, phones, limits."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal
from functools import partial
from typing import Any

import httpx
import pytest

from ziett.sandbox import Sandbox

from .conftest import FakeClock
from .conftest import message_body as hello_message_body

# Sends here carry the docs' example content rather than "Hello"; overrides still win.
message_body = partial(hello_message_body, content="Your verification code is 482910.")


def batch_body(sb: Sandbox, **overrides: Any) -> dict[str, Any]:
    """Three recipients, one of them local to country_alpha2: the costs below count on it."""
    body = {
        "name": "Black Friday Promo - Luanda",
        "remitter_id": sb.remitter_id,
        "channel_type": "SMS",
        "country_alpha2": "AO",
        "content": "Flash Sale! Enjoy 50% off on all items this weekend only.",
        "recipients": ["+244990000001", "+244990000002", "990000003"],
    }
    body.update(overrides)
    return body


def without(body: dict[str, Any], key: str) -> dict[str, Any]:
    return {name: value for name, value in body.items() if name != key}


def assert_error(response: httpx.Response, status: int, code: str, service: str = "core") -> Any:
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    error = response.json()
    assert error["code"] == code
    assert error["status"] == status
    assert error["service"] == service
    assert isinstance(error["message"], str) and error["message"]
    assert re.fullmatch(r"[0-9a-f]{32}", error["trace_id"])
    assert datetime.fromisoformat(error["timestamp"]).utcoffset() is not None
    return error


# --- Authentication and scopes -------------------------------------------------------------------


@pytest.mark.parametrize("headers", [{}, {"X-API-KEY": "zk_test_unknown"}, {"X-API-KEY": ""}])
def test_missing_or_unknown_key_is_401_with_the_error_object(
    sb: Sandbox, headers: dict[str, str]
) -> None:
    with httpx.Client(transport=httpx.MockTransport(sb.handle), base_url="http://s") as client:
        for method, path in [("GET", "/c/v1/messages"), ("POST", "/c/v1/messages")]:
            response = client.request(method, path, headers=headers, json=message_body(sb))
            error = assert_error(response, 401, "AUTH_INVALID_API_KEY")
            assert "fields" not in error
    assert sb.messages == []


def test_keys_look_like_test_keys(sb: Sandbox) -> None:
    assert sb.api_key.startswith("zk_test_")
    assert sb.read_only_api_key.startswith("zk_test_")
    assert sb.api_key != sb.read_only_api_key


def test_read_only_key_cannot_send_but_can_read(sb: Sandbox, api: httpx.Client) -> None:
    ro = {"X-API-KEY": sb.read_only_api_key}
    response = api.post("/c/v1/messages", json=message_body(sb), headers=ro)
    error = assert_error(response, 403, "AUTH_INVALID_SCOPE")
    assert error["fields"] == {
        "apikey": "The provided key does not have the 'messages:send' scope."
    }
    response = api.post("/c/v1/campaigns/batch", json=batch_body(sb), headers=ro)
    assert assert_error(response, 403, "AUTH_INVALID_SCOPE")["fields"]["apikey"].endswith(
        "'campaign:send' scope."
    )
    assert sb.messages == [] and sb.campaigns == []
    message_id = api.post("/c/v1/messages", json=message_body(sb)).json()["message_id"]
    campaign_id = api.post("/c/v1/campaigns/batch", json=batch_body(sb)).json()["campaign_id"]
    for path in [
        "/c/v1/messages",
        f"/c/v1/messages/{message_id}",
        "/c/v1/campaigns",
        f"/c/v1/campaigns/{campaign_id}",
        f"/c/v1/campaigns/{campaign_id}/messages",
    ]:
        assert api.get(path, headers=ro).status_code == 200, path


# --- Body validation -----------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["remitter_id", "channel_type", "target_e164", "content"])
def test_send_requires_each_documented_field(sb: Sandbox, api: httpx.Client, field: str) -> None:
    response = api.post("/c/v1/messages", json=without(message_body(sb), field))
    error = assert_error(response, 422, "VALIDATION_ERROR")
    assert error["fields"] == {field: "This field is required."}


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"channel_type": "WHATSAPP"}, "channel_type", "Accepted values are: SMS."),
        ({"target_e164": "244990090990"}, "target_e164", "valid E.164 formatted"),
        ({"target_e164": "+0244990090990"}, "target_e164", "valid E.164 formatted"),
        ({"content": ""}, "content", "at least 1 characters"),
        ({"content": "x" * 1601}, "content", "at most 1600 characters"),
        ({"content": 5}, "content", "Input should be a valid string."),
        ({"remitter_id": "not-a-uuid"}, "remitter_id", "Must be a valid UUID."),
        ({"remitter_id": None}, "remitter_id", "Input should be a valid string."),
        ({"save_contact": "Ana"}, "save_contact", "Input should be a valid object."),
        ({"save_contact": {"email": "nope"}}, "save_contact.email", "valid email"),
        ({"save_contact": {"tags": ["ok", 1]}}, "save_contact.tags[1]", "valid string"),
    ],
)
def test_send_reports_each_broken_limit_on_its_field(
    sb: Sandbox, api: httpx.Client, overrides: dict[str, Any], field: str, message: str
) -> None:
    response = api.post("/c/v1/messages", json=message_body(sb, **overrides))
    error = assert_error(response, 422, "VALIDATION_ERROR")
    assert list(error["fields"]) == [field]
    assert message in error["fields"][field]
    assert sb.messages == [] and sb.balance == Decimal("1000.00")


def test_send_reports_every_failing_field_at_once(sb: Sandbox, api: httpx.Client) -> None:
    body = {"channel_type": "EMAIL", "target_e164": "990", "content": ""}
    fields = assert_error(api.post("/c/v1/messages", json=body), 422, "VALIDATION_ERROR")["fields"]
    assert set(fields) == {"remitter_id", "channel_type", "target_e164", "content"}


def test_unknown_remitter_is_422_on_remitter_id(sb: Sandbox, api: httpx.Client) -> None:
    other = "019b4b56-e704-7c30-83a0-527df63c3e00"
    for path, body in [
        ("/c/v1/messages", message_body(sb, remitter_id=other)),
        ("/c/v1/campaigns/batch", batch_body(sb, remitter_id=other)),
    ]:
        error = assert_error(api.post(path, json=body), 422, "VALIDATION_ERROR")
        assert list(error["fields"]) == ["remitter_id"]
    assert sb.messages == []


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b"{not json", "application/json"),
        (b"", "application/json"),
        (b'["a list"]', "application/json"),
        (b'"a string"', "application/json"),
        (b"remitter_id=x", "application/x-www-form-urlencoded"),
    ],
)
def test_malformed_or_non_object_bodies_are_422_on_body(
    sb: Sandbox, api: httpx.Client, content: bytes, content_type: str
) -> None:
    for path in ["/c/v1/messages", "/c/v1/campaigns/batch"]:
        response = api.post(path, content=content, headers={"Content-Type": content_type})
        assert list(assert_error(response, 422, "VALIDATION_ERROR")["fields"]) == ["body"]


@pytest.mark.parametrize("field", ["remitter_id", "content", "channel_type", "recipients", "name"])
def test_batch_requires_each_documented_field(sb: Sandbox, api: httpx.Client, field: str) -> None:
    response = api.post("/c/v1/campaigns/batch", json=without(batch_body(sb), field))
    assert assert_error(response, 422, "VALIDATION_ERROR")["fields"] == {
        field: "This field is required."
    }


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"recipients": ["+244990000001"]}, "recipients", "at least 2 items"),
        ({"recipients": ["+244990000001"] * 1001}, "recipients", "at most 1000 items"),
        ({"recipients": "+244990000001"}, "recipients", "Input should be a valid list."),
        ({"recipients": ["+244990000001", "call me"]}, "recipients[1]", "Must be a phone number"),
        ({"recipients": ["+244990000001", 244990000002]}, "recipients[1]", "valid string"),
        ({"country_alpha2": "ao"}, "country_alpha2", "String should match pattern '^[A-Z]{2}$'."),
        ({"country_alpha2": "AGO"}, "country_alpha2", "at most 2 characters"),
        ({"name": ""}, "name", "at least 1 characters"),
        ({"name": "n" * 201}, "name", "at most 200 characters"),
        ({"content": "c" * 10001}, "content", "at most 10000 characters"),
        ({"channel_type": "WHATSAPP"}, "channel_type", "Accepted values are: SMS."),
        # The docs require a UUID v7 sender ID on batches: a v4 breaks the pattern.
        ({"remitter_id": "0b0d1f8e-4a0c-4c6e-9f1e-5d2a9d8c7b6a"}, "remitter_id", "UUID v7"),
    ],
)
def test_batch_reports_each_broken_limit_on_its_field(
    sb: Sandbox, api: httpx.Client, overrides: dict[str, Any], field: str, message: str
) -> None:
    response = api.post("/c/v1/campaigns/batch", json=batch_body(sb, **overrides))
    error = assert_error(response, 422, "VALIDATION_ERROR")
    assert list(error["fields"]) == [field]
    assert message in error["fields"][field]
    assert sb.campaigns == [] and sb.messages == []


def test_an_unreadable_recipient_fails_in_the_background_not_with_422(
    sb: Sandbox, api: httpx.Client
) -> None:
    """The docs validate and format numbers after the 202: pattern-valid is accepted."""
    body = without(batch_body(sb), "country_alpha2")  # "990000003" is local: unreadable
    response = api.post("/c/v1/campaigns/batch", json=body)
    assert response.status_code == 202
    sb.settle()
    by_number = {m["e164_format"]: m for m in sb.messages}
    assert by_number["990000003"]["status"] == "FAILED"
    assert by_number["990000003"]["error_code"] == "INVALID_PHONE_NUMBER"
    assert by_number["990000003"]["is_refunded"] is True
    assert by_number["+244990000001"]["status"] == "DELIVERED"


def test_a_local_number_of_an_unsupported_country_fails_that_message(
    sb: Sandbox, api: httpx.Client
) -> None:
    body = batch_body(sb, country_alpha2="ZZ")
    assert api.post("/c/v1/campaigns/batch", json=body).status_code == 202
    sb.settle()
    failed = [m["e164_format"] for m in sb.messages if m["status"] == "FAILED"]
    assert failed == ["990000003"]
    # E.164 recipients need no country, whatever country_alpha2 says.
    body["recipients"] = ["+244990000001", "+351912345678"]
    assert api.post("/c/v1/campaigns/batch", json=body).status_code == 202


# --- Pricing and funds ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "segments"),
    [
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("a" * 1600, 11),
        ("€" * 80, 1),  # GSM-7 extension characters take two septets
        ("€" * 81, 2),
        ("Olá, João! Código: 1234", 1),  # á, ã and ó are not GSM-7: UCS-2
        ("ã" * 70, 1),
        ("ã" * 71, 2),
        ("ã" * 134, 2),
        ("ã" * 135, 3),
        ("😀" * 35, 1),  # an emoji is two UCS-2 units
        ("😀" * 36, 2),
    ],
)
def test_an_sms_costs_the_price_per_segment_times_its_segments(
    sb: Sandbox, api: httpx.Client, content: str, segments: int
) -> None:
    response = api.post("/c/v1/messages", json=message_body(sb, content=content))
    assert response.status_code == 202
    cost = Decimal("0.05") * segments
    assert sb.balance == Decimal("1000.00") - cost
    (message,) = sb.messages
    assert message["cost"] == str(cost)


def test_send_answers_202_with_the_message_id(sb: Sandbox, api: httpx.Client) -> None:
    response = api.post("/c/v1/messages", json=message_body(sb))
    assert response.status_code == 202
    assert response.json() == {"message_id": sb.messages[0]["id"]}


def test_a_custom_price_per_segment(clock: FakeClock) -> None:
    sb = Sandbox(clock=clock, balance=Decimal("10"), price_per_segment=Decimal("0.125"))
    with httpx.Client(transport=httpx.MockTransport(sb.handle), base_url="http://s") as client:
        body = message_body(sb, content="a" * 200)
        client.post("/c/v1/messages", json=body, headers={"X-API-KEY": sb.api_key})
    assert sb.messages[0]["cost"] == "0.250"
    assert sb.balance == Decimal("9.750")


def test_insufficient_funds_is_402_and_nothing_is_sent(sb: Sandbox, api: httpx.Client) -> None:
    sb.balance = Decimal("0.04")
    error = assert_error(
        api.post("/c/v1/messages", json=message_body(sb)),
        402,
        "BILLING_INSUFFICIENT_FUNDS",
        service="billing",
    )
    assert "fields" not in error
    assert sb.messages == [] and sb.balance == Decimal("0.04")
    sb.balance = Decimal("0.05")  # exactly the cost is enough
    assert api.post("/c/v1/messages", json=message_body(sb)).status_code == 202
    assert sb.balance == Decimal("0")


def test_a_drained_account_gets_402_until_topped_up(sb: Sandbox, api: httpx.Client) -> None:
    sb.drain()
    assert api.post("/c/v1/messages", json=message_body(sb)).status_code == 402
    assert sb.top_up("1") == Decimal("1.00")
    assert api.post("/c/v1/messages", json=message_body(sb)).status_code == 202


def test_batch_checks_the_whole_cost_up_front(sb: Sandbox, api: httpx.Client) -> None:
    sb.balance = Decimal("0.14")  # three recipients cost 0.15
    response = api.post("/c/v1/campaigns/batch", json=batch_body(sb))
    error = assert_error(response, 402, "BILLING_INSUFFICIENT_FUNDS", service="billing")
    assert "batch" in error["message"]
    assert sb.campaigns == [] and sb.messages == [] and sb.balance == Decimal("0.14")
    sb.balance = Decimal("0.15")
    response = api.post("/c/v1/campaigns/batch", json=batch_body(sb))
    assert response.status_code == 202
    assert response.json() == {
        "message": "Campaign accepted and is pending processing.",
        "campaign_id": sb.campaigns[0]["id"],
    }
    assert sb.balance == Decimal("0.00")
    assert len(sb.messages) == 3


# --- Phone numbers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("country", "local", "e164", "carrier"),
    [
        ("AO", "990 000 003", "+244990000003", "UNITEL"),
        ("PT", "912-345-678", "+351912345678", "MEO"),
        ("BR", "11 91234-5678", "+5511912345678", "VIVO"),
        ("BR", "011 91234-5678", "+5511912345678", "VIVO"),
        ("US", "202.555.0143", "+12025550143", "VERIZON"),
        ("US", "1 202 555 0143", "+12025550143", "VERIZON"),
        ("GB", "07700 900123", "+447700900123", "VODAFONE"),
        ("ZA", "082 123 4567", "+27821234567", "VODACOM"),
        ("MZ", "84 123 4567", "+258841234567", "VODACOM"),
        ("NG", "0803 123 4567", "+2348031234567", "MTN"),
        ("KE", "0712 345 678", "+254712345678", "SAFARICOM"),
    ],
)
def test_local_recipients_become_e164_with_their_carrier(
    sb: Sandbox, api: httpx.Client, country: str, local: str, e164: str, carrier: str
) -> None:
    body = batch_body(sb, country_alpha2=country, recipients=[local, "+244 990-000.001"])
    assert api.post("/c/v1/campaigns/batch", json=body).status_code == 202
    numbers = [(m["e164_format"], m["channel_destination"]) for m in sb.messages]
    assert numbers == [(e164, carrier), ("+244990000001", "UNITEL")]


def test_international_prefix_00_is_read_as_plus(sb: Sandbox, api: httpx.Client) -> None:
    body = batch_body(sb, recipients=["00351 912 345 678", "+27821234567"])
    assert api.post("/c/v1/campaigns/batch", json=body).status_code == 202
    assert [m["e164_format"] for m in sb.messages] == ["+351912345678", "+27821234567"]


def test_a_number_of_no_known_carrier_has_a_null_destination(
    sb: Sandbox, api: httpx.Client
) -> None:
    api.post("/c/v1/messages", json=message_body(sb, target_e164="+33612345678"))
    assert sb.messages[0]["channel_destination"] is None


# --- Rate limits ---------------------------------------------------------------------------------


def test_sends_are_limited_to_120_per_minute_per_key(
    sb: Sandbox, api: httpx.Client, clock: FakeClock
) -> None:
    for _ in range(120):
        assert api.post("/c/v1/messages", json=message_body(sb)).status_code == 202
    response = api.post("/c/v1/messages", json=message_body(sb))
    assert_error(response, 429, "RATE_LIMIT_EXCEEDED")
    assert response.headers["Retry-After"] == "60"
    assert len(sb.messages) == 120
    clock.tick(59.5)
    assert api.post("/c/v1/messages", json=message_body(sb)).headers["Retry-After"] == "1"
    # Reads and other operations are not limited; nor is another key's bucket.
    assert api.get("/c/v1/messages").status_code == 200
    assert api.post("/c/v1/campaigns/batch", json=batch_body(sb)).status_code == 202
    ro = {"X-API-KEY": sb.read_only_api_key}
    assert api.post("/c/v1/messages", json=message_body(sb), headers=ro).status_code == 403
    clock.tick(0.5)  # the 120 sends leave the 60 s window
    assert api.post("/c/v1/messages", json=message_body(sb)).status_code == 202


def test_batches_are_limited_to_10_per_minute(
    sb: Sandbox, api: httpx.Client, clock: FakeClock
) -> None:
    for _ in range(10):
        clock.tick(1)
        assert api.post("/c/v1/campaigns/batch", json=batch_body(sb)).status_code == 202
    response = api.post("/c/v1/campaigns/batch", json=batch_body(sb))
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "51"  # the first batch was 9 s ago
    assert len(sb.campaigns) == 10
    clock.tick(51)  # a sliding window: only the first batch has left it
    assert api.post("/c/v1/campaigns/batch", json=batch_body(sb)).status_code == 202
    response = api.post("/c/v1/campaigns/batch", json=batch_body(sb))
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "1"


def test_rejected_requests_still_count_but_429s_do_not(sb: Sandbox, clock: FakeClock) -> None:
    sb = Sandbox(clock=clock, rate_limits={"POST /c/v1/messages": (2, 10)})
    with httpx.Client(transport=httpx.MockTransport(sb.handle), base_url="http://s") as client:
        headers = {"X-API-KEY": sb.api_key}
        assert client.post("/c/v1/messages", json={}, headers=headers).status_code == 422
        assert client.post("/c/v1/messages", json={}, headers=headers).status_code == 422
        for _ in range(3):
            assert client.post("/c/v1/messages", json={}, headers=headers).status_code == 429
        clock.tick(10)
        body = message_body(sb)
        assert client.post("/c/v1/messages", json=body, headers=headers).status_code == 202
        # Custom limits replace the defaults: batches are not limited here.
        for _ in range(12):
            batch = batch_body(sb)
            assert client.post("/c/v1/campaigns/batch", json=batch, headers=headers).is_success


def test_rate_limits_can_be_turned_off(clock: FakeClock) -> None:
    sb = Sandbox(clock=clock, rate_limits={})
    with httpx.Client(transport=httpx.MockTransport(sb.handle), base_url="http://s") as client:
        for _ in range(130):
            response = client.post(
                "/c/v1/messages", json=message_body(sb), headers={"X-API-KEY": sb.api_key}
            )
            assert response.status_code == 202


@pytest.mark.parametrize(
    "rate_limits",
    [{"POST /c/v1/message": (1, 1.0)}, {"POST /c/v1/messages": (0, 1.0)}],
)
def test_bad_rate_limits_are_refused(rate_limits: dict[str, tuple[int, float]]) -> None:
    with pytest.raises(ValueError):
        Sandbox(rate_limits=rate_limits)


# --- Routing -------------------------------------------------------------------------------------


def test_unknown_ids_are_404_with_the_error_object(sb: Sandbox, api: httpx.Client) -> None:
    unknown = "019b4b56-e704-7c30-83a0-527df63c3e00"
    for path in [
        f"/c/v1/messages/{unknown}",
        f"/c/v1/campaigns/{unknown}",
        f"/c/v1/campaigns/{unknown}/messages",
        "/c/v1/messages/not-even-a-uuid",
        "/c/v1/nothing-here",
    ]:
        assert "fields" not in assert_error(api.get(path), 404, "NOT_FOUND")


def test_a_wrong_method_is_405_with_allow(api: httpx.Client) -> None:
    response = api.delete("/c/v1/messages")
    assert_error(response, 405, "METHOD_NOT_ALLOWED")
    assert response.headers["Allow"] == "GET, POST"


def test_retrieve_returns_what_was_sent(sb: Sandbox, api: httpx.Client) -> None:
    message_id = api.post("/c/v1/messages", json=message_body(sb)).json()["message_id"]
    response = api.get(f"/c/v1/messages/{message_id}")
    assert response.status_code == 200
    assert response.json() == sb.messages[0]
    assert api.get(f"/c/v1/messages/{message_id.upper()}").json()["id"] == message_id
