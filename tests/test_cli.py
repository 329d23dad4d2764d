"""The ``ziett`` command line against the sandbox.

Most commands run in-process (Typer's CliRunner, the ``ziett_sandbox`` fixture
routing the command's client to an in-process sandbox); the CSV campaign,
Ctrl+C and its resume run as subprocesses over real HTTP against a sandbox
server. Each failure kind is checked for its exit code and its one line on
stderr, and every ``--json`` output is parsed.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ziett.cli import _input, main
from ziett.cli._app import app
from ziett.cli._campaigns import rate_limit_wait
from ziett.testing import ZiettSandbox

TARGET = "+244990090990"


@pytest.fixture(autouse=True)
def no_terminal_width(monkeypatch: pytest.MonkeyPatch) -> None:
    """Output as piped to a file: no ``COLUMNS`` (pytest-xdist's workers export 80), which the
    command honours as the width to fit."""
    monkeypatch.delenv("COLUMNS", raising=False)


@pytest.fixture
def sandbox(ziett_sandbox: ZiettSandbox, monkeypatch: pytest.MonkeyPatch) -> ZiettSandbox:
    monkeypatch.setenv("ZIETT_REMITTER_ID", ziett_sandbox.remitter_id)
    return ziett_sandbox


def run(*args: str, input: str | None = None) -> Any:
    result = CliRunner().invoke(app, list(args), input=input, prog_name="ziett")
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def no_traceback(result: Any) -> None:
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr


# send ---------------------------------------------------------------------------------------


def test_send_sends_one_message_and_prints_its_id(sandbox: ZiettSandbox) -> None:
    result = run("send", "--to", TARGET, "--text", "Your code is 482910")
    assert result.exit_code == 0, result.output
    (sent,) = sandbox.sent
    assert sent["e164_format"] == TARGET and sent["content"] == "Your code is 482910"
    assert sent["id"] in result.stdout and "GSM-7, 1 part" in result.stdout


def test_send_json_is_one_document_with_stable_fields(sandbox: ZiettSandbox) -> None:
    result = run("send", "--to", "990 090 990", "--country", "AO", "--text", "Olá", "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    (sent,) = sandbox.sent
    assert document == {
        "message_id": sent["id"],
        "to": TARGET,
        "encoding": "UCS-2",
        "segments": 1,
        "status": None,
        "message": None,
    }


def test_send_from_option_beats_the_environment(sandbox: ZiettSandbox) -> None:
    other = sandbox.add_remitter("OTHER")
    result = run("send", "--to", TARGET, "--text", "hi", "--from", other, "--json")
    assert result.exit_code == 0, result.output
    assert sandbox.sent[0]["sms_remitter_id"] == other


def test_no_sender_id_is_a_usage_error(
    ziett_sandbox: ZiettSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ZIETT_REMITTER_ID", raising=False)
    result = run("send", "--to", TARGET, "--text", "hi")
    assert result.exit_code == 2
    no_traceback(result)
    assert "ZIETT_REMITTER_ID" in result.stderr and not ziett_sandbox.sent


def test_no_api_key_is_a_usage_error(
    sandbox: ZiettSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ZIETT_API_KEY")
    result = run("send", "--to", TARGET, "--text", "hi")
    assert result.exit_code == 2
    no_traceback(result)
    assert "ZIETT_API_KEY" in result.stderr and not sandbox.sent


def test_a_bad_number_is_a_usage_error_and_nothing_is_sent(sandbox: ZiettSandbox) -> None:
    result = run("send", "--to", "12ab", "--text", "hi")
    assert result.exit_code == 2
    no_traceback(result)
    assert "--to" in result.stderr and sandbox.requests == []


def test_a_local_number_error_names_the_options_once(sandbox: ZiettSandbox, tmp_path: Path) -> None:
    result = run("send", "--to", "12", "--text", "hi")
    assert result.exit_code == 2
    no_traceback(result)
    assert "pass --country" in result.stderr and "country_alpha2" not in result.stderr
    assert result.stderr.count("is a local number") == 1  # not the message, then its field again
    unknown = run("send", "--to", "990090990", "--country", "XX", "--text", "hi")
    assert unknown.exit_code == 2 and unknown.stderr.startswith("error: --country 'XX':")
    assert unknown.stderr.count("Unknown country code") == 1
    (tmp_path / "one.csv").write_text("12\n")  # one bad number: a row, not a header
    preview = run(
        "campaigns", "send", "--file", str(tmp_path / "one.csv"), "--name", "x", "--text", "hi"
    )
    assert preview.exit_code == 2 and "1 skipped" in preview.stdout
    assert "pass --country" in preview.stdout and "country_alpha2" not in preview.stdout
    assert sandbox.requests == []


def test_too_many_parts_is_refused_before_sending(sandbox: ZiettSandbox) -> None:
    result = run("send", "--to", TARGET, "--text", "x" * 200, "--max-segments", "1")
    assert result.exit_code == 2
    no_traceback(result)
    assert sandbox.requests == []


def test_an_api_error_is_one_line_with_code_and_trace_id(sandbox: ZiettSandbox) -> None:
    result = run("--api-key", "zk_test_wrong_key_000000", "send", "--to", TARGET, "--text", "hi")
    assert result.exit_code == 1
    no_traceback(result)
    assert "401" in result.stderr and "trace_id=" in result.stderr
    assert "zk_test_wrong_key_000000" not in result.output


def test_insufficient_funds_is_an_api_error(sandbox: ZiettSandbox) -> None:
    sandbox.drain()
    result = run("send", "--to", TARGET, "--text", "hi")
    assert result.exit_code == 1
    no_traceback(result)
    assert "402" in result.stderr


def test_a_dropped_send_is_an_unknown_outcome(sandbox: ZiettSandbox) -> None:
    sandbox.inject("drop", method="POST")
    result = run("send", "--to", TARGET, "--text", "hi")
    assert result.exit_code == 3
    no_traceback(result)
    assert "may have been sent" in result.stderr


def test_an_unreachable_server_is_an_api_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZIETT_API_KEY", "zk_test_0123456789abcdef")
    monkeypatch.setenv("ZIETT_REMITTER_ID", "019b4b56-e704-7c30-83a0-527df63c3e00")
    result = run("--base-url", "http://127.0.0.1:9", "messages", "get", "x")
    assert result.exit_code == 1
    no_traceback(result)
    assert "connection error" in result.stderr


@pytest.mark.parametrize("url", ["notaurl", "localhost:8080", "ftp://example.com", "http://"])
def test_a_base_url_that_is_not_a_url_is_a_usage_error(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZIETT_API_KEY", "zk_test_0123456789abcdef")
    result = run("--base-url", url, "messages", "get", "x")
    assert result.exit_code == 2 and f"--base-url {url!r} is not a URL" in result.stderr
    no_traceback(result)
    monkeypatch.setenv("ZIETT_BASE_URL", url)
    from_env = run("messages", "get", "x")
    assert from_env.exit_code == 2 and "ZIETT_BASE_URL" in from_env.stderr


def test_verbose_shows_the_traceback_and_never_the_key(sandbox: ZiettSandbox) -> None:
    result = run("--verbose", "messages", "get", "019b4b56-e704-7c30-83a0-000000000000")
    assert result.exit_code == 1
    assert "Traceback" in result.stderr and "NotFoundError" in result.stderr
    assert "GET /c/v1/messages/{message_id} attempt 1: 404" in result.stderr
    assert sandbox.api_key not in result.output
    assert result.stderr.strip().splitlines()[-1].startswith("error: 404")


# messages -----------------------------------------------------------------------------------


def _send(sandbox: ZiettSandbox, count: int) -> list[str]:
    with sandbox.client(rate_limits={}) as client:
        return [
            client.messages.send(
                remitter_id=sandbox.remitter_id, target_e164=f"+24499{i:07d}", content=f"m{i}"
            ).message_id
            for i in range(count)
        ]


def test_messages_list_json_lines_stream_every_page(sandbox: ZiettSandbox) -> None:
    with sandbox.client() as client:  # one request for 130 messages (sends are rate-limited)
        client.campaigns.create_batch(
            name="Many",
            remitter_id=sandbox.remitter_id,
            content="hello",
            recipients=[f"+24499{i:07d}" for i in range(130)],
        )
    result = run("messages", "list", "--all", "--json")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert sorted(row["id"] for row in rows) == sorted(m["id"] for m in sandbox.sent)
    assert len(rows) == 130
    assert {"id", "status", "e164_format", "content", "cost", "created_at"} <= rows[0].keys()
    assert ("GET", "/c/v1/messages") in sandbox.requests
    assert sandbox.requests.count(("GET", "/c/v1/messages")) == 2  # pages of 100


def test_messages_list_filters_and_limit(sandbox: ZiettSandbox) -> None:
    ids = _send(sandbox, 5)
    sandbox.deliver(ids[0])
    sandbox.deliver(ids[1])
    delivered = run("messages", "list", "--status", "delivered", "--json")
    assert sorted(json.loads(line)["id"] for line in delivered.stdout.splitlines()) == sorted(
        ids[:2]
    )
    limited = run("messages", "list", "--limit", "3", "--json")
    assert len(limited.stdout.splitlines()) == 3
    assert "Showing 3 of 5 messages" in limited.stderr
    to = run("messages", "list", "--to", "+244990000004", "--json")
    assert [json.loads(line)["id"] for line in to.stdout.splitlines()] == [ids[4]]
    future = run("messages", "list", "--since", "2099-01-01", "--json")
    assert future.exit_code == 0 and future.stdout == ""
    recent = run("messages", "list", "--since", "1h", "--json")
    assert len(recent.stdout.splitlines()) == 5


def test_messages_list_table_and_csv(sandbox: ZiettSandbox) -> None:
    ids = _send(sandbox, 2)
    table = run("messages", "list")
    assert table.exit_code == 0
    assert table.stdout.splitlines()[0].split()[:4] == ["ID", "CREATED", "TO", "STATUS"]
    assert all(i in table.stdout for i in ids)
    csv_out = run("messages", "list", "--csv")
    header, *rows = csv_out.stdout.splitlines()
    assert header.startswith("id,created_at,e164_format,status,cost") and len(rows) == 2


def test_tables_show_brackets_in_user_data_as_text(sandbox: ZiettSandbox) -> None:
    # Message texts and campaign names are data, never Rich markup: "[/]" used to
    # crash the table (MarkupError, exit 1) and "[x]" vanished from a name.
    with sandbox.client(rate_limits={}) as client:
        sent = client.messages.send(
            remitter_id=sandbox.remitter_id, target_e164=TARGET, content="Hello [/] world [b]x"
        )
    listed = run("messages", "list")
    assert listed.exit_code == 0, listed.output
    assert "Hello [/] world [b]x" in listed.stdout
    assert "Hello [/] world [b]x" in run("messages", "get", sent.message_id).stdout
    campaign_id = _campaign(sandbox, "Promo [x] [/red]")
    for args in (("campaigns", "list"), ("campaigns", "get", campaign_id)):
        result = run(*args)
        assert result.exit_code == 0 and "Promo [x] [/red]" in result.stdout, result.output
    report = run("campaigns", "report", campaign_id)
    assert "Promo [x] [/red]" in report.stdout
    waited = run("campaigns", "wait", "[/]", "--timeout", "5")
    assert waited.exit_code == 1 and "MarkupError" not in waited.output  # a 404, said in one line


def test_messages_list_says_when_nothing_matches(sandbox: ZiettSandbox) -> None:
    result = run("messages", "list")
    assert result.exit_code == 0 and "No results." in result.stderr


def test_messages_list_usage_errors(sandbox: ZiettSandbox) -> None:
    assert run("messages", "list", "--since", "yesterday").exit_code == 2
    assert run("messages", "list", "--json", "--csv").exit_code == 2
    assert run("messages", "list", "--all", "--limit", "5").exit_code == 2
    assert run("messages", "list", "--limit", "0").exit_code == 2
    bad_status = run("messages", "list", "--status", "LOST")
    assert bad_status.exit_code == 2
    no_traceback(bad_status)
    assert sandbox.requests == []


def test_messages_get(sandbox: ZiettSandbox) -> None:
    (message_id,) = _send(sandbox, 1)
    sandbox.deliver(message_id)
    document = json.loads(run("messages", "get", message_id, "--json").stdout)
    assert document["id"] == message_id and document["status"] == "DELIVERED"
    table = run("messages", "get", message_id)
    assert "DELIVERED" in table.stdout and "+244990000000" in table.stdout


def test_messages_get_unknown_is_an_api_error(sandbox: ZiettSandbox) -> None:
    result = run("messages", "get", "019b4b56-e704-7c30-83a0-000000000000")
    assert result.exit_code == 1
    no_traceback(result)
    assert "404" in result.stderr


@pytest.fixture
def still(sandbox: ZiettSandbox, monkeypatch: pytest.MonkeyPatch) -> ZiettSandbox:
    """The sandbox with its clock-driven lifecycle off: statuses move only when told."""
    monkeypatch.setattr(sandbox.sandbox, "_auto_advance", False)
    return sandbox


def test_send_wait_returns_the_delivered_message(sandbox: ZiettSandbox) -> None:
    result = run("send", "--to", TARGET, "--text", "hi", "--wait", "--timeout", "30", "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["status"] == "DELIVERED"
    assert document["message"]["id"] == document["message_id"] == sandbox.sent[0]["id"]


def test_messages_get_wait_on_a_final_message(still: ZiettSandbox) -> None:
    (message_id,) = _send(still, 1)
    still.fail(message_id)
    result = run("messages", "get", message_id, "--wait", "--json")
    assert result.exit_code == 0 and json.loads(result.stdout)["status"] == "FAILED"


def test_a_wait_that_times_out_exits_4(still: ZiettSandbox) -> None:
    (message_id,) = _send(still, 1)
    result = run("messages", "get", message_id, "--wait", "--timeout", "0.05")
    assert result.exit_code == 4
    no_traceback(result)
    assert "timed out" in result.stderr and "PENDING" in result.stderr


def test_messages_get_json_wait_that_times_out_prints_the_last_state(still: ZiettSandbox) -> None:
    (message_id,) = _send(still, 1)
    result = run("messages", "get", message_id, "--wait", "--timeout", "0.05", "--json")
    assert result.exit_code == 4 and "timed out" in result.stderr
    document = json.loads(result.stdout)
    assert document["id"] == message_id and document["status"] == "PENDING"


def test_a_timeout_of_zero_is_refused_before_anything_is_sent(still: ZiettSandbox) -> None:
    for timeout in ("0", "-1"):
        result = run("send", "--to", TARGET, "--text", "hi", "--wait", "--timeout", timeout)
        assert result.exit_code == 2 and "--timeout" in result.stderr, result.output
    assert still.sent == []  # it used to send, then say "nothing was sent"
    (message_id,) = _send(still, 1)
    assert run("messages", "get", message_id, "--wait", "--timeout", "0").exit_code == 2
    assert run("campaigns", "wait", message_id, "--timeout", "0").exit_code == 2


def test_send_json_wait_that_times_out_still_prints_the_id(still: ZiettSandbox) -> None:
    args = ("send", "--to", TARGET, "--text", "hi", "--wait", "--timeout", "0.05", "--json")
    result = run(*args)
    assert result.exit_code == 4 and "timed out" in result.stderr
    document = json.loads(result.stdout)  # a script gets the id of what was sent
    (sent,) = still.sent
    assert document["message_id"] == sent["id"] and document["to"] == TARGET
    assert document["status"] in (None, "PENDING")


# campaigns (in-process) ---------------------------------------------------------------------


def _campaign(sandbox: ZiettSandbox, name: str = "Promo") -> str:
    with sandbox.client() as client:
        return client.campaigns.create_batch(
            name=name,
            remitter_id=sandbox.remitter_id,
            content="Sale!",
            recipients=["+244990000001", "+244990000002"],
        ).campaign_id


def test_campaigns_list_and_get(sandbox: ZiettSandbox) -> None:
    first, second = _campaign(sandbox, "First"), _campaign(sandbox, "Second")
    rows = [json.loads(line) for line in run("campaigns", "list", "--json").stdout.splitlines()]
    assert {row["id"] for row in rows} == {first, second}
    table = run("campaigns", "list")
    assert "First" in table.stdout and "Second" in table.stdout
    document = json.loads(run("campaigns", "get", first, "--json").stdout)
    assert document["id"] == first and document["name"] == "First"
    assert "First" in run("campaigns", "get", first).stdout


def test_campaigns_wait_and_report(sandbox: ZiettSandbox) -> None:
    campaign_id = _campaign(sandbox)
    waited = run("campaigns", "wait", campaign_id, "--timeout", "30", "--json")
    assert waited.exit_code == 0, waited.output
    assert json.loads(waited.stdout)["status"] == "COMPLETED"
    report = json.loads(run("campaigns", "report", campaign_id, "--json").stdout)
    assert report["complete"] is True and report["total"] == 2
    assert report["status_counts"]["DELIVERED"] == 2 and report["failed"] == []
    assert report["net_cost"] == "0.10" and report["campaign"]["id"] == campaign_id
    table = run("campaigns", "report", campaign_id)
    assert "DELIVERED" in table.stdout and "COMPLETED" in table.stdout


def test_campaigns_report_lists_failures_and_wait_times_out(still: ZiettSandbox) -> None:
    campaign_id = _campaign(still)
    failed = next(m for m in still.sent if m["e164_format"] == "+244990000002")
    still.fail(failed["id"])
    report = json.loads(run("campaigns", "report", campaign_id, "--json").stdout)
    assert report["complete"] is False
    assert [m["id"] for m in report["failed"]] == [failed["id"]]
    assert "+244990000002" in run("campaigns", "report", campaign_id).stdout
    timed_out = run("campaigns", "wait", campaign_id, "--timeout", "0.05")
    assert timed_out.exit_code == 4
    no_traceback(timed_out)


def test_campaigns_send_previews_asks_and_sends(sandbox: ZiettSandbox, tmp_path: Path) -> None:
    numbers = tmp_path / "numbers.csv"
    numbers.write_text(
        "name,phone\nAna,+244990000001\nBen,990000002\nAna again,+244 990 000 001\nZed,12\n"
    )
    journal = tmp_path / "promo.journal"
    args = ["campaigns", "send", "--file", str(numbers), "--name", "Promo", "--text", "Sale!"]
    args += ["--country", "AO", "--journal", str(journal)]
    declined = run(*args, input="n\n")
    assert declined.exit_code == 0 and "Nothing sent." in declined.stdout
    assert sandbox.requests == []
    preview = declined.stdout
    assert "2 (1 duplicate removed)" in preview and "1 skipped ('12' " in preview
    assert "GSM-7, 1 part per message" in preview and "1 batch request" in preview
    assert "no wait" in preview

    accepted = run(*args, "--json", input="y\n")
    assert accepted.exit_code == 0, accepted.output
    document = json.loads(accepted.stdout.splitlines()[-1])
    assert document["accepted"] == 2 and document["duplicates"] == 1 and document["invalid"] == 1
    assert [c["id"] for c in sandbox.campaigns] == document["campaign_ids"]
    assert {m["e164_format"] for m in sandbox.sent} == {"+244990000001", "+244990000002"}


def test_campaigns_send_prompt_without_an_answer_sends_nothing(
    sandbox: ZiettSandbox, tmp_path: Path
) -> None:
    (tmp_path / "n.csv").write_text("+244990000001\n+244990000002\n")
    args = ["campaigns", "send", "--file", str(tmp_path / "n.csv"), "--name", "P", "--text", "x"]
    result = run(*args, "--journal", str(tmp_path / "j"), input="")  # end of input
    assert result.exit_code == 130 and "Nothing sent." in result.stdout
    assert sandbox.requests == []


def test_campaigns_send_from_stdin_needs_yes(sandbox: ZiettSandbox) -> None:
    args = ["campaigns", "send", "--file", "-", "--name", "P", "--text", "x"]
    result = run(*args, input="+244990000001\n+244990000002\n")
    assert result.exit_code == 2 and "--yes" in result.stderr
    assert sandbox.requests == []


def test_campaigns_send_without_numbers_sends_nothing(
    sandbox: ZiettSandbox, tmp_path: Path
) -> None:
    args = ["campaigns", "send", "--file", "-", "--name", "P", "--text", "x", "--yes"]
    args += ["--journal", str(tmp_path / "j")]
    result = run(*args, input="phone\nnope\n")
    assert result.exit_code == 2 and "no recipients" in result.stderr
    assert sandbox.requests == []


def test_campaigns_send_missing_file_is_a_usage_error(sandbox: ZiettSandbox) -> None:
    args = ["campaigns", "send", "--file", "/nonexistent.csv", "--name", "P", "--text", "x"]
    result = run(*args, "--yes")
    assert result.exit_code == 2 and "cannot read /nonexistent.csv" in result.stderr


# sms ----------------------------------------------------------------------------------------


def test_sms_analyze_json_and_the_gsm_suggestion() -> None:
    document = json.loads(run("sms", "analyze", "“Olá” — code 1", "--json").stdout)
    assert document["encoding"] == "UCS-2" and document["segments"] == 1
    assert [c["char"] for c in document["non_gsm"]] == ["“", "á", "”", "—"]
    assert document["suggestion"] == {
        "text": '"Ola" - code 1',
        "segments": 1,
        "strip_accents": True,
    }
    plain = json.loads(run("sms", "analyze", "hello", "--json").stdout)
    assert plain["encoding"] == "GSM-7" and plain["suggestion"] is None


def test_sms_analyze_table_shows_parts() -> None:
    result = run("sms", "analyze", "é" * 10 + "😀" * 40)
    assert result.exit_code == 0
    assert "UCS-2" in result.stdout and "part 2:" in result.stdout
    assert "'😀' at 10" in result.stdout and "No GSM-7 version" in result.stdout
    suggested = run("sms", "analyze", "It\u2019s \u201cfine\u201d")
    assert (
        'GSM-7 suggestion (still 1 part; 160 characters a part, not 70): It\'s "fine"'
        in suggested.stdout
    )


def test_sandbox_command_serves_until_interrupted(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "ziett.cli", "sandbox", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        banner = process.stdout.readline()
        assert banner.startswith("Ziett sandbox listening on http://127.0.0.1:")
        url = banner.split()[-1]
        for line in process.stdout:
            if line.startswith("  API key"):
                key = line.split()[-1]
                break
        listing = ["messages", "list", "--json"]
        check = subprocess.run(
            [sys.executable, "-m", "ziett.cli", "--base-url", url, "--api-key", key, *listing],
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert check.returncode == 0 and check.stdout == "", check.stderr
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 130  # stopped by Ctrl+C, as documented
    finally:
        process.kill()
        process.wait()


def test_sandbox_command_without_uvicorn_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "uvicorn", None)  # import uvicorn now fails
    result = run("sandbox", "--port", "0")
    assert result.exit_code == 2 and "pip install 'ziett[sandbox]'" in result.stderr
    no_traceback(result)


def test_sandbox_command_on_a_busy_port_is_a_usage_error() -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run("sandbox", "--port", str(port))
    assert result.exit_code == 2, result.output
    no_traceback(result)
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr


# input rules --------------------------------------------------------------------------------


def test_read_recipients_column_header_and_separators() -> None:
    found = _input.read_recipients("id;MSISDN\n1;+244990000001\n2;+244990000002\n")
    assert found.numbers == ["+244990000001", "+244990000002"] and found.column == "MSISDN"
    tabs = _input.read_column("name\tTo\nAna\t+244990000001\n")
    assert tabs == (["+244990000001"], "To")
    bare = _input.read_recipients("+244990000001\n\n+244990000001\n+244990000003\n")
    assert bare.numbers == ["+244990000001", "+244990000003"] and bare.duplicates == 1
    assert bare.column is None
    first = _input.read_recipients("number\n990000001\n", country_alpha2="AO")
    assert first.numbers == ["+244990000001"]
    local = _input.read_recipients("990000001\n")
    assert local.numbers == [] and list(local.invalid) == ["990000001"]
    headless = _input.read_column("+244990000001,Ana\n+244990000002,Ben\n")
    assert headless == (["+244990000001", "+244990000002"], None)


@pytest.mark.parametrize(
    ("text", "header"),
    [
        ("Name,Phone Number\nAna,+244990000001\nBen,+244990000002\n", "Phone Number"),
        ("name,mobile\nAna,+244990000001\nBen,+244990000002\n", "mobile"),
        ("nome;telefone\nAna;+244990000001\nBen;+244990000002\n", "telefone"),
        (
            "Nome;Telemóvel;Cidade\nAna;+244990000001;Luanda\nBen;+244990000002;Huambo\n",
            "Telemóvel",
        ),
        ("id,cellPhone\n1,+244990000001\n2,+244990000002\n", "cellPhone"),
        ("first,last,E.164\nAna,X,+244990000001\nBen,Y,+244990000002\n", "E.164"),
        ("name,send to\nAna,+244990000001\nBen,+244990000002\n", "send to"),
        ("customer,city\nAna,+244990000001\nBen,+244990000002\n", "city"),  # by its cells
        ("Ana,+244990000001\nBen,+244990000002\n", None),  # no header: names first
        ("100001,+244990000001\n100002,+244990000002\n", None),  # ids first
    ],
)
def test_read_column_finds_the_phone_column(text: str, header: str | None) -> None:
    assert _input.read_column(text) == (["+244990000001", "+244990000002"], header)


def test_parse_moment() -> None:
    now = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    assert _input.parse_moment("2h", now=now) == now - timedelta(hours=2)
    assert _input.parse_moment("1h30m", now=now) == now - timedelta(minutes=90)
    assert _input.parse_moment("1w", now=now) == now - timedelta(days=7)
    moment = _input.parse_moment("2026-11-30T14:00+01:00")
    assert moment == datetime(2026, 11, 30, 13, 0, tzinfo=UTC)
    day = _input.parse_moment("2026-11-30")
    assert day.tzinfo is not None and (day.hour, day.minute) == (0, 0)
    with pytest.raises(ValueError, match="duration"):
        _input.parse_moment("soon")


def test_journal_path_and_rate_limit_wait() -> None:
    assert _input.journal_path("Black Friday / 2026") == Path("Black-Friday-2026.ziett-journal")
    assert rate_limit_wait(3, 10, 60.0) == 0
    assert rate_limit_wait(10, 10, 60.0) == 0
    assert rate_limit_wait(11, 10, 60.0) == 60
    assert rate_limit_wait(25, 10, 60.0) == 120


# main() and the extra -----------------------------------------------------------------------


def test_main_returns_the_exit_code(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert "ziett" in capsys.readouterr().out
    assert main(["send"]) == 2  # missing options: click's usage error


def test_importing_the_cli_package_loads_neither_typer_nor_rich() -> None:
    # httpx itself imports rich (its own CLI) when click and rich are installed, so the
    # check is what importing ziett.cli adds to what ``import ziett`` loaded.
    code = (
        "import sys, ziett; before = set(sys.modules); import ziett.cli; "
        "added = {m.split('.')[0] for m in set(sys.modules) - before}; "
        "assert 'typer' not in sys.modules and not added & {'typer', 'rich', 'click'}, added"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
