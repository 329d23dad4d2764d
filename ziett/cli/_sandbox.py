"""``ziett sandbox``: serve the local sandbox (the API and its inbox page) until Ctrl+C.

A thin front of ``python -m ziett.sandbox`` (:mod:`ziett.sandbox.__main__`): the
same options, checked here first so that a bad one is one line and exit 2 like
every other command. The sandbox is imported only when the command runs.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated

import typer

from ziett.cli._errors import EXIT_INTERRUPTED, EXIT_USAGE, fail


def sandbox(
    port: Annotated[int, typer.Option("--port", help="Port, 0 for any.")] = 8080,
    host: Annotated[str, typer.Option("--host", help="Interface.")] = "127.0.0.1",
    api_key: Annotated[
        str | None,
        typer.Option(
            "--api-key",
            help="The sandbox's read-write API key (a test key, never a zk_live_ one); "
            "default: a fresh one at every start.",
        ),
    ] = None,
    remitter: Annotated[
        str | None,
        typer.Option(
            "--remitter",
            metavar="UUID",
            help="The id of the sandbox's approved sender; default: a fresh one at every start.",
        ),
    ] = None,
    balance: Annotated[
        str, typer.Option("--balance", metavar="AMOUNT", help="Credits at the start.")
    ] = "1000.00",
    allow_host: Annotated[
        list[str] | None,
        typer.Option(
            "--allow-host",
            metavar="NAME",
            help="Answer to this Host name too (besides localhost, 127.0.0.1, [::1] and the "
            "bound address); repeatable.",
        ),
    ] = None,
    no_rate_limits: Annotated[
        bool, typer.Option("--no-rate-limits", help="Turn the documented rate limits off.")
    ] = False,
) -> None:
    """Serve the local sandbox (the API and its inbox page) until Ctrl+C.

    With --api-key, --remitter and --balance every start is the same; it prints the
    export line that points your app and this command at it.
    """
    from ziett.sandbox import Sandbox
    from ziett.sandbox.__main__ import main as serve
    from ziett.sandbox._asgi import MISSING_UVICORN, bind_socket

    # What can be wrong before serving is the setup's (exit 2, one line): no
    # uvicorn, a bad option, a port in use or an interface that is not this machine's.
    try:
        import uvicorn  # noqa: F401
    except ImportError:
        fail(MISSING_UVICORN)
    # The sandbox's own checks (nothing is served yet): one line and exit 2 each.
    try:
        Sandbox(api_key=api_key)
    except ValueError as exc:
        fail(f"--api-key: {exc}")
    try:
        Sandbox(remitter_id=remitter)
    except ValueError as exc:
        fail(f"--remitter: {exc}")
    try:
        amount = Decimal(balance)
    except InvalidOperation:
        amount = Decimal("NaN")
    if not amount.is_finite() or amount < 0:
        fail(f"--balance must be a non-negative amount such as 100.00, got {balance!r}")
    if port != 0:
        try:
            bind_socket(host, port).close()
        except OSError as exc:
            fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}")
    argv = ["--host", host, "--port", str(port), "--balance", balance]
    argv += ["--api-key", api_key] if api_key is not None else []
    argv += ["--remitter", remitter] if remitter is not None else []
    for name in allow_host or []:
        argv += ["--allow-host", name]
    if no_rate_limits:
        argv.append("--no-rate-limits")
    try:
        code = serve(argv)
    except KeyboardInterrupt:
        code = EXIT_INTERRUPTED
    # 1: it could not start after all (the port taken since): a usage error too.
    raise typer.Exit(EXIT_USAGE if code == 1 else code)
