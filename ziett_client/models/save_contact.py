from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

# ziett: the keys from_dict reads; any other key goes to additional_properties.
_KEYS: frozenset[str] = frozenset(
    (
        "name",
        "email",
        "tags",
    )
)


T = TypeVar("T", bound="SaveContact")


@_attrs_define
class SaveContact:
    """Upserts the recipient into the contact list at send time. Not in the
    docs: which of these are required; all are optional here.

        Attributes:
            name (str | Unset): Full name of the contact.
            email (str | Unset): Email address; must be a valid format.
            tags (list[str] | Unset): Tags to assign; created if they do not exist.
    """

    name: str | Unset = UNSET
    email: str | Unset = UNSET
    tags: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def __attrs_pre_init__(self) -> None:
        # ziett: made before msgspec fills the fields (change 3); left missing, it costs
        # msgspec an AttributeError per object (a sixth of a page's decoding).
        self.additional_properties = {}

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        email = self.email

        tags: list[str] | Unset = UNSET
        if not isinstance(self.tags, Unset):
            tags = self.tags

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if name is not UNSET:
            field_dict["name"] = name
        if email is not UNSET:
            field_dict["email"] = email
        if tags is not UNSET:
            field_dict["tags"] = tags

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = src_dict
        name = d.get("name", UNSET)

        email = d.get("email", UNSET)

        tags = d.get("tags", UNSET)

        # ziett: positional (a third of the keyword call's cost), in the declaration order.
        save_contact = cls(
            name,
            email,
            tags,
        )

        if not _KEYS.issuperset(d):
            save_contact.additional_properties = {k: v for k, v in d.items() if k not in _KEYS}
        return save_contact

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
SaveContact.__annotations__.update(
    {
        "name": "str",
        "email": "str",
        "tags": "list[str]",
    }
)
