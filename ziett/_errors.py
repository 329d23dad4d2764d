"""The exception tree, and the one mapping from an HTTP answer to an exception.

The tree, to catch by meaning, is drawn on :class:`ZiettError`. ``may_have_been_sent``
says whether the server may have acted on a sending call (check before sending again);
advice for a person is a PEP 678 note. Imports nothing of ziett (httpx for annotations only).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # only annotations: importing the errors stays free of httpx
    import httpx

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "DuplicateSendError",
    "InsufficientFundsError",
    "InternalServerError",
    "InvalidRequestError",
    "JournalError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ValidationError",
    "WaitTimeoutError",
    "ZiettError",
    "error_from_response",
    "parse_retry_after",
]

_MAX_BODY_IN_MESSAGE = 200


class ZiettError(Exception):
    """Root of every error the SDK raises on purpose.

    ``may_have_been_sent`` is True when the error comes from a call that sends
    messages and the server may have acted on it (a dropped connection after the
    request was written, a timeout, a 5xx): check before sending again. False
    when nothing was sent (a client-side check, a 4xx, a connection never opened).

    Catch by meaning::

        ZiettError                        everything the SDK raises on purpose
        ├── InvalidRequestError           a check before sending failed (also a ValueError)
        ├── APIError                      something went wrong talking to the API
        │   ├── APIStatusError            the server answered with an error status
        │   │   ├── AuthenticationError (401)   InsufficientFundsError (402)
        │   │   ├── PermissionDeniedError (403) NotFoundError (404)
        │   │   ├── ValidationError (400/422)   RateLimitError (429)
        │   │   └── InternalServerError (5xx)
        │   ├── APIResponseValidationError   a 2xx answer that is not the documented shape
        │   └── APIConnectionError        no usable answer; APITimeoutError when it timed out
        ├── WaitTimeoutError              a wait helper's timeout passed (also a TimeoutError)
        ├── JournalError                  a bulk send's journal cannot be used
        └── DuplicateSendError            a bulk send would repeat work the server already did
    """

    may_have_been_sent: bool = False


class InvalidRequestError(ZiettError, ValueError):
    """A check the SDK makes before sending failed: nothing was sent, no money moved.

    ``fields`` maps each offending argument (``"recipients[3]"``, ``"timeout"``)
    to what is wrong with it. Also a ``ValueError``, so code that validates
    input generically catches it too.
    """

    def __init__(self, message: str, *, fields: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields: dict[str, str] = dict(fields or {})

    def __str__(self) -> str:
        return self.message


class APIError(ZiettError):
    """Something went wrong talking to the API (the base of status, shape and connection errors).

    ``status_code``, ``code``, ``trace_id`` and ``fields`` come from an error
    answer (None/empty otherwise); ``response`` is the answer, when one came.
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        code: str | None = None,
        trace_id: str | None = None,
        fields: Mapping[str, str] | None = None,
        response: httpx.Response | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        self.code = code
        self.trace_id = trace_id
        self.fields: dict[str, str] = dict(fields or {})
        self.response = response

    def __str__(self) -> str:
        head = " ".join(str(part) for part in (self.status_code, self.code) if part is not None)
        text = f"{head}: {self.message}" if head else self.message
        if self.trace_id:
            text += f" (trace_id={self.trace_id})"
        if self.fields:
            text += "; fields: " + "; ".join(f"{k}: {v}" for k, v in self.fields.items())
        return text


class APIStatusError(APIError):
    """The server answered with an error status; ``status_code`` says which.

    A 4xx means the request was refused and nothing was sent; a 5xx on a sending
    call leaves the outcome unknown (``may_have_been_sent`` True).
    """


class AuthenticationError(APIStatusError):
    """401: the API key is missing, malformed or revoked."""


class InsufficientFundsError(APIStatusError):
    """402: the balance is below the cost; nothing was sent."""


class PermissionDeniedError(APIStatusError):
    """403: the API key lacks the scope the operation needs."""


class NotFoundError(APIStatusError):
    """404: no such message or campaign."""


class ValidationError(APIStatusError):
    """400 or 422: the server refused the request's content; see ``fields``. Nothing was sent.

    Checks the SDK makes itself before sending raise ``InvalidRequestError``.
    """


class RateLimitError(APIStatusError):
    """429: a rate limit was reached; ``retry_after`` is the server's hint in seconds."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class InternalServerError(APIStatusError):
    """5xx: an error on Ziett's side (or a gateway in front of it)."""


class APIResponseValidationError(APIError):
    """A successful answer that is not the documented shape (a broken or hostile server).

    ``operation`` names the call, ``path`` the field (``"entries[17].cost"``),
    ``expected`` what the spec allows and ``got`` (truncated) what came. For a
    call that sends messages the server accepted the request, so
    ``may_have_been_sent`` is True: do not send it again blindly.
    """

    def __init__(
        self,
        message: str,
        *,
        operation: str,
        path: str = "",
        expected: str = "",
        got: str = "",
        response: httpx.Response | None = None,
    ) -> None:
        super().__init__(
            message,
            status_code=None if response is None else response.status_code,
            response=response,
        )
        self.operation = operation
        self.path = path
        self.expected = expected
        self.got = got


class APIConnectionError(APIError):
    """No usable answer arrived: connection refused, reset or dropped."""

    def __init__(self, message: str, *, request: httpx.Request | None = None) -> None:
        super().__init__(message)
        self.request = request


class APITimeoutError(APIConnectionError):
    """The request (or the whole call's deadline) timed out."""


class WaitTimeoutError(ZiettError, TimeoutError):
    """A wait helper's ``timeout`` passed before the outcome it waited for.

    Nothing failed on the wire: the message or campaign simply had not reached
    the awaited status yet. ``last`` is the last object seen (a ``Message``, a
    ``Campaign``, or for ``wait_many`` the list of messages in the order of the
    ids; None when no poll answered before the timeout).
    """

    def __init__(self, message: str, *, last: Any = None) -> None:
        super().__init__(message)
        self.last = last


class JournalError(ZiettError):
    """A bulk send's journal cannot be used: not a ziett journal, damaged, newer, or in use.

    Raised before anything is written or sent; the message says what the file is
    and what to do.
    """


class DuplicateSendError(ZiettError):
    """A bulk send would repeat work the server already did (nothing was sent now).

    ``chunks_sent`` and ``recipients_sent`` count what the server shows as
    already sent for this job, ``first_sent_at`` says when (None if unknown).
    Pass ``allow_repeat=True`` (``--allow-repeat`` in the CLI) to send again on purpose.
    """

    def __init__(
        self,
        message: str,
        *,
        chunks_sent: int = 0,
        recipients_sent: int = 0,
        first_sent_at: datetime | None = None,
    ) -> None:
        super().__init__(message)
        self.chunks_sent = chunks_sent
        self.recipients_sent = recipients_sent
        self.first_sent_at = first_sent_at


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: ValidationError,
    401: AuthenticationError,
    402: InsufficientFundsError,
    403: PermissionDeniedError,
    404: NotFoundError,
    422: ValidationError,
    429: RateLimitError,
}


def _error_class(status: int) -> type[APIStatusError]:
    if status >= 500:
        return InternalServerError
    return _BY_STATUS.get(status, APIStatusError)


def _body_object(response: httpx.Response) -> dict[str, Any]:
    try:
        body = json.loads(response.content)
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def error_from_response(response: httpx.Response) -> APIStatusError:
    """The exception for an error response; never fails on a non-JSON body."""
    body = _body_object(response)
    message = body.get("message")
    if not isinstance(message, str) or not message:
        text = response.text.strip()[:_MAX_BODY_IN_MESSAGE]
        message = text or response.reason_phrase or "HTTP error"
    fields = body.get("fields")
    kwargs: dict[str, Any] = {
        "status_code": response.status_code,
        "code": body.get("code") if isinstance(body.get("code"), str) else None,
        "trace_id": body.get("trace_id") if isinstance(body.get("trace_id"), str) else None,
        "fields": {str(k): str(v) for k, v in fields.items()} if isinstance(fields, dict) else None,
        "response": response,
    }
    cls = _error_class(response.status_code)
    if cls is RateLimitError:
        return RateLimitError(message, retry_after=parse_retry_after(response), **kwargs)
    return cls(message, **kwargs)


def parse_retry_after(response: httpx.Response) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or HTTP date); None if absent."""
    value = response.headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    # Loaded here, not at import: email.utils imports random, which registers a fork
    # handler, and `import ziett` registers none.
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:  # "-0000": a UTC time by RFC 5322
        when = when.replace(tzinfo=UTC)
    date = response.headers.get("date")
    try:
        now = parsedate_to_datetime(date) if date else None
    except (TypeError, ValueError):
        now = None
    if now is not None and now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    if now is None:
        now = datetime.now(UTC)
    return max(0.0, (when - now).total_seconds())
