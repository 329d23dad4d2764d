"""The benchmark harness (bench/) runs end to end at toy sizes, so it cannot rot.

``python -m bench.run --smoke`` starts the bench server in its own process, runs
every scenario in a few seconds and writes its report to the directory given;
without the openai package (the normal dev environment) it leaves the peer out.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bench.run import achieved_fraction

ROOT = Path(__file__).resolve().parent.parent


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
    assert {row["scenario"].split(".")[0] for row in rows} == {"1", "2", "2b", "3", "4", "5"}
    for row in rows:
        if row["ratio"] is not None:
            assert row["ziett"] > 0 and row["httpx"] > 0 and row["ratio"] > 0
    markdown = (tmp_path / "RESULTS.md").read_text(encoding="utf-8")
    assert "| scenario | ziett | raw httpx | ratio |" in markdown
    after = committed.stat().st_mtime_ns if committed.exists() else None
    assert after == before, "a smoke run must not overwrite bench/RESULTS.md"


def test_achieved_fraction_of_a_perfect_pacer_is_one() -> None:
    limit, window = 4, 0.5
    # Bursts of `limit` sends, one window apart: the fastest the limit allows.
    accepted = [burst * window for burst in range(3) for _ in range(limit)]

    assert achieved_fraction(accepted, limit, window) == 1.0
    assert achieved_fraction(accepted[:limit], limit, window) is None
