"""send_bulk when the journal is lost, replaced or stale: the server's record decides.

A run without local progress reads the campaigns of the window first (one list
call when none is this job's): a job the server shows whole is refused with
``DuplicateSendError`` before anything is sent; one it shows in part resumes
from there; ``allow_repeat=True`` sends again on purpose. Another job of the
same name is never mistaken for this one; the same rows in another order are
the same job. Against the sandbox over real HTTP, in both flavours.
"""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import ziett
from ziett._retry import RetryPolicy
from ziett.jobs import bulk
from ziett.sandbox import Sandbox, serve_in_thread

from .conftest import Flavour

BATCH = ("POST", "/c/v1/campaigns/batch")
LIST = ("GET", "/c/v1/campaigns")
NUMBERS = [f"+24499{i:07d}" for i in range(2_100)]


@pytest.fixture(scope="module")
def server() -> Iterator[Any]:
    with serve_in_thread(Sandbox(rate_limits={}, balance=1_000_000)) as running:
        yield running


@pytest.fixture
def sandbox(server: Any, monkeypatch: pytest.MonkeyPatch) -> Sandbox:
    monkeypatch.setattr(bulk, "SETTLE_DELAY", 0.0)  # the sandbox commits before it answers
    monkeypatch.setattr(RetryPolicy, "backoff", lambda self, n: 0.0)
    sandbox: Sandbox = server.sandbox
    sandbox.reset()
    return sandbox


def job(sandbox: Sandbox, rows: list[str] = NUMBERS, **extra: Any) -> dict[str, Any]:
    return {
        "name": "Black Friday",
        "remitter_id": sandbox.remitter_id,
        "content": "50% off this weekend only.",
        "recipients": rows,
        **extra,
    }


def sent(sandbox: Sandbox) -> Counter[str]:
    return Counter(m["e164_format"] for m in sandbox.messages)


async def test_a_new_job_costs_one_list_call_before_it_sends(
    flavour: Flavour, server: Any, sandbox: Sandbox, tmp_path: Path
) -> None:
    client = flavour.client(base_url=server.base_url, api_key=sandbox.api_key)
    await flavour.run(client.campaigns.send_bulk(**job(sandbox), journal=tmp_path / "j"))
    assert sandbox.requests == [LIST, BATCH, BATCH, BATCH]
    await flavour.close(client)


async def test_a_job_sent_whole_is_refused_when_its_journal_is_lost_and_sent_again_on_purpose(
    flavour: Flavour, server: Any, sandbox: Sandbox, tmp_path: Path
) -> None:
    client = flavour.client(base_url=server.base_url, api_key=sandbox.api_key)
    journal = tmp_path / "job.ziett"
    first = await flavour.run(client.campaigns.send_bulk(**job(sandbox), journal=journal))
    journal.unlink()
    before = len(sandbox.requests)
    shuffled = NUMBERS[1000:] + NUMBERS[:1000]  # the same rows in another order: the same job
    for path in (journal, None):
        with pytest.raises(ziett.DuplicateSendError) as caught:
            await flavour.run(client.campaigns.send_bulk(**job(sandbox, shuffled), journal=path))
        error = caught.value
        assert error.may_have_been_sent is False
        assert (error.chunks_sent, error.recipients_sent) == (3, 2_100)
        assert error.first_sent_at is not None
        assert "allow_repeat=True" in str(error) and "--allow-repeat" in str(error)
    assert sandbox.requests[before:] == [LIST, LIST]  # nothing sent
    assert set(sent(sandbox).values()) == {1}
    again = await flavour.run(
        client.campaigns.send_bulk(**job(sandbox), journal=journal, allow_repeat=True)
    )
    assert again.accepted == 2_100 and set(again.campaign_ids).isdisjoint(first.campaign_ids)
    assert set(sent(sandbox).values()) == {2}
    with pytest.raises(ziett.DuplicateSendError) as caught:  # sent twice: never a "resume"
        await flavour.run(client.campaigns.send_bulk(**job(sandbox)))
    assert caught.value.chunks_sent == 6
    await flavour.close(client)


async def test_a_job_stopped_midway_resumes_from_the_server_when_its_journal_is_lost(
    flavour: Flavour, server: Any, sandbox: Sandbox, tmp_path: Path
) -> None:
    client = flavour.client(base_url=server.base_url, api_key=sandbox.api_key)
    journal = tmp_path / "job.ziett"

    def out_of_money(progress: bulk.Progress) -> None:
        if progress.chunks_done == 1:
            sandbox.inject(402, method="POST", path="/c/v1/campaigns/batch")

    with pytest.raises(ziett.InsufficientFundsError):
        await flavour.run(
            client.campaigns.send_bulk(**job(sandbox), journal=journal, on_progress=out_of_money)
        )
    first = sandbox.campaigns[0]["id"]
    journal.unlink()
    journal.write_bytes(b"")  # an emptied journal is refused, not taken for a new job
    with pytest.raises(ziett.JournalError, match="empty file"):
        await flavour.run(client.campaigns.send_bulk(**job(sandbox), journal=journal))
    journal.unlink()
    report = await flavour.run(client.campaigns.send_bulk(**job(sandbox), journal=journal))
    assert report.resumed == 1 and report.campaign_ids[0] == first
    assert report.accepted == 2_100
    assert set(sent(sandbox)) == set(NUMBERS) and set(sent(sandbox).values()) == {1}
    await flavour.close(client)


async def test_a_stale_copy_of_the_journal_adopts_what_was_sent_after_it(
    flavour: Flavour, server: Any, sandbox: Sandbox, tmp_path: Path
) -> None:
    client = flavour.client(base_url=server.base_url, api_key=sandbox.api_key)
    journal, copy = tmp_path / "job.ziett", tmp_path / "backup.ziett"

    def back_up(progress: bulk.Progress) -> None:
        if progress.chunks_done == 1:
            shutil.copyfile(journal, copy)  # a backup taken during the run

    first = await flavour.run(
        client.campaigns.send_bulk(**job(sandbox), journal=journal, on_progress=back_up)
    )
    again = await flavour.run(client.campaigns.send_bulk(**job(sandbox), journal=copy))
    assert again.campaign_ids == first.campaign_ids and again.resumed == 3
    assert set(sent(sandbox).values()) == {1} and sandbox.requests.count(BATCH) == 3
    await flavour.close(client)


async def test_another_job_of_the_same_name_is_not_taken_for_this_one(
    flavour: Flavour, server: Any, sandbox: Sandbox
) -> None:
    client = flavour.client(base_url=server.base_url, api_key=sandbox.api_key)
    await flavour.run(client.campaigns.send_bulk(**job(sandbox)))
    other = await flavour.run(client.campaigns.send_bulk(**job(sandbox, NUMBERS[:2_000])))
    assert other.accepted == 2_000 and other.resumed == 0
    text = await flavour.run(client.campaigns.send_bulk(**job(sandbox, content="Other text.")))
    assert text.accepted == 2_100
    await flavour.close(client)


async def test_a_job_of_one_recipient_is_looked_for_as_a_message(
    flavour: Flavour, server: Any, sandbox: Sandbox
) -> None:
    client = flavour.client(base_url=server.base_url, api_key=sandbox.api_key)
    await flavour.run(client.campaigns.send_bulk(**job(sandbox, ["+244990000001"])))
    with pytest.raises(ziett.DuplicateSendError) as caught:
        await flavour.run(
            client.campaigns.send_bulk(**job(sandbox, ["990000001", "x"]), country_alpha2="AO")
        )
    assert (caught.value.chunks_sent, caught.value.recipients_sent) == (1, 1)
    assert len(sandbox.messages) == 1
    await flavour.close(client)


@pytest.mark.parametrize("window", [0, -1, float("nan"), 400 * 86_400])
def test_a_window_out_of_range_is_refused_when_called(window: float) -> None:
    with pytest.raises(ziett.ZiettError) as caught:
        bulk.send_bulk(
            name="Promo",
            remitter_id="019b4b56-e704-7c30-83a0-527df63c3e00",
            content="Hi",
            recipients=NUMBERS[:2],
            repeat_window=window,
        )
    assert caught.value.may_have_been_sent is False


def test_allow_repeat_must_be_a_bool() -> None:
    with pytest.raises(TypeError, match="allow_repeat"):
        bulk.send_bulk(
            name="Promo",
            remitter_id="019b4b56-e704-7c30-83a0-527df63c3e00",
            content="Hi",
            recipients=NUMBERS[:2],
            allow_repeat="yes",  # type: ignore[arg-type]
        )


async def test_a_key_that_cannot_list_campaigns_stops_the_job_before_it_sends(
    flavour: Flavour, server: Any, sandbox: Sandbox
) -> None:
    sandbox.inject(403, method="GET", path="/c/v1/campaigns")
    client = flavour.client(base_url=server.base_url, api_key=sandbox.api_key)
    with pytest.raises(ziett.PermissionDeniedError) as caught:
        await flavour.run(client.campaigns.send_bulk(**job(sandbox)))
    assert caught.value.may_have_been_sent is False
    assert any("allow_repeat=True" in note for note in caught.value.__notes__)
    assert sandbox.requests == [LIST]
    await flavour.close(client)
