"""What every resource builds the same way: retrievals by id, sends, listings, the SMS guard.

A resource module only says which generated builder makes its request and which
model reads the answer; the checks and the Operation's shape live here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar
from uuid import UUID

from ziett import _constraints as limits
from ziett._arguments import Problems, checked_int, path_id
from ziett._decode import as_decoder
from ziett._pagination import Listing, PageLike
from ziett._transport import Operation, RequestOptions

T = TypeVar("T")
ItemT = TypeVar("ItemT")
PageT = TypeVar("PageT", bound=PageLike[Any])


def by_id(
    name: str,
    value: str | UUID,
    options: RequestOptions,
    problems: Problems,
    build: Callable[[str], Any],
    parse: Callable[[Any], T],
) -> Operation[T]:
    """A retrieval by id (a UUID or any non-empty id string)."""
    identifier = path_id(name, value, problems)
    problems.raise_if_any()
    return Operation(request=build(identifier), parse=as_decoder(parse), options=options)


def sending(
    request: Any, parse: Callable[[Any], T], options: RequestOptions, ambiguity_note: str
) -> Operation[T]:
    """An operation that sends messages: never retried when it may have gone through."""
    return Operation(
        request=request,
        parse=as_decoder(parse),
        sends_message=True,
        options=options,
        ambiguity_note=ambiguity_note,
    )


def listing(
    build: Callable[[int, int], Any],
    parse: Callable[[Any], PageT],
    options: RequestOptions,
    page_size: int,
    limit: int | None,
    problems: Problems,
) -> Listing[Any, PageT]:
    """A paged listing; raises every problem found so far before any request."""
    page_size = checked_int("page_size", page_size, limits.PAGE_SIZE, problems)
    if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit < 0):
        problems["limit"] = f"Must be a non-negative integer or None (got {limit!r})."
    problems.raise_if_any()
    decoder = as_decoder(parse)

    def operation_for(page: int, size: int) -> Operation[PageT]:
        return Operation(request=build(page, size), parse=decoder, options=options)

    return Listing(operation_for, page_size, limit)


def check_segments(content: object, max_segments: int | None, problems: Problems) -> None:
    """The opt-in guard: refuse a text billed as more than ``max_segments`` SMS parts."""
    if max_segments is None:
        return
    if not isinstance(max_segments, int) or isinstance(max_segments, bool) or max_segments < 1:
        problems["max_segments"] = f"Must be an integer >= 1 or None (got {max_segments!r})."
        return
    if not isinstance(content, str) or "content" in problems:
        return
    from ziett import sms

    info = sms.analyze(content)
    if info.segments > max_segments:
        hint = ""
        if info.encoding == "UCS-2":
            shown = ", ".join(repr(char) for _, char in info.non_gsm[:5])
            hint = f" UCS-2 because of {shown}; ziett.sms.to_gsm() may help."
        problems["content"] = (
            f"Billed as {info.segments} SMS parts ({info.encoding}, {info.units} units), "
            f"more than max_segments={max_segments}.{hint}"
        )
