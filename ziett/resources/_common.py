"""What every resource does the same way: check arguments, then build an Operation.

A resource module only says which generated function builds its request and
which model reads the answer; the checks and the Operation's shape live here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar
from uuid import UUID

from ziett import _constraints as limits
from ziett._arguments import Problems, checked_int, enum_values, path_id, split_options
from ziett._pagination import Listing, PageLike
from ziett._transport import Operation, RequestOptions
from ziett_client.models import SortField, SortOrder

T = TypeVar("T")
PageT = TypeVar("PageT", bound=PageLike[Any])
DEFAULT_PAGE_SIZE = 30
Request = dict[str, Any]


def arguments_of(
    params: Mapping[str, Any], accepted: type
) -> tuple[RequestOptions, dict[str, Any], Problems]:
    """Per-call options, the arguments, and the problems found so far (unknown names)."""
    options, arguments = split_options(params)
    problems = Problems()
    for name in sorted(set(arguments) - set(accepted.__annotations__)):
        problems[name] = "Unknown argument."
    return options, arguments, problems


def sorting(arguments: dict[str, Any], problems: Problems) -> dict[str, Any]:
    """``order`` and ``order_by`` as the generated enums, when given."""
    order = enum_values(
        "order", arguments.get("order"), SortOrder, limits.SORT_ORDER_VALUES, problems
    )
    order_by = enum_values(
        "order_by", arguments.get("order_by"), SortField, limits.SORT_FIELD_VALUES, problems
    )
    chosen: dict[str, Any] = {}
    if order:
        chosen["order"] = order[0]
    if order_by:
        chosen["order_by"] = order_by[0]
    return chosen


def paging(arguments: dict[str, Any], problems: Problems) -> tuple[int, int | None]:
    """``page_size`` (1..200) and ``limit`` (>= 0 or None), checked."""
    page_size = checked_int(
        "page_size", arguments.get("page_size", DEFAULT_PAGE_SIZE), limits.PAGE_SIZE, problems
    )
    limit = arguments.get("limit")
    if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit < 0):
        problems["limit"] = f"Must be a non-negative integer or None (got {limit!r})."
    return page_size, limit


def by_id(
    operation_id: str,
    name: str,
    value: str | UUID,
    options: RequestOptions,
    build: Callable[[str], Request],
    parse: Callable[[Any], T],
) -> Operation[T]:
    """A retrieval by id (a UUID or any non-empty id string)."""
    options, _ = split_options(options)  # checks them
    problems = Problems()
    identifier = path_id(name, value, problems)
    problems.raise_if_any()
    return Operation(
        route=limits.ROUTES[operation_id], request=build(identifier), parse=parse, options=options
    )


def sending(
    operation_id: str,
    request: Request,
    parse: Callable[[Any], T],
    options: RequestOptions,
    ambiguity_note: str,
) -> Operation[T]:
    """An operation that sends messages: never retried when it may have gone through."""
    return Operation(
        route=limits.ROUTES[operation_id],
        request=request,
        parse=parse,
        sends_message=True,
        options=options,
        ambiguity_note=ambiguity_note,
    )


def listing(
    operation_id: str,
    build: Callable[[int, int], Request],
    parse: Callable[[Any], PageT],
    options: RequestOptions,
    arguments: dict[str, Any],
    problems: Problems,
) -> Listing[PageT]:
    """A paged listing; raises every problem found so far before any request."""
    page_size, limit = paging(arguments, problems)
    problems.raise_if_any()

    def operation_for(page: int, size: int) -> Operation[PageT]:
        return Operation(
            route=limits.ROUTES[operation_id],
            request=build(page, size),
            parse=parse,
            options=options,
        )

    return Listing(operation_for, page_size, limit)
