"""Contains some shared types for properties"""

from collections.abc import MutableMapping
from decimal import Decimal, InvalidOperation
from http import HTTPStatus
from typing import Any, Generic, Literal, NamedTuple, TypeVar

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
"""The most digits an amount may have before, and after, its decimal point."""


def check_money(instance: object, attribute: Any, value: Decimal) -> None:
    """attrs validator of a money field: a finite Decimal of at most MONEY_DIGITS digits a side.

    Raises:
        TypeError: ``value`` is not a Decimal.
        ValueError: NaN, an infinity, or an absurd magnitude or precision.
    """
    if type(value) is not Decimal:
        raise TypeError(f"expected a decimal amount, got {type(value).__name__}")
    if not value.is_finite():
        raise ValueError(f"expected a finite amount, got {value}")
    exponent = int(value.as_tuple().exponent)  # an int: the value is finite
    if (value and value.adjusted() >= MONEY_DIGITS) or -exponent > MONEY_DIGITS:
        raise ValueError(
            f"expected an amount of at most {MONEY_DIGITS} digits before and after the point, "
            f"got {value:.6}"
        )


def money(value: Any) -> Decimal:
    """The exact Decimal of an amount read from JSON: a decimal string, an int or a float.

    A float (what json.loads makes of a JSON number) goes through its shortest repr,
    the digits the server wrote for any amount a float can hold. Raises TypeError or
    ValueError for anything else, as check_money does.
    """
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise TypeError(f"expected a decimal amount, got {type(value).__name__}")
    try:
        amount = Decimal(repr(value) if isinstance(value, float) else value)
    except InvalidOperation:
        raise ValueError(f"expected a decimal amount, got {value!r:.40}") from None
    check_money(None, None, amount)
    return amount


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
    "UNSET",
    "RequestSpec",
    "Response",
    "Unset",
    "check_money",
    "money",
    "status_code_of",
]
