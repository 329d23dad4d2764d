"""A fleet of processes sharing one key's budget through a real Redis (``make e2e``).

Separate processes all the way: a sandbox server enforcing a scaled send limit
(``python -m ziett.sandbox --limit``), a ``redis-server``, and four worker
processes of ``bench.fleet`` (two async, two sync), released at once. Checked:
600 sends without a single 429 under the shared budget; Redis killed mid-run
(and back later) while sends go on, none lost or sent twice; the prefork recipe
sharing the budget of its forked workers.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis

from bench.fleet import run_fleet

from ..conftest import SandboxProcess
from ..redis_server import RedisServer, redis_server_path

ROOT = Path(__file__).resolve().parents[2]
ROUTE = "POST /c/v1/messages"
LIMIT = (100, 2.0)  # the documented 120/min, scaled so that 600 sends take seconds
WORKERS = 4
SENDS = 150

pytestmark = pytest.mark.skipif(redis_server_path() is None, reason="needs redis-server")


@pytest.fixture
def store() -> Iterator[RedisServer]:
    with RedisServer() as running:
        yield running


@pytest.fixture
def sandbox() -> Iterator[SandboxProcess]:
    running = SandboxProcess("--limit", f"{ROUTE}={LIMIT[0]}/{LIMIT[1]}")
    yield running
    running.stop()


def accepted_recipients(sandbox: SandboxProcess) -> list[str]:
    messages: list[dict[str, Any]] = httpx.get(f"{sandbox.base_url}/_sandbox/messages").json()
    return [message["e164_format"] for message in messages]


def test_four_processes_share_one_budget_without_a_429(
    store: RedisServer, sandbox: SandboxProcess
) -> None:
    outcome = run_fleet(
        sandbox.base_url,
        sandbox.api_key,
        sends=[SENDS] * WORKERS,
        limit=LIMIT,
        store=store.url,
        remitter_id=sandbox.remitter_id,
        max_retries=0,  # a 429 would be an error, not hidden by a retry
        flavours=("async", "sync"),
    )
    assert outcome.failed_workers == []
    assert dict(outcome.errors) == {}, outcome
    assert outcome.warned == 0
    assert outcome.ok == WORKERS * SENDS
    recipients = accepted_recipients(sandbox)
    assert len(recipients) == len(set(recipients)) == WORKERS * SENDS


def test_sends_go_on_when_redis_dies_mid_run(store: RedisServer, sandbox: SandboxProcess) -> None:
    def kill_then_revive() -> None:
        deadline = time.monotonic() + 120
        while len(accepted_recipients(sandbox)) < 150:  # well into the run
            assert time.monotonic() < deadline, "the fleet never got going"
            time.sleep(0.05)
        store.kill()
        time.sleep(3.0)  # every worker notices and paces on its own meanwhile
        store.start()  # back on the same port, empty; workers return after their cool-down

    outcome = run_fleet(
        sandbox.base_url,
        sandbox.api_key,
        sends=[SENDS] * WORKERS,
        limit=LIMIT,
        store=store.url,
        remitter_id=sandbox.remitter_id,
        # Four processes pacing alone provoke 429s: those were not processed and are retried.
        max_retries=50,
        flavours=("async", "sync"),
        while_sending=kill_then_revive,
    )
    assert outcome.failed_workers == []
    assert dict(outcome.errors) == {}, outcome
    # Those that needed the store while it was gone paced on their own, and said so (a
    # worker whose bookings all fell before the kill or after the return had no need).
    assert outcome.warned >= 1
    recipients = accepted_recipients(sandbox)
    assert len(recipients) == WORKERS * SENDS  # nothing lost, nothing sent twice
    assert len(set(recipients)) == WORKERS * SENDS
    assert outcome.ok == WORKERS * SENDS
    # The store was used again after it came back (its statistics started at zero then).
    stats: dict[str, Any] = redis.Redis.from_url(store.url).info("commandstats")
    assert stats["cmdstat_evalsha"]["calls"] > 0


def test_the_prefork_recipe_shares_the_budget_of_its_workers(store: RedisServer) -> None:
    sandbox = SandboxProcess()  # the documented limits: 120 sends a minute per key
    try:
        environment = {
            **os.environ,
            "ZIETT_API_KEY": sandbox.api_key,
            "ZIETT_BASE_URL": sandbox.base_url,
            "ZIETT_REMITTER_ID": sandbox.remitter_id,
        }
        recipe = ["examples/prefork_worker.py", "--workers", "4", "--jobs", "20"]
        result = subprocess.run(
            [sys.executable, *recipe, "--rate-limit-store", store.url],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
        )
        recipients = accepted_recipients(sandbox)
    finally:
        sandbox.stop()
    assert result.returncode == 0, result.stderr
    assert "RateLimitStoreWarning" not in result.stderr
    assert len(recipients) == len(set(recipients)) == 20
    # Every worker booked its sends in the one shared budget.
    (key,) = redis.Redis.from_url(store.url, decode_responses=True).keys("ziett:ratelimit:*")
    assert redis.Redis.from_url(store.url).zcard(key) == 20
