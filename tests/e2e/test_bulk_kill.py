"""kill -9 a bulk send, then resume it, whatever became of its journal: each number once.

A child process sends a 5,000-row audience (duplicates in three spellings,
unreadable rows) with ``campaigns.send_bulk`` and a journal file, against
``python -m ziett.sandbox`` over real HTTP. The test SIGKILLs it after a random
delay, again and again, each time starting the same call with the same
journal, then lets a last run finish; the same under drop-after-commit and 5xx
faults. Then one kill, after which the journal's side files are deleted, the
file is copied elsewhere and resumed from there, truncated, or deleted; and a
journal aimed at another application's database or at a symlink of a journal
in use. Every valid distinct number must have exactly one message in the
sandbox, or the run stops with a typed error before sending anything.
Runs in ``make e2e`` (``ZIETT_E2E=1``).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

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
        try:
            report = client.campaigns.send_bulk(
                name="Black Friday",
                remitter_id=sys.argv[3],
                content="50% off this weekend only.",
                recipients=rows,
                country_alpha2="AO",
                journal=sys.argv[2],
            )
        except (ziett.JournalError, ziett.DuplicateSendError) as error:
            print(json.dumps({"error": type(error).__name__, "message": str(error)}))
            sys.exit(2)
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


def start(
    sandbox: SandboxProcess, tmp_path: Path, rows: Path, journal: Path | None = None
) -> subprocess.Popen[str]:
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    env = {**os.environ, "ZIETT_API_KEY": sandbox.api_key, "ZIETT_BASE_URL": sandbox.base_url}
    journal = journal or tmp_path / "job.ziett"
    return subprocess.Popen(
        [sys.executable, str(script), str(rows), str(journal), sandbox.remitter_id],
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
    assert [c["name"][:-10] for c in campaigns] == [f"Black Friday ({i}/5)" for i in range(1, 6)]


def campaigns(sandbox: SandboxProcess) -> list[dict[str, Any]]:
    return httpx.get(f"{sandbox.base_url}/_sandbox/campaigns").json()  # type: ignore[no-any-return]


def each_once(sandbox: SandboxProcess) -> None:
    messages = httpx.get(f"{sandbox.base_url}/_sandbox/messages").json()
    sent = Counter(m["e164_format"] for m in messages)
    assert set(sent) == set(NUMBERS)
    assert set(sent.values()) == {1}, [n for n, c in sent.items() if c > 1][:5]


def finish(child: subprocess.Popen[str]) -> dict[str, Any]:
    out, err = child.communicate(timeout=300)
    assert out.strip(), err
    return json.loads(out.strip().splitlines()[-1])  # type: ignore[no-any-return]


def kill_midway(sandbox: SandboxProcess, tmp_path: Path, rows: Path) -> None:
    """One run, killed once two of its five campaigns are on the server."""
    child = start(sandbox, tmp_path, rows)
    deadline = time.monotonic() + 60
    while len(campaigns(sandbox)) < 2:
        assert child.poll() is None and time.monotonic() < deadline
        time.sleep(0.02)
    os.kill(child.pid, signal.SIGKILL)
    child.communicate()
    assert len(campaigns(sandbox)) < 5


@pytest.mark.parametrize(
    "after", ["side files deleted", "copied elsewhere", "deleted", "truncated"]
)
def test_killed_then_journal_tampered_each_number_once_or_a_typed_error(
    sandbox: SandboxProcess, tmp_path: Path, after: str
) -> None:
    rows = audience(tmp_path)
    kill_midway(sandbox, tmp_path, rows)
    journal = tmp_path / "job.ziett"
    resume_from = journal
    if after == "side files deleted":
        for side in tmp_path.glob("job.ziett-*"):
            side.unlink()
    elif after == "copied elsewhere":
        resume_from = tmp_path / "elsewhere" / "copy.ziett"
        resume_from.parent.mkdir()
        shutil.copyfile(journal, resume_from)
    elif after == "deleted":
        journal.unlink()
    else:
        journal.write_bytes(journal.read_bytes()[:3000])
        sent_before = len(campaigns(sandbox))
        refused = finish(start(sandbox, tmp_path, rows, resume_from))
        assert refused["error"] == "JournalError" and "truncated" in refused["message"]
        assert len(campaigns(sandbox)) == sent_before
        journal.unlink()  # the fix the message names: the server check still guards
    finished = finish(start(sandbox, tmp_path, rows, resume_from))
    if "error" in finished:  # no journal, and the last request landed after the kill
        assert finished["error"] == "DuplicateSendError" and len(campaigns(sandbox)) == 5
    else:
        assert finished["accepted"] == len(NUMBERS), finished
        assert [c["id"] for c in campaigns(sandbox)] == finished["campaigns"]
    each_once(sandbox)
    again = finish(start(sandbox, tmp_path, rows, tmp_path / "new.ziett"))  # a lost journal
    assert again["error"] == "DuplicateSendError"
    each_once(sandbox)


def test_a_foreign_database_or_a_journal_in_use_sends_nothing(
    sandbox: SandboxProcess, tmp_path: Path
) -> None:
    rows = audience(tmp_path)
    app = tmp_path / "app.db"
    with closing(sqlite3.connect(app)) as db:
        db.execute("CREATE TABLE users (phone TEXT)")
        db.commit()
    before = app.read_bytes()
    refused = finish(start(sandbox, tmp_path, rows, app))
    assert refused["error"] == "JournalError" and "not a ziett journal" in refused["message"]
    assert app.read_bytes() == before and campaigns(sandbox) == []
    journal = tmp_path / "job.ziett"
    holder = subprocess.Popen(  # another run holding the journal (between two requests)
        [
            sys.executable,
            "-c",
            "import sys, time; from ziett.jobs.journal import Journal; "
            "j = Journal(sys.argv[1]); print('held', flush=True); time.sleep(120)",
            str(journal),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        (tmp_path / "symlink.ziett").symlink_to(journal)
        os.link(journal, tmp_path / "hardlink.ziett")
        for path in ("symlink.ziett", "hardlink.ziett"):
            second = finish(start(sandbox, tmp_path, rows, tmp_path / path))
            assert second["error"] == "JournalError", second
            assert f"in use by another run (pid {holder.pid})" in second["message"]
        assert campaigns(sandbox) == []
    finally:
        holder.kill()
        holder.wait()
    assert finish(start(sandbox, tmp_path, rows, tmp_path / "symlink.ziett"))["accepted"] == len(
        NUMBERS
    )
    each_once(sandbox)
