"""The slow recipes: the regeneration walkthrough, `make demo`, prefork, stop-and-resume.

Each runs the way its reader would (subprocesses, a scratch copy of the repository), so
they take seconds each; `make test-slow` runs them, `make test` runs the quick recipes.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from ..conftest import SandboxProcess
from ..test_examples import (
    ROOT,
    control,
    prefork_worker,
    run_recipe,
    run_send_campaign,
    write_numbers,
)


@pytest.fixture(scope="module")
def server() -> Iterator[SandboxProcess]:
    process = SandboxProcess()
    try:
        yield process
    finally:
        process.stop()


@pytest.fixture
def sandbox(server: SandboxProcess) -> SandboxProcess:
    control(server, "reset")
    return server


def test_send_campaign_stops_with_one_clear_line_and_resumes(
    sandbox: SandboxProcess, tmp_path: Path
) -> None:
    write_numbers(tmp_path / "numbers.csv", 10)
    control(sandbox, "drain")
    result = run_send_campaign(sandbox, tmp_path / "numbers.csv")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.splitlines()[-1:]
    assert line.startswith("send_campaign: stopped: 402")
    assert sandbox.state()["campaigns"] == 0
    httpx.post(f"{sandbox.base_url}/_sandbox/top_up", json={"amount": "1000"})
    result = run_send_campaign(sandbox, tmp_path / "numbers.csv")
    assert result.returncode == 0, result.stderr
    assert sandbox.state()["messages"] == 10


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork()")
def test_prefork_workers_send_every_job_once(sandbox: SandboxProcess) -> None:
    result = run_recipe(sandbox, "prefork_worker.py", "--workers", "3", "--jobs", "12")
    assert result.returncode == 0, result.stderr
    messages = httpx.get(f"{sandbox.base_url}/_sandbox/messages").json()
    jobs = prefork_worker.make_jobs(12)
    assert sorted(m["e164_format"] for m in messages) == sorted(job.phone for job in jobs)
    *lines, last = result.stdout.splitlines()
    assert last == "done: 12 jobs sent by 3 workers"
    sends = [re.fullmatch(r"worker (\d): \+\d+ -> [0-9a-f-]{36}", text) for text in lines]
    assert all(sends), result.stdout  # whole lines: the processes' output never mixed
    assert sorted(match[1] for match in sends if match) == ["0"] * 4 + ["1"] * 4 + ["2"] * 4


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork()")
def test_prefork_worker_fails_when_a_child_fails(sandbox: SandboxProcess) -> None:
    control(sandbox, "drain")
    result = run_recipe(sandbox, "prefork_worker.py", "--workers", "2", "--jobs", "2")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "worker(s) 0, 1 failed" in result.stderr


# --- docs/regenerating.md, performed on a scratch copy ---------------------------------------

WALKTHROUGH = ROOT / "docs" / "regenerating.md"
APPLY = re.compile(
    r'<!-- apply: (?P<path>\S+) (?P<how>new|after|before)(?: (?P<anchor>"(?:[^"\\]|\\.)*"))? -->'
    r"\n+```\w*\n(?P<code>.*?)```",
    re.DOTALL,
)
COVERAGE_TEST = "tests/test_layer_requests.py::test_every_operation_in_the_spec_is_exposed"


def apply_edits(root: Path, edits: list[re.Match[str]]) -> None:
    """Apply the walkthrough's blocks to the copy, each at its (unique) anchor."""
    for edit in edits:
        target = root / edit["path"]
        if edit["how"] == "new":
            target.write_text(edit["code"])
            continue
        anchor = json.loads(edit["anchor"])
        text = target.read_text()
        found = text.count(anchor)
        assert found == 1, f"{edit['path']} has {found} copies of the anchor {anchor!r}"
        replacement = anchor + edit["code"] if edit["how"] == "after" else edit["code"] + anchor
        target.write_text(text.replace(anchor, replacement))


def coverage_test(root: Path) -> subprocess.CompletedProcess[str]:
    # Autoloading the other plugins (schemathesis, hypothesis...) would triple the time.
    env = {**os.environ, "PYTHONPATH": str(root), "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "pytest_asyncio.plugin", COVERAGE_TEST],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_regeneration_walkthrough(tmp_path: Path) -> None:
    scratch = tmp_path / "scratch"
    ignore = shutil.ignore_patterns("__pycache__")
    scratch.mkdir()
    for name in ("openapi.yaml", "generator-config.yaml", "pyproject.toml"):
        shutil.copy2(ROOT / name, scratch / name)
    for name in ("templates", "scripts", "ziett"):
        shutil.copytree(ROOT / name, scratch / name, ignore=ignore)
    (scratch / "tests").mkdir()
    for name in ("__init__.py", "conftest.py", "test_layer_requests.py"):
        shutil.copy2(ROOT / "tests" / name, scratch / "tests" / name)

    edits = list(APPLY.finditer(WALKTHROUGH.read_text()))
    spec_edits = [e for e in edits if e["path"] == "openapi.yaml"]
    layer_edits = [e for e in edits if e["path"] != "openapi.yaml"]
    assert len(spec_edits) == 3 and len(layer_edits) >= 5
    apply_edits(scratch, spec_edits)

    subprocess.run(
        [sys.executable, str(scratch / "scripts" / "generate.py"), str(scratch)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert (scratch / "ziett_client" / "api" / "account" / "retrieve_balance.py").is_file()
    assert (scratch / "ziett_client" / "models" / "balance.py").is_file()
    assert (
        '"retrieve_balance": "GET /c/v1/balance"'
        in (scratch / "ziett" / "_constraints.py").read_text()
    )

    failing = coverage_test(scratch)
    assert failing.returncode == 1, failing.stdout + failing.stderr
    assert "an operation of openapi.yaml is not exposed" in failing.stdout
    assert "'retrieve_balance'" in failing.stdout

    apply_edits(scratch, layer_edits)
    subprocess.run(  # the resource classes, from the new builder (as `make generate` does)
        [sys.executable, str(scratch / "scripts" / "generate_resources.py")],
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert "class AsyncAccount(Resource)" in (scratch / "ziett/resources/_classes.py").read_text()
    passing = coverage_test(scratch)
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert "2 passed" in passing.stdout
    ruff = Path(sys.executable).parent / "ruff"
    for command in (["check"], ["format", "--check"]):  # the walkthrough's code is clean
        linted = subprocess.run(
            [str(ruff), *command, "--no-cache", "ziett", "tests"],
            cwd=scratch,
            capture_output=True,
            text=True,
        )
        assert linted.returncode == 0, linted.stdout + linted.stderr


def test_make_demo_runs_the_main_job_offline() -> None:
    """`make demo`: send, SMS check, batch of 1,000, wait, report, listing — exit 0."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "demo.py")],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "ZIETT_API_KEY": "", "ZIETT_BASE_URL": ""},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "Campaign text: GSM-7, 1 part per recipient" in out
    assert "'Black Friday Promo - Luanda': COMPLETED" in out
    assert re.search(r"Report: 1000 messages \(DELIVERED \d+", out)
    assert "Listed 1001 messages in 6 pages" in out
    # Money reconciles: net cost = charged - refunded, and the balance fell by the net cost.
    report = re.search(r"charged (\S+), refunded (\S+), net cost (\S+)", out)
    assert report is not None
    charged, refunded, net = (Decimal(x) for x in report.groups())
    assert refunded > 0 and net == charged - refunded
    net_cost = re.search(r"^  net cost +(\S+)$", out, re.MULTILINE)
    fell = re.search(r"fell by (\S+), the net cost", out)
    assert net_cost is not None and fell is not None
    assert Decimal(net_cost.group(1)) == Decimal(fell.group(1)) > net
