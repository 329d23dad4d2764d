"""Client settings: environment variables, defaults, their checks, and what is safe to show.

Environment variables: ``ZIETT_API_KEY``, ``ZIETT_BASE_URL``, ``ZIETT_REMITTER_ID``,
``ZIETT_RATE_LIMIT_STORE`` (a ``redis://`` URL) and ``ZIETT_LOG`` (``debug``/``info``:
the ``ziett`` logger writes to stderr). A wrong type is a ``TypeError``, a wrong value
an ``InvalidRequestError`` naming the keyword. Imports errors and throttle types only
(and phonenumbers, once a country is set).
"""

from __future__ import annotations

import base64
import logging
import math
import os
import platform
import re
import threading
import urllib.parse
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal, NamedTuple, get_args

import httpx

from ziett._errors import InvalidRequestError
from ziett._version import __version__

ENV_API_KEY = "ZIETT_API_KEY"
ENV_BASE_URL = "ZIETT_BASE_URL"
ENV_RATE_LIMIT_STORE = "ZIETT_RATE_LIMIT_STORE"
ENV_LOG = "ZIETT_LOG"
ENV_REMITTER_ID = "ZIETT_REMITTER_ID"
DEFAULT_BASE_URL = "https://api.ziett.co"
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)
DEFAULT_MAX_RETRIES = 2


# The documented per-key limits (overview and endpoint pages of the docs).
class RateLimit(NamedTuple):
    """At most ``requests`` requests per ``per_seconds`` seconds."""

    requests: int
    per_seconds: float


DEFAULT_RATE_LIMITS: Mapping[str, RateLimit] = {
    "POST /c/v1/messages": RateLimit(120, 60.0),
    "POST /c/v1/campaigns/batch": RateLimit(10, 60.0),
}
_PRINTABLE_ASCII = re.compile(r"[\x21-\x7e]+")
_HEADER_VALUE = re.compile(r"[\x20-\x7e\t]*")
_ALPHA2 = re.compile(r"[A-Za-z]{2}")
AmbiguousSends = Literal["raise", "retry", "reconcile"]
_AMBIGUOUS_SENDS: tuple[str, ...] = get_args(AmbiguousSends)
USER_AGENT = f"ziett-python/{__version__} Python/{platform.python_version()}"


def _invalid(name: str, message: str) -> InvalidRequestError:
    return InvalidRequestError(
        f"Invalid client settings: {name}: {message}", fields={name: message}
    )


def _expect(name: str, value: object, kinds: type | tuple[type, ...], wanted: str) -> None:
    """A TypeError naming the keyword when ``value`` is not of ``kinds`` (bools are no numbers)."""
    allowed = kinds if isinstance(kinds, tuple) else (kinds,)
    if not isinstance(value, allowed) or (isinstance(value, bool) and bool not in allowed):
        raise TypeError(f"{name} must be {wanted}, not {type(value).__name__}")


def resolve_api_key(api_key: str | None) -> str:
    """The explicit key, else ``ZIETT_API_KEY``; a clear error when neither is set."""
    _expect("api_key", api_key, (str, type(None)), "a str or None")
    key = api_key if api_key is not None else os.environ.get(ENV_API_KEY)
    key = key.strip() if isinstance(key, str) else key
    if not key:
        raise _invalid(
            "api_key",
            f"No API key: pass api_key=... or set the {ENV_API_KEY} environment variable.",
        )
    if not _PRINTABLE_ASCII.fullmatch(key):
        # Never echo the key: it would end up in logs and tracebacks.
        raise _invalid(
            "api_key", "The API key has characters an HTTP header cannot carry; check its value."
        )
    return key


def resolve_remitter_id(remitter_id: str | None) -> str | None:
    """The explicit default sender id, else ``ZIETT_REMITTER_ID``, else None."""
    _expect("default_remitter_id", remitter_id, (str, type(None)), "a str or None")
    value = remitter_id if remitter_id is not None else os.environ.get(ENV_REMITTER_ID)
    value = value.strip() if isinstance(value, str) else value
    return value or None


def resolve_country(country: str | None) -> str | None:
    """``default_country`` upper-cased; refused unless ``ziett.phone`` knows the country."""
    _expect("default_country", country, (str, type(None)), "a str or None")
    if country is None or not country.strip():
        return None
    region = country.strip().upper()
    if not _ALPHA2.fullmatch(region):
        raise _invalid(
            "default_country",
            f"Must be an ISO 3166-1 alpha-2 country code such as 'AO' or 'PT' (got {country!r}).",
        )
    import phonenumbers  # loaded only when a country is set: `import ziett` stays fast

    if region not in phonenumbers.SUPPORTED_REGIONS:
        raise _invalid("default_country", f"Unknown country code {region!r}.")
    return region


def display_url(url: str) -> str:
    """``url`` without its user and password (``https://u:p@host/x`` -> ``https://host/x``).

    Use it wherever a URL may be shown: reprs, errors, logs, hints.

    Args:
        url: Any URL, as given; what cannot be parsed comes back as ``"<unparsable URL>"``.
    """
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return "<unparsable URL>"
    if "@" not in parts.netloc:
        return url
    return urllib.parse.urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


def resolve_base_url(base_url: str | None) -> tuple[str, str | None]:
    """The base URL (explicit, else ``ZIETT_BASE_URL``, else production) without credentials,
    and the ``Authorization`` header value its ``user:password@`` stood for (or None).

    Credentials travel in a header (redacted by httpx in every repr), never in a URL
    a request, an error or a log could show.
    """
    _expect("base_url", base_url, (str, type(None)), "a str or None")
    url = (base_url or os.environ.get(ENV_BASE_URL) or DEFAULT_BASE_URL).strip()
    shown = display_url(url)
    source = "" if base_url else f", from {ENV_BASE_URL}"
    try:
        parts = urllib.parse.urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018  (raises ValueError for a port that is not a number)
    except ValueError:
        raise _invalid("base_url", f"Not a valid URL ({shown!r}{source}).") from None
    if parts.scheme not in ("http", "https") or not host:
        raise _invalid(
            "base_url", f"Must be an http:// or https:// URL with a host (got {shown!r}{source})."
        )
    authorization = None
    if parts.username is not None or parts.password is not None:
        user = urllib.parse.unquote(parts.username or "")
        secret = urllib.parse.unquote(parts.password or "")
        token = base64.b64encode(f"{user}:{secret}".encode()).decode("ascii")
        authorization = f"Basic {token}"
    return shown.rstrip("/"), authorization


def timeout_problem(timeout: object, name: str = "timeout") -> str | None:
    """What is wrong with a timeout's value (None: nothing); a TypeError for a wrong type.

    A timeout is seconds (finite, >= 0), an ``httpx.Timeout`` of such, or None.
    """
    if timeout is None:
        return None
    _expect(name, timeout, (int, float, httpx.Timeout), "seconds, an httpx.Timeout or None")
    assert isinstance(timeout, int | float | httpx.Timeout)
    parts = timeout.as_dict().values() if isinstance(timeout, httpx.Timeout) else [timeout]
    if any(p is not None and not (math.isfinite(p) and p >= 0) for p in parts):
        return f"Must be a finite number of seconds >= 0, or None for none (got {timeout!r})."
    return None


def seconds_problem(value: object, name: str, *, least: float = 0.0) -> str | None:
    """What is wrong with a number of seconds (finite, > ``least``); TypeError for a non-number."""
    _expect(name, value, (int, float), "a number of seconds")
    assert isinstance(value, int | float)
    if not math.isfinite(value) or value <= least:
        return f"Must be a finite number of seconds > {least:g} (got {value!r})."
    return None


def count_problem(value: object, name: str, *, least: int) -> str | None:
    """What is wrong with a count (an int >= ``least``); TypeError for a non-integer."""
    _expect(name, value, int, "an int")
    assert isinstance(value, int)
    return None if value >= least else f"Must be an integer >= {least} (got {value!r})."


def resolve_timeout(
    timeout: float | httpx.Timeout | None, has_own_http_client: bool
) -> httpx.Timeout | None:
    """The per-attempt timeout, checked; None leaves a user-supplied http_client's own default."""
    problem = timeout_problem(timeout)
    if problem:
        raise _invalid("timeout", problem)
    if timeout is None:
        return None if has_own_http_client else DEFAULT_TIMEOUT
    return timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)


class ClientOptions(NamedTuple):
    """A client's per-call defaults: what ``with_options`` may change."""

    timeout: httpx.Timeout | None
    deadline: float | None
    max_retries: int
    max_retry_after: float
    ambiguous_sends: AmbiguousSends
    default_remitter_id: str | None
    default_country: str | None
    default_headers: Mapping[str, str]
    attempt_hooks: tuple[Callable[[Any], None], ...]


def checked_options(
    *,
    timeout: float | httpx.Timeout | None,
    deadline: float | None,
    max_retries: int,
    max_retry_after: float,
    ambiguous_sends: str,
    default_remitter_id: str | None,
    default_country: str | None,
    default_headers: Mapping[str, str] | None,
    attempt_hooks: Sequence[Callable[[Any], None]],
) -> ClientOptions:
    """The per-call defaults, checked and in their final form (``timeout=None``: none).

    A wrong type raises ``TypeError``; every wrong value is collected into one
    ``InvalidRequestError`` whose ``fields`` name the keywords.
    """
    _expect("ambiguous_sends", ambiguous_sends, str, "a str")
    _expect("max_retry_after", max_retry_after, (int, float), "a number of seconds")
    found = {
        "timeout": timeout_problem(timeout),
        "deadline": None if deadline is None else seconds_problem(deadline, "deadline"),
        "max_retries": count_problem(max_retries, "max_retries", least=0),
        "max_retry_after": f"Must be a number of seconds >= 0 (got {max_retry_after!r})."
        if math.isnan(max_retry_after) or max_retry_after < 0  # infinity: honour any
        else None,
        "ambiguous_sends": None
        if ambiguous_sends in _AMBIGUOUS_SENDS
        else f"Must be one of {', '.join(map(repr, _AMBIGUOUS_SENDS))} (got {ambiguous_sends!r}).",
    }
    _expect("attempt_hooks", attempt_hooks, (list, tuple), "a list or tuple of callables")
    for hook in attempt_hooks:
        if not callable(hook):
            raise TypeError(f"attempt_hooks must hold callables, not {type(hook).__name__}")
    problems = {name: problem for name, problem in found.items() if problem}
    problems.update(_header_problems(default_headers))
    _raise_if_any(problems)
    _expect("default_remitter_id", default_remitter_id, (str, type(None)), "a str or None")
    return ClientOptions(
        timeout=timeout if timeout is None else resolve_timeout(timeout, False),
        deadline=None if deadline is None else float(deadline),
        max_retries=max_retries,
        max_retry_after=float(max_retry_after),
        ambiguous_sends=ambiguous_sends,  # type: ignore[arg-type]  # checked above
        default_remitter_id=(default_remitter_id or "").strip() or None,
        default_country=resolve_country(default_country),
        default_headers=dict(default_headers or {}),
        attempt_hooks=tuple(attempt_hooks),
    )


def checked_limits(
    *,
    max_concurrent_requests: int,
    rate_limits: Mapping[str, RateLimit | tuple[int, float]],
    rate_limit_store: str | None,
    throttle_factory: object,
) -> dict[str, RateLimit]:
    """The settings of the pool and the budget, checked; the rate limits as ``RateLimit``."""
    problems: dict[str, str] = {}
    problem = count_problem(max_concurrent_requests, "max_concurrent_requests", least=1)
    if problem:
        problems["max_concurrent_requests"] = problem
    _expect("rate_limit_store", rate_limit_store, (str, type(None)), "a str or None")
    if throttle_factory is not None and not callable(throttle_factory):
        raise TypeError(f"throttle_factory must be callable, not {type(throttle_factory).__name__}")
    limits = _rate_limits(rate_limits, problems)
    _raise_if_any(problems)
    return limits


def _raise_if_any(problems: Mapping[str, str]) -> None:
    if problems:
        raise InvalidRequestError(
            "Invalid client settings: "
            + "; ".join(f"{name}: {problem}" for name, problem in problems.items()),
            fields=problems,
        )


def _header_problems(headers: Mapping[str, str] | None) -> dict[str, str]:
    if headers is None:
        return {}
    _expect("default_headers", headers, Mapping, "a mapping of str to str")
    problems = {}
    for name, value in headers.items():
        if not isinstance(name, str) or not isinstance(value, str):
            raise TypeError("default_headers must map str names to str values")
        field = f"default_headers[{name!r}]"
        if name.lower() == "x-api-key":
            problems[field] = "The key goes in api_key=..., never in a header of its own."
        elif not _PRINTABLE_ASCII.fullmatch(name) or ":" in name:
            problems[field] = "Not a valid header name."
        elif not _HEADER_VALUE.fullmatch(value):
            problems[field] = "The value has characters an HTTP header cannot carry."
    return problems


def _rate_limits(
    rate_limits: Mapping[str, RateLimit | tuple[int, float]], problems: dict[str, str]
) -> dict[str, RateLimit]:
    _expect("rate_limits", rate_limits, Mapping, "a mapping of route to RateLimit")
    limits = {}
    for route, limit in rate_limits.items():
        if not isinstance(route, str) or not isinstance(limit, tuple) or len(limit) != 2:
            raise TypeError("rate_limits must map 'METHOD /path' to RateLimit(requests, seconds)")
        field = f"rate_limits[{route!r}]"
        requests, per_seconds = limit
        _expect(field + ".requests", requests, int, "an int")
        _expect(field + ".per_seconds", per_seconds, (int, float), "a number of seconds")
        if requests < 1 or not math.isfinite(per_seconds) or per_seconds <= 0:
            problems[field] = (
                f"Must allow >= 1 request per a finite number of seconds > 0 (got {limit!r})."
            )
        limits[route] = RateLimit(requests, per_seconds)
    return limits


def masked(api_key: str) -> str:
    """A form of the key safe to show: its prefix and last four characters."""
    prefix = api_key.split("_", 2)
    shown = "_".join(prefix[:2]) + "_" if len(prefix) == 3 else ""
    return f"{shown}...{api_key[-4:]}" if len(api_key) > 12 else "***"


def resolve_rate_limit_store(store: str | None) -> str | None:
    """The explicit store URL, else ``ZIETT_RATE_LIMIT_STORE``; None: the in-process budget."""
    url = store if store is not None else os.environ.get(ENV_RATE_LIMIT_STORE)
    url = url.strip() if isinstance(url, str) else url
    return url or None


_logging_lock = threading.Lock()
_logging_configured = False


def configure_logging_from_env() -> None:
    """Once per process: with ``ZIETT_LOG=debug|info``, the ``ziett`` logger writes to stderr.

    Nothing happens without the variable (the application's logging decides), nor
    when the ``ziett`` logger already has a handler.
    """
    global _logging_configured
    if _logging_configured:
        return
    with _logging_lock:
        if _logging_configured:
            return
        _logging_configured = True
        level = {"debug": logging.DEBUG, "info": logging.INFO}.get(
            os.environ.get(ENV_LOG, "").strip().lower()
        )
        logger = logging.getLogger("ziett")
        if level is None or logger.handlers:
            return
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(level)
