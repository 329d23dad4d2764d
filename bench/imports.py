"""What importing the SDK costs: ``import ziett``, and the pytest plugin's load in a pytest run.

Each figure is the median, over cold processes, of the time the import statement
takes (bytecode cached, as after a pip install). The plugin (``ziett.testing``,
the ``pytest11`` entry point) is timed in a process that has already imported
pytest, as every pytest run of an application that installs the SDK does.
``fork_handlers`` counts the ``os.register_at_fork`` calls ``import ziett`` makes
from ``ziett`` modules (0: import does nothing but define).
``python -m bench.imports`` prints the figures.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_TIMED = (
    "import sys, time\n"
    "{preload}"
    "start = time.perf_counter()\n"
    "import {module}\n"
    "print(time.perf_counter() - start)\n"
)
_FORK_SPY = (
    "import json, os\n"
    "calls = []\n"
    "os.register_at_fork = lambda **hooks: calls.append([f.__module__ for f in hooks.values()])\n"
    "import ziett, ziett.testing\n"
    "print(json.dumps(calls))\n"
)


@dataclass(frozen=True)
class ImportFigures:
    """Medians in milliseconds, and what the import registered."""

    ziett_ms: float
    """``import ziett`` in a fresh interpreter."""
    plugin_ms: float
    """``import ziett.testing`` in an interpreter that has imported pytest (a pytest run)."""
    plugin_alone_ms: float
    """``import ziett.testing`` in a fresh interpreter (the SDK included)."""
    fork_handlers: int
    """``os.register_at_fork`` calls made by ``ziett`` modules during the imports."""

    def as_dict(self) -> dict[str, float]:
        return {
            "import ziett (ms)": round(self.ziett_ms, 2),
            "pytest plugin load after pytest (ms)": round(self.plugin_ms, 2),
            "import ziett.testing alone (ms)": round(self.plugin_alone_ms, 2),
            "fork handlers registered by ziett at import": self.fork_handlers,
        }


def _python(code: str) -> str:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise RuntimeError(f"the import probe failed: {result.stderr.strip()[-2000:]}")
    return result.stdout


def import_ms(module: str, preload: Sequence[str] = (), rounds: int = 7) -> float:
    """The median time, in ms, of ``import module`` in fresh processes.

    Args:
        module: The module to import.
        preload: Modules imported before the clock starts (``["pytest"]``).
        rounds: Processes to time (one more runs first, to write bytecode caches).
    """
    code = _TIMED.format(module=module, preload="".join(f"import {m}\n" for m in preload))
    _python(code)
    return statistics.median(float(_python(code)) * 1e3 for _ in range(rounds))


def fork_handlers_at_import() -> int:
    """How many ``os.register_at_fork`` calls importing ``ziett`` and its plugin make from
    ``ziett`` modules (dependencies' own, such as logging's, are not counted)."""
    calls = json.loads(_python(_FORK_SPY))
    return sum(any(m.startswith("ziett") for m in modules) for modules in calls)


def measure(rounds: int = 7) -> ImportFigures:
    """Every figure of the import row.

    Args:
        rounds: Processes timed per figure (the median is kept).
    """
    return ImportFigures(
        ziett_ms=import_ms("ziett", rounds=rounds),
        plugin_ms=import_ms("ziett.testing", preload=["pytest"], rounds=rounds),
        plugin_alone_ms=import_ms("ziett.testing", rounds=rounds),
        fork_handlers=fork_handlers_at_import(),
    )


if __name__ == "__main__":
    print(json.dumps(measure().as_dict(), indent=2))
