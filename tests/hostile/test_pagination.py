"""Auto-pagination against a server whose pages lie: it ends, or raises a typed error.

It never asks for more than the first page's ``pages`` + 1 pages, and refuses a page
number other than the one asked for, negative or non-integer counts, or more entries
than asked for.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

import ziett
from tests.hostile.profiles import HOSTILE
from tests.hostile.server import MESSAGE, OPERATIONS, Clients, dump

LIST = next(op for op in OPERATIONS if op.name == "messages.list")
FLAVOURS = ["sync", "async"]

page_answers = st.fixed_dictionaries(
    {
        "entries": st.integers(0, 4).map(lambda n: [MESSAGE] * n),
        "total": st.integers(-2, 10**6),
        "page": st.integers(-1, 8),
        "size": st.integers(-1, 50),
        "pages": st.integers(-2, 10**6),
    }
)


def pages_answered(clients: Clients, answers: list[dict[str, Any]]) -> None:
    """Answer the n-th request with answers[n] (the last one ever after)."""

    def respond(request: httpx.Request) -> bytes:
        number = len(clients.server.requests)
        return dump(answers[min(number, len(answers)) - 1])

    clients.server.answer(LIST, b"")
    clients.server.respond = respond


def listing(flavour: str, clients: Clients) -> list[Any]:
    return clients.run(flavour, LIST)  # type: ignore[no-any-return]


@pytest.mark.parametrize("flavour", FLAVOURS)
@HOSTILE
@given(answers=st.lists(page_answers, min_size=1, max_size=6))
def test_lying_pages_end_or_raise_and_never_run_away(
    clients: Clients, flavour: str, answers: list[dict[str, Any]]
) -> None:
    pages_answered(clients, answers)
    try:
        pages = listing(flavour, clients)
    except ziett.APIResponseValidationError as error:
        assert error.may_have_been_sent is False
        pages = []
    first = answers[0]
    assert len(clients.server.requests) <= max(first["pages"], 0) + 1
    for number, page in enumerate(pages, start=1):
        assert page.page == number and page.total >= 0 and page.pages >= 0


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_server_repeating_page_one_is_refused_at_page_two(clients: Clients, flavour: str) -> None:
    pages_answered(clients, [{"entries": [MESSAGE], "total": 5, "page": 1, "size": 1, "pages": 5}])
    with pytest.raises(ziett.APIResponseValidationError) as caught:
        listing(flavour, clients)
    assert caught.value.path == "page"
    assert caught.value.operation == "GET /c/v1/messages"
    assert len(clients.server.requests) == 2


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_listing_that_keeps_growing_stops_at_pages_plus_one(
    clients: Clients, flavour: str
) -> None:
    def respond(request: httpx.Request) -> bytes:
        number = int(request.url.params["page"])
        return dump(
            {
                "entries": [MESSAGE],
                "total": 2 + number,
                "page": number,
                "size": 1,
                "pages": 2 + number,
            }
        )

    clients.server.answer(LIST, b"")
    clients.server.respond = respond
    with pytest.raises(ziett.APIResponseValidationError) as caught:
        listing(flavour, clients)
    assert caught.value.path == "pages"
    assert len(clients.server.requests) == 4  # the first page said 3: at most 3 + 1


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize(
    "spoil",
    [{"total": -1}, {"pages": -1}, {"page": "2"}, {"pages": 2.5}, {"total": None}, {"page": 0}],
)
def test_counts_that_cannot_be_are_refused(
    clients: Clients, flavour: str, spoil: dict[str, Any]
) -> None:
    answer = {"entries": [MESSAGE], "total": 1, "page": 1, "size": 30, "pages": 1, **spoil}
    clients.server.answer(LIST, json.dumps(answer).encode())
    with pytest.raises(ziett.APIResponseValidationError) as caught:
        listing(flavour, clients)
    assert caught.value.path == next(iter(spoil))


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_pages_that_total_contradicts_do_not_run_away(clients: Clients, flavour: str) -> None:
    def respond(request: httpx.Request) -> bytes:
        number = int(request.url.params["page"])
        entries = [MESSAGE] * 10
        return dump(
            {"entries": entries, "total": 30, "page": number, "size": 10, "pages": 1_000_000}
        )

    clients.server.answer(LIST, b"")
    clients.server.respond = respond
    with pytest.raises(ziett.APIResponseValidationError) as caught:
        listing(flavour, clients)
    assert caught.value.path == "pages"
    assert len(clients.server.requests) == 4  # total says 3 pages of 10: at most 3 + 1
