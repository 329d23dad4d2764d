"""Messages: send one, retrieve one, list the organisation's history.

Each method is written once, as a builder function below (its parameters and
docstring are what ``help()`` and IDEs show); :class:`AsyncMessages` and
:class:`Messages` only say how each one runs in their flavour (``ziett._methods``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Literal, TypeAlias
from uuid import UUID

import httpx

from ziett import _constraints as limits
from ziett._arguments import (
    NO_DEFAULTS,
    NOT_GIVEN,
    ClientDefaults,
    NotGiven,
    Problems,
    aware_datetime,
    call_options,
    checked_body,
    country_code,
    enum_value,
    enum_values,
    json_ready,
    missing_sender,
    phone_number,
    sender,
    single,
    uuid_values,
    values,
)
from ziett._pagination import Listing
from ziett._transport import Operation
from ziett.jobs.reconcile import message_finder
from ziett.resources._common import by_id, check_segments, listing, sending
from ziett_client.api.messages import list_messages, retrieve_message, send_message
from ziett_client.models import (
    ChannelType,
    Message,
    MessagePage,
    MessageStatus,
    SaveContact,
    SendChannelType,
    SendMessageAccepted,
    SortField,
    SortOrder,
)

MessageStatusName = Literal["PENDING", "SENT", "DELIVERED", "FAILED", "UNDELIVERED"]
"""A message's status (accepted in any letter case; sent as the API spells it)."""
ChannelTypeName = Literal["SMS", "WHATSAPP"]
SortOrderName = Literal["asc", "desc"]
SortFieldName = Literal["created_at", "updated_at"]
StatusFilter: TypeAlias = (
    MessageStatusName | MessageStatus | str | Sequence[MessageStatusName | MessageStatus | str]
)
"""One status or several (any letter case; the API's spelling is sent)."""
ChannelFilter: TypeAlias = (
    ChannelTypeName | ChannelType | str | Sequence[ChannelTypeName | ChannelType | str]
)
"""One channel or several."""
IdFilter: TypeAlias = str | UUID | Sequence[str | UUID]
"""One id or several."""
TextFilter: TypeAlias = str | Sequence[str]
"""One value or several."""
_LOOKUP = ("remitter_id", "target_e164", "content")  # what finds a send after an unknown outcome


def send(
    defaults: ClientDefaults = NO_DEFAULTS,
    /,
    *,
    target_e164: str,
    content: str,
    remitter_id: str | UUID | None = None,
    country_alpha2: str | None = None,
    channel_type: Literal["SMS"] | SendChannelType | str = "SMS",
    save_contact: SaveContact | dict[str, Any] | None = None,
    max_segments: int | None = None,
    timeout: float | httpx.Timeout | NotGiven | None = NOT_GIVEN,
    max_retries: int | None = None,
    deadline: float | None = None,
) -> Operation[SendMessageAccepted]:
    """Send one message; returns once it is accepted and queued (202), not yet delivered.

    Args:
        target_e164: The recipient: E.164 (``"+244990090990"``), or a local number
            with ``country_alpha2`` (or the client's ``default_country``), read by
            ``ziett.phone.normalize`` before sending.
        content: The text, 1 to 1,600 characters; see ``ziett.sms.analyze`` for its parts.
        remitter_id: The UUID of one of your approved Sender IDs; default: the
            client's ``default_remitter_id`` (``ZIETT_REMITTER_ID``).
        country_alpha2: The country of a local ``target_e164`` (ISO 3166-1, ``"AO"``,
            any case); default: the client's ``default_country``.
        channel_type: ``"SMS"`` (any case), the only channel the API sends.
        save_contact: Also save the recipient as a contact: ``{"name", "email", "tags"}``.
        max_segments: Refuse (``InvalidRequestError``, nothing sent) a text billed as
            more than this many SMS parts. Default: no guard.
        timeout: The HTTP timeout of the request, in seconds (or an ``httpx.Timeout``;
            ``None``: none), as in httpx. Default: the client's.
        max_retries: Retries for this call (default: the client's). A send is retried
            only when the server surely did not act (or per ``ambiguous_sends``).
        deadline: Seconds for the whole call, its retries and their waits included.

    Raises:
        InvalidRequestError: An argument breaks a documented rule; nothing was sent.
        ValidationError: The API refused the request (400/422); nothing was sent.
        ZiettError: Any other failure; ``error.may_have_been_sent`` tells whether
            the message may have gone out.
    """
    problems = Problems()
    options = call_options(timeout, max_retries, deadline, problems)
    found = Problems()  # checked here, said better than the body's rules would
    country = country_code(country_alpha2, defaults, found)
    target = phone_number(
        "target_e164", target_e164, limits.SEND_MESSAGE.properties["target_e164"], country, found
    )
    remitter = sender(remitter_id, defaults)
    body = checked_body(
        limits.SEND_MESSAGE,
        {
            "remitter_id": remitter,
            "channel_type": channel_type,
            "target_e164": target,
            "content": content,
            "save_contact": save_contact,
        },
        problems,
    )
    problems.update(found)
    missing_sender(remitter, problems)
    check_segments(content, max_segments, problems)
    problems.raise_if_any()
    since = datetime.now(UTC).replace(microsecond=0).isoformat()
    return sending(
        send_message.build_request(body=body),
        SendMessageAccepted.from_dict,
        options,
        "The message may have been sent: before sending again, check "
        f"messages.list(q={target!r}, created_at__ge={since!r}).",
    )._replace(reconcile=message_finder(**{k: body[k] for k in _LOOKUP}, list_messages=list))


def retrieve(
    message_id: str | UUID,
    *,
    timeout: float | httpx.Timeout | NotGiven | None = NOT_GIVEN,
    max_retries: int | None = None,
    deadline: float | None = None,
) -> Operation[Message]:
    """One message, with its delivery status and cost.

    Args:
        message_id: The message's id (``SendMessageAccepted.message_id``).
        timeout: The HTTP timeout of the request, in seconds (or an ``httpx.Timeout``;
            ``None``: none), as in httpx. Default: the client's.
        max_retries: Retries for this call (default: the client's).
        deadline: Seconds for the whole call, its retries and their waits included.

    Raises:
        NotFoundError: No such message in your organisation.
    """
    problems = Problems()
    options = call_options(timeout, max_retries, deadline, problems)
    return by_id(
        "message_id",
        message_id,
        options,
        problems,
        retrieve_message.build_request,
        Message.from_dict,
    )


def message_filters(arguments: dict[str, Any], problems: Problems) -> dict[str, Any]:
    """Listing filters as the generated builders' keyword arguments (wire names)."""
    q = arguments["q"]
    if q is not None and single("q", q, problems) and not isinstance(q, str):
        problems["q"] = f"Must be a string (got {q!r})."
    shaped: dict[str, Any] = {
        "q": q,
        "status": enum_values(
            "status", arguments["status"], MessageStatus, limits.MESSAGE_STATUS_VALUES, problems
        ),
        "channel_type": enum_values(
            "channel_type",
            arguments["channel_type"],
            ChannelType,
            limits.CHANNEL_TYPE_VALUES,
            problems,
        ),
        "contact_id": uuid_values("contact_id", arguments["contact_id"], problems),
        "sms_remitter_id": uuid_values("remitter_id", arguments["remitter_id"], problems),
        "trigger_source": [str(json_ready(v)) for v in values(arguments["trigger_source"])],
        "channel_destination": [
            str(json_ready(v)) for v in values(arguments["channel_destination"])
        ],
        "created_at_ge": aware_datetime("created_at__ge", arguments["created_at__ge"], problems),
        "created_at_le": aware_datetime("created_at__le", arguments["created_at__le"], problems),
        "order": enum_value(
            "order", arguments["order"], SortOrder, limits.SORT_ORDER_VALUES, problems
        ),
        "order_by": enum_value(
            "order_by", arguments["order_by"], SortField, limits.SORT_FIELD_VALUES, problems
        ),
    }
    return {k: v for k, v in shaped.items() if v is not None and v != []}


def list(
    *,
    q: str | None = None,
    status: StatusFilter | None = None,
    channel_type: ChannelFilter | None = None,
    campaign_id: IdFilter | None = None,
    contact_id: IdFilter | None = None,
    remitter_id: IdFilter | None = None,
    trigger_source: TextFilter | None = None,
    channel_destination: TextFilter | None = None,
    created_at__ge: datetime | str | None = None,
    created_at__le: datetime | str | None = None,
    order: SortOrderName | SortOrder | None = None,
    order_by: SortFieldName | SortField | None = None,
    page_size: int = 30,
    limit: int | None = None,
    timeout: float | httpx.Timeout | NotGiven | None = NOT_GIVEN,
    max_retries: int | None = None,
    deadline: float | None = None,
) -> Listing[Message, MessagePage]:
    """Every matching message of the organisation, fetched page by page as you iterate.

    No request is made until you iterate; ``.pages()`` gives the pages themselves
    (with ``total``). Filters that take several values accept one value or a list
    (``status=["SENT", "DELIVERED"]``: either status).

    Args:
        q: Search text (a phone number, a contact's name...).
        status: One status or several (``"SENT"``, ``MessageStatus.SENT``; any case).
        channel_type: ``"SMS"`` or ``"WHATSAPP"``, or a list.
        campaign_id: Only the messages of this campaign (or these campaigns).
        contact_id: Only the messages to this contact (or these contacts).
        remitter_id: Only the messages from this Sender ID (or these).
        trigger_source: Only messages triggered this way (``"API"``...), or a list.
        channel_destination: Only messages to this destination, or a list.
        created_at__ge: Created at or after this moment (timezone-aware ``datetime``
            or ISO 8601 with an offset; naive times are refused).
        created_at__le: Created at or before this moment (timezone-aware).
        order: ``"asc"`` or ``"desc"`` (one value).
        order_by: ``"created_at"`` or ``"updated_at"`` (one value).
        page_size: Messages per request, 1..200 (default 30).
        limit: Stop after this many messages (default: all).
        timeout: The HTTP timeout of each page's request, in seconds (or an
            ``httpx.Timeout``; ``None``: none), as in httpx. Default: the client's.
        max_retries: Retries of each page's request (default: the client's).
        deadline: Seconds for each page's call, its retries and their waits included.
    """
    problems = Problems()
    options = call_options(timeout, max_retries, deadline, problems)
    filters = message_filters(locals(), problems)
    campaign_ids = uuid_values("campaign_id", campaign_id, problems)
    if campaign_ids:
        filters["campaign_id"] = campaign_ids
    return listing(
        lambda page, size: list_messages.build_request(page=page, size=size, **filters),
        MessagePage.from_dict,
        options,
        page_size,
        limit,
        problems,
    )
