"""Ids, keys and dates as the Ziett API writes them.

UUID v7 ids that sort in creation order (like the real API's), ``zk_test_`` API
keys, and ISO 8601 dates with microseconds. Kept apart from the state so that
every record-making module shares one id factory's rules.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime


def iso(moment: datetime) -> str:
    """``moment`` as the API writes dates (ISO 8601, microseconds, UTC offset).

    :param moment: an aware date-time.
    """
    return moment.isoformat(timespec="microseconds")


def uuid7(unix_ms: int, counter: int, tail: int) -> str:
    """A UUID v7: 48-bit ms timestamp, version 7, 12-bit counter, RFC 9562 variant, 62 bits.

    :param unix_ms: milliseconds since the Unix epoch.
    :param counter: the 12-bit counter that orders ids made in the same millisecond.
    :param tail: 62 random bits.
    """
    value = (unix_ms & (1 << 48) - 1) << 80
    value |= 0x7 << 76 | (counter & 0xFFF) << 64
    value |= 0b10 << 62 | (tail & (1 << 62) - 1)
    return str(uuid.UUID(int=value))


class IdFactory:
    """UUID v7 strings that sort in creation order (a counter breaks ties within a ms)."""

    def __init__(self) -> None:
        self._last_ms = -1
        self._counter = 0

    def new(self, moment: datetime) -> str:
        """A new id for a record made at ``moment``, greater than every earlier one.

        :param moment: the record's creation date.
        """
        ms = max(int(moment.timestamp() * 1000), self._last_ms)
        if ms != self._last_ms:
            self._counter = secrets.randbelow(0x400)
        elif self._counter < 0xFFF:
            self._counter += 1
        else:
            ms, self._counter = ms + 1, 0
        self._last_ms = ms
        return uuid7(ms, self._counter, secrets.randbits(62))


def new_api_key() -> str:
    """A fresh sandbox API key (``zk_test_`` and 32 hex digits)."""
    return "zk_test_" + secrets.token_hex(16)


def canonical_uuid(value: str) -> str | None:
    """``value`` as a lower-case hyphenated UUID, or None when it is not a UUID.

    :param value: the text to read (any case, with or without hyphens or braces).
    """
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return None


def chosen_api_key(value: str) -> str:
    """``value`` checked as an API key chosen for a sandbox.

    :param value: printable ASCII without spaces, 8 to 200 characters; never a live key
        (``zk_live_``): the sandbox prints its keys, and a live one must stay secret.
    :raises ValueError: when ``value`` is not usable.
    """
    if not isinstance(value, str):
        raise TypeError(f"api_key must be a str, not {type(value).__name__}")
    if value.startswith("zk_live_"):
        raise ValueError(
            "api_key must not be a live key (zk_live_...): the sandbox prints its keys; "
            "choose a test key such as zk_test_local"
        )
    if not 8 <= len(value) <= 200 or not all("!" <= c <= "~" for c in value):
        raise ValueError(
            "api_key must be 8 to 200 printable ASCII characters without spaces, e.g. zk_test_local"
        )
    return value


def chosen_remitter_id(value: str) -> str:
    """``value`` checked as the id of a sandbox's sender: a UUID, canonical form.

    :param value: a UUID, e.g. ``0190a1b2-0000-7000-8000-000000000001``.
    :raises ValueError: when ``value`` is not a UUID.
    """
    if not isinstance(value, str):
        raise TypeError(f"remitter_id must be a str, not {type(value).__name__}")
    canonical = canonical_uuid(value)
    if canonical is None or value.startswith("{"):
        raise ValueError(
            f"remitter_id must be a UUID such as 0190a1b2-0000-7000-8000-000000000001, "
            f"got {value!r}"
        )
    return canonical
