"""Unit tests (respx) of every method's request and response mapping, sync and async."""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl

import anyio
import httpx
import pytest
import respx

import ziett
from ziett import _constraints
from ziett._retry import RetryPolicy

from .conftest import API_KEY, BASE_URL, REMITTER_V7, Flavour, message_json, page_json

CAMPAIGN_ID = "019b4b56-e704-7c30-83a0-527df63c3eaa"
# The fewest arguments a valid send takes.
MINIMAL_SEND = {"remitter_id": REMITTER_V7, "target_e164": "+244990090990", "content": "x"}


def campaign_json(**overrides: Any) -> dict[str, Any]:
    body = {
        "id": CAMPAIGN_ID,
        "created_at": "2026-01-01T10:00:00+00:00",
        "updated_at": "2026-01-01T10:00:00+00:00",
        "name": "Black Friday",
        "status": "PROCESSING",
    }
    body.update(overrides)
    return body


def query(request: httpx.Request) -> list[tuple[str, str]]:
    return parse_qsl(request.url.query.decode(), keep_blank_values=True)


@pytest.fixture
def api() -> Any:
    with respx.mock(base_url=BASE_URL, assert_all_called=False) as mock:
        yield mock


# --- messages -----------------------------------------------------------------------------


async def test_send_builds_the_documented_request(api: Any, client: Any, flavour: Flavour) -> None:
    route = api.post("/c/v1/messages").respond(202, json={"message_id": "m-1"})
    accepted = await flavour.run(
        client.messages.send(
            remitter_id=uuid.UUID(REMITTER_V7),
            target_e164="+244990090990",
            content="Your code is 482910.",
            save_contact={"name": "Ana", "email": "ana@example.com", "tags": ["Premium"]},
        )
    )
    assert isinstance(accepted, ziett.SendMessageAccepted)
    assert accepted.message_id == "m-1"
    request = route.calls.last.request
    assert request.method == "POST"
    assert request.headers["X-API-KEY"] == API_KEY
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["User-Agent"].startswith(f"ziett-python/{ziett.__version__} Python/3.")
    assert json.loads(request.content) == {
        "remitter_id": REMITTER_V7,
        "channel_type": "SMS",
        "target_e164": "+244990090990",
        "content": "Your code is 482910.",
        "save_contact": {"name": "Ana", "email": "ana@example.com", "tags": ["Premium"]},
    }


async def test_send_omits_arguments_not_given_and_takes_models(
    api: Any, client: Any, flavour: Flavour
) -> None:
    route = api.post("/c/v1/messages").respond(202, json={"message_id": "m-2"})
    await flavour.run(
        client.messages.send(
            remitter_id=REMITTER_V7,
            target_e164="+244990090990",
            content="hi",
            channel_type=ziett.SendChannelType.SMS,
            save_contact=ziett.SaveContact(name="Ana"),
        )
    )
    body = json.loads(route.calls.last.request.content)
    assert body["save_contact"] == {"name": "Ana"}
    assert None not in body.values()


async def test_retrieve_message_parses_the_model(api: Any, client: Any, flavour: Flavour) -> None:
    message_id = uuid.UUID("019b4b56-e704-7c30-83a0-527df63c3e01")
    api.get(f"/c/v1/messages/{message_id}").respond(200, json=message_json())
    message = await flavour.run(client.messages.retrieve(message_id))
    assert isinstance(message, ziett.Message)
    assert message.status == ziett.MessageStatus.SENT
    assert message.e164_format == "+244990090990"
    assert message.cost == Decimal("0.05") and isinstance(message.cost, Decimal)
    assert message.created_at == datetime(2026, 1, 1, 10, tzinfo=UTC)


async def test_list_sends_filters_on_the_wire_names(
    api: Any, client: Any, flavour: Flavour
) -> None:
    route = api.get("/c/v1/messages").respond(200, json=page_json([message_json()], 1, 200, 1))
    since = datetime(2026, 1, 1, 8, 30, tzinfo=timezone(timedelta(hours=1)))
    items = await flavour.collect(
        client.messages.list(
            status=["SENT", ziett.MessageStatus.FAILED],
            channel_type="SMS",
            created_at__ge=since,
            created_at__le="2026-02-01T00:00:00+00:00",
            remitter_id=REMITTER_V7,
            campaign_id=[CAMPAIGN_ID],
            trigger_source="API_CLIENT",
            channel_destination=["UNITEL", "AFRICELL"],
            q="+2449",
            order="asc",
            order_by="updated_at",
            page_size=200,
            limit=1000,
        )
    )
    assert len(items) == 1
    assert query(route.calls.last.request) == [
        ("q", "+2449"),
        ("page", "1"),
        ("size", "200"),
        ("order", "asc"),
        ("order_by", "updated_at"),
        ("status", "SENT"),
        ("status", "FAILED"),
        ("channel_type", "SMS"),
        ("campaign_id", CAMPAIGN_ID),
        ("sms_remitter_id", REMITTER_V7),
        ("trigger_source", "API_CLIENT"),
        ("channel_destination", "UNITEL"),
        ("channel_destination", "AFRICELL"),
        ("created_at__ge", "2026-01-01T08:30:00+01:00"),
        ("created_at__le", "2026-02-01T00:00:00+00:00"),
    ]


async def test_list_is_lazy_and_fetches_page_by_page(
    api: Any, client: Any, flavour: Flavour
) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params["page"])
        entries = [message_json(id=f"m-{page}-{i}") for i in range(2 if page < 3 else 1)]
        return httpx.Response(200, json=page_json(entries, page, 2, 5))

    route = api.get("/c/v1/messages").mock(side_effect=answer)
    pager = client.messages.list(page_size=2)
    assert route.call_count == 0  # nothing until iterated
    seen: list[str] = []
    calls_when_seen: list[int] = []
    iterator = pager.__aiter__() if flavour.name == "async" else iter(pager)
    for _ in range(5):
        item = await anext(iterator) if flavour.name == "async" else next(iterator)
        seen.append(item.id)
        calls_when_seen.append(route.call_count)
    assert seen == ["m-1-0", "m-1-1", "m-2-0", "m-2-1", "m-3-0"]
    assert calls_when_seen == [1, 1, 2, 2, 3]
    assert await flavour.collect(pager) != []  # re-iterable: starts over
    assert route.call_count == 6


async def test_limit_stops_early_and_asks_only_for_what_it_needs(
    api: Any, client: Any, flavour: Flavour
) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        page, size = int(request.url.params["page"]), int(request.url.params["size"])
        entries = [message_json(id=f"m-{page}-{i}") for i in range(size)]
        return httpx.Response(200, json=page_json(entries, page, size, 1000))

    route = api.get("/c/v1/messages").mock(side_effect=answer)
    items = await flavour.collect(client.messages.list(page_size=50, limit=120))
    assert len(items) == 120
    assert route.call_count == 3
    small = await flavour.collect(client.messages.list(page_size=50, limit=7))
    assert len(small) == 7
    assert route.calls.last.request.url.params["size"] == "7"
    assert await flavour.collect(client.messages.list(limit=0)) == []
    assert route.call_count == 4


async def test_pages_expose_totals(api: Any, client: Any, flavour: Flavour) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params["page"])
        return httpx.Response(200, json=page_json([message_json()] * 3, page, 3, 7))

    api.get("/c/v1/messages").mock(side_effect=answer)
    pages = await flavour.collect(client.messages.list(page_size=3).pages())
    assert [p.page for p in pages] == [1, 2, 3]
    assert {(p.total, p.pages) for p in pages} == {(7, 3)}
    assert all(isinstance(p, ziett.MessagePage) for p in pages)


async def test_unknown_status_in_a_page_still_parses(
    api: Any, client: Any, flavour: Flavour
) -> None:
    api.get("/c/v1/messages").respond(
        200, json=page_json([message_json(status="BOUNCED", channel_type="RCS")], 1, 30, 1)
    )
    (message,) = await flavour.collect(client.messages.list())
    assert message.status == "BOUNCED"
    assert message.to_dict()["status"] == "BOUNCED"


# --- campaigns ----------------------------------------------------------------------------


async def test_create_batch_builds_the_documented_request(
    api: Any, client: Any, flavour: Flavour
) -> None:
    route = api.post("/c/v1/campaigns/batch").respond(
        202,
        json={
            "message": "Campaign accepted and is pending processing.",
            "campaign_id": CAMPAIGN_ID,
        },
    )
    batch = await flavour.run(
        client.campaigns.create_batch(
            name="Black Friday Promo - Luanda",
            remitter_id=REMITTER_V7,
            content="Flash Sale!",
            recipients=("+244990000001", "+244990000002", "990000003"),
            country_alpha2="ao",
        )
    )
    assert isinstance(batch, ziett.BatchCampaignAccepted)
    assert batch.campaign_id == CAMPAIGN_ID
    assert batch.message.startswith("Campaign accepted")
    assert json.loads(route.calls.last.request.content) == {
        "name": "Black Friday Promo - Luanda",
        "remitter_id": REMITTER_V7,
        "channel_type": "SMS",
        "content": "Flash Sale!",
        "recipients": ["+244990000001", "+244990000002", "+244990000003"],  # read as AO's
        "country_alpha2": "AO",
    }


async def test_campaign_retrieve_list_and_messages(api: Any, client: Any, flavour: Flavour) -> None:
    api.get(f"/c/v1/campaigns/{CAMPAIGN_ID}").respond(200, json=campaign_json(status="SENDING"))
    listing = api.get("/c/v1/campaigns").respond(
        200, json=page_json([campaign_json(), campaign_json(status="ARCHIVED")], 1, 30, 2)
    )
    messages = api.get(f"/c/v1/campaigns/{CAMPAIGN_ID}/messages").respond(
        200, json=page_json([message_json(campaign_id=CAMPAIGN_ID)], 1, 30, 1)
    )
    campaign = await flavour.run(client.campaigns.retrieve(CAMPAIGN_ID))
    assert isinstance(campaign, ziett.Campaign)
    assert campaign.status == ziett.CampaignStatus.SENDING
    campaigns = await flavour.collect(client.campaigns.list(order="desc"))
    assert [c.status for c in campaigns] == ["PROCESSING", "ARCHIVED"]
    assert query(listing.calls.last.request) == [("page", "1"), ("size", "30"), ("order", "desc")]
    found = await flavour.collect(client.campaigns.list_messages(CAMPAIGN_ID, status="DELIVERED"))
    assert [m.campaign_id for m in found] == [CAMPAIGN_ID]
    assert ("status", "DELIVERED") in query(messages.calls.last.request)


async def test_every_operation_in_the_spec_is_exposed(
    api: Any, client: Any, flavour: Flavour
) -> None:
    """Fails when openapi.yaml gains an operation the ziett layer does not expose."""
    api.post("/c/v1/messages").respond(202, json={"message_id": "m"})
    api.post("/c/v1/campaigns/batch").respond(202, json={"message": "ok", "campaign_id": "c"})
    api.get(path__regex=r"^/c/v1/messages/[^/]+$").respond(200, json=message_json())
    api.get(path__regex=r"^/c/v1/campaigns/[^/]+$").respond(200, json=campaign_json())
    api.get(path__regex=r"^/c/v1/(campaigns/[^/]+/)?messages$").respond(
        200, json=page_json([], 1, 30, 0)
    )
    api.get("/c/v1/campaigns").respond(200, json=page_json([], 1, 30, 0))
    send = {"remitter_id": REMITTER_V7, "target_e164": "+244990090990", "content": "x"}
    batch = {"name": "n", "remitter_id": REMITTER_V7, "content": "x", "recipients": ["1234567"] * 2}
    exercised = {
        "send_message": lambda: client.messages.send(**send),
        "list_messages": lambda: flavour.collect(client.messages.list()),
        "retrieve_message": lambda: client.messages.retrieve("m"),
        "create_batch_campaign": lambda: client.campaigns.create_batch(**batch),
        "list_campaigns": lambda: flavour.collect(client.campaigns.list()),
        "retrieve_campaign": lambda: client.campaigns.retrieve("c"),
        "list_campaign_messages": lambda: flavour.collect(client.campaigns.list_messages("c")),
    }
    assert set(exercised) == set(_constraints.ROUTES), "an operation of openapi.yaml is not exposed"
    for operation_id, call in exercised.items():
        before = len(api.calls)
        await flavour.run(call())
        request = api.calls[before].request
        method, template = _constraints.ROUTES[operation_id].split(" ")
        assert request.method == method
        prefix = template.split("{")[0]
        assert request.url.path.startswith(prefix), operation_id


async def test_unknown_keyword_arguments_are_refused(client: Any, flavour: Flavour) -> None:
    with pytest.raises(TypeError, match="contnet"):
        await flavour.run(client.messages.send(**MINIMAL_SEND, contnet="typo"))


# --- client-side validation -----------------------------------------------------------------

BAD_SENDS = [
    ({"target_e164": "244990090990"}, "target_e164"),
    ({"target_e164": "+0123"}, "target_e164"),
    ({"content": ""}, "content"),
    ({"content": "x" * 1601}, "content"),
    ({"remitter_id": "not-a-uuid"}, "remitter_id"),
    ({"channel_type": "WHATSAPP"}, "channel_type"),
    ({"save_contact": {"email": "nope"}}, "save_contact.email"),
    ({"remitter_id": 123}, "remitter_id"),
    ({"save_contact": "Ana"}, "save_contact"),
    ({"save_contact": {"tags": "Premium"}}, "save_contact.tags"),
    ({"max_retries": -1}, "max_retries"),
    ({"deadline": 0}, "deadline"),
]


@pytest.mark.parametrize(("change", "field"), BAD_SENDS)
async def test_bad_sends_raise_before_any_request(
    api: Any, client: Any, flavour: Flavour, change: dict[str, Any], field: str
) -> None:
    with pytest.raises(ziett.InvalidRequestError) as caught:
        await flavour.run(client.messages.send(**{**MINIMAL_SEND, **change}))
    assert field in caught.value.fields
    assert caught.value.may_have_been_sent is False
    assert len(api.calls) == 0


BAD_BATCHES = [
    ({"recipients": ["+244990000001"]}, "recipients"),
    ({"recipients": ["+244990000001"] * 1001}, "recipients"),
    ({"recipients": ["+244990000001", "abc-not-a-number"]}, "recipients[1]"),
    ({"recipients": "+244990000001"}, "recipients"),
    ({"name": ""}, "name"),
    ({"name": "n" * 201}, "name"),
    ({"content": "x" * 10001}, "content"),
    ({"country_alpha2": "XX"}, "country_alpha2"),
    ({"country_alpha2": "AOO"}, "country_alpha2"),
    ({"remitter_id": "019b4b56-e704-4c30-83a0-527df63c3e00"}, "remitter_id"),  # v4, not v7
    ({"recipients": 123}, "recipients"),
    ({"recipients": ["+244990000001", 244990000002]}, "recipients[1]"),
    ({"name": 7}, "name"),
]


@pytest.mark.parametrize(("change", "field"), BAD_BATCHES)
async def test_bad_batches_raise_before_any_request(
    api: Any, client: Any, flavour: Flavour, change: dict[str, Any], field: str
) -> None:
    arguments = {
        "name": "n",
        "remitter_id": REMITTER_V7,
        "content": "x",
        "recipients": ["+244990000001", "990000002"],
    }
    with pytest.raises(ziett.InvalidRequestError) as caught:
        await flavour.run(client.campaigns.create_batch(**{**arguments, **change}))
    assert field in caught.value.fields
    assert len(api.calls) == 0


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"page_size": 0}, "page_size"),
        ({"page_size": 201}, "page_size"),
        ({"limit": -1}, "limit"),
        ({"status": "LOST"}, "status"),
        ({"order": "up"}, "order"),
        ({"remitter_id": "x"}, "remitter_id"),
        ({"created_at__ge": datetime(2026, 1, 1)}, "created_at__ge"),  # naive: rejected
        ({"created_at__le": "yesterday"}, "created_at__le"),
    ],
)
async def test_bad_listings_raise_at_once(
    api: Any, client: Any, flavour: Flavour, arguments: dict[str, Any], field: str
) -> None:
    with pytest.raises(ziett.InvalidRequestError) as caught:
        client.messages.list(**arguments)
    assert field in caught.value.fields
    assert len(api.calls) == 0


# --- errors -------------------------------------------------------------------------------


def error_body(status: int, code: str, **extra: Any) -> dict[str, Any]:
    body = {
        "code": code,
        "message": f"{code} happened",
        "status": status,
        "trace_id": "d309f78ae57744358a9e7011c123c831",
        "timestamp": "2026-01-01T00:00:00+00:00",
        "service": "core",
    }
    body.update(extra)
    return body


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (400, ziett.ValidationError),
        (401, ziett.AuthenticationError),
        (402, ziett.InsufficientFundsError),
        (403, ziett.PermissionDeniedError),
        (404, ziett.NotFoundError),
        (418, ziett.APIStatusError),
        (422, ziett.ValidationError),
        (429, ziett.RateLimitError),
        (500, ziett.InternalServerError),
        (520, ziett.InternalServerError),
    ],
)
async def test_error_statuses_map_to_classes(
    api: Any, flavour: Flavour, status: int, expected: type[ziett.APIError]
) -> None:
    client = flavour.client(max_retries=0)
    fields = {"apikey": "missing scope"} if status == 403 else None
    body = error_body(status, "SOME_CODE", **({"fields": fields} if fields else {}))
    api.get("/c/v1/messages/m").respond(status, json=body)
    with pytest.raises(ziett.APIError) as caught:
        await flavour.run(client.messages.retrieve("m"))
    error = caught.value
    assert type(error) is expected
    assert isinstance(error, ziett.ZiettError)
    assert (error.status_code, error.code, error.trace_id) == (
        status,
        "SOME_CODE",
        "d309f78ae57744358a9e7011c123c831",
    )
    assert error.fields == (fields or {})
    assert error.response is not None and error.response.status_code == status
    text = str(error)
    assert str(status) in text and "SOME_CODE happened" in text and "d309f78a" in text
    if fields:
        assert "apikey: missing scope" in text
    await flavour.close(client)


async def test_a_non_json_gateway_error_is_still_an_api_error(api: Any, flavour: Flavour) -> None:
    client = flavour.client(max_retries=0)
    api.get("/c/v1/campaigns/c").respond(
        502, text="<html><h1>502 Bad Gateway</h1></html>", headers={"Content-Type": "text/html"}
    )
    with pytest.raises(ziett.InternalServerError) as caught:
        await flavour.run(client.campaigns.retrieve("c"))
    assert caught.value.status_code == 502
    assert caught.value.code is None
    assert "502 Bad Gateway" in str(caught.value)
    await flavour.close(client)


async def test_rate_limit_error_carries_retry_after(api: Any, flavour: Flavour) -> None:
    client = flavour.client(max_retries=3)
    route = api.post("/c/v1/messages").respond(
        429, json=error_body(429, "RATE_LIMITED"), headers={"Retry-After": "3600"}
    )
    with pytest.raises(ziett.RateLimitError) as caught:
        await flavour.run(client.messages.send(**MINIMAL_SEND))
    assert caught.value.retry_after == 3600
    assert route.call_count == 1  # longer than max_retry_after: not slept
    await flavour.close(client)


async def test_reads_retry_5xx_and_sends_do_not(
    api: Any, flavour: Flavour, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(RetryPolicy, "backoff", lambda self, n: 0.0)
    client = flavour.client(max_retries=2)
    read = api.get("/c/v1/messages/m").mock(
        side_effect=[
            httpx.Response(503),
            httpx.Response(503),
            httpx.Response(200, json=message_json()),
        ]
    )
    assert (await flavour.run(client.messages.retrieve("m"))).id == message_json()["id"]
    assert read.call_count == 3
    send = api.post("/c/v1/messages").respond(503, json=error_body(503, "UNAVAILABLE"))
    with pytest.raises(ziett.InternalServerError) as caught:
        await flavour.run(client.messages.send(**MINIMAL_SEND))
    assert send.call_count == 1
    assert caught.value.may_have_been_sent is True
    (note,) = caught.value.__notes__
    assert "may have been sent" in note and "+244990090990" in note
    await flavour.close(client)


async def test_per_call_max_retries_overrides_the_client(
    api: Any, flavour: Flavour, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(RetryPolicy, "backoff", lambda self, n: 0.0)
    client = flavour.client(max_retries=5)
    route = api.get("/c/v1/messages/m").respond(500)
    with pytest.raises(ziett.InternalServerError):
        await flavour.run(client.messages.retrieve("m", max_retries=1))
    assert route.call_count == 2
    await flavour.close(client)


async def test_transport_errors_become_connection_errors(api: Any, flavour: Flavour) -> None:
    client = flavour.client(max_retries=0)
    api.get("/c/v1/messages/a").mock(side_effect=httpx.ConnectError("refused"))
    api.get("/c/v1/messages/b").mock(side_effect=httpx.ReadTimeout("slow"))
    with pytest.raises(ziett.APIConnectionError) as refused:
        await flavour.run(client.messages.retrieve("a"))
    assert not isinstance(refused.value, ziett.APITimeoutError)
    with pytest.raises(ziett.APITimeoutError):
        await flavour.run(client.messages.retrieve("b"))
    await flavour.close(client)


# --- configuration and secrets ----------------------------------------------------------------


def test_missing_api_key_names_the_variable(flavour: Flavour) -> None:
    with pytest.raises(ziett.ZiettError, match="ZIETT_API_KEY"):
        flavour.client_class()


async def test_environment_variables_configure_the_client(
    monkeypatch: pytest.MonkeyPatch, flavour: Flavour
) -> None:
    monkeypatch.setenv("ZIETT_API_KEY", "zk_env_key_0000000000")
    monkeypatch.setenv("ZIETT_BASE_URL", "http://sandbox.test/")
    client = flavour.client_class(rate_limits={})
    with respx.mock(base_url="http://sandbox.test") as mock:
        route = mock.get("/c/v1/messages/m").respond(200, json=message_json())
        await flavour.run(client.messages.retrieve("m"))
    assert route.calls.last.request.headers["X-API-KEY"] == "zk_env_key_0000000000"
    await flavour.close(client)


async def test_the_key_stays_secret(
    api: Any, flavour: Flavour, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="ziett")
    client = flavour.client(max_retries=0)
    assert API_KEY not in repr(client)
    api.get("/c/v1/messages/m").respond(401, json=error_body(401, "AUTH_INVALID_API_KEY"))
    with pytest.raises(ziett.AuthenticationError) as caught:
        await flavour.run(client.messages.retrieve("m"))
    assert API_KEY not in str(caught.value) and API_KEY not in repr(caught.value)
    assert caplog.records, "attempts are logged at DEBUG"
    assert all(API_KEY not in record.getMessage() for record in caplog.records)
    assert any(
        "GET /c/v1/messages/{message_id} attempt 1: 401" in r.getMessage() for r in caplog.records
    )
    await flavour.close(client)


async def test_own_http_client_default_headers_and_timeouts(flavour: Flavour) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=message_json())

    own_class = httpx.AsyncClient if flavour.name == "async" else httpx.Client
    own = own_class(transport=httpx.MockTransport(handler))
    client = flavour.client(http_client=own, default_headers={"X-Trace": "abc"}, timeout=7)
    await flavour.run(client.messages.retrieve("m"))
    await flavour.run(client.messages.retrieve("m", timeout=2.5))
    assert seen[0].headers["X-Trace"] == "abc"
    assert seen[0].extensions["timeout"] == httpx.Timeout(7).as_dict()
    assert seen[1].extensions["timeout"] == httpx.Timeout(2.5).as_dict()
    await flavour.close(client)
    assert not own.is_closed  # the user's client is the user's to close
    default = flavour.client()
    assert default._settings.timeout == httpx.Timeout(30.0, connect=5.0)
    await flavour.close(default)


def test_version_matches_pyproject() -> None:
    import tomllib
    from pathlib import Path

    pyproject = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text())
    assert pyproject["project"]["version"] == ziett.__version__


async def test_the_pytest_fixture_routes_clients_to_the_sandbox(
    ziett_sandbox: Any, flavour: Flavour
) -> None:
    """ziett.testing: clients built from the environment talk to the in-process sandbox."""
    client = flavour.client_class()  # ZIETT_API_KEY / ZIETT_BASE_URL come from the fixture
    accepted = await flavour.run(
        client.messages.send(
            remitter_id=ziett_sandbox.remitter_id, target_e164="+244990090990", content="Hi"
        )
    )
    assert [m["id"] for m in ziett_sandbox.sent] == [accepted.message_id]
    ziett_sandbox.drain()
    with pytest.raises(ziett.InsufficientFundsError):
        await flavour.run(
            client.messages.send(
                remitter_id=ziett_sandbox.remitter_id, target_e164="+244990090990", content="x"
            )
        )
    ziett_sandbox.inject(("slow", 0.2))
    message = await flavour.run(client.messages.retrieve(accepted.message_id))
    assert message.id == accepted.message_id
    await flavour.close(client)


@pytest.mark.parametrize(
    ("setting", "named"),
    [
        ({"max_retries": -1}, "max_retries"),
        ({"max_concurrent_requests": 0}, "max_concurrent_requests"),
        ({"max_retry_after": -5}, "max_retry_after"),
        ({"rate_limits": {"POST /c/v1/messages": ziett.RateLimit(0, 60)}}, "rate_limits"),
    ],
)
def test_settings_that_would_hang_are_refused(
    flavour: Flavour, setting: dict[str, Any], named: str
) -> None:
    with pytest.raises(ziett.ZiettError, match=named):
        flavour.client(**setting)


def test_an_async_client_can_be_reused_across_event_loops(ziett_sandbox: Any) -> None:
    """Each new loop (asyncio.run twice, then trio) gets its own connections and gate."""
    client = ziett.AsyncZiett()

    async def send() -> str:
        accepted = await client.messages.send(
            remitter_id=ziett_sandbox.remitter_id, target_e164="+244990090990", content="Hi"
        )
        return accepted.message_id

    ids = [asyncio.run(send()), asyncio.run(send()), anyio.run(send, backend="trio")]
    assert [m["id"] for m in ziett_sandbox.sent] == ids


def test_the_wrong_flavour_of_http_client_is_refused() -> None:
    with pytest.raises(TypeError, match=r"httpx\.AsyncClient"):  # a wrong type: TypeError
        ziett.AsyncZiett(api_key=API_KEY, http_client=httpx.Client())  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"httpx\.Client"):
        ziett.Ziett(api_key=API_KEY, http_client=httpx.AsyncClient())  # type: ignore[arg-type]


@pytest.mark.parametrize("key", ["zk_live_abc\n", "zk_live_ãbc123", "zk live abc"])
def test_a_malformed_api_key_is_refused_without_echoing_it(key: str) -> None:
    stripped = key.strip()
    if stripped == "zk_live_abc":
        client = ziett.Ziett(api_key=key)  # a trailing newline (a secret file) is stripped
        assert client._settings.headers["X-API-KEY"] == stripped
        return
    with pytest.raises(ziett.ZiettError) as caught:
        ziett.Ziett(api_key=key)
    assert key not in str(caught.value)


async def test_an_earlier_ambiguous_attempt_is_named_on_the_final_error(
    api: Any, flavour: Flavour, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Opted-in retries of a send: if attempt 1 may have gone through, the error says so."""
    monkeypatch.setattr(RetryPolicy, "backoff", lambda self, n: 0.0)
    client = flavour.client(max_retries=2, ambiguous_sends="retry")
    api.post("/c/v1/messages").mock(
        side_effect=[
            httpx.Response(503),
            httpx.Response(402, json=error_body(402, "BILLING_INSUFFICIENT_FUNDS")),
        ]
    )
    with pytest.raises(ziett.InsufficientFundsError) as caught:
        await flavour.run(client.messages.send(**MINIMAL_SEND))
    assert caught.value.may_have_been_sent is True
    assert any("may have been sent" in note for note in caught.value.__notes__)
    await flavour.close(client)


@pytest.mark.parametrize("option", [{"deadline": 0}, {"max_retries": -1}, {"timeout": -5}])
async def test_bad_per_call_options_on_a_retrieval_are_refused(
    api: Any, client: Any, flavour: Flavour, option: dict[str, Any]
) -> None:
    with pytest.raises(ziett.InvalidRequestError) as caught:
        await flavour.run(client.messages.retrieve("m", **option))
    assert set(caught.value.fields) == set(option)
    assert len(api.calls) == 0


def test_error_tree_by_meaning() -> None:
    status_errors = [
        ziett.AuthenticationError,
        ziett.InsufficientFundsError,
        ziett.PermissionDeniedError,
        ziett.NotFoundError,
        ziett.ValidationError,
        ziett.RateLimitError,
        ziett.InternalServerError,
    ]
    for cls in status_errors:
        assert issubclass(cls, ziett.APIStatusError)
    assert issubclass(ziett.APIStatusError, ziett.APIError)
    assert issubclass(ziett.APIResponseValidationError, ziett.APIError)
    assert not issubclass(ziett.APIResponseValidationError, ziett.APIStatusError)
    assert issubclass(ziett.APIConnectionError, ziett.APIError)
    assert issubclass(ziett.APITimeoutError, ziett.APIConnectionError)
    assert issubclass(ziett.InvalidRequestError, ziett.ZiettError)
    assert issubclass(ziett.InvalidRequestError, ValueError)
    assert not issubclass(ziett.InvalidRequestError, ziett.APIError)
    assert issubclass(ziett.WaitTimeoutError, TimeoutError)
    for cls in (ziett.JournalError, ziett.DuplicateSendError, ziett.WaitTimeoutError):
        assert issubclass(cls, ziett.ZiettError)
        assert not issubclass(cls, ziett.APIError)
    assert ziett.InvalidRequestError("x", fields={"a": "b"}).may_have_been_sent is False
    assert ziett.DuplicateSendError("x").may_have_been_sent is False
