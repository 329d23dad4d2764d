"""`make conformance`: openapi.yaml checked by tools we did not write.

schemathesis runs every operation of openapi.yaml against the sandbox server with all
its checks; Stoplight Prism (``@stoplight/prism-cli`` 5.14.x) serves openapi.yaml as a
validating mock in ``--errors`` mode and every SDK operation, sync and async, runs
against it (a violation is a 4xx or an ``sl-violations`` header).

Usage: python conformance/run.py [schemathesis|prism]   (both by default)
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

import ziett

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "openapi.yaml"
PRISM_VERSION = "5.14.2"  # 5.16 wants Node 24; the machines have Node 20
PRISM_DIR = ROOT / ".tools" / "prism"
REMITTER = "019b4b56-e704-7c30-83a0-527df63c3e00"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_for_port(port: int, process: subprocess.Popen[Any], seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited early with status {process.returncode}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise SystemExit(f"nothing listened on 127.0.0.1:{port} within {seconds} s")


@contextmanager
def running(command: list[str], port: int, **kwargs: Any) -> Iterator[subprocess.Popen[Any]]:
    process = subprocess.Popen(command, **kwargs)
    try:
        wait_for_port(port, process)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


# --- schemathesis -------------------------------------------------------------------------------


def run_schemathesis() -> int:
    """Every operation, every check, against the sandbox server; its exit status."""
    port = free_port()
    server = [sys.executable, "-m", "ziett.sandbox", "--port", str(port), "--log-level", "warning"]
    server += ["--no-rate-limits", "--balance", "1000000000"]
    with running(server, port, stdout=subprocess.PIPE, text=True) as process:
        banner = read_banner(process)
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "SCHEMATHESIS_HOOKS": "conformance.schemathesis_hooks",
            "ZIETT_SANDBOX_REMITTER_ID": banner["sender ID"],
        }
        command = [str(Path(sys.executable).parent / "st"), "run", str(SPEC)]
        command += ["--url", f"http://127.0.0.1:{port}", "-H", f"X-API-KEY: {banner['API key']}"]
        # One worker: hypothesis's lambda-source cache is not thread-safe (a KeyError from
        # hypothesis/internal/lambda_sources.py was seen once with two workers).
        command += ["--checks", "all", "--max-examples", "25", "--workers", "1", "--no-color"]
        command += ["--seed", "20261123"]
        print("$", " ".join(command[1:]).replace(banner["API key"], "***"), flush=True)
        return subprocess.run(command, env=env, cwd=ROOT).returncode


def read_banner(process: subprocess.Popen[Any]) -> dict[str, str]:
    banner: dict[str, str] = {}
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith("Press Ctrl+C"):
            break
        key, _, value = line.strip().partition("  ")
        banner[key.strip()] = value.strip()
    return banner


# --- Prism --------------------------------------------------------------------------------------


def prism_executable() -> Path:
    """Prism from the npm registry, installed once under .tools/prism."""
    executable = PRISM_DIR / "node_modules" / ".bin" / "prism"
    if not executable.exists():
        npm = shutil.which("npm")
        if npm is None:
            raise SystemExit("npm is needed for Prism (Node.js 20 with npm)")
        subprocess.run(
            [
                *(npm, "install", "--prefix", str(PRISM_DIR)),
                f"@stoplight/prism-cli@{PRISM_VERSION}",
                *("--no-audit", "--no-fund", "--loglevel=error"),
            ],
            check=True,
        )
    return executable


def sdk_calls(client: Any) -> dict[str, Callable[[], Any]]:
    """Every operation of the SDK once, with the arguments a user would pass."""
    since = datetime(2026, 1, 1, tzinfo=UTC)
    filters = {
        "status": ["SENT", "FAILED"],
        "channel_type": "SMS",
        "created_at__ge": since,
        "created_at__le": datetime.now(UTC),
        "remitter_id": REMITTER,
        "contact_id": REMITTER,
        "trigger_source": "API_CLIENT",
        "channel_destination": "UNITEL",
        "q": "+2449",
        "order": "asc",
        "order_by": "updated_at",
        "page_size": 200,
    }
    batch = {
        "name": "Black Friday",
        "remitter_id": REMITTER,
        "content": "Flash Sale!",
        "recipients": ["+244990000001", "990000002"],
        "country_alpha2": "AO",
    }
    save_contact = {"name": "Ana", "email": "ana@example.com", "tags": ["Premium"]}
    send = {"remitter_id": REMITTER, "target_e164": "+244990090990", "content": "Code 482910"}
    return {
        "messages.send": lambda: client.messages.send(**send, save_contact=save_contact),
        "messages.retrieve": lambda: client.messages.retrieve(REMITTER),
        "messages.list": lambda: client.messages.list(campaign_id=REMITTER, **filters),
        "campaigns.create_batch": lambda: client.campaigns.create_batch(**batch),
        "campaigns.retrieve": lambda: client.campaigns.retrieve(REMITTER),
        "campaigns.list": lambda: client.campaigns.list(order="desc", page_size=50),
        "campaigns.list_messages": lambda: client.campaigns.list_messages(REMITTER, **filters),
    }


def run_prism() -> int:
    """Every SDK operation, sync and async, against Prism's validating mock."""
    port = free_port()
    command = [str(prism_executable()), "mock", str(SPEC), "--errors", "-h", "127.0.0.1"]
    command += ["-p", str(port)]
    violations: list[str] = []

    def record(response: httpx.Response) -> None:
        flagged = response.headers.get("sl-violations")
        if flagged or response.status_code >= 400:
            violations.append(f"{response.request.method} {response.request.url}: {flagged}")

    base_url = f"http://127.0.0.1:{port}"
    settings: dict[str, Any] = {"api_key": "zk_test_prism", "base_url": base_url, "max_retries": 0}
    with running(command, port, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT):
        with ziett.Ziett(
            **settings, http_client=httpx.Client(event_hooks={"response": [record]})
        ) as client:
            failures = [check(name, call) for name, call in sdk_calls(client).items()]
        failures += asyncio.run(run_async(settings, record))
    failures = [f for f in failures if f] + violations
    for failure in failures:
        print("FAIL", failure)
    print(f"prism: {len(failures)} failure(s) across every SDK operation, sync and async")
    return 1 if failures else 0


def check(name: str, call: Callable[[], Any]) -> str | None:
    try:
        result = call()
        if hasattr(result, "__iter__") and not isinstance(result, dict):
            list(result)
    except ziett.ZiettError as error:
        return f"sync {name}: {error}"
    print(f"ok   sync  {name}")
    return None


async def run_async(
    settings: dict[str, Any], record: Callable[[httpx.Response], None]
) -> list[str]:
    async def hook(response: httpx.Response) -> None:
        record(response)

    failures: list[str] = []
    http = httpx.AsyncClient(event_hooks={"response": [hook]})
    async with ziett.AsyncZiett(**settings, http_client=http) as client:
        for name, call in sdk_calls(client).items():
            try:
                result = call()
                if hasattr(result, "__aiter__"):
                    [item async for item in result]
                else:
                    await result
            except ziett.ZiettError as error:
                failures.append(f"async {name}: {error}")
                continue
            print(f"ok   async {name}")
    await http.aclose()
    return failures


def main(argv: list[str]) -> int:
    selected = argv or ["schemathesis", "prism"]
    runners = {"schemathesis": run_schemathesis, "prism": run_prism}
    status = 0
    for name in selected:
        print(f"== {name}", flush=True)
        status |= runners[name]()
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
