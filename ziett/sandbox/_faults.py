"""Fault injection: what :meth:`Sandbox.inject` accepts, and how each fault answers.

A fault is consumed by the next matching requests: an HTTP status (429 with
``Retry-After``, 5xx, optionally an HTML gateway page), a dropped connection
after processing ("drop", the ambiguous case) or before it ("drop_before"), or a
slow answer. A request draws its fault into a :class:`Plan` first, so an async
server can wait without holding the sandbox's lock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from http import HTTPStatus
from types import MappingProxyType
from typing import Final, Literal, TypeAlias

import httpx

FaultSpec: TypeAlias = int | str | tuple[str, float]
"""What :meth:`Sandbox.inject` accepts: an HTTP status, "drop", "drop_before" or ("slow", s)."""

DROPPED_MESSAGE: Final = "Server disconnected without sending a response."
"""What a client sees when a "drop" fault closes the connection."""

_FaultKind: TypeAlias = Literal["status", "drop", "drop_before", "slow"]


@dataclass
class Fault:
    """One injected fault, consumed by the next ``times`` matching requests."""

    kind: _FaultKind
    times: int
    method: str | None = None
    path: str | None = None
    status: int = 0
    seconds: float = 0.0
    retry_after: float | str | None = None
    html: bool = False

    def matches(self, method: str, path: str) -> bool:
        """Whether a request to ``method`` ``path`` draws this fault.

        :param method: the request's method.
        :param path: the request's path (``self.path`` is a prefix).
        """
        return (self.method is None or self.method == method) and (
            self.path is None or path.startswith(self.path)
        )


def make_fault(
    fault: FaultSpec,
    *,
    times: int,
    method: str | None,
    path: str | None,
    retry_after: float | str | None,
    html: bool,
) -> Fault:
    """A :class:`Fault` from what :meth:`Sandbox.inject` was given.

    :param fault: an HTTP status, "drop", "drop_before" or ("slow", seconds).
    :param times: how many matching requests it hits (>= 1).
    :param method: only requests with this method.
    :param path: only requests whose path starts with this.
    :param retry_after: the Retry-After of a status fault.
    :param html: answer a status fault with an HTML gateway page.
    :raises ValueError: for anything else.
    """
    if isinstance(times, bool) or not isinstance(times, int) or times < 1:
        raise ValueError(f"times must be an integer of at least 1, got {times!r}")
    made = Fault("status", times, method.upper() if method else None, path)
    if isinstance(fault, int) and not isinstance(fault, bool):
        if not 400 <= fault <= 599:
            raise ValueError(f"an injected status must be 4xx or 5xx, got {fault}")
        made.status, made.retry_after, made.html = fault, retry_after, html
    elif fault == "drop" or fault == "drop_before":
        made.kind = "drop" if fault == "drop" else "drop_before"
    elif isinstance(fault, tuple) and len(fault) == 2 and fault[0] == "slow":
        seconds = fault[1]
        if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds < 0:
            raise ValueError(f"a slow fault needs seconds >= 0, got {seconds!r}")
        made.kind, made.seconds = "slow", float(seconds)
    else:
        raise ValueError(
            f"unknown fault {fault!r}: use an HTTP status, 'drop', 'drop_before' "
            "or ('slow', seconds)"
        )
    return made


_FAULT_TEXTS: Final = MappingProxyType(
    {
        429: ("RATE_LIMIT_EXCEEDED", "Too many requests. Please retry later."),
        500: ("INTERNAL_SERVER_ERROR", "An unexpected error occurred. Please try again later."),
        502: ("BAD_GATEWAY", "The upstream service returned an invalid response."),
        503: ("SERVICE_UNAVAILABLE", "The service is temporarily unavailable."),
        504: ("GATEWAY_TIMEOUT", "The upstream service did not answer in time."),
        520: ("UNKNOWN_ERROR", "The origin server returned an unknown error."),
    }
)


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown Error"


def fault_text(status: int) -> tuple[str, str]:
    """The error code and message a status fault answers with.

    :param status: the injected status.
    """
    if status in _FAULT_TEXTS:
        return _FAULT_TEXTS[status]
    phrase = _phrase(status)
    return re.sub(r"\W+", "_", phrase).upper(), f"{phrase}."


def gateway_page(status: int) -> str:
    """The HTML page a proxy (nginx) would answer ``status`` with.

    :param status: the injected status.
    """
    _, message = fault_text(status)
    title = f"{status} {_phrase(status)}"
    return (
        f"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n"
        f"<center><h1>{title}</h1></center>\r\n<p>{message}</p>\r\n"
        "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
    )


@dataclass(frozen=True)
class Plan:
    """A request on its way through the sandbox, with the fault it drew (if any)."""

    request: httpx.Request
    fault: Fault | None

    @property
    def delay(self) -> float:
        """Seconds to wait before answering (a "slow" fault)."""
        return self.fault.seconds if self.fault and self.fault.kind == "slow" else 0.0
