"""examples/campaign_report.py, run in-process against the ``ziett_sandbox`` fixture.

The sandbox moves statuses on its own (real) clock, 0.2 s a step; the script polls
every 20 ms, so it follows the campaign to the end in about a second.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from decimal import Decimal
from pathlib import Path
from types import ModuleType

import pytest

from ziett.testing import ZiettSandbox

SCRIPT = Path(__file__).resolve().parent.parent / "examples" / "campaign_report.py"


def load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("ziett_recipe_campaign_report", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_the_script_prints_the_report_when_the_campaign_completes(
    ziett_sandbox: ZiettSandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    script = load()
    # The sandbox's numbers ending 13 fail (FAILED), 14 are UNDELIVERED, others DELIVERED.
    recipients = ["+244923000100", "+244923000113", "+244923000114", "+244923000200"]
    argv = [*recipients, "--remitter-id", ziett_sandbox.remitter_id, "--poll-interval", "0.02"]
    balance = ziett_sandbox.balance
    assert script.main(argv) == 1  # some failed
    out = capsys.readouterr().out
    (campaign,) = ziett_sandbox.campaigns
    assert f"Accepted campaign {campaign['id']}" in out
    assert "campaign is COMPLETED" in out
    money = re.search(r"4 messages: charged (\S+), refunded (\S+), net cost (\S+)", out)
    assert money is not None
    charged, refunded, net = (Decimal(amount) for amount in money.groups())
    assert refunded > 0 and net == charged - refunded  # the FAILED message was refunded
    assert net == balance - ziett_sandbox.balance  # what the balance lost
    lines = out.splitlines()
    assert any(line.split() == ["DELIVERED", "2"] for line in lines)
    assert any(line.split() == ["FAILED", "1"] for line in lines)
    assert any(line.split() == ["UNDELIVERED", "1"] for line in lines)
    assert "failed: +244923000113 FAILED (INVALID_PHONE_NUMBER)" in out
    assert "failed: +244923000114 UNDELIVERED (CARRIER_REJECTED)" in out
    # A poll lists pages of messages: no request per message.
    assert not [path for _, path in ziett_sandbox.requests if path.startswith("/c/v1/messages/")]


def test_the_script_needs_a_remitter(
    ziett_sandbox: ZiettSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ZIETT_REMITTER_ID", raising=False)
    with pytest.raises(SystemExit) as exited:
        load().main(["+244923000100", "+244923000200"])
    assert exited.value.code == 2
    assert ziett_sandbox.requests == []
