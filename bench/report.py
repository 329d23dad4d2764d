"""The results: the run's environment, the table, RESULTS.md and results.json.

Pure formatting over rows; writes only the two result files, each replaced whole.
"""

from __future__ import annotations

import json
import os
import platform
from collections.abc import Mapping
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

import ziett
from bench.harness import LIMITS, Bench, Row, has_target


def environment(bench: Bench, smoke: bool) -> dict[str, Any]:
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
        "ziett": ziett.__version__,
        "httpx": httpx.__version__,
        "openai": getattr(bench.openai, "__version__", None),
        "pool_limits": {
            "max_connections": LIMITS.max_connections,
            "max_keepalive_connections": LIMITS.max_keepalive_connections,
            "keepalive_expiry": LIMITS.keepalive_expiry,
        },
        "smoke": smoke,
        "sizes": asdict(bench.sizes),
    }


# -- the report --------------------------------------------------------------------------


def figure(value: float | None, unit: str = "") -> str:
    if value is None:
        return "—"
    if unit in ("sends/s", "count", "MB"):
        text = f"{value:,.0f}" if unit != "MB" else f"{value:.1f}"
    else:
        text = f"{value:,.1f}" if value >= 10 else f"{value:.3g}"
    return f"{text} {unit}".strip() if unit and unit != "count" else text


def ratio_text(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}x"


def verdict(row: Row) -> str:
    if not has_target(row):
        return "—"
    return {True: "met", False: "**missed**", None: "no comparison"}[row.met]


def table(rows: list[Row]) -> str:
    lines = [
        "| scenario | ziett | raw httpx | ratio | openai | openai ratio | ziett / openai "
        "| target | |",
        "|---|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for row in rows:
        cells = [
            row.scenario,
            figure(row.ziett, row.unit),
            figure(row.httpx, row.unit),
            ratio_text(row.ratio),
            figure(row.peer, row.unit),
            ratio_text(row.peer_ratio),
            ratio_text(row.vs_peer),
            row.target or "—",
            verdict(row),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


DEFINITIONS = """\
## How to read it

- **Medians.** Every figure is the median over rounds; within a round ziett, raw httpx
  and openai each run one batch, in an order rotated every round. A **ratio** is the
  median of the per-round ratios `ziett / httpx` (`openai / httpx` for openai's, and
  `ziett / openai` in its own column), so it compares batches run moments apart in
  the same run. For times, lower is better; for the concurrent sends (a throughput),
  higher is better.
- **Failures are findings.** A batch that raises, or does not finish within its cap,
  is a failed round: it is left out of the medians and ratios, and the notes say what
  happened. A ratio with no usable round (its base failed every time, or answered
  nothing before a cap) is "—", and a target that needs it reads "no comparison".
- **Server.** `bench/server.py`, a raw `asyncio.Protocol` HTTP/1.1 server with keep-alive
  and precomputed response bytes, in its own process on 127.0.0.1.
- **Clients.** ziett opens its own httpx client (`ziett/_http.py`) on a transport of
  one-connection httpx transports, built on httpx's public transport interface. Raw
  httpx is stock `httpx.AsyncClient`/`httpx.Client`; openai is its own client on
  httpx2. All three get the same pool limits (given above) and ziett's default timeout.
- **1. Per-call.** Sequential `messages.retrieve(id)` (parsed into the generated
  `Message`) against `httpx` GET + status check + `json.loads`, and openai's generic
  `client.get(path, cast_to=object)`; one warm keep-alive connection each.
- **2. Concurrent sends.** `asyncio.gather` of all the sends on one client, pacing off
  (`rate_limits={}`); raw httpx POSTs the same JSON body and reads the answer. Each
  batch runs in a fresh process on a fresh client (after 20 warm-up sends), so every
  contender starts from the same state; a batch still running at the cap is stopped
  and credited with the sends the server answered by then (zero is a finding). **2b**
  is the state a long-lived client is in after any burst: a fresh client whose pool
  an untimed gather has already filled with idle keep-alive connections, then a
  timed gather five times the pool's size. The target of both: at least openai's
  throughput, as the median of the per-round `ziett / openai`.
- **3. Long listing.** `async for` over `messages.list(page_size=200)`, every message
  a typed `Message` decoded and validated when its page arrives (msgspec straight into
  the generated attrs classes, `ziett/_decode.py`), against raw httpx GETs + `json.loads`,
  over the same pages of full messages (every field of the spec's `Message`). Two rows:
  every one of the message's fields read (`operator.attrgetter` of them all on a
  model, `operator.itemgetter` of the same keys on a dict: the target, at most 1.00x),
  and no field read (the decoding alone, for context).
  **Memory** (the target figure) is the growth of the resident set size, read from
  `/proc/self/statm` after every page of one whole iteration, over its value before, in
  a fresh process warmed
  up with a one-message page. The tracemalloc peak over a few more pages is given in
  the notes (Python allocations, including the page being parsed).
- **4. Import.** Cold interpreters, one per figure, bytecode caches warm: the time of
  the `import` statement, measured inside the process. The target row hides httpx's
  optional command line (click, rich, pygments, which this project's dev group installs
  and `pip install ziett` does not), as in a user's environment; the second row, for
  context, is this venv as it is. The whole `python -c 'import …'` processes are in
  the notes.
- **5. Pacing.** All sends `gather`ed at once on a client configured with the server's
  limit (`rate_limits={"POST /c/v1/messages": ziett.RateLimit(L, W)}`); the server
  enforces a sliding window of L accepted sends per W seconds per `X-API-KEY` and
  answers 429 beyond it. **Achieved rate** = the least time N sends can take under the
  limit, (ceil(N / L) - 1) · W, over the time they took from the first to the last
  accepted send (server clock). With N a multiple of L (600 and 120 here) this is exactly
  (sends after the first window's burst of L) / (that time), relative to L / W. A pacer
  that wastes nothing scores 100 %; ziett keeps a 2 % margin of the window for transit
  jitter, so about 98 % is its ceiling.
- **7. Fleet.** Four processes (`bench/fleet.py`) send on one paced key at once,
  against the server's window: with the shared budget (`rate_limit_store=` a real
  `redis-server`; without one the row says so), with today's default (a whole budget
  per process: the 429 answers it provokes), and with the budget split by hand (1/N
  each: the rate it achieves).
- **8. Bulk sends.** One `campaigns.send_bulk` (`bench/bulk.py`, `journal=None`) to N
  distinct numbers against a sandbox process whose batch route allows L requests per
  W seconds, the client's `rate_limits` set to match; rate as in 5, over the campaigns'
  `created_at` (server clock). Duplicates: every message the sandbox holds, each number
  exactly once. The chunks go one after the other, so a window's L batches cannot leave
  at once: L = 2 keeps that cost (about one batch time per window) small.
- **Adding a scenario**: see the docstring of `bench/run.py` (one function, registered
  with `@scenario`, its sizes in `Sizes`).
"""


def markdown(rows: list[Row], env: Mapping[str, Any], sections: list[str]) -> str:
    notes = [f"- {row.scenario}: {row.note}" for row in rows if row.note]
    met = [row for row in rows if has_target(row)]
    summary = f"{sum(row.met is True for row in met)} of {len(met)} targets met."
    load = env.get("load_average")
    load_text = f" Load average at the end: {', '.join(f'{v:.2f}' for v in load)}." if load else ""
    header = (
        f"# Benchmarks\n\nGenerated by `make bench` (`python -m bench.run`) on {env['date']}: "
        f"Python {env['python']} ({env['implementation']}), {env['cpu_count']} CPUs, "
        f"{env['platform']}; ziett {env['ziett']}, httpx {env['httpx']}, "
        f"openai {env['openai'] or 'not installed'}. Every client's pool: "
        f"{', '.join(f'{k}={v}' for k, v in env['pool_limits'].items())} "
        f"(ziett's own).{load_text}\n\n{summary}\n"
    )
    return "\n".join([header, table(rows), "", "Notes:", "", *notes, "", *sections, DEFINITIONS])


def write_results(rows: list[Row], env: Mapping[str, Any], bench: Bench, out: Path) -> None:
    """RESULTS.md and results.json in ``out`` (each replaced whole, never half-written)."""
    out.mkdir(parents=True, exist_ok=True)
    report = {"environment": env, "rows": [asdict(row) for row in rows], **bench.details}
    documents = {
        "RESULTS.md": markdown(rows, env, bench.sections),
        "results.json": json.dumps(report, indent=2) + "\n",
    }
    for name, text in documents.items():
        temporary = out / f"{name}.tmp"
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(out / name)
