"""The boundary: a 2xx body becomes validated models in one step, or one typed error.

msgspec decodes the bytes straight into the generated attrs classes (``ziett_client``),
validating while it parses; money is exact from the first byte (the models' own
``__attrs_post_init__`` bounds it). Anything else raises :class:`ziett.APIResponseValidationError`
naming the route, the field path, what was expected and what came. May touch
``ziett._errors``, ``ziett_client`` and msgspec; nothing above the call policy.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from functools import cache
from typing import Any, Generic, TypeVar

import httpx
import msgspec

from ziett._errors import APIResponseValidationError

T = TypeVar("T")

__all__ = ["Decoder", "as_decoder", "decode", "decoder_for"]

_GOT_LIMIT = 80
# msgspec's messages: "Expected `int`, got `str` - at `$.entries[17].page`".
_AT = re.compile(r"^(?P<what>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.DOTALL)
_EXPECTED = re.compile(r"^Expected `(?P<expected>[^`]*)`, got `(?P<got>[^`]*)`$")
_MISSING = re.compile(r"^Object missing required field `(?P<field>[^`]*)`$")
# The models' own checks (ziett_client.types.money_error): "field `cost`: expected ..., got ...".
_FIELD = re.compile(r"^field `(?P<field>[^`]*)`: expected (?P<expected>.*), got (?P<got>.*)$")
# msgspec's other messages, said as what was expected.
_SAID = {"Invalid decimal string": "a decimal amount", "Number out of range": "a number in range"}
_STEP = re.compile(r"\.([^.\[]+)|\[(\d+)\]")
_RAW_ERRORS = (ValueError, TypeError, KeyError, AttributeError, ArithmeticError, RecursionError)
_ANY_JSON = msgspec.json.Decoder(float_hook=Decimal)  # shows 1e400 as written, not inf


class Decoder(Generic[T]):
    """JSON bytes (or already-parsed JSON) -> a fully built ``model``; msgspec's errors as-is.

    One per model (:func:`decoder_for`); safe to share between threads.
    """

    __slots__ = ("_json", "model")

    def __init__(self, model: type[T]) -> None:
        """``model``: a generated attrs class (``ziett_client.models.Message``...)."""
        self.model = model
        self._json: msgspec.json.Decoder[T] = msgspec.json.Decoder(model)

    def __call__(self, body: Any) -> T:
        """Decode ``body``: bytes or str of JSON, else JSON already parsed into dicts/lists."""
        if isinstance(body, bytes | bytearray | memoryview | str):
            return self._json.decode(body)
        return msgspec.convert(body, self.model)

    def __repr__(self) -> str:
        return f"Decoder({self.model.__qualname__})"


@cache
def decoder_for(model: type[T]) -> Decoder[T]:
    """The cached :class:`Decoder` of a generated model class."""
    return Decoder(model)


def as_decoder(parse: Callable[[Any], T] | type[T]) -> Callable[[Any], T]:
    """The decoder of a model given as its class or its ``from_dict``; anything else as-is."""
    if isinstance(parse, type):
        return decoder_for(parse)
    owner = getattr(parse, "__self__", None)
    if isinstance(owner, type) and getattr(parse, "__name__", "") == "from_dict":
        return decoder_for(owner)
    return parse


def decode(
    route: str, sends_message: bool, parse: Callable[[Any], T], response: httpx.Response
) -> T:
    """The model of a successful answer, or :class:`APIResponseValidationError`.

    ``route`` names the operation, ``sends_message`` whether the server has just
    accepted messages (then the error says they may have been sent), ``parse``
    reads the body's bytes: a :class:`Decoder`, a function built on one, or a
    model's class or ``from_dict`` (then the model's cached decoder reads them).
    """
    try:
        return as_decoder(parse)(response.content)
    except msgspec.ValidationError as exc:
        error = _shape_error(route, str(exc), response)
        cause: BaseException = exc
    except msgspec.DecodeError as exc:
        error = _error(route, "", "a JSON document", _excerpt(response.content), response)
        error.add_note(f"msgspec: {exc}")
        cause = exc
    except (
        ValueError,
        TypeError,
        KeyError,
        AttributeError,
        ArithmeticError,
        RecursionError,
    ) as exc:
        got = _truncate(f"{type(exc).__name__}: {exc}")
        error = _error(route, "", "the documented answer", got, response)
        cause = exc
    if sends_message:
        error.may_have_been_sent = True
        error.add_note("The server accepted the request: do not send it again.")
    raise error from cause


def _shape_error(route: str, text: str, response: httpx.Response) -> APIResponseValidationError:
    """Turn msgspec's ``... - at `$.a[1].b``` into path, expected and got."""
    match = _AT.match(text)
    what, path = (match["what"], match["path"] or "") if match else (text, "")
    path = path.lstrip(".")
    if found := _MISSING.match(what):
        field = found["field"]
        path = f"{path}.{field}" if path else field
        return _error(route, path, "a required field", "nothing (the key is absent)", response)
    if found := _FIELD.match(what):
        field = found["field"]
        path = f"{path}.{field}" if path else field
        return _error(route, path, found["expected"], found["got"], response)
    got = _value_at(response.content, path)
    if found := _EXPECTED.match(what):
        return _error(route, path, found["expected"], got or found["got"], response)
    return _error(route, path, _SAID.get(what, what), got, response)


def _error(
    route: str, path: str, expected: str, got: str, response: httpx.Response
) -> APIResponseValidationError:
    where = f"at {path}" if path else "in its body"
    return APIResponseValidationError(
        f"The {route} answer is not the documented shape: {where}, expected {expected}, got {got}.",
        operation=route,
        path=path,
        expected=expected,
        got=got,
        response=response,
    )


def _value_at(content: bytes, path: str) -> str:
    """A short repr of the JSON value at ``path`` (``entries[17].cost``), "" when unknown."""
    try:
        value: Any = _ANY_JSON.decode(content)
        for key, index in _STEP.findall("." + path if path else ""):
            value = value[int(index)] if index else value[key]
    except (msgspec.DecodeError, LookupError, TypeError, ValueError, RecursionError):
        return ""
    text = str(value) if isinstance(value, Decimal) else msgspec.json.encode(value).decode()
    return _truncate(text)


def _excerpt(content: bytes) -> str:
    if not content:
        return "an empty body"
    return _truncate(content[: _GOT_LIMIT * 4].decode("utf-8", "replace"))


def _truncate(text: str) -> str:
    return text if len(text) <= _GOT_LIMIT else text[: _GOT_LIMIT - 1] + "…"
