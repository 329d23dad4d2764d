"""`ziett campaigns send` over real HTTP: Ctrl+C mid-job, then the printed command resumes it.

A subprocess paced to the documented 10 batch requests a minute: seconds of real time, so
`make test-slow` runs it.
"""

from __future__ import annotations

import json
import os
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ziett.sandbox import Sandbox, serve_in_thread


@pytest.fixture
def served() -> Iterator[Any]:
    # The server does not limit; the command's own client paces to the documented
    # 10 batch requests a minute, so an 11th batch waits there for a minute.
    with serve_in_thread(Sandbox(rate_limits={})) as server:
        yield server


def _command(*args: str) -> list[str]:
    return [sys.executable, "-m", "ziett.cli", *args]


def test_campaign_from_csv_interrupted_then_resumed(served: Any, tmp_path: Path) -> None:
    numbers = [f"+24499{i:07d}" for i in range(10_001)]  # 11 batches of about 909
    (tmp_path / "numbers.csv").write_text(
        "name,msisdn\n" + "".join(f"n{i},{n}\n" for i, n in enumerate(numbers)) + "x,12\n"
    )
    env = {
        **os.environ,
        "ZIETT_API_KEY": served.sandbox.api_key,
        "ZIETT_BASE_URL": served.base_url,
        "ZIETT_REMITTER_ID": served.sandbox.remitter_id,
    }
    args = ["campaigns", "send", "--file", "numbers.csv", "--name", "Big Sale", "--text", "Hi"]
    first = subprocess.Popen(
        _command(*args, "--yes"),
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while len(served.sandbox.campaigns) < 10 and first.poll() is None:
            assert time.monotonic() < deadline, "the first ten batches never arrived"
            time.sleep(0.05)
        time.sleep(1.0)  # the 11th batch waits a minute for the rate limit: nothing in flight
        first.send_signal(signal.SIGINT)
        out, err = first.communicate(timeout=30)
    finally:
        first.kill()
    assert first.returncode == 130, err
    assert "10,001" in out and "11 batch requests" in out and "about 60 s" in out
    assert "1 skipped" in out
    assert "Big-Sale.ziett-journal" in out and "Traceback" not in err
    resume = err.strip().splitlines()[-1].strip()
    # The same server: ZIETT_BASE_URL may differ (or be unset: production) when it is run.
    base = f"ziett --base-url {served.base_url} campaigns send"
    assert resume.startswith(f"{base} --file numbers.csv --name 'Big Sale'")
    assert served.sandbox.api_key not in resume
    assert resume.endswith("--journal Big-Sale.ziett-journal --yes")
    assert len(served.sandbox.campaigns) == 10

    again = subprocess.run(
        _command(*shlex.split(resume)[1:], "--json"),  # the command it printed
        cwd=tmp_path,
        env={**env, "ZIETT_BASE_URL": "http://127.0.0.1:9"},  # not this server: --base-url is
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert again.returncode == 0, again.stderr
    report = json.loads(again.stdout)
    assert report["accepted"] == 10_001 and report["invalid"] == 1
    # 10 chunks were done; 9 only if the signal beat the journal's record of the 10th
    # (which is then looked up on the server, not sent again: see the count below).
    assert report["resumed"] in (9, 10)
    assert len(report["campaign_ids"]) == 11
    assert "exists: this run resumes it" in again.stderr  # the preview, on stderr with --json
    sent = [m["e164_format"] for m in served.sandbox.messages]
    assert len(sent) == len(set(sent)) == 10_001
