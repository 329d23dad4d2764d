from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

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

# ziett: the required keys, checked by from_dict before it returns (change 3).
_REQUIRED: frozenset[str] = frozenset(
    (
        "code",
        "message",
        "status",
    )
)


def _parse_code(d: Mapping[str, Any]) -> Any:
    code = d["code"]

    return code


def _parse_message(d: Mapping[str, Any]) -> Any:
    message = d["message"]

    return message


def _parse_status(d: Mapping[str, Any]) -> Any:
    status = d["status"]

    return status


def _parse_trace_id(d: Mapping[str, Any]) -> Any:
    trace_id = d.get("trace_id", UNSET)

    return trace_id


def _parse_timestamp(d: Mapping[str, Any]) -> Any:
    _timestamp: Any = d.get("timestamp", UNSET)
    timestamp = _timestamp if _timestamp is UNSET else datetime.datetime.fromisoformat(_timestamp)

    return timestamp


def _parse_service(d: Mapping[str, Any]) -> Any:
    service = d.get("service", UNSET)

    return service


def _parse_fields(d: Mapping[str, Any]) -> Any:
    _fields: Any = d.get("fields", UNSET)
    fields = _fields if _fields is UNSET else ErrorObjectFields.from_dict(_fields)

    return fields


def _parse_additional_properties(d: Mapping[str, Any]) -> Any:
    return {k: v for k, v in d.items() if k not in _KEYS}


# ziett: field name -> how to parse it from the JSON object, on first access (change 3).
_LAZY: dict[str, Callable[[Mapping[str, Any]], Any]] = {
    "code": _parse_code,
    "message": _parse_message,
    "status": _parse_status,
    "trace_id": _parse_trace_id,
    "timestamp": _parse_timestamp,
    "service": _parse_service,
    "fields": _parse_fields,
    "additional_properties": _parse_additional_properties,
}


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
        # ziett: the required keys now, every field on its first access (change 3).
        if not src_dict.keys() >= _REQUIRED:
            raise KeyError(", ".join(sorted(_REQUIRED.difference(src_dict))))
        error_object = object.__new__(cls)
        error_object._raw = dict(src_dict)
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


from ..models.error_object_fields import ErrorObjectFields  # noqa: E402
