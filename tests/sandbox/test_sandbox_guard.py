"""Only the sandbox's own page drives the sandbox: Host, Origin and content type on every route.

A web page the developer visits can reach 127.0.0.1, but never by the sandbox's
own name (DNS rebinding: 421 on every route), and a state-changing control
request from another origin, a form or a ``text/plain`` body changes nothing.
In-process and through the ASGI app here; a real browser in ``make ui-check``.
"""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from ziett.sandbox import Sandbox, create_app, serve_in_thread
from ziett.sandbox._control import CONTROL_ROUTES
from ziett.sandbox._guard import host_of, own_names

from .conftest import message_body, send

POSTS = [route.template for route in CONTROL_ROUTES if route.method == "POST"]
GETS = [route.template for route in CONTROL_ROUTES if route.method == "GET"]
BODIES = {
    "/_sandbox/top_up": {"amount": "5"},
    "/_sandbox/advance": {"steps": 1},
    "/_sandbox/inject": {"fault": 503},
    "/_sandbox/remitters": {"name": "Evil"},
    "/_sandbox/messages/{message_id}/fail": {"status": "FAILED"},
}


@pytest.fixture
def sb() -> Sandbox:
    """On the real clock, moving only when told to, with one PENDING message to act on."""
    return Sandbox(auto_advance=False)


def _everything(sb: Sandbox) -> Any:
    return sb.snapshot(), sb.messages, sb.campaigns


def _path(template: str, message_id: str) -> str:
    return template.replace("{message_id}", message_id)


# --- Foreign requests change nothing -------------------------------------------------------------

FOREIGN = {
    "a form (urlencoded)": {"Content-Type": "application/x-www-form-urlencoded"},
    "a form (multipart)": {"Content-Type": "multipart/form-data; boundary=x"},
    "a text/plain POST": {"Content-Type": "text/plain"},
    "JSON without a content type": {},
    "JSON from another origin": {
        "Content-Type": "application/json",
        "Origin": "http://127.0.0.1:9999",
    },
    "JSON from a sandboxed frame": {"Content-Type": "application/json", "Origin": "null"},
    "JSON from another site": {"Content-Type": "application/json", "Sec-Fetch-Site": "cross-site"},
    "JSON from another port": {"Content-Type": "application/json", "Sec-Fetch-Site": "same-site"},
    "a no-cors POST without a body": {"Origin": "http://evil.example"},
}


@pytest.mark.parametrize("template", POSTS)
@pytest.mark.parametrize("how", list(FOREIGN))
def test_no_foreign_request_changes_the_state(
    sb: Sandbox, api: httpx.Client, template: str, how: str
) -> None:
    message_id = send(api, sb)
    before = _everything(sb)
    headers = FOREIGN[how]
    body = (
        b""
        if how.startswith("a no-cors")
        else httpx.Request("POST", "/", json=BODIES.get(template, {})).content
    )
    if "form" in how:
        body = b"amount=5&steps=1&fault=503&name=Evil"
    response = api.post(_path(template, message_id), content=body, headers=headers)
    assert response.status_code in (403, 415), (how, response.text)
    assert response.json()["service"] == "sandbox"
    assert _everything(sb) == before
    assert not any(name.lower().startswith("access-control-") for name in response.headers)


@pytest.mark.parametrize("template", POSTS)
def test_the_sandboxs_own_page_and_non_browser_clients_drive_every_route(
    sb: Sandbox, api: httpx.Client, template: str
) -> None:
    own_page = {"Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"}
    for headers in (own_page, {}):
        sb.reset()
        message_id = send(api, sb)
        path = _path(template, message_id)
        response = api.post(path, json=BODIES.get(template, {}), headers=headers)
        assert response.status_code in (200, 201), (headers, response.text)
    assert api.post("/_sandbox/drain").status_code == 200  # no body, no content type: curl -X POST


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://evil.example"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},  # another port of 127.0.0.1
    ],
)
def test_a_foreign_page_reaches_no_api_route_not_even_the_request_log(
    sb: Sandbox, api: httpx.Client, headers: dict[str, str]
) -> None:
    sb.inject(503)
    before = _everything(sb)
    for method, path in [("POST", "/c/v1/messages"), ("GET", "/c/v1/messages")]:
        body = message_body(sb) if method == "POST" else None
        response = api.request(method, path, json=body, headers=headers)
        assert response.status_code == 403, response.text
        assert response.json()["code"] == "CROSS_ORIGIN_REFUSED"
    assert _everything(sb) == before  # nothing sent, logged, or drawn from the faults
    assert sb.requests == [] and sb.snapshot()["pending_faults"] == 1
    assert api.get("/c/v1/messages", headers={"Sec-Fetch-Site": "same-origin"}).status_code == 503


# --- Host: every route, over the ASGI app --------------------------------------------------------


@pytest.fixture
async def web(sb: Sandbox) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_app(sb, allowed_hosts=["Sandbox.LAN."]))
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8080") as web:
        yield web


EVERY_ROUTE = [
    *[("GET", path) for path in ["/", "/inbox.js", "/_sandbox/events", *GETS, "/c/v1/messages"]],
    *[("POST", path) for path in [*POSTS, "/c/v1/messages"]],
]


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8080", "127.0.0.1.nip.io", ""])
async def test_a_foreign_host_is_refused_on_every_route(
    sb: Sandbox, api: httpx.Client, web: httpx.AsyncClient, host: str
) -> None:
    message_id = send(api, sb)  # a PENDING message, so the routes that finish one could act
    before = _everything(sb)
    headers = {"Host": host, "Content-Type": "application/json"}
    for method, template in EVERY_ROUTE:
        response = await web.request(
            method, _path(template, message_id), headers=headers, content=b"{}"
        )
        assert response.status_code == 421, (method, template, response.text)
        assert sb.api_key not in response.text and message_id not in response.text
        assert "--allow-host" in response.json()["message"]
    assert _everything(sb) == before


@pytest.mark.parametrize(
    "host",
    [
        "localhost",
        "localhost:8080",
        "127.0.0.1",
        "127.0.0.1:1234",
        "[::1]",
        "[::1]:8080",
        "LOCALHOST.",
        "sandbox.lan",
        "sandbox.lan:80",
    ],
)
async def test_the_sandboxs_own_names_are_served(web: httpx.AsyncClient, host: str) -> None:
    response = await web.get("/_sandbox/state", headers={"Host": host})
    assert response.status_code == 200
    assert (await web.get("/", headers={"Host": host})).status_code == 200


async def test_the_ip_address_a_connection_reached_is_an_own_name(sb: Sandbox) -> None:
    """Bound to 0.0.0.0, a LAN client reaches the socket's own address: served by IP.

    A name in the ASGI ``server`` (what an in-process transport puts there) proves
    nothing and is not trusted: it needs ``allowed_hosts``.
    """
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=create_app(sb)), base_url="http://192.168.1.20:8080"
    ) as lan:
        assert (await lan.get("/_sandbox/state")).status_code == 200
        assert (await lan.get("/_sandbox/state", headers={"Host": "other"})).status_code == 421
    for allowed, expected in (((), 421), (["sandbox"], 200)):
        app = create_app(sb, allowed_hosts=allowed)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as named:
            assert (await named.get("/_sandbox/state")).status_code == expected


async def test_no_response_grants_another_origin(sb: Sandbox, web: httpx.AsyncClient) -> None:
    origin = {"Origin": "http://evil.example"}
    preflight = {**origin, "Access-Control-Request-Method": "POST"}
    responses = [
        await web.options("/_sandbox/drain", headers=preflight),
        await web.get("/_sandbox/state", headers=origin),
        await web.get("/", headers=origin),
        await web.post("/c/v1/messages", json=message_body(sb), headers=origin),
    ]
    for response in responses:
        assert not any(name.lower().startswith("access-control-") for name in response.headers)


def test_host_header_parsing() -> None:
    assert host_of("LocalHost:8080") == "localhost"
    assert host_of("[::1]:80") == "::1"
    assert host_of("[::1]") == "::1"
    for malformed in ["", "a b", "evil.example@127.0.0.1", "[::1", "[::1]x", "h:port", "h/x"]:
        assert host_of(malformed) is None, malformed
    assert own_names("10.0.0.5", ["[fd00::1]", " "]) >= {"10.0.0.5", "fd00::1", "localhost"}


# --- Real HTTP -----------------------------------------------------------------------------------


def test_over_real_http_a_rebinding_page_reads_nothing_and_changes_nothing() -> None:
    with serve_in_thread(Sandbox(auto_advance=False), allowed_hosts=["sandbox.lan"]) as server:
        sb = server.sandbox
        port = server.base_url.rsplit(":", 1)[1]
        with httpx.Client(base_url=server.base_url, timeout=5) as client:
            rebound = {"Host": f"attacker.example:{port}"}
            state = client.get("/_sandbox/state", headers=rebound)
            assert state.status_code == 421 and sb.api_key not in state.text
            assert client.post("/_sandbox/drain", headers=rebound).status_code == 421
            assert sb.balance == 1000
            lan = client.get("/_sandbox/state", headers={"Host": f"sandbox.lan:{port}"})
            assert lan.json()["api_key"] == sb.api_key
            form = {"Origin": f"http://127.0.0.1:{int(port) + 1}"}
            assert client.post("/_sandbox/drain", headers=form).status_code == 403
            assert client.post("/_sandbox/drain").json()["balance"] == "0.00"


def test_bound_to_every_interface_the_printed_url_still_works() -> None:
    with serve_in_thread(Sandbox(auto_advance=False), host="0.0.0.0") as server:
        assert server.base_url.startswith("http://0.0.0.0:")
        assert httpx.get(f"{server.base_url}/_sandbox/state", timeout=5).status_code == 200
        foreign = {"Host": "attacker.example"}
        response = httpx.get(f"{server.base_url}/_sandbox/state", headers=foreign, timeout=5)
        assert response.status_code == 421


def test_an_absolute_form_request_is_answered_not_crashed() -> None:
    with serve_in_thread() as server:
        address = urlsplit(server.base_url)
        assert address.hostname is not None and address.port is not None
        for host, status in ((b"127.0.0.1", b" 401 "), (b"api.ziett.invalid", b" 421 ")):
            with socket.create_connection((address.hostname, address.port)) as conn:
                conn.sendall(
                    b"GET http://%s/c/v1/messages HTTP/1.1\r\nHost: %s\r\n\r\n" % (host, host)
                )
                assert status in conn.recv(64).split(b"\r\n")[0] + b" "
