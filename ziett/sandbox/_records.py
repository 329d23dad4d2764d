"""The records the sandbox keeps: sender IDs, contacts, campaigns and messages.

Plain mutable dataclasses, changed only by :class:`ziett.sandbox._state.State`
under the sandbox's lock; their wire forms (the spec's schemas) are written by
the state, which knows the organisation they belong to.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Protocol


@dataclass
class Remitter:
    """An approved sender ID."""

    id: str
    name: str


@dataclass(eq=False)
class Contact:
    """A contact saved by a send's ``save_contact``."""

    id: str
    e164: str
    created: datetime
    updated: datetime
    name: str | None = None
    email: str | None = None
    tags: list[str] = field(default_factory=list)


@dataclass(eq=False)
class Campaign:
    """A batch campaign; ``born`` and ``steps`` drive its lifecycle."""

    id: str
    seq: int
    born: float
    created: datetime
    updated: datetime
    name: str
    remitter: Remitter
    content: str
    country_alpha2: str | None
    status: str = "PROCESSING"
    steps: int = 0
    messages: list[Message] = field(default_factory=list)


# Shares its first fields with Campaign (ids, order, times): the API's two records carry
# the same bookkeeping, and each dataclass stays a flat, readable list of its own fields.
@dataclass(eq=False)
class Message:
    """One message to one number; ``fate`` is the status it will end in."""

    id: str
    seq: int
    born: float
    created: datetime
    updated: datetime
    e164: str
    content: str
    cost: Decimal
    remitter: Remitter
    trigger_source: str
    fate: str
    channel_destination: str | None
    channel_type: str = "SMS"
    campaign: Campaign | None = None
    contact: Contact | None = None
    status: str = "PENDING"
    error_code: str | None = None
    is_refunded: bool = False
    external_id: str | None = None
    provider_id: str | None = None
    steps: int = 0

    @property
    def finished(self) -> bool:
        """Whether the message reached a final status."""
        return self.status not in ("PENDING", "SENT")


class Record(Protocol):
    """What listing needs of a record: an order of creation and two dates."""

    seq: int
    created: datetime
    updated: datetime
