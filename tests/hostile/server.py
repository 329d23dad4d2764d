"""A server that can answer anything: httpx.MockTransport handlers, the documented answers of
every operation, the ways a broken or hostile server can spoil them, and how to call each
operation through the public client (sync or async), checking the invariants on the way.
"""

from __future__ import annotations

import asyncio
import copy
import json
import pickle
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import attrs
import httpx
from hypothesis import strategies as st

import ziett
from tests.conftest import API_KEY, BASE_URL, REMITTER_V7, message_json

MESSAGE_ID = "019b4b56-e704-7c30-83a0-527df63c3e01"
CAMPAIGN_ID = "019b4b56-e704-7c30-83a0-527df63c3e02"
PHONES = ["+244990090990", "+244990090991"]

CONTACT = {
    "id": "019b4b56-e704-7c30-83a0-527df63c3e03",
    "updated_at": "2019-08-24T14:15:22.123Z",
    "created_at": "2019-08-24T14:15:22.123Z",
    "name": "Ana",
    "email": "ana@example.com",
    "e164_format": PHONES[0],
    "organization_id": "org-1",
}
CAMPAIGN = {
    "id": CAMPAIGN_ID,
    "updated_at": "2019-08-24T14:15:22.123Z",
    "created_at": "2019-08-24T14:15:22.123Z",
    "name": "Black Friday",
    "status": "COMPLETED",
    "organization_id": "org-1",
    "sms_remitter_id": REMITTER_V7,
    "channel_type": "SMS",
    "content": "Hello",
    "total_recipients": 2,
}
SUMMARY = {key: CAMPAIGN[key] for key in ("id", "updated_at", "created_at", "name", "status")}
# Every optional field present, so that every one of them gets spoiled.
MESSAGE = message_json(
    campaign_id=CAMPAIGN_ID,
    contact_id=CONTACT["id"],
    external_id="ext-1",
    provider_id="prov-1",
    error_code="INVALID_PHONE_NUMBER",
    status="DELIVERED",
    contact=CONTACT,
    campaign=SUMMARY,
)


def page(entries: list[Any]) -> dict[str, Any]:
    return {"entries": entries, "total": len(entries), "page": 1, "size": 30, "pages": 1}


@dataclass(frozen=True)
class Operation:
    """One public operation: its route(s), its documented answer, how to call it."""

    name: str
    method: str
    path: str  # a regex of the path
    status: int
    answer: Any
    sends: bool
    call: Callable[[Any], Any]
    pages: bool = False


OPERATIONS = [
    Operation(
        "messages.send",
        "POST",
        r"/c/v1/messages",
        202,
        {"message_id": MESSAGE_ID},
        True,
        lambda c: c.messages.send(remitter_id=REMITTER_V7, target_e164=PHONES[0], content="Hi"),
    ),
    Operation(
        "messages.retrieve",
        "GET",
        r"/c/v1/messages/[^/]+",
        200,
        MESSAGE,
        False,
        lambda c: c.messages.retrieve(MESSAGE_ID),
    ),
    Operation(
        "messages.list",
        "GET",
        r"/c/v1/messages",
        200,
        page([MESSAGE]),
        False,
        lambda c: c.messages.list(),
        pages=True,
    ),
    Operation(
        "campaigns.create_batch",
        "POST",
        r"/c/v1/campaigns/batch",
        202,
        {"message": "Batch accepted", "campaign_id": CAMPAIGN_ID},
        True,
        lambda c: c.campaigns.create_batch(
            name="Black Friday", remitter_id=REMITTER_V7, content="Hi", recipients=PHONES
        ),
    ),
    Operation(
        "campaigns.retrieve",
        "GET",
        r"/c/v1/campaigns/[^/]+",
        200,
        CAMPAIGN,
        False,
        lambda c: c.campaigns.retrieve(CAMPAIGN_ID),
    ),
    Operation(
        "campaigns.list",
        "GET",
        r"/c/v1/campaigns",
        200,
        page([CAMPAIGN]),
        False,
        lambda c: c.campaigns.list(),
        pages=True,
    ),
    Operation(
        "campaigns.list_messages",
        "GET",
        r"/c/v1/campaigns/[^/]+/messages",
        200,
        page([MESSAGE]),
        False,
        lambda c: c.campaigns.list_messages(CAMPAIGN_ID),
        pages=True,
    ),
    Operation(  # the wait helpers poll retrieve: a spoiled status must not escape untyped
        "messages.wait",
        "GET",
        r"/c/v1/messages/[^/]+",
        200,
        MESSAGE,
        False,
        lambda c: c.messages.wait(MESSAGE_ID, timeout=0.05, poll_interval=0.01),
    ),
    Operation(
        "campaigns.wait",
        "GET",
        r"/c/v1/campaigns/[^/]+",
        200,
        CAMPAIGN,
        False,
        lambda c: c.campaigns.wait(CAMPAIGN_ID, timeout=0.05, poll_interval=0.01),
    ),
]


# --- the server -----------------------------------------------------------------------------


@dataclass
class HostileServer:
    """Answers the route it is told to with exactly the given bytes; counts the requests."""

    method: str = "GET"
    path: str = ""
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json"
    requests: list[httpx.Request] = field(default_factory=list)
    respond: Callable[[httpx.Request], bytes] | None = None
    """When set, makes each answer's body from its request (page after page)."""

    def answer(self, operation: Operation, body: bytes, status: int | None = None) -> None:
        self.method, self.path = operation.method, operation.path
        self.status = operation.status if status is None else status
        self.body = body
        self.respond = None
        self.requests.clear()

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if len(self.requests) > 1000:  # a runaway loop: fail loudly rather than hang
            raise AssertionError("more than 1,000 requests for one call")
        if request.method != self.method or not re.fullmatch(self.path, request.url.path):
            return httpx.Response(404, json={"detail": "not this route"})
        headers = {"content-type": self.content_type}
        body = self.body if self.respond is None else self.respond(request)
        return httpx.Response(self.status, content=body, headers=headers)


class Clients:
    """One sync and one async client on one HostileServer; the async one on its own loop."""

    def __init__(self) -> None:
        self.server = HostileServer()
        transport = httpx.MockTransport(self.server.handle)
        settings: dict[str, Any] = {
            "api_key": API_KEY,
            "base_url": BASE_URL,
            "rate_limits": {},
            "max_retries": 0,
        }
        self.sync = ziett.Ziett(
            **settings, http_client=httpx.Client(transport=transport, trust_env=False)
        )
        self.runner = asyncio.Runner()
        self.aio = self.runner.run(self._async_client(transport, settings))

    async def _async_client(
        self, transport: httpx.MockTransport, settings: dict[str, Any]
    ) -> ziett.AsyncZiett:
        http = httpx.AsyncClient(transport=transport, trust_env=False)
        return ziett.AsyncZiett(**settings, http_client=http)

    def run(self, flavour: str, operation: Operation) -> Any:
        """The operation's result (every page's entries for a listing)."""
        if flavour == "sync":
            result = operation.call(self.sync)
            return [page for page in result.pages()] if operation.pages else result
        return self.runner.run(self._run_async(operation))

    async def _run_async(self, operation: Operation) -> Any:
        result = operation.call(self.aio)
        if operation.pages:
            return [page async for page in result.pages()]
        return await result

    def close(self) -> None:
        self.sync.close()
        self.runner.run(self.aio.aclose())
        self.runner.close()


# --- writing and spoiling answers -----------------------------------------------------------


class Number(str):
    """A JSON number written exactly as this text (``3423.23``, ``1e400``, ``NaN``)."""


def dump(value: Any) -> bytes:
    """JSON bytes, with every Number written bare, as its text."""
    numbers: dict[str, str] = {}

    def mark(item: Any) -> Any:
        if isinstance(item, Number):
            key = f"@@number{len(numbers)}@@"
            numbers[key] = str(item)
            return key
        if isinstance(item, dict):
            return {k: mark(v) for k, v in item.items()}
        if isinstance(item, list):
            return [mark(v) for v in item]
        return item

    text = json.dumps(mark(value))
    for key, number in numbers.items():
        text = text.replace(f'"{key}"', number)
    return text.encode()


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every place in a JSON document: each key of each object, each item of each list."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield (*prefix, key)
            yield from paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield (*prefix, index)
            yield from paths(item, (*prefix, index))


REPLACEMENTS = st.one_of(
    st.sampled_from(
        [
            None,
            0,
            -1,
            1.5,
            True,
            "",
            "x",
            "BOUNCED",  # an enum value no version knows
            "2019-08-24T14:15:22.123Z",
            [],
            {},
            [{}],
            {"entries": []},
            Number("NaN"),
            Number("Infinity"),
            Number("-Infinity"),
            Number("1e400"),
            Number("3423.23"),
            Number("-0.0"),
            10**40,
            "9" * 400,
            "1E+999999",
            "x" * 5000,
        ]
    ),
    st.text(max_size=20),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
)


@st.composite
def spoiled(draw: st.DrawFn, answer: Any) -> tuple[str, bytes]:
    """A documented answer spoiled one way: (what was done, the bytes to answer)."""
    whole = draw(st.sampled_from(["field", "field", "field", "field", "body"]))
    if whole == "body":
        text = dump(answer)
        body = draw(
            st.sampled_from(
                [
                    b"",
                    b"<html><body>502 Bad Gateway</body></html>",
                    text[: len(text) // 2],  # truncated
                    text[:-1],
                    b"[" + text + b"]",  # an array for the object
                    b"null",
                    b"\xff\xfe" + text,  # not UTF-8
                    text + b" trailing",
                    b'{"a": ' * 2000,  # deep
                    b"[" * 5000 + b"]" * 5000,
                ]
            )
        )
        return f"body {body[:30]!r}", body
    document = copy.deepcopy(answer)
    where = draw(st.sampled_from(list(paths(document))))
    *parents, last = where
    holder = document
    for step in parents:
        holder = holder[step]
    how = draw(st.sampled_from(["replace", "replace", "delete", "extra"]))
    if how == "delete":
        del holder[last]
    elif how == "extra":
        target = holder[last] if isinstance(holder[last], dict) else holder
        if isinstance(target, dict):
            target[draw(st.text(min_size=1, max_size=10))] = draw(REPLACEMENTS)
        else:
            target.append(draw(REPLACEMENTS))
    else:
        holder[last] = draw(REPLACEMENTS)
    return f"{how} at {where}", dump(document)


# --- the invariants -------------------------------------------------------------------------


def check_plain_data(value: Any) -> None:
    """A returned model (or list of them) never raises, and round-trips equal."""
    if isinstance(value, list):
        for item in value:
            check_plain_data(item)
        return
    if not attrs.has(type(value)):
        return
    repr(value)
    assert value == value
    for twin in (copy.copy(value), copy.deepcopy(value), pickle.loads(pickle.dumps(value))):
        assert twin == value
    attrs.asdict(value)
    value.to_dict()
    for attribute in attrs.fields(type(value)):
        check_plain_data(getattr(value, attribute.name))


def read_everywhere(models: list[Any], threads: int = 8) -> None:
    """Read every field of every model from several threads at once: all see the same."""
    seen: list[list[str]] = []

    def read() -> None:
        seen.append([repr(model) for model in models])

    workers = [threading.Thread(target=read) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert all(view == seen[0] for view in seen)
