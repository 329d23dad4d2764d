"""The benchmark harness's arithmetic: ratios, achieved rates, failed contenders.

The end-to-end smoke run of every scenario (``python -m bench.run --smoke``, about
15 s of subprocesses) is in tests/e2e/test_bench_smoke_run.py (``make e2e``).
"""

from __future__ import annotations

from pathlib import Path

from bench.run import SCENARIOS, Measured, Row, achieved_fraction, compared, round_ratio

ROOT = Path(__file__).resolve().parent.parent


def test_achieved_fraction_of_a_perfect_pacer_is_one() -> None:
    limit, window = 4, 0.5
    # Bursts of `limit` sends, one window apart: the fastest the limit allows.
    accepted = [burst * window for burst in range(3) for _ in range(limit)]

    assert achieved_fraction(accepted, limit, window) == 1.0
    assert achieved_fraction(accepted[:limit], limit, window) is None


def test_a_contender_that_answered_nothing_or_failed_is_left_out_of_the_ratios() -> None:
    samples: dict[str, list[float | None]] = {
        "ziett": [500.0, 600.0, 700.0],
        "httpx": [0.0, None, 350.0],  # nothing answered before the cap; a failed round
    }

    assert round_ratio(samples, "ziett", "httpx") == 2.0
    assert round_ratio({"ziett": [1.0], "httpx": [0.0]}, "ziett", "httpx") is None


def test_a_row_without_a_usable_comparison_says_so_instead_of_crashing() -> None:
    measured = Measured(
        samples={"ziett": [500.0], "httpx": [None], "openai": [0.0]},
        failures={"ziett": [], "httpx": ["stalled (no result within 10 s)"], "openai": []},
    )

    def goal(row: Row) -> bool | None:
        return None if row.ratio is None else row.ratio <= 1.1

    row = compared("2. sends", "sends/s", measured, "≤ 1.10x", goal)

    assert row.ratio is None and row.met is None and row.vs_peer is None
    assert "httpx: 1 of 1 rounds failed (1x stalled" in row.note
    failed = Measured({"ziett": [None], "httpx": [1.0]}, {"ziett": ["boom"], "httpx": []})
    assert compared("2. sends", "sends/s", failed, "≤ 1.10x", goal).met is False


def test_every_scenario_is_registered_with_a_numbered_label() -> None:
    expected = {"import", "per-call", "sends", "listing", "pacing", "profile", "fleet", "bulk"}
    assert expected <= set(SCENARIOS)
    for entry in SCENARIOS.values():
        assert entry.label.split(".")[0].isdigit()
