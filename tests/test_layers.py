"""The layers of ``ziett/`` point one way (docs/contributing/architecture.md).

The import graph is read with ``ast`` from the sources: every import counts, at
module level, inside functions and under ``TYPE_CHECKING``. It has no cycle, every
module belongs to a layer, a module imports only its own layer or lower ones, and
the sandbox imports only the rule modules and the bottom. ``.importlinter`` says the
same for ``make check``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "ziett"

LAYERS: tuple[tuple[str, ...], ...] = (
    ("=ziett",),  # the public names: ziett/__init__.py and public modules ziett.<name>
    ("ziett.cli", "ziett.testing"),
    ("ziett.sandbox",),
    ("ziett._client", "ziett.resources._classes", "ziett._methods"),
    ("ziett.jobs", "ziett.jobs.lifecycle", "ziett.jobs.bulk", "ziett.jobs.journal"),
    (
        "ziett.resources",
        "ziett.resources.messages",
        "ziett.resources.campaigns",
        "ziett.resources._common",
        "ziett.resources._surface",
        "ziett.jobs.reconcile",
    ),
    ("ziett._arguments", "ziett._pagination"),
    (
        "ziett._response",
        "ziett._transport",
        "ziett._steps",
        "ziett._call",
        "ziett._wire",
        "ziett._decode",
        "ziett._retry",
        "ziett._http",
        "ziett._shared_http",
        "ziett._throttle",  # the implementations of the pacing protocol
    ),
    ("ziett_client",),
    ("ziett._constraints", "ziett._validation", "ziett.sms", "ziett.phone"),
    ("ziett._config", "=ziett._throttle", "ziett._errors", "ziett._version", "ziett._fork"),
)
"""Top to bottom. A module belongs to the entry ``=`` its own name, else to the longest
name here that is a package of it; a public module ``ziett.<name>`` not listed sits with
the public names."""

SANDBOX_MAY_IMPORT = (*LAYERS[-2], *LAYERS[-1])
"""The sandbox stands apart: the rule modules and the bottom only (and itself)."""


def modules() -> dict[str, Path]:
    """Every module of ``ziett/`` by its dotted name (a package by its own name)."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imported(name: str, path: Path, known: dict[str, Path]) -> Iterator[str]:
    """The modules ``name`` imports (every import statement, wherever it stands)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            # ``from package import module`` imports that module; of a name, its module.
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                for alias in node.names
            ]
        else:
            continue
        for target in targets:
            while target not in known and "." in target:
                target = target.rpartition(".")[0]
            if (target in known and target != name) or target == "ziett_client":
                yield target


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: set(imported(name, path, known)) for name, path in known.items()}


def layer_of(module: str) -> int:
    """The index of ``module``'s layer in LAYERS (see there)."""
    best: tuple[int, int] | None = None
    for index, names in enumerate(LAYERS):
        if "=" + module in names:
            return index
        for name in names:
            inside = module == name or module.startswith(name + ".")
            if inside and (best is None or len(name) > best[0]):
                best = (len(name), index)
    if best is not None:
        return best[1]
    package, _, name = module.rpartition(".")
    if package == "ziett" and not name.startswith("_"):
        return 0
    raise LookupError(module)


def cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One import cycle, as the modules along it, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = 1
        path.append(module)
        for target in sorted(edges.get(module, ())):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (found := visit(target)) is not None:
                return found
        path.pop()
        state[module] = 2
        return None

    for module in sorted(edges):
        if module not in state and (found := visit(module)) is not None:
            return found
    return None


def test_the_import_graph_has_no_cycle() -> None:
    assert cycle(graph()) is None


def test_layers_place_modules_as_written() -> None:
    assert layer_of("ziett") == 0 and layer_of("ziett.hooks") == 0
    assert layer_of("ziett._throttle") == len(LAYERS) - 1
    assert layer_of("ziett._throttle.redis") == layer_of("ziett._transport")
    assert layer_of("ziett.resources._classes") < layer_of("ziett.jobs.bulk")
    assert layer_of("ziett.jobs.bulk") < layer_of("ziett.resources.messages")
    with pytest.raises(LookupError):
        layer_of("ziett._unplaced")


def test_every_module_has_a_layer() -> None:
    unplaced = []
    for module in graph():
        try:
            layer_of(module)
        except LookupError:
            unplaced.append(module)
    assert unplaced == [], "place these in LAYERS (and .importlinter)"


def test_imports_point_down() -> None:
    upward = [
        f"{module} -> {target}"
        for module, targets in graph().items()
        for target in targets
        if layer_of(target) < layer_of(module)
    ]
    assert upward == []


def test_the_sandbox_uses_only_the_rules_and_the_bottom() -> None:
    allowed = {layer_of(name.lstrip("=")) for name in SANDBOX_MAY_IMPORT}
    allowed.add(layer_of("ziett.sandbox"))
    leaks = [
        f"{module} -> {target}"
        for module, targets in graph().items()
        if module.startswith("ziett.sandbox")
        for target in targets
        if layer_of(target) not in allowed
    ]
    assert leaks == []


def test_the_policy_knows_nothing_of_clients_or_jobs() -> None:
    policy = LAYERS[7]
    above = ("ziett._client", "ziett.jobs", "ziett.resources", "ziett._methods", "ziett.cli")
    leaks = [
        f"{module} -> {target}"
        for module, targets in graph().items()
        if layer_of(module) == LAYERS.index(policy)
        for target in targets
        if target.startswith(above)
    ]
    assert leaks == []


@pytest.mark.parametrize(
    ("edges", "expected"),
    [
        ({"a": {"b"}, "b": {"c"}, "c": set()}, None),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}}, ["a", "b", "c", "a"]),
    ],
)
def test_the_cycle_finder_finds_cycles(
    edges: dict[str, set[str]], expected: list[str] | None
) -> None:
    assert cycle(edges) == expected


def test_function_local_and_type_checking_imports_count(tmp_path: Path) -> None:
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from ziett._client import Ziett\n"
        "def f():\n    from ziett.jobs import bulk\n"
    )
    path = tmp_path / "m.py"
    path.write_text(source)
    known = modules()
    assert set(imported("ziett._steps", path, known)) == {"ziett._client", "ziett.jobs.bulk"}
