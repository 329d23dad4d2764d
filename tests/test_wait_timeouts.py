"""A wait helper's ``timeout`` is the whole wait: every helper ends within it.

Stepped on the fake clock (``tests.stepping``) against the in-process sandbox,
whose statuses never move here (``auto_advance=False``): each helper must give up
with ``WaitTimeoutError`` no later than its ``timeout``, its reads bounded by the
time left, whatever its poll schedule says. Then the same through the public
methods of both clients, the fake clock moving one second per request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio
import pytest

import ziett
from ziett._arguments import ClientDefaults
from ziett._transport import Plan, Sleep
from ziett.jobs import lifecycle, watching

from .test_lifecycle import Driven, World, exact, number

START = 1000.0


def helpers(world: World) -> dict[str, Callable[[float], Plan[Any]]]:
    """Each wait helper's plan for a given timeout, on a message or campaign that never ends."""
    message_id = world.send(1)
    campaign_id = world.batch(2)
    defaults = ClientDefaults(world.sandbox.remitter_id)
    slow = {"poll_interval": 7.0, "max_poll_interval": 50.0}  # polls that would overshoot
    return {
        "wait": lambda t: lifecycle.wait_message(message_id, timeout=t, **slow),
        "wait_many": lambda t: lifecycle.wait_many([message_id], timeout=t, **slow),
        "send_and_wait": lambda t: lifecycle.send_and_wait(
            defaults, target_e164=number(2), content="Hi", timeout=t, **slow
        ),
        "watch": lambda t: watching.watch(since="2000-01-01T00:00:00Z", timeout=t, **slow).plan,
        "campaigns.wait": lambda t: lifecycle.wait_campaign(campaign_id, timeout=t, **slow),
    }


@pytest.mark.parametrize("timeout", [0.5, 3.0, 10.0, 61.0])
@pytest.mark.parametrize(
    "helper", ["wait", "wait_many", "send_and_wait", "watch", "campaigns.wait"]
)
def test_every_wait_helper_ends_within_its_timeout(helper: str, timeout: float) -> None:
    world = World(auto_advance=False)
    plan = helpers(world)[helper](timeout)
    started = world.clock.now
    with pytest.raises(ziett.WaitTimeoutError):
        world.run(plan)
    assert started < world.clock.now <= started + timeout


def test_the_last_poll_comes_before_the_end_and_a_change_there_is_seen() -> None:
    world = World(auto_advance=False)
    message_id = world.send()
    plan = lifecycle._wait_message_plan(message_id, lifecycle.MESSAGE_FINAL, 10.0, exact(), None)

    def deliver_at(seconds: float) -> Plan[None]:
        yield Sleep(seconds)
        world.sandbox.deliver(message_id)

    simulation = world.simulation()
    simulation.add(plan)
    simulation.add(deliver_at(9.0))
    message, _ = simulation.run()
    # Polls at +0, +1, +2.5, +4.75 and +8.125; the next (+13.19) would come after the end,
    # so the last poll is moved to +10 - min(2, 1.875 / 2) = +9.0625, and sees the delivery.
    assert message.status == "DELIVERED"
    assert world.retrieves() == 6
    assert world.clock.now == START + 9.0625


def test_send_and_wait_timeout_covers_the_send_and_says_the_message_went_out() -> None:
    world = World(auto_advance=False)
    plan = lifecycle.send_and_wait(
        ClientDefaults(world.sandbox.remitter_id), target_e164=number(3), content="Hi", timeout=5
    )
    with pytest.raises(ziett.WaitTimeoutError) as caught:
        world.run(plan)
    error = caught.value
    assert error.may_have_been_sent is True  # it was: the send was accepted
    assert error.last is not None and error.last.id in "\n".join(error.__notes__)
    assert world.clock.now <= START + 5


def test_the_public_send_and_wait_ends_within_its_timeout_sync() -> None:
    world = Driven(auto_advance=False)  # one fake second per request
    started = world.clock.now
    with pytest.raises(ziett.WaitTimeoutError):
        world.client.messages.send_and_wait(
            remitter_id=world.sandbox.remitter_id,
            target_e164=number(4),
            content="Hi",
            timeout=10,
            poll_interval=0.001,
            max_poll_interval=0.001,
        )
    assert world.clock.now <= started + 10


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_the_public_waits_end_within_their_timeout_async(backend: str) -> None:
    world = Driven(auto_advance=False)
    message_id = world.send(5)
    fast = {"poll_interval": 0.001, "max_poll_interval": 0.001}

    async def main() -> None:
        async with world.async_client() as client:
            for wait in (
                lambda: client.messages.send_and_wait(
                    remitter_id=world.sandbox.remitter_id,
                    target_e164=number(6),
                    content="Hi",
                    timeout=6,
                    **fast,
                ),
                lambda: client.messages.wait(message_id, timeout=6, **fast),
                lambda: client.messages.wait_many([message_id], timeout=6, **fast),
            ):
                started = world.clock.now
                with pytest.raises(ziett.WaitTimeoutError):
                    await wait()
                assert world.clock.now <= started + 6

    anyio.run(main, backend=backend)
