"""Client settings and per-call options are checked where they are given; secrets never shown;
a closed client refuses; importing the SDK registers nothing."""

from __future__ import annotations

import base64
import json
import math
import os
import subprocess
import sys
import textwrap
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ziett
from ziett._config import display_url

from .conftest import API_KEY, REMITTER_V7, Flavour, message_json

NAN, INF = float("nan"), float("inf")


def recorder(flavour: Flavour) -> tuple[list[httpx.Request], Any]:
    """An http_client of the flavour that answers every request with a message."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        # A copy as it arrived: the SDK masks secrets in the request it keeps afterwards.
        copy = httpx.Request(request.method, request.url, headers=request.headers.copy())
        copy.extensions = dict(request.extensions)
        seen.append(copy)
        return httpx.Response(200, json=message_json())

    transport = httpx.MockTransport(handler)
    own = httpx.AsyncClient(transport=transport) if flavour.name == "async" else None
    return seen, own or httpx.Client(transport=transport)


# --- construction ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("setting", "field"),
    [
        ({"timeout": -1}, "timeout"),
        ({"timeout": NAN}, "timeout"),
        ({"timeout": INF}, "timeout"),
        ({"timeout": httpx.Timeout(5.0, connect=-1.0)}, "timeout"),
        ({"deadline": NAN}, "deadline"),
        ({"deadline": 0}, "deadline"),
        ({"max_retries": -1}, "max_retries"),
        ({"max_retry_after": NAN}, "max_retry_after"),
        ({"max_concurrent_requests": 0}, "max_concurrent_requests"),
        ({"ambiguous_sends": "sometimes"}, "ambiguous_sends"),
        ({"rate_limits": {"POST /c/v1/messages": ziett.RateLimit(10, NAN)}}, "rate_limits"),
        ({"rate_limits": {"POST /c/v1/messages": (10, INF)}}, "rate_limits"),
        ({"rate_limits": {"POST /c/v1/messages": (0, 60)}}, "rate_limits"),
        ({"default_country": "Nigeria"}, "default_country"),
        ({"default_country": "ZZ"}, "default_country"),
        ({"default_headers": {"X-API-KEY": "other"}}, "default_headers"),
        ({"default_headers": {"X-Trace": "a\nb"}}, "default_headers"),
        ({"base_url": "ftp://api.ziett.co"}, "base_url"),
        ({"base_url": "api.ziett.co"}, "base_url"),
        ({"base_url": "https://"}, "base_url"),
        ({"base_url": "https://api.ziett.co:port"}, "base_url"),
        ({"api_key": ""}, "api_key"),
        ({"api_key": "zk live key"}, "api_key"),
    ],
)
def test_a_wrong_value_is_an_invalid_request_naming_the_keyword(
    flavour: Flavour, setting: dict[str, Any], field: str
) -> None:
    with pytest.raises(ziett.InvalidRequestError) as caught:
        flavour.client(**setting)
    assert any(name.startswith(field) for name in caught.value.fields), caught.value.fields
    assert caught.value.may_have_been_sent is False
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    "setting",
    [
        {"api_key": 123},
        {"base_url": b"https://api.ziett.co"},
        {"timeout": "x"},
        {"deadline": "5"},
        {"max_retries": 1.5},
        {"max_retries": True},
        {"max_retry_after": "60"},
        {"max_concurrent_requests": None},
        {"ambiguous_sends": None},
        {"rate_limits": [("POST /c/v1/messages", (1, 1))]},
        {"rate_limits": {"POST /c/v1/messages": ("1", 60)}},
        {"rate_limit_store": 6379},
        {"throttle_factory": "redis"},
        {"attempt_hooks": print},
        {"attempt_hooks": ["not callable"]},
        {"default_headers": {"X-Trace": 1}},
        {"default_remitter_id": 7},
        {"default_country": 234},
    ],
)
def test_a_wrong_type_is_a_type_error(flavour: Flavour, setting: dict[str, Any]) -> None:
    with pytest.raises(TypeError, match=next(iter(setting))):
        flavour.client(**setting)


def test_the_key_is_never_echoed_by_its_checks() -> None:
    with pytest.raises(ziett.InvalidRequestError) as caught:
        ziett.Ziett(api_key="zk_live_sécret_0123456789")
    assert "sécret" not in str(caught.value) and "sécret" not in repr(caught.value.fields)
    with pytest.raises(TypeError) as wrong:
        ziett.Ziett(api_key=1234567890123)  # type: ignore[arg-type]
    assert "1234567890123" not in str(wrong.value)


def test_good_settings_are_kept(flavour: Flavour) -> None:
    client = flavour.client(
        timeout=httpx.Timeout(3.0),
        deadline=12,
        max_retry_after=INF,  # honour any Retry-After
        default_country="ng",
        default_remitter_id="  sender-1 ",
        rate_limits={"POST /c/v1/messages": (5, 1)},
    )
    assert client.default_country == "NG" and client.default_remitter_id == "sender-1"
    assert client.rate_limits == {"POST /c/v1/messages": ziett.RateLimit(5, 1.0)}
    assert client._settings.deadline == 12.0 and client._settings.timeout == httpx.Timeout(3.0)


# --- per-call options --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("option", "field"),
    [
        ({"deadline": NAN}, "deadline"),
        ({"deadline": INF}, "deadline"),
        ({"deadline": -1}, "deadline"),
        ({"timeout": -1}, "timeout"),
        ({"timeout": NAN}, "timeout"),
        ({"max_retries": -2}, "max_retries"),
    ],
)
async def test_a_wrong_per_call_value_is_refused_before_any_request(
    flavour: Flavour, option: dict[str, Any], field: str
) -> None:
    seen, own = recorder(flavour)
    client = flavour.client(http_client=own)
    with pytest.raises(ziett.ZiettError) as caught:  # the resources' check error, with fields
        await flavour.run(client.messages.retrieve("m", **option))
    assert field in getattr(caught.value, "fields", ()) and caught.value.may_have_been_sent is False
    assert seen == []
    await flavour.close(client)


@pytest.mark.parametrize("option", [{"timeout": "x"}, {"deadline": "5"}, {"max_retries": 1.0}])
async def test_a_wrong_per_call_type_is_a_type_error(
    flavour: Flavour, option: dict[str, Any]
) -> None:
    seen, own = recorder(flavour)
    client = flavour.client(http_client=own)
    with pytest.raises(TypeError, match=next(iter(option))):
        await flavour.run(client.messages.retrieve("m", **option))
    assert seen == []
    await flavour.close(client)


async def test_a_client_deadline_bounds_each_call(flavour: Flavour) -> None:
    seen, own = recorder(flavour)
    client = flavour.client(http_client=own, timeout=30, deadline=0.5)
    await flavour.run(client.messages.retrieve("m"))
    await flavour.run(client.messages.retrieve("m", deadline=20))  # the call's own wins
    bounded, own_deadline = (request.extensions["timeout"]["read"] for request in seen)
    assert bounded <= 0.5 and 0.5 < own_deadline <= 20
    await flavour.close(client)


# --- secrets in base_url ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://user:p%40ss@api.example/x?y=1", "https://api.example/x?y=1"),
        ("https://token@api.example", "https://api.example"),
        ("http://api.example:8080/", "http://api.example:8080/"),
        ("https://[::1", "<unparsable URL>"),
    ],
)
def test_display_url_drops_credentials(url: str, shown: str) -> None:
    assert display_url(url) == shown


async def test_base_url_credentials_travel_in_a_header_and_are_never_shown(
    flavour: Flavour,
) -> None:
    seen, own = recorder(flavour)
    client = flavour.client(http_client=own, base_url="https://proxy-user:s3cr%40t@api.example/")
    assert "s3cr" not in repr(client) and "proxy-user" not in repr(client)
    assert client.base_url == "https://api.example"
    await flavour.run(client.messages.retrieve("m"))
    request = seen[0]
    assert "s3cr" not in str(request.url) and "proxy-user" not in str(request.url)
    expected = base64.b64encode(b"proxy-user:s3cr@t").decode()
    assert request.headers["Authorization"] == f"Basic {expected}"
    assert "s3cr" not in repr(request.headers)
    await flavour.close(client)


def test_a_bad_base_url_with_credentials_is_refused_without_showing_them() -> None:
    with pytest.raises(ziett.InvalidRequestError) as caught:
        ziett.Ziett(api_key=API_KEY, base_url="ftp://admin:hunter2@files.example")
    assert "hunter2" not in str(caught.value) and "hunter2" not in repr(caught.value.fields)


# --- closed means closed ------------------------------------------------------------------------


async def test_a_closed_client_refuses_and_never_reopens(flavour: Flavour) -> None:
    seen, own = recorder(flavour)
    client = flavour.client(http_client=own)
    await flavour.run(client.messages.retrieve("m"))
    await flavour.close(client)
    assert client.is_closed
    for _ in range(2):
        with pytest.raises(ziett.ZiettError, match="closed") as caught:
            await flavour.run(client.messages.retrieve("m"))
        assert caught.value.may_have_been_sent is False
    with pytest.raises(ziett.ZiettError, match="closed"):
        await flavour.run(
            client.messages.send(remitter_id=REMITTER_V7, target_e164="+244990090990", content="x")
        )
    assert len(seen) == 1 and client._http_client is None
    assert not own.is_closed  # the caller's http_client stays the caller's


async def test_closing_twice_is_harmless(flavour: Flavour) -> None:
    client = flavour.client()
    await flavour.close(client)
    await flavour.close(client)
    assert client.is_closed


def test_a_closed_client_refuses_in_a_context_manager() -> None:
    with ziett.Ziett(api_key=API_KEY, rate_limits={}) as client:
        pass
    with pytest.raises(ziett.ZiettError, match="Ziett is closed"):
        client.messages.retrieve("m")


# --- import does nothing but define ------------------------------------------------------------

_IMPORT_PROBE = textwrap.dedent(
    """
    import json, os, sys, threading
    registered = []
    real = os.register_at_fork
    def spy(**handlers):
        registered.append(sorted(f.__module__ for f in handlers.values()))
        real(**handlers)
    os.register_at_fork = spy
    threads = threading.active_count()
    import ziett, ziett.testing
    report = {"at_import": registered[:], "threads": threading.active_count() - threads}
    client = ziett.Ziett(api_key="zk_test_0123456789abcdef")
    ziett.AsyncZiett(api_key="zk_test_0123456789abcdef")
    client._throttle_for("POST /c/v1/messages")
    report["after_use"] = registered[len(report["at_import"]):]
    print(json.dumps(report))
    """
)


def test_import_registers_no_fork_handler_and_starts_no_thread() -> None:
    """Only the dependencies' own (logging's, random's) may register at import."""
    out = subprocess.run(
        [sys.executable, "-c", _IMPORT_PROBE], capture_output=True, text=True, check=True
    ).stdout
    report = json.loads(out)
    ours = [modules for modules in report["at_import"] if any("ziett" in m for m in modules)]
    assert ours == [] and report["threads"] == 0
    # The first clients and throttles register the SDK's one handler, once.
    assert report["after_use"] == [["ziett._fork"]]


# --- any number: accepted, or refused by name; never anything else -----------------------------

_SECONDS = ("timeout", "deadline", "max_retry_after")


@given(
    name=st.sampled_from(_SECONDS),
    value=st.floats(allow_nan=True, allow_infinity=True) | st.integers(-(10**6), 10**6),
)
@settings(max_examples=150, deadline=None)
def test_any_number_of_seconds_is_kept_or_refused_by_name(name: str, value: float) -> None:
    try:
        client = ziett.Ziett(api_key=API_KEY, rate_limits={}, **{name: value})
    except ziett.InvalidRequestError as error:
        assert list(error.fields) == [name]
        assert math.isnan(value) or value < 0 or math.isinf(value) or value == 0
        return
    assert not math.isnan(value) and value >= 0
    with_options = client.with_options(**{name: value})
    assert with_options._options == client._options


@given(requests=st.integers(-5, 10**6), per_seconds=st.floats(allow_nan=True))
@settings(max_examples=150, deadline=None)
def test_any_rate_limit_is_kept_or_refused_by_name(requests: int, per_seconds: float) -> None:
    limits = {"POST /c/v1/messages": (requests, per_seconds)}
    try:
        client = ziett.Ziett(api_key=API_KEY, rate_limits=limits)
    except ziett.InvalidRequestError as error:
        assert list(error.fields) == ["rate_limits['POST /c/v1/messages']"]
        assert requests < 1 or not (math.isfinite(per_seconds) and per_seconds > 0)
        return
    assert client.rate_limits["POST /c/v1/messages"] == (requests, per_seconds)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork()")
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_a_closed_client_stays_closed_in_a_forked_child() -> None:
    client = ziett.Ziett(api_key=API_KEY, rate_limits={})
    client.close()
    pid = os.fork()
    if pid == 0:  # child: report through the exit code
        code = 1
        try:
            client.messages.retrieve("m")
        except ziett.ZiettError as error:
            code = 0 if "closed" in str(error) and client._http_client is None else 2
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0


def test_a_bad_base_url_from_the_environment_names_the_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ZIETT_BASE_URL", "localhost:8000")
    with pytest.raises(ziett.InvalidRequestError, match="ZIETT_BASE_URL") as caught:
        ziett.Ziett(api_key=API_KEY)
    assert list(caught.value.fields) == ["base_url"]
