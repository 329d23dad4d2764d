"""One definition per API method, two flavours: the descriptors that make resource methods.

A method is written once, as a *builder*: a plain function with the method's
explicit keyword parameters and docstring, which checks its arguments and
returns what to run — an :class:`~ziett._transport.Operation` (one API call), a
job :data:`~ziett._transport.Plan`, a :class:`~ziett._pagination.Listing` or a
:class:`Stream`. A resource class then lists its methods as descriptors that
only say *how* to run the builder's result in their flavour::

    class AsyncMessages(AsyncResource):
        send = AsyncCall(messages.send)      # await client.messages.send(...)
    class Messages(SyncResource):
        send = SyncCall(messages.send)       # client.messages.send(...)

The descriptor hands out a function with the builder's signature (ParamSpec for
type checkers and IDEs; ``__signature__``, ``__doc__`` and ``__wrapped__`` for
``help()`` and ``inspect``), so every parameter is visible and the behaviour
lives in one place. Bound methods are cached on the resource instance.
"""

from __future__ import annotations

import functools
import inspect
import re
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, ParamSpec, Self, TypeVar, overload

from ziett._pagination import AsyncPager, Listing, PageLike, SyncPager
from ziett._response import RawResponse
from ziett._transport import (
    Operation,
    Plan,
    iterate_async,
    iterate_sync,
    plan_call,
    run_async,
    run_sync,
)

if TYPE_CHECKING:
    from ziett._client import AsyncZiett, Ziett, _ClientCore

P = ParamSpec("P")
R = TypeVar("R")
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
        return op.result(run_sync(plan_call(op, client._settings, link.http.build_request), link))
    return run_sync(built, link)


async def call_async(client: AsyncZiett, built: Operation[T] | Plan[T]) -> T:
    """Run an Operation (one call, parsed) or a job plan with an async client."""
    link = client._link()
    if isinstance(built, Operation):
        op: Operation[T] = built
        plan = plan_call(op, client._settings, link.http.build_request)
        return op.result(await run_async(plan, link))
    return await run_async(built, link)


def raw_sync(client: Ziett, op: Operation[T]) -> RawResponse[T]:
    """Run one call with a blocking client; the HTTP response, parsed on demand."""
    link = client._link()
    response = run_sync(plan_call(op, client._settings, link.http.build_request), link)
    return RawResponse(response, op.result)


async def raw_async(client: AsyncZiett, op: Operation[T]) -> RawResponse[T]:
    """Run one call with an async client; the HTTP response, parsed on demand."""
    link = client._link()
    response = await run_async(plan_call(op, client._settings, link.http.build_request), link)
    return RawResponse(response, op.result)


# --- the descriptors ------------------------------------------------------------------------------


class Resource:
    """Base of ``client.messages`` / ``client.campaigns``: holds the client."""

    def __init__(self, client: _ClientCore[Any]) -> None:
        self._client = client

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._client!r}>"


_GENERIC_RETURN = re.compile(r"^(?:Operation|Plan|Listing|Stream)\[(.*)\]$")


class Method(Generic[P, R]):
    """A resource method made from a builder; accessed on an instance: ``Callable[P, R]``."""

    _is_async = False
    _returns = "{0}"

    def __init__(self, build: Callable[P, Any]) -> None:
        self.build = build
        self.name = build.__name__
        signature = inspect.signature(build)
        self.signature = signature.replace(
            return_annotation=self._returns.format(_inner(signature.return_annotation))
        )
        self.__doc__ = build.__doc__

    def __set_name__(self, owner: type[Any], name: str) -> None:
        self.name = name

    def run(self, client: Any, *args: Any, **kwargs: Any) -> Any:
        """Build and run one call in this descriptor's flavour."""
        raise NotImplementedError

    @overload
    def __get__(self, obj: None, owner: type[Any]) -> Self: ...

    @overload
    def __get__(self, obj: Resource, owner: type[Any] | None = None) -> Callable[P, R]: ...

    def __get__(self, obj: Resource | None, owner: type[Any] | None = None) -> Any:
        if obj is None:
            return self
        client, run = obj._client, self.run
        method: Callable[..., Any]
        if self._is_async:

            async def method(*args: Any, **kwargs: Any) -> Any:
                return await run(client, *args, **kwargs)
        else:

            def method(*args: Any, **kwargs: Any) -> Any:
                return run(client, *args, **kwargs)

        functools.update_wrapper(method, self.build)
        method.__name__ = method.__qualname__ = self.name
        setattr(method, "__signature__", self.signature)  # noqa: B010 - for help() and inspect
        obj.__dict__[self.name] = method  # later lookups skip the descriptor
        return method


def _inner(annotation: Any) -> str:
    text = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", "")
    match = _GENERIC_RETURN.match(text)
    return match.group(1) if match else text


class AsyncCall(Method[P, Coroutine[Any, Any, T]], Generic[P, T]):
    """``await`` one API call (or a job) with an :class:`~ziett.AsyncZiett`."""

    _is_async = True

    def __init__(self, build: Callable[P, Operation[T] | Plan[T]]) -> None:
        super().__init__(build)

    async def run(self, client: AsyncZiett, *args: Any, **kwargs: Any) -> T:
        return await call_async(client, self.build(*args, **kwargs))


class SyncCall(Method[P, T], Generic[P, T]):
    """One API call (or a job) with a blocking :class:`~ziett.Ziett`."""

    def __init__(self, build: Callable[P, Operation[T] | Plan[T]]) -> None:
        super().__init__(build)

    def run(self, client: Ziett, *args: Any, **kwargs: Any) -> T:
        built: Operation[T] | Plan[T] = self.build(*args, **kwargs)
        return call_sync(client, built)


class AsyncRawCall(Method[P, Coroutine[Any, Any, RawResponse[T]]], Generic[P, T]):
    """``await`` one API call; its HTTP response (``with_raw_response``)."""

    _is_async = True
    _returns = "RawResponse[{0}]"

    def __init__(self, build: Callable[P, Operation[T]]) -> None:
        super().__init__(build)

    async def run(self, client: AsyncZiett, *args: Any, **kwargs: Any) -> RawResponse[T]:
        return await raw_async(client, self.build(*args, **kwargs))


class SyncRawCall(Method[P, RawResponse[T]], Generic[P, T]):
    """One API call; its HTTP response (``with_raw_response``)."""

    _returns = "RawResponse[{0}]"

    def __init__(self, build: Callable[P, Operation[T]]) -> None:
        super().__init__(build)

    def run(self, client: Ziett, *args: Any, **kwargs: Any) -> RawResponse[T]:
        return raw_sync(client, self.build(*args, **kwargs))


class AsyncList(Method[P, AsyncPager[ItemT, PageT]], Generic[P, ItemT, PageT]):
    """A listing, fetched page by page as you ``async for`` over it."""

    _returns = "AsyncPager[{0}]"

    def __init__(self, build: Callable[P, Listing[ItemT, PageT]]) -> None:
        super().__init__(build)

    def run(self, client: AsyncZiett, *args: Any, **kwargs: Any) -> AsyncPager[ItemT, PageT]:
        return AsyncPager(self.build(*args, **kwargs), functools.partial(call_async, client))


class SyncList(Method[P, SyncPager[ItemT, PageT]], Generic[P, ItemT, PageT]):
    """A listing, fetched page by page as you iterate over it."""

    _returns = "SyncPager[{0}]"

    def __init__(self, build: Callable[P, Listing[ItemT, PageT]]) -> None:
        super().__init__(build)

    def run(self, client: Ziett, *args: Any, **kwargs: Any) -> SyncPager[ItemT, PageT]:
        return SyncPager(self.build(*args, **kwargs), functools.partial(call_sync, client))


class AsyncRawList(Method[P, Coroutine[Any, Any, RawResponse[PageT]]], Generic[P, ItemT, PageT]):
    """A listing's first page as an HTTP response (``with_raw_response``)."""

    _is_async = True
    _returns = "RawResponse[page]"

    def __init__(self, build: Callable[P, Listing[ItemT, PageT]]) -> None:
        super().__init__(build)

    async def run(self, client: AsyncZiett, *args: Any, **kwargs: Any) -> RawResponse[PageT]:
        return await raw_async(client, self.build(*args, **kwargs).first_page())


class SyncRawList(Method[P, RawResponse[PageT]], Generic[P, ItemT, PageT]):
    """A listing's first page as an HTTP response (``with_raw_response``)."""

    _returns = "RawResponse[page]"

    def __init__(self, build: Callable[P, Listing[ItemT, PageT]]) -> None:
        super().__init__(build)

    def run(self, client: Ziett, *args: Any, **kwargs: Any) -> RawResponse[PageT]:
        return raw_sync(client, self.build(*args, **kwargs).first_page())


class AsyncStream(Method[P, AsyncIterator[ItemT]], Generic[P, ItemT]):
    """Values produced as you ``async for`` over them, until you stop."""

    _returns = "AsyncIterator[{0}]"

    def __init__(self, build: Callable[P, Stream[ItemT]]) -> None:
        super().__init__(build)

    def run(self, client: AsyncZiett, *args: Any, **kwargs: Any) -> AsyncIterator[ItemT]:
        stream = self.build(*args, **kwargs)  # argument errors raise here, at the call
        return _aiterate(client, stream)


async def _aiterate(client: AsyncZiett, stream: Stream[ItemT]) -> AsyncIterator[ItemT]:
    async for value in iterate_async(stream.plan, client._link()):
        yield value


class SyncStream(Method[P, Iterator[ItemT]], Generic[P, ItemT]):
    """Values produced as you iterate over them, until you stop."""

    _returns = "Iterator[{0}]"

    def __init__(self, build: Callable[P, Stream[ItemT]]) -> None:
        super().__init__(build)

    def run(self, client: Ziett, *args: Any, **kwargs: Any) -> Iterator[ItemT]:
        stream = self.build(*args, **kwargs)
        return iterate_sync(stream.plan, client._link())
