from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

# ziett: the keys from_dict reads; any other key goes to additional_properties.
_KEYS: frozenset[str] = frozenset(("message_id",))


T = TypeVar("T", bound="SendMessageAccepted")


@_attrs_define
class SendMessageAccepted:
    """
    Attributes:
        message_id (str): The message's id (a UUID); keep it to track delivery.
    """

    message_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def __attrs_pre_init__(self) -> None:
        # ziett: made before msgspec fills the fields (change 3); left missing, it costs
        # msgspec an AttributeError per object (a sixth of a page's decoding).
        self.additional_properties = {}

    def to_dict(self) -> dict[str, Any]:
        message_id = self.message_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "message_id": message_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = src_dict
        message_id = d["message_id"]

        # ziett: positional (a third of the keyword call's cost), in the declaration order.
        send_message_accepted = cls(
            message_id,
        )

        if not _KEYS.issuperset(d):
            send_message_accepted.additional_properties = {
                k: v for k, v in d.items() if k not in _KEYS
            }
        return send_message_accepted

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
