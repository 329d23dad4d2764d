from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.campaign_status import CampaignStatus
from ..models.channel_type import ChannelType
from ..types import UNSET, Unset

# ziett: the keys from_dict reads; any other key goes to additional_properties.
_KEYS: frozenset[str] = frozenset(
    (
        "id",
        "updated_at",
        "created_at",
        "name",
        "status",
        "organization_id",
        "sms_remitter_id",
        "channel_type",
        "content",
        "country_alpha2",
        "total_recipients",
    )
)


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

    def __attrs_pre_init__(self) -> None:
        # ziett: made before msgspec fills the fields (change 3); left missing, it costs
        # msgspec an AttributeError per object (a sixth of a page's decoding).
        self.additional_properties = {}

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
        d = src_dict
        id = d["id"]

        updated_at = datetime.datetime.fromisoformat(d["updated_at"])

        created_at = datetime.datetime.fromisoformat(d["created_at"])

        name = d["name"]

        status = cast(
            CampaignStatus, CampaignStatus._value2member_map_.get(d["status"])
        ) or CampaignStatus(d["status"])

        organization_id = d.get("organization_id", UNSET)

        sms_remitter_id = d.get("sms_remitter_id", UNSET)

        _channel_type: Any = d.get("channel_type", UNSET)
        channel_type = (
            _channel_type
            if _channel_type is UNSET
            else cast(ChannelType, ChannelType._value2member_map_.get(_channel_type))
            or ChannelType(_channel_type)
        )

        content = d.get("content", UNSET)

        country_alpha2 = d.get("country_alpha2", UNSET)

        total_recipients = d.get("total_recipients", UNSET)

        # ziett: positional (a third of the keyword call's cost), in the declaration order.
        campaign = cls(
            id,
            updated_at,
            created_at,
            name,
            status,
            organization_id,
            sms_remitter_id,
            channel_type,
            content,
            country_alpha2,
            total_recipients,
        )

        if not _KEYS.issuperset(d):
            campaign.additional_properties = {k: v for k, v in d.items() if k not in _KEYS}
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


# ziett: msgspec reads these annotations and cannot take the custom class Unset in a
# union; an absent key takes the attrs default, UNSET, all the same.
Campaign.__annotations__.update(
    {
        "organization_id": "str",
        "sms_remitter_id": "None | str",
        "channel_type": "ChannelType",
        "content": "str",
        "country_alpha2": "None | str",
        "total_recipients": "int",
    }
)
