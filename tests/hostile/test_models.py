"""A returned model is plain data: built whole when the call returns, then nothing in it raises.

Unknown keys and enum values are accepted; copies and pickles compare equal; many
threads reading the same models at once all see the same thing.
"""

from __future__ import annotations

import dataclasses
import json

import httpx
import pytest

import ziett
from tests.conftest import API_KEY
from tests.hostile.server import (
    MESSAGE,
    MESSAGE_ID,
    OPERATIONS,
    PHONES,
    REMITTER_V7,
    Clients,
    check_plain_data,
    dump,
    read_everywhere,
)
from ziett._decode import as_decoder, decoder_for
from ziett_client.models import Message

LIST = next(op for op in OPERATIONS if op.name == "messages.list")
LIST_200 = dataclasses.replace(LIST, call=lambda c: c.messages.list(page_size=200))
FLAVOURS = ["sync", "async"]


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_page_of_200_is_built_whole_and_reads_the_same_from_many_threads(
    clients: Clients, flavour: str
) -> None:
    entries = [{**MESSAGE, "id": f"m-{n}", "cost": f"{n}.05"} for n in range(200)]
    clients.server.answer(
        LIST, dump({**LIST.answer, "entries": entries, "total": 200, "size": 200})
    )
    (page,) = clients.run(flavour, LIST_200)
    check_plain_data(page)
    read_everywhere(page.entries)
    assert [message.id for message in page.entries] == [e["id"] for e in entries]


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_unknown_keys_and_values_are_accepted(clients: Clients, flavour: str) -> None:
    retrieve = next(op for op in OPERATIONS if op.name == "messages.retrieve")
    spoiled = {**MESSAGE, "status": "BOUNCED", "channel_type": "RCS", "priority": "high"}
    clients.server.answer(retrieve, dump(spoiled))
    message = clients.run(flavour, retrieve)
    assert message.status == "BOUNCED" and message.channel_type == "RCS"
    check_plain_data(message)


def test_a_send_then_a_spoiled_poll_says_the_message_was_sent() -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            return httpx.Response(202, json={"message_id": MESSAGE_ID})
        return httpx.Response(200, json={**MESSAGE, "status": None})

    http = httpx.Client(transport=httpx.MockTransport(handle), trust_env=False)
    client = ziett.Ziett(api_key=API_KEY, rate_limits={}, max_retries=0, http_client=http)
    with client, pytest.raises(ziett.ZiettError) as caught:
        client.messages.send_and_wait(
            remitter_id=REMITTER_V7, target_e164=PHONES[0], content="Hi", poll_interval=0.01
        )
    assert caught.value.may_have_been_sent is True
    assert isinstance(caught.value, ziett.APIResponseValidationError)
    assert any(MESSAGE_ID in note for note in getattr(caught.value, "__notes__", []))


def test_the_decoder_of_a_model_reads_bytes_and_parsed_json_alike() -> None:
    decoder = as_decoder(Message.from_dict)
    assert decoder is decoder_for(Message) is as_decoder(Message)
    from_bytes = decoder(dump(MESSAGE))
    assert from_bytes == decoder(json.loads(dump(MESSAGE)))
    assert from_bytes.to_dict() == Message.from_dict(MESSAGE).to_dict()
