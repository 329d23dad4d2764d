"""What every command shares: the root options, the sender ID, the common options.

Kept apart from the command modules so :mod:`ziett.cli._app` and
:mod:`ziett.cli._campaigns` both import it and not each other.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlsplit

import typer

from ziett import phone
from ziett._client import Ziett
from ziett._config import display_url as safe_url
from ziett._config import resolve_base_url
from ziett._errors import InvalidRequestError
from ziett.cli._errors import fail

__all__ = [
    "DEFAULT_WAIT_SECONDS",
    "ENV_REMITTER_ID",
    "CountryOption",
    "FromOption",
    "JsonOption",
    "Settings",
    "TimeoutOption",
    "UtcOption",
    "WaitOption",
    "check_base_url",
    "number",
    "option_words",
    "parts",
    "positive_timeout",
    "remitter",
    "safe_url",
    "settings",
]

ENV_REMITTER_ID = "ZIETT_REMITTER_ID"
ENV_BASE_URL = "ZIETT_BASE_URL"
DEFAULT_WAIT_SECONDS = 300.0


@dataclass(frozen=True, slots=True)
class Settings:
    """The root options, shared by every command through ``ctx.obj``."""

    api_key: str | None
    base_url: str | None
    verbose: bool

    def __repr__(self) -> str:  # never the key nor URL credentials, even in a traceback
        url = None if self.base_url is None else safe_url(self.base_url)
        return f"Settings(base_url={url!r}, verbose={self.verbose})"

    @property
    def server(self) -> str:
        """``host[:port]`` of the server the commands talk to (never credentials)."""
        try:
            return urlsplit(resolve_base_url(self.base_url)[0]).netloc
        except (ValueError, InvalidRequestError):
            return "?"

    def client(self) -> Ziett:
        """A blocking client: the options, else the environment (read by the SDK).

        A base URL that is not an http(s) URL is a usage error (exit 2), not a
        connection error: nothing could have been sent.
        """
        if self.base_url:
            check_base_url(self.base_url, "--base-url")
        elif os.environ.get(ENV_BASE_URL):
            check_base_url(os.environ[ENV_BASE_URL], ENV_BASE_URL)
        return Ziett(api_key=self.api_key, base_url=self.base_url)


def check_base_url(url: str, source: str) -> None:
    """A usage error unless ``url`` is ``http(s)://host[:port][/path]``."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        parts = None
    if (
        parts is None
        or parts.scheme.lower() not in ("http", "https")
        or not parts.hostname
        or any(char.isspace() for char in url)
    ):
        fail(f"{source} {safe_url(url)!r} is not a URL: use http:// or https:// and a host")


def settings(ctx: typer.Context) -> Settings:
    """The root options of this invocation."""
    found = ctx.find_object(Settings)
    return found if found is not None else Settings(None, None, False)


def remitter(option: str | None) -> str:
    """The sender ID: ``--from``, else ``ZIETT_REMITTER_ID``; a usage error without one."""
    value = option or os.environ.get(ENV_REMITTER_ID, "").strip()
    if not value:
        fail(f"no sender ID: pass --from SENDER_ID or set {ENV_REMITTER_ID}")
    return value


def option_words(text: str) -> str:
    """The SDK's words for a number's country as the command line's: ``--country``."""
    return re.sub(r"\bcountry_alpha2\b", "--country", text)


def number(value: str, country: str | None, option: str = "--to") -> str:
    """``value`` in E.164 form, else a usage error saying what is wrong, in one sentence."""
    try:
        return phone.normalize(value, country_alpha2=country, field=option)
    except InvalidRequestError as error:
        if option in error.fields:
            fail(option_words(f"{option}: {error.fields[option]}"))
        if "country_alpha2" in error.fields:
            fail(f"--country {country!r}: {error.fields['country_alpha2']}")
        raise


JsonOption = Annotated[bool, typer.Option("--json", help="One JSON document on stdout.")]
UtcOption = Annotated[
    bool, typer.Option("--utc", help="Show times in UTC (default: the local time zone).")
]
WaitOption = Annotated[
    bool, typer.Option("--wait", help="Wait until delivered or failed (see --timeout).")
]


def positive_timeout(value: float) -> float:
    """``--timeout``: more than 0 seconds, checked while parsing (so before anything is sent)."""
    if not value > 0:  # also NaN
        raise typer.BadParameter(f"{value:g} is not a number of seconds above 0")
    return value


TimeoutOption = Annotated[
    float,
    typer.Option(
        "--timeout", help="Seconds --wait waits at most (above 0).", callback=positive_timeout
    ),
]
FromOption = Annotated[
    str | None,
    typer.Option("--from", help=f"Sender ID (default: {ENV_REMITTER_ID}).", show_default=False),
]
CountryOption = Annotated[
    str | None,
    typer.Option("--country", help="Country of local numbers (ISO code, e.g. AO)."),
]


def parts(count: int) -> str:
    """``"1 part"``, ``"3 parts"``."""
    return f"{count} part" if count == 1 else f"{count} parts"
