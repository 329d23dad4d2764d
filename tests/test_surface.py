"""The public surface as users' tools see it: parameters, raw responses, hooks, settings.

Each test runs against both flavours (the ``flavour`` fixture) with respx answering.
"""

from __future__ import annotations

import inspect
import logging
import subprocess
import sys
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest
import respx

import ziett
from ziett.resources import _classes

from .conftest import BASE_URL, REMITTER_V7, Flavour, message_json, page_json

SEND = {"remitter_id": REMITTER_V7, "target_e164": "+244990090990", "content": "Code 482910"}


@pytest.fixture
def api() -> Any:
    with respx.mock(base_url=BASE_URL, assert_all_called=False) as mock:
        yield mock


# --- parameters you can see ----------------------------------------------------------------------


WAIT_HELPERS = frozenset({"wait", "wait_many", "send_and_wait", "watch"})


@pytest.mark.parametrize(
    "cls", [c for name, c in vars(_classes).items() if name in _classes.__all__]
)
def test_every_method_has_explicit_documented_parameters(cls: type) -> None:
    methods = [m for name, m in vars(cls).items() if inspect.isfunction(m)]
    assert methods
    for method in methods:
        signature = inspect.signature(method)
        names = [p.name for p in signature.parameters.values()][1:]  # without self
        assert not any(
            p.kind in (p.VAR_KEYWORD, p.VAR_POSITIONAL) for p in signature.parameters.values()
        ), method.__qualname__
        # One meaning each: a wait's timeout is the whole wait (no deadline beside it);
        # a call's timeout is its requests' HTTP timeout, its deadline the call's budget.
        waits = method.__name__ in WAIT_HELPERS
        for option in (
            ("timeout", "max_retries") if waits else ("timeout", "max_retries", "deadline")
        ):
            assert option in names, f"{method.__qualname__} lacks {option}="
        if waits:
            assert "deadline" not in names and "request_timeout" not in names
            assert "wait_timeout" not in names
        doc = inspect.getdoc(method) or ""
        if "WithRawResponse" not in cls.__name__:
            for name in names:
                assert f"{name}:" in doc, f"{method.__qualname__}: no doc for {name}"


def test_help_shows_the_parameters(flavour: Flavour) -> None:
    client = flavour.client()
    shown = str(inspect.signature(client.messages.send))
    assert "remitter_id: 'str | UUID | None' = None" in shown and "max_segments" in shown
    assert "country_alpha2" in shown and "defaults" not in shown
    assert "SendMessageAccepted" in shown
    assert "status:" in str(inspect.signature(client.messages.list))


async def test_a_single_valued_filter_refuses_a_list(client: Any, flavour: Flavour) -> None:
    for arguments in ({"order": ["asc", "desc"]}, {"q": ["a", "b"]}, {"order_by": ("x",)}):
        with pytest.raises(ziett.InvalidRequestError) as caught:
            client.messages.list(**arguments)
        assert set(caught.value.fields) == set(arguments)


async def test_enum_values_any_case_are_sent_in_the_specs_case(
    api: Any, client: Any, flavour: Flavour
) -> None:
    route = api.get("/c/v1/messages").respond(200, json=page_json([], 1, 30, 0))
    await flavour.collect(client.messages.list(status=["sent", "Failed"], order="DESC"))
    sent = parse_qsl(route.calls.last.request.url.query.decode())
    assert ("status", "SENT") in sent and ("status", "FAILED") in sent
    assert ("order", "desc") in sent


async def test_a_bad_enum_value_names_the_accepted_ones(client: Any) -> None:
    with pytest.raises(ziett.InvalidRequestError) as caught:
        client.messages.list(status="shipped")
    assert "PENDING, SENT, DELIVERED, FAILED, UNDELIVERED" in caught.value.fields["status"]


# --- money is Decimal -----------------------------------------------------------------------------


async def test_cost_is_a_decimal_and_goes_back_as_the_apis_string(
    api: Any, client: Any, flavour: Flavour
) -> None:
    api.get("/c/v1/messages/m").respond(200, json=message_json(cost="3.50"))
    message = await flavour.run(client.messages.retrieve("m"))
    assert message.cost == Decimal("3.50") and isinstance(message.cost, Decimal)
    assert message.to_dict()["cost"] == "3.50"


# --- raw responses --------------------------------------------------------------------------------


async def test_with_raw_response_gives_headers_status_and_the_model(
    api: Any, client: Any, flavour: Flavour
) -> None:
    api.post("/c/v1/messages").respond(
        202,
        json={"message_id": "m-1"},
        headers={"X-Trace-Id": "t-42", "X-RateLimit-Remaining": "9"},
    )
    raw = await flavour.run(client.messages.with_raw_response.send(**SEND))
    assert isinstance(raw, ziett.RawResponse)
    assert raw.status_code == 202
    assert raw.headers["x-trace-id"] == "t-42" and raw.headers["x-ratelimit-remaining"] == "9"
    assert isinstance(raw.http_response, httpx.Response)
    parsed = raw.parse()
    assert isinstance(parsed, ziett.SendMessageAccepted) and parsed.message_id == "m-1"
    assert raw.parse() is parsed  # parsed once


async def test_with_raw_response_of_a_listing_is_its_first_page(
    api: Any, client: Any, flavour: Flavour
) -> None:
    route = api.get("/c/v1/campaigns").respond(200, json=page_json([], 1, 5, 0))
    raw = await flavour.run(client.campaigns.with_raw_response.list(page_size=5))
    assert raw.status_code == 200 and route.call_count == 1
    assert isinstance(raw.parse(), ziett.CampaignPage)
    assert ("size", "5") in parse_qsl(route.calls.last.request.url.query.decode())


async def test_with_raw_response_raises_like_the_plain_method(api: Any, flavour: Flavour) -> None:
    client = flavour.client(max_retries=0)
    api.get("/c/v1/messages/m").respond(404, json={"code": "NOT_FOUND", "message": "No"})
    with pytest.raises(ziett.NotFoundError):
        await flavour.run(client.messages.with_raw_response.retrieve("m"))
    await flavour.close(client)


# --- hooks, logging, settings ---------------------------------------------------------------------


async def test_attempt_hooks_are_called_for_each_attempt(api: Any, flavour: Flavour) -> None:
    seen: list[ziett.hooks.Attempt] = []
    client = flavour.client(attempt_hooks=[seen.append], max_retries=1)
    api.get("/c/v1/messages/m").mock(
        side_effect=[httpx.Response(503), httpx.Response(200, json=message_json())]
    )
    await flavour.run(client.messages.retrieve("m", timeout=5))
    assert [(a.number, a.status_code) for a in seen] == [(1, 503), (2, 200)]
    assert seen[0].wait is not None and seen[1].wait is None
    await flavour.close(client)


def test_ziett_log_turns_the_logger_on() -> None:
    program = (
        "import logging, ziett\n"
        "ziett.Ziett(api_key='zk_test_0123456789abcdef')\n"
        "logger = logging.getLogger('ziett')\n"
        "print(logger.level, len(logger.handlers))\n"
    )
    for value, expected in (("debug", f"{logging.DEBUG} 1"), ("info", f"{logging.INFO} 1")):
        out = subprocess.run(
            [sys.executable, "-c", program],
            env={"ZIETT_LOG": value, "PATH": ""},
            capture_output=True,
            text=True,
            check=True,
        )
        assert out.stdout.strip() == expected
    quiet = subprocess.run(
        [sys.executable, "-c", program], env={}, capture_output=True, text=True, check=True
    )
    assert quiet.stdout.strip() == f"{logging.NOTSET} 0"


def test_base_url_is_read_only(flavour: Flavour) -> None:
    client = flavour.client()
    with pytest.raises(AttributeError):
        client.base_url = "https://elsewhere.test"
    assert client.base_url == BASE_URL


async def test_the_pool_follows_max_concurrent_requests(flavour: Flavour) -> None:
    client = flavour.client(max_concurrent_requests=100)
    http = client._make_http_client()
    assert http._transport.max_connections == 100
    await flavour.run(http.aclose() if flavour.name == "async" else http.close())


def test_ambiguous_sends_takes_three_values(flavour: Flavour) -> None:
    for mode in ("raise", "retry", "reconcile"):
        assert flavour.client(ambiguous_sends=mode).ambiguous_sends == mode
    with pytest.raises(ziett.ZiettError, match="ambiguous_sends"):
        flavour.client(ambiguous_sends="sometimes")


# --- the SMS guard sends nothing ---------------------------------------------------------------


async def test_max_segments_refuses_a_long_text_before_sending(
    api: Any, client: Any, flavour: Flavour
) -> None:
    route = api.post("/c/v1/messages").respond(202, json={"message_id": "m"})
    batch = api.post("/c/v1/campaigns/batch").respond(202, json={"campaign_id": "c"})
    long_text = "Olá! " + "x" * 70  # UCS-2: 75 characters, two parts
    with pytest.raises(ziett.InvalidRequestError) as caught:
        await flavour.run(client.messages.send(**{**SEND, "content": long_text}, max_segments=1))
    assert (
        "2 SMS parts" in caught.value.fields["content"]
        and "UCS-2" in caught.value.fields["content"]
    )
    with pytest.raises(ziett.InvalidRequestError):
        await flavour.run(
            client.campaigns.create_batch(
                name="n",
                remitter_id=REMITTER_V7,
                content="x" * 161,
                recipients=["+244990000001", "+244990000002"],
                max_segments=1,
            )
        )
    assert route.call_count == 0 and batch.call_count == 0
    await flavour.run(client.messages.send(**{**SEND, "content": "x" * 160}, max_segments=1))
    assert route.call_count == 1
    with pytest.raises(ziett.InvalidRequestError) as bad:
        await flavour.run(client.messages.send(**SEND, max_segments=0))
    assert "max_segments" in bad.value.fields
