"""What the inbox page shows, as one JSON document built from the state.

Phones (every number that received something, most recent first), the selected
phone's conversation (oldest first, newest last, as a phone shows it) with each
message's status, segments, cost and campaign, the campaigns with their
progress (messages per status), the balance and the pending faults. Built under
the sandbox's lock by :meth:`Sandbox.inbox`, served by ``GET /_sandbox/inbox``
and streamed by the HTTP app's ``/_sandbox/events``.
"""

from __future__ import annotations

from typing import Any

from ziett import _constraints as limits
from ziett.sandbox._billing import money, segments
from ziett.sandbox._ids import iso
from ziett.sandbox._records import Campaign, Message
from ziett.sandbox._responses import JSON
from ziett.sandbox._state import State


def build(state: State, phone: str | None, **extra: Any) -> JSON:
    """The inbox's document for ``phone`` (None: the most recently active phone).

    :param state: the organisation, already caught up with the clock.
    :param phone: the E.164 number whose conversation to include.
    :param extra: more top-level fields (e.g. ``pending_faults``).
    """
    latest: dict[str, Message] = {}
    counts: dict[str, int] = {}
    for message in state.messages:
        latest[message.e164] = message
        counts[message.e164] = counts.get(message.e164, 0) + 1
    phones = sorted(latest.values(), key=lambda message: message.seq, reverse=True)
    selected = phone if phone is not None else (phones[0].e164 if phones else None)
    return {
        "balance": money(state.balance),
        "price_per_segment": money(state.price),
        "messages": len(state.messages),
        "phones": [
            {
                "e164": last.e164,
                "messages": counts[last.e164],
                "last_status": last.status,
                "last_content": last.content[:80],
                "last_at": iso(last.updated),
            }
            for last in phones
        ],
        "phone": selected,
        "conversation": [
            _bubble(message) for message in state.messages if message.e164 == selected
        ],
        "campaigns": [_progress(campaign) for campaign in reversed(state.campaigns)],
        **extra,
    }


def _bubble(message: Message) -> JSON:
    campaign = message.campaign
    return {
        "id": message.id,
        "content": message.content,
        "status": message.status,
        "segments": segments(message.content),
        "cost": money(message.cost),
        "sender": message.remitter.name,
        "campaign": {"id": campaign.id, "name": campaign.name} if campaign else None,
        "error_code": message.error_code,
        "is_refunded": message.is_refunded,
        "created_at": iso(message.created),
        "updated_at": iso(message.updated),
    }


def _progress(campaign: Campaign) -> JSON:
    by_status = dict.fromkeys(limits.MESSAGE_STATUS_VALUES, 0)
    for message in campaign.messages:
        by_status[message.status] = by_status.get(message.status, 0) + 1
    return {
        "id": campaign.id,
        "name": campaign.name,
        "status": campaign.status,
        "total": len(campaign.messages),
        "by_status": by_status,
        "created_at": iso(campaign.created),
    }
