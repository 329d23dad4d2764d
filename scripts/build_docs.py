"""Build the documentation site into site/ with warnings as errors, then check its links.

``make docs`` runs this. Sphinx runs with ``-W --keep-going`` and nitpicky mode (set in
docs/conf.py), so a warning of any kind fails the build: a broken cross-reference, an
unknown ``#anchor`` in a Markdown link, a page missing from the table of contents, a
docstring autodoc cannot read. Then every ``href`` and ``src`` of the built HTML that
stays inside the site is followed: the file must exist and its ``#fragment`` must be an
``id`` on that page. External links are listed, not fetched (no network here).

Exit status 0 when the site is built and every internal link resolves.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "docs"
SITE = ROOT / "site"


class _Page(HTMLParser):
    """The ids a page defines and the links it makes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for key in ("id", "name"):
            if values.get(key) and (key == "id" or tag == "a"):
                self.ids.add(values[key] or "")
        for key in ("href", "src"):
            link = values.get(key)
            if link and not (tag == "link" and values.get("rel") in {"canonical"}):
                self.links.append(link)


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def check_links(site: Path) -> tuple[list[str], set[str]]:
    """Problems with the site's internal links, and the external addresses it links to."""
    pages = {path: _parse(path) for path in site.rglob("*.html")}
    problems: list[str] = []
    external: set[str] = set()
    for path, page in sorted(pages.items()):
        for link in page.links:
            parts = urlsplit(link)
            if parts.scheme in {"http", "https", "mailto"} or link.startswith("//"):
                external.add(link)
                continue
            if parts.scheme or link.startswith("javascript:"):
                problems.append(f"{path.relative_to(site)}: unexpected link {link!r}")
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if target.is_dir():
                target = target / "index.html"
            where = f"{path.relative_to(site)}: {link!r}"
            if not target.is_relative_to(site.resolve()) or not target.exists():
                problems.append(f"{where} points at a missing file")
                continue
            if parts.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else _parse(target).ids
                if unquote(parts.fragment) not in ids:
                    problems.append(f"{where}: no id {parts.fragment!r} on that page")
    return problems, external


def build(site: Path) -> int:
    """Run Sphinx into ``site``; its exit status."""
    from sphinx.cmd.build import build_main

    if site.exists():
        shutil.rmtree(site)
    with tempfile.TemporaryDirectory(prefix="ziett-doctrees-") as doctrees:
        return build_main(
            ["-W", "--keep-going", "-q", "-E", "-b", "html", "-d", doctrees, str(SOURCE), str(site)]
        )


def main() -> int:
    """Build, check; the process exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=SITE, help="where to build (default site/)")
    args = parser.parse_args()
    started = time.monotonic()
    status = build(args.site)
    if status != 0:
        print("docs: the Sphinx build failed (warnings are errors): see above", file=sys.stderr)
        return status
    problems, external = check_links(args.site)
    for problem in problems:
        print(f"docs: broken link: {problem}", file=sys.stderr)
    if problems:
        return 1
    pages = sum(1 for _ in args.site.rglob("*.html"))
    print(
        f"docs: {pages} pages built into {args.site} in {time.monotonic() - started:.1f}s; "
        f"every internal link resolves ({len(external)} external links not fetched)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
