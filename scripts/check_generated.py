"""Fail when what openapi.yaml generates differs from what is committed.

Regenerates into a temporary folder (never touching the working tree) and
compares ziett_client/, ziett/_constraints.py and ziett/resources/_classes.py
file by file.
"""

from __future__ import annotations

import difflib
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import REPO, generate_client, generate_constraints
from generate_resources import TARGET, generate_resources


def _files(root: Path) -> dict[str, str]:
    found = {
        str(p.relative_to(root)): p.read_text()
        for p in sorted((root / "ziett_client").rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }
    found["ziett/_constraints.py"] = (root / "ziett" / "_constraints.py").read_text()
    found[str(TARGET)] = (root / TARGET).read_text()
    return found


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        fresh_root = Path(tmp)
        generate_client(fresh_root)
        generate_constraints(fresh_root)
        generate_resources(fresh_root)
        fresh, committed = _files(fresh_root), _files(REPO)
    drift = sorted(set(fresh) ^ set(committed)) + [
        name for name in sorted(set(fresh) & set(committed)) if fresh[name] != committed[name]
    ]
    for name in drift:
        print(f"drift: {name}", file=sys.stderr)
        diff = difflib.unified_diff(
            committed.get(name, "").splitlines(),
            fresh.get(name, "").splitlines(),
            f"committed/{name}",
            f"generated/{name}",
            lineterm="",
        )
        print("\n".join(list(diff)[:40]), file=sys.stderr)
    if drift:
        print("ziett_client/ is out of date: run `make generate` and commit.", file=sys.stderr)
        return 1
    print("generated code matches openapi.yaml")
    return 0


if __name__ == "__main__":
    sys.exit(main())
