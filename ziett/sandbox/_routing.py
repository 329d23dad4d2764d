"""Routing: a method and path template bound to a handler, and the lookup that picks one.

The API's routes come from ``ziett._constraints.ROUTES`` (generated from
openapi.yaml), so the sandbox serves exactly the operations the SDK calls;
:func:`resolve` answers 404 or 405 (with ``Allow``) like the API.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

import httpx

from ziett import _constraints as limits
from ziett.sandbox._responses import ApiError

_T = TypeVar("_T")


@dataclass(frozen=True)
class Call:
    """One routed request: the request, its path parameters and the clock time."""

    request: httpx.Request
    params: Mapping[str, str]
    now: float


@dataclass(frozen=True)
class Route(Generic[_T]):
    """A method and path template (``{name}`` placeholders) bound to a handler."""

    method: str
    template: str
    handler: Callable[[_T, Call], httpx.Response]
    scope: str | None = None
    pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", self.template)
        object.__setattr__(self, "pattern", re.compile(regex))

    @classmethod
    def operation(
        cls, operation_id: str, handler: Callable[[_T, Call], httpx.Response], scope: str
    ) -> Route[_T]:
        """The route of a documented operation, by its operationId in openapi.yaml.

        :param operation_id: e.g. ``send_message`` (a key of ``ziett._constraints.ROUTES``).
        :param handler: answers the operation.
        :param scope: the API-key scope the operation needs.
        """
        method, template = limits.ROUTES[operation_id].split(" ", 1)
        return cls(method, template, handler, scope)

    @property
    def key(self) -> str:
        """``"METHOD /template"``, the operation's name in rate limits."""
        return f"{self.method} {self.template}"


def resolve(
    routes: Sequence[Route[_T]], method: str, path: str
) -> tuple[Route[_T], dict[str, str]]:
    """The route matching ``method`` and ``path``, and its path parameters.

    :param routes: the routes to search.
    :param method: the request's method.
    :param path: the request's path.
    :raises ApiError: 405 (with ``Allow``) when only other methods match, else 404.
    """
    # As in OpenAPI, a concrete path wins over a templated one that also matches
    # (/c/v1/campaigns/batch is not the campaign "batch"), whatever the method.
    concrete = [r for r in routes if "{" not in r.template and r.pattern.fullmatch(path)]
    allowed: set[str] = set()
    for route in concrete or routes:
        match = route.pattern.fullmatch(path)
        if match is None:
            continue
        if route.method == method:
            return route, match.groupdict()
        allowed.add(route.method)
    if allowed:
        raise ApiError(
            405,
            "METHOD_NOT_ALLOWED",
            f"Method {method} is not allowed on {path}.",
            headers={"Allow": ", ".join(sorted(allowed))},
        )
    raise ApiError(404, "NOT_FOUND", f"No route matches {method} {path}.")
