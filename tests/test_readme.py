"""Every Python snippet of the README runs, against the in-process sandbox."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

README = (Path(__file__).parent.parent / "README.md").read_text()
SNIPPETS = re.findall(r"```python\n(.*?)```", README, flags=re.DOTALL)


def test_the_readme_has_the_snippets_it_promises() -> None:
    assert len(SNIPPETS) >= 5
    text = "\n".join(SNIPPETS)
    for needed in ("AsyncZiett", "ziett.Ziett()", ".pages()", "except ziett.", "ziett_sandbox"):
        assert needed in text


@pytest.mark.parametrize("snippet", SNIPPETS, ids=[f"snippet{i}" for i in range(len(SNIPPETS))])
def test_readme_snippet_runs(
    snippet: str, ziett_sandbox: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    namespace: dict[str, Any] = {"REMITTER_ID": ziett_sandbox.remitter_id, "__name__": "readme"}
    exec(compile(snippet, "README.md", "exec"), namespace)
    for name, function in list(namespace.items()):
        if name.startswith("test_") and callable(function):
            function(ziett_sandbox)
    if "except ziett.ValidationError" in snippet:
        assert "at least 2 items" in capsys.readouterr().out
