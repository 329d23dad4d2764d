"""The public methods of ``client.messages`` and ``client.campaigns``, and what builds each.

Each method is written once, as a *builder*: a function with the method's explicit
parameters and docstring that checks its arguments and returns what to run.
``make generate`` (scripts/generate_resources.py) reads this table and writes
``ziett/resources/_classes.py``, the typed async, sync and ``with_raw_response`` classes
that hand the builder's result to their flavour's runner. Kinds: ``call`` (an Operation
or a job Plan), ``list`` (a Listing: a pager) and ``stream`` (a Stream: an iterator).
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
