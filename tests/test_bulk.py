"""campaigns.send_bulk against the sandbox over real HTTP, in both flavours.

The promise under test: every valid distinct recipient ends in exactly one
accepted campaign: with duplicates in several spellings and unreadable rows,
under drop-after-commit and 5xx faults on the batch route, and when a run is
interrupted (Ctrl+C, a kill during a request) and the same call resumes it from
its journal, and when two runs start on one journal at once (the second is
refused). Then what stops a job (401, 402, a Retry-After over the client's
max_retry_after), what is reported (422), the client's retry policy, and the bad
inputs refused before any request. The SIGKILL scenario is tests/e2e.
"""

from __future__ import annotations

import os
import re
import threading
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

import ziett
from ziett._retry import RetryPolicy
from ziett._transport import Link, Sleep
from ziett.jobs import bulk
from ziett.jobs.journal import Journal
from ziett.sandbox import Sandbox, serve_in_thread

from .conftest import Flavour

BATCH = ("POST", "/c/v1/campaigns/batch")
LIST = ("GET", "/c/v1/campaigns")  # the check for an earlier run of the job, first


@pytest.fixture(scope="module")
def server() -> Iterator[Any]:
    with serve_in_thread(Sandbox(rate_limits={}, balance=1_000_000)) as running:
        yield running


@pytest.fixture
def sandbox(server: Any, monkeypatch: pytest.MonkeyPatch) -> Sandbox:
    monkeypatch.setattr(bulk, "SETTLE_DELAY", 0.0)  # the sandbox commits before it answers
    monkeypatch.setattr(RetryPolicy, "backoff", lambda self, n: 0.0)  # no real waits
    sandbox: Sandbox = server.sandbox
    sandbox.reset()
    return sandbox


def client_for(flavour: Flavour, server: Any, **kwargs: Any) -> Any:
    kwargs.setdefault("api_key", server.sandbox.api_key)
    return flavour.client(base_url=server.base_url, **kwargs)


def audience(count: int) -> tuple[list[str], set[str]]:
    """``count`` distinct Angolan numbers, some in three spellings, and unreadable rows."""
    numbers = [f"+24499{i:07d}" for i in range(count)]
    rows: list[Any] = list(numbers)
    for number in numbers[:30]:  # the same phone, spelt locally and with spaces
        rows.append(number[4:])
        rows.append(f"+244 {number[4:7]} {number[7:10]} {number[10:]}")
    rows += ["call me", "12", "", None]
    return rows, set(numbers)


def arguments(sandbox: Sandbox, rows: Any, **extra: Any) -> dict[str, Any]:
    return {
        "name": "Black Friday",
        "remitter_id": sandbox.remitter_id,
        "content": "50% off this weekend only.",
        "recipients": rows,
        "country_alpha2": "AO",
        **extra,
    }


def untagged(name: str) -> str:
    """A campaign name without the job's mark (" #" and 8 hex digits), which it must end with."""
    assert re.fullmatch(r".* #[0-9a-f]{8}", name), name
    return name[:-10]


def names(sandbox: Sandbox) -> list[str]:
    """The sandbox's campaign names, unmarked; all of them bear one job's mark."""
    assert len({c["name"][-8:] for c in sandbox.campaigns}) <= 1
    return [untagged(c["name"]) for c in sandbox.campaigns]


def assert_each_once(sandbox: Sandbox, numbers: set[str]) -> None:
    sent = Counter(m["e164_format"] for m in sandbox.messages)
    assert set(sent) == numbers
    assert set(sent.values()) == {1}


async def test_every_valid_distinct_number_gets_one_message(
    flavour: Flavour, server: Any, sandbox: Sandbox, tmp_path: Path
) -> None:
    rows, numbers = audience(1_500)
    progress: list[bulk.Progress] = []
    client = client_for(flavour, server)
    report = await flavour.run(
        client.campaigns.send_bulk(
            **arguments(sandbox, rows), journal=tmp_path / "job.ziett", on_progress=progress.append
        )
    )
    assert_each_once(sandbox, numbers)
    assert names(sandbox) == ["Black Friday (1/2)", "Black Friday (2/2)"]
    assert report.campaign_ids == [c["id"] for c in sandbox.campaigns]
    assert report.accepted == 1_500 and report.chunks == 2 and report.resumed == 0
    assert report.duplicates == {n: 2 for n in sorted(numbers)[:30]}
    assert set(report.invalid) == {"call me", "12", "", "row 1563: None"}
    assert progress == [bulk.Progress(1, 2, 750), bulk.Progress(2, 2, 1_500)]
    await flavour.close(client)


async def test_an_async_iterable_of_recipients(server: Any, sandbox: Sandbox) -> None:
    async def rows() -> AsyncIterator[str]:
        for number in ("+244990000001", "990000002", "+244990000001"):
            yield number

    async with ziett.AsyncZiett(
        api_key=sandbox.api_key, base_url=server.base_url, rate_limits={}
    ) as client:
        report = await client.campaigns.send_bulk(**arguments(sandbox, rows()))
    assert report.accepted == 2 and report.duplicates == {"+244990000001": 1}
    assert_each_once(sandbox, {"+244990000001", "+244990000002"})


def test_the_blocking_client_refuses_an_async_iterable(server: Any, sandbox: Sandbox) -> None:
    async def rows() -> AsyncIterator[str]:
        yield "+244990000001"

    client = ziett.Ziett(api_key=sandbox.api_key, base_url=server.base_url)
    with client, pytest.raises(ziett.ZiettError, match="async iterable: use AsyncZiett"):
        client.campaigns.send_bulk(**arguments(sandbox, rows()))
    assert sandbox.requests == []


async def test_an_audience_of_one_is_a_single_message(
    flavour: Flavour, server: Any, sandbox: Sandbox
) -> None:
    client = client_for(flavour, server)
    report = await flavour.run(
        client.campaigns.send_bulk(**arguments(sandbox, ["990000001", "+244 990 000 001", "x"]))
    )
    assert sandbox.campaigns == []
    assert report.message_ids == [m["id"] for m in sandbox.messages]
    assert report.accepted == 1 and report.campaign_ids == []
    await flavour.close(client)


@pytest.mark.parametrize("fault", ["drop", 503, "drop_before"])
async def test_faults_on_the_batch_route_never_send_twice(
    flavour: Flavour, server: Any, sandbox: Sandbox, fault: Any
) -> None:
    rows, numbers = audience(2_100)  # three chunks
    sandbox.inject(fault, times=2, method="POST", path="/c/v1/campaigns/batch")
    client = client_for(flavour, server)
    report = await flavour.run(client.campaigns.send_bulk(**arguments(sandbox, rows)))
    assert_each_once(sandbox, numbers)
    assert report.campaign_ids == [c["id"] for c in sandbox.campaigns]
    assert len(report.campaign_ids) == 3
    await flavour.close(client)


class Interrupt(KeyboardInterrupt):
    """Ctrl+C, raised by a hook at a chosen moment."""


async def test_ctrl_c_during_a_request_leaves_a_journal_that_resumes(
    flavour: Flavour, server: Any, sandbox: Sandbox, tmp_path: Path
) -> None:
    rows, numbers = audience(2_100)
    journal = tmp_path / "job.ziett"
    batches = 0

    def interrupt_the_second_batch(attempt: ziett.hooks.Attempt) -> None:
        nonlocal batches
        if attempt.route == "POST /c/v1/campaigns/batch":
            batches += 1
            if batches == 2:  # the server committed it; the answer never got written down
                raise Interrupt

    client = client_for(flavour, server, attempt_hooks=[interrupt_the_second_batch])
    with pytest.raises(KeyboardInterrupt):
        await flavour.run(client.campaigns.send_bulk(**arguments(sandbox, rows), journal=journal))
    assert len(sandbox.campaigns) == 2
    await flavour.close(client)

    client = client_for(flavour, server)
    report = await flavour.run(
        client.campaigns.send_bulk(**arguments(sandbox, rows), journal=journal)
    )
    assert_each_once(sandbox, numbers)
    assert report.resumed == 1  # chunk 1 was written down; chunk 2 was found on the server
    assert report.campaign_ids == [c["id"] for c in sandbox.campaigns]
    assert sandbox.requests.count(BATCH) == 3
    await flavour.close(client)


async def test_a_402_stops_the_job_and_the_same_call_resumes_after_a_top_up(
    flavour: Flavour, server: Any, sandbox: Sandbox, tmp_path: Path
) -> None:
    rows, numbers = audience(2_100)
    journal = tmp_path / "job.ziett"
    sandbox.inject(402, method="POST", path="/c/v1/campaigns/batch")
    client = client_for(flavour, server)
    with pytest.raises(ziett.InsufficientFundsError) as caught:
        await flavour.run(client.campaigns.send_bulk(**arguments(sandbox, rows), journal=journal))
    assert caught.value.may_have_been_sent is False
    assert any("same journal to resume" in note for note in caught.value.__notes__)
    report = await flavour.run(
        client.campaigns.send_bulk(**arguments(sandbox, rows), journal=journal)
    )
    assert_each_once(sandbox, numbers)
    assert report.chunks == 3
    await flavour.close(client)


async def test_a_401_stops_the_job_at_once(flavour: Flavour, server: Any, sandbox: Sandbox) -> None:
    rows, _ = audience(2_100)
    client = client_for(flavour, server, api_key="zk_test_not_a_key_000000")
    with pytest.raises(ziett.AuthenticationError):
        await flavour.run(client.campaigns.send_bulk(**arguments(sandbox, rows)))
    assert sandbox.requests == [LIST]  # the check before sending is refused already
    await flavour.close(client)


async def test_a_chunk_the_server_refuses_is_reported_and_the_job_goes_on(
    flavour: Flavour, server: Any, sandbox: Sandbox
) -> None:
    rows, _ = audience(2_100)
    sandbox.inject(422, method="POST", path="/c/v1/campaigns/batch")
    client = client_for(flavour, server)
    report = await flavour.run(client.campaigns.send_bulk(**arguments(sandbox, rows)))
    assert [untagged(name) for name in report.rejected] == ["Black Friday (1/3)"]
    assert names(sandbox) == ["Black Friday (2/3)", "Black Friday (3/3)"]
    assert report.accepted == 1_400
    await flavour.close(client)


def test_two_runs_on_one_journal_at_once_send_each_number_once(
    server: Any, sandbox: Sandbox, tmp_path: Path
) -> None:
    rows, numbers = audience(1_500)
    journal = tmp_path / "job.ziett"
    sandbox.inject(("slow", 0.5), times=4, method="POST", path="/c/v1/campaigns/batch")
    outcomes: list[Any] = []
    ready = threading.Barrier(2)

    def run() -> None:
        with ziett.Ziett(api_key=sandbox.api_key, base_url=server.base_url, rate_limits={}) as c:
            ready.wait()
            try:
                outcomes.append(c.campaigns.send_bulk(**arguments(sandbox, rows), journal=journal))
            except ziett.ZiettError as error:
                outcomes.append(error)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert_each_once(sandbox, numbers)
    assert len(sandbox.campaigns) == 2
    refused = [o for o in outcomes if isinstance(o, ziett.ZiettError)]
    assert len(refused) == 1
    assert f"in use by another run (pid {os.getpid()})" in str(refused[0])


async def test_a_journal_in_use_is_refused_before_any_request_and_resumes_once_free(
    flavour: Flavour, server: Any, sandbox: Sandbox, tmp_path: Path
) -> None:
    rows, numbers = audience(1_500)
    journal = tmp_path / "job.ziett"
    client = client_for(flavour, server)
    other_run = Journal(journal)
    with pytest.raises(ziett.ZiettError, match=r"in use by another run \(pid \d+\)"):
        await flavour.run(client.campaigns.send_bulk(**arguments(sandbox, rows), journal=journal))
    assert sandbox.requests == []
    other_run.close()
    report = await flavour.run(
        client.campaigns.send_bulk(**arguments(sandbox, rows), journal=journal)
    )
    assert_each_once(sandbox, numbers)
    assert report.accepted == 1_500
    again = await flavour.run(  # the same process resumes: the lease was released
        client.campaigns.send_bulk(**arguments(sandbox, rows), journal=journal)
    )
    assert again.resumed == 2 and sandbox.requests.count(BATCH) == 2
    await flavour.close(client)


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The seconds the job asks to sleep (recorded; nothing waits)."""
    asked: list[float] = []

    class Recorded(Sleep):
        __slots__ = ()

        def run_sync(self, link: Link) -> None:
            asked.append(self.seconds)

        async def run_async(self, link: Link) -> None:
            asked.append(self.seconds)

    monkeypatch.setattr(bulk, "Sleep", Recorded)
    return asked


async def test_a_retry_after_over_the_clients_max_stops_the_job_to_resume(
    flavour: Flavour, server: Any, sandbox: Sandbox, tmp_path: Path, waits: list[float]
) -> None:
    rows, numbers = audience(2_100)
    journal = tmp_path / "job.ziett"
    sandbox.inject(429, method="POST", path="/c/v1/campaigns/batch", retry_after=3600)
    client = client_for(flavour, server, max_retry_after=30)
    with pytest.raises(ziett.RateLimitError) as caught:
        await flavour.run(client.campaigns.send_bulk(**arguments(sandbox, rows), journal=journal))
    assert not any(w > 30 for w in waits)  # no silent hour
    notes = "\n".join(caught.value.__notes__)
    assert "max_retry_after (30 s)" in notes and "same journal to resume" in notes
    assert sandbox.requests == [LIST, BATCH]
    report = await flavour.run(
        client.campaigns.send_bulk(**arguments(sandbox, rows), journal=journal)
    )
    assert_each_once(sandbox, numbers)
    assert report.chunks == 3
    await flavour.close(client)


async def test_a_retry_after_within_the_clients_max_is_honoured(
    flavour: Flavour, server: Any, sandbox: Sandbox, waits: list[float]
) -> None:
    rows, numbers = audience(2_100)
    sandbox.inject(429, method="POST", path="/c/v1/campaigns/batch", retry_after=20)
    client = client_for(flavour, server, max_retry_after=30)
    await flavour.run(client.campaigns.send_bulk(**arguments(sandbox, rows)))
    assert 20 in waits
    assert_each_once(sandbox, numbers)
    await flavour.close(client)


async def test_chunks_wait_by_the_clients_retry_policy(
    flavour: Flavour,
    server: Any,
    sandbox: Sandbox,
    waits: list[float],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A backoff that tells which policy it belongs to: the client's has max_retry_after=7.
    monkeypatch.setattr(RetryPolicy, "backoff", lambda self, n: self.max_retry_after)
    rows, numbers = audience(2_100)
    sandbox.inject("drop_before", method="POST", path="/c/v1/campaigns/batch")
    client = client_for(flavour, server, max_retry_after=7)
    await flavour.run(client.campaigns.send_bulk(**arguments(sandbox, rows)))
    assert [w for w in waits if w > 0] == [7]
    assert_each_once(sandbox, numbers)
    await flavour.close(client)


# --- refused before any request ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("rows", "journal", "error", "text"),
    [
        ([], None, ziett.InvalidRequestError, "No valid recipient to send to (0 row(s))"),
        (["nope", "12"], None, ziett.InvalidRequestError, "none readable (e.g. 'nope'"),
        (["990000001"], "missing/dir/job.ziett", ziett.ZiettError, "cannot be opened"),
    ],
)
async def test_bad_input_is_refused_before_any_request(
    flavour: Flavour,
    server: Any,
    sandbox: Sandbox,
    tmp_path: Path,
    rows: list[str],
    journal: str | None,
    error: type[Exception],
    text: str,
) -> None:
    client = client_for(flavour, server)
    path = None if journal is None else tmp_path / journal
    with pytest.raises(error, match=text.replace("(", r"\(").replace(")", r"\)")):
        await flavour.run(client.campaigns.send_bulk(**arguments(sandbox, rows), journal=path))
    assert sandbox.requests == []
    await flavour.close(client)


async def test_an_audience_of_one_gets_the_single_message_rules_before_anything_is_written(
    flavour: Flavour, server: Any, sandbox: Sandbox, tmp_path: Path
) -> None:
    journal = tmp_path / "job.ziett"
    client = client_for(flavour, server)
    long = arguments(sandbox, ["990000001", "x"], content="x" * 1_601, journal=journal)
    with pytest.raises(ziett.InvalidRequestError) as caught:
        await flavour.run(client.campaigns.send_bulk(**long))
    assert "content" in caught.value.fields
    assert any("single message" in note for note in caught.value.__notes__)
    assert sandbox.requests == [] and not journal.exists()
    await flavour.close(client)


async def test_a_journal_left_sending_a_text_too_long_for_one_message_is_not_looked_up(
    flavour: Flavour, server: Any, sandbox: Sandbox, tmp_path: Path
) -> None:
    # Left by an earlier version that wrote "sending" before the request was refused.
    journal_path = tmp_path / "job.ziett"
    content = "x" * 1_601
    journal = Journal(journal_path)
    key = bulk.identity("Black Friday", sandbox.remitter_id, content, ["+244990000001"])
    journal.start(
        key, "'Black Friday', 1 recipients", bulk.plan_chunks("Black Friday", ["+244990000001"])
    )
    journal.sending(1, "2026-05-14T10:30:00+00:00")
    journal.close()
    client = client_for(flavour, server)
    args = arguments(sandbox, ["990000001"], content=content, journal=journal_path)
    for _ in range(2):  # every resume: refused at once, no lookup
        with pytest.raises(ziett.InvalidRequestError, match="Nothing was sent"):
            await flavour.run(client.campaigns.send_bulk(**args))
    assert sandbox.requests == []
    await flavour.close(client)


async def test_a_journal_of_another_job_is_refused(
    flavour: Flavour, server: Any, sandbox: Sandbox, tmp_path: Path
) -> None:
    journal = tmp_path / "job.ziett"
    client = client_for(flavour, server)
    first = arguments(sandbox, ["+244990000001", "+244990000002"], journal=journal)
    await flavour.run(client.campaigns.send_bulk(**first))
    sent = len(sandbox.requests)
    for change in ({"content": "Other text"}, {"recipients": ["+244990000003", "990000004"]}):
        with pytest.raises(ziett.ZiettError, match="belongs to another job"):
            await flavour.run(client.campaigns.send_bulk(**{**first, **change}))
    assert len(sandbox.requests) == sent
    await flavour.close(client)


def test_arguments_are_checked_when_called() -> None:
    with pytest.raises(ziett.InvalidRequestError) as caught:
        bulk.send_bulk(
            name="",
            remitter_id="not-a-uuid",
            content="x" * 161,
            recipients="+244990000001",
            max_segments=1,
        )
    assert {"name", "remitter_id", "recipients", "content"} <= set(caught.value.fields)


# --- chunks --------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [2, 999, 1_000, 1_001, 2_001, 2_501, 60_000, 60_001])
def test_chunks_hold_2_to_1000_numbers_and_are_balanced(count: int) -> None:
    sizes = bulk.chunk_sizes(count)
    assert sum(sizes) == count
    assert len(sizes) == -(-count // 1_000)
    assert all(2 <= size <= 1_000 for size in sizes)
    assert max(sizes) - min(sizes) <= 1


def test_an_audience_of_one_is_one_chunk_of_one() -> None:
    assert bulk.chunk_sizes(1) == [1] and bulk.chunk_sizes(0) == []


def test_chunk_names_carry_their_position_within_200_characters() -> None:
    assert bulk.chunk_name("Black Friday", 7, 60) == "Black Friday (7/60)"
    assert bulk.chunk_name("Black Friday", 1, 1) == "Black Friday"
    long = bulk.chunk_name("x" * 200, 60, 60)
    assert len(long) == 200 and long.endswith(" (60/60)")
