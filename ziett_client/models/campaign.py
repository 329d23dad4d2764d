from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.campaign_status import CampaignStatus
from ..models.channel_type import ChannelType
from ..types import UNSET, Unset

T = TypeVar("T", bound="Campaign")


@_attrs_define
class Campaign:
    """A campaign. The docs show only the nested form (id, timestamps, name,
    status). Not in the docs: the other fields, all optional, which a
    campaign created by a batch request carries.

        Attributes:
            id (str):
            updated_at (datetime.datetime):
            created_at (datetime.datetime):
            name (str):
            status (CampaignStatus): DRAFT (shown in the docs' example), PROCESSING -> SENDING -> COMPLETED
                (the documented lifecycle). Not in the docs: FAILED, for a campaign
                whose background processing could not complete; a careful client
                must expect a terminal failure state.
            organization_id (str | Unset):
            sms_remitter_id (None | str | Unset):
            channel_type (ChannelType | Unset): A delivery channel as reported on messages (the docs name SMS and WHATSAPP).
            content (str | Unset):
            country_alpha2 (None | str | Unset):
            total_recipients (int | Unset): How many messages the campaign holds.
    """

    id: str
    updated_at: datetime.datetime
    created_at: datetime.datetime
    name: str
    status: CampaignStatus
    organization_id: str | Unset = UNSET
    sms_remitter_id: str | Unset | None = UNSET
    channel_type: ChannelType | Unset = UNSET
    content: str | Unset = UNSET
    country_alpha2: str | Unset | None = UNSET
    total_recipients: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        updated_at = self.updated_at.isoformat()

        created_at = self.created_at.isoformat()

        name = self.name

        status = self.status.value

        organization_id = self.organization_id

        sms_remitter_id: str | Unset | None
        if isinstance(self.sms_remitter_id, Unset):
            sms_remitter_id = UNSET
        else:
            sms_remitter_id = self.sms_remitter_id

        channel_type: str | Unset = UNSET
        if not isinstance(self.channel_type, Unset):
            channel_type = self.channel_type.value

        content = self.content

        country_alpha2: str | Unset | None
        if isinstance(self.country_alpha2, Unset):
            country_alpha2 = UNSET
        else:
            country_alpha2 = self.country_alpha2

        total_recipients = self.total_recipients

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "updated_at": updated_at,
                "created_at": created_at,
                "name": name,
                "status": status,
            }
        )
        if organization_id is not UNSET:
            field_dict["organization_id"] = organization_id
        if sms_remitter_id is not UNSET:
            field_dict["sms_remitter_id"] = sms_remitter_id
        if channel_type is not UNSET:
            field_dict["channel_type"] = channel_type
        if content is not UNSET:
            field_dict["content"] = content
        if country_alpha2 is not UNSET:
            field_dict["country_alpha2"] = country_alpha2
        if total_recipients is not UNSET:
            field_dict["total_recipients"] = total_recipients

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        name = d.pop("name")

        status = CampaignStatus(d.pop("status"))

        organization_id = d.pop("organization_id", UNSET)

        def _parse_sms_remitter_id(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        sms_remitter_id = _parse_sms_remitter_id(d.pop("sms_remitter_id", UNSET))

        _channel_type = d.pop("channel_type", UNSET)
        channel_type: ChannelType | Unset
        if isinstance(_channel_type, Unset):
            channel_type = UNSET
        else:
            channel_type = ChannelType(_channel_type)

        content = d.pop("content", UNSET)

        def _parse_country_alpha2(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        country_alpha2 = _parse_country_alpha2(d.pop("country_alpha2", UNSET))

        total_recipients = d.pop("total_recipients", UNSET)

        campaign = cls(
            id=id,
            updated_at=updated_at,
            created_at=created_at,
            name=name,
            status=status,
            organization_id=organization_id,
            sms_remitter_id=sms_remitter_id,
            channel_type=channel_type,
            content=content,
            country_alpha2=country_alpha2,
            total_recipients=total_recipients,
        )

        campaign.additional_properties = d
        return campaign

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
