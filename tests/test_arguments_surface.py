"""Arguments as a newcomer writes them: default sender and country, enums in any case, ids.

Both flavours (the ``flavour`` fixture), respx answering; every refusal is an
``InvalidRequestError`` raised before any request, with ``may_have_been_sent`` False.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import respx

import ziett
from ziett.jobs import report

from .conftest import BASE_URL, REMITTER_V7, Flavour, message_json

OTHER_V7 = "019b4b56-e704-7c30-83a0-527df63c3e01"
CAMPAIGN_ID = "019b4b56-e704-7c30-83a0-527df63c3e0c"


@pytest.fixture
def api() -> Any:
    with respx.mock(base_url=BASE_URL, assert_all_called=False) as mock:
        mock.post("/c/v1/messages").respond(202, json={"message_id": "m"})
        mock.post("/c/v1/campaigns/batch").respond(
            202, json={"message": "Campaign accepted.", "campaign_id": CAMPAIGN_ID}
        )
        yield mock


def sent(api: Any, path: str) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(api.calls.last.request.content)
    assert api.calls.last.request.url.path == path
    return body


# --- the sender -----------------------------------------------------------------------------


async def test_the_sender_comes_from_ziett_remitter_id(
    api: Any, flavour: Flavour, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZIETT_REMITTER_ID", REMITTER_V7)
    client = flavour.client()
    assert client.default_remitter_id == REMITTER_V7
    await flavour.run(client.messages.send(target_e164="+244990090990", content="Hi"))
    assert sent(api, "/c/v1/messages")["remitter_id"] == REMITTER_V7
    await flavour.run(
        client.campaigns.create_batch(
            name="n", content="Hi", recipients=["+244990000001", "+244990000002"]
        )
    )
    assert sent(api, "/c/v1/campaigns/batch")["remitter_id"] == REMITTER_V7
    await flavour.close(client)


async def test_a_call_s_sender_wins_over_the_default(api: Any, flavour: Flavour) -> None:
    client = flavour.client(default_remitter_id=REMITTER_V7)
    await flavour.run(
        client.messages.send(remitter_id=OTHER_V7, target_e164="+244990090990", content="Hi")
    )
    assert sent(api, "/c/v1/messages")["remitter_id"] == OTHER_V7
    await flavour.close(client)


async def test_no_sender_at_all_says_how_to_give_one(
    api: Any, client: Any, flavour: Flavour
) -> None:
    with pytest.raises(ziett.InvalidRequestError) as caught:
        await flavour.run(client.messages.send(target_e164="+244990090990", content="Hi"))
    assert "default_remitter_id" in caught.value.fields["remitter_id"]
    assert "ZIETT_REMITTER_ID" in str(caught.value)
    assert caught.value.may_have_been_sent is False
    assert len(api.calls) == 0


# --- countries and phones -------------------------------------------------------------------


async def test_the_default_country_reads_local_numbers(api: Any, flavour: Flavour) -> None:
    client = flavour.client(default_remitter_id=REMITTER_V7, default_country="ao")
    assert client.default_country == "AO"
    await flavour.run(client.messages.send(target_e164="990 000 001", content="Hi"))
    assert sent(api, "/c/v1/messages")["target_e164"] == "+244990000001"
    await flavour.run(
        client.campaigns.create_batch(
            name="n", content="Hi", recipients=["990000001", "+351912345678"]
        )
    )
    body = sent(api, "/c/v1/campaigns/batch")
    assert body["recipients"] == ["+244990000001", "+351912345678"]
    assert body["country_alpha2"] == "AO"
    await flavour.close(client)


async def test_a_call_s_country_wins_and_is_any_case(
    api: Any, client: Any, flavour: Flavour
) -> None:
    await flavour.run(
        client.messages.send(
            remitter_id=REMITTER_V7, target_e164="912 345 678", content="Hi", country_alpha2="pt"
        )
    )
    assert sent(api, "/c/v1/messages")["target_e164"] == "+351912345678"


@pytest.mark.parametrize("number", ["990000001", "+244 99O 000 001", "+244990000001\n"])
async def test_a_phone_error_shows_the_value_as_given_and_names_the_helper(
    api: Any, client: Any, flavour: Flavour, number: str
) -> None:
    with pytest.raises(ziett.InvalidRequestError) as caught:
        await flavour.run(
            client.messages.send(remitter_id=REMITTER_V7, target_e164=number, content="Hi")
        )
    message = caught.value.fields["target_e164"]
    assert repr(number) in message and "ziett.phone.normalize" in message
    assert len(api.calls) == 0


async def test_a_bad_local_number_with_a_country_names_the_helper(
    api: Any, client: Any, flavour: Flavour
) -> None:
    with pytest.raises(ziett.InvalidRequestError) as caught:
        await flavour.run(
            client.messages.send(
                remitter_id=REMITTER_V7, target_e164="12", content="Hi", country_alpha2="AO"
            )
        )
    assert "'12'" in caught.value.fields["target_e164"]
    assert "ziett.phone.normalize" in caught.value.fields["target_e164"]
    with pytest.raises(ziett.InvalidRequestError) as unknown:
        await flavour.run(
            client.messages.send(
                remitter_id=REMITTER_V7, target_e164="990000001", content="Hi", country_alpha2="XX"
            )
        )
    assert "country_alpha2" in unknown.value.fields
    assert len(api.calls) == 0


def test_many_problems_make_a_short_message() -> None:
    client = ziett.Ziett(api_key="zk_test_0123456789abcdef", default_remitter_id=REMITTER_V7)
    with pytest.raises(ziett.InvalidRequestError) as caught:
        client.campaigns.create_batch(
            name="n", content="Hi", recipients=[f"bad{i}" for i in range(500)]
        )
    assert len(caught.value.fields) == 500
    assert len(str(caught.value)) < 1_000 and "495 more" in str(caught.value)


# --- enums in any case ------------------------------------------------------------------------


async def test_enum_values_in_bodies_are_any_case(api: Any, client: Any, flavour: Flavour) -> None:
    await flavour.run(
        client.messages.send(
            remitter_id=REMITTER_V7, target_e164="+244990090990", content="Hi", channel_type="sms"
        )
    )
    assert sent(api, "/c/v1/messages")["channel_type"] == "SMS"
    await flavour.run(
        client.campaigns.create_batch(
            name="n",
            remitter_id=REMITTER_V7,
            content="Hi",
            recipients=["+244990000001", "+244990000002"],
            channel_type="Sms",
        )
    )
    assert sent(api, "/c/v1/campaigns/batch")["channel_type"] == "SMS"


# --- ids in paths -----------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["..", ".", " ", "", None, 7])
async def test_an_id_cannot_leave_its_route(
    api: Any, client: Any, flavour: Flavour, bad: Any
) -> None:
    for call in (
        lambda: client.messages.retrieve(bad),
        lambda: client.campaigns.retrieve(bad),
        lambda: client.campaigns.list_messages(bad),
        lambda: client.messages.wait(bad),
        lambda: client.campaigns.report(bad),
    ):
        with pytest.raises(ziett.InvalidRequestError) as caught:
            await flavour.run(call())
        assert caught.value.may_have_been_sent is False
    assert len(api.calls) == 0


async def test_reserved_characters_in_an_id_stay_in_its_segment(
    api: Any, client: Any, flavour: Flavour
) -> None:
    route = api.get().respond(200, json=message_json())
    await flavour.run(client.messages.retrieve("../campaigns?x=1#y"))
    assert route.call_count == 1
    assert api.calls.last.request.url.raw_path.startswith(b"/c/v1/messages/..%2Fcampaigns%3F")


def test_a_null_campaign_id_is_refused_not_read_as_none() -> None:
    with pytest.raises(ziett.InvalidRequestError) as caught:
        report.campaign_report(None)  # type: ignore[arg-type]
    assert "(got None)" in caught.value.fields["campaign_id"]


# --- what a poll cannot read ------------------------------------------------------------------


async def test_a_null_status_ends_a_wait_with_a_typed_error(
    api: Any, client: Any, flavour: Flavour
) -> None:
    api.get(path__regex=r"^/c/v1/messages/[^/]+$").respond(200, json=message_json(status=None))
    with pytest.raises(ziett.APIError) as caught:
        await flavour.run(
            client.messages.send_and_wait(
                remitter_id=REMITTER_V7, target_e164="+244990090990", content="Hi", timeout=5
            )
        )
    error = caught.value
    assert error.may_have_been_sent is True  # the send was accepted before the poll failed
    assert "message_id=m" in "\n".join(error.__notes__)


async def test_an_unknown_status_keeps_the_wait_going(
    api: Any, client: Any, flavour: Flavour
) -> None:
    api.get(path__regex=r"^/c/v1/messages/[^/]+$").mock(
        side_effect=[
            respx.MockResponse(200, json=message_json(status="QUEUED_AT_CARRIER")),
            respx.MockResponse(200, json=message_json(status="DELIVERED")),
        ]
    )
    message = await flavour.run(
        client.messages.wait("m", poll_interval=0.001, max_poll_interval=0.001)
    )
    assert message.status == "DELIVERED"


# --- the top level ----------------------------------------------------------------------------

INTERNAL = {"Reservation", "RequestOptions", "Attempt", "Throttle", "ThrottleFactory", "Operation"}


def test_the_top_level_holds_what_users_name() -> None:
    assert not INTERNAL & set(ziett.__all__)
    assert {"InvalidRequestError", "APIStatusError", "APIResponseValidationError"} <= set(
        ziett.__all__
    )
    assert ziett.throttling.Throttle.__doc__ and ziett.throttling.ThrottleFactory.__doc__
    assert ziett.throttling.Reservation.__doc__ and ziett.hooks.Attempt.__doc__
    assert ziett.types.RequestOptions.__doc__
    for module in (ziett.throttling, ziett.hooks, ziett.types):
        assert module.__doc__ and set(module.__all__) <= set(dir(module))
