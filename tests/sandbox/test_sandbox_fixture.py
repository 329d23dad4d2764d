"""The pytest plugin: a typed fixture object, and a plugin that is cheap to load.

Every pytest run of every project with ziett installed loads ``ziett.testing``,
so it must add nothing heavy to what ``import ziett`` already costs.
"""

from __future__ import annotations

import inspect
import json
import subprocess
import sys
from decimal import Decimal

import pytest

import ziett
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
    assert "ziett.testing" in added
    heavy = [m for m in added if m.startswith(("ziett.", "httpx", "anyio", "uvicorn"))]
    assert heavy == ["ziett.testing"]


@pytest.mark.parametrize("status", ["DELIVERED", "bogus"])
def test_fail_refuses_other_statuses(ziett_sandbox: ZiettSandbox, status: str) -> None:
    with pytest.raises(ValueError, match="FAILED or UNDELIVERED"):
        ziett_sandbox.fail("0190b6a0-0000-7000-8000-000000000000", status)
