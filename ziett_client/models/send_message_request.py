from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.send_channel_type import SendChannelType
from ..types import UNSET, Unset

# ziett: the keys from_dict reads; any other key goes to additional_properties.
_KEYS: frozenset[str] = frozenset(
    (
        "remitter_id",
        "channel_type",
        "target_e164",
        "content",
        "save_contact",
    )
)


T = TypeVar("T", bound="SendMessageRequest")


@_attrs_define
class SendMessageRequest:
    """
    Attributes:
        remitter_id (UUID): The Sender ID configured in your organisation.
        channel_type (SendChannelType): The channels a send or a batch accepts today (the docs' rule is SMS only).
        target_e164 (str): Recipient in E.164 (e.g. +244990090990), country code included. The
            pattern is E.164's own: "+", then 2 to 15 digits, no leading zero.
        content (str): Message body; for SMS at most 1600 characters (concatenated
            automatically). Not in the docs: the minimum; an empty message is
            taken as invalid.
        save_contact (SaveContact | Unset): Upserts the recipient into the contact list at send time. Not in the
            docs: which of these are required; all are optional here.
    """

    remitter_id: UUID
    channel_type: SendChannelType
    target_e164: str
    content: str
    save_contact: SaveContact | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def __attrs_pre_init__(self) -> None:
        # ziett: made before msgspec fills the fields (change 3); left missing, it costs
        # msgspec an AttributeError per object (a sixth of a page's decoding).
        self.additional_properties = {}

    def to_dict(self) -> dict[str, Any]:
        remitter_id = str(self.remitter_id)

        channel_type = self.channel_type.value

        target_e164 = self.target_e164

        content = self.content

        save_contact: dict[str, Any] | Unset = UNSET
        if not isinstance(self.save_contact, Unset):
            save_contact = self.save_contact.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "remitter_id": remitter_id,
                "channel_type": channel_type,
                "target_e164": target_e164,
                "content": content,
            }
        )
        if save_contact is not UNSET:
            field_dict["save_contact"] = save_contact

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = src_dict
        remitter_id = UUID(d["remitter_id"])

        channel_type = cast(
            SendChannelType, SendChannelType._value2member_map_.get(d["channel_type"])
        ) or SendChannelType(d["channel_type"])

        target_e164 = d["target_e164"]

        content = d["content"]

        _save_contact: Any = d.get("save_contact", UNSET)
        save_contact = (
            _save_contact if _save_contact is UNSET else SaveContact.from_dict(_save_contact)
        )

        # ziett: positional (a third of the keyword call's cost), in the declaration order.
        send_message_request = cls(
            remitter_id,
            channel_type,
            target_e164,
            content,
            save_contact,
        )

        if not _KEYS.issuperset(d):
            send_message_request.additional_properties = {
                k: v for k, v in d.items() if k not in _KEYS
            }
        return send_message_request

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
SendMessageRequest.__annotations__.update(
    {
        "save_contact": "SaveContact",
    }
)

from ..models.save_contact import SaveContact  # noqa: E402
