from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.send_channel_type import SendChannelType
from ..types import UNSET, Unset

# ziett: the keys from_dict reads; any other key goes to additional_properties.
_KEYS: frozenset[str] = frozenset(
    (
        "remitter_id",
        "content",
        "channel_type",
        "recipients",
        "name",
        "country_alpha2",
    )
)

# ziett: the required keys, checked by from_dict before it returns (change 3).
_REQUIRED: frozenset[str] = frozenset(
    (
        "remitter_id",
        "content",
        "channel_type",
        "recipients",
        "name",
    )
)


def _parse_remitter_id(d: Mapping[str, Any]) -> Any:
    remitter_id = UUID(d["remitter_id"])

    return remitter_id


def _parse_content(d: Mapping[str, Any]) -> Any:
    content = d["content"]

    return content


def _parse_channel_type(d: Mapping[str, Any]) -> Any:
    channel_type = cast(
        SendChannelType, SendChannelType._value2member_map_.get(d["channel_type"])
    ) or SendChannelType(d["channel_type"])

    return channel_type


def _parse_recipients(d: Mapping[str, Any]) -> Any:
    recipients = d["recipients"]

    return recipients


def _parse_name(d: Mapping[str, Any]) -> Any:
    name = d["name"]

    return name


def _parse_country_alpha2(d: Mapping[str, Any]) -> Any:
    country_alpha2 = d.get("country_alpha2", UNSET)

    return country_alpha2


def _parse_additional_properties(d: Mapping[str, Any]) -> Any:
    return {k: v for k, v in d.items() if k not in _KEYS}


# ziett: field name -> how to parse it from the JSON object, on first access (change 3).
_LAZY: dict[str, Callable[[Mapping[str, Any]], Any]] = {
    "remitter_id": _parse_remitter_id,
    "content": _parse_content,
    "channel_type": _parse_channel_type,
    "recipients": _parse_recipients,
    "name": _parse_name,
    "country_alpha2": _parse_country_alpha2,
    "additional_properties": _parse_additional_properties,
}


T = TypeVar("T", bound="BatchCampaignRequest")


@_attrs_define
class BatchCampaignRequest:
    """
    Attributes:
        remitter_id (UUID): The approved Sender ID; the docs require a UUID v7.
        content (str): Message text; long SMS are split automatically.
        channel_type (SendChannelType): The channels a send or a batch accepts today (the docs' rule is SMS only).
        recipients (list[str]): Destination numbers, local or E.164.
        name (str): Friendly name shown in the dashboard. Not in the docs: whether it
            is required; its minimum length of 1 suggests it is, so it is.
        country_alpha2 (str | Unset): ISO 3166-1 alpha-2 country used to parse local numbers (e.g. AO, PT).
    """

    remitter_id: UUID
    content: str
    channel_type: SendChannelType
    recipients: list[str]
    name: str
    country_alpha2: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    # ziett: the JSON object of an instance made by from_dict, its fields parsed on access.
    _raw: Mapping[str, Any] | None = _attrs_field(default=None, init=False, repr=False, eq=False)

    if not TYPE_CHECKING:  # type checkers see the declared fields, not a catch-all

        def __getattr__(self, name: str) -> Any:
            """Parse a field of an object made by from_dict on its first access."""
            parse = _LAZY.get(name)
            raw = object.__getattribute__(self, "_raw") if parse is not None else None
            if raw is None:
                raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
            value = parse(raw)
            object.__setattr__(self, name, value)
            return value

    def to_dict(self) -> dict[str, Any]:
        remitter_id = str(self.remitter_id)

        content = self.content

        channel_type = self.channel_type.value

        recipients = self.recipients

        name = self.name

        country_alpha2 = self.country_alpha2

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "remitter_id": remitter_id,
                "content": content,
                "channel_type": channel_type,
                "recipients": recipients,
                "name": name,
            }
        )
        if country_alpha2 is not UNSET:
            field_dict["country_alpha2"] = country_alpha2

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        # ziett: the required keys now, every field on its first access (change 3).
        if not src_dict.keys() >= _REQUIRED:
            raise KeyError(", ".join(sorted(_REQUIRED.difference(src_dict))))
        batch_campaign_request = object.__new__(cls)
        batch_campaign_request._raw = dict(src_dict)
        return batch_campaign_request

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
