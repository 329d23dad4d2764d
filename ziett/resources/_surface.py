"""The public methods of ``client.messages`` and ``client.campaigns``, and what builds each.

Each method is written once, as a *builder*: a function with the method's
explicit parameters and docstring, which checks its arguments and returns what
to run (an ``Operation``, a job ``Plan``, a ``Listing`` or a ``Stream``).
``make generate`` (scripts/generate_resources.py) reads this table and writes
``ziett/resources/_classes.py``: the async, sync and ``with_raw_response``
classes with explicit, typed methods that only hand the builder's result to the
runner of their flavour (``ziett._methods``). So the behaviour lives once, and
``help()``, IDEs, mypy and pyright see every parameter.

Kinds: ``call`` (an Operation, or a job Plan: awaited / called; raw responses
for Operations only), ``list`` (a Listing: a pager; raw: the first page),
``stream`` (a Stream: an iterator / async iterator).
"""

from __future__ import annotations

from typing import Final, Literal

Kind = Literal["call", "list", "stream"]

SURFACE: Final[dict[str, tuple[tuple[str, str, Kind], ...]]] = {
    "Messages": (
        ("send", "ziett.resources.messages:send", "call"),
        ("retrieve", "ziett.resources.messages:retrieve", "call"),
        ("list", "ziett.resources.messages:list", "list"),
        ("wait", "ziett.jobs.lifecycle:wait_message", "call"),
        ("send_and_wait", "ziett.jobs.lifecycle:send_and_wait", "call"),
        ("wait_many", "ziett.jobs.lifecycle:wait_many", "call"),
        ("watch", "ziett.jobs.watching:watch", "stream"),
    ),
    "Campaigns": (
        ("create_batch", "ziett.resources.campaigns:create_batch", "call"),
        ("send_bulk", "ziett.jobs.bulk:send_bulk", "call"),
        ("retrieve", "ziett.resources.campaigns:retrieve", "call"),
        ("list", "ziett.resources.campaigns:list", "list"),
        ("list_messages", "ziett.resources.campaigns:list_messages", "list"),
        ("wait", "ziett.jobs.lifecycle:wait_campaign", "call"),
        ("report", "ziett.jobs.report:campaign_report", "call"),
    ),
}
"""Resource class name -> (method name, "module:builder", kind), in the order shown."""
