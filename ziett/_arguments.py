"""Argument shaping shared by the resources: plain Python in, generated types out.

Accepts ``str``/``UUID``/``datetime``/lists/dicts as well as the generated enums
and models; every problem found becomes one entry of a ``ValidationError``'s
``fields``, raised before anything is sent.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any, TypeVar

import httpx

from ziett._errors import ValidationError
from ziett._transport import RequestOptions
from ziett._validation import Rule

E = TypeVar("E", bound=enum.Enum)
_OPTION_NAMES = frozenset(RequestOptions.__annotations__)


class Problems(dict[str, str]):
    """Field -> message, collected across arguments; ``raise_if_any`` at the end."""

    def raise_if_any(self) -> None:
        if self:
            raise ValidationError(
                "One or more fields failed validation; nothing was sent", fields=self
            )


def split_options(params: Mapping[str, Any]) -> tuple[RequestOptions, dict[str, Any]]:
    """Separate the per-call options (max_retries, timeout, deadline) from the arguments."""
    options: Any = {k: v for k, v in params.items() if k in _OPTION_NAMES}
    problems = Problems()
    retries = options.get("max_retries", 0)
    if not isinstance(retries, int) or isinstance(retries, bool) or retries < 0:
        problems["max_retries"] = f"Must be an integer >= 0 (got {retries!r})."
    deadline = options.get("deadline", 1)
    if not isinstance(deadline, int | float) or isinstance(deadline, bool) or deadline <= 0:
        problems["deadline"] = f"Must be a positive number of seconds (got {deadline!r})."
    timeout = options.get("timeout")
    if timeout is not None and not isinstance(timeout, int | float | httpx.Timeout):
        problems["timeout"] = f"Must be seconds, an httpx.Timeout or None (got {timeout!r})."
    problems.raise_if_any()
    return options, {k: v for k, v in params.items() if k not in _OPTION_NAMES}


def json_ready(value: Any) -> Any:
    """UUIDs, enums, generated models, mappings and sequences as plain JSON values."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, uuid.UUID):
        return str(value)
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, Mapping):
        return {str(k): json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_ready(v) for v in value]
    return value


def checked_body(rule: Rule, payload: dict[str, Any], problems: Problems) -> dict[str, Any]:
    """The JSON body, after checking it against the documented rules."""
    body = {k: json_ready(v) for k, v in payload.items() if v is not None}
    problems.update(rule.object_problems(body))
    return body


def values(value: Any) -> list[Any]:
    """One filter value or several, as a list."""
    if value is None:
        return []
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        return [value]
    return list(value)


def enum_values(
    name: str,
    value: Any,
    enum_type: Callable[[str], E],
    allowed: tuple[str, ...],
    problems: Problems,
) -> list[E]:
    """Filter values as generated enum members; documented values only."""
    found = [json_ready(v) for v in values(value)]
    bad = [v for v in found if v not in allowed]
    if bad:
        problems[name] = (
            f"Accepted values are: {', '.join(allowed)} (got {', '.join(map(str, bad))})."
        )
        return []
    return [enum_type(v) for v in found]


def uuid_values(name: str, value: Any, problems: Problems) -> list[uuid.UUID]:
    """Filter values as UUIDs."""
    parsed: list[uuid.UUID] = []
    for v in values(value):
        try:
            parsed.append(v if isinstance(v, uuid.UUID) else uuid.UUID(str(v)))
        except ValueError:
            problems[name] = f"Must be a valid UUID (got {v!r})."
    return parsed


def aware_datetime(name: str, value: Any, problems: Problems) -> datetime | None:
    """A timezone-aware datetime (or ISO 8601 string with an offset).

    Naive datetimes are rejected rather than guessed: the server cannot know
    their zone, and assuming UTC silently shifts a local-time query.
    """
    if value is None:
        return None
    try:
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    except ValueError:
        problems[name] = f"Must be an ISO 8601 datetime (got {value!r})."
        return None
    if moment.tzinfo is None or moment.utcoffset() is None:
        problems[name] = (
            "Must be timezone-aware (e.g. datetime(..., tzinfo=UTC)); naive is ambiguous."
        )
        return None
    return moment


def checked_int(name: str, value: int, rule: Rule, problems: Problems) -> int:
    """An integer argument checked against its documented bounds."""
    if not isinstance(value, int) or isinstance(value, bool):
        problems[name] = f"Must be an integer (got {value!r})."
        return 0
    problems.update(rule.problems(value, name))
    return value


def path_id(name: str, value: Any, problems: Problems) -> str:
    """An id for a URL path: a UUID or a non-empty string."""
    text = str(value).strip() if value is not None else ""
    if not text:
        problems[name] = "Must be a non-empty id."
    return text
