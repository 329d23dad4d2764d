"""The bulk journal: what a later run reads back, whatever the earlier run got to write.

Each state change is read back from a fresh connection (as a new process would);
a journal of another job and a path that cannot be written are refused with an
error naming them. The kill -9 scenario over real HTTP is tests/e2e/test_bulk_kill.py.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

import ziett
from ziett.jobs.journal import Chunk, Journal

CHUNKS = [
    Chunk(1, "Promo (1/2)", ("+244990000001", "+244990000002")),
    Chunk(2, "Promo (2/2)", ("+244990000003", "+244990000004")),
]


def reopened(path: Path) -> list[Chunk]:
    journal = Journal(path)
    try:
        return journal.start("job-1", "'Promo'", [])
    finally:
        journal.close()


def test_a_new_job_records_its_chunks_pending(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.ziett")
    assert journal.start("job-1", "'Promo'", CHUNKS) == CHUNKS
    journal.close()
    assert reopened(tmp_path / "j.ziett") == CHUNKS


def test_every_state_change_is_on_disk_when_the_method_returns(tmp_path: Path) -> None:
    path = tmp_path / "j.ziett"
    journal = Journal(path)
    journal.start("job-1", "'Promo'", CHUNKS)
    journal.sending(1, "2026-05-14T10:30:00+00:00")
    assert reopened(path)[0].state == "sending"  # read while the writer is still open
    journal.accepted(1, "campaign-1")
    journal.sending(2, "2026-05-14T10:31:00+00:00")
    journal.rejected(2, {"recipients": "Ensure this value has at most 1000 items."})
    first, second = reopened(path)
    assert first._replace(began=None) == CHUNKS[0]._replace(
        state="accepted", result_id="campaign-1"
    )
    assert first.began == "2026-05-14T10:30:00+00:00"
    assert second.state == "rejected" and second.detail is not None
    assert "at most 1000" in second.detail
    journal.pending(1)
    assert reopened(path)[0].state == "pending"
    journal.close()


def test_the_journal_is_in_wal_mode(tmp_path: Path) -> None:
    Journal(tmp_path / "j.ziett").close()
    with sqlite3.connect(tmp_path / "j.ziett") as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_a_journal_of_another_job_is_refused(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.ziett")
    journal.start("job-1", "'Promo', 4 recipients", CHUNKS)
    with pytest.raises(ziett.ZiettError, match=r"belongs to another job \('Promo', 4 recip"):
        journal.start("job-2", "'Other'", CHUNKS)
    journal.close()


@pytest.mark.parametrize("make", ["missing directory", "not a database"])
def test_a_path_that_cannot_be_a_journal_is_refused(tmp_path: Path, make: str) -> None:
    path = tmp_path / "missing" / "j.ziett"
    if make == "not a database":
        path = tmp_path / "numbers.csv"
        path.write_text("phone\n+244990000001\n" * 100)
    with pytest.raises(ziett.ZiettError, match=str(path.name)):
        Journal(path)


def test_without_a_path_the_journal_is_in_memory() -> None:
    journal = Journal(None)
    assert journal.start("job-1", "'Promo'", CHUNKS) == CHUNKS
    journal.accepted(2, "campaign-2")
    assert journal.start("job-1", "'Promo'", [])[1].state == "accepted"
    journal.close()
