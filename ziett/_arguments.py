"""Argument shaping shared by the resources: plain Python in, generated types out.

Accepts ``str``/``UUID``/``datetime``/lists/dicts as well as the generated enums
and models; every problem found becomes one entry of an ``InvalidRequestError``'s
``fields``, raised before anything is sent. May import the error tree, the rule
modules (validation, ``ziett.phone``) and the call policy's option types.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any, Final, NamedTuple, TypeVar

import httpx

from ziett import phone
from ziett._config import count_problem, seconds_problem, timeout_problem
from ziett._errors import InvalidRequestError
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


_SHOWN = 5
"""How many problems an error's message spells out (``fields`` holds them all)."""


class Problems(dict[str, str]):
    """Field -> message, collected across arguments; ``raise_if_any`` at the end."""

    def raise_if_any(self) -> None:
        """Raise one ``InvalidRequestError`` naming every problem found, if any."""
        if self:
            items = list(self.items())
            shown = "; ".join(f"{name}: {message}" for name, message in items[:_SHOWN])
            if len(items) > _SHOWN:
                shown += f"; and {len(items) - _SHOWN} more (see .fields)"
            raise InvalidRequestError(f"Nothing was sent: {shown}", fields=self)


class ClientDefaults(NamedTuple):
    """What a client supplies to the arguments a call leaves out (sender, country)."""

    remitter_id: str | None = None
    country: str | None = None

    @classmethod
    def of(cls, client: Any) -> ClientDefaults:
        """The defaults of ``client`` (its ``default_remitter_id`` and ``default_country``)."""
        return cls(client.default_remitter_id, client.default_country)


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

    Enum values are accepted in any letter case and sent as the API spells them.
    UUID fields are sent in their canonical form (lower case, hyphenated), so that
    the request, a bulk job's identity and the reconciliation's look-ups agree
    whatever spelling the caller used.
    """
    body = {k: json_ready(v) for k, v in payload.items() if v is not None}
    for name, field in (rule.properties or {}).items():
        value = body.get(name)
        if field.enum is not None and isinstance(value, str):
            # Any letter case, as in the filters; sent as the API spells it.
            body[name] = {v.lower(): v for v in field.enum}.get(value.lower(), value)
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


_DOT_SEGMENTS = frozenset({".", ".."})


def path_id(name: str, value: Any, problems: Problems) -> str:
    """An id for a URL path: a UUID or a non-empty string.

    The request builders percent-encode every reserved character, so no id can
    add a path segment; "." and ".." are refused, as a URL would read them as
    "this" and "the parent" path and leave the id's route.
    """
    if isinstance(value, uuid.UUID):
        return str(value)
    if not isinstance(value, str):
        problems[name] = f"Must be an id: a non-empty string or a UUID (got {value!r})."
        return ""
    text = value.strip()
    if not text or text in _DOT_SEGMENTS:
        problems[name] = f"Must be an id: a non-empty string or a UUID (got {value!r})."
    return text


NO_DEFAULTS: Final = ClientDefaults()
"""No client defaults: what a builder called outside a client sees."""


def sender(remitter_id: Any, defaults: ClientDefaults) -> Any:
    """The call's ``remitter_id``, else the client's default (None when neither)."""
    return remitter_id if remitter_id is not None else defaults.remitter_id


def missing_sender(remitter_id: Any, problems: Problems) -> None:
    """Say how to give a sender when neither the call nor the client has one."""
    if remitter_id is None:
        problems["remitter_id"] = (
            "Required: pass remitter_id=, or give the client a default_remitter_id "
            "(or set ZIETT_REMITTER_ID)."
        )


def country_code(value: Any, defaults: ClientDefaults, problems: Problems) -> str | None:
    """The call's ``country_alpha2`` (any case), else the client's default; checked."""
    chosen = value if value is not None else defaults.country
    if chosen is None:
        return None
    try:  # the country is checked before the number: an empty number tests it alone
        phone.try_normalize("", country_alpha2=chosen)
    except InvalidRequestError as error:
        problems["country_alpha2"] = error.fields.get("country_alpha2", str(error))
        return None
    return str(chosen).upper()


def phone_number(name: str, value: Any, e164: Rule, country: str | None, problems: Problems) -> Any:
    """``value`` in E.164: as given when it already is, else read as a number of ``country``.

    ``e164`` is the documented E.164 rule; a local number without a country, or one
    ``ziett.phone`` cannot read, is a problem that shows the value as given.
    """
    if not isinstance(value, str) or not e164.problems(value, name):
        return value  # already E.164, or a wrong type the body's rules report
    if country is None:
        problems[name] = (
            f"{value!r} is not in E.164 form (+, the country code, the number: +244990090990); "
            "for a local number pass country_alpha2= or the client's default_country "
            "(see ziett.phone.normalize)."
        )
        return value
    try:
        # A possible length is enough: the API, not the installed metadata, knows new ranges.
        return phone.normalize(value, country_alpha2=country, field=name, strict=False)
    except InvalidRequestError as error:
        problems.update(error.fields)
        return value
