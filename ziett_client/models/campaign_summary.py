from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.campaign_status import CampaignStatus

# ziett: the keys from_dict reads; any other key goes to additional_properties.
_KEYS: frozenset[str] = frozenset(
    (
        "id",
        "updated_at",
        "created_at",
        "name",
        "status",
    )
)

# ziett: the required keys, checked by from_dict before it returns (change 3).
_REQUIRED: frozenset[str] = frozenset(
    (
        "id",
        "updated_at",
        "created_at",
        "name",
        "status",
    )
)


def _parse_id(d: Mapping[str, Any]) -> Any:
    id = d["id"]

    return id


def _parse_updated_at(d: Mapping[str, Any]) -> Any:
    updated_at = datetime.datetime.fromisoformat(d["updated_at"])

    return updated_at


def _parse_created_at(d: Mapping[str, Any]) -> Any:
    created_at = datetime.datetime.fromisoformat(d["created_at"])

    return created_at


def _parse_name(d: Mapping[str, Any]) -> Any:
    name = d["name"]

    return name


def _parse_status(d: Mapping[str, Any]) -> Any:
    status = cast(
        CampaignStatus, CampaignStatus._value2member_map_.get(d["status"])
    ) or CampaignStatus(d["status"])

    return status


def _parse_additional_properties(d: Mapping[str, Any]) -> Any:
    return {k: v for k, v in d.items() if k not in _KEYS}


# ziett: field name -> how to parse it from the JSON object, on first access (change 3).
_LAZY: dict[str, Callable[[Mapping[str, Any]], Any]] = {
    "id": _parse_id,
    "updated_at": _parse_updated_at,
    "created_at": _parse_created_at,
    "name": _parse_name,
    "status": _parse_status,
    "additional_properties": _parse_additional_properties,
}


T = TypeVar("T", bound="CampaignSummary")


@_attrs_define
class CampaignSummary:
    """A campaign as nested in a message.

    Attributes:
        id (str):
        updated_at (datetime.datetime):
        created_at (datetime.datetime):
        name (str):
        status (CampaignStatus): DRAFT (shown in the docs' example), PROCESSING -> SENDING -> COMPLETED
            (the documented lifecycle). Not in the docs: FAILED, for a campaign
            whose background processing could not complete; a careful client
            must expect a terminal failure state.
    """

    id: str
    updated_at: datetime.datetime
    created_at: datetime.datetime
    name: str
    status: CampaignStatus
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
        id = self.id

        updated_at = self.updated_at.isoformat()

        created_at = self.created_at.isoformat()

        name = self.name

        status = self.status.value

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

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        # ziett: the required keys now, every field on its first access (change 3).
        if not src_dict.keys() >= _REQUIRED:
            raise KeyError(", ".join(sorted(_REQUIRED.difference(src_dict))))
        campaign_summary = object.__new__(cls)
        campaign_summary._raw = dict(src_dict)
        return campaign_summary

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
