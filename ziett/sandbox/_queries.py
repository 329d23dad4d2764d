"""Query parameters of the listing operations: paging, ordering and message filters.

:class:`Query` collects every problem before failing with one 422 (as the API does);
the limits are ``ziett._constraints``'s; enum values are the spec's exactly (upper case:
a lower-case ``status=sent`` is a 422 here, as schemathesis checks against
openapi.yaml). Filters are data (:data:`MESSAGE_FILTERS`): one repeatable parameter
each, values OR-ed, filters AND-ed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final, TypeAlias, TypeVar

import httpx

from ziett import _constraints as limits
from ziett._validation import Rule
from ziett.sandbox._ids import canonical_uuid
from ziett.sandbox._records import Message, Record
from ziett.sandbox._responses import JSON, validation_error

_R = TypeVar("_R", bound=Record)


class Query:
    """Reads query parameters, collecting every problem before failing with one 422."""

    def __init__(self, params: httpx.QueryParams) -> None:
        self._params = params
        self.problems: dict[str, str] = {}

    def values(self, name: str) -> list[str]:
        # Empty values count as absent: the docs' own example sends `status=&q=`.
        return [value for value in self._params.get_list(name) if value != ""]

    def last(self, name: str) -> str | None:
        values = self.values(name)
        return values[-1] if values else None

    def integer(self, name: str, rule: Rule, default: int) -> int:
        raw = self.last(name)
        if raw is None:
            return default
        if not re.fullmatch(r"[+-]?[0-9]+", raw.strip()):
            self.problems[name] = "Input should be a valid integer."
            return default
        problems = rule.problems(int(raw), name)
        self.problems.update(problems)
        return default if problems else int(raw)

    def choice(self, name: str, allowed: tuple[str, ...], default: str) -> str:
        chosen = self._canonical(name, allowed)
        return chosen[-1] if chosen else default

    def choices(self, name: str, allowed: tuple[str, ...]) -> frozenset[str] | None:
        chosen = self._canonical(name, allowed)
        return frozenset(chosen) if chosen else None

    def _canonical(self, name: str, allowed: tuple[str, ...]) -> list[str]:
        """``name``'s values, each one of ``allowed``; [] and a problem when one is not."""
        rule = Rule(type="string", enum=allowed)
        chosen: list[str] = []
        for value in self.values(name):
            canonical = value if value in allowed else None
            if canonical is None:
                self.problems.update(rule.problems(value, name))
            else:
                chosen.append(canonical)
        return [] if name in self.problems else chosen

    def uuids(self, name: str) -> frozenset[str] | None:
        parsed = {value: canonical_uuid(value) for value in self.values(name)}
        bad = [value for value, canonical in parsed.items() if canonical is None]
        if bad:
            self.problems[name] = f"Must be a valid UUID (got {bad[0]!r})."
        return frozenset(filter(None, parsed.values())) if parsed else None

    def texts(self, name: str) -> frozenset[str] | None:
        values = self.values(name)
        return frozenset(values) if values else None

    def moment(self, name: str) -> datetime | None:
        raw = self.last(name)
        if raw is None:
            return None
        try:
            value = datetime.fromisoformat(raw)
        except ValueError:
            self.problems[name] = "Must be an ISO 8601 date-time (e.g. 2025-07-14T10:30:00+00:00)."
            return None
        if value.tzinfo is None:
            self.problems[name] = "Must include a UTC offset (e.g. 2025-07-14T10:30:00+00:00)."
            return None
        return value

    def raise_problems(self) -> None:
        if self.problems:
            raise validation_error(self.problems)


@dataclass(frozen=True)
class Paging:
    page: int
    size: int
    order: str
    order_by: str


def read_paging(query: Query) -> Paging:
    return Paging(
        page=query.integer("page", limits.PAGE, 1),
        size=query.integer("size", limits.PAGE_SIZE, 30),
        order=query.choice("order", limits.SORT_ORDER_VALUES, "desc"),
        order_by=query.choice("order_by", limits.SORT_FIELD_VALUES, "created_at"),
    )


def page(records: Sequence[_R], paging: Paging, wire: Callable[[_R], JSON]) -> JSON:
    """One page of ``records`` in the documented envelope."""

    def key(record: _R) -> tuple[datetime, int]:
        moment = record.created if paging.order_by == "created_at" else record.updated
        return moment, record.seq

    ordered = sorted(records, key=key, reverse=paging.order == "desc")
    start = (paging.page - 1) * paging.size
    return {
        "entries": [wire(record) for record in ordered[start : start + paging.size]],
        "total": len(ordered),
        "page": paging.page,
        "size": paging.size,
        "pages": math.ceil(len(ordered) / paging.size),
    }


_Predicate: TypeAlias = Callable[[Message], bool]


@dataclass(frozen=True)
class Filter:
    """A repeatable message filter: its values are OR-ed, filters are AND-ed."""

    name: str
    read: Callable[[Query, str], frozenset[str] | None]
    value: Callable[[Message], str | None]
    aliases: tuple[str, ...] = ()
    """Other names of the parameter (values under every name are OR-ed)."""

    def wanted(self, query: Query) -> frozenset[str] | None:
        """The values asked for under any of the filter's names; None when none was given."""
        found = [self.read(query, name) for name in (self.name, *self.aliases)]
        given = [values for values in found if values is not None]
        return frozenset().union(*given) if given else None


def _enum_reader(allowed: tuple[str, ...]) -> Callable[[Query, str], frozenset[str] | None]:
    return lambda query, name: query.choices(name, allowed)


MESSAGE_FILTERS: Final = (
    Filter("status", _enum_reader(limits.MESSAGE_STATUS_VALUES), lambda m: m.status),
    Filter("channel_type", _enum_reader(limits.CHANNEL_TYPE_VALUES), lambda m: m.channel_type),
    Filter("contact_id", Query.uuids, lambda m: m.contact.id if m.contact else None),
    Filter("campaign_id", Query.uuids, lambda m: m.campaign.id if m.campaign else None),
    # The docs' filter table names it remitter_id, their request example (and the SDK)
    # sms_remitter_id: both are read.
    Filter("sms_remitter_id", Query.uuids, lambda m: m.remitter.id, aliases=("remitter_id",)),
    Filter("trigger_source", Query.texts, lambda m: m.trigger_source),
    Filter("channel_destination", Query.texts, lambda m: m.channel_destination),
)


def _one_of(value: Callable[[Message], str | None], wanted: frozenset[str]) -> _Predicate:
    return lambda message: value(message) in wanted


def _created_between(since: datetime | None, until: datetime | None) -> _Predicate:
    def check(message: Message) -> bool:
        return (since is None or message.created >= since) and (
            until is None or message.created <= until
        )

    return check


def _matching(text: str) -> _Predicate:
    needle = text.strip().lower()
    return lambda message: needle in message.e164 or needle in message.id


def message_predicates(query: Query, *, in_campaign: bool) -> list[_Predicate]:
    predicates: list[_Predicate] = []
    for spec in MESSAGE_FILTERS:
        if in_campaign and spec.name == "campaign_id":
            continue
        wanted = spec.wanted(query)
        if wanted is not None:
            predicates.append(_one_of(spec.value, wanted))
    since, until = query.moment("created_at__ge"), query.moment("created_at__le")
    predicates.append(_created_between(since, until))
    text = query.last("q")
    if text and text.strip():
        predicates.append(_matching(text))
    return predicates
