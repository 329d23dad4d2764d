"""Exit codes, and one line ``error: ...`` on stderr for every failure (a traceback only
with --verbose), the command line's usage errors included.

The exit codes are a contract (scripts branch on them): the table is on :func:`exit_code`.
The message of an error is the SDK's: status, code, message and trace id, the fields at
fault; a connection error names the host tried. Neither the API key nor credentials in
a base URL are ever part of it.
"""

from __future__ import annotations

import contextlib
import contextvars
import sys
import traceback
from collections.abc import Iterator
from typing import Any, Final, NoReturn

import typer
from typer.core import TyperGroup

from ziett._errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
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
    "SERVER",
    "Group",
    "describe",
    "exit_code",
    "fail",
    "reporting",
    "usage_error",
]

SERVER: contextvars.ContextVar[str | None] = contextvars.ContextVar("SERVER", default=None)
"""``host[:port]`` of the server this invocation talks to (set by the root options):
named in connection errors."""

EXIT_OK: Final = 0
EXIT_API_ERROR: Final = 1
EXIT_USAGE: Final = 2
EXIT_UNKNOWN_OUTCOME: Final = 3
EXIT_TIMED_OUT: Final = 4
EXIT_INTERRUPTED: Final = 130


def exit_code(error: ZiettError) -> int:
    """The exit code for an error of the SDK.

    The exit codes are part of the command line's contract (scripts branch on them)::

        0    success
        1    the API answered with an error, or could not be reached
        2    usage error: a bad option or argument, a number, text or file refused
             before anything was sent, no API key or sender ID
        3    the outcome of a send is unknown: it may have been sent (check before
             sending again)
        4    waited (--wait, campaigns wait) and timed out
        130  interrupted (Ctrl+C)

    Args:
        error: The SDK's error that ends the command.
    """
    if error.may_have_been_sent:
        return EXIT_UNKNOWN_OUTCOME
    if isinstance(error, WaitTimeoutError):
        return EXIT_TIMED_OUT
    if isinstance(error, InvalidRequestError):
        return EXIT_USAGE  # refused by a client-side check: nothing was sent
    if isinstance(error, APIError | APIConnectionError):
        return EXIT_API_ERROR
    return EXIT_USAGE  # configuration: no API key, an unusable one


def describe(error: BaseException, server: str | None = None) -> str:
    """The one line shown for ``error``; ``server`` (``host[:port]``, no credentials) is
    named in a connection error: which server could not be reached."""
    if isinstance(error, APIConnectionError):
        kind = "timeout" if isinstance(error, APITimeoutError) else "connection error"
        where = f" talking to {server}" if server else ""
        text = f"{kind}{where}: {error}"
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


def usage_error(message: str, command: str | None = None) -> str:
    """The one line shown for a usage error of the command line (a missing option, a bad
    value), pointing to ``--help`` of ``command`` (``ziett send``)."""
    text = " ".join(message.split())
    hint = f" (see '{command} --help')" if command else ""
    return f"error: {text}{hint}"


@contextlib.contextmanager
def reporting(
    verbose: bool, interrupted: str = "interrupted", *, server: str | None = None
) -> Iterator[None]:
    """Turn SDK errors and Ctrl+C inside the block into one line and an exit code.

    Args:
        verbose: Also print the traceback (before the line, so the line stays last).
        interrupted: What to say on Ctrl+C.
        server: ``host[:port]`` of the API server, named in connection errors
            (default: the one the root options and the environment name).
    """
    server = server if server is not None else SERVER.get()
    try:
        yield
    except KeyboardInterrupt:
        print(f"\n{interrupted}", file=sys.stderr)
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except ZiettError as error:
        if verbose:
            traceback.print_exc(file=sys.stderr)
        print(describe(error, server), file=sys.stderr)
        raise typer.Exit(exit_code(error)) from None


class Group(TyperGroup):
    """The root command: click's usage errors in the same one-line style as every other
    (``error: Missing option '--to'. (see 'ziett send --help')``), exit code 2."""

    def main(  # type: ignore[override]
        self,
        args: Any = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """Run the command line; usage errors become one ``error:`` line (see the class)."""
        try:
            result = super().main(
                args=args,
                prog_name=prog_name,
                complete_var=complete_var,
                standalone_mode=False,
                **extra,
            )
        except typer.Abort:
            print("\ninterrupted", file=sys.stderr)
            code = EXIT_INTERRUPTED
        except Exception as error:
            # Click's usage errors (``format_message``, ``exit_code``, ``ctx``: the interface
            # click documents; Typer does not export their classes).
            message = getattr(error, "format_message", None)
            if message is None or not isinstance(getattr(error, "exit_code", None), int):
                raise
            ctx = getattr(error, "ctx", None)
            if ctx is not None and message() == ctx.get_help():
                print(message(), file=sys.stderr)  # a group run without a command: its help
            else:
                print(usage_error(message(), getattr(ctx, "command_path", None)), file=sys.stderr)
            code = error.exit_code  # type: ignore[attr-defined]
        else:
            code = result if isinstance(result, int) else EXIT_OK
        if not standalone_mode:
            return code
        sys.exit(code)
