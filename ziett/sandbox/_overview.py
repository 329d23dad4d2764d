"""What the inbox page shows, as one JSON document built from the state.

Phones (most recent first), the selected phone's conversation, the campaigns with their
progress, the balance and the pending faults. Each list holds only the most recent
entries (:data:`PHONES_SHOWN`...) and says how many there are in all, so the document
stays small and quick to build under the sandbox's lock (:meth:`Sandbox.inbox`), however
much traffic the sandbox took.
"""

from __future__ import annotations

import itertools
from typing import Any, Final

from ziett import _constraints as limits
from ziett.sandbox._billing import money, segments
from ziett.sandbox._ids import iso
from ziett.sandbox._records import Campaign, Message
from ziett.sandbox._responses import JSON
from ziett.sandbox._state import State

PHONES_SHOWN: Final = 200
"""The most recently messaged phones the document lists."""
CONVERSATION_SHOWN: Final = 200
"""The latest messages of the selected phone the document lists."""
CAMPAIGNS_SHOWN: Final = 50
"""The most recent campaigns the document lists."""


def build(state: State, phone: str | None, **extra: Any) -> JSON:
    """The inbox's document for ``phone`` (None: the most recently active phone).

    :param state: the organisation, already caught up with the clock.
    :param phone: the E.164 number whose conversation to include.
    :param extra: more top-level fields (e.g. ``pending_faults``).
    """
    phones = list(itertools.islice(reversed(state.by_phone.items()), PHONES_SHOWN))
    selected = phone if phone is not None else (phones[0][0] if phones else None)
    conversation = state.by_phone.get(selected, []) if selected is not None else []
    campaigns = reversed(state.campaigns[-CAMPAIGNS_SHOWN:])
    return {
        "balance": money(state.balance),
        "price_per_segment": money(state.price),
        "messages": len(state.messages),
        "phones": [
            {
                "e164": e164,
                "messages": len(messages),
                "last_status": messages[-1].status,
                "last_content": messages[-1].content[:80],
                "last_at": iso(messages[-1].updated),
            }
            for e164, messages in phones
        ],
        "phones_total": len(state.by_phone),
        "phone": selected,
        "conversation": [_bubble(message) for message in conversation[-CONVERSATION_SHOWN:]],
        "conversation_total": len(conversation),
        "campaigns": [_progress(campaign) for campaign in campaigns],
        "campaigns_total": len(state.campaigns),
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
