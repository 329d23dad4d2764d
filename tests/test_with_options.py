"""client.with_options(...): other per-call defaults on the same connections and rate budget."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

import ziett
from ziett._throttle import RateLimit, Throttle
from ziett._throttle.local import SlidingWindowLimiter

from .conftest import REMITTER_V7, Flavour, message_json

ROUTE = "POST /c/v1/messages"
ACCEPTED = {"message_id": "019b4b56-e704-7c30-83a0-527df63c3e01", "status": "QUEUED"}


class CountingFactory:
    """A throttle factory that remembers every throttle it made."""

    def __init__(self) -> None:
        self.made: dict[tuple[str, str, str, RateLimit], SlidingWindowLimiter] = {}

    def __call__(self, api_key: str, base_url: str, route: str, limit: RateLimit) -> Throttle:
        return self.made.setdefault((api_key, base_url, route, limit), SlidingWindowLimiter(limit))


async def test_the_copy_shares_the_pool_and_the_gate(flavour: Flavour, ziett_sandbox: Any) -> None:
    client = flavour.client_class(rate_limits={})
    derived = client.with_options(timeout=5, max_retries=0)
    assert type(derived) is type(client) and derived is not client
    await flavour.collect(client.campaigns.list())
    await flavour.collect(derived.campaigns.list())
    first, second = client._link(), derived._link()
    assert first.http is second.http and first.gate is second.gate
    assert derived._http_client is client._http_client is not None
    await flavour.close(client)


async def test_the_copy_shares_the_rate_budget(flavour: Flavour) -> None:
    factory = CountingFactory()
    client = flavour.client(
        throttle_factory=factory, rate_limits={ROUTE: RateLimit(2, 60)}, base_url="https://a.test"
    )
    derived = client.with_options(max_retries=5, deadline=30)
    assert derived._throttle_for(ROUTE) is client._throttle_for(ROUTE)
    assert len(factory.made) == 1 and derived.rate_limits == client.rate_limits
    await flavour.close(client)


async def test_the_default_budget_is_shared_too(flavour: Flavour) -> None:
    client = flavour.client(rate_limits={ROUTE: RateLimit(3, 60)})
    derived = client.with_options(ambiguous_sends="retry")
    assert derived._throttle_for(ROUTE) is client._throttle_for(ROUTE)
    await flavour.close(client)


async def test_the_copy_has_its_own_defaults_and_the_original_keeps_its_own(
    flavour: Flavour,
) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.method == "POST":
            return httpx.Response(202, json=ACCEPTED)
        return httpx.Response(200, json=message_json())

    transport = httpx.MockTransport(handler)
    own = (
        httpx.AsyncClient(transport=transport)
        if flavour.name == "async"
        else httpx.Client(transport=transport)
    )
    client = flavour.client(http_client=own, timeout=30, default_headers={"X-A": "1"})
    derived = client.with_options(
        timeout=2.5,
        default_headers={"X-B": "2"},
        default_remitter_id=REMITTER_V7,
        default_country="ao",
        ambiguous_sends="retry",
    )
    await flavour.run(derived.messages.retrieve("m"))
    await flavour.run(client.messages.retrieve("m"))
    assert seen[0].extensions["timeout"] == httpx.Timeout(2.5).as_dict()
    assert seen[1].extensions["timeout"] == httpx.Timeout(30).as_dict()
    assert (seen[0].headers["X-A"], seen[0].headers["X-B"]) == ("1", "2")
    assert "X-B" not in seen[1].headers
    assert (derived.default_remitter_id, derived.default_country) == (REMITTER_V7, "AO")
    assert (client.default_remitter_id, client.default_country) == (None, None)
    assert (derived.ambiguous_sends, client.ambiguous_sends) == ("retry", "raise")
    # None clears a default; what is left out is kept
    plain = derived.with_options(default_remitter_id=None, timeout=None)
    assert plain.default_remitter_id is None and plain.default_country == "AO"
    await flavour.run(plain.messages.retrieve("m"))
    assert seen[2].extensions["timeout"] == httpx.Timeout(None).as_dict()
    await flavour.close(client)


async def test_a_copy_deadline_applies_to_each_call(flavour: Flavour) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=message_json())

    transport = httpx.MockTransport(handler)
    own = (
        httpx.AsyncClient(transport=transport)
        if flavour.name == "async"
        else httpx.Client(transport=transport)
    )
    client = flavour.client(http_client=own, timeout=30)
    await flavour.run(client.with_options(deadline=0.25).messages.retrieve("m"))
    assert seen[0].extensions["timeout"]["read"] <= 0.25
    await flavour.close(client)


async def test_closing_the_copy_leaves_the_pool_open(flavour: Flavour, ziett_sandbox: Any) -> None:
    client = flavour.client_class(rate_limits={})
    derived = client.with_options(max_retries=1)
    await flavour.collect(derived.campaigns.list())
    pool = client._http_client
    await flavour.close(derived)
    assert derived.is_closed and not client.is_closed
    with pytest.raises(ziett.ZiettError, match="closed"):
        await flavour.collect(derived.campaigns.list())
    await flavour.collect(client.campaigns.list())
    assert pool is not None and client._http_client is pool and not pool.is_closed
    await flavour.close(client)


async def test_closing_the_original_closes_every_copy(flavour: Flavour, ziett_sandbox: Any) -> None:
    client = flavour.client_class(rate_limits={})
    derived = client.with_options(max_retries=1)
    await flavour.collect(client.campaigns.list())
    pool = client._http_client
    await flavour.close(client)
    assert pool is not None and pool.is_closed
    assert derived.is_closed and client.is_closed
    for closed in (client, derived, derived.with_options(timeout=1)):
        with pytest.raises(ziett.ZiettError, match="closed") as caught:
            await flavour.collect(closed.campaigns.list())
        assert caught.value.may_have_been_sent is False
    assert client._http_client is None  # nothing reopened


async def test_a_closed_copy_stays_closed_after_the_original_is_used(
    flavour: Flavour, ziett_sandbox: Any
) -> None:
    client = flavour.client_class(rate_limits={})
    derived = client.with_options()
    await flavour.close(derived)
    await flavour.collect(client.campaigns.list())
    with pytest.raises(ziett.ZiettError, match="closed"):
        await flavour.collect(derived.campaigns.list())
    await flavour.close(client)


@pytest.mark.parametrize(
    ("option", "field"),
    [
        ({"timeout": -1}, "timeout"),
        ({"deadline": float("nan")}, "deadline"),
        ({"max_retries": -1}, "max_retries"),
        ({"max_retry_after": -1}, "max_retry_after"),
        ({"ambiguous_sends": "maybe"}, "ambiguous_sends"),
        ({"default_country": "XX"}, "default_country"),
        ({"default_headers": {"x-api-key": "k"}}, "default_headers"),
    ],
)
def test_with_options_checks_values(flavour: Flavour, option: dict[str, Any], field: str) -> None:
    client = flavour.client()
    with pytest.raises(ziett.InvalidRequestError) as caught:
        client.with_options(**option)
    assert any(name.startswith(field) for name in caught.value.fields)


@pytest.mark.parametrize(
    "option",
    [{"timeout": "1"}, {"max_retries": "2"}, {"attempt_hooks": [1]}, {"default_remitter_id": 5}],
)
def test_with_options_checks_types(flavour: Flavour, option: dict[str, Any]) -> None:
    with pytest.raises(TypeError, match=next(iter(option))):
        flavour.client().with_options(**option)


def test_with_options_keeps_the_key_secret() -> None:
    client = ziett.Ziett(api_key="zk_live_0123456789abcdef", base_url="https://u:pw@api.test")
    derived = client.with_options(timeout=3)
    assert repr(derived) == repr(client)
    assert "0123456789ab" not in repr(derived) and "pw" not in repr(derived)


def test_a_copy_sends_on_the_shared_connections(ziett_sandbox: Any) -> None:
    with ziett.Ziett() as client:
        sender = client.with_options(default_remitter_id=ziett_sandbox.remitter_id)
        accepted = sender.messages.send(
            remitter_id=ziett_sandbox.remitter_id, target_e164="+244990090990", content="Hi"
        )
        assert sender._http_client is client._http_client is not None
    assert [m["id"] for m in ziett_sandbox.sent] == [accepted.message_id]
