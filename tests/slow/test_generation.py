"""`make check` catches a spec that moved on alone; `make generate` is deterministic.

(That the committed code matches the committed spec is `make check` itself.)
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NEEDED = ["openapi.yaml", "generator-config.yaml", "pyproject.toml", "templates", "scripts"]


def run(script: str, root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(root / "scripts" / script)],
        capture_output=True,
        text=True,
        cwd=root,
        timeout=120,
    )


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    for name in NEEDED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, tmp_path / name)
    shutil.copytree(
        ROOT / "ziett_client",
        tmp_path / "ziett_client",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    # The whole layer: its builders are what ziett/resources/_classes.py is generated from.
    shutil.copytree(
        ROOT / "ziett", tmp_path / "ziett", ignore=shutil.ignore_patterns("__pycache__")
    )
    return tmp_path


def test_a_spec_edit_is_drift_until_regenerated(copy: Path) -> None:
    spec = copy / "openapi.yaml"
    text = spec.read_text()
    edited = text.replace(
        "description: Email address; must be a valid format.",
        "description: The contact's email address; must be a valid format.",
    )
    assert edited != text
    spec.write_text(edited)
    drift = run("check_generated.py", copy)
    assert drift.returncode == 1
    assert "drift: ziett_client/models/save_contact.py" in drift.stderr
    assert run("generate.py", copy).returncode == 0
    assert (
        "The contact's email address" in (copy / "ziett_client/models/save_contact.py").read_text()
    )
    regenerated = {p: p.read_text() for p in sorted((copy / "ziett_client").rglob("*.py"))}
    assert run("check_generated.py", copy).returncode == 0
    assert run("generate.py", copy).returncode == 0  # a second run changes nothing
    assert regenerated == {p: p.read_text() for p in sorted((copy / "ziett_client").rglob("*.py"))}
