"""The pure retry decisions: what is retried, after how long, and never a send twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from ziett._errors import parse_retry_after
from ziett._retry import RetryPolicy

POLICY = RetryPolicy(max_retries=3)


def response(status: int, **headers: str) -> httpx.Response:
    return httpx.Response(status, headers=headers, request=httpx.Request("GET", "http://x"))


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
def test_reads_retry_transient_statuses(status: int) -> None:
    assert POLICY.wait_after_response(response(status), 0, sends_message=False) is not None


@pytest.mark.parametrize("status", [400, 401, 402, 403, 404, 422, 501, 520])
def test_reads_do_not_retry_other_statuses(status: int) -> None:
    assert POLICY.wait_after_response(response(status), 0, sends_message=False) is None


@pytest.mark.parametrize("status", [408, 500, 502, 503, 504])
def test_sends_do_not_retry_ambiguous_statuses(status: int) -> None:
    assert POLICY.wait_after_response(response(status), 0, sends_message=True) is None
    opted_in = RetryPolicy(max_retries=3, retry_ambiguous_sends=True)
    assert opted_in.wait_after_response(response(status), 0, sends_message=True) is not None


def test_sends_retry_a_429_honouring_retry_after() -> None:
    assert POLICY.wait_after_response(response(429, **{"Retry-After": "2"}), 0, True) == 2.0


def test_a_retry_after_above_the_ceiling_is_not_waited() -> None:
    assert POLICY.wait_after_response(response(429, **{"Retry-After": "61"}), 0, True) is None
    patient = RetryPolicy(max_retry_after=120)
    assert patient.wait_after_response(response(429, **{"Retry-After": "61"}), 0, True) == 61


def test_retries_stop_at_max_retries() -> None:
    assert POLICY.wait_after_response(response(503), 2, False) is not None
    assert POLICY.wait_after_response(response(503), 3, False) is None
    assert RetryPolicy(max_retries=0).wait_after_response(response(503), 0, False) is None


@pytest.mark.parametrize(
    ("error", "read_retried", "send_retried"),
    [
        (httpx.ConnectError("refused"), True, True),  # never left: safe for a send
        (httpx.ConnectTimeout("slow connect"), True, True),
        (httpx.PoolTimeout("pool"), True, True),
        (httpx.ReadTimeout("slow answer"), True, False),  # may have been processed
        (httpx.WriteTimeout("slow upload"), True, False),
        (httpx.RemoteProtocolError("dropped"), True, False),
        (httpx.ReadError("reset"), True, False),
        (httpx.UnsupportedProtocol("ftp"), False, False),
    ],
)
def test_transport_errors(
    error: httpx.TransportError, read_retried: bool, send_retried: bool
) -> None:
    assert (POLICY.wait_after_error(error, 0, sends_message=False) is not None) is read_retried
    assert (POLICY.wait_after_error(error, 0, sends_message=True) is not None) is send_retried


def test_backoff_is_full_jitter_and_capped() -> None:
    policy = RetryPolicy(backoff_base=0.5, backoff_cap=8.0)
    for retry in range(8):
        waits = [policy.backoff(retry) for _ in range(200)]
        ceiling = min(8.0, 0.5 * 2**retry)
        assert all(0 <= w <= ceiling for w in waits)
        assert max(waits) > ceiling * 0.7  # spread over the whole range, not a fixed step
        assert min(waits) < ceiling * 0.3


def test_retry_after_as_seconds_or_http_date() -> None:
    assert parse_retry_after(response(429, **{"Retry-After": "7"})) == 7.0
    assert parse_retry_after(response(429)) is None
    assert parse_retry_after(response(429, **{"Retry-After": "soon"})) is None
    now = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    later = format_datetime(now + timedelta(seconds=30), usegmt=True)
    dated = response(429, **{"Retry-After": later, "Date": format_datetime(now, usegmt=True)})
    assert parse_retry_after(dated) == 30.0
    past = format_datetime(datetime.now(UTC) - timedelta(hours=1), usegmt=True)
    assert parse_retry_after(response(429, **{"Retry-After": past})) == 0.0


def test_a_retry_after_date_in_utc_minus_zero_is_read() -> None:
    """RFC 5322's "-0000" parses to a naive datetime: still a UTC time, not a crash."""
    now = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    later = (now + timedelta(seconds=10)).strftime("%a, %d %b %Y %H:%M:%S -0000")
    dated = response(429, **{"Retry-After": later, "Date": format_datetime(now, usegmt=True)})
    assert parse_retry_after(dated) == 10.0
