"""Exit codes, and one line on stderr for every failure (a traceback only with --verbose).

The exit codes are part of the command line's contract (scripts branch on them)::

    0    success
    1    the API answered with an error, or could not be reached
    2    usage error: a bad option or argument, a number or text refused before
         anything was sent, no API key or sender ID
    3    the outcome of a send is unknown: it may have been sent (check before
         sending again)
    4    waited (--wait, campaigns wait) and timed out
    130  interrupted (Ctrl+C)

The message of an error is the SDK's: status, code, message and trace id, the
fields at fault. The API key is never part of it (the SDK never echoes it).
"""

from __future__ import annotations

import contextlib
import sys
import traceback
from collections.abc import Iterator
from typing import Final, NoReturn

import typer

from ziett._errors import (
    APIConnectionError,
    APIError,
    InvalidRequestError,
    WaitTimeoutError,
    ZiettError,
)

__all__ = [
    "EXIT_API_ERROR",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_TIMED_OUT",
    "EXIT_UNKNOWN_OUTCOME",
    "EXIT_USAGE",
    "describe",
    "exit_code",
    "fail",
    "reporting",
]

EXIT_OK: Final = 0
EXIT_API_ERROR: Final = 1
EXIT_USAGE: Final = 2
EXIT_UNKNOWN_OUTCOME: Final = 3
EXIT_TIMED_OUT: Final = 4
EXIT_INTERRUPTED: Final = 130


def exit_code(error: ZiettError) -> int:
    """The exit code for an error of the SDK (see the module's table)."""
    if error.may_have_been_sent:
        return EXIT_UNKNOWN_OUTCOME
    if isinstance(error, WaitTimeoutError):
        return EXIT_TIMED_OUT
    if isinstance(error, InvalidRequestError):
        return EXIT_USAGE  # refused by a client-side check: nothing was sent
    if isinstance(error, APIError | APIConnectionError):
        return EXIT_API_ERROR
    return EXIT_USAGE  # configuration: no API key, an unusable one


def describe(error: BaseException) -> str:
    """The one line shown for ``error``."""
    if isinstance(error, APIConnectionError):
        kind = "timeout" if "Timeout" in type(error).__name__ else "connection error"
        text = f"{kind}: {error}"
    elif isinstance(error, WaitTimeoutError):
        text = f"timed out: {error}"
    else:
        text = str(error) or type(error).__name__
        fields = getattr(error, "fields", None)
        message = getattr(error, "message", None)
        if fields and isinstance(message, str) and all(why in message for why in fields.values()):
            text = text.split("; fields: ", 1)[0]  # the message already says it: not twice
    if isinstance(error, ZiettError) and error.may_have_been_sent:
        text += " - it may have been sent: check (ziett messages list) before sending again"
    return "error: " + " ".join(text.split())


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    """Print ``error: message`` on stderr and exit with ``code``."""
    print(f"error: {message}", file=sys.stderr)
    raise typer.Exit(code)


@contextlib.contextmanager
def reporting(verbose: bool, interrupted: str = "interrupted") -> Iterator[None]:
    """Turn SDK errors and Ctrl+C inside the block into one line and an exit code.

    Args:
        verbose: Also print the traceback (before the line, so the line stays last).
        interrupted: What to say on Ctrl+C.
    """
    try:
        yield
    except KeyboardInterrupt:
        print(f"\n{interrupted}", file=sys.stderr)
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except ZiettError as error:
        if verbose:
            traceback.print_exc(file=sys.stderr)
        print(describe(error), file=sys.stderr)
        raise typer.Exit(exit_code(error)) from None
