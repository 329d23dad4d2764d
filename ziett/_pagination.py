"""Lazy auto-pagination over one "fetch page N" function.

``list(...)`` returns a pager at once, without a request. Iterating it yields
items across pages, fetching page N+1 only when page N is used up; ``pages()``
yields the page objects themselves (with ``total`` and ``pages``). Only one page
is held at a time. The page bookkeeping lives once, in :class:`PageWalk`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any, Generic, NamedTuple, Protocol, TypeVar

from ziett._transport import Operation

ItemT = TypeVar("ItemT")
PageT = TypeVar("PageT", bound="PageLike[Any]")


class PageLike(Protocol[ItemT]):
    """What the generated page models (MessagePage, CampaignPage) have in common."""

    entries: list[ItemT]
    page: int
    pages: int


class Listing(NamedTuple, Generic[ItemT, PageT]):
    """A validated listing of ``ItemT`` in ``PageT`` pages: page N's operation, when to stop."""

    operation_for: Callable[[int, int], Operation[PageT]]
    page_size: int
    limit: int | None = None

    def first_page(self) -> Operation[PageT]:
        """The operation that fetches page 1 (at the size iteration would use)."""
        return self.operation_for(1, PageWalk(self).size)


class PageWalk:
    """Which page to fetch next, and how much of it to keep (the ``limit``)."""

    def __init__(self, listing: Listing[Any, Any]) -> None:
        self.listing = listing
        limit = listing.limit
        # With a small limit, ask only for what is needed (the same size on every page).
        self.size = listing.page_size if limit is None else max(1, min(listing.page_size, limit))
        self.remaining = limit
        self.next_number: int | None = 1 if limit != 0 else None

    def next_operation(self) -> Operation[Any] | None:
        """The next page's operation, or None when the listing is done."""
        if self.next_number is None:
            return None
        return self.listing.operation_for(self.next_number, self.size)

    def record(self, page: PageT) -> PageT:
        """Note a fetched page; trims its entries to the limit."""
        if self.remaining is not None:
            if len(page.entries) > self.remaining:
                del page.entries[self.remaining :]
            self.remaining -= len(page.entries)
        last = not page.entries or page.page >= page.pages or self.remaining == 0
        self.next_number = None if last else page.page + 1
        return page


class AsyncPager(Generic[ItemT, PageT]):
    """Async-iterable over every item of a listing; ``pages()`` gives the pages."""

    def __init__(
        self,
        listing: Listing[ItemT, PageT],
        execute: Callable[[Operation[PageT]], Awaitable[PageT]],
    ) -> None:
        self._listing = listing
        self._execute = execute

    async def pages(self) -> AsyncIterator[PageT]:
        """Each page in turn, fetched when the previous one is done."""
        walk = PageWalk(self._listing)
        while (operation := walk.next_operation()) is not None:
            yield walk.record(await self._execute(operation))

    async def __aiter__(self) -> AsyncIterator[ItemT]:
        async for page in self.pages():
            for item in page.entries:
                yield item


class SyncPager(Generic[ItemT, PageT]):
    """Iterable over every item of a listing; ``pages()`` gives the pages."""

    def __init__(
        self, listing: Listing[ItemT, PageT], execute: Callable[[Operation[PageT]], PageT]
    ) -> None:
        self._listing = listing
        self._execute = execute

    def pages(self) -> Iterator[PageT]:
        """Each page in turn, fetched when the previous one is done."""
        walk = PageWalk(self._listing)
        while (operation := walk.next_operation()) is not None:
            yield walk.record(self._execute(operation))

    def __iter__(self) -> Iterator[ItemT]:
        for page in self.pages():
            yield from page.entries
