"""The call policy, stepped on a fake clock: pacing, retries, backoff, deadlines, exactly.

No sleeps and no sockets: ``tests/stepping.py`` drives ``plan_call`` the way the
real drivers do, and time moves only from one wake-up to the next. Every
assertion is an exact time or count, so these tests cannot flake on a busy machine.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

import ziett
from tests.conftest import REMITTER_V7
from tests.stepping import Cancelled, FakeClock, Simulation, call_plan, settings
from ziett._throttle import RateLimit
from ziett._transport import Attempt
from ziett.resources import messages

SENDS = "POST /c/v1/messages"
ACCEPTED = {"message_id": "019b4b56-e704-7c30-83a0-527df63c3eaa", "status": "PENDING"}


def a_send(**options: Any) -> Any:
    return messages.send(
        remitter_id=REMITTER_V7, target_e164="+244990090990", content="Code 482910", **options
    )


def a_read(**options: Any) -> Any:
    return messages.retrieve("019b4b56-e704-7c30-83a0-527df63c3eaa", **options)


def answers(*responses: httpx.Response | BaseException) -> Any:
    queue = list(responses)

    def respond(request: httpx.Request, now: float) -> httpx.Response | BaseException:
        return queue.pop(0) if len(queue) > 1 else queue[0]

    return respond


def accepted(request: httpx.Request, now: float) -> httpx.Response:
    return httpx.Response(202, json=ACCEPTED)


# --- pacing ------------------------------------------------------------------------------------


def test_a_burst_of_sends_is_paced_to_whole_windows() -> None:
    clock = FakeClock()
    call = settings(clock, limits={SENDS: RateLimit(10, 1.0)})
    simulation = Simulation(clock, accepted)
    for _ in range(25):
        simulation.add(call_plan(a_send(), call))
    results = simulation.run()
    assert all(r.status_code == 202 for r in results)
    times = [round(t - 1000.0, 6) for t, _ in simulation.dispatched]
    window = 1.0 * 1.02  # the limiter keeps a 2 % margin
    assert times == [0.0] * 10 + [round(window, 6)] * 10 + [round(2 * window, 6)] * 5


def test_no_window_ever_holds_more_than_the_limit_with_late_arrivals() -> None:
    clock = FakeClock()
    call = settings(clock, limits={SENDS: RateLimit(3, 1.0)})
    simulation = Simulation(clock, accepted)
    for i in range(12):
        simulation.add(call_plan(a_send(), call), at=1000.0 + 0.13 * i)
    simulation.run()
    times = [t for t, _ in simulation.dispatched]
    assert len(times) == 12
    for start in times:
        assert sum(1 for t in times if start <= t < start + 1.0) <= 3


def test_reads_are_not_paced() -> None:
    clock = FakeClock()
    call = settings(clock, limits={SENDS: RateLimit(1, 60.0)})
    simulation = Simulation(clock, answers(httpx.Response(404)))
    for _ in range(5):
        simulation.add(call_plan(a_read(), call))
    simulation.run()
    assert [t for t, _ in simulation.dispatched] == [1000.0] * 5


def test_a_cancelled_waiter_gives_its_slot_back() -> None:
    clock = FakeClock()
    call = settings(clock, limits={SENDS: RateLimit(1, 10.0)})
    simulation = Simulation(clock, accepted)
    simulation.add(call_plan(a_send(), call))  # takes the only slot at t=0
    waiting = simulation.add(call_plan(a_send(), call))  # booked for t=10.2, cancelled at t=1
    simulation.cancel(waiting, at=1001.0)
    simulation.add(call_plan(a_send(), call), at=1002.0)  # gets the released slot
    results = simulation.run()
    assert isinstance(results[waiting], Cancelled)
    assert [round(t - 1000.0, 6) for t, _ in simulation.dispatched] == [0.0, 10.2]


def test_the_deadline_refuses_a_slot_that_comes_too_late_and_releases_it() -> None:
    clock = FakeClock()
    call = settings(clock, limits={SENDS: RateLimit(1, 10.0)})
    simulation = Simulation(clock, accepted)
    simulation.add(call_plan(a_send(), call))
    late = simulation.add(call_plan(a_send(deadline=5.0), call))
    simulation.add(call_plan(a_send(), call), at=1001.0)
    results = simulation.run()
    assert isinstance(results[late], ziett.APITimeoutError)
    assert "no slot before the deadline" in str(results[late])
    assert results[late].may_have_been_sent is False
    # The refused booking was released: the third send goes at the next window, not after two.
    assert [round(t - 1000.0, 6) for t, _ in simulation.dispatched] == [0.0, 10.2]


# --- retries and backoff --------------------------------------------------------------------------


def test_a_read_retries_503s_with_exponential_backoff() -> None:
    clock = FakeClock()
    simulation = Simulation(
        clock, answers(httpx.Response(503), httpx.Response(503), httpx.Response(404))
    )
    index = simulation.add(call_plan(a_read(max_retries=3), settings(clock)))
    simulation.run()
    # Full jitter, taken at its upper bound here: 0.5 s, then 1.0 s.
    assert simulation.sleeps == [0.5, 1.0]
    assert [t - 1000.0 for t, _ in simulation.dispatched] == [0.0, 0.5, 1.5]
    assert isinstance(simulation.results[index], ziett.NotFoundError)


def test_the_backoff_is_capped() -> None:
    clock = FakeClock()
    simulation = Simulation(clock, answers(httpx.Response(502)))
    simulation.add(call_plan(a_read(max_retries=6), settings(clock)))
    simulation.run()
    assert simulation.sleeps == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]


def test_retry_after_is_waited_exactly_for_a_paced_send() -> None:
    clock = FakeClock()
    limited = httpx.Response(429, headers={"Retry-After": "3"})
    simulation = Simulation(clock, answers(limited, httpx.Response(202, json=ACCEPTED)))
    index = simulation.add(call_plan(a_send(), settings(clock)))
    simulation.run()
    assert simulation.sleeps == [3.0]
    assert simulation.results[index].status_code == 202


def test_a_retry_after_beyond_the_ceiling_raises_at_once() -> None:
    clock = FakeClock()
    limited = httpx.Response(429, headers={"Retry-After": "3600"})
    simulation = Simulation(clock, answers(limited))
    index = simulation.add(call_plan(a_send(), settings(clock)))
    simulation.run()
    assert simulation.sleeps == []
    error = simulation.results[index]
    assert isinstance(error, ziett.RateLimitError) and error.retry_after == 3600
    assert error.may_have_been_sent is False


def test_the_deadline_stops_retries_before_a_wait_that_would_pass_it() -> None:
    clock = FakeClock()
    simulation = Simulation(clock, answers(httpx.Response(503)))
    index = simulation.add(call_plan(a_read(max_retries=5, deadline=1.2), settings(clock)))
    simulation.run()
    assert simulation.sleeps == [0.5]  # the next wait (1.0 s) would end after 1.2 s
    assert isinstance(simulation.results[index], ziett.APITimeoutError)


# --- sends: never twice unless surely not sent ---------------------------------------------------


@pytest.mark.parametrize(
    ("failure", "retried"),
    [
        (httpx.Response(503), False),
        (httpx.Response(408), False),
        (httpx.ReadTimeout("timed out"), False),
        (httpx.RemoteProtocolError("server disconnected"), False),
        (httpx.ConnectError("refused"), True),
        (httpx.Response(429), True),
    ],
)
def test_a_send_is_retried_only_when_surely_not_sent(
    failure: httpx.Response | BaseException, retried: bool
) -> None:
    clock = FakeClock()
    simulation = Simulation(clock, answers(failure, httpx.Response(202, json=ACCEPTED)))
    index = simulation.add(call_plan(a_send(), settings(clock)))
    simulation.run()
    result = simulation.results[index]
    assert len(simulation.dispatched) == (2 if retried else 1)
    if retried:
        assert result.status_code == 202
    else:
        assert isinstance(result, ziett.ZiettError)
        assert result.may_have_been_sent is True
        assert any("may have been sent" in note for note in result.__notes__)


def test_ambiguous_sends_retry_sends_again_when_asked() -> None:
    clock = FakeClock()
    simulation = Simulation(clock, answers(httpx.Response(503), httpx.Response(202, json=ACCEPTED)))
    index = simulation.add(call_plan(a_send(), settings(clock, retry_ambiguous_sends=True)))
    simulation.run()
    assert simulation.results[index].status_code == 202
    assert len(simulation.dispatched) == 2


def test_a_refused_send_says_it_was_not_sent() -> None:
    clock = FakeClock()
    refused = httpx.Response(402, json={"code": "BILLING_INSUFFICIENT_FUNDS", "message": "Low"})
    simulation = Simulation(clock, answers(refused))
    index = simulation.add(call_plan(a_send(), settings(clock)))
    simulation.run()
    error = simulation.results[index]
    assert isinstance(error, ziett.InsufficientFundsError)
    assert error.may_have_been_sent is False
    assert not getattr(error, "__notes__", [])


# --- attempt hooks -------------------------------------------------------------------------------


def test_attempt_hooks_see_every_attempt() -> None:
    clock = FakeClock()
    seen: list[Attempt] = []

    def respond(request: httpx.Request, now: float) -> httpx.Response:
        clock.now += 0.25  # the server takes a quarter of a second
        return httpx.Response(503) if len(seen) == 0 else httpx.Response(404)

    simulation = Simulation(clock, respond)
    simulation.add(call_plan(a_read(), settings(clock, hooks=(seen.append,))))
    simulation.run()
    assert [(a.number, a.status_code, a.wait, a.elapsed) for a in seen] == [
        (1, 503, 0.5, 0.25),
        (2, 404, None, 0.25),
    ]
    assert {a.route for a in seen} == {"GET /c/v1/messages/{message_id}"}
    assert {a.method for a in seen} == {"GET"}
    assert not any(a.may_have_been_sent for a in seen)


def test_attempt_hooks_are_told_a_send_may_have_gone_out() -> None:
    clock = FakeClock()
    seen: list[Attempt] = []
    simulation = Simulation(clock, answers(httpx.ReadTimeout("timed out")))
    simulation.add(call_plan(a_send(), settings(clock, hooks=(seen.append,))))
    simulation.run()
    (attempt,) = seen
    assert attempt.status_code is None and isinstance(attempt.error, httpx.ReadTimeout)
    assert attempt.may_have_been_sent is True and attempt.wait is None


# --- failures of the SDK's own making -----------------------------------------------------------


@pytest.mark.parametrize(("build", "sent"), [(a_send, True), (a_read, False)])
def test_a_ziett_error_from_the_send_step_is_raised_as_is_and_not_retried(
    build: Any, sent: bool
) -> None:
    clock = FakeClock()
    refused = ziett.APIResponseValidationError("too large", operation="route")
    simulation = Simulation(clock, answers(refused, httpx.Response(200, json=ACCEPTED)))
    [result] = [simulation.add(call_plan(build(), settings(clock, max_retries=2)))]
    outcome = simulation.run()[result]
    assert outcome is refused
    assert len(simulation.dispatched) == 1 and simulation.sleeps == []
    assert outcome.may_have_been_sent is sent
