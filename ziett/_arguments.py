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
from typing import Any, Final, TypeVar

import httpx

from ziett._config import count_problem, seconds_problem, timeout_problem
from ziett._errors import ValidationError
from ziett._transport import RequestOptions
from ziett._validation import Rule

E = TypeVar("E", bound=enum.Enum)


class NotGiven:
    """The type of :data:`NOT_GIVEN`: an argument left out (``None`` may mean something)."""

    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven()
"""Default of ``timeout=``: the client's timeout applies (``None`` means no timeout)."""


class Problems(dict[str, str]):
    """Field -> message, collected across arguments; ``raise_if_any`` at the end."""

    def raise_if_any(self) -> None:
        if self:
            raise ValidationError(
                "One or more fields failed validation; nothing was sent", fields=self
            )


def call_options(
    timeout: float | httpx.Timeout | NotGiven | None,
    max_retries: int | None,
    deadline: float | None,
    problems: Problems,
) -> RequestOptions:
    """The per-call options every method takes, checked before anything is sent.

    A wrong type raises ``TypeError`` at once; a wrong value (negative, NaN,
    infinite) goes to ``problems`` under the keyword's name.
    """
    options = RequestOptions()
    if max_retries is not None:
        problem = count_problem(max_retries, "max_retries", least=0)
        if problem:
            problems["max_retries"] = problem
        else:
            options["max_retries"] = max_retries
    if deadline is not None:
        problem = seconds_problem(deadline, "deadline")
        if problem:
            problems["deadline"] = problem
        else:
            options["deadline"] = float(deadline)
    if not isinstance(timeout, NotGiven):
        problem = timeout_problem(timeout)
        if problem:
            problems["timeout"] = problem
        else:
            options["timeout"] = timeout
    return options


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
    """The JSON body, after checking it against the documented rules.

    UUID fields are sent in their canonical form (lower case, hyphenated), so that
    the request, a bulk job's identity and the reconciliation's look-ups agree
    whatever spelling the caller used.
    """
    body = {k: json_ready(v) for k, v in payload.items() if v is not None}
    problems.update(rule.object_problems(body))
    for name, field in (rule.properties or {}).items():
        value = body.get(name)
        if field.format == "uuid" and isinstance(value, str) and name not in problems:
            body[name] = str(uuid.UUID(value))
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
    """Filter values as generated enum members: documented values only, any letter case."""
    canonical = {v.lower(): v for v in allowed}
    found: list[E] = []
    bad: list[str] = []
    for v in values(value):
        plain = json_ready(v)
        match = canonical.get(plain.lower()) if isinstance(plain, str) else None
        if match is None:
            bad.append(repr(plain))
        else:
            found.append(enum_type(match))
    if bad:
        problems[name] = f"Accepted values are: {', '.join(allowed)} (got {', '.join(bad)})."
        return []
    return found


def enum_value(
    name: str,
    value: Any,
    enum_type: Callable[[str], E],
    allowed: tuple[str, ...],
    problems: Problems,
) -> E | None:
    """One enum value (None when not given); a list is refused."""
    if value is None or not single(name, value, problems):
        return None
    found = enum_values(name, value, enum_type, allowed, problems)
    return found[0] if found else None


def single(name: str, value: Any, problems: Problems) -> bool:
    """False (and a problem) when a single-valued argument was given several values."""
    if isinstance(value, list | tuple | set | frozenset):
        problems[name] = f"Takes one value, not a list (got {value!r})."
        return False
    return True


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
    if value is None or not single(name, value, problems):
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
