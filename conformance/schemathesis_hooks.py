"""Schemathesis hooks for `make conformance`: test data that references real records.

A send or a batch names a Sender ID, which must exist in the organisation (the
docs: "configured in your organization"); a random UUID is rightly refused with
422. Schema-valid remitter ids are swapped for the sandbox's own approved one,
so positive tests reach the API's core logic. Invalid ones are left alone, so
negative tests stay negative.
"""

from __future__ import annotations

import os
import re
from typing import Any

import schemathesis

_V7 = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-7[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$"
)
_UUID = re.compile(r"^[0-9a-fA-F]{8}-?([0-9a-fA-F]{4}-?){3}[0-9a-fA-F]{12}$")


@schemathesis.hook
def before_call(context: Any, case: Any, **kwargs: Any) -> None:
    """Swap a schema-valid remitter_id for the sandbox's approved Sender ID (every phase)."""
    body = case.body
    if not (isinstance(body, dict) and isinstance(body.get("remitter_id"), str)):
        return
    batch = case.path.endswith("/batch")
    if (_V7 if batch else _UUID).match(body["remitter_id"]):
        body["remitter_id"] = os.environ["ZIETT_SANDBOX_REMITTER_ID"]
