"""Messages: send one, retrieve one, list the organisation's history.

The ``*_operation``/``*_listing`` functions do all the work (shaping, checking,
building the generated request); ``AsyncMessages`` and ``Messages`` only run them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Required, Unpack
from uuid import UUID

from ziett import _constraints as limits
from ziett._arguments import (
    Problems,
    aware_datetime,
    checked_body,
    enum_values,
    json_ready,
    uuid_values,
    values,
)
from ziett._pagination import AsyncPager, Listing, SyncPager
from ziett._transport import Operation, RequestOptions
from ziett.resources._common import arguments_of, by_id, listing, sending, sorting
from ziett_client.api.messages import list_messages, retrieve_message, send_message
from ziett_client.models import (
    ChannelType,
    Message,
    MessagePage,
    MessageStatus,
    SaveContact,
    SendChannelType,
    SendMessageAccepted,
    SendMessageRequest,
    SortField,
    SortOrder,
)

if TYPE_CHECKING:
    from ziett._client import AsyncZiett, Ziett


class SendParams(RequestOptions, total=False):
    """Arguments of ``messages.send``."""

    remitter_id: Required[str | UUID]
    target_e164: Required[str]
    content: Required[str]
    channel_type: str | SendChannelType
    save_contact: dict[str, Any] | SaveContact


class MessageFilters(RequestOptions, total=False):
    """Search, filters, sorting and paging shared by every message listing."""

    q: str
    status: str | MessageStatus | list[str | MessageStatus]
    channel_type: str | ChannelType | list[str | ChannelType]
    contact_id: str | UUID | list[str | UUID]
    remitter_id: str | UUID | list[str | UUID]
    trigger_source: str | list[str]
    channel_destination: str | list[str]
    created_at__ge: datetime | str
    created_at__le: datetime | str
    order: str | SortOrder
    order_by: str | SortField
    page_size: int
    limit: int | None


class ListMessagesParams(MessageFilters, total=False):
    """Arguments of ``messages.list``."""

    campaign_id: str | UUID | list[str | UUID]


def send_operation(params: SendParams) -> Operation[SendMessageAccepted]:
    """Check and build a send; raises ``ValidationError`` before any request."""
    options, arguments, problems = arguments_of(params, SendParams)
    body = checked_body(limits.SEND_MESSAGE, {"channel_type": "SMS", **arguments}, problems)
    problems.raise_if_any()
    since = datetime.now(UTC).replace(microsecond=0).isoformat()
    return sending(
        "send_message",
        send_message._get_kwargs(body=SendMessageRequest.from_dict(body)),
        SendMessageAccepted.from_dict,
        options,
        "The message may have been sent: before sending again, check "
        f"messages.list(q={body.get('target_e164')!r}, created_at__ge={since!r}).",
    )


def retrieve_operation(message_id: str | UUID, options: RequestOptions) -> Operation[Message]:
    """Build the retrieval of one message."""
    return by_id(
        "retrieve_message",
        "message_id",
        message_id,
        options,
        lambda identifier: retrieve_message._get_kwargs(message_id=identifier),
        Message.from_dict,
    )


def message_filters(arguments: dict[str, Any], problems: Problems) -> dict[str, Any]:
    """Listing arguments as the generated functions' keyword arguments (wire names)."""
    shaped: dict[str, Any] = {
        "q": arguments.get("q"),
        "status": enum_values(
            "status", arguments.get("status"), MessageStatus, limits.MESSAGE_STATUS_VALUES, problems
        ),
        "channel_type": enum_values(
            "channel_type",
            arguments.get("channel_type"),
            ChannelType,
            limits.CHANNEL_TYPE_VALUES,
            problems,
        ),
        "contact_id": uuid_values("contact_id", arguments.get("contact_id"), problems),
        "sms_remitter_id": uuid_values("remitter_id", arguments.get("remitter_id"), problems),
        "trigger_source": [str(json_ready(v)) for v in values(arguments.get("trigger_source"))],
        "channel_destination": [
            str(json_ready(v)) for v in values(arguments.get("channel_destination"))
        ],
        "created_at_ge": aware_datetime(
            "created_at__ge", arguments.get("created_at__ge"), problems
        ),
        "created_at_le": aware_datetime(
            "created_at__le", arguments.get("created_at__le"), problems
        ),
    }
    filters = {k: v for k, v in shaped.items() if v is not None and v != []}
    return {**filters, **sorting(arguments, problems)}


def list_listing(params: ListMessagesParams) -> Listing[MessagePage]:
    """Check and build the organisation-wide message listing."""
    options, arguments, problems = arguments_of(params, ListMessagesParams)
    filters = message_filters(arguments, problems)
    campaign_ids = uuid_values("campaign_id", arguments.get("campaign_id"), problems)
    if campaign_ids:
        filters["campaign_id"] = campaign_ids
    return listing(
        "list_messages",
        lambda page, size: list_messages._get_kwargs(page=page, size=size, **filters),
        MessagePage.from_dict,
        options,
        arguments,
        problems,
    )


class AsyncMessages:
    """``client.messages`` of :class:`ziett.AsyncZiett`."""

    def __init__(self, client: AsyncZiett) -> None:
        self._client = client

    async def send(self, **params: Unpack[SendParams]) -> SendMessageAccepted:
        """Send one message; returns once it is accepted and queued (not yet delivered)."""
        return await self._client._execute(send_operation(params))

    async def retrieve(self, message_id: str | UUID, **options: Unpack[RequestOptions]) -> Message:
        """One message and its delivery status."""
        return await self._client._execute(retrieve_operation(message_id, options))

    def list(self, **params: Unpack[ListMessagesParams]) -> AsyncPager[Message, MessagePage]:
        """Every matching message, fetched page by page as you iterate (``async for``)."""
        return AsyncPager(list_listing(params), self._client._execute)


class Messages:
    """``client.messages`` of :class:`ziett.Ziett`."""

    def __init__(self, client: Ziett) -> None:
        self._client = client

    def send(self, **params: Unpack[SendParams]) -> SendMessageAccepted:
        """Send one message; returns once it is accepted and queued (not yet delivered)."""
        return self._client._execute(send_operation(params))

    def retrieve(self, message_id: str | UUID, **options: Unpack[RequestOptions]) -> Message:
        """One message and its delivery status."""
        return self._client._execute(retrieve_operation(message_id, options))

    def list(self, **params: Unpack[ListMessagesParams]) -> SyncPager[Message, MessagePage]:
        """Every matching message, fetched page by page as you iterate."""
        return SyncPager(list_listing(params), self._client._execute)
