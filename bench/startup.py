"""Scenario 4: import time, in cold interpreters (one subprocess per figure).

Touches no server: it only starts ``python -c 'import ...'`` processes.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
import time
from dataclasses import dataclass

from bench import imports as plugin_probe
from bench.harness import (
    ROOT,
    Bench,
    Measured,
    Row,
    Sizes,
    at_most,
    compared,
    describe,
    median,
    rotated,
    scenario,
)
from bench.report import figure

# -- 4. import time ----------------------------------------------------------------------

# httpx imports its optional command line when click, rich and pygments (the
# httpx[cli] extra) are installed, as this project's dev group happens to install
# them; ``pip install ziett`` does not. The "clean" probe hides them (an import of
# a module set to None in sys.modules fails at once), as in a user's environment.
CLI_EXTRAS = ("click", "rich", "pygments")
IMPORT_PROBE = (
    "import sys, time; {hide}start = time.perf_counter(); import {module}; "
    "print(time.perf_counter() - start)"
)


@dataclass(frozen=True)
class ImportCase:
    """One import to time: a module, with or without httpx's CLI extras importable."""

    module: str
    clean: bool

    def run(self) -> tuple[float, float]:
        """(time of the import statement, time of the whole process) in ms.

        Bytecode may be cached (PYTHONDONTWRITEBYTECODE dropped), as after a pip
        install: the figure is the import, not the compilation of the sources.
        """
        hide = f"sys.modules.update(dict.fromkeys({CLI_EXTRAS!r})); " if self.clean else ""
        code = IMPORT_PROBE.format(hide=hide, module=self.module)
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        start = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
        )
        process_ms = (time.perf_counter() - start) * 1e3
        if result.returncode != 0:
            raise RuntimeError(f"import {self.module} failed: {result.stderr.strip()}")
        return float(result.stdout) * 1e3, process_ms


def import_times(sizes: Sizes, with_peer: bool) -> list[Row]:
    """``import ziett`` against ``import httpx`` (and ``import openai``), cold processes."""
    modules = ["ziett", "httpx"] + (["openai"] if with_peer else [])
    cases = [ImportCase(module, clean=True) for module in modules]
    cases += [ImportCase(module, clean=False) for module in ("ziett", "httpx")]
    failures: dict[ImportCase, list[str]] = {case: [] for case in cases}
    for case in cases:  # bytecode caches written, files in the OS page cache
        try:
            case.run()
        except Exception as error:
            print(f"    warm-up of import {case.module} failed: {describe(error)}", flush=True)
    inside: dict[ImportCase, list[float | None]] = {case: [] for case in cases}
    process: dict[ImportCase, list[float | None]] = {case: [] for case in cases}
    for round_number in range(sizes.imports):
        for case in rotated(cases, round_number):
            try:
                import_ms, process_ms = case.run()
            except Exception as error:  # a failed import is a finding, not a crash
                failures[case].append(describe(error))
                inside[case].append(None)
                process[case].append(None)
                continue
            inside[case].append(import_ms)
            process[case].append(process_ms)

    def measured(clean: bool, figures: dict[ImportCase, list[float | None]]) -> Measured:
        chosen = [case for case in cases if case.clean == clean]
        return Measured(
            {case.module: figures[case] for case in chosen},
            {case.module: failures[case] for case in chosen},
        )

    clean_row = compared(
        "4. import, as after `pip install ziett`",
        "ms",
        measured(True, inside),
        "≤ 1.50x",
        at_most(1.50),
    )
    whole = measured(True, process).samples
    clean_row.note = "; ".join(
        filter(
            None,
            [
                "time of the import statement; whole `python -c 'import …'` process: "
                + ", ".join(
                    f"{name} {figure(median(values), 'ms')}" for name, values in whole.items()
                ),
                clean_row.note,
            ],
        )
    )
    # Context: the dev group installs click and rich, and httpx imports them.
    venv_row = compared(
        "4. import in this venv (httpx also loads its CLI)",
        "ms",
        measured(False, inside),
        "",
        at_most(math.inf),
    )
    plugin_row = Row(
        "4. pytest plugin load (ziett.testing after pytest)",
        "ms",
        plugin_probe.import_ms("ziett.testing", preload=["pytest"], rounds=sizes.imports),
        None,
        None,
        "≤ 20 ms",
        None,
    )
    plugin_row.met = plugin_row.ziett is not None and plugin_row.ziett <= 20.0
    forks = plugin_probe.fork_handlers_at_import()
    plugin_row.note = (
        f"every pytest run of an application that installs the SDK pays it; "
        f"fork handlers registered by `import ziett`: {forks}"
    )
    return [clean_row, venv_row, plugin_row]


@scenario("import", label="4. import", needs_server=False)
def imports(bench: Bench) -> list[Row]:
    sizes = bench.sizes
    return import_times(sizes, with_peer=bench.openai is not None and sizes.import_peer)
