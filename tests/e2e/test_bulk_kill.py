"""kill -9 a bulk send at random points, many times, then resume it: each number once.

A child process sends a 5,000-row audience (duplicates in three spellings,
unreadable rows) with ``campaigns.send_bulk`` and a journal file, against
``python -m ziett.sandbox`` over real HTTP. The test SIGKILLs it after a random
delay, again and again, each time starting the same call with the same
journal, then lets a last run finish. Every valid distinct number must then
have exactly one message in the sandbox, and the campaigns must be the chunks.
The same under drop-after-commit and 5xx faults injected on the batch route.
Runs in ``make e2e`` (``ZIETT_E2E=1``).
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import SandboxProcess

KILLS = 12
NUMBERS = [f"+24499{i:07d}" for i in range(4_200)]
CHILD = textwrap.dedent(
    """
    import json, sys
    import ziett
    from ziett.jobs import bulk

    bulk.SETTLE_DELAY = 0.3
    rows = json.load(open(sys.argv[1]))
    with ziett.Ziett(rate_limits={}) as client:
        report = client.campaigns.send_bulk(
            name="Black Friday",
            remitter_id=sys.argv[3],
            content="50% off this weekend only.",
            recipients=rows,
            country_alpha2="AO",
            journal=sys.argv[2],
        )
    print(json.dumps({"accepted": report.accepted, "campaigns": report.campaign_ids}))
    """
)


@pytest.fixture
def sandbox() -> Iterator[SandboxProcess]:
    server = SandboxProcess("--no-rate-limits", "--balance", "100000000")
    yield server
    server.stop()


def audience(tmp_path: Path) -> Path:
    rows: list[object] = list(NUMBERS)
    for number in NUMBERS[:400]:  # three spellings of one phone
        rows += [number[4:], f"00244 {number[4:7]} {number[7:10]} {number[10:]}"]
    rows += ["not a phone", "12", "+1", "☎ 990 000 001"] * 50
    random.Random(7).shuffle(rows)
    assert len(rows) == 5_200
    path = tmp_path / "rows.json"
    path.write_text(json.dumps(rows))
    return path


def start(sandbox: SandboxProcess, tmp_path: Path, rows: Path) -> subprocess.Popen[str]:
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    env = {**os.environ, "ZIETT_API_KEY": sandbox.api_key, "ZIETT_BASE_URL": sandbox.base_url}
    return subprocess.Popen(
        [sys.executable, str(script), str(rows), str(tmp_path / "job.ziett"), sandbox.remitter_id],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def inject(sandbox: SandboxProcess, fault: object, times: int) -> None:
    httpx.post(
        f"{sandbox.base_url}/_sandbox/inject",
        json={"fault": fault, "times": times, "method": "POST", "path": "/c/v1/campaigns/batch"},
    ).raise_for_status()


@pytest.mark.parametrize("faults", [False, True], ids=["kills", "kills and faults"])
def test_killed_at_random_points_and_resumed_each_number_gets_one_message(
    sandbox: SandboxProcess, tmp_path: Path, faults: bool
) -> None:
    rows = audience(tmp_path)
    chance = random.Random(1 if faults else 2)
    kills = 0
    finished = None
    for run in range(KILLS + 5):
        if faults and run % 3 == 0:
            inject(sandbox, chance.choice(["drop", 503, "drop"]), times=2)
        child = start(sandbox, tmp_path, rows)
        if kills < KILLS:
            time.sleep(chance.uniform(0.3, 2.5))  # importing, reading, journaling, sending
            if child.poll() is None:
                os.kill(child.pid, signal.SIGKILL)
                child.communicate()
                kills += 1
                continue
        out, err = child.communicate(timeout=300)
        if child.returncode == 0:
            finished = json.loads(out.strip().splitlines()[-1])
            break
        assert child.returncode in (1, -signal.SIGKILL), err  # a fault may stop a run
    assert finished is not None, "the job never finished"
    messages = httpx.get(f"{sandbox.base_url}/_sandbox/messages").json()
    sent = Counter(m["e164_format"] for m in messages)
    assert set(sent) == set(NUMBERS)
    assert set(sent.values()) == {1}, [n for n, c in sent.items() if c > 1][:5]
    assert finished["accepted"] == len(NUMBERS)
    campaigns = httpx.get(f"{sandbox.base_url}/_sandbox/campaigns").json()
    assert [c["id"] for c in campaigns] == finished["campaigns"]
    assert [c["name"] for c in campaigns] == [f"Black Friday ({i}/5)" for i in range(1, 6)]
