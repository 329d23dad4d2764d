"""``ziett campaigns send``: a journal per job, and every hint it prints runs as printed.

A campaign name already used by another job gets a journal of its own (the
default one is checked before the preview); another job's journal given with
``--journal``, or a file that is not a journal, stops the command before the
prompt with a fix that works. Each printed command (resume after a failure,
send again on purpose after ``DuplicateSendError``, the numbers read from stdin)
is run as printed. In-process against the ``ziett_sandbox`` fixture.
"""

from __future__ import annotations

import re
import shlex
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ziett.cli._app import app
from ziett.cli._campaigns import _resume_command
from ziett.testing import ZiettSandbox

BATCH_PATH = "/c/v1/campaigns/batch"


@pytest.fixture
def sandbox(
    ziett_sandbox: ZiettSandbox, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> ZiettSandbox:
    monkeypatch.setenv("ZIETT_REMITTER_ID", ziett_sandbox.remitter_id)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.csv").write_text("+244990000001\n+244990000002\n+244990000003\n")
    (tmp_path / "b.csv").write_text("+244990000004\n+244990000005\n")
    return ziett_sandbox


def run(*args: str, input: str | None = None) -> Any:
    result = CliRunner().invoke(app, list(args), input=input, prog_name="ziett")
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def send(file: str, *extra: str, input: str | None = None) -> Any:
    args = ["campaigns", "send", "--file", file, "--name", "Promo", "--text", "Sale!"]
    return run(*args, *extra, input=input)


def printed(result: Any, after: str) -> list[str]:
    """The command printed on the line after ``after``, as arguments of ``ziett``."""
    lines = result.stderr.splitlines()
    command = shlex.split(lines[lines.index(after) + 1])
    assert command[0] == "ziett"
    return command[1:]


def sent(sandbox: ZiettSandbox) -> Counter[str]:
    return Counter(m["e164_format"] for m in sandbox.sent)


def test_a_name_used_by_another_job_gets_a_journal_of_its_own(sandbox: ZiettSandbox) -> None:
    assert send("a.csv", "--yes").exit_code == 0
    other = send("b.csv", "--yes")
    assert other.exit_code == 0, other.output
    assert re.search(r"Promo-[0-9a-f]{8}\.ziett-journal", other.stdout)
    assert "(Promo.ziett-journal belongs to another job)" in other.stdout
    again = send("a.csv", "--yes")  # the first job again: its own journal, nothing resent
    assert again.exit_code == 0 and "Promo.ziett-journal (exists: this run resumes it)" in (
        again.stdout
    )
    assert len(sandbox.campaigns) == 2 and set(sent(sandbox).values()) == {1}


def test_another_jobs_journal_is_refused_before_the_prompt_with_a_fix_that_works(
    sandbox: ZiettSandbox,
) -> None:
    assert send("a.csv", "--yes").exit_code == 0
    requests = len(sandbox.requests)
    refused = send("b.csv", "--journal", "Promo.ziett-journal", input="y\n")
    assert refused.exit_code == 2 and "Send to" not in refused.stdout
    assert "belongs to another job ('Promo', 3 recipients)" in refused.stderr
    assert len(sandbox.requests) == requests  # nothing confirmed, nothing sent
    fix = re.search(r"pass (--journal \S+)", refused.stderr)
    assert fix is not None
    fixed = send("b.csv", *shlex.split(fix.group(1)), "--yes")
    assert fixed.exit_code == 0, fixed.output
    assert set(sent(sandbox)) == {f"+24499000000{i}" for i in range(1, 6)}


@pytest.mark.parametrize(
    ("content", "says"),
    [(b"phone\n+244990000001\n", "is a text file"), (b"", "is an empty file")],
)
def test_a_file_that_is_not_a_journal_is_refused_before_the_prompt(
    sandbox: ZiettSandbox, tmp_path: Path, content: bytes, says: str
) -> None:
    (tmp_path / "notes.txt").write_bytes(content)
    result = send("a.csv", "--journal", "notes.txt", input="y\n")
    assert result.exit_code == 2 and says in result.stderr and "Send to" not in result.stdout
    assert (tmp_path / "notes.txt").read_bytes() == content and sandbox.requests == []


def test_the_resume_command_printed_after_a_failure_runs_as_printed(
    sandbox: ZiettSandbox,
) -> None:
    sandbox.sandbox.inject(402, method="POST", path=BATCH_PATH)
    failed = send("a.csv", "--yes")
    assert failed.exit_code == 1 and "402" in failed.stderr
    resumed = run(*printed(failed, "To resume once fixed, run:"))
    assert resumed.exit_code == 0, resumed.output
    assert sent(sandbox) == Counter({f"+24499000000{i}": 1 for i in range(1, 4)})


def test_numbers_read_from_stdin_are_kept_for_the_resume_command(
    sandbox: ZiettSandbox, tmp_path: Path
) -> None:
    sandbox.sandbox.inject(402, method="POST", path=BATCH_PATH)
    args = ["campaigns", "send", "--file", "-", "--name", "Promo", "--text", "Sale!", "--yes"]
    failed = run(*args, "--country", "AO", input="+244990000001\n990000002\n")
    command = printed(failed, "To resume once fixed, run:")
    assert command[command.index("--file") + 1] == "Promo.ziett-journal.numbers"
    resumed = run(*command)  # no stdin this time
    assert resumed.exit_code == 0, resumed.output
    assert set(sent(sandbox)) == {"+244990000001", "+244990000002"}


def test_a_job_already_sent_is_refused_and_the_printed_repeat_sends_it_again(
    sandbox: ZiettSandbox, tmp_path: Path
) -> None:
    assert send("a.csv", "--yes").exit_code == 0
    (tmp_path / "Promo.ziett-journal").unlink()  # the journal is lost
    refused = send("a.csv", "--yes")
    assert refused.exit_code == 2 and "already sent" in refused.stderr
    assert len(sandbox.campaigns) == 1
    command = printed(refused, "To send it again on purpose, run:")
    assert "--allow-repeat" in command
    again = run(*command)
    assert again.exit_code == 0, again.output
    assert set(sent(sandbox).values()) == {2}


def test_the_resume_command_never_shows_credentials_of_the_base_url() -> None:
    command = _resume_command(
        "https://user:s3cret@api.example.com:8443/base", "n.csv", "P", "x", Path("j"), ["--yes"]
    )
    assert "s3cret" not in command and "user" not in command
    assert command.startswith("ziett --base-url https://api.example.com:8443/base campaigns send")
