"""The sandbox package's shape: one-way imports between its modules, no second copies.

The graph is read from the source (AST), so an import hidden in a function counts
too: the HTTP adapter may depend on the engine, never the reverse.
"""

from __future__ import annotations

import ast
import graphlib
from pathlib import Path

import ziett.sandbox
from ziett import _config
from ziett.sandbox import DEFAULT_RATE_LIMITS

PACKAGE = Path(ziett.sandbox.__file__).parent


def _imports(path: Path, modules: set[str]) -> set[str]:
    """The modules ``path`` imports; ``from package import module`` counts the module only."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            submodules = {f"{node.module}.{alias.name}" for alias in node.names} & modules
            found.update(submodules or {node.module})
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def _graph() -> dict[str, set[str]]:
    modules = {
        "ziett.sandbox." + ".".join(path.relative_to(PACKAGE).with_suffix("").parts): path
        for path in PACKAGE.rglob("*.py")
    }
    modules = {name.removesuffix(".__init__"): path for name, path in modules.items()}
    return {
        name: {
            other for other in _imports(path, set(modules)) if other in modules and other != name
        }
        for name, path in modules.items()
    }


def test_the_package_has_no_import_cycle() -> None:
    graph = _graph()
    assert len(graph) > 10
    order = list(graphlib.TopologicalSorter(graph).static_order())  # raises CycleError
    assert order.index("ziett.sandbox._sandbox") < order.index("ziett.sandbox._asgi")


def test_the_engine_never_imports_the_http_adapter() -> None:
    graph = _graph()
    adapter = {"ziett.sandbox._asgi", "ziett.sandbox.__main__", "ziett.sandbox.inbox"}
    engine = [name for name in graph if name not in adapter and name != "ziett.sandbox"]
    for name in engine:
        assert not graph[name] & adapter, f"{name} imports the HTTP adapter"


def test_the_rate_limits_are_the_sdks() -> None:
    assert {key: tuple(limit) for key, limit in _config.DEFAULT_RATE_LIMITS.items()} == dict(
        DEFAULT_RATE_LIMITS
    )
