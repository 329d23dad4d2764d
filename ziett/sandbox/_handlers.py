"""The seven /c/v1 operations: each reads its request, applies the state's rules, answers.

Handlers get the organisation's :class:`~ziett.sandbox._state.State` (the facade
holds the lock, checked the API key, the scope and the rate limit) and a routed
:class:`~ziett.sandbox._routing.Call`. Bodies are checked against the SDK's own
rules (``ziett._constraints``); :data:`API_ROUTES` binds them to the documented
routes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

import httpx

from ziett import _constraints as limits
from ziett.sandbox._numbers import SEPARATORS, to_e164
from ziett.sandbox._queries import Query, message_predicates, page, read_paging
from ziett.sandbox._records import Campaign, Message, Remitter
from ziett.sandbox._responses import (
    body_problems,
    json_object,
    json_response,
    not_found,
    validation_error,
)
from ziett.sandbox._routing import Call, Route
from ziett.sandbox._state import State

_CAMPAIGN_ACCEPTED: Final = "Campaign accepted and is pending processing."


def _remitter_for(state: State, payload: Mapping[str, Any], fields: dict[str, str]) -> Remitter:
    """The body's sender ID; an unknown one is reported on ``remitter_id``."""
    value = payload.get("remitter_id")
    remitter = state.remitter(value) if isinstance(value, str) else None
    if remitter is None and "remitter_id" not in fields:
        fields["remitter_id"] = "Sender ID not found or not approved in your organisation."
    return remitter or state.default_remitter


def _recipients(payload: Mapping[str, Any], fields: dict[str, str]) -> list[tuple[str, bool]]:
    """Each recipient as (E.164 or the number as given, whether it could be read).

    A number that matches the documented pattern but cannot be read (a local number
    without country_alpha2, an impossible number) is not a 422: the docs validate
    and format numbers in the background, so it becomes a FAILED message.
    """
    if any(name.startswith(("recipients", "country_alpha2")) for name in fields):
        return []
    country = payload.get("country_alpha2")
    numbers: list[tuple[str, bool]] = []
    for raw in payload["recipients"]:
        try:
            numbers.append((to_e164(raw, country), True))
        except ValueError:
            numbers.append((SEPARATORS.sub("", raw), False))
    return numbers


def _send_message(state: State, call: Call) -> httpx.Response:
    payload = json_object(call.request)
    fields = body_problems(limits.SEND_MESSAGE, payload)
    remitter = _remitter_for(state, payload, fields)
    if fields:
        raise validation_error(fields)
    message = state.send(
        e164=payload["target_e164"],
        content=payload["content"],
        remitter=remitter,
        save_contact=payload.get("save_contact"),
        t=call.now,
    )
    return json_response(202, {"message_id": message.id})


# Reads like _send_message (parse, check, then act) with the batch's own fields and rules.
def _create_batch_campaign(state: State, call: Call) -> httpx.Response:
    payload = json_object(call.request)
    fields = body_problems(limits.BATCH_CAMPAIGN, payload)
    remitter = _remitter_for(state, payload, fields)
    recipients = _recipients(payload, fields)
    if fields:
        raise validation_error(fields)
    campaign = state.launch(
        name=payload["name"],
        content=payload["content"],
        recipients=recipients,
        country_alpha2=payload.get("country_alpha2"),
        remitter=remitter,
        t=call.now,
    )
    return json_response(202, {"message": _CAMPAIGN_ACCEPTED, "campaign_id": campaign.id})


def _message_page(
    state: State, call: Call, messages: Sequence[Message], *, in_campaign: bool
) -> httpx.Response:
    query = Query(call.request.url.params)
    paging = read_paging(query)
    predicates = message_predicates(query, in_campaign=in_campaign)
    query.raise_problems()
    chosen = [message for message in messages if all(check(message) for check in predicates)]
    return json_response(200, page(chosen, paging, state.message_wire))


def _list_messages(state: State, call: Call) -> httpx.Response:
    return _message_page(state, call, state.messages, in_campaign=False)


def _retrieve_message(state: State, call: Call) -> httpx.Response:
    message = state.message(call.params["message_id"])
    if message is None:
        raise not_found("Message", call.params["message_id"])
    return json_response(200, state.message_wire(message))


def _find_campaign(state: State, call: Call) -> Campaign:
    campaign = state.campaign(call.params["campaign_id"])
    if campaign is None:
        raise not_found("Campaign", call.params["campaign_id"])
    return campaign


def _list_campaigns(state: State, call: Call) -> httpx.Response:
    query = Query(call.request.url.params)
    paging = read_paging(query)
    query.raise_problems()
    return json_response(200, page(state.campaigns, paging, state.campaign_wire))


def _retrieve_campaign(state: State, call: Call) -> httpx.Response:
    return json_response(200, state.campaign_wire(_find_campaign(state, call)))


def _list_campaign_messages(state: State, call: Call) -> httpx.Response:
    campaign = _find_campaign(state, call)
    return _message_page(state, call, campaign.messages, in_campaign=True)


API_ROUTES: Final[tuple[Route[State], ...]] = (
    Route.operation("send_message", _send_message, "messages:send"),
    Route.operation("list_messages", _list_messages, "messages:read"),
    Route.operation("retrieve_message", _retrieve_message, "messages:read"),
    Route.operation("create_batch_campaign", _create_batch_campaign, "campaign:send"),
    Route.operation("list_campaigns", _list_campaigns, "campaign:read"),
    Route.operation("retrieve_campaign", _retrieve_campaign, "campaign:read"),
    Route.operation("list_campaign_messages", _list_campaign_messages, "campaign:read"),
)
"""Every documented operation, bound to its handler and the scope it needs."""
ROUTE_KEYS: Final = frozenset(route.key for route in API_ROUTES)
"""``"METHOD /template"`` of every operation (the keys of rate limits)."""
