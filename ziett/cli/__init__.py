"""``ziett``: the Ziett API at a terminal (``pip install "ziett[cli]"``).

``main()`` is the console script and ``python -m ziett.cli``. Typer and Rich come with
the ``cli`` extra only: this module imports neither until ``main()`` runs, and ``import
ziett`` never imports this package; without the extra, ``main()`` says how to install
it. The package: ``_app`` (the Typer app), ``_campaigns`` (``campaigns send``),
``_campaign_outcome`` (``wait | report``), ``_common`` (root options), ``_render``
(tables, JSON, CSV), ``_input`` (files, times) and ``_errors`` (messages, exit codes).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

__all__ = ["MISSING_EXTRA", "main"]

MISSING_EXTRA = 'error: the ziett command needs the cli extra: pip install "ziett[cli]"'


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``ziett`` with ``argv`` (default: the process's arguments); the exit status."""
    try:
        from ziett.cli._app import app
    except ImportError as exc:
        if exc.name is not None and exc.name.split(".")[0] in {"typer", "rich", "click"}:
            print(MISSING_EXTRA, file=sys.stderr)
            return 2
        raise
    try:
        app(args=None if argv is None else list(argv), prog_name="ziett")
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            return exc.code or 0
        print(f"error: {exc.code}", file=sys.stderr)
        return 1
    return 0
