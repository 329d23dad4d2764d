from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.channel_type import ChannelType
from ..models.message_status import MessageStatus
from ..types import MONEY_DIGITS, MONEY_LIMIT, UNSET, Unset, money, money_error

# ziett: the keys from_dict reads; any other key goes to additional_properties.
_KEYS: frozenset[str] = frozenset(
    (
        "id",
        "updated_at",
        "created_at",
        "organization_id",
        "cost",
        "channel_type",
        "e164_format",
        "content",
        "trigger_source",
        "is_refunded",
        "status",
        "campaign_id",
        "contact_id",
        "sms_remitter_id",
        "sms_remitter",
        "external_id",
        "billing_account_id",
        "channel_destination",
        "provider_id",
        "error_code",
        "contact",
        "campaign",
    )
)


T = TypeVar("T", bound="Message")


@_attrs_define
class Message:
    """One message and its delivery state. Not in the docs: which fields may
    be null; those a queued or transactional message may lack (campaign,
    contact, provider ids, error code, routing) are nullable.

        Attributes:
            id (str):
            updated_at (datetime.datetime):
            created_at (datetime.datetime):
            organization_id (str):
            cost (Decimal): The price charged, as a decimal string (e.g. "3423.23"); a decimal.Decimal in Python, at most 18
                integer digits.
            channel_type (ChannelType): A delivery channel as reported on messages (the docs name SMS and WHATSAPP).
            e164_format (str):
            content (str):
            trigger_source (str): What produced the message (e.g. API_CLIENT).
            is_refunded (bool):
            status (MessageStatus): PENDING -> SENT -> DELIVERED, or FAILED / UNDELIVERED.
            campaign_id (None | str | Unset):
            contact_id (None | str | Unset):
            sms_remitter_id (None | str | Unset):
            sms_remitter (None | SmsRemitter | Unset):
            external_id (None | str | Unset):
            billing_account_id (None | str | Unset):
            channel_destination (None | str | Unset): The carrier network (e.g. UNITEL).
            provider_id (None | str | Unset):
            error_code (None | str | Unset): Why delivery failed (e.g. INVALID_PHONE_NUMBER).
            contact (Contact | None | Unset):
            campaign (CampaignSummary | None | Unset):
    """

    id: str
    updated_at: datetime.datetime
    created_at: datetime.datetime
    organization_id: str
    cost: Decimal
    channel_type: ChannelType
    e164_format: str
    content: str
    trigger_source: str
    is_refunded: bool
    status: MessageStatus
    campaign_id: str | Unset | None = UNSET
    contact_id: str | Unset | None = UNSET
    sms_remitter_id: str | Unset | None = UNSET
    sms_remitter: SmsRemitter | Unset | None = UNSET
    external_id: str | Unset | None = UNSET
    billing_account_id: str | Unset | None = UNSET
    channel_destination: str | Unset | None = UNSET
    provider_id: str | Unset | None = UNSET
    error_code: str | Unset | None = UNSET
    contact: Contact | Unset | None = UNSET
    campaign: CampaignSummary | Unset | None = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def __attrs_pre_init__(self) -> None:
        # ziett: made before msgspec fills the fields (change 3); left missing, it costs
        # msgspec an AttributeError per object (a sixth of a page's decoding).
        self.additional_properties = {}

    def __attrs_post_init__(self) -> None:
        # ziett: money checked wherever the model is made: cls(), from_dict, msgspec (change 1).
        cost = self.cost
        if not (
            type(cost) is Decimal
            and cost.is_finite()
            and -MONEY_LIMIT < cost < MONEY_LIMIT
            and (cost.adjusted() >= -MONEY_DIGITS or not cost)
        ):
            money_error("cost", cost)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        updated_at = self.updated_at.isoformat()

        created_at = self.created_at.isoformat()

        organization_id = self.organization_id

        cost = str(self.cost)

        channel_type = self.channel_type.value

        e164_format = self.e164_format

        content = self.content

        trigger_source = self.trigger_source

        is_refunded = self.is_refunded

        status = self.status.value

        campaign_id: str | Unset | None
        if isinstance(self.campaign_id, Unset):
            campaign_id = UNSET
        else:
            campaign_id = self.campaign_id

        contact_id: str | Unset | None
        if isinstance(self.contact_id, Unset):
            contact_id = UNSET
        else:
            contact_id = self.contact_id

        sms_remitter_id: str | Unset | None
        if isinstance(self.sms_remitter_id, Unset):
            sms_remitter_id = UNSET
        else:
            sms_remitter_id = self.sms_remitter_id

        sms_remitter: dict[str, Any] | Unset | None
        if isinstance(self.sms_remitter, Unset):
            sms_remitter = UNSET
        elif isinstance(self.sms_remitter, SmsRemitter):
            sms_remitter = self.sms_remitter.to_dict()
        else:
            sms_remitter = self.sms_remitter

        external_id: str | Unset | None
        if isinstance(self.external_id, Unset):
            external_id = UNSET
        else:
            external_id = self.external_id

        billing_account_id: str | Unset | None
        if isinstance(self.billing_account_id, Unset):
            billing_account_id = UNSET
        else:
            billing_account_id = self.billing_account_id

        channel_destination: str | Unset | None
        if isinstance(self.channel_destination, Unset):
            channel_destination = UNSET
        else:
            channel_destination = self.channel_destination

        provider_id: str | Unset | None
        if isinstance(self.provider_id, Unset):
            provider_id = UNSET
        else:
            provider_id = self.provider_id

        error_code: str | Unset | None
        if isinstance(self.error_code, Unset):
            error_code = UNSET
        else:
            error_code = self.error_code

        contact: dict[str, Any] | Unset | None
        if isinstance(self.contact, Unset):
            contact = UNSET
        elif isinstance(self.contact, Contact):
            contact = self.contact.to_dict()
        else:
            contact = self.contact

        campaign: dict[str, Any] | Unset | None
        if isinstance(self.campaign, Unset):
            campaign = UNSET
        elif isinstance(self.campaign, CampaignSummary):
            campaign = self.campaign.to_dict()
        else:
            campaign = self.campaign

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "updated_at": updated_at,
                "created_at": created_at,
                "organization_id": organization_id,
                "cost": cost,
                "channel_type": channel_type,
                "e164_format": e164_format,
                "content": content,
                "trigger_source": trigger_source,
                "is_refunded": is_refunded,
                "status": status,
            }
        )
        if campaign_id is not UNSET:
            field_dict["campaign_id"] = campaign_id
        if contact_id is not UNSET:
            field_dict["contact_id"] = contact_id
        if sms_remitter_id is not UNSET:
            field_dict["sms_remitter_id"] = sms_remitter_id
        if sms_remitter is not UNSET:
            field_dict["sms_remitter"] = sms_remitter
        if external_id is not UNSET:
            field_dict["external_id"] = external_id
        if billing_account_id is not UNSET:
            field_dict["billing_account_id"] = billing_account_id
        if channel_destination is not UNSET:
            field_dict["channel_destination"] = channel_destination
        if provider_id is not UNSET:
            field_dict["provider_id"] = provider_id
        if error_code is not UNSET:
            field_dict["error_code"] = error_code
        if contact is not UNSET:
            field_dict["contact"] = contact
        if campaign is not UNSET:
            field_dict["campaign"] = campaign

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = src_dict
        id = d["id"]

        updated_at = datetime.datetime.fromisoformat(d["updated_at"])

        created_at = datetime.datetime.fromisoformat(d["created_at"])

        organization_id = d["organization_id"]

        cost = money(d["cost"])

        channel_type = cast(
            ChannelType, ChannelType._value2member_map_.get(d["channel_type"])
        ) or ChannelType(d["channel_type"])

        e164_format = d["e164_format"]

        content = d["content"]

        trigger_source = d["trigger_source"]

        is_refunded = d["is_refunded"]

        status = cast(
            MessageStatus, MessageStatus._value2member_map_.get(d["status"])
        ) or MessageStatus(d["status"])

        campaign_id = d.get("campaign_id", UNSET)

        contact_id = d.get("contact_id", UNSET)

        sms_remitter_id = d.get("sms_remitter_id", UNSET)

        _sms_remitter: Any = d.get("sms_remitter", UNSET)
        sms_remitter = (
            _sms_remitter
            if _sms_remitter is None or _sms_remitter is UNSET
            else SmsRemitter.from_dict(_sms_remitter)
        )

        external_id = d.get("external_id", UNSET)

        billing_account_id = d.get("billing_account_id", UNSET)

        channel_destination = d.get("channel_destination", UNSET)

        provider_id = d.get("provider_id", UNSET)

        error_code = d.get("error_code", UNSET)

        _contact: Any = d.get("contact", UNSET)
        contact = _contact if _contact is None or _contact is UNSET else Contact.from_dict(_contact)

        _campaign: Any = d.get("campaign", UNSET)
        campaign = (
            _campaign
            if _campaign is None or _campaign is UNSET
            else CampaignSummary.from_dict(_campaign)
        )

        # ziett: positional (a third of the keyword call's cost), in the declaration order.
        message = cls(
            id,
            updated_at,
            created_at,
            organization_id,
            cost,
            channel_type,
            e164_format,
            content,
            trigger_source,
            is_refunded,
            status,
            campaign_id,
            contact_id,
            sms_remitter_id,
            sms_remitter,
            external_id,
            billing_account_id,
            channel_destination,
            provider_id,
            error_code,
            contact,
            campaign,
        )

        if not _KEYS.issuperset(d):
            message.additional_properties = {k: v for k, v in d.items() if k not in _KEYS}
        return message

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties


# ziett: msgspec reads these annotations and cannot take the custom class Unset in a
# union; an absent key takes the attrs default, UNSET, all the same.
Message.__annotations__.update(
    {
        "campaign_id": "None | str",
        "contact_id": "None | str",
        "sms_remitter_id": "None | str",
        "sms_remitter": "None | SmsRemitter",
        "external_id": "None | str",
        "billing_account_id": "None | str",
        "channel_destination": "None | str",
        "provider_id": "None | str",
        "error_code": "None | str",
        "contact": "Contact | None",
        "campaign": "CampaignSummary | None",
    }
)

from ..models.campaign_summary import CampaignSummary  # noqa: E402
from ..models.contact import Contact  # noqa: E402
from ..models.sms_remitter import SmsRemitter  # noqa: E402
