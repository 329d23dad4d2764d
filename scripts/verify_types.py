"""Fail unless the installed wheel's public API is fully typed for its users.

Usage: ``python scripts/verify_types.py`` (``make check`` runs it). Builds the wheel,
installs it into a scratch virtual environment (as a user gets it), and runs
``pyright --verifytypes --ignoreexternal`` on ``ziett`` and ``ziett_client``; fails
unless each scores 100 %, listing the symbols whose types are missing or partially
unknown. tests/test_public_types.py reuses install_wheel().
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
# `make install` puts uv into .tools/; a copy of the sources may use the one on PATH.
UV = (
    REPO / ".tools" / "bin" / "uv"
    if (REPO / ".tools").exists()
    else Path(shutil.which("uv") or "uv")
)
PYRIGHT = Path(sys.executable).parent / "pyright"
PACKAGES = ("ziett", "ziett_client")


def _uv(*args: str) -> None:
    """uv, from its cache first (no network needed), then from the index."""
    command = [str(UV), *args, "--quiet"]
    env = {**os.environ, "UV_PYTHON_DOWNLOADS": "never"}
    if subprocess.run([*command, "--offline"], env=env, capture_output=True).returncode:
        subprocess.run(command, env=env, check=True)


def install_wheel(scratch: Path) -> Path:
    """Build this repository's wheel, install it into a new venv; its python."""
    wheels, venv = scratch / "wheels", scratch / "venv"
    _uv("build", "--wheel", "--out-dir", str(wheels), str(REPO))
    (wheel,) = wheels.glob("*.whl")
    _uv("venv", str(venv), "--python", sys.executable)
    python = venv / "bin" / "python"
    _uv("pip", "install", "--python", str(python), str(wheel))
    return python


def verify(package: str, python: Path, cwd: Path) -> tuple[float, list[str]]:
    """pyright's completeness score for PACKAGE as installed for PYTHON, and what is missing."""
    # pyright's --pythonpath is ignored by --verifytypes (1.1.414): it finds the
    # packages through the `python` first on PATH, so that is the scratch venv's.
    env = {**os.environ, "PATH": f"{python.parent}{os.pathsep}{os.environ['PATH']}"}
    env.pop("VIRTUAL_ENV", None)
    result = subprocess.run(
        [str(PYRIGHT), "--verifytypes", package, "--ignoreexternal", "--outputjson"],
        capture_output=True,
        text=True,
        cwd=cwd,  # a folder without pyproject.toml: no settings of this checkout apply
        env=env,
    )
    try:
        report: dict[str, Any] = json.loads(result.stdout)
    except json.JSONDecodeError:
        sys.exit(f"pyright --verifytypes {package} failed:\n{result.stdout}{result.stderr}")
    completeness = report["typeCompleteness"]
    missing = [
        f"{symbol['name']}: {diagnostic['message']}".replace("\n", "\n    ")
        for symbol in completeness["symbols"]
        for diagnostic in symbol.get("diagnostics", [])
        if diagnostic.get("severity") == "error"
    ]
    missing += [
        f"{package}: {diagnostic['message']}"
        for diagnostic in report.get("generalDiagnostics", [])
        if diagnostic.get("severity") == "error"
    ]
    if not completeness.get("pyTypedPath"):
        missing.append(f"{package}: no py.typed marker in the wheel")
    return float(completeness["completenessScore"]), missing


def main() -> int:
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        python = install_wheel(scratch)
        for package in PACKAGES:
            score, missing = verify(package, python, scratch)
            print(f"{package}: type completeness {score:.1%}")
            for line in missing:
                print(f"  {line}", file=sys.stderr)
            failed |= score < 1.0 or bool(missing)
    if failed:
        print("The public API is not fully typed (see above).", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
