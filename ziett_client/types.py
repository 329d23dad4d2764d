"""Contains some shared types for properties"""

from collections.abc import MutableMapping
from decimal import Decimal, InvalidOperation
from http import HTTPStatus
from typing import Any, Generic, Literal, NamedTuple, NoReturn, TypeVar

from attrs import define


class Unset:
    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "UNSET"

    def __reduce__(self) -> str:
        """Copies and pickles resolve to the module's UNSET, the one instance."""
        return "UNSET"


UNSET: Unset = Unset()

T = TypeVar("T")


def status_code_of(code: int) -> HTTPStatus | int:
    """HTTPStatus for a registered code, the bare int for any other (e.g. 520)."""
    try:
        return HTTPStatus(code)
    except ValueError:
        return code


MONEY_DIGITS = 18
"""An amount has at most this many integer digits, and is zero or at least 10**-MONEY_DIGITS."""
MONEY_LIMIT = Decimal(10) ** MONEY_DIGITS
"""Every amount lies strictly between -MONEY_LIMIT and MONEY_LIMIT."""


def money_error(name: str, value: object) -> NoReturn:
    """Raise the error of a money field holding ``value``: TypeError or ValueError.

    Its message reads "field `cost`: expected ..., got ..." (what ziett's decoder reports).
    """
    if type(value) is not Decimal:
        raise TypeError(f"field `{name}`: expected a decimal amount, got {type(value).__name__}")
    if not value.is_finite():
        raise ValueError(f"field `{name}`: expected a finite amount, got {value}")
    raise ValueError(
        f"field `{name}`: expected at most {MONEY_DIGITS} integer digits and nothing below "
        f"1E-{MONEY_DIGITS} but zero, got {value:.6}"
    )


def money(value: Any) -> Decimal:
    """The exact Decimal of an amount read from JSON: a decimal string, an int or a float.

    A float (what json.loads makes of a JSON number) goes through its shortest repr,
    the digits the server wrote for any amount a float can hold. Raises TypeError or
    ValueError for anything that is not an amount (the model then checks its bounds).
    """
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise TypeError(f"expected a decimal amount, got {type(value).__name__}")
    try:
        return Decimal(repr(value) if isinstance(value, float) else value)
    except InvalidOperation:
        raise ValueError(f"expected a decimal amount, got {value!r:.40}") from None


class RequestSpec(NamedTuple):
    """One request, ready for httpx: what the ziett layer sends."""

    route: str
    """"METHOD /path/template" as in openapi.yaml, e.g. "GET /c/v1/messages/{message_id}"."""
    method: str
    """The HTTP method, upper case: "GET"."""
    url: str
    """The path with its parameters filled in (quoted), e.g. "/c/v1/messages/abc"."""
    params: dict[str, Any] | None
    """The query parameters (lists for exploded arrays); None when there are none."""
    json: Any
    """The JSON body (plain dicts and lists); None without a body."""


@define
class Response(Generic[T]):
    """A response from an endpoint"""

    status_code: HTTPStatus | int
    content: bytes
    headers: MutableMapping[str, str]
    parsed: T | None


__all__ = [
    "MONEY_DIGITS",
    "MONEY_LIMIT",
    "UNSET",
    "RequestSpec",
    "Response",
    "Unset",
    "money",
    "money_error",
    "status_code_of",
]
