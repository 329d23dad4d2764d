"""The resource classes: generated from their builders by scripts/generate_resources.py.

Do not edit: change a builder (its signature and docstring are the method's) or
ziett/resources/_surface.py, then run `make generate`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal
from uuid import UUID

import httpx

from ziett._arguments import NOT_GIVEN, NotGiven
from ziett._methods import (
    Resource,
    call_async,
    call_sync,
    pager_async,
    pager_sync,
    raw_async,
    raw_sync,
)
from ziett._pagination import AsyncPager, SyncPager
from ziett._response import RawResponse
from ziett.resources import campaigns as _campaigns
from ziett.resources import messages as _messages
from ziett.resources.messages import (
    ChannelTypeName,
    Many,
    MessageStatusName,
    SortFieldName,
    SortOrderName,
)
from ziett_client.models import (
    BatchCampaignAccepted,
    Campaign,
    CampaignPage,
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

if TYPE_CHECKING:
    from ziett._client import AsyncZiett, Ziett

__all__ = [
    "AsyncCampaigns",
    "AsyncCampaignsWithRawResponse",
    "AsyncMessages",
    "AsyncMessagesWithRawResponse",
    "Campaigns",
    "CampaignsWithRawResponse",
    "Messages",
    "MessagesWithRawResponse",
]


class AsyncMessages(Resource):
    """``client.messages`` of :class:`ziett.AsyncZiett`."""

    _client: AsyncZiett

    async def send(
        self,
        *,
        remitter_id: str | UUID,
        target_e164: str,
        content: str,
        channel_type: Literal["SMS"] | SendChannelType = "SMS",
        save_contact: SaveContact | dict[str, Any] | None = None,
        max_segments: int | None = None,
        timeout: float | httpx.Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> SendMessageAccepted:
        """Send one message; returns once it is accepted and queued (202), not yet delivered.

        Args:
            remitter_id: The UUID of one of your approved Sender IDs.
            target_e164: The recipient in E.164 form (``+244990090990``); see
                ``ziett.phone.normalize`` for other spellings.
            content: The text, 1 to 1,600 characters; see ``ziett.sms.analyze`` for its parts.
            channel_type: ``"SMS"``, the only channel the API sends.
            save_contact: Also save the recipient as a contact: ``{"name", "email", "tags"}``.
            max_segments: Refuse (``ValidationError``, nothing sent) a text billed as more
                than this many SMS parts. Default: no guard.
            timeout: Per-attempt timeout in seconds (or ``httpx.Timeout``; ``None``: none).
                Default: the client's.
            max_retries: Retries for this call (default: the client's). A send is retried
                only when the server surely did not act (or per ``ambiguous_sends``).
            deadline: Seconds for the whole call, waits and retries included.

        Raises:
            ValidationError: An argument breaks a documented rule (before sending), or
                the API refused it (422).
            ZiettError: Any other failure; ``error.may_have_been_sent`` tells whether
                the message may have gone out.
        """
        return await call_async(
            self._client,
            _messages.send(
                remitter_id=remitter_id,
                target_e164=target_e164,
                content=content,
                channel_type=channel_type,
                save_contact=save_contact,
                max_segments=max_segments,
                timeout=timeout,
                max_retries=max_retries,
                deadline=deadline,
            ),
        )

    async def retrieve(
        self,
        message_id: str | UUID,
        *,
        timeout: float | httpx.Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> Message:
        """One message, with its delivery status and cost.

        Args:
            message_id: The message's id (``SendMessageAccepted.message_id``).
            timeout: Per-attempt timeout in seconds (default: the client's).
            max_retries: Retries for this call (default: the client's).
            deadline: Seconds for the whole call, waits and retries included.

        Raises:
            NotFoundError: No such message in your organisation.
        """
        return await call_async(
            self._client,
            _messages.retrieve(
                message_id, timeout=timeout, max_retries=max_retries, deadline=deadline
            ),
        )

    def list(
        self,
        *,
        q: str | None = None,
        status: MessageStatusName | MessageStatus | Many | None = None,
        channel_type: ChannelTypeName | ChannelType | Many | None = None,
        campaign_id: str | UUID | Many | None = None,
        contact_id: str | UUID | Many | None = None,
        remitter_id: str | UUID | Many | None = None,
        trigger_source: str | Many | None = None,
        channel_destination: str | Many | None = None,
        created_at__ge: datetime | str | None = None,
        created_at__le: datetime | str | None = None,
        order: SortOrderName | SortOrder | None = None,
        order_by: SortFieldName | SortField | None = None,
        page_size: int = 30,
        limit: int | None = None,
        timeout: float | httpx.Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> AsyncPager[Message, MessagePage]:
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
            timeout: Per-attempt timeout of each page request (default: the client's).
            max_retries: Retries of each page request (default: the client's).
            deadline: Seconds for each page request, waits and retries included.
        """
        return pager_async(
            self._client,
            _messages.list(
                q=q,
                status=status,
                channel_type=channel_type,
                campaign_id=campaign_id,
                contact_id=contact_id,
                remitter_id=remitter_id,
                trigger_source=trigger_source,
                channel_destination=channel_destination,
                created_at__ge=created_at__ge,
                created_at__le=created_at__le,
                order=order,
                order_by=order_by,
                page_size=page_size,
                limit=limit,
                timeout=timeout,
                max_retries=max_retries,
                deadline=deadline,
            ),
        )

    @property
    def with_raw_response(self) -> AsyncMessagesWithRawResponse:
        """The same calls, returning the HTTP response (``.headers``, ``.parse()``)."""
        return AsyncMessagesWithRawResponse(self._client)


class Messages(Resource):
    """``client.messages`` of :class:`ziett.Ziett`."""

    _client: Ziett

    def send(
        self,
        *,
        remitter_id: str | UUID,
        target_e164: str,
        content: str,
        channel_type: Literal["SMS"] | SendChannelType = "SMS",
        save_contact: SaveContact | dict[str, Any] | None = None,
        max_segments: int | None = None,
        timeout: float | httpx.Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> SendMessageAccepted:
        """Send one message; returns once it is accepted and queued (202), not yet delivered.

        Args:
            remitter_id: The UUID of one of your approved Sender IDs.
            target_e164: The recipient in E.164 form (``+244990090990``); see
                ``ziett.phone.normalize`` for other spellings.
            content: The text, 1 to 1,600 characters; see ``ziett.sms.analyze`` for its parts.
            channel_type: ``"SMS"``, the only channel the API sends.
            save_contact: Also save the recipient as a contact: ``{"name", "email", "tags"}``.
            max_segments: Refuse (``ValidationError``, nothing sent) a text billed as more
                than this many SMS parts. Default: no guard.
            timeout: Per-attempt timeout in seconds (or ``httpx.Timeout``; ``None``: none).
                Default: the client's.
            max_retries: Retries for this call (default: the client's). A send is retried
                only when the server surely did not act (or per ``ambiguous_sends``).
            deadline: Seconds for the whole call, waits and retries included.

        Raises:
            ValidationError: An argument breaks a documented rule (before sending), or
                the API refused it (422).
            ZiettError: Any other failure; ``error.may_have_been_sent`` tells whether
                the message may have gone out.
        """
        return call_sync(
            self._client,
            _messages.send(
                remitter_id=remitter_id,
                target_e164=target_e164,
                content=content,
                channel_type=channel_type,
                save_contact=save_contact,
                max_segments=max_segments,
                timeout=timeout,
                max_retries=max_retries,
                deadline=deadline,
            ),
        )

    def retrieve(
        self,
        message_id: str | UUID,
        *,
        timeout: float | httpx.Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> Message:
        """One message, with its delivery status and cost.

        Args:
            message_id: The message's id (``SendMessageAccepted.message_id``).
            timeout: Per-attempt timeout in seconds (default: the client's).
            max_retries: Retries for this call (default: the client's).
            deadline: Seconds for the whole call, waits and retries included.

        Raises:
            NotFoundError: No such message in your organisation.
        """
        return call_sync(
            self._client,
            _messages.retrieve(
                message_id, timeout=timeout, max_retries=max_retries, deadline=deadline
            ),
        )

    def list(
        self,
        *,
        q: str | None = None,
        status: MessageStatusName | MessageStatus | Many | None = None,
        channel_type: ChannelTypeName | ChannelType | Many | None = None,
        campaign_id: str | UUID | Many | None = None,
        contact_id: str | UUID | Many | None = None,
        remitter_id: str | UUID | Many | None = None,
        trigger_source: str | Many | None = None,
        channel_destination: str | Many | None = None,
        created_at__ge: datetime | str | None = None,
        created_at__le: datetime | str | None = None,
        order: SortOrderName | SortOrder | None = None,
        order_by: SortFieldName | SortField | None = None,
        page_size: int = 30,
        limit: int | None = None,
        timeout: float | httpx.Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> SyncPager[Message, MessagePage]:
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
            timeout: Per-attempt timeout of each page request (default: the client's).
            max_retries: Retries of each page request (default: the client's).
            deadline: Seconds for each page request, waits and retries included.
        """
        return pager_sync(
            self._client,
            _messages.list(
                q=q,
                status=status,
                channel_type=channel_type,
                campaign_id=campaign_id,
                contact_id=contact_id,
                remitter_id=remitter_id,
                trigger_source=trigger_source,
                channel_destination=channel_destination,
                created_at__ge=created_at__ge,
                created_at__le=created_at__le,
                order=order,
                order_by=order_by,
                page_size=page_size,
                limit=limit,
                timeout=timeout,
                max_retries=max_retries,
                deadline=deadline,
            ),
        )

    @property
    def with_raw_response(self) -> MessagesWithRawResponse:
        """The same calls, returning the HTTP response (``.headers``, ``.parse()``)."""
        return MessagesWithRawResponse(self._client)


class AsyncMessagesWithRawResponse(Resource):
    """``client.messages.with_raw_response`` of :class:`ziett.AsyncZiett`."""

    _client: AsyncZiett

    async def send(
        self,
        *,
        remitter_id: str | UUID,
        target_e164: str,
        content: str,
        channel_type: Literal["SMS"] | SendChannelType = "SMS",
        save_contact: SaveContact | dict[str, Any] | None = None,
        max_segments: int | None = None,
        timeout: float | httpx.Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> RawResponse[SendMessageAccepted]:
        """Send one message; returns once it is accepted and queued (202), not yet delivered.

        Returns the HTTP response; ``.parse()`` gives the model.
        """
        return await raw_async(
            self._client,
            _messages.send(
                remitter_id=remitter_id,
                target_e164=target_e164,
                content=content,
                channel_type=channel_type,
                save_contact=save_contact,
                max_segments=max_segments,
                timeout=timeout,
                max_retries=max_retries,
                deadline=deadline,
            ),
        )

    async def retrieve(
        self,
        message_id: str | UUID,
        *,
        timeout: float | httpx.Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> RawResponse[Message]:
        """One message, with its delivery status and cost.

        Returns the HTTP response; ``.parse()`` gives the model.
        """
        return await raw_async(
            self._client,
            _messages.retrieve(
                message_id, timeout=timeout, max_retries=max_retries, deadline=deadline
            ),
        )

    async def list(
        self,
        *,
        q: str | None = None,
        status: MessageStatusName | MessageStatus | Many | None = None,
        channel_type: ChannelTypeName | ChannelType | Many | None = None,
        campaign_id: str | UUID | Many | None = None,
        contact_id: str | UUID | Many | None = None,
        remitter_id: str | UUID | Many | None = None,
        trigger_source: str | Many | None = None,
        channel_destination: str | Many | None = None,
        created_at__ge: datetime | str | None = None,
        created_at__le: datetime | str | None = None,
        order: SortOrderName | SortOrder | None = None,
        order_by: SortFieldName | SortField | None = None,
        page_size: int = 30,
        limit: int | None = None,
        timeout: float | httpx.Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> RawResponse[MessagePage]:
        """Every matching message of the organisation, fetched page by page as you iterate.

        Returns the HTTP response; ``.parse()`` gives the model.
        """
        return await raw_async(
            self._client,
            _messages.list(
                q=q,
                status=status,
                channel_type=channel_type,
                campaign_id=campaign_id,
                contact_id=contact_id,
                remitter_id=remitter_id,
                trigger_source=trigger_source,
                channel_destination=channel_destination,
                created_at__ge=created_at__ge,
                created_at__le=created_at__le,
                order=order,
                order_by=order_by,
                page_size=page_size,
                limit=limit,
                timeout=timeout,
                max_retries=max_retries,
                deadline=deadline,
            ).first_page(),
        )


class MessagesWithRawResponse(Resource):
    """``client.messages.with_raw_response`` of :class:`ziett.Ziett`."""

    _client: Ziett

    def send(
        self,
        *,
        remitter_id: str | UUID,
        target_e164: str,
        content: str,
        channel_type: Literal["SMS"] | SendChannelType = "SMS",
        save_contact: SaveContact | dict[str, Any] | None = None,
        max_segments: int | None = None,
        timeout: float | httpx.Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> RawResponse[SendMessageAccepted]:
        """Send one message; returns once it is accepted and queued (202), not yet delivered.

        Returns the HTTP response; ``.parse()`` gives the model.
        """
        return raw_sync(
            self._client,
            _messages.send(
                remitter_id=remitter_id,
                target_e164=target_e164,
                content=content,
                channel_type=channel_type,
                save_contact=save_contact,
                max_segments=max_segments,
                timeout=timeout,
                max_retries=max_retries,
                deadline=deadline,
            ),
        )

    def retrieve(
        self,
        message_id: str | UUID,
        *,
        timeout: float | httpx.Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> RawResponse[Message]:
        """One message, with its delivery status and cost.

        Returns the HTTP response; ``.parse()`` gives the model.
        """
        return raw_sync(
            self._client,
            _messages.retrieve(
                message_id, timeout=timeout, max_retries=max_retries, deadline=deadline
            ),
        )

    def list(
        self,
        *,
        q: str | None = None,
        status: MessageStatusName | MessageStatus | Many | None = None,
        channel_type: ChannelTypeName | ChannelType | Many | None = None,
        campaign_id: str | UUID | Many | None = None,
        contact_id: str | UUID | Many | None = None,
        remitter_id: str | UUID | Many | None = None,
        trigger_source: str | Many | None = None,
        channel_destination: str | Many | None = None,
        created_at__ge: datetime | str | None = None,
        created_at__le: datetime | str | None = None,
        order: SortOrderName | SortOrder | None = None,
        order_by: SortFieldName | SortField | None = None,
        page_size: int = 30,
        limit: int | None = None,
        timeout: float | httpx.Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> RawResponse[MessagePage]:
        """Every matching message of the organisation, fetched page by page as you iterate.

        Returns the HTTP response; ``.parse()`` gives the model.
        """
        return raw_sync(
            self._client,
            _messages.list(
                q=q,
                status=status,
                channel_type=channel_type,
                campaign_id=campaign_id,
                contact_id=contact_id,
                remitter_id=remitter_id,
                trigger_source=trigger_source,
                channel_destination=channel_destination,
                created_at__ge=created_at__ge,
                created_at__le=created_at__le,
                order=order,
                order_by=order_by,
                page_size=page_size,
                limit=limit,
                timeout=timeout,
                max_retries=max_retries,
                deadline=deadline,
            ).first_page(),
        )


class AsyncCampaigns(Resource):
    """``client.campaigns`` of :class:`ziett.AsyncZiett`."""

    _client: AsyncZiett

    async def create_batch(
        self,
        *,
        name: str,
        remitter_id: str | UUID,
        content: str,
        recipients: Iterable[str],
        country_alpha2: str | None = None,
        channel_type: Literal["SMS"] | SendChannelType = "SMS",
        max_segments: int | None = None,
        timeout: float | httpx.Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> BatchCampaignAccepted:
        """Create a batch campaign (2..1,000 recipients); the server sends it in the background.

        For larger audiences, de-duplication and a crash-safe resume, use ``send_bulk``.

        Args:
            name: The campaign's name, 1..200 characters (shown in the dashboard).
            remitter_id: The UUID v7 of one of your approved Sender IDs.
            content: The text, 1..10,000 characters; see ``ziett.sms.analyze``.
            recipients: 2..1,000 phone numbers (E.164, or local with ``country_alpha2``).
            country_alpha2: How the server reads local numbers (ISO 3166-1, ``"AO"``).
            channel_type: ``"SMS"``, the only channel the API sends.
            max_segments: Refuse (``ValidationError``, nothing sent) a text billed as more
                than this many SMS parts per recipient. Default: no guard.
            timeout: Per-attempt timeout in seconds (default: the client's).
            max_retries: Retries for this call (default: the client's); never an
                ambiguous retry unless the client's ``ambiguous_sends`` says so.
            deadline: Seconds for the whole call, waits and retries included.

        Raises:
            ValidationError: An argument breaks a documented rule (before sending), or
                the API refused it (422).
            ZiettError: Any other failure; ``error.may_have_been_sent`` tells whether the
                campaign may have been created.
        """
        return await call_async(
            self._client,
            _campaigns.create_batch(
                name=name,
                remitter_id=remitter_id,
                content=content,
                recipients=recipients,
                country_alpha2=country_alpha2,
                channel_type=channel_type,
                max_segments=max_segments,
                timeout=timeout,
                max_retries=max_retries,
                deadline=deadline,
            ),
        )

    async def retrieve(
        self,
        campaign_id: str | UUID,
        *,
        timeout: float | httpx.Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> Campaign:
        """One campaign, with its status and summary.

        Args:
            campaign_id: The campaign's id (``BatchCampaignAccepted.campaign_id``).
            timeout: Per-attempt timeout in seconds (default: the client's).
            max_retries: Retries for this call (default: the client's).
            deadline: Seconds for the whole call, waits and retries included.

        Raises:
            NotFoundError: No such campaign in your organisation.
        """
        return await call_async(
            self._client,
            _campaigns.retrieve(
                campaign_id, timeout=timeout, max_retries=max_retries, deadline=deadline
            ),
        )

    def list(
        self,
        *,
        order: SortOrderName | SortOrder | None = None,
        order_by: SortFieldName | SortField | None = None,
        page_size: int = 30,
        limit: int | None = None,
        timeout: float | httpx.Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> AsyncPager[Campaign, CampaignPage]:
        """Every campaign, fetched page by page as you iterate (no request until then).

        Args:
            order: ``"asc"`` or ``"desc"`` (one value).
            order_by: ``"created_at"`` or ``"updated_at"`` (one value).
            page_size: Campaigns per request, 1..200 (default 30).
            limit: Stop after this many campaigns (default: all).
            timeout: Per-attempt timeout of each page request (default: the client's).
            max_retries: Retries of each page request (default: the client's).
            deadline: Seconds for each page request, waits and retries included.
        """
        return pager_async(
            self._client,
            _campaigns.list(
                order=order,
                order_by=order_by,
                page_size=page_size,
                limit=limit,
                timeout=timeout,
                max_retries=max_retries,
                deadline=deadline,
            ),
        )

    def list_messages(
        self,
        campaign_id: str | UUID,
        *,
        q: str | None = None,
        status: MessageStatusName | MessageStatus | Many | None = None,
        channel_type: ChannelTypeName | ChannelType | Many | None = None,
        contact_id: str | UUID | Many | None = None,
        remitter_id: str | UUID | Many | None = None,
        trigger_source: str | Many | None = None,
        channel_destination: str | Many | None = None,
        created_at__ge: datetime | str | None = None,
        created_at__le: datetime | str | None = None,
        order: SortOrderName | SortOrder | None = None,
        order_by: SortFieldName | SortField | None = None,
        page_size: int = 30,
        limit: int | None = None,
        timeout: float | httpx.Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> AsyncPager[Message, MessagePage]:
        """One campaign's messages, fetched page by page as you iterate.

        Takes the filters of ``messages.list`` (one value or a list where several
        make sense), scoped to the campaign.

        Args:
            campaign_id: The campaign whose messages to list.
            q: Search text (a phone number, a contact's name...).
            status: One status or several (any case).
            channel_type: ``"SMS"`` or ``"WHATSAPP"``, or a list.
            contact_id: Only the messages to this contact (or these contacts).
            remitter_id: Only the messages from this Sender ID (or these).
            trigger_source: Only messages triggered this way, or a list.
            channel_destination: Only messages to this destination, or a list.
            created_at__ge: Created at or after this moment (timezone-aware).
            created_at__le: Created at or before this moment (timezone-aware).
            order: ``"asc"`` or ``"desc"`` (one value).
            order_by: ``"created_at"`` or ``"updated_at"`` (one value).
            page_size: Messages per request, 1..200 (default 30).
            limit: Stop after this many messages (default: all).
            timeout: Per-attempt timeout of each page request (default: the client's).
            max_retries: Retries of each page request (default: the client's).
            deadline: Seconds for each page request, waits and retries included.
        """
        return pager_async(
            self._client,
            _campaigns.list_messages(
                campaign_id,
                q=q,
                status=status,
                channel_type=channel_type,
                contact_id=contact_id,
                remitter_id=remitter_id,
                trigger_source=trigger_source,
                channel_destination=channel_destination,
                created_at__ge=created_at__ge,
                created_at__le=created_at__le,
                order=order,
                order_by=order_by,
                page_size=page_size,
                limit=limit,
                timeout=timeout,
                max_retries=max_retries,
                deadline=deadline,
            ),
        )

    @property
    def with_raw_response(self) -> AsyncCampaignsWithRawResponse:
        """The same calls, returning the HTTP response (``.headers``, ``.parse()``)."""
        return AsyncCampaignsWithRawResponse(self._client)


class Campaigns(Resource):
    """``client.campaigns`` of :class:`ziett.Ziett`."""

    _client: Ziett

    def create_batch(
        self,
        *,
        name: str,
        remitter_id: str | UUID,
        content: str,
        recipients: Iterable[str],
        country_alpha2: str | None = None,
        channel_type: Literal["SMS"] | SendChannelType = "SMS",
        max_segments: int | None = None,
        timeout: float | httpx.Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> BatchCampaignAccepted:
        """Create a batch campaign (2..1,000 recipients); the server sends it in the background.

        For larger audiences, de-duplication and a crash-safe resume, use ``send_bulk``.

        Args:
            name: The campaign's name, 1..200 characters (shown in the dashboard).
            remitter_id: The UUID v7 of one of your approved Sender IDs.
            content: The text, 1..10,000 characters; see ``ziett.sms.analyze``.
            recipients: 2..1,000 phone numbers (E.164, or local with ``country_alpha2``).
            country_alpha2: How the server reads local numbers (ISO 3166-1, ``"AO"``).
            channel_type: ``"SMS"``, the only channel the API sends.
            max_segments: Refuse (``ValidationError``, nothing sent) a text billed as more
                than this many SMS parts per recipient. Default: no guard.
            timeout: Per-attempt timeout in seconds (default: the client's).
            max_retries: Retries for this call (default: the client's); never an
                ambiguous retry unless the client's ``ambiguous_sends`` says so.
            deadline: Seconds for the whole call, waits and retries included.

        Raises:
            ValidationError: An argument breaks a documented rule (before sending), or
                the API refused it (422).
            ZiettError: Any other failure; ``error.may_have_been_sent`` tells whether the
                campaign may have been created.
        """
        return call_sync(
            self._client,
            _campaigns.create_batch(
                name=name,
                remitter_id=remitter_id,
                content=content,
                recipients=recipients,
                country_alpha2=country_alpha2,
                channel_type=channel_type,
                max_segments=max_segments,
                timeout=timeout,
                max_retries=max_retries,
                deadline=deadline,
            ),
        )

    def retrieve(
        self,
        campaign_id: str | UUID,
        *,
        timeout: float | httpx.Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> Campaign:
        """One campaign, with its status and summary.

        Args:
            campaign_id: The campaign's id (``BatchCampaignAccepted.campaign_id``).
            timeout: Per-attempt timeout in seconds (default: the client's).
            max_retries: Retries for this call (default: the client's).
            deadline: Seconds for the whole call, waits and retries included.

        Raises:
            NotFoundError: No such campaign in your organisation.
        """
        return call_sync(
            self._client,
            _campaigns.retrieve(
                campaign_id, timeout=timeout, max_retries=max_retries, deadline=deadline
            ),
        )

    def list(
        self,
        *,
        order: SortOrderName | SortOrder | None = None,
        order_by: SortFieldName | SortField | None = None,
        page_size: int = 30,
        limit: int | None = None,
        timeout: float | httpx.Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> SyncPager[Campaign, CampaignPage]:
        """Every campaign, fetched page by page as you iterate (no request until then).

        Args:
            order: ``"asc"`` or ``"desc"`` (one value).
            order_by: ``"created_at"`` or ``"updated_at"`` (one value).
            page_size: Campaigns per request, 1..200 (default 30).
            limit: Stop after this many campaigns (default: all).
            timeout: Per-attempt timeout of each page request (default: the client's).
            max_retries: Retries of each page request (default: the client's).
            deadline: Seconds for each page request, waits and retries included.
        """
        return pager_sync(
            self._client,
            _campaigns.list(
                order=order,
                order_by=order_by,
                page_size=page_size,
                limit=limit,
                timeout=timeout,
                max_retries=max_retries,
                deadline=deadline,
            ),
        )

    def list_messages(
        self,
        campaign_id: str | UUID,
        *,
        q: str | None = None,
        status: MessageStatusName | MessageStatus | Many | None = None,
        channel_type: ChannelTypeName | ChannelType | Many | None = None,
        contact_id: str | UUID | Many | None = None,
        remitter_id: str | UUID | Many | None = None,
        trigger_source: str | Many | None = None,
        channel_destination: str | Many | None = None,
        created_at__ge: datetime | str | None = None,
        created_at__le: datetime | str | None = None,
        order: SortOrderName | SortOrder | None = None,
        order_by: SortFieldName | SortField | None = None,
        page_size: int = 30,
        limit: int | None = None,
        timeout: float | httpx.Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> SyncPager[Message, MessagePage]:
        """One campaign's messages, fetched page by page as you iterate.

        Takes the filters of ``messages.list`` (one value or a list where several
        make sense), scoped to the campaign.

        Args:
            campaign_id: The campaign whose messages to list.
            q: Search text (a phone number, a contact's name...).
            status: One status or several (any case).
            channel_type: ``"SMS"`` or ``"WHATSAPP"``, or a list.
            contact_id: Only the messages to this contact (or these contacts).
            remitter_id: Only the messages from this Sender ID (or these).
            trigger_source: Only messages triggered this way, or a list.
            channel_destination: Only messages to this destination, or a list.
            created_at__ge: Created at or after this moment (timezone-aware).
            created_at__le: Created at or before this moment (timezone-aware).
            order: ``"asc"`` or ``"desc"`` (one value).
            order_by: ``"created_at"`` or ``"updated_at"`` (one value).
            page_size: Messages per request, 1..200 (default 30).
            limit: Stop after this many messages (default: all).
            timeout: Per-attempt timeout of each page request (default: the client's).
            max_retries: Retries of each page request (default: the client's).
            deadline: Seconds for each page request, waits and retries included.
        """
        return pager_sync(
            self._client,
            _campaigns.list_messages(
                campaign_id,
                q=q,
                status=status,
                channel_type=channel_type,
                contact_id=contact_id,
                remitter_id=remitter_id,
                trigger_source=trigger_source,
                channel_destination=channel_destination,
                created_at__ge=created_at__ge,
                created_at__le=created_at__le,
                order=order,
                order_by=order_by,
                page_size=page_size,
                limit=limit,
                timeout=timeout,
                max_retries=max_retries,
                deadline=deadline,
            ),
        )

    @property
    def with_raw_response(self) -> CampaignsWithRawResponse:
        """The same calls, returning the HTTP response (``.headers``, ``.parse()``)."""
        return CampaignsWithRawResponse(self._client)


class AsyncCampaignsWithRawResponse(Resource):
    """``client.campaigns.with_raw_response`` of :class:`ziett.AsyncZiett`."""

    _client: AsyncZiett

    async def create_batch(
        self,
        *,
        name: str,
        remitter_id: str | UUID,
        content: str,
        recipients: Iterable[str],
        country_alpha2: str | None = None,
        channel_type: Literal["SMS"] | SendChannelType = "SMS",
        max_segments: int | None = None,
        timeout: float | httpx.Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> RawResponse[BatchCampaignAccepted]:
        """Create a batch campaign (2..1,000 recipients); the server sends it in the background.

        Returns the HTTP response; ``.parse()`` gives the model.
        """
        return await raw_async(
            self._client,
            _campaigns.create_batch(
                name=name,
                remitter_id=remitter_id,
                content=content,
                recipients=recipients,
                country_alpha2=country_alpha2,
                channel_type=channel_type,
                max_segments=max_segments,
                timeout=timeout,
                max_retries=max_retries,
                deadline=deadline,
            ),
        )

    async def retrieve(
        self,
        campaign_id: str | UUID,
        *,
        timeout: float | httpx.Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> RawResponse[Campaign]:
        """One campaign, with its status and summary.

        Returns the HTTP response; ``.parse()`` gives the model.
        """
        return await raw_async(
            self._client,
            _campaigns.retrieve(
                campaign_id, timeout=timeout, max_retries=max_retries, deadline=deadline
            ),
        )

    async def list(
        self,
        *,
        order: SortOrderName | SortOrder | None = None,
        order_by: SortFieldName | SortField | None = None,
        page_size: int = 30,
        limit: int | None = None,
        timeout: float | httpx.Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> RawResponse[CampaignPage]:
        """Every campaign, fetched page by page as you iterate (no request until then).

        Returns the HTTP response; ``.parse()`` gives the model.
        """
        return await raw_async(
            self._client,
            _campaigns.list(
                order=order,
                order_by=order_by,
                page_size=page_size,
                limit=limit,
                timeout=timeout,
                max_retries=max_retries,
                deadline=deadline,
            ).first_page(),
        )

    async def list_messages(
        self,
        campaign_id: str | UUID,
        *,
        q: str | None = None,
        status: MessageStatusName | MessageStatus | Many | None = None,
        channel_type: ChannelTypeName | ChannelType | Many | None = None,
        contact_id: str | UUID | Many | None = None,
        remitter_id: str | UUID | Many | None = None,
        trigger_source: str | Many | None = None,
        channel_destination: str | Many | None = None,
        created_at__ge: datetime | str | None = None,
        created_at__le: datetime | str | None = None,
        order: SortOrderName | SortOrder | None = None,
        order_by: SortFieldName | SortField | None = None,
        page_size: int = 30,
        limit: int | None = None,
        timeout: float | httpx.Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> RawResponse[MessagePage]:
        """One campaign's messages, fetched page by page as you iterate.

        Returns the HTTP response; ``.parse()`` gives the model.
        """
        return await raw_async(
            self._client,
            _campaigns.list_messages(
                campaign_id,
                q=q,
                status=status,
                channel_type=channel_type,
                contact_id=contact_id,
                remitter_id=remitter_id,
                trigger_source=trigger_source,
                channel_destination=channel_destination,
                created_at__ge=created_at__ge,
                created_at__le=created_at__le,
                order=order,
                order_by=order_by,
                page_size=page_size,
                limit=limit,
                timeout=timeout,
                max_retries=max_retries,
                deadline=deadline,
            ).first_page(),
        )


class CampaignsWithRawResponse(Resource):
    """``client.campaigns.with_raw_response`` of :class:`ziett.Ziett`."""

    _client: Ziett

    def create_batch(
        self,
        *,
        name: str,
        remitter_id: str | UUID,
        content: str,
        recipients: Iterable[str],
        country_alpha2: str | None = None,
        channel_type: Literal["SMS"] | SendChannelType = "SMS",
        max_segments: int | None = None,
        timeout: float | httpx.Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> RawResponse[BatchCampaignAccepted]:
        """Create a batch campaign (2..1,000 recipients); the server sends it in the background.

        Returns the HTTP response; ``.parse()`` gives the model.
        """
        return raw_sync(
            self._client,
            _campaigns.create_batch(
                name=name,
                remitter_id=remitter_id,
                content=content,
                recipients=recipients,
                country_alpha2=country_alpha2,
                channel_type=channel_type,
                max_segments=max_segments,
                timeout=timeout,
                max_retries=max_retries,
                deadline=deadline,
            ),
        )

    def retrieve(
        self,
        campaign_id: str | UUID,
        *,
        timeout: float | httpx.Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> RawResponse[Campaign]:
        """One campaign, with its status and summary.

        Returns the HTTP response; ``.parse()`` gives the model.
        """
        return raw_sync(
            self._client,
            _campaigns.retrieve(
                campaign_id, timeout=timeout, max_retries=max_retries, deadline=deadline
            ),
        )

    def list(
        self,
        *,
        order: SortOrderName | SortOrder | None = None,
        order_by: SortFieldName | SortField | None = None,
        page_size: int = 30,
        limit: int | None = None,
        timeout: float | httpx.Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> RawResponse[CampaignPage]:
        """Every campaign, fetched page by page as you iterate (no request until then).

        Returns the HTTP response; ``.parse()`` gives the model.
        """
        return raw_sync(
            self._client,
            _campaigns.list(
                order=order,
                order_by=order_by,
                page_size=page_size,
                limit=limit,
                timeout=timeout,
                max_retries=max_retries,
                deadline=deadline,
            ).first_page(),
        )

    def list_messages(
        self,
        campaign_id: str | UUID,
        *,
        q: str | None = None,
        status: MessageStatusName | MessageStatus | Many | None = None,
        channel_type: ChannelTypeName | ChannelType | Many | None = None,
        contact_id: str | UUID | Many | None = None,
        remitter_id: str | UUID | Many | None = None,
        trigger_source: str | Many | None = None,
        channel_destination: str | Many | None = None,
        created_at__ge: datetime | str | None = None,
        created_at__le: datetime | str | None = None,
        order: SortOrderName | SortOrder | None = None,
        order_by: SortFieldName | SortField | None = None,
        page_size: int = 30,
        limit: int | None = None,
        timeout: float | httpx.Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> RawResponse[MessagePage]:
        """One campaign's messages, fetched page by page as you iterate.

        Returns the HTTP response; ``.parse()`` gives the model.
        """
        return raw_sync(
            self._client,
            _campaigns.list_messages(
                campaign_id,
                q=q,
                status=status,
                channel_type=channel_type,
                contact_id=contact_id,
                remitter_id=remitter_id,
                trigger_source=trigger_source,
                channel_destination=channel_destination,
                created_at__ge=created_at__ge,
                created_at__le=created_at__le,
                order=order,
                order_by=order_by,
                page_size=page_size,
                limit=limit,
                timeout=timeout,
                max_retries=max_retries,
                deadline=deadline,
            ).first_page(),
        )
