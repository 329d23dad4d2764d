from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

# ziett: the keys from_dict reads; any other key goes to additional_properties.
_KEYS: frozenset[str] = frozenset(
    (
        "id",
        "updated_at",
        "created_at",
        "e164_format",
        "organization_id",
        "name",
        "email",
    )
)


T = TypeVar("T", bound="Contact")


@_attrs_define
class Contact:
    """
    Attributes:
        id (str):
        updated_at (datetime.datetime):
        created_at (datetime.datetime):
        e164_format (str):
        organization_id (str):
        name (None | str | Unset):
        email (None | str | Unset):
    """

    id: str
    updated_at: datetime.datetime
    created_at: datetime.datetime
    e164_format: str
    organization_id: str
    name: str | Unset | None = UNSET
    email: str | Unset | None = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def __attrs_pre_init__(self) -> None:
        # ziett: made before msgspec fills the fields (change 3); left missing, it costs
        # msgspec an AttributeError per object (a sixth of a page's decoding).
        self.additional_properties = {}

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        updated_at = self.updated_at.isoformat()

        created_at = self.created_at.isoformat()

        e164_format = self.e164_format

        organization_id = self.organization_id

        name: str | Unset | None
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        email: str | Unset | None
        if isinstance(self.email, Unset):
            email = UNSET
        else:
            email = self.email

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "updated_at": updated_at,
                "created_at": created_at,
                "e164_format": e164_format,
                "organization_id": organization_id,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name
        if email is not UNSET:
            field_dict["email"] = email

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = src_dict
        id = d["id"]

        updated_at = datetime.datetime.fromisoformat(d["updated_at"])

        created_at = datetime.datetime.fromisoformat(d["created_at"])

        e164_format = d["e164_format"]

        organization_id = d["organization_id"]

        name = d.get("name", UNSET)

        email = d.get("email", UNSET)

        # ziett: positional (a third of the keyword call's cost), in the declaration order.
        contact = cls(
            id,
            updated_at,
            created_at,
            e164_format,
            organization_id,
            name,
            email,
        )

        if not _KEYS.issuperset(d):
            contact.additional_properties = {k: v for k, v in d.items() if k not in _KEYS}
        return contact

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
Contact.__annotations__.update(
    {
        "name": "None | str",
        "email": "None | str",
    }
)
