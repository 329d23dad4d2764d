"""What the transport hands out: bodies within their cap, and never the API key.

respx answers (or fails) each request, both flavours; the request on the wire
carries the real key, every request and response the SDK hands out a masked copy.
"""

from __future__ import annotations

import gzip
import logging
from typing import Any

import httpx
import pytest
import respx

import ziett

from .conftest import API_KEY, BASE_URL, REMITTER_V7, Flavour

SEND = {"remitter_id": REMITTER_V7, "target_e164": "+244990090990", "content": "x"}
MESSAGE_ID = "019b4b56-e704-7c30-83a0-527df63c3e01"
LIMIT = 1_000


@pytest.fixture
def api() -> Any:
    with respx.mock(base_url=BASE_URL, assert_all_called=False) as mock:
        yield mock


def no_key(request: httpx.Request | None) -> None:
    """The request handed out shows the key masked, nowhere whole."""
    assert request is not None
    assert request.headers["x-api-key"] == "zk_test_...cdef"
    assert API_KEY not in repr(request.headers) and API_KEY not in str(request.headers.raw)


def no_wait(client: Any) -> None:
    """Retries at once (the jitter draws 0): no real sleep between attempts."""
    retry = client._settings.retry._replace(jitter=lambda low, high: 0.0)
    client._settings = client._settings._replace(retry=retry)


# --- bodies capped ---------------------------------------------------------------------------


@pytest.mark.parametrize("sends", [True, False])
async def test_a_body_over_the_limit_is_refused(api: Any, flavour: Flavour, sends: bool) -> None:
    body = b'{"message_id": "' + b"x" * LIMIT + b'"}'
    api.post("/c/v1/messages").respond(202, content=body)
    api.get(f"/c/v1/messages/{MESSAGE_ID}").respond(200, content=body)
    client = flavour.client(max_response_bytes=LIMIT, max_retries=0)
    with pytest.raises(ziett.APIResponseValidationError, match="max_response_bytes") as caught:
        if sends:
            await flavour.run(client.messages.send(**SEND))
        else:
            await flavour.run(client.messages.retrieve(MESSAGE_ID))
    assert caught.value.may_have_been_sent is sends
    assert f"{LIMIT:,} bytes" in str(caught.value)
    no_key(caught.value.response.request if caught.value.response else None)
    await flavour.close(client)


async def test_a_compressed_body_is_capped_as_it_is_decoded(api: Any, flavour: Flavour) -> None:
    bomb = gzip.compress(b'{"message_id": "' + b"0" * 50 * LIMIT + b'"}')
    assert len(bomb) < LIMIT
    headers = {"Content-Encoding": "gzip"}
    api.post("/c/v1/messages").respond(202, content=bomb, headers=headers)
    client = flavour.client(max_response_bytes=LIMIT)
    with pytest.raises(ziett.APIResponseValidationError, match="larger than 1,000 bytes"):
        await flavour.run(client.messages.send(**SEND))
    await flavour.close(client)


async def test_bodies_within_the_limit_read_as_before(api: Any, flavour: Flavour) -> None:
    plain = b'{"message_id": "' + MESSAGE_ID.encode() + b'"}'
    api.post("/c/v1/messages").mock(
        side_effect=[
            httpx.Response(202, content=plain),
            httpx.Response(202, content=gzip.compress(plain), headers={"Content-Encoding": "gzip"}),
        ]
    )
    client = flavour.client(max_response_bytes=len(plain))
    for _ in range(2):
        raw = await flavour.run(client.messages.with_raw_response.send(**SEND))
        assert raw.parse().message_id == MESSAGE_ID
        assert raw.http_response.content == plain
    await flavour.close(client)


def test_max_response_bytes_is_checked_at_construction(flavour: Flavour) -> None:
    for wrong_type in ("1000", 1.5, True, None):
        with pytest.raises(TypeError, match="max_response_bytes"):
            flavour.client(max_response_bytes=wrong_type)
    with pytest.raises(ziett.InvalidRequestError) as caught:
        flavour.client(max_response_bytes=0)
    assert "max_response_bytes" in caught.value.fields
    assert caught.value.may_have_been_sent is False


# --- secrets never shown ---------------------------------------------------------------------


async def test_a_status_error_shows_no_key(api: Any, flavour: Flavour) -> None:
    route = api.post("/c/v1/messages").respond(401, json={"message": "Invalid key"})
    client = flavour.client()
    with pytest.raises(ziett.AuthenticationError) as caught:
        await flavour.run(client.messages.send(**SEND))
    assert route.calls.last.request.headers["x-api-key"] == API_KEY  # the wire has the key
    assert caught.value.response is not None
    no_key(caught.value.response.request)
    assert API_KEY not in str(caught.value) and API_KEY not in repr(caught.value)
    await flavour.close(client)


@pytest.mark.parametrize(
    ("failure", "error"),
    [(httpx.ConnectError, ziett.APIConnectionError), (httpx.ReadTimeout, ziett.APITimeoutError)],
)
async def test_a_connection_error_shows_no_key(
    api: Any, flavour: Flavour, failure: type[Exception], error: type[Exception]
) -> None:
    api.get(f"/c/v1/messages/{MESSAGE_ID}").mock(side_effect=failure)
    seen: list[ziett.Attempt] = []
    client = flavour.client(max_retries=1, attempt_hooks=[seen.append])
    no_wait(client)
    with pytest.raises(error) as caught:
        await flavour.run(client.messages.retrieve(MESSAGE_ID))
    assert isinstance(caught.value, ziett.APIConnectionError)
    no_key(caught.value.request)
    cause = caught.value.__cause__
    assert isinstance(cause, httpx.RequestError)
    no_key(cause.request)
    for attempt in seen:
        assert isinstance(attempt.error, httpx.RequestError)
        no_key(attempt.error.request)
    await flavour.close(client)


async def test_an_answer_of_the_wrong_shape_shows_no_key(api: Any, flavour: Flavour) -> None:
    api.post("/c/v1/messages").respond(202, content=b"<html>not json</html>")
    client = flavour.client()
    with pytest.raises(ziett.APIError) as caught:
        await flavour.run(client.messages.send(**SEND))
    assert caught.value.response is not None
    no_key(caught.value.response.request)
    await flavour.close(client)


async def test_a_raw_response_shows_no_key(api: Any, flavour: Flavour) -> None:
    api.post("/c/v1/messages").respond(202, json={"message_id": MESSAGE_ID})
    client = flavour.client()
    raw = await flavour.run(client.messages.with_raw_response.send(**SEND))
    no_key(raw.http_response.request)
    await flavour.close(client)


async def test_logs_show_no_key(
    api: Any, flavour: Flavour, caplog: pytest.LogCaptureFixture
) -> None:
    api.get(f"/c/v1/messages/{MESSAGE_ID}").mock(
        side_effect=[httpx.Response(503), httpx.ConnectError("refused"), httpx.Response(500)]
    )
    client = flavour.client(max_retries=2)
    no_wait(client)
    with caplog.at_level(logging.DEBUG), pytest.raises(ziett.InternalServerError):
        await flavour.run(client.messages.retrieve(MESSAGE_ID, deadline=60))
    assert caplog.records  # httpx, httpcore and ziett all logged at DEBUG
    assert API_KEY not in caplog.text
    await flavour.close(client)
