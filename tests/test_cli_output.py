"""What the ``ziett`` command shows a person and a script: whole IDs at any width, a
default limit with a hint, ``--json`` on every data command, times with their zone,
one error style (usage, connection, CSV) and never a credential.

In-process (Typer's CliRunner) against the ``ziett_sandbox`` fixture; the terminal's
width is set through ``COLUMNS``, as a terminal sets it.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ziett.cli._app import app
from ziett.cli._campaigns import report_document
from ziett.testing import ZiettSandbox

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@pytest.fixture
def sandbox(ziett_sandbox: ZiettSandbox, monkeypatch: pytest.MonkeyPatch) -> ZiettSandbox:
    monkeypatch.setenv("ZIETT_REMITTER_ID", ziett_sandbox.remitter_id)
    return ziett_sandbox


def run(*args: str, input: str | None = None) -> Any:
    result = CliRunner().invoke(app, list(args), input=input, prog_name="ziett")
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def one_error_line(result: Any) -> str:
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    line: str = lines[0]
    return line


def _messages(sandbox: ZiettSandbox, count: int, content: str = "hello") -> list[str]:
    with sandbox.client() as client:
        client.campaigns.create_batch(
            name="A campaign with a rather long name, as people write them",
            remitter_id=sandbox.remitter_id,
            content=content,
            recipients=[f"+24499{i:07d}" for i in range(count)],
        )
    return [message["id"] for message in sandbox.sent]


def _campaigns(sandbox: ZiettSandbox, count: int) -> list[str]:
    with sandbox.client(rate_limits={}) as client:
        return [
            client.campaigns.create_batch(
                name=f"Campaign {i} " + "with a name long enough to be cut " * 2,
                remitter_id=sandbox.remitter_id,
                content="Sale!",
                recipients=["+244990000001", "+244990000002"],
            ).campaign_id
            for i in range(count)
        ]


# lists: a default limit, then a hint ---------------------------------------------------------


def test_lists_show_20_by_default_and_say_how_to_see_the_rest(sandbox: ZiettSandbox) -> None:
    _messages(sandbox, 25)
    table = run("messages", "list")
    assert table.exit_code == 0, table.output
    assert len(UUID.findall(table.stdout)) == 20
    assert "Showing 20 of 25 messages: --limit N shows more, --all shows every one." in (
        table.stderr
    )
    lines = run("messages", "list", "--json")
    assert len([json.loads(line) for line in lines.stdout.splitlines()]) == 20
    every = run("messages", "list", "--all", "--json")
    assert len(every.stdout.splitlines()) == 25 and "Showing" not in every.stderr
    more = run("messages", "list", "--limit", "22", "--json")
    assert len(more.stdout.splitlines()) == 22 and "Showing 22 of 25" in more.stderr


@pytest.mark.ziett_sandbox(rate_limits={})  # 21 batches at once: past the documented 10/min
def test_campaigns_list_has_the_same_limit(sandbox: ZiettSandbox) -> None:
    ids = _campaigns(sandbox, 21)
    listed = run("campaigns", "list", "--json")
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert len(rows) == 20 and {row["id"] for row in rows} < set(ids)
    assert "Showing 20 of 21 campaigns" in listed.stderr
    assert len(run("campaigns", "list", "--all", "--csv").stdout.splitlines()) == 22  # + header


# tables: whole IDs at any width ---------------------------------------------------------------


@pytest.mark.parametrize("columns", [100, 80, 60, 200])
def test_tables_never_cut_an_id(
    sandbox: ZiettSandbox, monkeypatch: pytest.MonkeyPatch, columns: int
) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    message_ids = _messages(sandbox, 3, content="A text much longer than a narrow column " * 3)
    campaign_ids = _campaigns(sandbox, 2)
    for args, ids in (
        (("messages", "list"), message_ids),
        (("campaigns", "list"), campaign_ids),
    ):
        result = run(*args)
        assert result.exit_code == 0, result.output
        lines = result.stdout.splitlines()
        assert all(len(line.rstrip()) <= columns for line in lines), result.stdout
        for found in ids:  # whole, on one line, so a double-click copies it
            assert any(found in line for line in lines), (found, result.stdout)
        assert lines[0].split()[:1] == ["ID"]


def test_a_wide_terminal_shows_every_column_on_one_line(
    sandbox: ZiettSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "160")
    _messages(sandbox, 2, content="Short text")
    header, *rows = run("messages", "list").stdout.splitlines()
    assert header.split() == ["ID", "CREATED", "TO", "STATUS", "COST", "TEXT"]
    assert len(rows) == 2 and all("Short text" in row for row in rows)


# times with their zone -------------------------------------------------------------------------


@pytest.fixture
def luanda(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "Africa/Luanda")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_times_are_local_with_their_zone_or_utc(
    sandbox: ZiettSandbox, monkeypatch: pytest.MonkeyPatch, luanda: None
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    message_id = _messages(sandbox, 2)[0]
    created = sandbox.sent[0]["created_at"]
    local = run("messages", "get", message_id).stdout
    assert re.search(r"created\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d WAT", local), local
    utc = run("messages", "get", message_id, "--utc").stdout
    assert re.search(r"created\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC", utc), utc
    assert created[11:19] in utc  # the wire's UTC time, unchanged
    assert " WAT" in run("messages", "list").stdout
    assert " UTC" in run("messages", "list", "--utc").stdout
    assert " UTC" in run("campaigns", "list", "--utc").stdout


# --json on every data command ------------------------------------------------------------------


def test_every_data_command_prints_json(sandbox: ZiettSandbox) -> None:
    message_id = _messages(sandbox, 2)[0]
    campaign_id = sandbox.campaigns[0]["id"]
    commands = [
        ("send", "--to", "+244990090990", "--text", "hi"),
        ("messages", "get", message_id),
        ("messages", "list"),
        ("campaigns", "list"),
        ("campaigns", "get", campaign_id),
        ("campaigns", "wait", campaign_id, "--timeout", "30"),
        ("campaigns", "report", campaign_id),
        ("sms", "analyze", "hello"),
    ]
    for command in commands:
        result = run(*command, "--json")
        assert result.exit_code == 0, (command, result.output)
        documents = [json.loads(line) for line in result.stdout.splitlines()]
        assert documents and all(isinstance(d, dict) for d in documents), command


def test_a_report_shows_charged_refunded_and_net_cost(sandbox: ZiettSandbox) -> None:
    _messages(sandbox, 2)
    campaign_id = sandbox.campaigns[0]["id"]
    with sandbox.client() as client:
        report = client.campaigns.report(campaign_id)
    document = report_document(report)
    assert document["charged"] == str(report.charged)
    assert document["refunded"] == str(report.refunded)
    assert document["net_cost"] == str(report.charged - report.refunded) == str(report.net_cost)
    assert document["total"] == 2
    shown = run("campaigns", "report", campaign_id)
    assert shown.exit_code == 0, shown.output
    for label in ("charged", "refunded", "net cost"):
        assert label in shown.stdout


# one error style -------------------------------------------------------------------------------


def test_usage_errors_are_one_line_in_the_same_style(sandbox: ZiettSandbox) -> None:
    missing = run("send", "--to", "+244990090990")
    assert missing.exit_code == 2
    line = one_error_line(missing)
    assert "--text" in line and "ziett send --help" in line
    unknown = run("messages", "list", "--format", "json")
    assert unknown.exit_code == 2 and "--format" in one_error_line(unknown)
    assert run("nonsense").exit_code == 2
    for group in ((), ("messages",)):  # a group without a command: its help, not an error line
        bare = run(*group)
        assert bare.exit_code == 2 and bare.stderr.startswith("Usage: ziett")
        assert "Commands:" in bare.stderr and not bare.stderr.startswith("error:")
    assert sandbox.requests == []


def test_help_documents_the_exit_codes_and_the_output_options() -> None:
    text = run("--help").stdout
    assert "Exit codes: 0 success, 1 API error" in " ".join(text.split())
    assert "--json" in text and "--utc" in text
    listing = run("messages", "list", "--help").stdout
    assert all(option in listing for option in ("--limit", "--all", "--json", "--csv", "--utc"))


def test_a_connection_error_names_the_host_and_never_credentials(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ZIETT_API_KEY", "zk_test_0123456789abcdef")
    url = "http://someone:hunter2@127.0.0.1:9"
    result = run("--base-url", url, "messages", "get", "019b4b56-e704-7c30-83a0-527df63c3e00")
    assert result.exit_code == 1
    line = one_error_line(result)
    assert "connection error talking to 127.0.0.1:9" in line
    assert "hunter2" not in result.output and "0123456789abcdef" not in result.output
    verbose = run("--verbose", "--base-url", url, "messages", "list")
    assert verbose.exit_code == 1 and "Traceback" in verbose.stderr
    assert "hunter2" not in verbose.output and "0123456789abcdef" not in verbose.output
    bad = run("--base-url", "http://someone:hunter2@", "messages", "list")
    assert bad.exit_code == 2 and "hunter2" not in bad.output


def test_a_csv_with_an_over_long_field_is_one_error_naming_the_line(
    sandbox: ZiettSandbox, tmp_path: Path
) -> None:
    numbers = tmp_path / "numbers.csv"
    numbers.write_text("phone\n+244990000001\n\n" + "9" * 140_000 + "\n")
    args = ["campaigns", "send", "--file", str(numbers), "--name", "Long", "--text", "hi"]
    result = run(*args, "--yes", "--journal", str(tmp_path / "j"))
    assert result.exit_code == 2
    line = one_error_line(result)
    assert "line 4" in line and "not readable as CSV" in line
    assert sandbox.requests == []
