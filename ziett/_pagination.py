"""Lazy auto-pagination over one "fetch page N" function.

``list(...)`` returns a pager at once, without a request. Iterating it yields
items across pages, fetching page N+1 only when page N is used up; ``pages()``
yields the page objects themselves (with ``total`` and ``pages``). The page
bookkeeping lives once, in :class:`PageWalk`, which also refuses a server whose
pages contradict what was asked, so that no listing can run away.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any, Generic, NamedTuple, Protocol, TypeVar

from ziett._errors import APIResponseValidationError
from ziett._transport import Operation

ItemT = TypeVar("ItemT")
PageT = TypeVar("PageT", bound="PageLike[Any]")


class PageLike(Protocol[ItemT]):
    """What the generated page models (MessagePage, CampaignPage) have in common."""

    entries: list[ItemT]
    page: int
    size: int
    pages: int
    total: int


class Listing(NamedTuple, Generic[ItemT, PageT]):
    """A validated listing of ``ItemT`` in ``PageT`` pages: page N's operation, when to stop."""

    operation_for: Callable[[int, int], Operation[PageT]]
    page_size: int
    limit: int | None = None

    def first_page(self) -> Operation[PageT]:
        """The operation that fetches page 1 (at the size iteration would use)."""
        return self.operation_for(1, PageWalk(self).size)


class PageWalk:
    """Which page to fetch next, and how much of it to keep (the ``limit``).

    It never asks for more than the first page's ``pages`` + 1 pages (one more for a
    listing that grows while it is read; fewer when its ``total`` says so), and raises
    APIResponseValidationError when a page contradicts what was asked: another page
    number (a repeated page), negative counts, more entries than the page size.
    """

    def __init__(self, listing: Listing[Any, Any]) -> None:
        self.listing = listing
        limit = listing.limit
        # With a small limit, ask only for what is needed (the same size on every page).
        self.size = listing.page_size if limit is None else max(1, min(listing.page_size, limit))
        self.remaining = limit
        self.next_number: int | None = 1 if limit != 0 else None
        self.route = ""
        self.most_pages: int | None = None  # the first page's pages + 1

    def next_operation(self) -> Operation[Any] | None:
        """The next page's operation, or None when the listing is done."""
        if self.next_number is None:
            return None
        operation = self.listing.operation_for(self.next_number, self.size)
        self.route = operation.route
        return operation

    def record(self, page: PageT) -> PageT:
        """Note a fetched page (checked against what was asked); trims it to the limit."""
        number = self.next_number or 1
        self._check(page, number)
        if self.most_pages is None:
            # pages, and what total says at the page's size: the smaller bounds the walk.
            self.most_pages = min(page.pages, -(-page.total // max(1, page.size))) + 1
        if self.remaining is not None:
            if len(page.entries) > self.remaining:
                del page.entries[self.remaining :]
            self.remaining -= len(page.entries)
        last = not page.entries or page.page >= page.pages or self.remaining == 0
        if not last and self.most_pages is not None and number >= self.most_pages:
            self._refuse(
                "pages", f"at most {self.most_pages} pages (the first page's count + 1)", page.pages
            )
        self.next_number = None if last else number + 1
        return page

    def _check(self, page: PageLike[Any], number: int) -> None:
        if page.page != number:
            self._refuse("page", f"page {number}, the page asked for", page.page)
        for name in ("total", "pages", "size"):
            if getattr(page, name) < 0:
                self._refuse(name, "a count >= 0", getattr(page, name))
        if len(page.entries) > self.size:
            self._refuse("entries", f"at most {self.size} entries", len(page.entries))

    def _refuse(self, path: str, expected: str, got: object) -> None:
        raise APIResponseValidationError(
            f"The {self.route} answers contradict the listing: at {path}, expected "
            f"{expected}, got {got}. Stopped here rather than read on.",
            operation=self.route,
            path=path,
            expected=expected,
            got=str(got),
        )


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
