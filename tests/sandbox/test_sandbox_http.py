"""The control API, the ASGI app, real HTTP through serve_in_thread, and the CLI."""

from __future__ import annotations

import shlex
import sys
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
from typer.testing import CliRunner

from ziett.cli._app import app
from ziett.sandbox import DROPPED_MESSAGE, Sandbox, SandboxServer, create_app, serve_in_thread
from ziett.sandbox.__main__ import main

from ..conftest import SandboxProcess
from .conftest import async_sandbox_client, batch_body, message_body


@pytest.fixture
def sb() -> Sandbox:
    """On the real clock, moving only when told to."""
    return Sandbox(auto_advance=False)


# --- The control API -----------------------------------------------------------------------------


def test_control_state(sb: Sandbox, api: httpx.Client) -> None:
    state = api.get("/_sandbox/state", headers={"X-API-KEY": ""}).json()  # no auth needed
    assert state["balance"] == "1000.00"
    assert state["api_key"] == sb.api_key
    assert state["read_only_api_key"] == sb.read_only_api_key
    assert state["remitter_id"] == sb.remitter_id
    assert state["organization_id"] == sb.organization_id
    assert (state["messages"], state["campaigns"], state["pending_faults"]) == (0, 0, 0)
    assert state["rate_limits"] == {
        "POST /c/v1/messages": [120, 60.0],
        "POST /c/v1/campaigns/batch": [10, 60.0],
    }


def test_control_balance(sb: Sandbox, api: httpx.Client) -> None:
    assert api.post("/_sandbox/top_up", json={"amount": "2.50"}).json()["balance"] == "1002.50"
    assert api.post("/_sandbox/top_up", json={"amount": 1}).json()["balance"] == "1003.50"
    for bad in [{"amount": "-1"}, {"amount": "x"}, {}, {"amount": True}]:
        response = api.post("/_sandbox/top_up", json=bad)
        assert response.status_code == 422
        assert response.json()["service"] == "sandbox"
        assert list(response.json()["fields"]) == ["amount"]
    assert api.post("/_sandbox/drain").json()["balance"] == "0.00"
    assert api.post("/c/v1/messages", json=message_body(sb)).status_code == 402


def test_control_lifecycle(sb: Sandbox, api: httpx.Client) -> None:
    message_id = api.post("/c/v1/messages", json=message_body(sb)).json()["message_id"]
    assert api.post("/_sandbox/advance").status_code == 200
    assert api.get(f"/c/v1/messages/{message_id}").json()["status"] == "SENT"
    api.post("/c/v1/messages", json=message_body(sb, "+244990000013"))
    api.post("/_sandbox/advance", json={"steps": 2})
    assert [m["status"] for m in sb.messages] == ["DELIVERED", "FAILED"]
    assert api.post("/_sandbox/advance", json={"steps": 0}).status_code == 422
    api.post("/c/v1/messages", json=message_body(sb))
    state = api.post("/_sandbox/settle").json()
    assert state["messages"] == 3 and state["balance"] == "999.90"
    assert [m["status"] for m in api.get("/_sandbox/messages").json()] == [
        "DELIVERED",
        "FAILED",
        "DELIVERED",
    ]


def test_control_inject(sb: Sandbox, api: httpx.Client) -> None:
    body = {"fault": 503, "times": 2, "method": "GET", "path": "/c/v1/messages", "html": True}
    assert api.post("/_sandbox/inject", json=body).json()["pending_faults"] == 2
    assert api.get("/c/v1/messages").headers["content-type"].startswith("text/html")
    assert api.get("/c/v1/messages").status_code == 503
    api.post("/_sandbox/inject", json={"fault": 429, "retry_after": 9})
    assert api.get("/c/v1/messages").headers["Retry-After"] == "9"
    api.post("/_sandbox/inject", json={"fault": "drop"})
    with pytest.raises(httpx.RemoteProtocolError):
        api.post("/c/v1/messages", json=message_body(sb))
    assert len(sb.messages) == 1
    api.post("/_sandbox/inject", json={"fault": "slow", "seconds": 0})
    api.post("/_sandbox/inject", json={"fault": ["slow", 0]})
    assert api.get("/_sandbox/state").json()["pending_faults"] == 2
    for bad in [
        {"fault": "explode"},
        {"fault": 200},
        {"fault": "slow", "seconds": -1},
        {"fault": 500, "times": 0},
        {"fault": 500, "method": 5},
        {"fault": 429, "retry_after": [1]},
        {},
    ]:
        response = api.post("/_sandbox/inject", json=bad)
        assert response.status_code == 422, bad


def test_control_reset_and_listings(sb: Sandbox, api: httpx.Client) -> None:
    api.post("/c/v1/messages", json=message_body(sb))
    api.post("/c/v1/campaigns/batch", json=batch_body(sb))
    assert [c["status"] for c in api.get("/_sandbox/campaigns").json()] == ["PROCESSING"]
    assert api.get("/_sandbox/requests").json() == [
        {"method": "POST", "path": "/c/v1/messages"},
        {"method": "POST", "path": "/c/v1/campaigns/batch"},
    ]
    state = api.post("/_sandbox/reset").json()
    assert (state["messages"], state["campaigns"], state["balance"]) == (0, 0, "1000.00")
    assert state["api_key"] == sb.api_key


def test_control_add_remitter(sb: Sandbox, api: httpx.Client) -> None:
    response = api.post("/_sandbox/remitters", json={"name": "ACME"})
    assert response.status_code == 201
    remitter = response.json()
    assert remitter["name"] == "ACME"
    body = {**message_body(sb), "remitter_id": remitter["id"]}
    assert api.post("/c/v1/messages", json=body).status_code == 202
    assert api.post("/_sandbox/remitters", json={}).status_code == 422


def test_control_routing_errors(api: httpx.Client) -> None:
    assert api.get("/_sandbox/nothing").status_code == 404
    response = api.get("/_sandbox/reset")
    assert response.status_code == 405 and response.headers["Allow"] == "POST"
    response = api.post("/_sandbox/top_up", content=b"{", headers={"Content-Type": "text/plain"})
    assert response.status_code == 415  # only JSON drives the sandbox (no form, no text/plain)
    response = api.post(
        "/_sandbox/top_up", content=b"{", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422


# --- The ASGI app in-process ---------------------------------------------------------------------


async def test_the_asgi_app_converts_requests_and_responses(sb: Sandbox) -> None:
    async with async_sandbox_client(sb, httpx.ASGITransport(app=create_app(sb))) as api:
        response = await api.post("/c/v1/messages", json=message_body(sb))
        assert response.status_code == 202
        await api.post("/c/v1/messages", json=message_body(sb, "+244990000013"))
        sb.advance()
        response = await api.get("/c/v1/messages", params={"status": ["FAILED", "SENT"]})
        assert response.json()["total"] == 2
        response = await api.get("/c/v1/messages?q=%2B244990000013")
        assert response.json()["total"] == 1
        sb.inject(429, retry_after=4)
        response = await api.get("/c/v1/messages")
        assert (response.status_code, response.headers["Retry-After"]) == (429, "4")
        assert (await api.get("/c/v1/messages", headers={"X-API-KEY": "x"})).status_code == 401
        assert (await api.get("/_sandbox/state")).json()["messages"] == 2
        sb.inject("drop")
        with pytest.raises(httpx.RemoteProtocolError, match=DROPPED_MESSAGE):
            await api.get("/c/v1/messages")


# --- Real HTTP -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server() -> Iterator[SandboxServer]:
    with serve_in_thread(Sandbox(rate_limits={})) as served:
        yield served


@pytest.fixture
def remote(server: SandboxServer) -> Iterator[httpx.Client]:
    server.sandbox.reset()
    headers = {"X-API-KEY": server.sandbox.api_key}
    with httpx.Client(base_url=server.base_url, headers=headers, timeout=5) as client:
        yield client


def test_serve_in_thread_serves_the_api_on_loopback(
    server: SandboxServer, remote: httpx.Client
) -> None:
    assert server.base_url.startswith("http://127.0.0.1:")
    sb = server.sandbox
    response = remote.post("/c/v1/messages", json=message_body(sb))
    assert response.status_code == 202
    message = remote.get(f"/c/v1/messages/{response.json()['message_id']}").json()
    assert message == sb.messages[0]
    assert remote.get("/_sandbox/state").json()["balance"] == "999.95"
    sb.inject(503, html=True)
    response = remote.get("/c/v1/messages")
    assert response.status_code == 503 and "<html>" in response.text


def test_a_drop_over_http_is_a_real_disconnect(server: SandboxServer, remote: httpx.Client) -> None:
    sb = server.sandbox
    remote.post("/_sandbox/inject", json={"fault": "drop", "method": "POST"})
    with pytest.raises(httpx.RemoteProtocolError, match=DROPPED_MESSAGE):
        remote.post("/c/v1/messages", json=message_body(sb))
    assert len(sb.messages) == 1  # processed before the connection was dropped
    sb.inject("drop_before")
    with pytest.raises(httpx.RemoteProtocolError, match=DROPPED_MESSAGE):
        remote.post("/c/v1/messages", json=message_body(sb))
    assert len(sb.messages) == 1
    assert remote.get("/c/v1/messages").json()["total"] == 1  # a new connection works


def test_a_slow_answer_does_not_block_the_server(
    server: SandboxServer, remote: httpx.Client
) -> None:
    """While one answer is held back for 5 s, another request is answered (within 2 s)."""
    server.sandbox.inject(("slow", 5.0), path="/c/v1/messages")
    outcome: list[BaseException] = []

    def slow_call() -> None:
        try:
            remote.get("/c/v1/messages", timeout=0.1)
        except httpx.ReadTimeout as exc:
            outcome.append(exc)

    caller = threading.Thread(target=slow_call)
    caller.start()
    time.sleep(0.02)
    with httpx.Client(base_url=server.base_url, timeout=2.0) as other:
        # A blocked server would hold this one until the slow answer (5 s): a timeout here.
        assert other.get("/_sandbox/state").status_code == 200
    caller.join()
    assert len(outcome) == 1


# --- The CLI -------------------------------------------------------------------------------------


def test_the_cli_prints_what_a_client_needs_then_serves() -> None:
    server = SandboxProcess("--no-rate-limits", "--balance", "5")  # reads the printed banner
    try:
        url, key, sender = server.base_url, server.api_key, server.remitter_id
        assert url.startswith("http://127.0.0.1:") and key.startswith("zk_test_")
        assert server.banner["rate limits"] == "off"
        assert server.banner["inbox"] == f"{url}/"
        assert httpx.get(server.banner["inbox"]).headers["content-type"].startswith("text/html")
        body = {"remitter_id": sender, "channel_type": "SMS", "target_e164": "+244990090990"}
        body["content"] = "Hello"
        with httpx.Client(base_url=url, headers={"X-API-KEY": key}, timeout=5) as client:
            assert client.post("/c/v1/messages", json=body).status_code == 202
            assert client.get("/_sandbox/state").json()["balance"] == "4.95"
    finally:
        server.stop()


SENDER = "0190a1b2-0000-7000-8000-000000000001"


def test_the_cli_starts_the_same_way_every_time_and_prints_the_exports() -> None:
    server = SandboxProcess(
        "--api-key", "zk_test_fixed_key", "--remitter", SENDER, "--balance", "12.50"
    )
    try:
        assert (server.api_key, server.remitter_id) == ("zk_test_fixed_key", SENDER)
        assert server.banner["read-only key"] == "zk_test_fixed_key_read_only"
        (exports,) = [line for line in server.banner if line.startswith("export ")]
        assert shlex.split(exports) == [
            "export",
            "ZIETT_API_KEY=zk_test_fixed_key",
            f"ZIETT_BASE_URL={server.base_url}",
            f"ZIETT_REMITTER_ID={SENDER}",
        ]
        assert server.state()["balance"] == "12.50"
    finally:
        server.stop()


@pytest.mark.parametrize(
    ("option", "value", "said"),
    [
        ("--api-key", "zk_live_0123456789abcdef", "live key"),
        ("--api-key", "has space", "printable"),
        ("--remitter", "sender-1", "UUID"),
    ],
)
def test_the_cli_refuses_a_key_or_sender_it_cannot_start_with(
    option: str, value: str, said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([option, value])
    assert exit_info.value.code == 2
    assert said in capsys.readouterr().err


def test_the_cli_explains_how_to_get_uvicorn(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "uvicorn", None)
    assert main(["--port", "0"]) == 1
    assert "pip install 'ziett[sandbox]'" in capsys.readouterr().err
    with pytest.raises(ImportError, match=r"ziett\[sandbox\]"), serve_in_thread():
        pass  # pragma: no cover


def test_the_cli_refuses_a_bad_balance(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--balance", "lots"])
    assert exit_info.value.code == 2
    assert "not a decimal amount" in capsys.readouterr().err


def test_the_cli_reports_a_busy_port(
    server: SandboxServer, capsys: pytest.CaptureFixture[str]
) -> None:
    port = server.base_url.rsplit(":", 1)[1]
    assert main(["--port", port]) == 1
    assert "Cannot listen" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--api-key", "zk_live_0123456789abcdef"], "--api-key: api_key must not be a live key"),
        (["--remitter", "sender-1"], "--remitter: remitter_id must be a UUID"),
        (["--balance", "-1"], "--balance must be a non-negative amount"),
        (["--balance", "lots"], "--balance must be a non-negative amount"),
    ],
)
def test_ziett_sandbox_refuses_bad_options_in_one_line(args: list[str], said: str) -> None:
    result = CliRunner().invoke(app, ["sandbox", *args], prog_name="ziett")
    assert result.exit_code == 2
    assert said in result.output


def test_ziett_sandbox_passes_every_option_on(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[list[str]] = []
    monkeypatch.setattr("ziett.sandbox.__main__.main", lambda argv: seen.append(argv) or 0)
    options = ["--api-key", "zk_test_fixed_key", "--remitter", SENDER, "--balance", "3"]
    options += ["--allow-host", "sandbox.lan", "--port", "0"]
    result = CliRunner().invoke(app, ["sandbox", *options], prog_name="ziett")
    assert result.exit_code == 0, result.output
    (argv,) = seen
    for name in ("--api-key", "--remitter", "--balance", "--allow-host"):
        assert argv[argv.index(name) + 1] == options[options.index(name) + 1]
