"""``python -m ziett.sandbox``: serve the Ziett sandbox over HTTP with uvicorn.

Prints the base URL, the inbox page's URL (what the app sent, live, with
buttons to deliver, fail, top up or inject faults), the API key and sender ID,
and the ``export`` line that points the SDK and the CLI at it, then serves until
Ctrl+C. ``--api-key``, ``--remitter`` and ``--balance`` make every start the
same. Needs the ``sandbox`` extra: ``pip install 'ziett[sandbox]'``.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from ziett.sandbox._asgi import MISSING_UVICORN, base_url, bind_socket, create_app
from ziett.sandbox._ids import chosen_api_key, chosen_remitter_id
from ziett.sandbox._sandbox import Sandbox


def _amount(text: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"not a decimal amount: {text!r}") from None
    if not value.is_finite() or value < 0:
        raise argparse.ArgumentTypeError(f"must be a non-negative amount: {text!r}")
    return value


def _api_key(text: str) -> str:
    try:
        return chosen_api_key(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _remitter(text: str) -> str:
    try:
        return chosen_remitter_id(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _limit(text: str) -> tuple[str, tuple[int, float]]:
    route, _, rule = text.rpartition("=")
    count, _, seconds = rule.partition("/")
    try:
        return route.strip(), (int(count), float(seconds))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected 'METHOD PATH=N/SECONDS': {text!r}") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m ziett.sandbox",
        description="Serve a local, stateful fake of the Ziett /c/v1 API.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="port, 0 for any (default 8080)")
    parser.add_argument(
        "--balance", type=_amount, default=Decimal("1000.00"), help="credits (default 1000.00)"
    )
    parser.add_argument(
        "--api-key",
        type=_api_key,
        help="the read-write API key (default: a fresh zk_test_ key at every start)",
    )
    parser.add_argument(
        "--remitter",
        type=_remitter,
        metavar="UUID",
        help="the approved sender's id (default: a fresh UUID at every start)",
    )
    parser.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="answer to this Host name too (besides localhost, 127.0.0.1, [::1] and "
        "the bound address); repeatable",
    )
    parser.add_argument(
        "--price-per-segment",
        type=_amount,
        default=Decimal("0.05"),
        help="price of one SMS segment (default 0.05)",
    )
    parser.add_argument(
        "--no-rate-limits", action="store_true", help="turn the documented rate limits off"
    )
    parser.add_argument(
        "--limit",
        type=_limit,
        action="append",
        default=[],
        metavar="'METHOD PATH=N/SECONDS'",
        help="a rate limit instead of the documented ones, e.g. 'POST /c/v1/messages=20/2'",
    )
    parser.add_argument(
        "--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"]
    )
    return parser


def exports(sandbox: Sandbox, url: str) -> str:
    """The shell line that points the SDK and the ``ziett`` command at a served sandbox.

    :param sandbox: the sandbox served.
    :param url: its base URL.
    """
    values = {
        "ZIETT_API_KEY": sandbox.api_key,
        "ZIETT_BASE_URL": url,
        "ZIETT_REMITTER_ID": sandbox.remitter_id,
    }
    return "export " + " ".join(f"{name}={shlex.quote(value)}" for name, value in values.items())


def _banner(sandbox: Sandbox, url: str, allowed_hosts: Sequence[str]) -> str:
    snapshot = sandbox.snapshot()
    rules = snapshot["rate_limits"]
    limits = ", ".join(f"{route} {n}/{t:g}s" for route, (n, t) in rules.items()) or "off"
    return "\n".join(
        [
            f"Ziett sandbox listening on {url}",
            f"  inbox          {url}/",
            f"  base URL       {url}",
            f"  API key        {sandbox.api_key}",
            f"  read-only key  {sandbox.read_only_api_key}",
            f"  sender ID      {sandbox.remitter_id}",
            f"  balance        {snapshot['balance']} ({snapshot['price_per_segment']} per segment)",
            f"  rate limits    {limits}",
            f"  control API    {url}/_sandbox/state",
            f"  answers to     {', '.join(['localhost', '127.0.0.1', '[::1]', *allowed_hosts])}"
            " and its bound address (--allow-host NAME for more)",
            "Point your app and the ziett command at it:",
            exports(sandbox, url),
            "Press Ctrl+C to stop.",
        ]
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; the process exit status."""
    args = _parser().parse_args(argv)
    try:
        import uvicorn
    except ImportError:
        print(MISSING_UVICORN, file=sys.stderr)
        return 1
    sandbox = Sandbox(
        balance=args.balance,
        price_per_segment=args.price_per_segment,
        rate_limits={} if args.no_rate_limits else (dict(args.limit) or None),
        api_key=args.api_key,
        remitter_id=args.remitter,
    )
    try:
        sock = bind_socket(args.host, args.port)
    except OSError as exc:
        print(f"Cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    with sock:
        print(_banner(sandbox, base_url(sock), args.allow_host), flush=True)
        config = uvicorn.Config(
            create_app(sandbox, allowed_hosts=[*args.allow_host, sock.getsockname()[0]]),
            log_level=args.log_level,
            lifespan="on",
            timeout_keep_alive=30,
            timeout_graceful_shutdown=2,  # open inbox pages hold event streams
        )
        server = uvicorn.Server(config)
        server.run(sockets=[sock])
    # uvicorn stops on SIGINT/SIGTERM and may re-raise the signal or return: either way the
    # sandbox was stopped on purpose (130, as Ctrl+C), unless it never started (1).
    return 130 if server.started else 1


if __name__ == "__main__":
    raise SystemExit(main())
