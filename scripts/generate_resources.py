"""Write ziett/resources/_classes.py: the resource classes, from their builders.

``ziett/resources/_surface.py`` lists which builder makes which public method; this
script writes, per resource, the async, sync and ``with_raw_response`` classes whose
methods have the builder's explicit signature and docstring and only hand its result
to their flavour's runner. Generated, so the sync/async twins cannot drift apart. A
builder's positional ``ClientDefaults`` parameter is not shown: the method fills it
from its client.
"""

from __future__ import annotations

import ast
import builtins
import importlib
import inspect
import re
import sys
import textwrap
import typing
from pathlib import Path
from types import ModuleType
from typing import Any

REPO = Path(__file__).resolve().parent.parent
TARGET = Path("ziett") / "resources" / "_classes.py"
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")
_GENERIC = re.compile(r"^(Operation|Plan|Listing|Stream)\[(.*)\]$")


class _Imports:
    """The import lines the annotations of the generated methods need."""

    def __init__(self) -> None:
        self.modules: set[str] = set()
        self.names: dict[str, set[str]] = {}

    def name(self, module: str, name: str) -> None:
        self.names.setdefault(module, set()).add(name)

    def annotation(self, text: str, home: ModuleType) -> None:
        for identifier in _IDENTIFIER.findall(re.sub(r"\"[^\"]*\"|'[^']*'", "", text)):
            root = identifier.split(".")[0]
            if hasattr(builtins, root) or any(root in names for names in self.names.values()):
                continue
            value = home.__dict__.get(root)
            if value is None:
                raise SystemExit(f"{home.__name__}: cannot resolve {root!r} in an annotation")
            if isinstance(value, ModuleType):
                self.modules.add(value.__name__)
            elif getattr(value, "__name__", None) == root and hasattr(value, "__module__"):
                module = value.__module__
                if module.startswith("ziett_client.models."):
                    module = "ziett_client.models"
                self.name(module, root)
            else:  # an alias: imported from where it is defined
                self.name(_defining_module(home, root), root)

    def lines(self) -> list[str]:
        out = [f"import {module}" for module in sorted(self.modules)]
        for module in sorted(self.names):
            out.append(f"from {module} import {', '.join(sorted(self.names[module]))}")
        return out


def _defining_module(home: ModuleType, name: str) -> str:
    """The module that defines ``name`` (an alias ``home`` may have imported from elsewhere)."""
    tree = ast.parse(inspect.getsource(home))
    for node in tree.body:
        if (
            isinstance(node, ast.ImportFrom)
            and node.module
            and node.level == 0
            and any((alias.asname or alias.name) == name for alias in node.names)
        ):
            return node.module
    return home.__name__


def _signature(builder: Any, returns: str, imports: _Imports, home: ModuleType) -> str:
    """``(self, a, *, b: T = default)`` with the builder's parameters, then ``-> returns``."""
    parts = ["self"]
    star_done = False
    for parameter in inspect.signature(builder).parameters.values():
        if _from_client(parameter):
            continue
        if parameter.kind is parameter.KEYWORD_ONLY and not star_done:
            parts.append("*")
            star_done = True
        annotation = parameter.annotation
        if not isinstance(annotation, str):
            raise SystemExit(f"{builder.__qualname__}: annotations must be postponed strings")
        imports.annotation(annotation, home)
        text = f"{parameter.name}: {annotation}"
        if parameter.default is not parameter.empty:
            default = parameter.default
            if type(default).__name__ == "NotGiven":
                imports.name("ziett._arguments", "NOT_GIVEN")
                text += " = NOT_GIVEN"
            else:
                text += f" = {default!r}"
        parts.append(text)
    imports.annotation(returns, home)
    return f"({', '.join(parts)}) -> {returns}"


def _from_client(parameter: inspect.Parameter) -> bool:
    """A builder's ``ClientDefaults`` parameter: filled from the client, not shown."""
    return parameter.annotation == "ClientDefaults"


def _arguments(builder: Any, imports: _Imports) -> str:
    out = []
    for parameter in inspect.signature(builder).parameters.values():
        if _from_client(parameter):
            imports.name("ziett._arguments", "ClientDefaults")
            out.append("ClientDefaults.of(self._client)")
        elif parameter.kind is parameter.KEYWORD_ONLY:
            out.append(f"{parameter.name}={parameter.name}")
        else:
            out.append(parameter.name)
    return ", ".join(out)


def _method(
    name: str, builder: Any, alias: str, kind: str, flavour: str, imports: _Imports
) -> str | None:
    """One generated method, or None when the flavour does not have it (raw of a job)."""
    home = sys.modules[builder.__module__]
    match = _GENERIC.match(builder.__annotations__.get("return", ""))
    if match is None:
        raise SystemExit(f"{builder.__qualname__}: return Operation/Plan/Listing/Stream[...]")
    wrapper, inner = match.groups()
    built = f"{alias}.{builder.__name__}({_arguments(builder, imports)})"
    raw = flavour.endswith("raw")
    asynchronous = flavour.startswith("async")
    if kind == "call":
        if raw and wrapper != "Operation":
            return None
        runner = ("raw_" if raw else "call_") + ("async" if asynchronous else "sync")
        returns = f"RawResponse[{inner}]" if raw else inner
        body = f"return {'await ' if asynchronous else ''}{runner}(self._client, {built})"
    elif kind == "list":
        page = inner.split(",")[-1].strip()
        if raw:
            runner = "raw_async" if asynchronous else "raw_sync"
            returns = f"RawResponse[{page}]"
            body = (
                f"return {'await ' if asynchronous else ''}{runner}"
                f"(self._client, {built}.first_page())"
            )
        else:
            pager = "AsyncPager" if asynchronous else "SyncPager"
            returns = f"{pager}[{inner}]"
            body = f"return pager_{'async' if asynchronous else 'sync'}(self._client, {built})"
    elif kind == "stream":
        if raw:
            return None
        returns = f"{'AsyncIterator' if asynchronous else 'Iterator'}[{inner}]"
        runner = "stream_async" if asynchronous else "stream_sync"
        body = f"return {runner}(self._client, {built})"
    else:
        raise SystemExit(f"unknown kind {kind!r}")
    is_coroutine = asynchronous and (kind == "call" or raw)
    signature = _signature(builder, returns, imports, home)
    doc = inspect.getdoc(builder) or ""
    if raw:
        doc = doc.split("\n", 1)[0] + "\n\nReturns the HTTP response; ``.parse()`` gives the model."
    head = f"{'async ' if is_coroutine else ''}def {name}{signature}:"
    quoted = '"""' + doc.replace("\\", "\\\\") + '\n"""'
    return "\n".join([head, textwrap.indent(quoted, "    "), f"    {body}"])


def resources_source() -> str:
    """The text of ziett/resources/_classes.py for the current builders and surface."""
    surface = importlib.import_module("ziett.resources._surface").SURFACE
    imports = _Imports()
    for name in ("call_async", "call_sync", "raw_async", "raw_sync", "stream_async"):
        imports.name("ziett._methods", name)
    imports.name("ziett._methods", "stream_sync")
    imports.name("ziett._methods", "Resource")
    imports.name("ziett._methods", "pager_async")
    imports.name("ziett._methods", "pager_sync")
    imports.name("ziett._pagination", "AsyncPager")
    imports.name("ziett._pagination", "SyncPager")
    imports.name("ziett._response", "RawResponse")
    imports.name("ziett._methods", "Linked")
    imports.name("collections.abc", "AsyncIterator")
    imports.name("collections.abc", "Iterator")
    aliases: dict[str, str] = {}
    classes: list[str] = []
    for resource, methods in surface.items():
        attribute = resource.lower()
        for flavour, class_name, client in (
            ("async", f"Async{resource}", "AsyncZiett"),
            ("sync", resource, "Ziett"),
            ("async-raw", f"Async{resource}WithRawResponse", "AsyncZiett"),
            ("sync-raw", f"{resource}WithRawResponse", "Ziett"),
        ):
            raw = flavour.endswith("raw")
            shown = f"client.{attribute}{'.with_raw_response' if raw else ''}"
            doc = f"``{shown}`` of :class:`ziett.{client}`."
            body = [f'class {class_name}(Resource):\n    """{doc}"""\n\n    _client: Linked']
            for method, target, kind in methods:
                module_name, function = target.split(":")
                module = importlib.import_module(module_name)
                alias = aliases.setdefault(module_name, "_" + module_name.rsplit(".", 1)[-1])
                built = _method(method, getattr(module, function), alias, kind, flavour, imports)
                if built is not None:
                    body.append(textwrap.indent(built, "    "))
            if not raw:
                raw_class = f"{class_name}WithRawResponse"
                body.append(
                    textwrap.indent(
                        "@property\n"
                        f"def with_raw_response(self) -> {raw_class}:\n"
                        '    """The same calls, returning the HTTP response (``.headers``, '
                        '``.parse()``)."""\n'
                        f"    return {raw_class}(self._client)",
                        "    ",
                    )
                )
            classes.append("\n\n".join(body))
    header = [
        '"""The resource classes: generated from their builders by scripts/generate_resources.py.',
        "",
        "Do not edit: change a builder (its signature and docstring are the method's) or",
        "ziett/resources/_surface.py, then run `make generate`.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        *imports.lines(),
        *[
            f"from {m.rsplit('.', 1)[0]} import {m.rsplit('.', 1)[1]} as {a}"
            for m, a in aliases.items()
        ],
        "",
        "__all__ = [" + ", ".join(sorted(repr(c.split("(")[0].split()[1]) for c in classes)) + "]",
        "",
        "",
    ]
    return "\n".join(header) + "\n\n\n".join(classes) + "\n"


def generate_resources(root: Path) -> None:
    """Write ROOT/ziett/resources/_classes.py (ruff-formatted with this repo's settings)."""
    sys.path.insert(0, str(REPO))
    target = root / TARGET
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(resources_source())
    from generate import _ruff

    _ruff("check", "--fix", "--quiet", "--select", "I,F401", str(target))
    _ruff("format", "--quiet", str(target))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    generate_resources(REPO)
    print(f"wrote {TARGET}")
    _ = typing  # keep the import for readers: annotations are resolved by name
