"""Client-side checks of the documented limits, before anything is sent.

The limits themselves live in openapi.yaml; `make generate` turns them into
``ziett/_constraints.py`` as :class:`Rule` objects. This module only knows how to
apply the small subset of JSON Schema the spec uses to a JSON-ready payload.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

# JSON-schema types as Python types (bool is refused where a number is expected).
_JSON_TYPES: dict[str, type | tuple[type, ...]] = {
    "string": str,
    "array": list,
    "object": Mapping,
    "integer": int,
    "number": (int, float),
    "boolean": bool,
}
_TYPE_NAMES = {
    "string": "a string",
    "array": "a list",
    "object": "an object (a dict)",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
}
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")  # used with fullmatch


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    # ECMA-262 \d means ASCII digits; Python's would also match other scripts' digits.
    return re.compile(_python_pattern(pattern), re.ASCII)


def _python_pattern(pattern: str) -> str:
    """An ECMA-262 pattern in Python's dialect: ``$`` outside a class becomes ``\\Z``.

    ECMA's ``$`` matches only at the very end; Python's also before a final newline,
    which would let ``"+244990000001\\n"`` pass an anchored E.164 pattern.
    """
    out: list[str] = []
    escaped = in_class = False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        elif char == "$" and not in_class:
            out.append("\\Z")
            continue
        out.append(char)
    return "".join(out)


@dataclass(frozen=True)
class Rule:
    """The documented limits of one value (a JSON Schema subset)."""

    required: bool = False
    type: str | None = None
    format: str | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    min_items: int | None = None
    max_items: int | None = None
    minimum: int | None = None
    maximum: int | None = None
    enum: tuple[str, ...] | None = None
    message: str | None = None
    """What to say when ``pattern`` does not match (the spec's x-ziett-message)."""
    items: Rule | None = None
    properties: Mapping[str, Rule] = field(default_factory=dict)

    def problems(self, value: Any, name: str) -> dict[str, str]:
        """Each broken rule as ``{field path: message}``; empty when ``value`` is valid."""
        found: dict[str, str] = {}
        message = self._first_problem(value)
        if message:
            found[name] = message
            return found
        if isinstance(value, list) and self.items is not None:
            for index, item in enumerate(value):
                found.update(self.items.problems(item, f"{name}[{index}]"))
        if isinstance(value, Mapping):
            found.update(self.object_problems(value, prefix=f"{name}."))
        return found

    def object_problems(self, payload: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
        """Problems of each property of an object payload, and of missing required ones."""
        found: dict[str, str] = {}
        for key, rule in self.properties.items():
            if key in payload:
                found.update(rule.problems(payload[key], prefix + key))
            elif rule.required:
                found[prefix + key] = "This field is required."
        return found

    def _first_problem(self, value: Any) -> str | None:
        if self.type is not None and not _is_json_type(value, self.type):
            return f"Must be {_TYPE_NAMES[self.type]} (got {type(value).__name__})."
        if isinstance(value, str):
            return self._string_problem(value)
        if isinstance(value, list):
            if self.min_items is not None and len(value) < self.min_items:
                return f"Ensure this value has at least {self.min_items} items."
            if self.max_items is not None and len(value) > self.max_items:
                return f"Ensure this value has at most {self.max_items} items."
        if isinstance(value, int) and not isinstance(value, bool):
            if self.minimum is not None and value < self.minimum:
                return f"Must be at least {self.minimum}."
            if self.maximum is not None and value > self.maximum:
                return f"Must be at most {self.maximum}."
        return None

    def _string_problem(self, value: str) -> str | None:
        if self.enum is not None and value not in self.enum:
            return f"Accepted values are: {', '.join(self.enum)}."
        if self.min_length is not None and len(value) < self.min_length:
            return f"Ensure this value has at least {self.min_length} characters."
        if self.max_length is not None and len(value) > self.max_length:
            return f"Ensure this value has at most {self.max_length} characters."
        if self.pattern is not None and not _compiled(self.pattern).search(value):
            return self.message or f"String should match pattern '{self.pattern}'."
        if self.format == "uuid" and not _is_uuid(value):
            return "Must be a valid UUID."
        if self.format == "email" and not _EMAIL.fullmatch(value):
            return "Must be a valid email address."
        return None


def _is_json_type(value: Any, json_type: str) -> bool:
    expected = _JSON_TYPES.get(json_type)
    if expected is None:
        return True
    if isinstance(value, bool):  # a bool is an int to Python, never to JSON
        return json_type == "boolean"
    return isinstance(value, expected)


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def type_mismatches(rule: Rule, value: Any, name: str) -> dict[str, str]:
    """Every value under ``value`` whose JSON type breaks ``rule``, as ``{path: json type}``.

    For a server that words type errors its own way (the sandbox answers like the
    API: "Input should be a valid list."); the other limits come from
    :meth:`Rule.problems`.

    :param rule: the rule ``value`` must follow.
    :param value: a JSON-ready value.
    :param name: the value's path, which prefixes the paths found below it.
    """
    if rule.type is not None and not _is_json_type(value, rule.type):
        return {name: rule.type}
    found: dict[str, str] = {}
    if isinstance(value, list) and rule.items is not None:
        for index, item in enumerate(value):
            found.update(type_mismatches(rule.items, item, f"{name}[{index}]"))
    if isinstance(value, Mapping):
        for key, sub_rule in rule.properties.items():
            if key in value:
                found.update(type_mismatches(sub_rule, value[key], f"{name}.{key}"))
    return found
