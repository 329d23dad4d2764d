"""The journal of a bulk send: an embedded SQLite file that survives kill -9 at any point.

``campaigns.send_bulk(journal="black-friday.ziett")`` records, in one file and
with no server: the job's identity (a hash of its name, sender, content and
recipient set), then each chunk's recipients, state and campaign id. The file is
written *before* each request (the chunk is ``sending``, since when) and *after*
it (``accepted`` with the campaign id, ``pending`` again when it surely was not
sent, ``rejected`` with the server's fields). Each of those writes is its own
transaction, committed with ``journal_mode=WAL`` and ``synchronous=FULL``: the
WAL is fsync'd at every commit, so once a method returns its record is on disk.

Reading it back after a crash: ``accepted`` and ``rejected`` chunks are done;
a ``sending`` chunk's outcome is unknown (the process died during its request,
or after it before writing the answer): ``ziett.jobs.bulk`` reconciles it with
the server before sending anything again; ``pending`` chunks are sent.

One run at a time: a journal file is leased for as long as it is open, with an
exclusive ``flock`` on the sidecar ``<journal>.lock`` (which holds the owner's
pid). A second run on the same file (another process, or another thread of
this one) is refused at once with a ``ZiettError`` naming that pid, before it
reads or sends anything. The kernel releases the lease when its process dies,
kill -9 included, so the next run can resume; ``close`` releases it too (a
resume in the same process). Each state change is also conditional on the
state it leaves (``pending`` -> ``sending`` -> ``accepted``/``rejected``/
``pending``): a chunk changed under the run (which the lease rules out) stops
it with an error rather than being sent again.

``path=None`` keeps the journal in memory (no resume, no lease: it is the
call's own). The methods block (disk writes, fsync): the bulk job calls them
through ``Blocking`` steps, in a worker thread in async code, one at a time
(``check_same_thread=False``, a lock).
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import threading
import time
from collections.abc import Sequence
from typing import NamedTuple

from ziett._errors import ZiettError

SCHEMA = """
CREATE TABLE IF NOT EXISTS job (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    identity TEXT NOT NULL,
    description TEXT NOT NULL,
    chunks INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS chunk (
    number INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    recipients TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending'
        CHECK (state IN ('pending', 'sending', 'accepted', 'rejected')),
    result_id TEXT,
    began TEXT,
    detail TEXT
);
"""


class Chunk(NamedTuple):
    """One request of the job: a campaign (2..1,000 numbers) or a single message."""

    number: int
    """1-based position in the job."""
    name: str
    """The campaign's name, ``"Black Friday (7/60)"``."""
    recipients: tuple[str, ...]
    """E.164 numbers."""
    state: str = "pending"
    """``pending``, ``sending`` (outcome unknown), ``accepted`` or ``rejected``."""
    result_id: str | None = None
    """The campaign id (the message id for an audience of one) once accepted."""
    began: str | None = None
    """When the last request began (ISO 8601, UTC, this machine's clock)."""
    detail: str | None = None
    """A rejected chunk's fields from the server (JSON)."""


class Journal:
    """The chunks of one bulk job on disk (or in memory); see the module docstring.

    Args:
        path: The file (created when missing); None: in memory.

    Raises:
        ZiettError: The file cannot be opened or written, or is not a journal.
    """

    def __init__(self, path: str | os.PathLike[str] | None) -> None:
        self.path = path
        self._lock = threading.Lock()
        where = ":memory:" if path is None else os.fspath(path)
        self._lease = None if path is None else _Lease(where)  # before anything is read
        try:
            try:
                self._db = sqlite3.connect(where, check_same_thread=False, isolation_level=None)
            except sqlite3.Error as exc:
                raise ZiettError(f"The journal {where!r} cannot be opened: {exc}.") from exc
            try:
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("PRAGMA synchronous=FULL")
                self._db.executescript(SCHEMA)
            except sqlite3.Error as exc:
                self._db.close()
                raise ZiettError(
                    f"The journal {where!r} cannot be written (or is not a journal): {exc}."
                ) from exc
        except BaseException:
            if self._lease is not None:
                self._lease.release()
            raise

    def __repr__(self) -> str:
        return f"Journal({self.path!r})"

    def close(self) -> None:
        """Close the file (every record is already on disk) and release its lease."""
        with self._lock:
            try:
                self._db.close()
            finally:
                if self._lease is not None:
                    self._lease.release()

    def start(self, identity: str, description: str, chunks: Sequence[Chunk]) -> list[Chunk]:
        """The job's chunks: those recorded by an earlier run, else ``chunks`` (now recorded).

        Raises:
            ZiettError: The journal belongs to another job (another identity).
        """
        with self._lock:
            row = self._db.execute("SELECT identity, description FROM job").fetchone()
            if row is None:
                with self._db:  # one transaction: the whole plan, or nothing
                    self._db.execute("BEGIN IMMEDIATE")
                    self._db.execute(
                        "INSERT INTO job (id, identity, description, chunks) VALUES (1, ?, ?, ?)",
                        (identity, description, len(chunks)),
                    )
                    self._db.executemany(
                        "INSERT INTO chunk (number, name, recipients) VALUES (?, ?, ?)",
                        [(c.number, c.name, json.dumps(c.recipients)) for c in chunks],
                    )
            elif row[0] != identity:
                raise ZiettError(
                    f"The journal {self.path!r} belongs to another job ({row[1]}): its name, "
                    "sender, content or recipients differ from this call's. Use another "
                    "journal file for a new job; resume that one with its own arguments."
                )
            return [
                Chunk(number, name, tuple(json.loads(recipients)), state, result, began, detail)
                for number, name, recipients, state, result, began, detail in self._db.execute(
                    "SELECT number, name, recipients, state, result_id, began, detail "
                    "FROM chunk ORDER BY number"
                )
            ]

    def sending(self, number: int, began: str) -> None:
        """Pending chunk ``number`` is about to be sent (on disk before the request leaves).

        Raises:
            ZiettError: The chunk is not ``pending`` (nothing is written: do not send it).
        """
        self._set(number, "pending", "sending", began=began)

    def accepted(self, number: int, result_id: str) -> None:
        """Chunk ``number``, ``sending``, was accepted as ``result_id`` (campaign or message)."""
        self._set(number, "sending", "accepted", result_id=result_id)

    def pending(self, number: int) -> None:
        """Chunk ``number``, ``sending``, was surely not acted on: it is to be sent."""
        self._set(number, "sending", "pending")

    def rejected(self, number: int, fields: dict[str, str]) -> None:
        """The server refused chunk ``number``, ``sending`` (422); ``fields`` says why."""
        self._set(number, "sending", "rejected", detail=json.dumps(fields))

    def _set(
        self,
        number: int,
        expected: str,
        state: str,
        *,
        result_id: str | None = None,
        began: str | None = None,
        detail: str | None = None,
    ) -> None:
        """Move chunk ``number`` from ``expected`` to ``state``, or raise (nothing written)."""
        with self._lock:
            try:
                changed = self._db.execute(
                    "UPDATE chunk SET state = ?, result_id = coalesce(?, result_id), "
                    "began = coalesce(?, began), detail = ? WHERE number = ? AND state = ?",
                    (state, result_id, began, detail, number, expected),
                ).rowcount
                if changed == 1:
                    return
                row = self._db.execute(
                    "SELECT state FROM chunk WHERE number = ?", (number,)
                ).fetchone()
            except sqlite3.Error as exc:
                raise ZiettError(f"The journal {self.path!r} cannot be written: {exc}.") from exc
        found = "missing" if row is None else repr(row[0])
        raise ZiettError(
            f"The journal {self.path!r} changed under this run: chunk {number} is {found}, "
            f"not {expected!r}, so it cannot become {state!r}. Is another run using it?"
        )


class _Lease:
    """An exclusive, non-blocking ``flock`` on ``<journal>.lock``, held until released.

    ``flock`` locks belong to an open file description: a second open of the file
    conflicts even in the same process (another thread), and the kernel drops the
    lock with the last descriptor, when the process dies however it dies.

    Raises:
        ZiettError: Another run holds it (naming its pid), or the file cannot be opened.
    """

    def __init__(self, journal: str) -> None:
        self.path = journal + ".lock"
        try:
            self._fd: int | None = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise ZiettError(f"The journal {journal!r} cannot be opened: {exc}.") from exc
        try:
            _lock(self._fd)
        except BlockingIOError:
            owner = _read_pid(self._fd)
            self.release()
            raise ZiettError(
                f"The journal {journal!r} is in use by another run (pid {owner}): wait for "
                "it to finish (or stop it), then run the same call again to resume."
            ) from None
        except OSError as exc:
            self.release()
            raise ZiettError(f"The journal {journal!r} cannot be locked: {exc}.") from exc
        try:  # the owner's pid, for the message of a refused run: one fixed-width write
            os.lseek(self._fd, 0, os.SEEK_SET)
            os.write(self._fd, f"{os.getpid():<20}\n".encode())
        except OSError:
            pass  # the pid is a courtesy: the lock is what counts

    def release(self) -> None:
        """Give the lease back (closing the descriptor drops the lock); idempotent."""
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)


def _lock(fd: int) -> None:
    """Lock ``fd`` exclusively or raise ``BlockingIOError`` at once (held elsewhere)."""
    if sys.platform == "win32":  # no flock: msvcrt locks the first byte, per handle
        import msvcrt

        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except PermissionError as exc:
            raise BlockingIOError(str(exc)) from exc
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _read_pid(fd: int) -> str:
    """The pid the owner wrote in the lock file (it may be about to), or "unknown"."""
    for _ in range(50):  # a new owner writes it right after it locks: up to 0.5 s
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            text = os.read(fd, 32).decode("ascii", "replace").strip()
        except OSError:
            return "unknown"
        if text.isdigit():
            return text
        time.sleep(0.01)
    return "unknown"
