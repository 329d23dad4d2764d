from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.channel_type import ChannelType
from ..models.message_status import MessageStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.campaign_summary import CampaignSummary
    from ..models.contact import Contact
    from ..models.sms_remitter import SmsRemitter


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
            cost (str): The price charged, as a decimal string (e.g. "3423.23"); use decimal.Decimal.
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
    cost: str
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

    def to_dict(self) -> dict[str, Any]:
        from ..models.campaign_summary import CampaignSummary
        from ..models.contact import Contact
        from ..models.sms_remitter import SmsRemitter

        id = self.id

        updated_at = self.updated_at.isoformat()

        created_at = self.created_at.isoformat()

        organization_id = self.organization_id

        cost = self.cost

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
        from ..models.campaign_summary import CampaignSummary
        from ..models.contact import Contact
        from ..models.sms_remitter import SmsRemitter

        d = dict(src_dict)
        id = d.pop("id")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        organization_id = d.pop("organization_id")

        cost = d.pop("cost")

        channel_type = ChannelType(d.pop("channel_type"))

        e164_format = d.pop("e164_format")

        content = d.pop("content")

        trigger_source = d.pop("trigger_source")

        is_refunded = d.pop("is_refunded")

        status = MessageStatus(d.pop("status"))

        def _parse_campaign_id(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        campaign_id = _parse_campaign_id(d.pop("campaign_id", UNSET))

        def _parse_contact_id(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        contact_id = _parse_contact_id(d.pop("contact_id", UNSET))

        def _parse_sms_remitter_id(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        sms_remitter_id = _parse_sms_remitter_id(d.pop("sms_remitter_id", UNSET))

        def _parse_sms_remitter(data: object) -> SmsRemitter | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                sms_remitter_type_0 = SmsRemitter.from_dict(data)

                return sms_remitter_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SmsRemitter | Unset, data)

        sms_remitter = _parse_sms_remitter(d.pop("sms_remitter", UNSET))

        def _parse_external_id(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        external_id = _parse_external_id(d.pop("external_id", UNSET))

        def _parse_billing_account_id(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        billing_account_id = _parse_billing_account_id(d.pop("billing_account_id", UNSET))

        def _parse_channel_destination(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        channel_destination = _parse_channel_destination(d.pop("channel_destination", UNSET))

        def _parse_provider_id(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        provider_id = _parse_provider_id(d.pop("provider_id", UNSET))

        def _parse_error_code(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        error_code = _parse_error_code(d.pop("error_code", UNSET))

        def _parse_contact(data: object) -> Contact | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                contact_type_0 = Contact.from_dict(data)

                return contact_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Contact | None | Unset, data)

        contact = _parse_contact(d.pop("contact", UNSET))

        def _parse_campaign(data: object) -> CampaignSummary | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                campaign_type_0 = CampaignSummary.from_dict(data)

                return campaign_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CampaignSummary | None | Unset, data)

        campaign = _parse_campaign(d.pop("campaign", UNSET))

        message = cls(
            id=id,
            updated_at=updated_at,
            created_at=created_at,
            organization_id=organization_id,
            cost=cost,
            channel_type=channel_type,
            e164_format=e164_format,
            content=content,
            trigger_source=trigger_source,
            is_refunded=is_refunded,
            status=status,
            campaign_id=campaign_id,
            contact_id=contact_id,
            sms_remitter_id=sms_remitter_id,
            sms_remitter=sms_remitter,
            external_id=external_id,
            billing_account_id=billing_account_id,
            channel_destination=channel_destination,
            provider_id=provider_id,
            error_code=error_code,
            contact=contact,
            campaign=campaign,
        )

        message.additional_properties = d
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
