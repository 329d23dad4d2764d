"""The benchmark harness (bench/) runs end to end at toy sizes, so it cannot rot (make e2e).

``python -m bench.run --smoke`` starts the bench server in its own process, runs
every scenario in a few seconds and writes its report to the directory given;
without the openai package (the normal dev environment) it leaves the peer out.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def test_smoke_run_writes_a_report_for_every_scenario(tmp_path: Path) -> None:
    committed = ROOT / "bench" / "RESULTS.md"
    before = committed.stat().st_mtime_ns if committed.exists() else None

    result = subprocess.run(
        [sys.executable, "-m", "bench.run", "--smoke", "--out", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    report = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert report["environment"]["smoke"] is True
    rows = report["rows"]
    numbers = {"1", "2", "2b", "3", "4", "5", "7", "8"}
    assert {row["scenario"].split(".")[0] for row in rows} == numbers
    assert not [row for row in rows if "the scenario failed" in row["scenario"]]
    assert {cost["contender"] for cost in report["profile"]} == {"ziett", "httpx"}
    for row in rows:
        if row["ratio"] is not None:
            assert row["ziett"] > 0 and row["httpx"] > 0 and row["ratio"] > 0
    markdown = (tmp_path / "RESULTS.md").read_text(encoding="utf-8")
    assert "| scenario | ziett | raw httpx | ratio |" in markdown
    assert "## Where a call's time goes" in markdown and "## How to read it" in markdown
    after = committed.stat().st_mtime_ns if committed.exists() else None
    assert after == before, "a smoke run must not overwrite bench/RESULTS.md"
