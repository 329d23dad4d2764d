"""Sphinx configuration of the documentation site (``make docs`` builds it into site/).

Sphinx 8.2 with Furo and MyST-Parser: the pages are Markdown (MyST), the API reference is
generated from the docstrings of the code (autodoc + napoleon for the Google-style ``Args:``).
``scripts/build_docs.py`` runs the build with warnings as errors and ``nitpicky`` on, so a
broken cross-reference, a missing page in the table of contents or an unknown anchor fails it;
it then checks every internal link of the built HTML. ``tests/test_docs.py`` runs every Python
block of these pages against the sandbox.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ziett import __version__  # noqa: E402

project = "ziett"
author = "ziett-python developers"
copyright = "ziett-python developers"
version = release = __version__

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
]
source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "**/__pycache__"]
templates_path: list[str] = []

# MyST: GitHub-style anchors for "#a-heading" links (checked by the build), ::: fences.
myst_heading_anchors = 3
myst_enable_extensions = ["colon_fence", "deflist", "fieldlist"]

# The reference: signatures stay short (names without their private module paths),
# the types go into the parameter lists.
add_module_names = False
autodoc_typehints = "description"
autodoc_typehints_description_target = "documented_params"
autodoc_member_order = "bysource"
autodoc_class_signature = "separated"
napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_use_rtype = False
napoleon_attr_annotations = True

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


def _napoleon_except_attributes(napoleon: Any) -> Any:
    """Napoleon for classes, functions and modules only.

    On an attribute's docstring napoleon reads ``"Text: more text"`` as ``type: text``;
    the docstrings of this package's constants and properties are sentences.
    """

    def process(app: Any, what: str, name: str, obj: Any, options: Any, lines: list[str]) -> None:
        if what in {"attribute", "data", "property"}:
            return
        if what == "class" and getattr(obj, "__module__", "").startswith("ziett_client."):
            _attributes_section_of_models(lines)
        napoleon(app, what, name, obj, options, lines)

    return process


def setup(app: Any) -> None:
    app.connect("missing-reference", _public_reference)
    from sphinx.ext.napoleon import _process_docstring

    listeners = app.events.listeners["autodoc-process-docstring"]
    for index, listener in enumerate(listeners):
        if listener.handler is _process_docstring:
            listeners[index] = listener._replace(
                handler=_napoleon_except_attributes(_process_docstring)
            )
