"""One organisation's data and the rules that change it: sends, charges and the lifecycle.

:class:`State` holds the API keys and their scopes, the sender IDs, the balance,
and every message, campaign and contact; it prices and charges sends, moves
messages PENDING -> SENT -> DELIVERED (or FAILED, refunded, or UNDELIVERED) and
campaigns PROCESSING -> SENDING -> COMPLETED, step by step on the sandbox's
clock, and writes records in wire form. It knows nothing of HTTP beyond the
:class:`~ziett.sandbox._responses.ApiError` a short balance raises; callers hold
the sandbox's lock.
"""

from __future__ import annotations

import itertools
import secrets
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, Final

from ziett.sandbox._billing import FUNDS_BATCH, FUNDS_MESSAGE, money, segments
from ziett.sandbox._ids import IdFactory, canonical_uuid, iso, new_api_key
from ziett.sandbox._numbers import carrier, fate_of
from ziett.sandbox._records import Campaign, Contact, Message, Remitter
from ziett.sandbox._responses import JSON, ApiError

READ_WRITE: Final = frozenset({"messages:send", "campaign:send", "messages:read", "campaign:read"})
"""The scopes of the sandbox's main API key."""
READ_ONLY: Final = frozenset({"messages:read", "campaign:read"})
"""The scopes of its read-only key."""
OUTCOMES: Final = ("DELIVERED", "FAILED", "UNDELIVERED")
"""The final statuses a message can be sent to by hand (:meth:`State.finish`)."""


class State:
    """One organisation's data and the rules that change it (callers hold the sandbox lock)."""

    def __init__(
        self,
        *,
        balance: Decimal,
        price: Decimal,
        clock0: float,
        step_seconds: float,
        api_key: str | None = None,
        remitter_id: str | None = None,
    ) -> None:
        self.version = 0
        """Moves on every change (what :meth:`Sandbox.version` reports to the inbox)."""
        self.price = price
        self.step_seconds = step_seconds
        self.initial_balance = balance
        self.balance = balance
        self._clock0 = clock0
        self._epoch = datetime.now(UTC)
        self._ids = IdFactory()
        self._seq = itertools.count()
        self.organization_id = self.new_id(clock0)
        self.billing_account_id = self.new_id(clock0)
        self.provider_id = self.new_id(clock0)
        self.api_key = api_key or new_api_key()
        # Given the main key, the read-only one follows from it: a fixed start stays fixed.
        self.read_only_api_key = new_api_key() if api_key is None else api_key + "_read_only"
        self.scopes = {self.api_key: READ_WRITE, self.read_only_api_key: READ_ONLY}
        self.remitters: dict[str, Remitter] = {}
        self.default_remitter = self.add_remitter("Ziett", clock0, remitter_id)
        self.clear()

    @property
    def balance(self) -> Decimal:
        """The credit balance (setting it, by charge, refund or hand, is a change)."""
        return self._balance

    @balance.setter
    def balance(self, amount: Decimal) -> None:
        self._balance = amount
        self.version += 1

    def clear(self) -> None:
        """Forget all traffic and restore the initial balance (keys and sender IDs stay)."""
        self.balance = self.initial_balance
        self.messages: list[Message] = []
        self.campaigns: list[Campaign] = []
        self.contacts: dict[str, Contact] = {}
        self.by_phone: dict[str, list[Message]] = {}
        """Each number's messages, oldest first; the number sent to last comes last."""
        self._messages_by_id: dict[str, Message] = {}
        self._campaigns_by_id: dict[str, Campaign] = {}
        self._live_messages: list[Message] = []
        self._live_campaigns: list[Campaign] = []

    def wall(self, t: float) -> datetime:
        """The UTC date of clock time ``t``."""
        return self._epoch + timedelta(seconds=t - self._clock0)

    def new_id(self, t: float) -> str:
        return self._ids.new(self.wall(t))

    def add_remitter(self, name: str, t: float, remitter_id: str | None = None) -> Remitter:
        remitter = Remitter(remitter_id or self.new_id(t), name)
        self.remitters[remitter.id] = remitter
        self.version += 1
        return remitter

    def remitter(self, remitter_id: str) -> Remitter | None:
        canonical = canonical_uuid(remitter_id)
        return self.remitters.get(canonical) if canonical else None

    def message(self, message_id: str) -> Message | None:
        return self._messages_by_id.get(message_id.lower())

    def campaign(self, campaign_id: str) -> Campaign | None:
        return self._campaigns_by_id.get(campaign_id.lower())

    # Sends ------------------------------------------------------------------------------

    def send(
        self,
        *,
        e164: str,
        content: str,
        remitter: Remitter,
        save_contact: Mapping[str, Any] | None,
        t: float,
    ) -> Message:
        """Price, charge (402 when short) and queue one transactional message."""
        cost = self.price * segments(content)
        self._charge(cost, FUNDS_MESSAGE)
        contact = None if save_contact is None else self._upsert_contact(e164, save_contact, t)
        return self._new_message(
            e164, content, cost, remitter, t, trigger_source="API_CLIENT", contact=contact
        )

    def launch(
        self,
        *,
        name: str,
        content: str,
        recipients: Sequence[tuple[str, bool]],
        country_alpha2: str | None,
        remitter: Remitter,
        t: float,
    ) -> Campaign:
        """Charge the whole batch up front (402 when short) and queue its messages."""
        cost = self.price * segments(content)
        self._charge(cost * len(recipients), FUNDS_BATCH)
        created = self.wall(t)
        campaign = Campaign(
            id=self.new_id(t),
            seq=next(self._seq),
            born=t,
            created=created,
            updated=created,
            name=name,
            remitter=remitter,
            content=content,
            country_alpha2=country_alpha2,
        )
        self.campaigns.append(campaign)
        self._campaigns_by_id[campaign.id] = campaign
        self.version += 1
        self._live_campaigns.append(campaign)
        for number, readable in recipients:
            message = self._new_message(
                number,
                content,
                cost,
                remitter,
                t,
                trigger_source="CAMPAIGN",
                campaign=campaign,
                fate=None if readable else "FAILED",
            )
            campaign.messages.append(message)
        return campaign

    def _charge(self, cost: Decimal, message: str) -> None:
        if self.balance < cost:
            raise ApiError(402, "BILLING_INSUFFICIENT_FUNDS", message, service="billing")
        self.balance -= cost

    def _new_message(
        self,
        e164: str,
        content: str,
        cost: Decimal,
        remitter: Remitter,
        t: float,
        *,
        trigger_source: str,
        campaign: Campaign | None = None,
        contact: Contact | None = None,
        fate: str | None = None,
    ) -> Message:
        created = self.wall(t)
        # Stamped like a campaign in launch (id, order, times), with a message's own fields.
        message = Message(
            id=self.new_id(t),
            seq=next(self._seq),
            born=t,
            created=created,
            updated=created,
            e164=e164,
            content=content,
            cost=cost,
            remitter=remitter,
            trigger_source=trigger_source,
            fate=fate or fate_of(e164),
            channel_destination=carrier(e164),
            campaign=campaign,
            contact=contact,
        )
        self.messages.append(message)
        self._messages_by_id[message.id] = message
        self._live_messages.append(message)
        conversation = self.by_phone.pop(e164, [])  # re-inserted: the latest number last
        conversation.append(message)
        self.by_phone[e164] = conversation
        self.version += 1
        return message

    def _upsert_contact(self, e164: str, data: Mapping[str, Any], t: float) -> Contact:
        moment = self.wall(t)
        contact = self.contacts.get(e164)
        if contact is None:
            contact = Contact(id=self.new_id(t), e164=e164, created=moment, updated=moment)
            self.contacts[e164] = contact
        contact.updated = moment
        self.version += 1
        contact.name = data.get("name", contact.name)
        contact.email = data.get("email", contact.email)
        contact.tags.extend(tag for tag in data.get("tags", ()) if tag not in contact.tags)
        return contact

    # Lifecycle ----------------------------------------------------------------------------

    def catch_up(self, now: float) -> None:
        """Apply every step that is due by clock time ``now`` (auto_advance)."""
        for message in self._live_messages:
            while message.steps < self._due(message.born, now):
                if not self._step_message(message, self._step_time(message.born, message.steps)):
                    break
        for campaign in self._live_campaigns:
            while campaign.steps < self._due(campaign.born, now):
                if not self._step_campaign(
                    campaign, self._step_time(campaign.born, campaign.steps)
                ):
                    break
        self._prune()

    def step_all(self, t: float) -> int:
        """Move every unfinished message and campaign one step; the number of changes."""
        changed = sum(self._step_message(message, t) for message in self._live_messages)
        changed += sum(self._step_campaign(campaign, t) for campaign in self._live_campaigns)
        self._prune()
        return changed

    def finish(self, message: Message, outcome: str, t: float) -> int:
        """Move an unfinished ``message`` to ``outcome`` now; the number of steps taken.

        DELIVERED and UNDELIVERED pass through SENT; FAILED (refunded) is only
        reachable from PENDING, as in the documented lifecycle.

        :param message: the message to finish.
        :param outcome: one of :data:`OUTCOMES`.
        :param t: the clock time of the change.
        :raises ValueError: for an unknown outcome, a finished message, or FAILED after SENT.
        """
        if outcome not in OUTCOMES:
            raise ValueError(f"outcome must be one of {', '.join(OUTCOMES)}, got {outcome!r}")
        if message.finished:
            raise ValueError(f"message {message.id} is already {message.status}")
        if outcome == "FAILED" and message.status == "SENT":
            raise ValueError(
                f"message {message.id} was SENT: it can only end DELIVERED or UNDELIVERED"
            )
        message.fate = outcome
        steps = 0
        while self._step_message(message, t):
            steps += 1
        self._prune()
        return steps

    def _due(self, born: float, now: float) -> int:
        if self.step_seconds <= 0:
            return 1 << 30
        return int((now - born) / self.step_seconds)

    def _step_time(self, born: float, steps_done: int) -> float:
        return born + (steps_done + 1) * self.step_seconds

    def _step_message(self, message: Message, t: float) -> bool:
        if message.status == "PENDING":
            message.status = "FAILED" if message.fate == "FAILED" else "SENT"
        elif message.status == "SENT":
            message.status = message.fate
        else:
            return False
        message.steps += 1
        message.updated = self.wall(t)
        self.version += 1
        if message.status == "SENT":
            message.provider_id = self.provider_id
            message.external_id = "sbx_" + secrets.token_hex(10)
        elif message.status == "FAILED":
            message.error_code = "INVALID_PHONE_NUMBER"
            message.is_refunded = True
            self.balance += message.cost
        elif message.status == "UNDELIVERED":
            message.error_code = "CARRIER_REJECTED"
        return True

    def _step_campaign(self, campaign: Campaign, t: float) -> bool:
        if campaign.status == "PROCESSING":
            campaign.status = "SENDING"
        elif campaign.status == "SENDING" and all(
            message.status != "PENDING" for message in campaign.messages
        ):
            campaign.status = "COMPLETED"
        else:
            return False
        campaign.steps += 1
        campaign.updated = self.wall(t)
        self.version += 1
        return True

    def _prune(self) -> None:
        self._live_messages = [
            message for message in self._live_messages if message.status in ("PENDING", "SENT")
        ]
        self._live_campaigns = [
            campaign for campaign in self._live_campaigns if campaign.status != "COMPLETED"
        ]

    # Wire forms ---------------------------------------------------------------------------

    def message_wire(self, message: Message) -> JSON:
        """A message as the spec's Message schema."""
        campaign, contact = message.campaign, message.contact
        return {
            "id": message.id,
            "updated_at": iso(message.updated),
            "created_at": iso(message.created),
            "organization_id": self.organization_id,
            "campaign_id": campaign.id if campaign else None,
            "contact_id": contact.id if contact else None,
            "sms_remitter_id": message.remitter.id,
            "sms_remitter": {"name": message.remitter.name},
            "external_id": message.external_id,
            "cost": money(message.cost),
            "billing_account_id": self.billing_account_id,
            "channel_type": message.channel_type,
            "channel_destination": message.channel_destination,
            "provider_id": message.provider_id,
            "e164_format": message.e164,
            "content": message.content,
            "trigger_source": message.trigger_source,
            "error_code": message.error_code,
            "is_refunded": message.is_refunded,
            "status": message.status,
            "contact": self.contact_wire(contact) if contact else None,
            "campaign": self.campaign_summary(campaign) if campaign else None,
        }

    def campaign_summary(self, campaign: Campaign) -> JSON:
        """A campaign as nested in a message (CampaignSummary)."""
        return {
            "id": campaign.id,
            "updated_at": iso(campaign.updated),
            "created_at": iso(campaign.created),
            "name": campaign.name,
            "status": campaign.status,
        }

    def campaign_wire(self, campaign: Campaign) -> JSON:
        """A campaign as the spec's Campaign schema."""
        return {
            **self.campaign_summary(campaign),
            "organization_id": self.organization_id,
            "sms_remitter_id": campaign.remitter.id,
            "channel_type": "SMS",
            "content": campaign.content,
            "country_alpha2": campaign.country_alpha2,
            "total_recipients": len(campaign.messages),
        }

    def contact_wire(self, contact: Contact) -> JSON:
        """A contact as the spec's Contact schema."""
        return {
            "id": contact.id,
            "updated_at": iso(contact.updated),
            "created_at": iso(contact.created),
            "name": contact.name,
            "email": contact.email,
            "e164_format": contact.e164,
            "organization_id": self.organization_id,
        }
