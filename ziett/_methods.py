"""Running what a method's builder returns, in each flavour.

A method is written once, as a *builder* (``ziett/resources/_surface.py``) that returns
what to run: an :class:`~ziett._transport.Operation`, a job
:data:`~ziett._transport.Plan`, a :class:`~ziett._pagination.Listing` or a
:class:`Stream`. The generated resource classes hand it to the runners here:
``call_*`` (a call or a job), ``raw_*`` (``with_raw_response``), ``pager_*`` and
``stream_*``.
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Iterator
from typing import Any, Protocol, TypeVar

from ziett._pagination import AsyncPager, Listing, PageLike, SyncPager
from ziett._response import RawResponse
from ziett._transport import (
    Link,
    Operation,
    Plan,
    Stream,
    iterate_async,
    iterate_sync,
    plan_on,
    result_of,
    run_async,
    run_sync,
)

__all__ = [
    "Linked",
    "Resource",
    "Stream",
    "call_async",
    "call_sync",
    "pager_async",
    "pager_sync",
    "raw_async",
    "raw_sync",
    "stream_async",
    "stream_sync",
]

T = TypeVar("T")
ItemT = TypeVar("ItemT")
PageT = TypeVar("PageT", bound=PageLike[Any])


class Linked(Protocol):
    """What the runners need of a client: its settings and connection, as a ``Link``."""

    def _link(self) -> Link: ...


# --- running what a builder returns, in each flavour ----------------------------------------


def call_sync(client: Linked, built: Operation[T] | Plan[T]) -> T:
    """Run an Operation (one call, parsed) or a job plan with a blocking client."""
    link = client._link()
    if isinstance(built, Operation):
        op: Operation[T] = built
        return result_of(op, run_sync(plan_on(link, op), link))
    return run_sync(built, link)


async def call_async(client: Linked, built: Operation[T] | Plan[T]) -> T:
    """Run an Operation (one call, parsed) or a job plan with an async client."""
    link = client._link()
    if isinstance(built, Operation):
        op: Operation[T] = built
        return result_of(op, await run_async(plan_on(link, op), link))
    return await run_async(built, link)


def raw_sync(client: Linked, op: Operation[T]) -> RawResponse[T]:
    """Run one call with a blocking client; the HTTP response, parsed on demand."""
    link = client._link()
    return RawResponse.of(run_sync(plan_on(link, op), link), op.result)


async def raw_async(client: Linked, op: Operation[T]) -> RawResponse[T]:
    """Run one call with an async client; the HTTP response, parsed on demand."""
    link = client._link()
    return RawResponse.of(await run_async(plan_on(link, op), link), op.result)


# --- the descriptors ------------------------------------------------------------------------------


def pager_async(client: Linked, listing: Listing[ItemT, PageT]) -> AsyncPager[ItemT, PageT]:
    """A lazy async pager over a listing (no request until iterated)."""
    return AsyncPager(listing, functools.partial(call_async, client))


def pager_sync(client: Linked, listing: Listing[ItemT, PageT]) -> SyncPager[ItemT, PageT]:
    """A lazy pager over a listing (no request until iterated)."""
    return SyncPager(listing, functools.partial(call_sync, client))


async def stream_async(client: Linked, stream: Stream[ItemT]) -> AsyncIterator[ItemT]:
    """The values a stream's plan emits, its steps performed in async code."""
    async for value in iterate_async(stream.plan, client._link()):
        yield value


def stream_sync(client: Linked, stream: Stream[ItemT]) -> Iterator[ItemT]:
    """The values a stream's plan emits, its steps performed in blocking code."""
    return iterate_sync(stream.plan, client._link())


class Resource:
    """Base of the resource classes (``client.messages``...): holds the client."""

    def __init__(self, client: Linked) -> None:
        """Bind the resource to ``client`` (done by the client's properties)."""
        self._client = client

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._client!r}>"
