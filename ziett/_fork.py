"""What a forked child must redo, registered with ``os.register_at_fork`` on first use.

Importing ``ziett`` registers nothing: the clients and the throttles call
:func:`after_fork_in_child` when they first make something a child must not
inherit (a lock another thread may hold, a connection). Imports only the
standard library.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable

_handlers: list[Callable[[], None]] = []
_lock = threading.Lock()
_registered = False


def after_fork_in_child(handler: Callable[[], None]) -> None:
    """Run ``handler`` in every child forked after this call (once, however often asked).

    The first call of the process registers the one ``os.register_at_fork``
    hook that runs every handler; a child inherits both the hook and the list.
    """
    global _registered
    with _lock:
        if handler in _handlers:
            return
        _handlers.append(handler)
        if not _registered and hasattr(os, "register_at_fork"):  # absent on Windows
            os.register_at_fork(after_in_child=_run_handlers)
            _registered = True


def _run_handlers() -> None:
    # The list's lock may have been held by another thread at fork time.
    global _lock
    _lock = threading.Lock()
    for handler in list(_handlers):
        handler()
