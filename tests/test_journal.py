"""The bulk journal: what a later run reads back, whatever the earlier run got to write.

Each state change is read back from a fresh connection (as a new process would);
a journal of another job and a path that cannot be written are refused with an
error naming them; a journal file is leased to one run at a time (released on
close and when its process is killed); a state change from a state the run did
not leave the chunk in is refused. The kill -9 scenario over real HTTP is
tests/e2e/test_bulk_kill.py.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

import ziett
from ziett import JournalError
from ziett.jobs.journal import APPLICATION_ID, FORMAT, SCHEMA, Chunk, Journal

CHUNKS = [
    Chunk(1, "Promo (1/2)", ("+244990000001", "+244990000002")),
    Chunk(2, "Promo (2/2)", ("+244990000003", "+244990000004")),
]


def reopened(path: Path) -> list[Chunk]:
    """The chunks as a later run reads them (the journal closed: its lease released)."""
    journal = Journal(path)
    try:
        return journal.start("job-1", "'Promo'", [])
    finally:
        journal.close()


def peek(path: Path) -> list[Chunk]:
    """The chunks on disk, read by a plain SQLite connection while the run holds the lease."""
    with closing(sqlite3.connect(path)) as db:
        rows = db.execute(
            "SELECT number, name, recipients, state, result_id, began, detail "
            "FROM chunk ORDER BY number"
        ).fetchall()
    return [Chunk(n, name, tuple(json.loads(r)), *rest) for n, name, r, *rest in rows]


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
    assert peek(path)[0].state == "sending"  # read while the writer is still open
    journal.accepted(1, "campaign-1")
    journal.sending(2, "2026-05-14T10:31:00+00:00")
    journal.rejected(2, {"recipients": "Ensure this value has at most 1000 items."})
    first, second = peek(path)
    assert first._replace(began=None) == CHUNKS[0]._replace(
        state="accepted", result_id="campaign-1"
    )
    assert first.began == "2026-05-14T10:30:00+00:00"
    assert second.state == "rejected" and second.detail is not None
    assert "at most 1000" in second.detail
    journal.close()


def test_a_chunk_sent_and_surely_not_acted_on_is_pending_again(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.ziett")
    journal.start("job-1", "'Promo'", CHUNKS)
    journal.sending(1, "2026-05-14T10:30:00+00:00")
    journal.pending(1)
    journal.close()
    assert reopened(tmp_path / "j.ziett")[0].state == "pending"


@pytest.mark.parametrize(
    ("before", "change", "state"),
    [
        ("accepted", lambda j: j.sending(1, "2026-05-14T10:32:00+00:00"), "'accepted'"),
        ("accepted", lambda j: j.pending(1), "'accepted'"),
        ("sending", lambda j: j.sending(1, "2026-05-14T10:32:00+00:00"), "'sending'"),
        ("pending", lambda j: j.accepted(1, "campaign-2"), "'pending'"),
        ("pending", lambda j: j.rejected(1, {"": "no"}), "'pending'"),
    ],
)
def test_a_state_change_from_an_unexpected_state_is_refused_and_not_written(
    tmp_path: Path, before: str, change: Callable[[Journal], None], state: str
) -> None:
    # What two runs on one journal did: each read "pending", each wrote "sending" and sent.
    journal = Journal(tmp_path / "j.ziett")
    journal.start("job-1", "'Promo'", CHUNKS)
    if before != "pending":
        journal.sending(1, "2026-05-14T10:30:00+00:00")
    if before == "accepted":
        journal.accepted(1, "campaign-1")
    with pytest.raises(ziett.ZiettError, match=f"chunk 1 is {state}, not "):
        change(journal)
    journal.close()
    assert reopened(tmp_path / "j.ziett")[0].state == before


def test_a_journal_file_is_leased_to_one_run_at_a_time(tmp_path: Path) -> None:
    path = tmp_path / "j.ziett"
    first = Journal(path)
    first.start("job-1", "'Promo'", CHUNKS)
    with pytest.raises(ziett.ZiettError, match=rf"in use by another run \(pid {os.getpid()}\)"):
        Journal(path)  # another thread of this process, or another process
    first.sending(1, "2026-05-14T10:30:00+00:00")  # the owner goes on
    first.close()
    second = Journal(path)  # released on close: a resume in the same process
    assert second.start("job-1", "'Promo'", [])[0].state == "sending"
    second.close()
    Journal(None).close()  # in memory: the call's own, nothing to lease
    Journal(None).close()


def test_the_lease_of_a_killed_run_is_released_by_the_kernel(tmp_path: Path) -> None:
    path = tmp_path / "j.ziett"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from ziett.jobs.journal import Journal; "
            "j = Journal(sys.argv[1]); print('held', flush=True); time.sleep(60)",
            str(path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        with pytest.raises(ziett.ZiettError, match=rf"in use by another run \(pid {holder.pid}\)"):
            Journal(path)
    finally:
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait()
    Journal(path).close()


def test_a_journal_of_another_job_is_refused(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.ziett")
    journal.start("job-1", "'Promo', 4 recipients", CHUNKS)
    with pytest.raises(JournalError, match=r"belongs to another job \('Promo', 4 recip"):
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
    journal.sending(2, "2026-05-14T10:30:00+00:00")
    journal.accepted(2, "campaign-2")
    assert journal.start("job-1", "'Promo'", [])[1].state == "accepted"
    journal.close()


def test_every_commit_is_in_the_one_file_alone(tmp_path: Path) -> None:
    path = tmp_path / "j.ziett"
    journal = Journal(path)
    journal.start("job-1", "'Promo'", CHUNKS)
    journal.sending(1, "2026-05-14T10:30:00+00:00")
    journal.accepted(1, "campaign-1")
    journal.sending(2, "2026-05-14T10:31:00+00:00")
    # Copied while the run still holds it: no -wal, -shm or -journal beside it to need.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["j.ziett"]
    copy = tmp_path / "elsewhere" / "copy.ziett"
    copy.parent.mkdir()
    shutil.copyfile(path, copy)
    journal.close()
    first, second = reopened(copy)
    assert (first.state, first.result_id, second.state) == ("accepted", "campaign-1", "sending")
    with closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert db.execute("PRAGMA application_id").fetchone() == (APPLICATION_ID,)
        assert db.execute("PRAGMA user_version").fetchone() == (FORMAT,)


def test_a_journal_of_an_earlier_version_is_read_and_marked(tmp_path: Path) -> None:
    # The earlier layout: WAL, no marks; its last commit still in the -wal file.
    path = tmp_path / "j.ziett"
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.executescript(SCHEMA)
    db.execute("INSERT INTO job VALUES (1, 'job-1', 'Promo', 2)")
    db.execute(
        "INSERT INTO chunk (number, name, recipients, state) VALUES (1, 'a', '[]', 'accepted')"
    )
    left = tmp_path / "left"  # what a killed run of that version left: the file and its -wal
    left.mkdir()
    for suffix in ("", "-wal"):
        shutil.copyfile(f"{path}{suffix}", left / f"j.ziett{suffix}")
    db.close()
    path = left / "j.ziett"
    journal = Journal(path)
    assert journal.start("job-1", "'Promo'", [])[0].state == "accepted"
    journal.close()
    assert sorted(p.name for p in left.iterdir()) == ["j.ziett"]
    with closing(sqlite3.connect(path)) as check:
        assert check.execute("PRAGMA application_id").fetchone() == (APPLICATION_ID,)


def foreign_database(path: Path, application_id: int = 0) -> None:
    with closing(sqlite3.connect(path)) as db:
        db.execute("CREATE TABLE contacts (phone TEXT)")
        db.execute("INSERT INTO contacts VALUES ('+244990000001')")
        db.execute(f"PRAGMA application_id={application_id}")
        db.commit()


def newer_journal(path: Path) -> None:
    Journal(path).close()
    with closing(sqlite3.connect(path)) as db:
        db.execute(f"PRAGMA user_version={FORMAT + 1}")


def recorded_journal(path: Path) -> bytes:
    journal = Journal(path)
    journal.start("job-1", "'Promo'", [*CHUNKS, *(Chunk(n, "x" * 3000, ()) for n in range(3, 9))])
    journal.close()
    return path.read_bytes()


def corrupt_journal(path: Path) -> None:
    data = bytearray(recorded_journal(path))
    data[4096:5000] = b"\xff" * 904  # the second page, overwritten
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (foreign_database, "SQLite database that is not a ziett journal"),
        (lambda p: foreign_database(p, 7), "database of another application"),
        (lambda p: p.write_text("phone\n+244990000001\n"), "is a text file"),
        (lambda p: p.write_bytes(b"\x00\x01binary" * 50), "not a SQLite database"),
        (lambda p: p.write_bytes(b""), "is an empty file"),
        (lambda p: p.write_bytes(recorded_journal(p)[:50]), "truncated"),
        (lambda p: p.write_bytes(recorded_journal(p)[:5000]), "truncated"),
        (corrupt_journal, "damaged"),
        (newer_journal, f"has format {FORMAT + 1}, newer"),
    ],
    ids=["foreign", "app id", "text", "binary", "empty", "header", "pages", "corrupt", "newer"],
)
def test_what_is_not_an_intact_journal_is_refused_and_left_untouched(
    tmp_path: Path, make: Callable[[Path], object], says: str
) -> None:
    path = tmp_path / "j.ziett"
    make(path)
    before = path.read_bytes()
    with pytest.raises(JournalError, match=says):
        Journal(path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["j.ziett"]


@pytest.mark.parametrize("link", ["symlink", "hard link", "another path"])
def test_a_journal_in_use_is_refused_through_any_path(tmp_path: Path, link: str) -> None:
    path = tmp_path / "j.ziett"
    first = Journal(path)
    first.start("job-1", "'Promo'", CHUNKS)
    other = tmp_path / "sub" / "other.ziett"
    other.parent.mkdir()
    if link == "symlink":
        other.symlink_to(path)
    elif link == "hard link":
        os.link(path, other)
    else:
        other = tmp_path / "sub" / ".." / "j.ziett"
    with pytest.raises(JournalError, match=rf"in use by another run \(pid {os.getpid()}\)"):
        Journal(other)
    first.close()
    Journal(other).close()  # released: any path opens it


def test_a_commit_cut_short_is_rolled_back_not_refused(tmp_path: Path) -> None:
    # What a kill during a commit leaves: pages half-written into the file, and the
    # rollback journal beside it that restores them.
    path = tmp_path / "j.ziett"
    journal = Journal(path)
    journal.start("job-1", "'Promo'", [Chunk(n, "x" * 2000, ()) for n in range(1, 200)])
    journal.close()
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA cache_size=1")  # spill changed pages to the file before the commit
    db.execute("BEGIN")
    db.execute("UPDATE chunk SET state = 'accepted', name = ?", ("y" * 3000,))
    left = tmp_path / "left"
    left.mkdir()
    for suffix in ("", "-journal"):
        shutil.copyfile(f"{path}{suffix}", left / f"j.ziett{suffix}")
    db.execute("ROLLBACK")
    db.close()
    assert (left / "j.ziett").read_bytes() != path.read_bytes()  # torn, until rolled back
    chunks = reopened(left / "j.ziett")
    assert {c.state for c in chunks} == {"pending"} and chunks[0].name == "x" * 2000
    assert sorted(p.name for p in left.iterdir()) == ["j.ziett"]


def test_a_foreign_database_in_wal_mode_is_refused_without_folding_its_wal(
    tmp_path: Path,
) -> None:
    path = tmp_path / "app.db"
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE users (phone TEXT)")
    db.execute("PRAGMA wal_checkpoint")
    db.execute("INSERT INTO users VALUES ('+244990000001')")
    left = tmp_path / "left"  # the application's files as it left them (its last commits in -wal)
    left.mkdir()
    for suffix in ("", "-wal"):
        shutil.copyfile(f"{path}{suffix}", left / f"app.db{suffix}")
    db.close()
    before = {p.name: p.read_bytes() for p in left.iterdir()}
    with pytest.raises(JournalError, match="not a ziett journal"):
        Journal(left / "app.db")
    assert {p.name: p.read_bytes() for p in left.iterdir()} == before
