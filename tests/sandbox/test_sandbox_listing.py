"""Listings (pagination, ordering, every filter) and the wire form against openapi.yaml."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest
import yaml

from ziett.sandbox import Sandbox

from .conftest import FakeClock, batch_body, launch, message_body, send

SPEC = yaml.safe_load((Path(__file__).parents[2] / "openapi.yaml").read_text(encoding="utf-8"))


def assert_schema(instance: Any, name: str) -> None:
    """``instance`` is valid against components.schemas[name] of openapi.yaml."""
    schema = {"$ref": f"#/components/schemas/{name}", "components": SPEC["components"]}
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    validator.validate(instance)


@pytest.fixture
def sb(clock: FakeClock) -> Sandbox:
    """Rate limits off: nothing here is about them."""
    return Sandbox(clock=clock, rate_limits={})


def ids(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [entry["id"] for entry in response.json()["entries"]]


# --- Pagination and ordering ---------------------------------------------------------------------


def test_an_empty_listing(api: httpx.Client) -> None:
    for path in ["/c/v1/messages", "/c/v1/campaigns"]:
        body = api.get(path).json()
        assert body == {"entries": [], "total": 0, "page": 1, "size": 30, "pages": 0}


def test_pagination_envelope(sb: Sandbox, api: httpx.Client, clock: FakeClock) -> None:
    sent = []
    for _ in range(5):
        clock.tick(1)
        sent.append(send(api, sb))
    newest_first = sent[::-1]
    pages = [api.get("/c/v1/messages", params={"size": 2, "page": n}).json() for n in (1, 2, 3, 4)]
    assert [(p["total"], p["page"], p["size"], p["pages"]) for p in pages] == [
        (5, 1, 2, 3),
        (5, 2, 2, 3),
        (5, 3, 2, 3),
        (5, 4, 2, 3),
    ]
    assert [[e["id"] for e in p["entries"]] for p in pages] == [
        newest_first[0:2],
        newest_first[2:4],
        newest_first[4:],
        [],
    ]
    assert api.get("/c/v1/messages", params={"size": 200}).json()["pages"] == 1


def test_order_and_order_by(sb: Sandbox, api: httpx.Client, clock: FakeClock) -> None:
    first = send(api, sb)
    clock.tick(0.1)
    second = send(api, sb)
    # At +0.45 s the first message is DELIVERED (updated at +0.4) and the second
    # only SENT (updated at +0.3): updated_at orders them the other way round.
    clock.tick(0.35)
    assert ids(api.get("/c/v1/messages")) == [second, first]
    assert ids(api.get("/c/v1/messages", params={"order": "asc"})) == [first, second]
    by_update = api.get("/c/v1/messages", params={"order_by": "updated_at"})
    assert ids(by_update) == [first, second]
    params = {"order_by": "updated_at", "order": "asc"}
    assert ids(api.get("/c/v1/messages", params=params)) == [second, first]


def test_campaigns_are_listed_and_paginated(
    sb: Sandbox, api: httpx.Client, clock: FakeClock
) -> None:
    created = []
    for _ in range(3):
        clock.tick(1)
        created.append(launch(api, sb, ["+244990000001", "+244990000002"]))
    assert ids(api.get("/c/v1/campaigns")) == created[::-1]
    page = api.get("/c/v1/campaigns", params={"size": 2, "page": 2, "order": "asc"}).json()
    assert [e["id"] for e in page["entries"]] == created[2:]
    assert (page["total"], page["pages"]) == (3, 2)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page": "0"}, "page"),
        ({"page": "-1"}, "page"),
        ({"page": "two"}, "page"),
        ({"page": "1.5"}, "page"),
        ({"size": "0"}, "size"),
        ({"size": "201"}, "size"),
        ({"order": "up"}, "order"),
        ({"order_by": "name"}, "order_by"),
        ({"status": ["SENT", "LOST"]}, "status"),
        ({"channel_type": "EMAIL"}, "channel_type"),
        ({"contact_id": "nope"}, "contact_id"),
        ({"campaign_id": "nope"}, "campaign_id"),
        ({"sms_remitter_id": "nope"}, "sms_remitter_id"),
        ({"remitter_id": "nope"}, "remitter_id"),
        ({"status": "sent-ish"}, "status"),
        ({"created_at__ge": "yesterday"}, "created_at__ge"),
        ({"created_at__le": "2025-07-14T10:30:00"}, "created_at__le"),  # no UTC offset
    ],
)
def test_invalid_query_parameters_are_422_with_fields(
    api: httpx.Client, params: dict[str, Any], field: str
) -> None:
    response = api.get("/c/v1/messages", params=params)
    assert response.status_code == 422
    error = response.json()
    assert error["code"] == "VALIDATION_ERROR"
    assert list(error["fields"]) == [field]


def test_every_invalid_parameter_is_reported_at_once(sb: Sandbox, api: httpx.Client) -> None:
    campaign_id = launch(api, sb, ["+244990000001", "+244990000002"])
    params = {"page": "0", "size": "500", "order": "x", "order_by": "y", "status": "z"}
    fields = api.get(f"/c/v1/campaigns/{campaign_id}/messages", params=params).json()["fields"]
    assert set(fields) == {"page", "size", "order", "order_by", "status"}
    fields = api.get("/c/v1/campaigns", params=params).json()["fields"]
    assert set(fields) == {"page", "size", "order", "order_by"}  # no filters on campaigns


def test_the_documented_request_example_with_empty_values_is_accepted(
    sb: Sandbox, api: httpx.Client
) -> None:
    send(api, sb)
    query = (
        "q=&size=30&page=1&order=desc&order_by=created_at&contact_id=&campaign_id=&status="
        "&trigger_source=&channel_type=&channel_destination=&sms_remitter_id="
        "&created_at__ge=&created_at__le="
    )
    response = api.get(f"/c/v1/messages?{query}")
    assert response.status_code == 200
    assert response.json()["total"] == 1


# --- Filters -------------------------------------------------------------------------------------


@dataclass
class World:
    """Four messages: two sends (one with a contact, one from another sender) and a campaign."""

    with_contact: str
    other_sender: str
    campaign: str
    campaign_ok: str
    campaign_failed: str
    contact_id: str
    other_remitter: str
    created: dict[str, str]


@pytest.fixture
def world(sb: Sandbox, api: httpx.Client, clock: FakeClock) -> World:
    other_remitter = sb.add_remitter("ACME")
    with_contact = send(api, sb, "+244990000001", save_contact={"name": "Ana"})
    clock.tick(1)
    other_sender = send(api, sb, "+351912345678", remitter_id=other_remitter)
    clock.tick(1)
    campaign = launch(api, sb, ["+244990000002", "+244990000013"])
    sb.settle()
    by_number = {m["e164_format"]: m for m in sb.messages}
    return World(
        with_contact=with_contact,
        other_sender=other_sender,
        campaign=campaign,
        campaign_ok=by_number["+244990000002"]["id"],
        campaign_failed=by_number["+244990000013"]["id"],
        contact_id=by_number["+244990000001"]["contact_id"],
        other_remitter=other_remitter,
        created={m["id"]: m["created_at"] for m in sb.messages},
    )


def listed(api: httpx.Client, path: str = "/c/v1/messages", **params: Any) -> set[str]:
    return set(ids(api.get(path, params=params)))


def test_status_filter_values_are_or_ed(api: httpx.Client, world: World) -> None:
    assert listed(api, status="FAILED") == {world.campaign_failed}
    assert listed(api, status=["FAILED", "DELIVERED"]) == {
        world.with_contact,
        world.other_sender,
        world.campaign_ok,
        world.campaign_failed,
    }
    assert listed(api, status="PENDING") == set()


def test_enum_values_are_the_specs_exactly(api: httpx.Client, world: World) -> None:
    """openapi.yaml's enums are upper case (order/order_by lower): another spelling is a 422.

    The docs' prose sends status=sent; the SDK accepts any case and sends the spec's, and
    schemathesis (make conformance) checks that the sandbox refuses what the spec does not
    allow.
    """
    for params in ({"status": "sent"}, {"channel_type": "sms"}, {"order": "DESC"}):
        answer = api.get("/c/v1/messages", params=params)
        assert answer.status_code == 422, params
        assert set(answer.json()["fields"]) == set(params)
    assert listed(api, status=["SENT", "FAILED"]) == listed(api, status="SENT") | listed(
        api, status="FAILED"
    )


def test_channel_type_filter(api: httpx.Client, world: World) -> None:
    assert len(listed(api, channel_type="SMS")) == 4
    assert listed(api, channel_type="WHATSAPP") == set()


def test_id_filters(sb: Sandbox, api: httpx.Client, world: World) -> None:
    assert listed(api, contact_id=world.contact_id) == {world.with_contact}
    assert listed(api, contact_id=world.contact_id.upper()) == {world.with_contact}
    assert listed(api, campaign_id=world.campaign) == {world.campaign_ok, world.campaign_failed}
    assert listed(api, sms_remitter_id=world.other_remitter) == {world.other_sender}
    # The docs' filter table calls it remitter_id: the same filter, values OR-ed.
    assert listed(api, remitter_id=world.other_remitter) == {world.other_sender}
    assert listed(api, remitter_id=world.other_remitter, sms_remitter_id=sb.remitter_id) == {
        world.with_contact,
        world.other_sender,
        world.campaign_ok,
        world.campaign_failed,
    }
    unknown = "019b4b56-e704-7c30-83a0-527df63c3e00"
    assert listed(api, campaign_id=[unknown, world.campaign]) == {
        world.campaign_ok,
        world.campaign_failed,
    }


def test_trigger_source_and_channel_destination_filters(api: httpx.Client, world: World) -> None:
    assert listed(api, trigger_source="CAMPAIGN") == {world.campaign_ok, world.campaign_failed}
    assert listed(api, trigger_source="API_CLIENT") == {world.with_contact, world.other_sender}
    assert listed(api, channel_destination="MEO") == {world.other_sender}
    assert len(listed(api, channel_destination=["MEO", "UNITEL"])) == 4


def test_filters_are_and_ed(api: httpx.Client, world: World) -> None:
    assert listed(api, trigger_source="CAMPAIGN", status="FAILED") == {world.campaign_failed}
    assert listed(api, trigger_source="API_CLIENT", status="FAILED") == set()


def test_q_matches_the_destination_or_the_message_id(api: httpx.Client, world: World) -> None:
    assert listed(api, q="351912") == {world.other_sender}
    assert listed(api, q="+244990000013") == {world.campaign_failed}
    assert listed(api, q=world.with_contact) == {world.with_contact}
    assert listed(api, q=world.with_contact[-12:].upper()) == {world.with_contact}
    assert listed(api, q="no-such-thing") == set()


def test_created_at_range_is_inclusive(api: httpx.Client, world: World) -> None:
    middle = world.created[world.other_sender]
    assert listed(api, created_at__ge=middle) == {
        world.other_sender,
        world.campaign_ok,
        world.campaign_failed,
    }
    assert listed(api, created_at__le=middle) == {world.with_contact, world.other_sender}
    assert listed(api, created_at__ge=middle, created_at__le=middle) == {world.other_sender}
    zulu = middle.replace("+00:00", "Z")
    assert listed(api, created_at__ge=zulu, created_at__le=zulu) == {world.other_sender}


def test_campaign_messages_are_scoped_to_the_campaign(api: httpx.Client, world: World) -> None:
    path = f"/c/v1/campaigns/{world.campaign}/messages"
    assert listed(api, path) == {world.campaign_ok, world.campaign_failed}
    assert listed(api, path, status="FAILED") == {world.campaign_failed}
    assert listed(api, path, q="990000002") == {world.campaign_ok}
    body = api.get(path, params={"size": 1}).json()
    assert (body["total"], body["pages"], len(body["entries"])) == (2, 2, 1)


# --- Wire form -----------------------------------------------------------------------------------


MESSAGE_FIELDS = set(SPEC["components"]["schemas"]["Message"]["properties"])
CAMPAIGN_FIELDS = set(SPEC["components"]["schemas"]["Campaign"]["properties"])


def test_messages_carry_every_field_of_the_spec(
    sb: Sandbox, api: httpx.Client, world: World
) -> None:
    page = api.get("/c/v1/messages").json()
    assert_schema(page, "MessagePage")
    for entry in page["entries"]:
        assert set(entry) == MESSAGE_FIELDS
        assert_schema(entry, "Message")
    sent = api.get(f"/c/v1/messages/{world.with_contact}").json()
    assert_schema(sent, "Message")
    assert sent["trigger_source"] == "API_CLIENT"
    assert sent["campaign_id"] is None and sent["campaign"] is None
    assert sent["sms_remitter"] == {"name": "Ziett"}
    assert sent["sms_remitter_id"] == sb.remitter_id
    assert sent["organization_id"] == sb.organization_id
    assert sent["contact"]["id"] == sent["contact_id"] == world.contact_id
    assert_schema(sent["contact"], "Contact")
    from_campaign = api.get(f"/c/v1/messages/{world.campaign_ok}").json()
    assert from_campaign["trigger_source"] == "CAMPAIGN"
    assert from_campaign["campaign_id"] == world.campaign
    assert from_campaign["campaign"]["id"] == world.campaign
    assert from_campaign["campaign"]["name"] == "Promo"
    assert from_campaign["contact"] is None


def test_campaigns_carry_every_field_of_the_spec(
    sb: Sandbox, api: httpx.Client, world: World
) -> None:
    page = api.get("/c/v1/campaigns").json()
    assert_schema(page, "CampaignPage")
    campaign = api.get(f"/c/v1/campaigns/{world.campaign}").json()
    assert set(campaign) == CAMPAIGN_FIELDS
    assert_schema(campaign, "Campaign")
    assert campaign["total_recipients"] == 2
    assert campaign["status"] == "COMPLETED"
    assert campaign["sms_remitter_id"] == sb.remitter_id
    assert campaign["country_alpha2"] is None
    assert campaign["content"] == "Flash sale"
    assert page["entries"] == [campaign] == sb.campaigns


def test_accepted_and_error_bodies_match_the_spec(sb: Sandbox, api: httpx.Client) -> None:
    body = message_body(sb, content="x")
    assert_schema(api.post("/c/v1/messages", json=body).json(), "SendMessageAccepted")
    batch = batch_body(sb, name="n", content="x")
    assert_schema(api.post("/c/v1/campaigns/batch", json=batch).json(), "BatchCampaignAccepted")
    assert_schema(api.post("/c/v1/messages", json={}).json(), "ErrorObject")
    assert_schema(api.get("/c/v1/messages/x").json(), "ErrorObject")


def test_ids_are_uuid_v7_in_creation_order(sb: Sandbox, api: httpx.Client) -> None:
    import uuid

    sent = [send(api, sb) for _ in range(20)]
    for value in [*sent, sb.remitter_id, sb.organization_id]:
        parsed = uuid.UUID(value)
        assert parsed.version == 7 and parsed.variant == uuid.RFC_4122
    assert sorted(sent) == sent
