"""Every documented answer of every operation, spoiled every way: a model or a ZiettError.

Sync and async. A spoiled 2xx answer raises APIResponseValidationError (may_have_been_sent
True only for the calls that send messages), or is accepted (unknown keys and enum values)
as plain data that never raises; nothing else escapes, and no call loops.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ziett
from tests.hostile.profiles import HOSTILE
from tests.hostile.server import OPERATIONS, Clients, Operation, check_plain_data, dump, spoiled

FLAVOURS = ["sync", "async"]


def check_error(error: ziett.ZiettError, operation: Operation) -> None:
    """What a typed error must say: money, the route, and a printable message."""
    str(error), repr(error)
    if isinstance(error, ziett.WaitTimeoutError):
        check_plain_data(error.last)
        return
    assert isinstance(error, ziett.APIResponseValidationError), repr(error)
    assert error.may_have_been_sent is operation.sends
    assert error.operation.startswith(operation.method)
    assert error.response is None or error.response.status_code == operation.status


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.name)
def test_the_documented_answer_gives_plain_models(
    clients: Clients, flavour: str, operation: Operation
) -> None:
    clients.server.answer(operation, dump(operation.answer))
    result = clients.run(flavour, operation)
    check_plain_data(result)
    assert len(clients.server.requests) == 1


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.name)
@HOSTILE
@given(data=st.data())
def test_a_spoiled_answer_gives_a_model_or_a_typed_error(
    clients: Clients, flavour: str, operation: Operation, data: st.DataObject
) -> None:
    what, body = data.draw(spoiled(operation.answer), label="answer")
    clients.server.answer(operation, body)
    try:
        result: Any = clients.run(flavour, operation)
    except ziett.ZiettError as error:
        check_error(error, operation)
    else:
        check_plain_data(result)
    # A listing stops at the first page that contradicts it; a wait at its timeout.
    assert len(clients.server.requests) <= (2 if operation.pages else 20), what


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_the_error_names_the_route_the_field_and_what_came(clients: Clients, flavour: str) -> None:
    operation = next(op for op in OPERATIONS if op.name == "messages.list")
    answer = dump(
        {**operation.answer, "entries": [{**operation.answer["entries"][0], "cost": "abc"}]}
    )
    clients.server.answer(operation, answer)
    with pytest.raises(ziett.APIResponseValidationError) as caught:
        clients.run(flavour, operation)
    error = caught.value
    assert error.operation == "GET /c/v1/messages"
    assert error.path == "entries[0].cost"
    assert error.expected == "a decimal amount"
    assert error.got == '"abc"'
    assert error.response is not None and error.response.status_code == 200
    assert error.may_have_been_sent is False
    assert "GET /c/v1/messages" in str(error) and "entries[0].cost" in str(error)


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_spoiled_acceptance_says_the_message_may_have_gone(
    clients: Clients, flavour: str
) -> None:
    operation = next(op for op in OPERATIONS if op.name == "messages.send")
    clients.server.answer(operation, b"<html>accepted</html>")
    with pytest.raises(ziett.APIResponseValidationError) as caught:
        clients.run(flavour, operation)
    assert caught.value.may_have_been_sent is True
    assert caught.value.path == ""
    assert "do not send it again" in " ".join(getattr(caught.value, "__notes__", []))
    assert len(clients.server.requests) == 1  # never retried: the server took it
