"""The journal of a bulk send: one SQLite file that alone holds the job's truth at every commit.

``campaigns.send_bulk(journal="black-friday.ziett")`` records the job's identity,
then each chunk's recipients, state (``pending`` -> ``sending`` -> ``accepted``/
``rejected``/``pending``) and campaign id, each change its own transaction. How the
file stays whole, is checked and is locked: on :class:`Journal`. Touches only its own
file (SQLite and ``flock``); the methods block, so the job runs them in ``Blocking`` steps.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from ziett._errors import JournalError

APPLICATION_ID = 0x5A49_4A31
"""``PRAGMA application_id`` of a ziett journal ("ZIJ1")."""
FORMAT = 2
"""``PRAGMA user_version``: 1 was the WAL layout without marks, 2 this one."""
_SQLITE_MAGIC = b"SQLite format 3\x00"

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
    """The campaign's name, ``"Black Friday (7/60) #1a2b3c4d"``."""
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
    """The chunks of one bulk job on disk (or in memory).

    The file uses a rollback journal (``journal_mode=DELETE``, ``synchronous=EXTRA``):
    a commit is fsync'd into the main file (and the directory), so the file alone, with
    no ``-wal``/``-shm``/``-journal`` beside it, holds every committed step; a copy of
    it resumes the job exactly.

    What it opens is checked before anything is written: a SQLite file marked as a
    ziett journal (``application_id``, format in ``user_version``), intact
    (``quick_check``), of a format this version reads. Anything else (a text file,
    another application's database, an empty, truncated or corrupt file, a newer
    format) raises ``JournalError`` saying what the file is and what to do.

    One run at a time, whatever the path: an exclusive ``flock`` on the journal file
    itself (a symlink, a hard link or another path to it meets the same lock),
    released on ``close`` and by the kernel when the process dies. Each state change
    is conditional on the state it leaves. ``path=None`` keeps the journal in memory.
    The methods block (fsync): the bulk job runs them in ``Blocking`` steps.

    Args:
        path: The file (created when missing); None: in memory.

    Raises:
        JournalError: The file is in use by another run, cannot be opened or
            written, or is not an intact ziett journal of a format this version reads.
    """

    def __init__(self, path: str | os.PathLike[str] | None) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._lease: _Lease | None = None
        if path is None:
            self._db = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
            self._db.executescript(SCHEMA)
            return
        where = os.fspath(path)
        _create(where)
        self._lease = _Lease(where)  # before anything is read
        try:
            _check_file(where)
            self._db = _open(where)
        except BaseException:
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

    def recorded(self) -> tuple[str, str] | None:
        """The (identity, description) of the job recorded here, or None (none yet)."""
        with self._lock:
            row = self._db.execute("SELECT identity, description FROM job").fetchone()
        return None if row is None else (str(row[0]), str(row[1]))

    def start(self, identity: str, description: str, chunks: Sequence[Chunk]) -> list[Chunk]:
        """The job's chunks: those recorded by an earlier run, else ``chunks`` (now recorded).

        Raises:
            JournalError: The journal belongs to another job (another identity).
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
                raise JournalError(
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
            JournalError: The chunk is not ``pending`` (nothing is written: do not send it).
        """
        self._set(number, "pending", "sending", began=began)

    def accepted(self, number: int, result_id: str) -> None:
        """Chunk ``number``, ``sending``, was accepted as ``result_id`` (campaign or message)."""
        self._set(number, "sending", "accepted", result_id=result_id)

    def found(self, number: int, result_id: str, began: str) -> None:
        """Chunk ``number``, ``pending``, is already on the server as ``result_id``
        (sent by an earlier run whose journal was lost), created at ``began``."""
        self._set(number, "pending", "accepted", result_id=result_id, began=began)

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
                raise JournalError(f"The journal {self.path!r} cannot be written: {exc}.") from exc
        found = "missing" if row is None else repr(row[0])
        raise JournalError(
            f"The journal {self.path!r} changed under this run: chunk {number} is {found}, "
            f"not {expected!r}, so it cannot become {state!r}. Is another run using it?"
        )


def _create(where: str) -> None:
    """A new, marked, empty journal at ``where`` unless a file is there: built beside it,
    then linked in place, so no run ever sees a half-made journal (nor an empty file)."""
    if os.path.lexists(where):
        return
    folder = os.path.dirname(os.path.abspath(where))
    try:
        fd, temporary = tempfile.mkstemp(prefix=".ziett-journal-", dir=folder)
    except OSError as exc:
        raise JournalError(
            f"The journal {where!r} cannot be opened: {exc.strerror or exc}."
        ) from exc
    os.close(fd)
    try:
        db = sqlite3.connect(temporary, isolation_level=None)
        try:
            db.executescript(
                f"PRAGMA journal_mode=DELETE; PRAGMA application_id={APPLICATION_ID}; "
                f"PRAGMA user_version={FORMAT}; {SCHEMA}"
            )
        finally:
            db.close()
        try:
            os.link(temporary, where)
        except FileExistsError:
            pass  # another run made it first: use theirs
        except OSError:  # a file system without hard links: moved in place, unless taken
            if not os.path.lexists(where):
                os.replace(temporary, where)
    except (OSError, sqlite3.Error) as exc:
        why = exc.strerror if isinstance(exc, OSError) else None
        raise JournalError(f"The journal {where!r} cannot be opened: {why or exc}.") from exc
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def _check_file(where: str) -> None:
    """Refuse what is not an intact ziett journal, from its header, before SQLite opens it."""
    try:
        with open(where, "rb") as file:
            header = file.read(100)
            size = os.fstat(file.fileno()).st_size
    except OSError as exc:
        raise JournalError(f"The journal {where!r} cannot be read: {exc}.") from exc
    fresh = f"If it was never a journal of a sent job, delete it or pass another path; {_ADVICE}"
    if size == 0:
        raise JournalError(
            f"The journal {where!r} is an empty file: a journal is never empty, so it was "
            f"emptied or made by something else. {fresh}"
        )
    if not header.startswith(_SQLITE_MAGIC):
        kind = "a text file" if _looks_like_text(header) else "not a SQLite database"
        raise JournalError(f"{where!r} is {kind}, not a ziett journal. {fresh}")
    if len(header) < 100:
        raise JournalError(f"The journal {where!r} is truncated ({size} bytes). {fresh}")
    page = int.from_bytes(header[16:18], "big")
    page = 65536 if page == 1 else page
    pages = int.from_bytes(header[28:32], "big")
    counted = header[24:28] == header[92:96]  # the header's page count is current
    # A commit cut short leaves its rollback journal: SQLite restores the file from it.
    mending = os.path.exists(where + "-journal") and os.path.getsize(where + "-journal") > 0
    short = counted and pages and size < pages * page
    if page < 512 or (not mending and (size % page or short)):
        raise JournalError(f"The journal {where!r} is truncated or damaged ({size} bytes). {fresh}")
    application = int.from_bytes(header[68:72], "big")
    version = int.from_bytes(header[60:64], "big")
    if application not in (0, APPLICATION_ID):
        raise JournalError(
            f"{where!r} is the SQLite database of another application (application_id "
            f"{application:#x}), not a ziett journal: nothing was written to it. Pass a new path."
        )
    if application == APPLICATION_ID and version > FORMAT:
        raise JournalError(
            f"The journal {where!r} has format {version}, newer than this version of ziett "
            f"reads ({FORMAT}): resume it with the version of ziett that wrote it (or newer)."
        )


_ADVICE = "the server check before sending still guards against sending a job twice."


def _probe_unmarked(where: str) -> None:
    """Refuse an unmarked database whose tables are not a journal's, read as an immutable
    file: no lock, no ``-shm``/``-wal`` made or folded in beside another application's data.
    (One whose tables are all still in its ``-wal`` is refused by the full open instead.)"""
    with open(where, "rb") as file:
        if int.from_bytes(file.read(72)[68:72], "big") == APPLICATION_ID:
            return
    uri = "file:" + urllib.parse.quote(os.path.abspath(where)) + "?mode=ro&immutable=1"
    try:
        with contextlib.closing(sqlite3.connect(uri, uri=True)) as probe:
            rows = probe.execute("SELECT name FROM sqlite_master WHERE type='table'")
            tables = {row[0] for row in rows}
    except sqlite3.Error:
        return  # the full open below says what is wrong
    if tables and tables != {"job", "chunk"}:
        raise JournalError(
            f"{where!r} is a SQLite database that is not a ziett journal (tables "
            f"{', '.join(sorted(tables))}): nothing was written to it. Pass a new path."
        )


def _looks_like_text(header: bytes) -> bool:
    try:
        header.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return b"\x00" not in header


def _open(where: str) -> sqlite3.Connection:
    """A connection to the checked file, intact and marked, with its commits self-contained."""
    _probe_unmarked(where)
    try:
        db = sqlite3.connect(where, check_same_thread=False, isolation_level=None)
    except sqlite3.Error as exc:
        raise JournalError(f"The journal {where!r} cannot be opened: {exc}.") from exc
    try:
        if db.execute("PRAGMA quick_check").fetchone() != ("ok",):
            raise sqlite3.DatabaseError("quick_check failed")
        application = db.execute("PRAGMA application_id").fetchone()[0]
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if application != APPLICATION_ID and tables != {"job", "chunk"}:
            what = f"tables {', '.join(sorted(tables))}" if tables else "no table"
            raise JournalError(
                f"{where!r} is a SQLite database that is not a ziett journal ({what}): "
                "nothing was written to it. Pass a new path for the journal."
            )
        # A journal of an earlier version (WAL, unmarked): folded into the one file, marked.
        db.execute("PRAGMA journal_mode=DELETE")
        db.execute("PRAGMA synchronous=EXTRA")
        if application != APPLICATION_ID:
            db.execute(f"PRAGMA application_id={APPLICATION_ID}")
            db.execute(f"PRAGMA user_version={FORMAT}")
    except JournalError:
        db.close()
        raise
    except sqlite3.OperationalError as exc:
        db.close()
        if "locked" not in str(exc) and "busy" not in str(exc):
            raise _damaged(where, exc) from exc
        raise JournalError(
            f"The journal {where!r} is open in another program ({exc}): close it, then run again."
        ) from exc
    except sqlite3.Error as exc:
        db.close()
        raise _damaged(where, exc) from exc
    return db


def _damaged(where: str, exc: sqlite3.Error) -> JournalError:
    return JournalError(
        f"The journal {where!r} is truncated or damaged ({exc}): it cannot be trusted to say what "
        f"was sent. Keep it for inspection and pass a new path; {_ADVICE}"
    )


class _Lease:
    """An exclusive, non-blocking ``flock`` on the journal file itself, held until released.

    The lock belongs to the file (its inode), so every path to it meets it; it is
    separate from SQLite's own byte-range locks. A second open conflicts even in
    this process, and the kernel drops the lock when the process dies. The
    owner's pid is noted in a file named after the inode, for the refusal's message.

    Raises:
        JournalError: Another run holds it (naming its pid), or the file cannot be opened.
    """

    def __init__(self, journal: str) -> None:
        self._fd: int | None = None
        self._noted = False
        try:
            real = os.path.realpath(journal)
            target = real + ".lock" if sys.platform == "win32" else real
            self._fd = os.open(target, os.O_RDWR | os.O_CREAT if target != real else os.O_RDONLY)
            status = os.fstat(self._fd)
        except OSError as exc:
            self.release()
            raise JournalError(f"The journal {journal!r} cannot be opened: {exc}.") from exc
        self._note = Path(tempfile.gettempdir()) / f"ziett-journal-{status.st_dev}-{status.st_ino}"
        try:
            _lock(self._fd)
        except BlockingIOError:
            owner = _read_pid(self._note)
            self.release()
            raise JournalError(
                f"The journal {journal!r} is in use by another run (pid {owner}): wait for "
                "it to finish (or stop it), then run the same call again to resume."
            ) from None
        except OSError as exc:
            self.release()
            raise JournalError(f"The journal {journal!r} cannot be locked: {exc}.") from exc
        with contextlib.suppress(OSError):  # the pid is a courtesy: the lock is what counts
            self._note.write_text(f"{os.getpid()}\n")
            self._noted = True

    def release(self) -> None:
        """Give the lease back (closing the descriptor drops the lock); idempotent."""
        fd, self._fd = self._fd, None
        if self._noted:
            self._noted = False
            with contextlib.suppress(OSError):
                self._note.unlink()
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


def _read_pid(note: Path) -> str:
    """The pid the owner noted (it may be about to), or "unknown"."""
    for _ in range(50):  # a new owner writes it right after it locks: up to 0.5 s
        try:
            text = note.read_text().strip()
        except OSError:
            text = ""
        if text.isdigit():
            return text
        time.sleep(0.01)
    return "unknown"
