"""Sphinx configuration of the documentation site (``make docs`` builds it into site/).

Sphinx 8.2 with Furo and MyST-Parser: the pages are Markdown (MyST), the API reference is
generated from the docstrings of the code (autodoc + napoleon for the Google-style ``Args:``),
shown as a user reads it: constructors in the class signature, real types (no generator
sentinels), no attrs-generated methods, no notes about the spec's gaps. ``scripts/build_docs.py``
runs the build with warnings as errors and ``nitpicky`` on; ``tests/test_docs.py`` runs every
Python block of these pages against the sandbox.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any, get_origin

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docutils import nodes  # noqa: E402
from sphinx.ext.napoleon import Config  # noqa: E402
from sphinx.ext.napoleon.docstring import GoogleDocstring  # noqa: E402

import ziett._client  # noqa: E402, F401  (loads the modules whose type aliases _ALIASES reads)
from ziett import __version__  # noqa: E402

project = "ziett"
author = "ziett-python developers"
copyright = "ziett-python developers"
version = release = __version__

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
]
source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "**/__pycache__"]
templates_path: list[str] = []

# MyST: GitHub-style anchors for "#a-heading" links (checked by the build), ::: fences.
myst_heading_anchors = 3
myst_enable_extensions = ["colon_fence", "deflist", "fieldlist", "substitution"]
myst_substitutions = {"version": release}

# The reference: signatures stay short (names without their private module paths),
# the types go into the parameter lists; a class shows its constructor's parameters
# (documented in ``__init__``) as its own.
add_module_names = False
autodoc_typehints = "description"
autodoc_typehints_description_target = "documented_params"
autodoc_typehints_format = "short"
autodoc_member_order = "bysource"
autodoc_class_signature = "mixed"
autoclass_content = "both"


def _spelled_out(alias: object) -> str:
    """A type alias as a reader wants it in a signature: its value, short names."""
    text = re.sub(r"\b(?:[a-z_]\w*\.)+(\w+)", r"\1", str(alias))
    return text.replace("NoneType", "None")


# Aliases of the code's signatures, spelled out where a type names one (``AmbiguousSends``
# says less than ``Literal['raise', 'retry', 'reconcile']``); see _public_reference.
_ALIASES = {
    name: _spelled_out(value)
    for module_name, module in sorted(sys.modules.items())
    if module_name.startswith("ziett.") and not module_name.startswith("ziett.sandbox")
    for name, value in vars(module).items()
    if name[0].isupper() and get_origin(value) is not None
}

# Every cross-reference must resolve, except to libraries this site does not document.
nitpicky = True
_OTHER_LIBRARIES = (
    "httpx|attrs|anyio|pytest|_pytest|uuid|decimal|datetime|collections|typing|types|os|pathlib"
)
_STANDARD_NAMES = (
    "UUID|Decimal|datetime|date|timedelta|Any|Literal|Iterable|Iterator|Mapping|Sequence"
    "|Callable|Awaitable|AsyncIterator|AsyncIterable|Generator|TracebackType|Self|NoneType"
)
nitpick_ignore_regex = [
    (r"py:.*", rf"({_OTHER_LIBRARIES})(\..*)?"),
    (r"py:.*", rf"({_STANDARD_NAMES})"),
    (r"py:class", r"(int|str|float|bool|bytes|dict|list|tuple|set|frozenset|object|None|type)"),
    # The sandbox's own error type, in Sandbox.error_response's signature: not a public name.
    (r"py:class", r"ziett\.sandbox\._responses\.ApiError"),
    (r"py:class", r"(.*\.)?(T|E|ItemT|PageT|HttpClientT)"),  # type variables
    (r"py:class", r"ziett\.sandbox\._faults\.Plan"),  # the sandbox's internal bookkeeping
]

html_theme = "furo"
html_title = f"ziett {release}"
html_short_title = "ziett"
html_static_path: list[str] = []
html_show_sourcelink = False
html_copy_source = False
html_theme_options = {"navigation_with_keys": True}
pygments_style = "friendly"
pygments_dark_style = "monokai"

# Public names of objects whose code lives in private modules: a reference to
# ``ziett._client.AsyncZiett`` (as type hints spell it) resolves to ``ziett.AsyncZiett``.
_PRIVATE_PREFIXES = ("ziett._", "ziett_client.", "ziett.resources.")


_PUBLIC_MODULES = (
    "ziett",
    "ziett.resources._classes",
    "ziett.testing",
    "ziett.sandbox",
    "ziett.sms",
    "ziett.jobs.bulk",
    "ziett.jobs.lifecycle",
    "ziett_client.models",
    "ziett_client.types",
)


def _public_reference(app: Any, env: Any, node: Any, contnode: Any) -> Any:
    if node.get("refdomain") != "py":
        return None
    target = node.get("reftarget", "")
    if target in _ALIASES:  # a type alias: its value, as text
        return contnode.__class__(_ALIASES[target], _ALIASES[target])
    if not target.startswith(_PRIVATE_PREFIXES) and "." in target:
        return None
    name = target.rsplit(".", 1)[-1]
    domain = env.get_domain("py")
    candidates = [target] + [f"{prefix}.{name}" for prefix in _PUBLIC_MODULES]
    for candidate in candidates:
        if candidate in domain.objects:
            node["reftarget"] = candidate
            # "obj": a type hint's class reference may name a type alias documented as data.
            return domain.resolve_xref(
                env, node["refdoc"], app.builder, "obj", candidate, node, contnode
            )
    return None


def _attributes_section_of_models(lines: list[str]) -> None:
    """Un-indent the ``Attributes:`` section of the generated models' docstrings.

    openapi-python-client indents it one level deeper than the docstring's text, which
    reStructuredText reads as a block quote; napoleon needs it at the text's level.
    """
    for start, line in enumerate(lines):
        if line.strip() == "Attributes:":
            indent = len(line) - len(line.lstrip())
            for number in range(start, len(lines)):
                lines[number] = lines[number][indent:] if lines[number].strip() else ""
            return


_SPEC_NOTE = re.compile(r"\s*Not in the docs:.*", re.DOTALL)
_GENERATED = ("Method generated by attrs", "Initialize self.")
_INIT_POINTER = re.compile(r"[;,]?\s*see ``__init__``[^.]*\.")  # the class shows its parameters


def _without_spec_notes(lines: list[str]) -> None:
    """Drop what a docstring says about the gaps of the API's docs (``Not in the docs: ...``
    to the end of its paragraph: a note for maintainers of the spec), pointers to
    ``__init__`` (the class signature shows its parameters) and the docstrings attrs gives
    the methods it writes."""
    kept: list[str] = []
    paragraph: list[str] = []
    for line in [*lines, ""]:
        if line.strip():
            paragraph.append(line)
            continue
        if paragraph:
            indent = paragraph[0][: len(paragraph[0]) - len(paragraph[0].lstrip())]
            text = " ".join(part.strip() for part in paragraph)
            if not text.startswith(_GENERATED):
                if "Not in the docs:" in text or "``__init__``" in text:
                    text = _INIT_POINTER.sub(".", _SPEC_NOTE.sub("", text)).strip()
                    paragraph = [indent + text] if text else []
                kept += paragraph
            paragraph = []
        kept.append(line)
    lines[:] = kept[:-1]


_UNSET = re.compile(r"\s*\|\s*Unset\b|\bUnset\s*\|\s*")


_NONE_FIRST = re.compile(r"(:type[^:]*:\s*)None \| (.+)")


def _without_unset(lines: list[str]) -> None:
    """``None | str | Unset`` read as ``str | None`` in attribute types: the generator's
    placeholder for an absent field is falsy, which is all a reader needs (the page says so)."""
    for number, line in enumerate(lines):
        if ":type" in line:
            lines[number] = _NONE_FIRST.sub(r"\1\2 | None", _UNSET.sub("", line))


# Napoleon's public docstring class, used directly (not as an extension) so it reads
# classes, functions and modules only: on an attribute's docstring napoleon reads
# ``"Text: more text"`` as ``type: text``; the docstrings of this package's constants and
# properties are sentences.
_NAPOLEON = Config(
    napoleon_google_docstring=True,
    napoleon_numpy_docstring=False,
    napoleon_use_rtype=False,
    napoleon_attr_annotations=True,
)


def _process_docstring(
    app: Any, what: str, name: str, obj: Any, options: Any, lines: list[str]
) -> None:
    _without_spec_notes(lines)
    if what not in {"attribute", "data", "property"}:
        if what == "class" and getattr(obj, "__module__", "").startswith("ziett_client."):
            _attributes_section_of_models(lines)
        lines[:] = GoogleDocstring(lines, _NAPOLEON, app, what, name, obj, options).lines()
    _without_unset(lines)


_READ_ONLY = ("ziett_client.", "ziett.jobs.", "ziett.resources.", "ziett._pagination", "ziett._response")


def _model_signature(
    app: Any, what: str, name: str, obj: Any, options: Any, signature: Any, annotation: Any
) -> tuple[str, Any] | None:
    """Models, reports, resources and pagers are handed out, never built by a reader:
    ``class Message``, not its 20 constructor parameters; errors are caught, not raised."""
    if what == "class" and getattr(obj, "__module__", "").startswith(_READ_ONLY):
        return "", annotation
    if what == "exception":
        return "", annotation
    return None


def _skip_generated(app: Any, what: str, name: str, obj: Any, skip: bool, options: Any) -> Any:
    """Leave out constructors as members: a class's signature already shows its own."""
    return True if name in {"__init__", "__new__"} else None


_QUALIFIED = re.compile(r"~(?:\w+\.)+(\w+)")


def _short_type_names(app: Any, doctree: Any) -> None:
    """``~ziett_client.models.send_channel_type.SendChannelType`` left as text by a type the
    Python domain could not parse (a ``Literal`` in a union) reads ``SendChannelType``."""
    for text in list(doctree.findall(nodes.Text)):
        if "~" in text and _QUALIFIED.search(text):
            text.parent.replace(text, nodes.Text(_QUALIFIED.sub(r"\1", str(text))))


def setup(app: Any) -> None:
    app.connect("doctree-read", _short_type_names)
    app.connect("missing-reference", _public_reference)
    app.connect("autodoc-process-signature", _model_signature)
    app.connect("autodoc-skip-member", _skip_generated)
    app.connect("autodoc-process-docstring", _process_docstring)
