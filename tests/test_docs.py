"""Every Python block of the documentation site runs, against the in-process sandbox.

The pages are docs/**/*.md. Each ```python block is executed on its own, as a reader
would paste it, with the ``ziett_sandbox`` fixture active (``ZIETT_API_KEY`` and
``ZIETT_BASE_URL`` point at it) and ``ZIETT_REMITTER_ID`` set to its Sender ID, as the home
page tells readers to set theirs, so the clients a block creates talk to the sandbox and
send from that sender. A block that defines ``test_*`` functions is a pytest example: each
is then called with the fixture (awaited when it is a coroutine), the sandbox reset between
them.

A ```text block right after a Python block is the output the page promises: it is compared
with what the block printed, as doctest does (``...`` matches anything, whitespace is
normalised).

docs/regenerating.md is the exception: its blocks are edits to a scratch copy of the
repository, applied by tests/test_examples.py::test_the_regeneration_walkthrough; here we
check that every one of its code blocks is such an applied edit or a shell session.
The site's build (links, references) is ``make docs``; this file also checks the link
checker of scripts/build_docs.py on a small site with known faults.
"""

from __future__ import annotations

import asyncio
import doctest
import importlib.util
import inspect
import re
import sys
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from ziett.resources._classes import Messages

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
WALKTHROUGH = DOCS / "regenerating.md"
FENCE = re.compile(
    r"^```(?P<lang>[\w-]*)[^\n]*\n(?P<code>.*?)^```[ \t]*$", re.DOTALL | re.MULTILINE
)


class Block(NamedTuple):
    page: str
    line: int
    code: str
    output: str | None

    @property
    def id(self) -> str:
        return f"{self.page}:{self.line}"


def _blocks(path: Path) -> list[tuple[str, int, str, int]]:
    """(language, line, code, end offset) of every fenced block of a page."""
    text = path.read_text()
    return [
        (m["lang"], text.count("\n", 0, m.start()) + 1, m["code"], m.end())
        for m in FENCE.finditer(text)
    ]


def python_blocks() -> list[Block]:
    found = []
    for path in sorted(DOCS.rglob("*.md")):
        if path == WALKTHROUGH:
            continue
        text = path.read_text()
        blocks = _blocks(path)
        for index, (lang, line, code, end) in enumerate(blocks):
            if lang != "python":
                continue
            output = None
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            if following is not None and following[0] == "text":
                between = text[end : text.index("```text", end)]
                if not between.strip():
                    output = following[2]
            found.append(Block(str(path.relative_to(DOCS)), line, code, output))
    return found


BLOCKS = python_blocks()
SENDER_FROM_ENVIRONMENT = (
    inspect.signature(Messages.send).parameters["remitter_id"].default
    is not inspect.Parameter.empty
)
UNDEFINED_SENDER = re.compile(r"(?<![\w\"'])REMITTER_ID\b")


def test_no_page_names_a_sender_it_does_not_define() -> None:
    if not SENDER_FROM_ENVIRONMENT:
        pytest.skip("sends need remitter_id= until the SDK reads ZIETT_REMITTER_ID for them")
    found = [block.id for block in BLOCKS if UNDEFINED_SENDER.search(block.code)]
    assert not found, f"blocks using an undefined REMITTER_ID: {found}"


def test_every_page_of_guides_has_examples() -> None:
    pages = {block.page for block in BLOCKS}
    guides = {str(p.relative_to(DOCS)) for p in (DOCS / "guides").glob("*.md")}
    assert len(BLOCKS) >= 30, len(BLOCKS)
    assert "quickstart.md" in pages
    without = guides - pages
    assert not without, f"guides without a Python example: {sorted(without)}"


def test_the_walkthrough_blocks_are_applied_by_test_examples() -> None:
    text = WALKTHROUGH.read_text()
    applied = 0
    for match in FENCE.finditer(text):
        if match["lang"] in {"sh", "console", "text", ""}:
            continue
        line = text.count("\n", 0, match.start()) + 1
        before = text[: match.start()].rstrip("\n").rsplit("\n", 1)[-1]
        assert before.startswith("<!-- apply: "), (
            f"regenerating.md:{line}: a {match['lang']} block that "
            "test_the_regeneration_walkthrough does not apply (no <!-- apply: ... --> before it)"
        )
        applied += 1
    assert applied >= 5


@pytest.mark.parametrize("block", BLOCKS, ids=[block.id for block in BLOCKS])
def test_docs_block_runs(
    block: Block,
    ziett_sandbox: Any,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ZIETT_REMITTER_ID", ziett_sandbox.remitter_id)
    namespace: dict[str, Any] = {"__name__": "docs"}
    if not SENDER_FROM_ENVIRONMENT:  # pages still written for sends that need remitter_id=
        namespace["REMITTER_ID"] = ziett_sandbox.remitter_id
    source = "\n" * (block.line) + block.code  # tracebacks point at the page's lines
    exec(compile(source, str(DOCS / block.page), "exec"), namespace)
    tests = [f for name, f in namespace.items() if name.startswith("test_") and callable(f)]
    for number, function in enumerate(tests):
        if number:
            ziett_sandbox.reset()  # each test of the page starts with a fresh sandbox, as in pytest
            assert not ziett_sandbox.sent
        result = function(ziett_sandbox)
        if inspect.iscoroutine(result):
            asyncio.run(result)
    if block.output is not None:
        got = capsys.readouterr().out
        checker = doctest.OutputChecker()
        flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
        assert checker.check_output(block.output, got, flags), (
            f"{block.id} printed:\n{got}\nthe page promises:\n{block.output}"
        )


def _build_docs_module() -> Any:
    spec = importlib.util.spec_from_file_location("build_docs", ROOT / "scripts" / "build_docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("build_docs", module)
    spec.loader.exec_module(module)
    return module


def test_the_link_checker_finds_missing_pages_and_anchors(tmp_path: Path) -> None:
    check_links = _build_docs_module().check_links
    (tmp_path / "guides").mkdir()
    (tmp_path / "index.html").write_text(
        '<h1 id="top">x</h1><a href="guides/a.html#here">ok</a><a href="#top">ok</a>'
        '<a href="https://ziett.co">external</a><img src="missing.png">'
        '<a href="guides/a.html#nowhere">bad anchor</a><a href="guides/b.html">no page</a>'
    )
    (tmp_path / "guides" / "a.html").write_text('<p id="here"></p><a href="../index.html">up</a>')
    problems, external = check_links(tmp_path)
    assert external == {"https://ziett.co"}
    assert len(problems) == 3, problems
    assert any("missing.png" in p for p in problems)
    assert any("'nowhere'" in p for p in problems)
    assert any("guides/b.html" in p for p in problems)


def test_the_reference_check_finds_generator_internals(tmp_path: Path) -> None:
    check_reference = _build_docs_module().check_reference
    (tmp_path / "reference").mkdir()
    (tmp_path / "reference" / "models.html").write_text(
        "<script>var Unset;</script><p>campaign_id: str | None</p>"
    )
    (tmp_path / "reference" / "clients.html").write_text(
        "<p>Type: None | str | Unset</p><dt>__init__(message_id)</dt>"
    )
    assert check_reference(tmp_path) == ["reference/clients.html shows Unset, __init__"]
