"""Running what a method's builder returns, in each flavour.

A method is written once, as a *builder*: a plain function with the method's
explicit keyword parameters and docstring, which checks its arguments and
returns what to run — an :class:`~ziett._transport.Operation` (one API call), a
job :data:`~ziett._transport.Plan`, a :class:`~ziett._pagination.Listing` or a
:class:`Stream`. The generated resource classes (``ziett/resources/_classes.py``,
written by ``make generate`` from ``ziett/resources/_surface.py``) hand that to
the runners here: ``call_*`` (a call or a job), ``raw_*`` (``with_raw_response``),
``pager_*`` (listings) and ``stream_*`` (streams).
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypeVar

from ziett._pagination import AsyncPager, Listing, PageLike, SyncPager
from ziett._response import RawResponse
from ziett._transport import (
    Operation,
    Plan,
    iterate_async,
    iterate_sync,
    run_async,
    run_sync,
)

if TYPE_CHECKING:
    from ziett._client import AsyncZiett, Ziett, _ClientCore

T = TypeVar("T")
ItemT = TypeVar("ItemT")
PageT = TypeVar("PageT", bound=PageLike[Any])


class Stream(NamedTuple, Generic[ItemT]):
    """A builder's stream: a plan emitting ``ItemT`` values (``Emit`` steps) until stopped."""

    plan: Plan[None]


# --- running what a builder returns, in each flavour ----------------------------------------


def call_sync(client: Ziett, built: Operation[T] | Plan[T]) -> T:
    """Run an Operation (one call, parsed) or a job plan with a blocking client."""
    link = client._link()
    if isinstance(built, Operation):
        op: Operation[T] = built
        return op.result(run_sync(link.plan(op), link))
    return run_sync(built, link)


async def call_async(client: AsyncZiett, built: Operation[T] | Plan[T]) -> T:
    """Run an Operation (one call, parsed) or a job plan with an async client."""
    link = client._link()
    if isinstance(built, Operation):
        op: Operation[T] = built
        return op.result(await run_async(link.plan(op), link))
    return await run_async(built, link)


def raw_sync(client: Ziett, op: Operation[T]) -> RawResponse[T]:
    """Run one call with a blocking client; the HTTP response, parsed on demand."""
    link = client._link()
    return RawResponse(run_sync(link.plan(op), link), op.result)


async def raw_async(client: AsyncZiett, op: Operation[T]) -> RawResponse[T]:
    """Run one call with an async client; the HTTP response, parsed on demand."""
    link = client._link()
    return RawResponse(await run_async(link.plan(op), link), op.result)


# --- the descriptors ------------------------------------------------------------------------------


def pager_async(client: AsyncZiett, listing: Listing[ItemT, PageT]) -> AsyncPager[ItemT, PageT]:
    """A lazy async pager over a listing (no request until iterated)."""
    return AsyncPager(listing, functools.partial(call_async, client))


def pager_sync(client: Ziett, listing: Listing[ItemT, PageT]) -> SyncPager[ItemT, PageT]:
    """A lazy pager over a listing (no request until iterated)."""
    return SyncPager(listing, functools.partial(call_sync, client))


async def stream_async(client: AsyncZiett, stream: Stream[ItemT]) -> AsyncIterator[ItemT]:
    """The values a stream's plan emits, its steps performed in async code."""
    async for value in iterate_async(stream.plan, client._link()):
        yield value


def stream_sync(client: Ziett, stream: Stream[ItemT]) -> Iterator[ItemT]:
    """The values a stream's plan emits, its steps performed in blocking code."""
    return iterate_sync(stream.plan, client._link())


class Resource:
    """Base of the resource classes (``client.messages``...): holds the client."""

    def __init__(self, client: _ClientCore[Any]) -> None:
        """Bind the resource to ``client`` (done by the client's properties)."""
        self._client = client

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._client!r}>"
