"""The recipes of examples/ and docs/regenerating.md, each run the way its reader would.

The web apps run in-process against the ``ziett_sandbox`` fixture; the scripts run
as real subprocesses against ``python -m ziett.sandbox``; the regeneration
walkthrough is performed on a scratch copy of the repository.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from aiohttp.test_utils import TestClient as AiohttpTestClient
from aiohttp.test_utils import TestServer
from fastapi.testclient import TestClient

import ziett
from ziett.testing import ZiettSandbox

from .conftest import SandboxProcess

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
PHONE = "+244990090990"
OTP = re.compile(r"Your verification code is \d{6}\.")


def load(name: str) -> ModuleType:
    """examples/<name>.py as a module (examples/ is not a package)."""
    module_name = f"ziett_recipe_{name}"
    if module_name in sys.modules:
        return sys.modules[module_name]
    spec = importlib.util.spec_from_file_location(module_name, EXAMPLES / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module


fastapi_app = load("fastapi_app")
aiohttp_app = load("aiohttp_app")
send_campaign = load("send_campaign")
prefork_worker = load("prefork_worker")


# --- the web apps: the same cases for FastAPI and aiohttp -----------------------------------


def on_send(*fault: Any, **options: Any) -> Callable[[ZiettSandbox], None]:
    """Inject a fault into the next send."""
    return lambda sandbox: sandbox.inject(*fault, method="POST", path="/c/v1/messages", **options)


@dataclass(frozen=True)
class Case:
    """A way to break the sandbox, and what ``POST /signup`` must then answer."""

    setup: Callable[[ZiettSandbox], None]
    status: int
    detail: str
    phone: str = PHONE
    fields: frozenset[str] = frozenset()
    retry_after: str | None = None
    max_retries: int = 2


ERROR_CASES = {
    "no funds": Case(lambda sandbox: sandbox.drain(), 503, "messaging unavailable"),
    "invalid phone": Case(
        lambda sandbox: None, 400, "invalid request", phone="12345", fields=frozenset({"phone"})
    ),
    # A Retry-After above max_retry_after (60 s) is not slept: raised at once.
    "rate limited": Case(
        on_send(429, retry_after=120), 429, "too many requests", retry_after="120"
    ),
    # A short one is waited out and retried, unless the app turns retries off.
    "rate limited, no retries": Case(
        on_send(429, retry_after=1), 429, "too many requests", retry_after="1", max_retries=0
    ),
    "server error": Case(on_send(500), 502, "messaging failed"),
    "connection dropped": Case(on_send("drop"), 503, "messaging unavailable"),
}


def check_answer(case: Case, status: int, body: dict[str, Any], headers: Any) -> None:
    assert (status, body["detail"]) == (case.status, case.detail), body
    assert set(body.get("fields", {})) == case.fields
    assert all(body.get("fields", {}).values())
    assert headers.get("Retry-After") == case.retry_after


def mapped(app_module: ModuleType, error: ziett.ZiettError) -> tuple[int, Any, Any]:
    """Status, JSON body and headers of the app's answer to ``error``."""
    response = app_module.error_response(error)
    if app_module is fastapi_app:
        return response.status_code, json.loads(response.body), response.headers
    return response.status, json.loads(response.text), response.headers


@pytest.mark.parametrize("app_module", [fastapi_app, aiohttp_app], ids=["fastapi", "aiohttp"])
@pytest.mark.parametrize(
    ("error", "status", "retry_after"),
    [
        (ziett.RateLimitError("slow down", status_code=429, retry_after=1.2), 429, "2"),
        (ziett.RateLimitError("slow down", status_code=429), 429, None),
        (ziett.ValidationError("bad", fields={"target_e164": "Not E.164."}), 400, None),
        (ziett.InvalidRequestError("bad", fields={"target_e164": "Not E.164."}), 400, None),
        (ziett.ValidationError("bad", status_code=422, fields={"remitter_id": "?"}), 502, None),
        (ziett.InsufficientFundsError("no credit", status_code=402), 503, None),
        (ziett.APITimeoutError("timed out"), 503, None),
        (ziett.AuthenticationError("revoked", status_code=401), 502, None),
        (ziett.InternalServerError("oops", status_code=500), 502, None),
    ],
)
def test_the_error_mapping(
    app_module: ModuleType, error: ziett.ZiettError, status: int, retry_after: str | None
) -> None:
    got_status, body, headers = mapped(app_module, error)
    assert got_status == status
    assert headers.get("Retry-After") == retry_after
    if status == 400:
        assert body["fields"] == {"phone": "Not E.164."}  # the app's name for the field


def test_fastapi_signup_sends_an_otp(ziett_sandbox: ZiettSandbox) -> None:
    app = fastapi_app.create_app(fastapi_app.Settings(remitter_id=ziett_sandbox.remitter_id))
    with TestClient(app) as http:
        client = app.state.ziett
        first = http.post("/signup", json={"phone": PHONE})
        second = http.post("/signup", json={"phone": "+244990090991"})
        assert app.state.ziett is client  # one client per application
    assert client._http_client is None  # closed on shutdown
    assert (first.status_code, second.status_code) == (202, 202)
    sent = ziett_sandbox.sent
    assert [m["e164_format"] for m in sent] == [PHONE, "+244990090991"]
    assert [m["id"] for m in sent] == [first.json()["message_id"], second.json()["message_id"]]
    assert all(OTP.fullmatch(m["content"]) for m in sent)


def test_fastapi_reads_the_remitter_from_the_environment(
    ziett_sandbox: ZiettSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZIETT_REMITTER_ID", ziett_sandbox.remitter_id)
    with TestClient(fastapi_app.create_app()) as http:
        assert http.post("/signup", json={"phone": PHONE}).status_code == 202
    assert len(ziett_sandbox.sent) == 1


@pytest.mark.parametrize("name", ERROR_CASES)
def test_fastapi_maps_ziett_errors(ziett_sandbox: ZiettSandbox, name: str) -> None:
    case = ERROR_CASES[name]
    case.setup(ziett_sandbox)
    settings = fastapi_app.Settings(ziett_sandbox.remitter_id, max_retries=case.max_retries)
    with TestClient(fastapi_app.create_app(settings)) as http:
        response = http.post("/signup", json={"phone": case.phone})
    check_answer(case, response.status_code, response.json(), response.headers)


async def test_aiohttp_signup_sends_an_otp(ziett_sandbox: ZiettSandbox) -> None:
    app = aiohttp_app.create_app(aiohttp_app.Settings(remitter_id=ziett_sandbox.remitter_id))
    async with AiohttpTestClient(TestServer(app)) as http:
        client = app[aiohttp_app.ZIETT]
        response = await http.post("/signup", json={"phone": PHONE})
        assert response.status == 202
        body = await response.json()
        missing = await http.post("/signup", data=b"not json")
        assert missing.status == 400
        assert set((await missing.json())["fields"]) == {"phone"}
    assert client._http_client is None  # closed at cleanup
    (sent,) = ziett_sandbox.sent
    assert sent["id"] == body["message_id"]
    assert sent["e164_format"] == PHONE
    assert OTP.fullmatch(sent["content"])


@pytest.mark.parametrize("name", ERROR_CASES)
async def test_aiohttp_maps_ziett_errors(ziett_sandbox: ZiettSandbox, name: str) -> None:
    case = ERROR_CASES[name]
    case.setup(ziett_sandbox)
    settings = aiohttp_app.Settings(ziett_sandbox.remitter_id, max_retries=case.max_retries)
    async with AiohttpTestClient(TestServer(aiohttp_app.create_app(settings))) as http:
        response = await http.post("/signup", json={"phone": case.phone})
        body = await response.json()
    check_answer(case, response.status, body, response.headers)


# --- the scripts, as subprocesses against `python -m ziett.sandbox` ------------------------


@pytest.fixture(scope="module")
def server() -> Iterator[SandboxProcess]:
    process = SandboxProcess()
    try:
        yield process
    finally:
        process.stop()
        if process.process.stdout is not None:  # stop() leaves the banner pipe open
            process.process.stdout.close()


@pytest.fixture
def sandbox(server: SandboxProcess) -> SandboxProcess:
    control(server, "reset")
    return server


def control(server: SandboxProcess, action: str) -> None:
    httpx.post(f"{server.base_url}/_sandbox/{action}").raise_for_status()


def run_recipe(
    server: SandboxProcess, script: str, *arguments: str
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "ZIETT_API_KEY": server.api_key,
        "ZIETT_BASE_URL": server.base_url,
        "ZIETT_REMITTER_ID": server.remitter_id,
    }
    return subprocess.run(
        [sys.executable, str(EXAMPLES / script), *arguments],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def write_numbers(path: Path, count: int) -> list[str]:
    """A CSV as exported from a spreadsheet: a header, a second column, blank rows."""
    numbers = [f"+24499{i:07d}" if i % 4 else f"99{i:07d}" for i in range(count)]
    with path.open("w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["phone", "name"])
        for i, number in enumerate(numbers):
            writer.writerow([number, f"Customer {i}"])
            if i % 1000 == 0:
                writer.writerow([])
    return numbers


def run_send_campaign(
    server: SandboxProcess, numbers_csv: Path
) -> subprocess.CompletedProcess[str]:
    """The campaign recipe over ``numbers_csv``, named "Promo", reading local numbers as AO."""
    return run_recipe(
        server, "send_campaign.py", str(numbers_csv), "--name", "Promo", "--country", "AO"
    )


def test_send_campaign_sends_2501_numbers_in_3_campaigns(
    sandbox: SandboxProcess, tmp_path: Path
) -> None:
    numbers = write_numbers(tmp_path / "numbers.csv", 2_501)
    result = run_send_campaign(sandbox, tmp_path / "numbers.csv")
    assert result.returncode == 0, result.stderr
    printed = re.findall(r"[0-9a-f]{8}-[0-9a-f-]{27}", result.stdout.splitlines()[-1])
    campaigns = httpx.get(f"{sandbox.base_url}/_sandbox/campaigns").json()
    assert printed == [c["id"] for c in campaigns]
    assert [re.sub(r" #[0-9a-f]{8}\Z", "", c["name"]) for c in campaigns] == [  # the job's mark
        "Promo (1/3)",
        "Promo (2/3)",
        "Promo (3/3)",
    ]
    messages = httpx.get(f"{sandbox.base_url}/_sandbox/messages").json()
    assert len(messages) == sandbox.state()["messages"] == len(numbers) == 2_501
    assert {m["e164_format"] for m in messages} == {
        n if n.startswith("+") else "+244" + n for n in numbers
    }
    assert "skipped 'phone'" in result.stderr  # the header row is not a number
    assert (tmp_path / "numbers.csv.ziett").exists()


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ("phone\n", "No valid recipient to send to (1 row(s), none readable (e.g. 'phone'"),
        ("phone\nAna\n12\n", "3 row(s), none readable"),
    ],
)
def test_send_campaign_refuses_a_file_without_numbers(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    rows: str,
    message: str,
) -> None:
    monkeypatch.setenv("ZIETT_API_KEY", "zk_test_0123456789abcdef")
    monkeypatch.setenv("ZIETT_BASE_URL", "http://127.0.0.1:9")  # never reached
    (tmp_path / "numbers.csv").write_text(rows)
    remitter = "019b4b56-e704-7c30-83a0-527df63c3e00"
    argv = [str(tmp_path / "numbers.csv"), "--name", "x", "--country", "AO"]
    assert send_campaign.main([*argv, "--remitter-id", remitter]) == 2
    assert message in capsys.readouterr().err


def test_send_campaign_without_a_key_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_numbers(tmp_path / "numbers.csv", 3)
    argv = [str(tmp_path / "numbers.csv"), "--name", "x", "--country", "AO", "--remitter-id", "r"]
    assert send_campaign.main(argv) == 2  # refused before anything was sent
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("send_campaign: ") and "ZIETT_API_KEY" in line
