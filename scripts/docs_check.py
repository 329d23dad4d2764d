"""The built documentation site in a real browser: headless Chromium driven by Playwright.

``make docs-check`` runs this after ``make docs``. It serves site/ on a local port and
checks, as a reader sees them, that the home page renders, that a reference page shows
the generated API (``Campaigns.send_bulk`` with its parameters) without generator
internals, and that search finds ``send_bulk``; it writes screenshots (site/screenshot.png
unless ``--screenshot``, the clients' reference beside it). Debian's chromium
(``CHROMIUM`` overrides the path), no network. Exit status 0 when every check passed.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import re
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from browser import chromium_page, missing_browser
from build_docs import INTERNALS
from playwright.sync_api import Page, expect

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "site"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on a free local port; its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _home(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/index.html")
    expect(page).to_have_title(re.compile(r"^ziett"))
    expect(page.locator("article h1")).to_contain_text("ziett")
    navigation = page.locator(".sidebar-tree")
    for title in ("Quick start", "Sending and the SMS rules", "Audiences of any size", "Testing"):
        expect(navigation).to_contain_text(title)
    expect(page.locator("article")).to_contain_text("pip install ziett")
    expect(page.locator("article")).to_contain_text(re.compile(r"documentation of ziett \d"))
    expect(page.locator("article a", has_text="changelog").first).to_be_visible()


REFERENCE_PAGES = ("clients", "resources", "models", "errors", "helpers", "testing")


def _reference_clean(page: Page, base_url: str) -> None:
    for name in REFERENCE_PAGES:
        page.goto(f"{base_url}/reference/{name}.html")
        text = page.locator("article").inner_text()
        shown = [word for word in INTERNALS if word in text]
        assert not shown, f"reference/{name}.html shows generator internals: {shown}"
    page.goto(f"{base_url}/reference/clients.html")
    signature = page.locator('dt[id$="AsyncZiett"]').first
    expect(signature).to_contain_text("api_key")  # the constructor's parameters, on the class


def _reference(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/reference/resources.html")
    expect(page.locator("article h1")).to_contain_text("Resources")
    entry = page.locator('dt[id$="Campaigns.send_bulk"]')
    expect(entry.first).to_be_visible()
    expect(entry.first).to_contain_text("send_bulk")
    description = page.locator('dt[id$="Campaigns.send_bulk"] + dd').first
    expect(description).to_contain_text("Parameters")
    expect(description).to_contain_text("recipients")


def _search(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/index.html")
    box = page.get_by_role("search").locator("input[name=q]")
    box.fill("send_bulk")
    box.press("Enter")
    page.wait_for_url("**/search.html?q=send_bulk*")
    result = page.locator("#search-results a", has_text="send_bulk").first
    expect(result).to_be_visible(timeout=15_000)
    result.click()
    page.wait_for_url("**/reference/resources.html*send_bulk*")
    expect(page.locator('dt[id$="send_bulk"]').first).to_be_visible()


def _console(kind: str, text: str, errors: list[str]) -> None:
    # A missing file is reported by _missing, with its address.
    if kind == "error" and not text.startswith("Failed to load resource"):
        errors.append(text)


def _missing(url: str, status: int, errors: list[str]) -> None:
    # Browsers ask for /favicon.ico on their own; the site does not link one.
    if status >= 400 and not url.endswith("/favicon.ico"):
        errors.append(f"{status} for {url}")


def main() -> int:
    """Run the checks; the process exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=SITE, help="the built site (make docs)")
    parser.add_argument(
        "--screenshot", type=Path, help="where to write it (default: <site>/screenshot.png)"
    )
    args = parser.parse_args()
    screenshot = args.screenshot or args.site / "screenshot.png"
    if not (args.site / "index.html").exists():
        print(f"No site at {args.site}: run make docs first")
        return 1
    if (problem := missing_browser()) is not None:
        print(problem)
        return 1
    started = time.monotonic()
    with serve(args.site) as base_url, chromium_page("ziett-docs-") as (page, errors):
        page.on("console", lambda m: _console(m.type, m.text, errors))
        page.on("response", lambda r: _missing(r.url, r.status, errors))
        _home(page, base_url)
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(screenshot))
        _reference(page, base_url)
        _reference_clean(page, base_url)
        page.screenshot(path=str(screenshot.with_name(f"reference-{screenshot.name}")))
        _search(page, base_url)
        assert not errors, f"the pages logged errors: {errors}"
    print(f"docs-check: the site works in Chromium ({time.monotonic() - started:.1f}s);")
    print(f"  screenshot written to {screenshot}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
