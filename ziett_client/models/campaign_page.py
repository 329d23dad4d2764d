from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

# ziett: the keys from_dict reads; any other key goes to additional_properties.
_KEYS: frozenset[str] = frozenset(
    (
        "entries",
        "total",
        "page",
        "size",
        "pages",
    )
)

# ziett: the required keys, checked by from_dict before it returns (change 3).
_REQUIRED: frozenset[str] = frozenset(
    (
        "entries",
        "total",
        "page",
        "size",
        "pages",
    )
)


def _parse_entries(d: Mapping[str, Any]) -> Any:
    entries = [Campaign.from_dict(item) for item in d["entries"]]

    return entries


def _parse_total(d: Mapping[str, Any]) -> Any:
    total = d["total"]

    return total


def _parse_page(d: Mapping[str, Any]) -> Any:
    page = d["page"]

    return page


def _parse_size(d: Mapping[str, Any]) -> Any:
    size = d["size"]

    return size


def _parse_pages(d: Mapping[str, Any]) -> Any:
    pages = d["pages"]

    return pages


def _parse_additional_properties(d: Mapping[str, Any]) -> Any:
    return {k: v for k, v in d.items() if k not in _KEYS}


# ziett: field name -> how to parse it from the JSON object, on first access (change 3).
_LAZY: dict[str, Callable[[Mapping[str, Any]], Any]] = {
    "entries": _parse_entries,
    "total": _parse_total,
    "page": _parse_page,
    "size": _parse_size,
    "pages": _parse_pages,
    "additional_properties": _parse_additional_properties,
}


T = TypeVar("T", bound="CampaignPage")


@_attrs_define
class CampaignPage:
    """
    Attributes:
        entries (list[Campaign]):
        total (int):
        page (int):
        size (int):
        pages (int):
    """

    entries: list[Campaign]
    total: int
    page: int
    size: int
    pages: int
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
        entries = []
        for entries_item_data in self.entries:
            entries_item = entries_item_data.to_dict()
            entries.append(entries_item)

        total = self.total

        page = self.page

        size = self.size

        pages = self.pages

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "entries": entries,
                "total": total,
                "page": page,
                "size": size,
                "pages": pages,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        # ziett: the required keys now, every field on its first access (change 3).
        if not src_dict.keys() >= _REQUIRED:
            raise KeyError(", ".join(sorted(_REQUIRED.difference(src_dict))))
        campaign_page = object.__new__(cls)
        campaign_page._raw = dict(src_dict)
        return campaign_page

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


from ..models.campaign import Campaign  # noqa: E402
