"""The sandbox's state and rules: an in-memory, stateful fake of the Ziett /c/v1 API.

One :class:`Sandbox` holds one organisation (API keys, sender IDs, balance,
messages, campaigns, contacts) and applies the documented rules to every
request: authentication and scopes, the limits of ``ziett._constraints`` (the
same :class:`~ziett._validation.Rule` objects the SDK validates with), SMS
pricing and funds, per-key rate limits, pagination and filters, and the 202
lifecycle (messages PENDING -> SENT -> DELIVERED, campaigns PROCESSING ->
SENDING -> COMPLETED). :meth:`Sandbox.handle` is the one entry point; the ASGI
app of :mod:`ziett.sandbox._asgi` wraps the very same logic.

Everything here is synchronous and guarded by one :class:`threading.Lock`, so a
sandbox can be shared by threads (e.g. a uvicorn thread and the test thread).
"""

from __future__ import annotations

import itertools
import json
import math
import re
import secrets
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from http import HTTPStatus
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final, Generic, Literal, Protocol, TypeAlias, TypeVar

import anyio
import httpx

from ziett import _constraints as limits
from ziett._validation import Rule

if TYPE_CHECKING:
    from ziett.sandbox._asgi import ASGIApp

JSON: TypeAlias = dict[str, Any]
FaultSpec: TypeAlias = int | str | tuple[str, float]
"""What :meth:`Sandbox.inject` accepts: an HTTP status, "drop", "drop_before" or ("slow", s)."""

DEFAULT_RATE_LIMITS: Final[Mapping[str, tuple[int, float]]] = MappingProxyType(
    {
        "POST /c/v1/messages": (120, 60.0),
        "POST /c/v1/campaigns/batch": (10, 60.0),
    }
)
"""The documented limits, per API key: (requests, window in seconds) by "METHOD /path"."""

DEFAULT_STEP_SECONDS: Final = 0.2
"""Clock time between two lifecycle steps when ``auto_advance`` is on."""

DROPPED_MESSAGE: Final = "Server disconnected without sending a response."
_CAMPAIGN_ACCEPTED: Final = "Campaign accepted and is pending processing."
_FUNDS_MESSAGE: Final = (
    "Your account balance is too low to process this request. Please top up your credits."
)
_FUNDS_BATCH: Final = (
    "Your account balance is too low to process this batch request. Please top up your credits."
)
_READ_WRITE: Final = frozenset({"messages:send", "campaign:send", "messages:read", "campaign:read"})
_READ_ONLY: Final = frozenset({"messages:read", "campaign:read"})


# --- Time, ids and money -------------------------------------------------------------------------


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="microseconds")


def _money(amount: Decimal) -> str:
    return format(amount, "f")


def _decimal(value: Decimal | int | str, name: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f"{name} must be a decimal amount, got {value!r}") from None
    if not amount.is_finite():
        raise ValueError(f"{name} must be finite, got {value!r}")
    return amount


def _uuid7(unix_ms: int, counter: int, tail: int) -> str:
    """A UUID v7: 48-bit ms timestamp, version 7, 12-bit counter, RFC 9562 variant, 62 bits."""
    value = (unix_ms & (1 << 48) - 1) << 80
    value |= 0x7 << 76 | (counter & 0xFFF) << 64
    value |= 0b10 << 62 | (tail & (1 << 62) - 1)
    return str(uuid.UUID(int=value))


class _IdFactory:
    """UUID v7 strings that sort in creation order (a counter breaks ties within a ms)."""

    def __init__(self) -> None:
        self._last_ms = -1
        self._counter = 0

    def new(self, moment: datetime) -> str:
        ms = max(int(moment.timestamp() * 1000), self._last_ms)
        if ms != self._last_ms:
            self._counter = secrets.randbelow(0x400)
        elif self._counter < 0xFFF:
            self._counter += 1
        else:
            ms, self._counter = ms + 1, 0
        self._last_ms = ms
        return _uuid7(ms, self._counter, secrets.randbits(62))


def _new_api_key() -> str:
    return "zk_test_" + secrets.token_hex(16)


def _canonical_uuid(value: str) -> str | None:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return None


# --- Phone numbers, carriers and SMS pricing -----------------------------------------------------


@dataclass(frozen=True)
class _Country:
    dial: str
    carrier: str
    trunk: str = ""


_COUNTRIES: Final[Mapping[str, _Country]] = MappingProxyType(
    {
        "AO": _Country("244", "UNITEL"),
        "PT": _Country("351", "MEO"),
        "BR": _Country("55", "VIVO", trunk="0"),
        "US": _Country("1", "VERIZON", trunk="1"),
        "GB": _Country("44", "VODAFONE", trunk="0"),
        "ZA": _Country("27", "VODACOM", trunk="0"),
        "MZ": _Country("258", "VODACOM"),
        "NG": _Country("234", "MTN", trunk="0"),
        "KE": _Country("254", "SAFARICOM", trunk="0"),
        "CV": _Country("238", "CVMOVEL"),
        "ST": _Country("239", "CST"),
        "GW": _Country("245", "ORANGE"),
    }
)
_CARRIERS: Final = sorted(
    ((f"+{country.dial}", country.carrier) for country in _COUNTRIES.values()),
    key=lambda pair: -len(pair[0]),
)
_SEPARATORS: Final = re.compile(r"[\s.\-]")
_E164: Final = re.compile(r"\+[1-9][0-9]{1,14}")


def _to_e164(raw: str, country_alpha2: str | None) -> str:
    """``raw`` (E.164, 00-prefixed or local; spaces, dashes and dots allowed) in E.164."""
    number = _SEPARATORS.sub("", raw)
    if number.startswith("00"):
        number = "+" + number[2:]
    if not number.startswith("+"):
        number = _from_local(raw, number, country_alpha2)
    if not _E164.fullmatch(number):
        raise ValueError(f"{raw!r} is not a valid phone number.")
    return number


def _from_local(raw: str, digits: str, country_alpha2: str | None) -> str:
    if country_alpha2 is None:
        raise ValueError(f"{raw!r} is a local number: set country_alpha2 to parse it.")
    country = _COUNTRIES.get(country_alpha2)
    if country is None:
        raise ValueError(
            f"The sandbox cannot parse local numbers of {country_alpha2}: send {raw!r} in E.164."
        )
    if country.trunk and digits.startswith(country.trunk):
        digits = digits[len(country.trunk) :]
    return f"+{country.dial}{digits}"


def _carrier(e164: str) -> str | None:
    return next((name for prefix, name in _CARRIERS if e164.startswith(prefix)), None)


def _fate(e164: str) -> str:
    """The final status a number reaches: the sandbox's deterministic failures."""
    if e164.endswith("13"):
        return "FAILED"
    if e164.endswith("14"):
        return "UNDELIVERED"
    return "DELIVERED"


_GSM7_BASIC: Final = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ"
    " !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM7_EXTENSION: Final = frozenset("\f^{}\\[~]|€")


def _sms_segments(text: str) -> int:
    """Parts of an SMS: GSM-7 160 (153 per part), else UCS-2 70 (67 per part)."""
    if all(char in _GSM7_BASIC or char in _GSM7_EXTENSION for char in text):
        units = sum(2 if char in _GSM7_EXTENSION else 1 for char in text)
        single, part = 160, 153
    else:
        units = len(text.encode("utf-16-le")) // 2
        single, part = 70, 67
    return 1 if units <= single else math.ceil(units / part)


# --- Errors and JSON responses -------------------------------------------------------------------


class _ApiError(Exception):
    """An error answered with the documented error object."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        service: str = "core",
        fields: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.service = service
        self.fields = dict(fields or {})
        self.headers = dict(headers or {})


def _validation_error(fields: Mapping[str, str], *, service: str = "core") -> _ApiError:
    message = "One or more fields failed validation."
    return _ApiError(422, "VALIDATION_ERROR", message, service=service, fields=fields)


def _not_found(what: str, ident: str) -> _ApiError:
    return _ApiError(404, "NOT_FOUND", f"{what} {ident!r} was not found.")


def _json(status: int, body: Any, headers: Mapping[str, str] | None = None) -> httpx.Response:
    return httpx.Response(status, json=body, headers=headers)


def _json_object(request: httpx.Request, *, service: str = "core") -> JSON:
    """The request's JSON object body, or a 422 naming ``body``."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type and media_type != "application/json" and not media_type.endswith("+json"):
        raise _validation_error(
            {"body": "Expected Content-Type: application/json."}, service=service
        )
    try:
        payload = json.loads(request.content)
    except ValueError as exc:
        raise _validation_error({"body": f"Invalid JSON: {exc}."}, service=service) from None
    if not isinstance(payload, dict):
        raise _validation_error({"body": "Input should be a JSON object."}, service=service)
    return payload


# --- Body validation: the documented Rule objects plus the JSON types they assume ----------------

_JSON_TYPES: Final[Mapping[str, tuple[type, ...]]] = MappingProxyType(
    {
        "string": (str,),
        "integer": (int,),
        "number": (int, float),
        "boolean": (bool,),
        "array": (list,),
        "object": (dict,),
    }
)
_TYPE_NAMES: Final = MappingProxyType({"array": "list", "object": "object"})


def _has_type(value: Any, json_type: str) -> bool:
    if json_type in ("integer", "number") and isinstance(value, bool):
        return False
    kinds = _JSON_TYPES.get(json_type)
    return kinds is None or isinstance(value, kinds)


def _type_problems(rule: Rule, value: Any, name: str) -> dict[str, str]:
    if rule.type is not None and not _has_type(value, rule.type):
        return {name: f"Input should be a valid {_TYPE_NAMES.get(rule.type, rule.type)}."}
    found: dict[str, str] = {}
    if isinstance(value, list) and rule.items is not None:
        for index, item in enumerate(value):
            found.update(_type_problems(rule.items, item, f"{name}[{index}]"))
    if isinstance(value, dict):
        for key, sub_rule in rule.properties.items():
            if key in value:
                found.update(_type_problems(sub_rule, value[key], f"{name}.{key}"))
    return found


def _body_problems(rule: Rule, payload: Mapping[str, Any]) -> dict[str, str]:
    """Every field that breaks the documented limits, as ``{field: message}``."""
    found = rule.object_problems(payload)
    for key, sub_rule in rule.properties.items():
        if key in payload:
            found.update(_type_problems(sub_rule, payload[key], key))
    return found


# --- Records -------------------------------------------------------------------------------------


@dataclass
class _Remitter:
    id: str
    name: str


@dataclass(eq=False)
class _Contact:
    id: str
    e164: str
    created: datetime
    updated: datetime
    name: str | None = None
    email: str | None = None
    tags: list[str] = field(default_factory=list)


@dataclass(eq=False)
class _Campaign:
    id: str
    seq: int
    born: float
    created: datetime
    updated: datetime
    name: str
    remitter: _Remitter
    content: str
    country_alpha2: str | None
    status: str = "PROCESSING"
    steps: int = 0
    messages: list[_Message] = field(default_factory=list)


@dataclass(eq=False)
class _Message:
    id: str
    seq: int
    born: float
    created: datetime
    updated: datetime
    e164: str
    content: str
    cost: Decimal
    remitter: _Remitter
    trigger_source: str
    fate: str
    channel_destination: str | None
    channel_type: str = "SMS"
    campaign: _Campaign | None = None
    contact: _Contact | None = None
    status: str = "PENDING"
    error_code: str | None = None
    is_refunded: bool = False
    external_id: str | None = None
    provider_id: str | None = None
    steps: int = 0


class _Record(Protocol):
    seq: int
    created: datetime
    updated: datetime


_R = TypeVar("_R", bound=_Record)


# --- The organisation's state and its rules ------------------------------------------------------


class _State:
    """One organisation's data and the rules that change it (callers hold the sandbox lock)."""

    def __init__(
        self, *, balance: Decimal, price: Decimal, clock0: float, step_seconds: float
    ) -> None:
        self.price = price
        self.step_seconds = step_seconds
        self.initial_balance = balance
        self.balance = balance
        self._clock0 = clock0
        self._epoch = datetime.now(UTC)
        self._ids = _IdFactory()
        self._seq = itertools.count()
        self.organization_id = self.new_id(clock0)
        self.billing_account_id = self.new_id(clock0)
        self.provider_id = self.new_id(clock0)
        self.api_key = _new_api_key()
        self.read_only_api_key = _new_api_key()
        self.scopes = {self.api_key: _READ_WRITE, self.read_only_api_key: _READ_ONLY}
        self.remitters: dict[str, _Remitter] = {}
        self.default_remitter = self.add_remitter("Ziett", clock0)
        self.clear()

    def clear(self) -> None:
        """Forget all traffic and restore the initial balance (keys and sender IDs stay)."""
        self.balance = self.initial_balance
        self.messages: list[_Message] = []
        self.campaigns: list[_Campaign] = []
        self.contacts: dict[str, _Contact] = {}
        self._messages_by_id: dict[str, _Message] = {}
        self._campaigns_by_id: dict[str, _Campaign] = {}
        self._live_messages: list[_Message] = []
        self._live_campaigns: list[_Campaign] = []

    def wall(self, t: float) -> datetime:
        """The UTC date of clock time ``t``."""
        return self._epoch + timedelta(seconds=t - self._clock0)

    def new_id(self, t: float) -> str:
        return self._ids.new(self.wall(t))

    def add_remitter(self, name: str, t: float) -> _Remitter:
        remitter = _Remitter(self.new_id(t), name)
        self.remitters[remitter.id] = remitter
        return remitter

    def remitter(self, remitter_id: str) -> _Remitter | None:
        canonical = _canonical_uuid(remitter_id)
        return self.remitters.get(canonical) if canonical else None

    def message(self, message_id: str) -> _Message | None:
        return self._messages_by_id.get(message_id.lower())

    def campaign(self, campaign_id: str) -> _Campaign | None:
        return self._campaigns_by_id.get(campaign_id.lower())

    # Sends ------------------------------------------------------------------------------

    def send(
        self,
        *,
        e164: str,
        content: str,
        remitter: _Remitter,
        save_contact: Mapping[str, Any] | None,
        t: float,
    ) -> _Message:
        """Price, charge (402 when short) and queue one transactional message."""
        cost = self.price * _sms_segments(content)
        self._charge(cost, _FUNDS_MESSAGE)
        contact = None if save_contact is None else self._upsert_contact(e164, save_contact, t)
        return self._new_message(
            e164, content, cost, remitter, t, trigger_source="API_CLIENT", contact=contact
        )

    def launch(
        self,
        *,
        name: str,
        content: str,
        recipients: Sequence[tuple[str, bool]],
        country_alpha2: str | None,
        remitter: _Remitter,
        t: float,
    ) -> _Campaign:
        """Charge the whole batch up front (402 when short) and queue its messages."""
        cost = self.price * _sms_segments(content)
        self._charge(cost * len(recipients), _FUNDS_BATCH)
        created = self.wall(t)
        campaign = _Campaign(
            id=self.new_id(t),
            seq=next(self._seq),
            born=t,
            created=created,
            updated=created,
            name=name,
            remitter=remitter,
            content=content,
            country_alpha2=country_alpha2,
        )
        self.campaigns.append(campaign)
        self._campaigns_by_id[campaign.id] = campaign
        self._live_campaigns.append(campaign)
        for number, readable in recipients:
            message = self._new_message(
                number,
                content,
                cost,
                remitter,
                t,
                trigger_source="CAMPAIGN",
                campaign=campaign,
                fate=None if readable else "FAILED",
            )
            campaign.messages.append(message)
        return campaign

    def _charge(self, cost: Decimal, message: str) -> None:
        if self.balance < cost:
            raise _ApiError(402, "BILLING_INSUFFICIENT_FUNDS", message, service="billing")
        self.balance -= cost

    def _new_message(
        self,
        e164: str,
        content: str,
        cost: Decimal,
        remitter: _Remitter,
        t: float,
        *,
        trigger_source: str,
        campaign: _Campaign | None = None,
        contact: _Contact | None = None,
        fate: str | None = None,
    ) -> _Message:
        created = self.wall(t)
        message = _Message(
            id=self.new_id(t),
            seq=next(self._seq),
            born=t,
            created=created,
            updated=created,
            e164=e164,
            content=content,
            cost=cost,
            remitter=remitter,
            trigger_source=trigger_source,
            fate=fate or _fate(e164),
            channel_destination=_carrier(e164),
            campaign=campaign,
            contact=contact,
        )
        self.messages.append(message)
        self._messages_by_id[message.id] = message
        self._live_messages.append(message)
        return message

    def _upsert_contact(self, e164: str, data: Mapping[str, Any], t: float) -> _Contact:
        moment = self.wall(t)
        contact = self.contacts.get(e164)
        if contact is None:
            contact = _Contact(id=self.new_id(t), e164=e164, created=moment, updated=moment)
            self.contacts[e164] = contact
        contact.updated = moment
        contact.name = data.get("name", contact.name)
        contact.email = data.get("email", contact.email)
        contact.tags.extend(tag for tag in data.get("tags", ()) if tag not in contact.tags)
        return contact

    # Lifecycle ----------------------------------------------------------------------------

    def catch_up(self, now: float) -> None:
        """Apply every step that is due by clock time ``now`` (auto_advance)."""
        for message in self._live_messages:
            while message.steps < self._due(message.born, now):
                if not self._step_message(message, self._step_time(message.born, message.steps)):
                    break
        for campaign in self._live_campaigns:
            while campaign.steps < self._due(campaign.born, now):
                if not self._step_campaign(
                    campaign, self._step_time(campaign.born, campaign.steps)
                ):
                    break
        self._prune()

    def step_all(self, t: float) -> int:
        """Move every unfinished message and campaign one step; the number of changes."""
        changed = sum(self._step_message(message, t) for message in self._live_messages)
        changed += sum(self._step_campaign(campaign, t) for campaign in self._live_campaigns)
        self._prune()
        return changed

    def _due(self, born: float, now: float) -> int:
        if self.step_seconds <= 0:
            return 1 << 30
        return int((now - born) / self.step_seconds)

    def _step_time(self, born: float, steps_done: int) -> float:
        return born + (steps_done + 1) * self.step_seconds

    def _step_message(self, message: _Message, t: float) -> bool:
        if message.status == "PENDING":
            message.status = "FAILED" if message.fate == "FAILED" else "SENT"
        elif message.status == "SENT":
            message.status = message.fate
        else:
            return False
        message.steps += 1
        message.updated = self.wall(t)
        if message.status == "SENT":
            message.provider_id = self.provider_id
            message.external_id = "sbx_" + secrets.token_hex(10)
        elif message.status == "FAILED":
            message.error_code = "INVALID_PHONE_NUMBER"
            message.is_refunded = True
            self.balance += message.cost
        elif message.status == "UNDELIVERED":
            message.error_code = "CARRIER_REJECTED"
        return True

    def _step_campaign(self, campaign: _Campaign, t: float) -> bool:
        if campaign.status == "PROCESSING":
            campaign.status = "SENDING"
        elif campaign.status == "SENDING" and all(
            message.status != "PENDING" for message in campaign.messages
        ):
            campaign.status = "COMPLETED"
        else:
            return False
        campaign.steps += 1
        campaign.updated = self.wall(t)
        return True

    def _prune(self) -> None:
        self._live_messages = [
            message for message in self._live_messages if message.status in ("PENDING", "SENT")
        ]
        self._live_campaigns = [
            campaign for campaign in self._live_campaigns if campaign.status != "COMPLETED"
        ]

    # Wire forms ---------------------------------------------------------------------------

    def message_wire(self, message: _Message) -> JSON:
        """A message as the spec's Message schema."""
        campaign, contact = message.campaign, message.contact
        return {
            "id": message.id,
            "updated_at": _iso(message.updated),
            "created_at": _iso(message.created),
            "organization_id": self.organization_id,
            "campaign_id": campaign.id if campaign else None,
            "contact_id": contact.id if contact else None,
            "sms_remitter_id": message.remitter.id,
            "sms_remitter": {"name": message.remitter.name},
            "external_id": message.external_id,
            "cost": _money(message.cost),
            "billing_account_id": self.billing_account_id,
            "channel_type": message.channel_type,
            "channel_destination": message.channel_destination,
            "provider_id": message.provider_id,
            "e164_format": message.e164,
            "content": message.content,
            "trigger_source": message.trigger_source,
            "error_code": message.error_code,
            "is_refunded": message.is_refunded,
            "status": message.status,
            "contact": self.contact_wire(contact) if contact else None,
            "campaign": self.campaign_summary(campaign) if campaign else None,
        }

    def campaign_summary(self, campaign: _Campaign) -> JSON:
        """A campaign as nested in a message (CampaignSummary)."""
        return {
            "id": campaign.id,
            "updated_at": _iso(campaign.updated),
            "created_at": _iso(campaign.created),
            "name": campaign.name,
            "status": campaign.status,
        }

    def campaign_wire(self, campaign: _Campaign) -> JSON:
        """A campaign as the spec's Campaign schema."""
        return {
            **self.campaign_summary(campaign),
            "organization_id": self.organization_id,
            "sms_remitter_id": campaign.remitter.id,
            "channel_type": "SMS",
            "content": campaign.content,
            "country_alpha2": campaign.country_alpha2,
            "total_recipients": len(campaign.messages),
        }

    def contact_wire(self, contact: _Contact) -> JSON:
        """A contact as the spec's Contact schema."""
        return {
            "id": contact.id,
            "updated_at": _iso(contact.updated),
            "created_at": _iso(contact.created),
            "name": contact.name,
            "email": contact.email,
            "e164_format": contact.e164,
            "organization_id": self.organization_id,
        }


# --- Query parameters ----------------------------------------------------------------------------


class _Query:
    """Reads query parameters, collecting every problem before failing with one 422."""

    def __init__(self, params: httpx.QueryParams) -> None:
        self._params = params
        self.problems: dict[str, str] = {}

    def values(self, name: str) -> list[str]:
        # Empty values count as absent: the docs' own example sends `status=&q=`.
        return [value for value in self._params.get_list(name) if value != ""]

    def last(self, name: str) -> str | None:
        values = self.values(name)
        return values[-1] if values else None

    def integer(self, name: str, rule: Rule, default: int) -> int:
        raw = self.last(name)
        if raw is None:
            return default
        if not re.fullmatch(r"[+-]?[0-9]+", raw.strip()):
            self.problems[name] = "Input should be a valid integer."
            return default
        problems = rule.problems(int(raw), name)
        self.problems.update(problems)
        return default if problems else int(raw)

    def choice(self, name: str, allowed: tuple[str, ...], default: str) -> str:
        chosen = self.choices(name, allowed)
        last = self.last(name)
        return last if chosen and last else default

    def choices(self, name: str, allowed: tuple[str, ...]) -> frozenset[str] | None:
        rule = Rule(type="string", enum=allowed)
        for value in self.values(name):
            self.problems.update(rule.problems(value, name))
        values = self.values(name)
        return frozenset(values) if values and name not in self.problems else None

    def uuids(self, name: str) -> frozenset[str] | None:
        parsed = {value: _canonical_uuid(value) for value in self.values(name)}
        bad = [value for value, canonical in parsed.items() if canonical is None]
        if bad:
            self.problems[name] = f"Must be a valid UUID (got {bad[0]!r})."
        return frozenset(filter(None, parsed.values())) if parsed else None

    def texts(self, name: str) -> frozenset[str] | None:
        values = self.values(name)
        return frozenset(values) if values else None

    def moment(self, name: str) -> datetime | None:
        raw = self.last(name)
        if raw is None:
            return None
        try:
            value = datetime.fromisoformat(raw)
        except ValueError:
            self.problems[name] = "Must be an ISO 8601 date-time (e.g. 2025-07-14T10:30:00+00:00)."
            return None
        if value.tzinfo is None:
            self.problems[name] = "Must include a UTC offset (e.g. 2025-07-14T10:30:00+00:00)."
            return None
        return value

    def raise_problems(self) -> None:
        if self.problems:
            raise _validation_error(self.problems)


@dataclass(frozen=True)
class _Paging:
    page: int
    size: int
    order: str
    order_by: str


def _read_paging(query: _Query) -> _Paging:
    return _Paging(
        page=query.integer("page", limits.PAGE, 1),
        size=query.integer("size", limits.PAGE_SIZE, 30),
        order=query.choice("order", limits.SORT_ORDER_VALUES, "desc"),
        order_by=query.choice("order_by", limits.SORT_FIELD_VALUES, "created_at"),
    )


def _page(records: Sequence[_R], paging: _Paging, wire: Callable[[_R], JSON]) -> JSON:
    """One page of ``records`` in the documented envelope."""

    def key(record: _R) -> tuple[datetime, int]:
        moment = record.created if paging.order_by == "created_at" else record.updated
        return moment, record.seq

    ordered = sorted(records, key=key, reverse=paging.order == "desc")
    start = (paging.page - 1) * paging.size
    return {
        "entries": [wire(record) for record in ordered[start : start + paging.size]],
        "total": len(ordered),
        "page": paging.page,
        "size": paging.size,
        "pages": math.ceil(len(ordered) / paging.size),
    }


_Predicate: TypeAlias = Callable[[_Message], bool]


@dataclass(frozen=True)
class _Filter:
    """A repeatable message filter: its values are OR-ed, filters are AND-ed."""

    name: str
    read: Callable[[_Query, str], frozenset[str] | None]
    value: Callable[[_Message], str | None]


def _enum_reader(allowed: tuple[str, ...]) -> Callable[[_Query, str], frozenset[str] | None]:
    return lambda query, name: query.choices(name, allowed)


_MESSAGE_FILTERS: Final = (
    _Filter("status", _enum_reader(limits.MESSAGE_STATUS_VALUES), lambda m: m.status),
    _Filter("channel_type", _enum_reader(limits.CHANNEL_TYPE_VALUES), lambda m: m.channel_type),
    _Filter("contact_id", _Query.uuids, lambda m: m.contact.id if m.contact else None),
    _Filter("campaign_id", _Query.uuids, lambda m: m.campaign.id if m.campaign else None),
    _Filter("sms_remitter_id", _Query.uuids, lambda m: m.remitter.id),
    _Filter("trigger_source", _Query.texts, lambda m: m.trigger_source),
    _Filter("channel_destination", _Query.texts, lambda m: m.channel_destination),
)


def _one_of(value: Callable[[_Message], str | None], wanted: frozenset[str]) -> _Predicate:
    return lambda message: value(message) in wanted


def _created_between(since: datetime | None, until: datetime | None) -> _Predicate:
    def check(message: _Message) -> bool:
        return (since is None or message.created >= since) and (
            until is None or message.created <= until
        )

    return check


def _matching(text: str) -> _Predicate:
    needle = text.strip().lower()
    return lambda message: needle in message.e164 or needle in message.id


def _message_predicates(query: _Query, *, in_campaign: bool) -> list[_Predicate]:
    predicates: list[_Predicate] = []
    for spec in _MESSAGE_FILTERS:
        if in_campaign and spec.name == "campaign_id":
            continue
        wanted = spec.read(query, spec.name)
        if wanted is not None:
            predicates.append(_one_of(spec.value, wanted))
    since, until = query.moment("created_at__ge"), query.moment("created_at__le")
    predicates.append(_created_between(since, until))
    text = query.last("q")
    if text and text.strip():
        predicates.append(_matching(text))
    return predicates


# --- Routes --------------------------------------------------------------------------------------

_T = TypeVar("_T")


@dataclass(frozen=True)
class _Call:
    """One routed request: the request, its path parameters and the clock time."""

    request: httpx.Request
    params: Mapping[str, str]
    now: float


@dataclass(frozen=True)
class _Route(Generic[_T]):
    """A method and path template (``{name}`` placeholders) bound to a handler."""

    method: str
    template: str
    handler: Callable[[_T, _Call], httpx.Response]
    scope: str | None = None
    pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", self.template)
        object.__setattr__(self, "pattern", re.compile(regex))

    @property
    def key(self) -> str:
        return f"{self.method} {self.template}"


def _resolve(
    routes: Sequence[_Route[_T]], method: str, path: str
) -> tuple[_Route[_T], dict[str, str]]:
    # As in OpenAPI, a concrete path wins over a templated one that also matches
    # (/c/v1/campaigns/batch is not the campaign "batch"), whatever the method.
    concrete = [r for r in routes if "{" not in r.template and r.pattern.fullmatch(path)]
    allowed: set[str] = set()
    for route in concrete or routes:
        match = route.pattern.fullmatch(path)
        if match is None:
            continue
        if route.method == method:
            return route, match.groupdict()
        allowed.add(route.method)
    if allowed:
        raise _ApiError(
            405,
            "METHOD_NOT_ALLOWED",
            f"Method {method} is not allowed on {path}.",
            headers={"Allow": ", ".join(sorted(allowed))},
        )
    raise _ApiError(404, "NOT_FOUND", f"No route matches {method} {path}.")


# --- The seven /c/v1 operations ------------------------------------------------------------------


def _remitter_for(state: _State, payload: Mapping[str, Any], fields: dict[str, str]) -> _Remitter:
    """The body's sender ID; an unknown one is reported on ``remitter_id``."""
    value = payload.get("remitter_id")
    remitter = state.remitter(value) if isinstance(value, str) else None
    if remitter is None and "remitter_id" not in fields:
        fields["remitter_id"] = "Sender ID not found or not approved in your organisation."
    return remitter or state.default_remitter


def _recipients(payload: Mapping[str, Any], fields: dict[str, str]) -> list[tuple[str, bool]]:
    """Each recipient as (E.164 or the number as given, whether it could be read).

    A number that matches the documented pattern but cannot be read (a local number
    without country_alpha2, an impossible number) is not a 422: the docs validate
    and format numbers in the background, so it becomes a FAILED message.
    """
    if any(name.startswith(("recipients", "country_alpha2")) for name in fields):
        return []
    country = payload.get("country_alpha2")
    numbers: list[tuple[str, bool]] = []
    for raw in payload["recipients"]:
        try:
            numbers.append((_to_e164(raw, country), True))
        except ValueError:
            numbers.append((_SEPARATORS.sub("", raw), False))
    return numbers


def _send_message(state: _State, call: _Call) -> httpx.Response:
    payload = _json_object(call.request)
    fields = _body_problems(limits.SEND_MESSAGE, payload)
    remitter = _remitter_for(state, payload, fields)
    if fields:
        raise _validation_error(fields)
    message = state.send(
        e164=payload["target_e164"],
        content=payload["content"],
        remitter=remitter,
        save_contact=payload.get("save_contact"),
        t=call.now,
    )
    return _json(202, {"message_id": message.id})


def _create_batch_campaign(state: _State, call: _Call) -> httpx.Response:
    payload = _json_object(call.request)
    fields = _body_problems(limits.BATCH_CAMPAIGN, payload)
    remitter = _remitter_for(state, payload, fields)
    recipients = _recipients(payload, fields)
    if fields:
        raise _validation_error(fields)
    campaign = state.launch(
        name=payload["name"],
        content=payload["content"],
        recipients=recipients,
        country_alpha2=payload.get("country_alpha2"),
        remitter=remitter,
        t=call.now,
    )
    return _json(202, {"message": _CAMPAIGN_ACCEPTED, "campaign_id": campaign.id})


def _message_page(
    state: _State, call: _Call, messages: Sequence[_Message], *, in_campaign: bool
) -> httpx.Response:
    query = _Query(call.request.url.params)
    paging = _read_paging(query)
    predicates = _message_predicates(query, in_campaign=in_campaign)
    query.raise_problems()
    chosen = [message for message in messages if all(check(message) for check in predicates)]
    return _json(200, _page(chosen, paging, state.message_wire))


def _list_messages(state: _State, call: _Call) -> httpx.Response:
    return _message_page(state, call, state.messages, in_campaign=False)


def _retrieve_message(state: _State, call: _Call) -> httpx.Response:
    message = state.message(call.params["message_id"])
    if message is None:
        raise _not_found("Message", call.params["message_id"])
    return _json(200, state.message_wire(message))


def _find_campaign(state: _State, call: _Call) -> _Campaign:
    campaign = state.campaign(call.params["campaign_id"])
    if campaign is None:
        raise _not_found("Campaign", call.params["campaign_id"])
    return campaign


def _list_campaigns(state: _State, call: _Call) -> httpx.Response:
    query = _Query(call.request.url.params)
    paging = _read_paging(query)
    query.raise_problems()
    return _json(200, _page(state.campaigns, paging, state.campaign_wire))


def _retrieve_campaign(state: _State, call: _Call) -> httpx.Response:
    return _json(200, state.campaign_wire(_find_campaign(state, call)))


def _list_campaign_messages(state: _State, call: _Call) -> httpx.Response:
    campaign = _find_campaign(state, call)
    return _message_page(state, call, campaign.messages, in_campaign=True)


_API_ROUTES: Final[tuple[_Route[_State], ...]] = (
    _Route("POST", "/c/v1/messages", _send_message, scope="messages:send"),
    _Route("GET", "/c/v1/messages", _list_messages, scope="messages:read"),
    _Route("GET", "/c/v1/messages/{message_id}", _retrieve_message, scope="messages:read"),
    _Route("POST", "/c/v1/campaigns/batch", _create_batch_campaign, scope="campaign:send"),
    _Route("GET", "/c/v1/campaigns", _list_campaigns, scope="campaign:read"),
    _Route("GET", "/c/v1/campaigns/{campaign_id}", _retrieve_campaign, scope="campaign:read"),
    _Route(
        "GET",
        "/c/v1/campaigns/{campaign_id}/messages",
        _list_campaign_messages,
        scope="campaign:read",
    ),
)
_ROUTE_KEYS: Final = frozenset(route.key for route in _API_ROUTES)


# --- Rate limits ---------------------------------------------------------------------------------


class _RateLimiter:
    """Sliding-window request counts per (API key, operation)."""

    def __init__(self, rate_limits: Mapping[str, tuple[int, float]]) -> None:
        for key, (count, window) in rate_limits.items():
            if key not in _ROUTE_KEYS:
                raise ValueError(
                    f"unknown operation {key!r} in rate_limits: use one of {sorted(_ROUTE_KEYS)}"
                )
            if count < 1 or window <= 0:
                raise ValueError(f"rate limit of {key!r} needs count >= 1 and window > 0")
        self.limits = {
            key: (int(count), float(window)) for key, (count, window) in rate_limits.items()
        }
        self._hits: dict[tuple[str, str], deque[float]] = {}

    def hit(self, api_key: str, operation: str, now: float) -> int | None:
        """Count one request; None when allowed, else the whole seconds until a slot frees."""
        limit = self.limits.get(operation)
        if limit is None:
            return None
        count, window = limit
        hits = self._hits.setdefault((api_key, operation), deque())
        while hits and hits[0] <= now - window:
            hits.popleft()
        if len(hits) >= count:
            return max(1, math.ceil(hits[0] + window - now))
        hits.append(now)
        return None

    def clear(self) -> None:
        self._hits.clear()


# --- Faults --------------------------------------------------------------------------------------

_FaultKind: TypeAlias = Literal["status", "drop", "drop_before", "slow"]


@dataclass
class _Fault:
    """One injected fault, consumed by the next ``times`` matching requests."""

    kind: _FaultKind
    times: int
    method: str | None = None
    path: str | None = None
    status: int = 0
    seconds: float = 0.0
    retry_after: float | str | None = None
    html: bool = False

    def matches(self, method: str, path: str) -> bool:
        return (self.method is None or self.method == method) and (
            self.path is None or path.startswith(self.path)
        )


def _make_fault(
    fault: FaultSpec,
    *,
    times: int,
    method: str | None,
    path: str | None,
    retry_after: float | str | None,
    html: bool,
) -> _Fault:
    if isinstance(times, bool) or not isinstance(times, int) or times < 1:
        raise ValueError(f"times must be an integer of at least 1, got {times!r}")
    made = _Fault("status", times, method.upper() if method else None, path)
    if isinstance(fault, int) and not isinstance(fault, bool):
        if not 400 <= fault <= 599:
            raise ValueError(f"an injected status must be 4xx or 5xx, got {fault}")
        made.status, made.retry_after, made.html = fault, retry_after, html
    elif fault == "drop" or fault == "drop_before":
        made.kind = "drop" if fault == "drop" else "drop_before"
    elif isinstance(fault, tuple) and len(fault) == 2 and fault[0] == "slow":
        seconds = fault[1]
        if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds < 0:
            raise ValueError(f"a slow fault needs seconds >= 0, got {seconds!r}")
        made.kind, made.seconds = "slow", float(seconds)
    else:
        raise ValueError(
            f"unknown fault {fault!r}: use an HTTP status, 'drop', 'drop_before' "
            "or ('slow', seconds)"
        )
    return made


_FAULT_TEXTS: Final = MappingProxyType(
    {
        429: ("RATE_LIMIT_EXCEEDED", "Too many requests. Please retry later."),
        500: ("INTERNAL_SERVER_ERROR", "An unexpected error occurred. Please try again later."),
        502: ("BAD_GATEWAY", "The upstream service returned an invalid response."),
        503: ("SERVICE_UNAVAILABLE", "The service is temporarily unavailable."),
        504: ("GATEWAY_TIMEOUT", "The upstream service did not answer in time."),
        520: ("UNKNOWN_ERROR", "The origin server returned an unknown error."),
    }
)


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown Error"


def _fault_text(status: int) -> tuple[str, str]:
    if status in _FAULT_TEXTS:
        return _FAULT_TEXTS[status]
    phrase = _phrase(status)
    return re.sub(r"\W+", "_", phrase).upper(), f"{phrase}."


def _gateway_page(status: int) -> str:
    _, message = _fault_text(status)
    title = f"{status} {_phrase(status)}"
    return (
        f"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n"
        f"<center><h1>{title}</h1></center>\r\n<p>{message}</p>\r\n"
        "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
    )


@dataclass(frozen=True)
class _Plan:
    """A request on its way through the sandbox, with the fault it drew (if any)."""

    request: httpx.Request
    fault: _Fault | None

    @property
    def delay(self) -> float:
        """Seconds to wait before answering (a "slow" fault)."""
        return self.fault.seconds if self.fault and self.fault.kind == "slow" else 0.0


def _is_control(path: str) -> bool:
    return path.startswith("/_sandbox/")


# --- The sandbox ---------------------------------------------------------------------------------


class Sandbox:
    """A stateful, in-memory fake of the Ziett /c/v1 API: one organisation, seven operations.

    Use it in-process with ``httpx.MockTransport(sandbox.handle)`` or over HTTP
    through :attr:`asgi_app` / :func:`ziett.sandbox.serve_in_thread`.
    """

    def __init__(
        self,
        *,
        balance: Decimal | int | str = Decimal("1000.00"),
        price_per_segment: Decimal | int | str = Decimal("0.05"),
        rate_limits: Mapping[str, tuple[int, float]] | None = None,
        clock: Callable[[], float] = time.monotonic,
        auto_advance: bool = True,
        step_seconds: float = DEFAULT_STEP_SECONDS,
    ) -> None:
        self._lock = threading.Lock()
        self._clock = clock
        self._auto_advance = auto_advance
        self._limiter = _RateLimiter(DEFAULT_RATE_LIMITS if rate_limits is None else rate_limits)
        self._state = _State(
            balance=_decimal(balance, "balance"),
            price=_decimal(price_per_segment, "price_per_segment"),
            clock0=clock(),
            step_seconds=step_seconds,
        )
        self._faults: list[_Fault] = []
        self._requests: list[tuple[str, str]] = []
        self._app: ASGIApp | None = None

    def __repr__(self) -> str:
        return f"<Sandbox balance={_money(self.balance)} messages={len(self._state.messages)}>"

    # Identity ---------------------------------------------------------------------------

    @property
    def api_key(self) -> str:
        """A read-write API key (X-API-KEY) of the sandbox organisation."""
        return self._state.api_key

    @property
    def read_only_api_key(self) -> str:
        """A key without the send scopes: reads work, sends get 403 AUTH_INVALID_SCOPE."""
        return self._state.read_only_api_key

    @property
    def remitter_id(self) -> str:
        """The approved sender ID (a UUID v7) created with the sandbox."""
        return self._state.default_remitter.id

    @property
    def organization_id(self) -> str:
        """The id of the sandbox's one organisation."""
        return self._state.organization_id

    def add_remitter(self, name: str) -> str:
        """Approve another sender ID named ``name``; its id (a UUID v7)."""
        with self._lock:
            return self._state.add_remitter(name, self._clock()).id

    # Inspection -------------------------------------------------------------------------

    @property
    def messages(self) -> list[JSON]:
        """Every message sent, oldest first, in wire form."""
        with self._lock:
            self._catch_up()
            return [self._state.message_wire(message) for message in self._state.messages]

    @property
    def campaigns(self) -> list[JSON]:
        """Every campaign created, oldest first, in wire form."""
        with self._lock:
            self._catch_up()
            return [self._state.campaign_wire(campaign) for campaign in self._state.campaigns]

    @property
    def contacts(self) -> list[JSON]:
        """Every contact saved with ``save_contact``, in wire form."""
        with self._lock:
            return [self._state.contact_wire(contact) for contact in self._state.contacts.values()]

    @property
    def balance(self) -> Decimal:
        """The organisation's credit balance."""
        with self._lock:
            self._catch_up()
            return self._state.balance

    @balance.setter
    def balance(self, amount: Decimal) -> None:
        value = _decimal(amount, "balance")
        with self._lock:
            self._state.balance = value

    @property
    def requests(self) -> list[tuple[str, str]]:
        """(method, path) of every API request received (the control API is not logged)."""
        with self._lock:
            return list(self._requests)

    def snapshot(self) -> JSON:
        """The sandbox's state in brief: balance, counts, keys and sender IDs (JSON-ready)."""
        with self._lock:
            self._catch_up()
            state = self._state
            return {
                "balance": _money(state.balance),
                "price_per_segment": _money(state.price),
                "organization_id": state.organization_id,
                "api_key": state.api_key,
                "read_only_api_key": state.read_only_api_key,
                "remitter_id": state.default_remitter.id,
                "remitters": [{"id": r.id, "name": r.name} for r in state.remitters.values()],
                "messages": len(state.messages),
                "campaigns": len(state.campaigns),
                "contacts": len(state.contacts),
                "requests": len(self._requests),
                "pending_faults": sum(fault.times for fault in self._faults),
                "rate_limits": {key: list(value) for key, value in self._limiter.limits.items()},
                "auto_advance": self._auto_advance,
            }

    # Control ----------------------------------------------------------------------------

    def top_up(self, amount: Decimal | int | str) -> Decimal:
        """Add ``amount`` (> 0) to the balance; the new balance."""
        value = _decimal(amount, "amount")
        if value <= 0:
            raise ValueError(f"amount must be positive, got {amount!r}")
        with self._lock:
            self._state.balance += value
            return self._state.balance

    def drain(self) -> None:
        """Set the balance to 0: every send then gets 402."""
        with self._lock:
            self._state.balance = Decimal("0.00")

    def advance(self, steps: int = 1) -> int:
        """Move every unfinished message and campaign ``steps`` steps; the number of changes."""
        if steps < 0:
            raise ValueError(f"steps must not be negative, got {steps}")
        with self._lock:
            self._catch_up()
            now = self._clock()
            return sum(self._state.step_all(now) for _ in range(steps))

    def settle(self) -> int:
        """Move everything to its final state; the number of changes."""
        with self._lock:
            self._catch_up()
            now = self._clock()
            total = 0
            while changed := self._state.step_all(now):
                total += changed
            return total

    def reset(self) -> None:
        """Forget all traffic, faults and rate-limit counts; restore the initial balance."""
        with self._lock:
            self._state.clear()
            self._faults.clear()
            self._requests.clear()
            self._limiter.clear()

    def inject(
        self,
        fault: FaultSpec,
        *,
        times: int = 1,
        method: str | None = None,
        path: str | None = None,
        retry_after: float | str | None = None,
        html: bool = False,
    ) -> None:
        """Make the next ``times`` matching requests fail.

        ``fault`` is an HTTP status (429 sends Retry-After: ``retry_after``, default 1;
        ``html=True`` answers a text/html gateway page), "drop" (processed, then the
        connection is dropped), "drop_before" (dropped unprocessed) or ("slow", seconds).
        ``method`` and ``path`` (a path prefix) restrict which requests match.
        """
        made = _make_fault(
            fault, times=times, method=method, path=path, retry_after=retry_after, html=html
        )
        with self._lock:
            self._faults.append(made)

    # HTTP -------------------------------------------------------------------------------

    def handle(self, request: httpx.Request) -> httpx.Response:
        """Answer one request (for ``httpx.MockTransport``, sync or async clients).

        A "drop" fault raises :class:`httpx.RemoteProtocolError`, like a real
        server closing the connection; a "slow" one blocks with ``time.sleep``.
        """
        plan = self._begin(request)
        if plan.delay:
            time.sleep(plan.delay)
        return self._finish(plan)

    async def handle_async(self, request: httpx.Request) -> httpx.Response:
        """Like :meth:`handle`, but a "slow" fault awaits ``anyio.sleep`` (async clients only)."""
        plan = self._begin(request)
        if plan.delay:
            await anyio.sleep(plan.delay)
        return self._finish(plan)

    @property
    def asgi_app(self) -> ASGIApp:
        """An ASGI 3 app serving this sandbox (see :func:`ziett.sandbox.create_app`)."""
        from ziett.sandbox._asgi import create_app

        with self._lock:
            if self._app is None:
                self._app = create_app(self)
            return self._app

    def _finish(self, plan: _Plan) -> httpx.Response:
        response = self._complete(plan)
        if response is None:
            raise httpx.RemoteProtocolError(DROPPED_MESSAGE, request=plan.request)
        return response

    def _begin(self, request: httpx.Request) -> _Plan:
        """Log the request and draw its fault; the caller waits ``plan.delay`` next."""
        path = request.url.path
        if _is_control(path):
            return _Plan(request, None)
        with self._lock:
            self._requests.append((request.method, path))
            fault = next((f for f in self._faults if f.matches(request.method, path)), None)
            if fault is not None:
                fault.times -= 1
                if fault.times == 0:
                    self._faults.remove(fault)
        return _Plan(request, fault)

    def _complete(self, plan: _Plan) -> httpx.Response | None:
        """The response to a planned request; None when the connection must be dropped."""
        fault = plan.fault
        if fault is None or fault.kind == "slow":
            return self._respond(plan.request)
        if fault.kind == "drop_before":
            return None
        if fault.kind == "drop":
            self._respond(plan.request)
            return None
        return self._fault_response(fault)

    def _respond(self, request: httpx.Request) -> httpx.Response:
        try:
            if _is_control(request.url.path):
                route, params = _resolve(_CONTROL_ROUTES, request.method, request.url.path)
                return route.handler(self, _Call(request, params, self._clock()))
            with self._lock:
                return self._respond_api(request)
        except _ApiError as error:
            return self._error_response(error)

    def _respond_api(self, request: httpx.Request) -> httpx.Response:
        now = self._clock()
        self._catch_up(now)
        route, params = _resolve(_API_ROUTES, request.method, request.url.path)
        api_key = request.headers.get("x-api-key", "")
        scopes = self._state.scopes.get(api_key)
        if scopes is None:
            message = "The provided API key is invalid or has been revoked."
            if not api_key:
                message = "The X-API-KEY header is missing."
            raise _ApiError(401, "AUTH_INVALID_API_KEY", message)
        retry_after = self._limiter.hit(api_key, route.key, now)
        if retry_after is not None:
            raise _ApiError(
                429,
                "RATE_LIMIT_EXCEEDED",
                f"Rate limit exceeded for {route.key}. Retry in {retry_after} seconds.",
                headers={"Retry-After": str(retry_after)},
            )
        if route.scope is not None and route.scope not in scopes:
            raise _ApiError(
                403,
                "AUTH_INVALID_SCOPE",
                "Insufficient permissions (missing scope).",
                fields={"apikey": f"The provided key does not have the '{route.scope}' scope."},
            )
        return route.handler(self._state, _Call(request, params, now))

    def _catch_up(self, now: float | None = None) -> None:
        if self._auto_advance:
            self._state.catch_up(self._clock() if now is None else now)

    def _error_body(
        self, status: int, code: str, message: str, service: str, fields: Mapping[str, str]
    ) -> JSON:
        body: JSON = {
            "code": code,
            "message": message,
            "status": status,
            "trace_id": uuid.uuid4().hex,
            "timestamp": _iso(self._state.wall(self._clock())),
            "service": service,
        }
        if fields:
            body["fields"] = dict(fields)
        return body

    def _error_response(self, error: _ApiError) -> httpx.Response:
        body = self._error_body(
            error.status, error.code, error.message, error.service, error.fields
        )
        return _json(error.status, body, headers=error.headers)

    def _fault_response(self, fault: _Fault) -> httpx.Response:
        headers: dict[str, str] = {}
        retry_after = fault.retry_after
        if retry_after is None and fault.status == 429:
            retry_after = 1
        if retry_after is not None:
            headers["Retry-After"] = (
                retry_after if isinstance(retry_after, str) else str(math.ceil(retry_after))
            )
        if fault.html:
            return httpx.Response(fault.status, html=_gateway_page(fault.status), headers=headers)
        code, message = _fault_text(fault.status)
        body = self._error_body(fault.status, code, message, "core", {})
        return _json(fault.status, body, headers=headers)


# --- The control API (/_sandbox/...) -------------------------------------------------------------


def _control_body(request: httpx.Request) -> JSON:
    return _json_object(request, service="sandbox") if request.content.strip() else {}


def _control_error(name: str, message: str) -> _ApiError:
    return _validation_error({name: message}, service="sandbox")


def _state_response(sandbox: Sandbox) -> httpx.Response:
    return _json(200, sandbox.snapshot())


def _control_state(sandbox: Sandbox, call: _Call) -> httpx.Response:
    return _state_response(sandbox)


def _control_messages(sandbox: Sandbox, call: _Call) -> httpx.Response:
    return _json(200, sandbox.messages)


def _control_campaigns(sandbox: Sandbox, call: _Call) -> httpx.Response:
    return _json(200, sandbox.campaigns)


def _control_requests(sandbox: Sandbox, call: _Call) -> httpx.Response:
    return _json(200, [{"method": method, "path": path} for method, path in sandbox.requests])


def _control_advance(sandbox: Sandbox, call: _Call) -> httpx.Response:
    steps = _control_body(call.request).get("steps", 1)
    if not isinstance(steps, int) or isinstance(steps, bool) or steps < 1:
        raise _control_error("steps", "Must be an integer of at least 1.")
    sandbox.advance(steps)
    return _state_response(sandbox)


def _control_settle(sandbox: Sandbox, call: _Call) -> httpx.Response:
    sandbox.settle()
    return _state_response(sandbox)


def _control_top_up(sandbox: Sandbox, call: _Call) -> httpx.Response:
    amount = _control_body(call.request).get("amount")
    if isinstance(amount, bool) or not isinstance(amount, str | int | float):
        raise _control_error("amount", "A positive decimal amount is required.")
    try:
        sandbox.top_up(str(amount))
    except ValueError as exc:
        raise _control_error("amount", str(exc)) from None
    return _state_response(sandbox)


def _control_drain(sandbox: Sandbox, call: _Call) -> httpx.Response:
    sandbox.drain()
    return _state_response(sandbox)


def _control_reset(sandbox: Sandbox, call: _Call) -> httpx.Response:
    sandbox.reset()
    return _state_response(sandbox)


def _control_add_remitter(sandbox: Sandbox, call: _Call) -> httpx.Response:
    name = _control_body(call.request).get("name")
    if not isinstance(name, str) or not name:
        raise _control_error("name", "A sender name is required.")
    return _json(201, {"id": sandbox.add_remitter(name), "name": name})


def _control_inject(sandbox: Sandbox, call: _Call) -> httpx.Response:
    body = _control_body(call.request)
    fault: Any = body.get("fault")
    if fault == "slow":
        fault = ("slow", body.get("seconds", 1.0))
    elif isinstance(fault, list):
        fault = tuple(fault)
    for name in ("method", "path"):
        if body.get(name) is not None and not isinstance(body[name], str):
            raise _control_error(name, "Must be a string.")
    retry_after = body.get("retry_after")
    if isinstance(retry_after, bool) or not isinstance(retry_after, str | int | float | None):
        raise _control_error("retry_after", "Must be a number of seconds or an HTTP date.")
    try:
        sandbox.inject(
            fault,
            times=body.get("times", 1),
            method=body.get("method"),
            path=body.get("path"),
            retry_after=retry_after,
            html=bool(body.get("html", False)),
        )
    except ValueError as exc:
        raise _control_error("fault", str(exc)) from None
    return _state_response(sandbox)


_CONTROL_ROUTES: Final[tuple[_Route[Sandbox], ...]] = (
    _Route("GET", "/_sandbox/state", _control_state),
    _Route("GET", "/_sandbox/messages", _control_messages),
    _Route("GET", "/_sandbox/campaigns", _control_campaigns),
    _Route("GET", "/_sandbox/requests", _control_requests),
    _Route("POST", "/_sandbox/advance", _control_advance),
    _Route("POST", "/_sandbox/settle", _control_settle),
    _Route("POST", "/_sandbox/top_up", _control_top_up),
    _Route("POST", "/_sandbox/drain", _control_drain),
    _Route("POST", "/_sandbox/inject", _control_inject),
    _Route("POST", "/_sandbox/reset", _control_reset),
    _Route("POST", "/_sandbox/remitters", _control_add_remitter),
)
