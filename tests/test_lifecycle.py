"""After the 202: wait, send_and_wait, wait_many, watch, campaigns.wait and report.

Two kinds of tests, both against the in-process sandbox moving statuses on a fake clock:

- *Stepped*: a job's plan runs in ``tests.stepping.Simulation`` (its ``Call`` steps
  are real calls through a client to the sandbox; its sleeps move the fake clock),
  so the poll schedule, timeouts and request counts are exact, with no real wait.
- *Driven*: the public methods of ``Ziett`` and ``AsyncZiett`` (asyncio and trio),
  through the real drivers. There an attempt hook moves the fake clock one second
  per request and the polls' real sleeps are a millisecond, so nothing depends on
  the machine's speed.
"""

from __future__ import annotations

import signal
from collections.abc import Callable, Generator
from decimal import Decimal
from typing import Any

import anyio
import httpx
import pytest

import ziett
from ziett._methods import call_sync
from ziett._transport import Emit, Plan, Step
from ziett.jobs import lifecycle, polling, watching
from ziett.jobs import report as reports
from ziett.jobs.lifecycle import PollSchedule
from ziett.sandbox import Sandbox
from ziett_client.models import Message

from .stepping import Cancelled, FakeClock, Simulation

BASE_URL = "http://sandbox.lifecycle.test"
STEP = 2.5  # sandbox seconds between PENDING -> SENT -> DELIVERED


def exact(initial: float = 1.0, cap: float = 30.0) -> PollSchedule:
    """A poll schedule without jitter (each wait is its upper bound)."""
    return PollSchedule(initial, cap, jitter=lambda low, high: high)


def number(n: int) -> str:
    """A recipient the sandbox delivers to (its numbers ending 13 or 14 fail)."""
    return f"+24492{n:05d}00"


class World:
    """A sandbox and a blocking client sharing a fake clock."""

    def __init__(self, step: float = STEP, auto_advance: bool = True) -> None:
        self.clock = FakeClock()
        self.sandbox = Sandbox(
            clock=self.clock, step_seconds=step, auto_advance=auto_advance, rate_limits={}
        )
        self.client = self.make(ziett.Ziett, httpx.Client, self.sandbox.handle)

    def make(self, kind: Any, http: Any, handler: Any, **kwargs: Any) -> Any:
        client = kind(
            api_key=self.sandbox.api_key,
            base_url=BASE_URL,
            http_client=http(transport=httpx.MockTransport(handler)),
            rate_limits={},
            **kwargs,
        )
        settings = client._settings
        client._settings = settings._replace(
            clock=self.clock, retry=settings.retry._replace(jitter=lambda low, high: 0.0)
        )
        return client

    def simulation(self) -> Simulation:
        return Simulation(self.clock, call=lambda op, now: call_sync(self.client, op))

    def run(self, plan: Plan[Any]) -> tuple[Any, Simulation]:
        simulation = self.simulation()
        simulation.add(plan)
        (result,) = simulation.run()
        if isinstance(result, BaseException):
            raise result
        return result, simulation

    def send(self, n: int = 0) -> str:
        accepted = self.client.messages.send(
            remitter_id=self.sandbox.remitter_id, target_e164=number(n), content="Hello"
        )
        message_id: str = accepted.message_id
        return message_id

    def batch(self, size: int) -> str:
        accepted = self.client.campaigns.create_batch(
            name="Report",
            remitter_id=self.sandbox.remitter_id,
            content="Hello",
            recipients=[number(n) for n in range(size)],
        )
        campaign_id: str = accepted.campaign_id
        return campaign_id

    def requests(self, path: str) -> int:
        return sum(1 for method, seen in self.sandbox.requests if seen == path)

    def retrieves(self) -> int:
        return sum(1 for _, path in self.sandbox.requests if path.startswith("/c/v1/messages/"))


def take(
    plan: Plan[None], count: int, seen: list[Any], max_steps: int = 5_000
) -> Generator[Step, Any, None]:
    """Run a stream's plan until it has emitted ``count`` values (into ``seen``), then close it.

    Fails (instead of polling forever) when the stream has not emitted them within
    ``max_steps`` steps: a missed status would otherwise hang the test.
    """
    step = next(plan)
    for _ in range(max_steps):
        if isinstance(step, Emit):
            seen.append(step.value)
            if len(seen) == count:
                plan.close()
                return
            step = plan.send(None)
            continue
        try:
            outcome = yield step
        except BaseException as error:
            step = plan.throw(error)
        else:
            step = plan.send(outcome)
    plan.close()
    raise AssertionError(f"the stream emitted {len(seen)} of {count} values in {max_steps} steps")


# --- the poll schedule ---------------------------------------------------------------------


def test_poll_schedule_backs_off_to_the_cap_and_resets_on_change() -> None:
    schedule = exact(1.0, 5.0)
    waits = [schedule.next(changed) for changed in (True, False, False, False, False, False)]
    assert waits == [1.0, 1.5, 2.25, 3.375, 5.0, 5.0]
    assert schedule.next(True) == 1.0
    drawn: list[tuple[float, float]] = []

    def lowest(low: float, high: float) -> float:
        drawn.append((low, high))
        return low

    jittered = PollSchedule(2.0, 10.0, jitter=lowest)
    assert jittered.next(False) == 1.6  # the first wait, jittered down by at most 20%
    assert drawn == [(1.6, 2.0)]


def test_final_statuses_come_from_the_spec() -> None:
    assert {"DELIVERED", "FAILED", "UNDELIVERED"} == lifecycle.MESSAGE_FINAL
    assert {"COMPLETED", "FAILED"} == lifecycle.CAMPAIGN_FINAL


# --- messages.wait, stepped ---------------------------------------------------------------------


def test_wait_polls_adaptively_until_delivered() -> None:
    world = World()
    message_id = world.send()
    plan = lifecycle._wait_message_plan(
        message_id, lifecycle.MESSAGE_FINAL, 300.0, exact(), reads()
    )
    message, simulation = world.run(plan)
    assert message.status == "DELIVERED"
    # Polls at +0 (PENDING), +1 (same: back off), +2.5 (SENT: reset), +3.5 (same), +5 (DELIVERED).
    assert simulation.sleeps == [1.0, 1.5, 1.0, 1.5]
    assert world.retrieves() == 5


def reads() -> int | None:
    """The polls' max_retries: the client's."""
    return None


def test_wait_until_sent_returns_at_sent() -> None:
    world = World()
    message_id = world.send()
    plan = lifecycle._wait_message_plan(message_id, frozenset({"SENT"}), 300.0, exact(), reads())
    message, _ = world.run(plan)
    assert message.status == "SENT"


def test_a_final_status_ends_the_wait_even_when_not_awaited() -> None:
    world = World(auto_advance=False)
    message_id = world.send()
    world.sandbox.fail(message_id, "FAILED")
    plan = lifecycle._wait_message_plan(
        message_id, frozenset({"DELIVERED"}), 60.0, exact(), reads()
    )
    message, _ = world.run(plan)
    assert message.status == "FAILED"
    assert message.error_code


def test_an_unknown_status_is_not_final() -> None:
    unknown = ziett.MessageStatus("QUEUED_AT_CARRIER")
    assert not polling.settled(str(unknown), lifecycle.MESSAGE_FINAL)
    assert polling.settled("UNDELIVERED", frozenset({"SENT"}))


def test_timeout_raises_wait_timeout_error_with_the_last_message() -> None:
    world = World(auto_advance=False)
    message_id = world.send()
    plan = lifecycle._wait_message_plan(message_id, lifecycle.MESSAGE_FINAL, 3.0, exact(), reads())
    with pytest.raises(ziett.WaitTimeoutError) as caught:
        world.run(plan)
    error = caught.value
    assert isinstance(error, TimeoutError) and isinstance(error, ziett.ZiettError)
    assert error.last.id == message_id and error.last.status == "PENDING"
    # Polls at +0, +1, +2.5 and, the next one moved before the end, +2.75: then it gives up.
    assert world.retrieves() == 4
    assert world.clock.now == 1002.75


def test_a_read_that_keeps_failing_ends_the_wait_with_its_error() -> None:
    world = World(auto_advance=False)
    message_id = world.send()
    world.sandbox.inject(503, times=1, method="GET")
    no_retry = 0
    plan = lifecycle._wait_message_plan(
        message_id, lifecycle.MESSAGE_FINAL, 60.0, exact(), no_retry
    )
    with pytest.raises(ziett.InternalServerError):
        world.run(plan)
    retried = 2
    world.sandbox.inject(503, times=2, method="GET")
    world.sandbox.deliver(message_id)
    plan = lifecycle._wait_message_plan(message_id, lifecycle.MESSAGE_FINAL, 60.0, exact(), retried)
    message, _ = world.run(plan)
    assert message.status == "DELIVERED"


def test_cancellation_stops_the_wait_at_once() -> None:
    world = World(auto_advance=False)
    message_id = world.send()
    simulation = world.simulation()
    plan = lifecycle._wait_message_plan(
        message_id, lifecycle.MESSAGE_FINAL, 300.0, exact(), reads()
    )
    simulation.add(plan)
    simulation.cancel(0, at=world.clock.now + 1.2)
    (result,) = simulation.run()
    assert isinstance(result, Cancelled)
    assert world.retrieves() == 2  # +0 and +1; cancelled while sleeping towards +2.5
    assert world.clock.now == pytest.approx(1001.2)


# --- wait_many: listing pages, not retrieves ----------------------------------------------------


def test_wait_many_costs_a_few_listing_pages_per_round_not_a_retrieve_each() -> None:
    world = World()
    campaign_id = world.batch(500)
    ids = [m["id"] for m in world.sandbox.messages if m.get("campaign_id") == campaign_id]
    assert len(ids) == 500
    ids.reverse()  # the result follows the order asked for, not the server's
    rounds: list[float] = []

    def call(op: Any, now: float) -> Any:
        if not rounds or now != rounds[-1]:
            rounds.append(now)
        return call_sync(world.client, op)

    simulation = Simulation(world.clock, call=call)
    simulation.add(
        lifecycle._wait_many_plan(tuple(ids), lifecycle.MESSAGE_FINAL, 600.0, exact(), reads())
    )
    (messages,) = simulation.run()
    assert [m.id for m in messages] == ids
    assert {m.status for m in messages} == {"DELIVERED"}
    assert world.retrieves() == 0
    pages = world.requests("/c/v1/messages")
    # Each round reads at most the 3 pages of 500 changed messages (and one more when the
    # changes straddle a page boundary), whatever the number of messages waited for.
    assert pages <= 4 * len(rounds)
    assert len(rounds) <= 8


def test_wait_many_retrieves_only_what_the_listing_did_not_show() -> None:
    world = World(auto_advance=False)
    message_id = world.send()
    world.sandbox.fail(message_id, "UNDELIVERED")
    with pytest.raises(ziett.NotFoundError):
        world.run(
            lifecycle._wait_many_plan(
                (message_id, "0190aaaa-0000-7000-8000-000000000000"),
                lifecycle.MESSAGE_FINAL,
                60.0,
                exact(),
                reads(),
            )
        )


def test_wait_many_reads_only_the_history_its_uuid7_ids_allow() -> None:
    """A thousand older messages and a wrong id: the first round lists since the ids' time."""
    world = World(auto_advance=False)
    world.batch(1000)
    world.clock.now += 3600.0  # an hour later
    message_id = world.send()
    world.sandbox.fail(message_id, "UNDELIVERED")
    wrong = message_id[:-12] + "ffffffffffff"  # the same moment, no such message
    with pytest.raises(ziett.NotFoundError):
        world.run(
            lifecycle._wait_many_plan(
                (message_id, wrong), lifecycle.MESSAGE_FINAL, 60.0, exact(), reads()
            )
        )
    listings = [r for r in world.sandbox.requests if r == ("GET", "/c/v1/messages")]
    assert len(listings) == 1  # not the 6 pages of the whole history
    assert world.retrieves() == 1  # the wrong id, to say it is not there


def test_wait_many_timeout_lists_the_last_seen_in_order() -> None:
    world = World(auto_advance=False)
    first, second = world.send(1), world.send(2)
    world.sandbox.deliver(second)
    plan = lifecycle._wait_many_plan(
        (first, second), lifecycle.MESSAGE_FINAL, 5.0, exact(), reads()
    )
    with pytest.raises(ziett.WaitTimeoutError) as caught:
        world.run(plan)
    last = caught.value.last
    assert [(m.id, m.status) for m in last] == [(first, "PENDING"), (second, "DELIVERED")]
    assert world.clock.now == 1004.875  # the last poll moved before the end: within 5 s


# --- watch ------------------------------------------------------------------------------------


def watch_plan(world: World, poll: float = 1.0, **filters: Any) -> Plan[None]:
    since = world.sandbox.messages[0]["created_at"] if world.sandbox.messages else None
    stream = watching.watch(since=since, poll_interval=poll, max_poll_interval=poll, **filters)
    return stream.plan


def test_watch_yields_each_status_once_oldest_change_first() -> None:
    world = World()
    ids = [world.send(n) for n in range(3)]
    seen: list[Message] = []
    world.run(take(watch_plan(world), 9, seen))
    pairs = [(m.id, str(m.status)) for m in seen]
    assert len(set(pairs)) == 9
    assert {(i, s) for i in ids for s in ("PENDING", "SENT", "DELIVERED")} == set(pairs)
    times = [m.updated_at for m in seen]
    assert times == sorted(times)


def test_watch_misses_none_when_more_than_a_page_changed_between_polls() -> None:
    world = World()
    campaign_id = world.batch(450)
    ids = {m["id"] for m in world.sandbox.messages if m.get("campaign_id") == campaign_id}
    seen: list[Message] = []
    # Polls at most 2 s apart (jitter only shortens them), statuses 2.5 s apart: every status
    # is seen, and every message moves (450 changes, three pages) between two polls.
    world.run(take(watch_plan(world, poll=2.0), 3 * 450, seen))
    pairs = [(m.id, str(m.status)) for m in seen]
    assert len(pairs) == len(set(pairs)) == 3 * 450
    assert {i for i, _ in pairs} == ids
    assert world.retrieves() == 0


def test_watch_survives_a_transient_error_and_filters_by_status() -> None:
    world = World()
    ids = [world.send(n) for n in range(2)]
    world.sandbox.inject(503, times=1, method="GET", path="/c/v1/messages")
    seen: list[Message] = []
    world.run(take(watch_plan(world, status=["DELIVERED"]), 2, seen))
    assert sorted(m.id for m in seen) == sorted(ids)
    assert {m.status for m in seen} == {"DELIVERED"}


def test_watch_memory_is_bounded() -> None:
    world = World()
    for n in range(3):
        world.send(n)
    plan = watching._watch_plan(
        {"created_at__ge": world.sandbox.messages[0]["created_at"]},
        exact(),
        None,
        reads(),
        memory=2,
    )
    seen: list[Message] = []
    world.run(take(plan, 3, seen))  # the first poll: three PENDING messages, memory of two
    assert len({m.id for m in seen}) == 3


# --- campaigns.wait and report ------------------------------------------------------------------


def test_campaign_wait_reports_progress_and_the_report_adds_up() -> None:
    world = World()
    campaign_id = world.batch(5)
    members = [m["id"] for m in world.sandbox.messages]
    world.sandbox.fail(members[0], "UNDELIVERED")
    world.sandbox.fail(members[1], "FAILED")
    progress: list[str] = []
    plan = lifecycle.wait_campaign(
        campaign_id, on_progress=lambda c: progress.append(str(c.status)), poll_interval=1.0
    )
    campaign, _ = world.run(plan)
    assert campaign.status == "COMPLETED"
    assert progress[-1] == "COMPLETED" and progress == sorted(set(progress), key=progress.index)
    world.clock.now += 10 * STEP  # every message reaches its final status
    report, _ = world.run(reports.campaign_report(campaign_id))
    assert report.complete and report.campaign.id == campaign_id
    assert report.total == 5
    assert report.status_counts == {
        "PENDING": 0,
        "SENT": 0,
        "DELIVERED": 3,
        "FAILED": 1,
        "UNDELIVERED": 1,
    }
    messages = world.client.campaigns.list_messages(campaign_id)
    assert report.charged == sum((m.cost for m in messages), Decimal(0))
    assert report.refunded == sum((m.cost for m in messages if m.is_refunded), Decimal(0))
    assert report.refunded > 0 and report.net_cost == report.charged - report.refunded
    assert {(m.id, m.status) for m in report.failed} == {
        (members[0], "UNDELIVERED"),
        (members[1], "FAILED"),
    }
    assert all(m.error_code for m in report.failed)


def test_campaign_report_reads_every_page() -> None:
    world = World()
    campaign_id = world.batch(450)
    world.clock.now += 10 * STEP
    report, _ = world.run(reports.campaign_report(campaign_id))
    assert report.total == 450 and report.status_counts["DELIVERED"] == 450
    assert world.requests(f"/c/v1/campaigns/{campaign_id}/messages") == 3


# --- arguments --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: lifecycle.wait_message("m", until=["ARRIVED"]), "until"),
        (lambda: lifecycle.wait_message("m", until=[]), "until"),
        (lambda: lifecycle.wait_message("m", timeout=0), "timeout"),
        (lambda: lifecycle.wait_message("m", poll_interval=-1), "poll_interval"),
        (lambda: lifecycle.wait_message("m", max_retries=-1), "max_retries"),
        (lambda: lifecycle.wait_message(".."), "message_id"),
        (lambda: watching.watch(timeout=float("nan")), "timeout"),
        (lambda: lifecycle.wait_many("abc"), "message_ids"),
        (lambda: lifecycle.wait_many(["a", ""]), "message_ids[1]"),
        (lambda: watching.watch(since="2026-01-01T00:00:00"), "since"),
        (lambda: watching.watch(status="LOST"), "status"),
        (lambda: lifecycle.wait_campaign("c", on_progress=3), "on_progress"),  # type: ignore[arg-type]
        (lambda: lifecycle.send_and_wait(remitter_id="r", target_e164="1", content="x"), None),
    ],
)
def test_bad_arguments_are_refused_before_any_request(
    build: Callable[[], Any], field: str | None
) -> None:
    with pytest.raises(ziett.InvalidRequestError) as caught:
        build()
    assert caught.value.may_have_been_sent is False
    if field is not None:
        assert field in caught.value.fields


# --- the public methods, through the real drivers ------------------------------------------


FAST: dict[str, Any] = {"poll_interval": 0.001, "max_poll_interval": 0.002}


class Driven(World):
    """A world whose fake clock moves one second per request (an attempt hook)."""

    def __init__(self, auto_advance: bool = True) -> None:
        super().__init__(auto_advance=auto_advance)
        self.client = self.make(
            ziett.Ziett, httpx.Client, self.sandbox.handle, attempt_hooks=[self.tick]
        )

    def tick(self, attempt: ziett.hooks.Attempt) -> None:
        self.clock.now += 1.0

    def async_client(self) -> ziett.AsyncZiett:
        client: ziett.AsyncZiett = self.make(
            ziett.AsyncZiett,
            httpx.AsyncClient,
            self.sandbox.handle_async,
            attempt_hooks=[self.tick],
        )
        return client


def test_the_sync_client_waits_watches_and_reports() -> None:
    world = Driven()
    client = world.client
    message = client.messages.send_and_wait(
        remitter_id=world.sandbox.remitter_id, target_e164=number(1), content="Hi", **FAST
    )
    assert message.status == "DELIVERED"
    other = world.send(2)
    assert client.messages.wait(other, until=["SENT", "DELIVERED"], **FAST).status in (
        "SENT",
        "DELIVERED",
    )
    assert [m.id for m in client.messages.wait_many([other, message.id], **FAST)] == [
        other,
        message.id,
    ]
    pairs = set()
    since = world.sandbox.messages[0]["created_at"]
    for seen in client.messages.watch(since=since, status="DELIVERED", **FAST):
        pairs.add(seen.id)
        if len(pairs) == 2:
            break
    assert pairs == {other, message.id}
    campaign_id = world.batch(3)
    assert client.campaigns.wait(campaign_id, **FAST).status == "COMPLETED"
    assert client.campaigns.report(campaign_id).total == 3


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_the_async_client_waits_watches_and_reports(backend: str) -> None:
    world = Driven()

    async def main() -> None:
        async with world.async_client() as client:
            message = await client.messages.send_and_wait(
                remitter_id=world.sandbox.remitter_id, target_e164=number(1), content="Hi", **FAST
            )
            assert message.status == "DELIVERED"
            (again,) = await client.messages.wait_many([message.id], **FAST)
            assert again.id == message.id
            since = world.sandbox.messages[0]["created_at"]
            async for seen in client.messages.watch(since=since, status="DELIVERED", **FAST):
                assert seen.id == message.id
                break
            campaign_id = world.batch(2)
            progress: list[ziett.Campaign] = []
            done = await client.campaigns.wait(campaign_id, on_progress=progress.append, **FAST)
            assert done.status == "COMPLETED" and progress[-1].status == "COMPLETED"
            report = await client.campaigns.report(campaign_id)
            assert report.total == 2 and isinstance(report, ziett.CampaignReport)
            with pytest.raises(ziett.WaitTimeoutError) as caught:
                await client.campaigns.wait(world.batch(2), timeout=0.5, **FAST)
            assert caught.value.last.status == "PROCESSING"

    anyio.run(main, backend=backend)


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_async_cancellation_stops_a_wait_promptly(backend: str) -> None:
    world = Driven(auto_advance=False)  # statuses never move: the wait would last an hour
    message_id = world.send()

    async def main() -> None:
        async with world.async_client() as client:
            with anyio.move_on_after(0.05) as scope:
                await client.messages.wait(
                    message_id, timeout=3600, poll_interval=3600, max_poll_interval=3600
                )
            assert scope.cancelled_caught

    anyio.run(main, backend=backend)


def test_ctrl_c_stops_a_sync_wait_promptly() -> None:
    world = World(auto_advance=False)
    message_id = world.send()

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGALRM, interrupt)
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.05)
        with pytest.raises(KeyboardInterrupt):
            world.client.messages.wait(
                message_id, timeout=3600, poll_interval=3600, max_poll_interval=3600
            )
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert world.retrieves() == 1


def test_wait_timeout_error_is_exported() -> None:
    assert "WaitTimeoutError" in ziett.__all__ and "CampaignReport" in ziett.__all__
    error = ziett.WaitTimeoutError("late", last=None)
    assert error.last is None
