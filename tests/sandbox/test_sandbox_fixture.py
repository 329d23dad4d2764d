"""The pytest plugin: a typed fixture object, and a plugin that is cheap to load.

Every pytest run of every project with ziett installed loads ``ziett.testing``,
so it must add nothing heavy to what ``import ziett`` already costs.
"""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
from decimal import Decimal

import pytest

import ziett
from ziett.sandbox import Sandbox
from ziett.testing import ZiettSandbox


def test_the_fixture_object_is_typed_not_forwarding() -> None:
    assert "__getattr__" not in vars(ZiettSandbox)
    for name in ("top_up", "drain", "advance", "settle", "deliver", "fail", "inject", "reset"):
        signature = inspect.signature(getattr(ZiettSandbox, name))
        assert signature.return_annotation != inspect.Signature.empty, name
    for name in ("sent", "campaigns", "requests", "balance", "contacts"):
        assert isinstance(vars(ZiettSandbox)[name], property), name


def test_the_fixture_drives_the_sandbox(ziett_sandbox: ZiettSandbox) -> None:
    with ziett.Ziett() as client:  # from ZIETT_API_KEY / ZIETT_BASE_URL
        first = client.messages.send(
            remitter_id=ziett_sandbox.remitter_id, target_e164="+244990090990", content="1234"
        )
        second = client.messages.send(
            remitter_id=ziett_sandbox.remitter_id, target_e164="+244990090991", content="5678"
        )
    assert ziett_sandbox.balance == Decimal("999.90")
    assert ziett_sandbox.deliver(first.message_id)["status"] == "DELIVERED"
    failed = ziett_sandbox.fail(second.message_id)
    assert (failed["status"], failed["is_refunded"]) == ("FAILED", True)
    assert ziett_sandbox.balance == Decimal("999.95")
    assert [m["status"] for m in ziett_sandbox.sent] == ["DELIVERED", "FAILED"]
    assert ziett_sandbox.top_up("0.05") == Decimal("1000.00")
    ziett_sandbox.drain()
    assert ziett_sandbox.snapshot()["balance"] == "0.00"
    assert ziett_sandbox.requests == [("POST", "/c/v1/messages")] * 2


def test_loading_the_plugin_imports_nothing_heavy() -> None:
    script = (
        "import sys, json, ziett, pytest\n"
        "before = set(sys.modules)\n"
        "import ziett.testing\n"
        "print(json.dumps(sorted(set(sys.modules) - before)))\n"
    )
    output = subprocess.run(
        [sys.executable, "-c", script], check=True, capture_output=True, text=True
    ).stdout
    added = json.loads(output)
    assert added == ["ziett.testing"]  # no sandbox, no decimal, no client: only itself


SENDER = "0190a1b2-0000-7000-8000-000000000001"


@pytest.mark.ziett_sandbox(api_key="zk_test_fixed_key", remitter_id=SENDER, balance="5.00")
def test_a_marker_starts_the_sandbox_the_same_way_every_time(
    ziett_sandbox: ZiettSandbox,
) -> None:
    assert (ziett_sandbox.api_key, ziett_sandbox.remitter_id) == ("zk_test_fixed_key", SENDER)
    assert ziett_sandbox.read_only_api_key == "zk_test_fixed_key_read_only"
    assert ziett_sandbox.balance == Decimal("5.00")
    assert os.environ["ZIETT_REMITTER_ID"] == SENDER
    with ziett.Ziett() as client:  # key, URL and sender all from the environment
        client.messages.send(remitter_id=SENDER, target_e164="+244990090990", content="1234")
    assert ziett_sandbox.balance == Decimal("4.95")
    ziett_sandbox.reset()
    assert (ziett_sandbox.balance, ziett_sandbox.sandbox.api_key) == (
        Decimal("5.00"),
        "zk_test_fixed_key",
    )


class TestOptionsForAWholeModule:
    @pytest.fixture
    def ziett_sandbox_options(self) -> dict[str, object]:
        return {"balance": "7.00", "remitter_id": SENDER}

    def test_the_options_fixture_applies(self, ziett_sandbox: ZiettSandbox) -> None:
        assert (ziett_sandbox.balance, ziett_sandbox.remitter_id) == (Decimal("7.00"), SENDER)

    @pytest.mark.ziett_sandbox(balance="1.00")
    def test_a_marker_wins_over_the_options(self, ziett_sandbox: ZiettSandbox) -> None:
        assert (ziett_sandbox.balance, ziett_sandbox.remitter_id) == (Decimal("1.00"), SENDER)


def test_a_sandbox_refuses_a_live_key_and_a_sender_that_is_no_uuid() -> None:
    with pytest.raises(ValueError, match="live key"):
        Sandbox(api_key="zk_live_0123456789abcdef")
    with pytest.raises(ValueError, match="printable"):
        Sandbox(api_key="short")
    with pytest.raises(ValueError, match="UUID"):
        Sandbox(remitter_id="sender-1")
    assert Sandbox(remitter_id=SENDER.upper()).remitter_id == SENDER


@pytest.mark.parametrize("status", ["DELIVERED", "bogus"])
def test_fail_refuses_other_statuses(ziett_sandbox: ZiettSandbox, status: str) -> None:
    with pytest.raises(ValueError, match="FAILED or UNDELIVERED"):
        ziett_sandbox.fail("0190b6a0-0000-7000-8000-000000000000", status)
