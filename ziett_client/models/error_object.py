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
        "code",
        "message",
        "status",
        "trace_id",
        "timestamp",
        "service",
        "fields",
    )
)


T = TypeVar("T", bound="ErrorObject")


@_attrs_define
class ErrorObject:
    """The error object every error response carries.

    Attributes:
        code (str): A machine-readable category (e.g. BILLING_INSUFFICIENT_FUNDS).
        message (str): A human-readable description.
        status (int): The HTTP status code.
        trace_id (str | Unset): The request's id for support. Documented as a uuid, but shown as 32
            hex digits without dashes, so it is kept as a plain string.
        timestamp (datetime.datetime | Unset):
        service (str | Unset): The service that answered (e.g. core, billing).
        fields (ErrorObjectFields | Unset): Per-field validation messages.
    """

    code: str
    message: str
    status: int
    trace_id: str | Unset = UNSET
    timestamp: datetime.datetime | Unset = UNSET
    service: str | Unset = UNSET
    fields: ErrorObjectFields | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def __attrs_pre_init__(self) -> None:
        # ziett: made before msgspec fills the fields (change 3); left missing, it costs
        # msgspec an AttributeError per object (a sixth of a page's decoding).
        self.additional_properties = {}

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        message = self.message

        status = self.status

        trace_id = self.trace_id

        timestamp: str | Unset = UNSET
        if not isinstance(self.timestamp, Unset):
            timestamp = self.timestamp.isoformat()

        service = self.service

        fields: dict[str, Any] | Unset = UNSET
        if not isinstance(self.fields, Unset):
            fields = self.fields.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "message": message,
                "status": status,
            }
        )
        if trace_id is not UNSET:
            field_dict["trace_id"] = trace_id
        if timestamp is not UNSET:
            field_dict["timestamp"] = timestamp
        if service is not UNSET:
            field_dict["service"] = service
        if fields is not UNSET:
            field_dict["fields"] = fields

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = src_dict
        code = d["code"]

        message = d["message"]

        status = d["status"]

        trace_id = d.get("trace_id", UNSET)

        _timestamp: Any = d.get("timestamp", UNSET)
        timestamp = (
            _timestamp if _timestamp is UNSET else datetime.datetime.fromisoformat(_timestamp)
        )

        service = d.get("service", UNSET)

        _fields: Any = d.get("fields", UNSET)
        fields = _fields if _fields is UNSET else ErrorObjectFields.from_dict(_fields)

        # ziett: positional (a third of the keyword call's cost), in the declaration order.
        error_object = cls(
            code,
            message,
            status,
            trace_id,
            timestamp,
            service,
            fields,
        )

        if not _KEYS.issuperset(d):
            error_object.additional_properties = {k: v for k, v in d.items() if k not in _KEYS}
        return error_object

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
ErrorObject.__annotations__.update(
    {
        "trace_id": "str",
        "timestamp": "datetime.datetime",
        "service": "str",
        "fields": "ErrorObjectFields",
    }
)

from ..models.error_object_fields import ErrorObjectFields  # noqa: E402
