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

``path=None`` keeps the journal in memory (no resume). The methods block (disk
writes, fsync): the bulk job calls them through ``Blocking`` steps, in a worker
thread in async code, one at a time (``check_same_thread=False``, a lock).
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
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

    def __repr__(self) -> str:
        return f"Journal({self.path!r})"

    def close(self) -> None:
        """Close the file (every record is already on disk)."""
        with self._lock:
            self._db.close()

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
        """Chunk ``number`` is about to be sent (on disk before the request leaves)."""
        self._set(number, "sending", began=began)

    def accepted(self, number: int, result_id: str) -> None:
        """Chunk ``number`` was accepted as ``result_id`` (a campaign or a message)."""
        self._set(number, "accepted", result_id=result_id)

    def pending(self, number: int) -> None:
        """Chunk ``number`` was surely not acted on: it is to be sent."""
        self._set(number, "pending")

    def rejected(self, number: int, fields: dict[str, str]) -> None:
        """The server refused chunk ``number`` (422); ``fields`` says why."""
        self._set(number, "rejected", detail=json.dumps(fields))

    def _set(
        self,
        number: int,
        state: str,
        *,
        result_id: str | None = None,
        began: str | None = None,
        detail: str | None = None,
    ) -> None:
        with self._lock:
            try:
                self._db.execute(
                    "UPDATE chunk SET state = ?, result_id = coalesce(?, result_id), "
                    "began = coalesce(?, began), detail = ? WHERE number = ?",
                    (state, result_id, began, detail, number),
                )
            except sqlite3.Error as exc:
                raise ZiettError(f"The journal {self.path!r} cannot be written: {exc}.") from exc
