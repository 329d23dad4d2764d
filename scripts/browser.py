"""Headless Chromium for the page checks (make ui-check, make docs-check), set up once.

Debian's ``chromium`` (``CHROMIUM`` overrides the path) driven by Playwright with
that executable: no browser download, no network. The flags keep Chromium from
reaching for the network (refused here, many times at each start), and each run
gets a fresh profile. :func:`chromium_page` yields a page and the list of errors
the page logged (script errors, console errors), for the check to assert on.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def missing_browser() -> str | None:
    """What to install when Chromium is not there; None when it is."""
    if Path(CHROMIUM).exists():
        return None
    return f"No Chromium at {CHROMIUM}: apt-get install chromium (or set CHROMIUM)"


@contextmanager
def chromium_page(prefix: str, *flags: str) -> Iterator[tuple[Page, list[str]]]:
    """A fresh headless Chromium page (1280x800) and the errors it logs; closed after.

    :param prefix: the prefix of the temporary profile directory.
    :param flags: more Chromium flags (e.g. ``--host-resolver-rules=...``).
    """
    with tempfile.TemporaryDirectory(prefix=prefix) as profile, sync_playwright() as playwright:
        # Playwright takes the fresh profile itself (it refuses --user-data-dir in args).
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            args=[*FLAGS, *flags],
            viewport={"width": 1280, "height": 800},
        )
        try:
            page = context.pages[0] if context.pages else context.new_page()
            page.set_default_timeout(10_000)
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            yield page, errors
        finally:
            context.close()
