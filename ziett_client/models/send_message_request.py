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
        "channel_type",
        "target_e164",
        "content",
        "save_contact",
    )
)

# ziett: the required keys, checked by from_dict before it returns (change 3).
_REQUIRED: frozenset[str] = frozenset(
    (
        "remitter_id",
        "channel_type",
        "target_e164",
        "content",
    )
)


def _parse_remitter_id(d: Mapping[str, Any]) -> Any:
    remitter_id = UUID(d["remitter_id"])

    return remitter_id


def _parse_channel_type(d: Mapping[str, Any]) -> Any:
    channel_type = cast(
        SendChannelType, SendChannelType._value2member_map_.get(d["channel_type"])
    ) or SendChannelType(d["channel_type"])

    return channel_type


def _parse_target_e164(d: Mapping[str, Any]) -> Any:
    target_e164 = d["target_e164"]

    return target_e164


def _parse_content(d: Mapping[str, Any]) -> Any:
    content = d["content"]

    return content


def _parse_save_contact(d: Mapping[str, Any]) -> Any:
    _save_contact: Any = d.get("save_contact", UNSET)
    save_contact = _save_contact if _save_contact is UNSET else SaveContact.from_dict(_save_contact)

    return save_contact


def _parse_additional_properties(d: Mapping[str, Any]) -> Any:
    return {k: v for k, v in d.items() if k not in _KEYS}


# ziett: field name -> how to parse it from the JSON object, on first access (change 3).
_LAZY: dict[str, Callable[[Mapping[str, Any]], Any]] = {
    "remitter_id": _parse_remitter_id,
    "channel_type": _parse_channel_type,
    "target_e164": _parse_target_e164,
    "content": _parse_content,
    "save_contact": _parse_save_contact,
    "additional_properties": _parse_additional_properties,
}


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
        # ziett: the required keys now, every field on its first access (change 3).
        if not src_dict.keys() >= _REQUIRED:
            raise KeyError(", ".join(sorted(_REQUIRED.difference(src_dict))))
        send_message_request = object.__new__(cls)
        send_message_request._raw = dict(src_dict)
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


from ..models.save_contact import SaveContact  # noqa: E402
