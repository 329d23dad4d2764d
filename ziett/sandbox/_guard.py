"""Who may drive the sandbox: its own names in ``Host``, its own page in ``Origin``.

A sandbox on 127.0.0.1 is reachable by every web page its user visits. A ``Host`` that
is not one of its own names is refused (DNS rebinding: 421), as is every request a page
of another origin makes (403, before it is logged) and every state-changing control
request whose body is not JSON (415). Pure functions on :class:`httpx.Request`; imports
only the error type of :mod:`~ziett.sandbox._responses`.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Collection, Iterable
from typing import Final

import httpx

from ziett.sandbox._responses import ApiError

LOCAL_NAMES: Final = frozenset({"localhost", "127.0.0.1", "::1"})
"""The loopback names every sandbox answers to."""
_READ_ONLY_METHODS: Final = frozenset({"GET", "HEAD"})
# Sec-Fetch-Site: what Chromium, Firefox and Safari say about where a request comes from.
_FOREIGN_SITES: Final = frozenset({"cross-site", "same-site"})


def normalise_host(name: str) -> str:
    """``name`` as it is compared: lower case, without IPv6 brackets or a trailing dot.

    :param name: a host name or address (``Sandbox.local``, ``[::1]``, ``10.0.0.5``).
    """
    name = name.strip().lower().rstrip(".")
    return name[1:-1] if name.startswith("[") and name.endswith("]") else name


def own_names(bound: str | None, allowed: Iterable[str] = ()) -> frozenset[str]:
    """The names a sandbox answers to: loopback, its bound address, ``allowed``.

    :param bound: the local address of the connection the request came on (the ASGI
        ``server``); used only when it is an IP address, as a socket's always is (an
        in-process transport puts the URL's host there, which proves nothing).
    :param allowed: names added by the user (``--allow-host``, ``allowed_hosts=``).
    """
    extra = {normalise_host(name) for name in allowed if name.strip()}
    if bound and _is_address(normalise_host(bound)):
        extra.add(normalise_host(bound))
    return LOCAL_NAMES | extra


def _is_address(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def host_of(value: str) -> str | None:
    """The name in a ``Host`` header (``name``, ``name:port``, ``[v6]:port``); None if malformed.

    :param value: the header's value.
    """
    value = value.strip()
    if not value or any(c.isspace() or c in "/\\@?#" for c in value):
        return None
    if value.startswith("["):
        name, bracket, rest = value[1:].partition("]")
        if not bracket or (rest and not (rest[0] == ":" and rest[1:].isdigit())):
            return None
        return normalise_host(name)
    name, colon, port = value.partition(":")
    if colon and not port.isdigit():
        return None
    return normalise_host(name) or None


def check_host(header: str, names: Collection[str]) -> None:
    """Refuse a request whose ``Host`` is not one of ``names`` (DNS rebinding).

    :param header: the request's ``Host`` header as received ("" when it had none).
    :param names: the sandbox's own names (:func:`own_names`).
    :raises ApiError: 421 MISDIRECTED_REQUEST.
    """
    if host_of(header) in names:
        return
    shown = header[:100] if header.isprintable() else repr(header[:100])
    raise ApiError(
        421,
        "MISDIRECTED_REQUEST",
        f"This sandbox does not answer to the host {shown!r}: it answers to localhost, "
        "127.0.0.1, [::1] and its own address. Start it with --allow-host NAME "
        "(allowed_hosts= in Python) to add a name.",
        service="sandbox",
    )


def from_foreign_page(request: httpx.Request) -> bool:
    """Whether a browser says the request comes from a page of another origin.

    ``Sec-Fetch-Site`` (``cross-site``, ``same-site``: another port of 127.0.0.1 is
    same-site) or an ``Origin`` that is not the one the request was addressed to.
    Programs (the SDK, httpx, curl) send neither: never foreign.

    :param request: the incoming request.
    """
    origin = request.headers.get("origin")
    site = request.headers.get("sec-fetch-site", "").strip().lower()
    return site in _FOREIGN_SITES or (origin is not None and not _same_origin(origin, request))


def check_origin(request: httpx.Request) -> None:
    """Refuse any API or control request made by a page of another origin.

    Such a request could not read its answer anyway (no CORS header is ever sent),
    and refused here it is neither logged nor hit by a pending fault: a foreign page
    changes nothing, not even the request log.

    :param request: the incoming request.
    :raises ApiError: 403 CROSS_ORIGIN_REFUSED.
    """
    if from_foreign_page(request):
        raise ApiError(
            403,
            "CROSS_ORIGIN_REFUSED",
            "The sandbox takes requests from its own page or from programs only, not "
            "from a page of another origin.",
            service="sandbox",
        )


def check_control(request: httpx.Request) -> None:
    """Refuse a state-changing control request whose body is not JSON.

    Passes ``application/json`` or no body at all; refuses anything else (415): an
    HTML form cannot send JSON, and a cross-origin ``fetch`` of JSON needs a
    preflight the sandbox never grants (:func:`check_origin` runs first).

    :param request: the incoming control request.
    :raises ApiError: 415 UNSUPPORTED_MEDIA_TYPE.
    """
    if request.method in _READ_ONLY_METHODS:
        return
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if (media_type or request.content.strip()) and media_type != "application/json":
        raise ApiError(
            415,
            "UNSUPPORTED_MEDIA_TYPE",
            "The control API takes application/json bodies only "
            f"(got {media_type or 'no Content-Type'!r}).",
            service="sandbox",
        )


def _same_origin(origin: str, request: httpx.Request) -> bool:
    """Whether ``origin`` is the origin the request was addressed to (its ``Host``)."""
    try:
        url = httpx.URL(origin.strip())
        own = httpx.URL(f"{url.scheme}://{request.headers.get('host', '')}")
    except (httpx.InvalidURL, ValueError, TypeError):
        return False  # "null", garbage: never the sandbox's own page
    if url.scheme not in ("http", "https") or url.raw_path not in (b"", b"/"):
        return False
    return (normalise_host(url.host), url.port) == (normalise_host(own.host), own.port)
