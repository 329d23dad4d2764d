"""The resource classes: generated from their builders by scripts/generate_resources.py.

Do not edit: change a builder (its signature and docstring are the method's) or
ziett/resources/_surface.py, then run `make generate`.
"""

from __future__ import annotations

import builtins
import os
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any, Literal
from uuid import UUID

import httpx

from ziett._arguments import NOT_GIVEN, ClientDefaults, NotGiven
from ziett._methods import (
    Linked,
    Resource,
    call_async,
    call_sync,
    pager_async,
    pager_sync,
    raw_async,
    raw_sync,
    stream_async,
    stream_sync,
)
from ziett._pagination import AsyncPager, SyncPager
from ziett._response import RawResponse
from ziett.jobs import bulk as _bulk
from ziett.jobs import lifecycle as _lifecycle
from ziett.jobs import report as _report
from ziett.jobs import watching as _watching
from ziett.jobs.bulk import BulkReport, Progress
from ziett.jobs.report import CampaignReport
from ziett.resources import campaigns as _campaigns
from ziett.resources import messages as _messages
from ziett.resources.messages import (
    ChannelFilter,
    IdFilter,
    MessageStatusName,
    SortFieldName,
    SortOrderName,
    StatusFilter,
    TextFilter,
)
from ziett_client.models import (
    BatchCampaignAccepted,
    Campaign,
    CampaignPage,
    Message,
    MessagePage,
    MessageStatus,
    SaveContact,
    SendChannelType,
    SendMessageAccepted,
    SortField,
    SortOrder,
)

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

    _client: Linked

    async def send(
        self,
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
    ) -> SendMessageAccepted:
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
        return await call_async(
            self._client,
            _messages.send(
                ClientDefaults.of(self._client),
                target_e164=target_e164,
                content=content,
                remitter_id=remitter_id,
                country_alpha2=country_alpha2,
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
            timeout: The HTTP timeout of the request, in seconds (or an ``httpx.Timeout``;
                ``None``: none), as in httpx. Default: the client's.
            max_retries: Retries for this call (default: the client's).
            deadline: Seconds for the whole call, its retries and their waits included.

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
            timeout: The HTTP timeout of each page's request, in seconds (or an
                ``httpx.Timeout``; ``None``: none), as in httpx. Default: the client's.
            max_retries: Retries of each page's request (default: the client's).
            deadline: Seconds for each page's call, its retries and their waits included.
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

    async def wait(
        self,
        message_id: str | UUID,
        *,
        until: Iterable[MessageStatusName | MessageStatus | str] | None = None,
        timeout: float = 300.0,
        poll_interval: float = 1.0,
        max_poll_interval: float = 30.0,
        max_retries: int | None = None,
    ) -> Message:
        """Poll one message until its status is final (or one of ``until``); returns it.

        A final status (DELIVERED, FAILED, UNDELIVERED) ends the wait even when it is
        not in ``until``: it can never change, so check ``message.status``. A status
        the SDK does not know is not final. Polls start ``poll_interval`` apart and
        back off (with jitter) to ``max_poll_interval`` while nothing changes, paced by
        the client's rate limits; each request uses the client's HTTP timeout.

        Args:
            message_id: The message's id (``SendMessageAccepted.message_id``).
            until: The statuses to wait for (e.g. ``["SENT", "DELIVERED"]``, any case);
                default: a final status.
            timeout: Seconds for the whole wait (default 300); the last poll is made
                before it ends.
            poll_interval: Seconds before the first poll again (default 1).
            max_poll_interval: The longest wait between two polls (default 30).
            max_retries: Retries of each poll (default: the client's).

        Raises:
            WaitTimeoutError: ``timeout`` passed first; ``.last`` is the last message seen.
            NotFoundError: No such message in your organisation.
            APIResponseValidationError: An answer without a readable status.
        """
        return await call_async(
            self._client,
            _lifecycle.wait_message(
                message_id,
                until=until,
                timeout=timeout,
                poll_interval=poll_interval,
                max_poll_interval=max_poll_interval,
                max_retries=max_retries,
            ),
        )

    async def send_and_wait(
        self,
        *,
        target_e164: str,
        content: str,
        remitter_id: str | UUID | None = None,
        country_alpha2: str | None = None,
        channel_type: Literal["SMS"] | SendChannelType | str = "SMS",
        save_contact: SaveContact | dict[str, Any] | None = None,
        max_segments: int | None = None,
        until: Iterable[MessageStatusName | MessageStatus | str] | None = None,
        timeout: float = 300.0,
        poll_interval: float = 1.0,
        max_poll_interval: float = 30.0,
        max_retries: int | None = None,
    ) -> Message:
        """Send one message, then wait for its final status (or ``until``); returns the message.

        The send is ``messages.send`` (never repeated when it may have gone through);
        the wait is ``messages.wait``. ``timeout`` covers both: the send gets the time
        left as its deadline, the wait the rest.

        Args:
            target_e164: The recipient: E.164, or local with ``country_alpha2`` (or the
                client's ``default_country``).
            content: The text, 1 to 1,600 characters.
            remitter_id: The UUID of one of your approved Sender IDs; default: the
                client's ``default_remitter_id`` (``ZIETT_REMITTER_ID``).
            country_alpha2: The country of a local ``target_e164`` (``"AO"``, any case);
                default: the client's ``default_country``.
            channel_type: ``"SMS"`` (any case), the only channel the API sends.
            save_contact: Also save the recipient as a contact: ``{"name", "email", "tags"}``.
            max_segments: Refuse (``InvalidRequestError``, nothing sent) a text billed as
                more than this many SMS parts. Default: no guard.
            until: The statuses to wait for (any case); default: a final status.
            timeout: Seconds for the whole call, the send and the wait (default 300).
            poll_interval: Seconds before the first poll again (default 1).
            max_poll_interval: The longest wait between two polls (default 30).
            max_retries: Retries of the send and of each poll (default: the client's).

        Raises:
            InvalidRequestError: An argument breaks a documented rule; nothing was sent.
            WaitTimeoutError: ``timeout`` passed after the send was accepted; ``.last`` is
                the last message seen (the message was sent: do not send it again).
            ZiettError: The send failed (see ``may_have_been_sent``), or a poll did.
        """
        return await call_async(
            self._client,
            _lifecycle.send_and_wait(
                ClientDefaults.of(self._client),
                target_e164=target_e164,
                content=content,
                remitter_id=remitter_id,
                country_alpha2=country_alpha2,
                channel_type=channel_type,
                save_contact=save_contact,
                max_segments=max_segments,
                until=until,
                timeout=timeout,
                poll_interval=poll_interval,
                max_poll_interval=max_poll_interval,
                max_retries=max_retries,
            ),
        )

    async def wait_many(
        self,
        message_ids: Iterable[str | UUID],
        *,
        until: Iterable[MessageStatusName | MessageStatus | str] | None = None,
        timeout: float = 600.0,
        poll_interval: float = 1.0,
        max_poll_interval: float = 30.0,
        max_retries: int | None = None,
    ) -> builtins.list[Message]:
        """Wait until every message's status is final (or one of ``until``); in the ids' order.

        Cheap for many messages: it reads the listing route, 200 messages a page,
        not one retrieve per message. The first round finds the messages (newest
        created first); each later round lists the messages created since the oldest
        one still waited for, most recently updated first, and stops paging at what
        the previous round had seen. Ids not found that way are retrieved one by one
        (a wrong id raises ``NotFoundError``). Requests use the client's HTTP timeout.

        Args:
            message_ids: The messages' ids (repeats are allowed).
            until: The statuses to wait for (any case); default: a final status.
            timeout: Seconds for the whole wait (default 600).
            poll_interval: Seconds before the first poll again (default 1).
            max_poll_interval: The longest wait between two polls (default 30).
            max_retries: Retries of each page request (default: the client's).

        Raises:
            WaitTimeoutError: ``timeout`` passed first; ``.last`` is the list of the
                last messages seen, in the order of the ids (None for one never seen).
            NotFoundError: An id is not a message of your organisation.
        """
        return await call_async(
            self._client,
            _lifecycle.wait_many(
                message_ids,
                until=until,
                timeout=timeout,
                poll_interval=poll_interval,
                max_poll_interval=max_poll_interval,
                max_retries=max_retries,
            ),
        )

    def watch(
        self,
        *,
        since: datetime | str | None = None,
        status: MessageStatusName | MessageStatus | Sequence[MessageStatusName | str] | None = None,
        timeout: float | None = None,
        poll_interval: float = 1.0,
        max_poll_interval: float = 30.0,
        max_retries: int | None = None,
    ) -> AsyncIterator[Message]:
        """Each message created since ``since``, once per status it is seen in, oldest change first.

        Runs until you stop iterating (``break``), or until ``timeout``. Polls the
        listing route (most recently updated first, paging down to what the previous
        poll had seen), so it misses no change however many happened between two
        polls, and never yields the same (id, status) twice. A status a message passed
        through between two polls is not seen. A read that still fails after its
        retries ends the iteration with its error. Requests use the client's HTTP timeout.

        Args:
            since: Only messages created at or after this moment (timezone-aware
                ``datetime`` or ISO 8601 with an offset); default: now.
            status: Only these statuses (one or a list, any case); default: all.
            timeout: Seconds for the whole watch: then ``WaitTimeoutError`` ends the
                iteration (as ``concurrent.futures.as_completed`` does); default: none.
            poll_interval: Seconds between polls after a change (default 1).
            max_poll_interval: The longest wait between two polls while nothing
                changes (default 30).
            max_retries: Retries of each page request (default: the client's).
        """
        return stream_async(
            self._client,
            _watching.watch(
                since=since,
                status=status,
                timeout=timeout,
                poll_interval=poll_interval,
                max_poll_interval=max_poll_interval,
                max_retries=max_retries,
            ),
        )

    @property
    def with_raw_response(self) -> AsyncMessagesWithRawResponse:
        """The same calls, returning the HTTP response (``.headers``, ``.parse()``)."""
        return AsyncMessagesWithRawResponse(self._client)


class Messages(Resource):
    """``client.messages`` of :class:`ziett.Ziett`."""

    _client: Linked

    def send(
        self,
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
    ) -> SendMessageAccepted:
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
        return call_sync(
            self._client,
            _messages.send(
                ClientDefaults.of(self._client),
                target_e164=target_e164,
                content=content,
                remitter_id=remitter_id,
                country_alpha2=country_alpha2,
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
            timeout: The HTTP timeout of the request, in seconds (or an ``httpx.Timeout``;
                ``None``: none), as in httpx. Default: the client's.
            max_retries: Retries for this call (default: the client's).
            deadline: Seconds for the whole call, its retries and their waits included.

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
            timeout: The HTTP timeout of each page's request, in seconds (or an
                ``httpx.Timeout``; ``None``: none), as in httpx. Default: the client's.
            max_retries: Retries of each page's request (default: the client's).
            deadline: Seconds for each page's call, its retries and their waits included.
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

    def wait(
        self,
        message_id: str | UUID,
        *,
        until: Iterable[MessageStatusName | MessageStatus | str] | None = None,
        timeout: float = 300.0,
        poll_interval: float = 1.0,
        max_poll_interval: float = 30.0,
        max_retries: int | None = None,
    ) -> Message:
        """Poll one message until its status is final (or one of ``until``); returns it.

        A final status (DELIVERED, FAILED, UNDELIVERED) ends the wait even when it is
        not in ``until``: it can never change, so check ``message.status``. A status
        the SDK does not know is not final. Polls start ``poll_interval`` apart and
        back off (with jitter) to ``max_poll_interval`` while nothing changes, paced by
        the client's rate limits; each request uses the client's HTTP timeout.

        Args:
            message_id: The message's id (``SendMessageAccepted.message_id``).
            until: The statuses to wait for (e.g. ``["SENT", "DELIVERED"]``, any case);
                default: a final status.
            timeout: Seconds for the whole wait (default 300); the last poll is made
                before it ends.
            poll_interval: Seconds before the first poll again (default 1).
            max_poll_interval: The longest wait between two polls (default 30).
            max_retries: Retries of each poll (default: the client's).

        Raises:
            WaitTimeoutError: ``timeout`` passed first; ``.last`` is the last message seen.
            NotFoundError: No such message in your organisation.
            APIResponseValidationError: An answer without a readable status.
        """
        return call_sync(
            self._client,
            _lifecycle.wait_message(
                message_id,
                until=until,
                timeout=timeout,
                poll_interval=poll_interval,
                max_poll_interval=max_poll_interval,
                max_retries=max_retries,
            ),
        )

    def send_and_wait(
        self,
        *,
        target_e164: str,
        content: str,
        remitter_id: str | UUID | None = None,
        country_alpha2: str | None = None,
        channel_type: Literal["SMS"] | SendChannelType | str = "SMS",
        save_contact: SaveContact | dict[str, Any] | None = None,
        max_segments: int | None = None,
        until: Iterable[MessageStatusName | MessageStatus | str] | None = None,
        timeout: float = 300.0,
        poll_interval: float = 1.0,
        max_poll_interval: float = 30.0,
        max_retries: int | None = None,
    ) -> Message:
        """Send one message, then wait for its final status (or ``until``); returns the message.

        The send is ``messages.send`` (never repeated when it may have gone through);
        the wait is ``messages.wait``. ``timeout`` covers both: the send gets the time
        left as its deadline, the wait the rest.

        Args:
            target_e164: The recipient: E.164, or local with ``country_alpha2`` (or the
                client's ``default_country``).
            content: The text, 1 to 1,600 characters.
            remitter_id: The UUID of one of your approved Sender IDs; default: the
                client's ``default_remitter_id`` (``ZIETT_REMITTER_ID``).
            country_alpha2: The country of a local ``target_e164`` (``"AO"``, any case);
                default: the client's ``default_country``.
            channel_type: ``"SMS"`` (any case), the only channel the API sends.
            save_contact: Also save the recipient as a contact: ``{"name", "email", "tags"}``.
            max_segments: Refuse (``InvalidRequestError``, nothing sent) a text billed as
                more than this many SMS parts. Default: no guard.
            until: The statuses to wait for (any case); default: a final status.
            timeout: Seconds for the whole call, the send and the wait (default 300).
            poll_interval: Seconds before the first poll again (default 1).
            max_poll_interval: The longest wait between two polls (default 30).
            max_retries: Retries of the send and of each poll (default: the client's).

        Raises:
            InvalidRequestError: An argument breaks a documented rule; nothing was sent.
            WaitTimeoutError: ``timeout`` passed after the send was accepted; ``.last`` is
                the last message seen (the message was sent: do not send it again).
            ZiettError: The send failed (see ``may_have_been_sent``), or a poll did.
        """
        return call_sync(
            self._client,
            _lifecycle.send_and_wait(
                ClientDefaults.of(self._client),
                target_e164=target_e164,
                content=content,
                remitter_id=remitter_id,
                country_alpha2=country_alpha2,
                channel_type=channel_type,
                save_contact=save_contact,
                max_segments=max_segments,
                until=until,
                timeout=timeout,
                poll_interval=poll_interval,
                max_poll_interval=max_poll_interval,
                max_retries=max_retries,
            ),
        )

    def wait_many(
        self,
        message_ids: Iterable[str | UUID],
        *,
        until: Iterable[MessageStatusName | MessageStatus | str] | None = None,
        timeout: float = 600.0,
        poll_interval: float = 1.0,
        max_poll_interval: float = 30.0,
        max_retries: int | None = None,
    ) -> builtins.list[Message]:
        """Wait until every message's status is final (or one of ``until``); in the ids' order.

        Cheap for many messages: it reads the listing route, 200 messages a page,
        not one retrieve per message. The first round finds the messages (newest
        created first); each later round lists the messages created since the oldest
        one still waited for, most recently updated first, and stops paging at what
        the previous round had seen. Ids not found that way are retrieved one by one
        (a wrong id raises ``NotFoundError``). Requests use the client's HTTP timeout.

        Args:
            message_ids: The messages' ids (repeats are allowed).
            until: The statuses to wait for (any case); default: a final status.
            timeout: Seconds for the whole wait (default 600).
            poll_interval: Seconds before the first poll again (default 1).
            max_poll_interval: The longest wait between two polls (default 30).
            max_retries: Retries of each page request (default: the client's).

        Raises:
            WaitTimeoutError: ``timeout`` passed first; ``.last`` is the list of the
                last messages seen, in the order of the ids (None for one never seen).
            NotFoundError: An id is not a message of your organisation.
        """
        return call_sync(
            self._client,
            _lifecycle.wait_many(
                message_ids,
                until=until,
                timeout=timeout,
                poll_interval=poll_interval,
                max_poll_interval=max_poll_interval,
                max_retries=max_retries,
            ),
        )

    def watch(
        self,
        *,
        since: datetime | str | None = None,
        status: MessageStatusName | MessageStatus | Sequence[MessageStatusName | str] | None = None,
        timeout: float | None = None,
        poll_interval: float = 1.0,
        max_poll_interval: float = 30.0,
        max_retries: int | None = None,
    ) -> Iterator[Message]:
        """Each message created since ``since``, once per status it is seen in, oldest change first.

        Runs until you stop iterating (``break``), or until ``timeout``. Polls the
        listing route (most recently updated first, paging down to what the previous
        poll had seen), so it misses no change however many happened between two
        polls, and never yields the same (id, status) twice. A status a message passed
        through between two polls is not seen. A read that still fails after its
        retries ends the iteration with its error. Requests use the client's HTTP timeout.

        Args:
            since: Only messages created at or after this moment (timezone-aware
                ``datetime`` or ISO 8601 with an offset); default: now.
            status: Only these statuses (one or a list, any case); default: all.
            timeout: Seconds for the whole watch: then ``WaitTimeoutError`` ends the
                iteration (as ``concurrent.futures.as_completed`` does); default: none.
            poll_interval: Seconds between polls after a change (default 1).
            max_poll_interval: The longest wait between two polls while nothing
                changes (default 30).
            max_retries: Retries of each page request (default: the client's).
        """
        return stream_sync(
            self._client,
            _watching.watch(
                since=since,
                status=status,
                timeout=timeout,
                poll_interval=poll_interval,
                max_poll_interval=max_poll_interval,
                max_retries=max_retries,
            ),
        )

    @property
    def with_raw_response(self) -> MessagesWithRawResponse:
        """The same calls, returning the HTTP response (``.headers``, ``.parse()``)."""
        return MessagesWithRawResponse(self._client)


class AsyncMessagesWithRawResponse(Resource):
    """``client.messages.with_raw_response`` of :class:`ziett.AsyncZiett`."""

    _client: Linked

    async def send(
        self,
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
    ) -> RawResponse[SendMessageAccepted]:
        """Send one message; returns once it is accepted and queued (202), not yet delivered.

        Returns the HTTP response; ``.parse()`` gives the model.
        """
        return await raw_async(
            self._client,
            _messages.send(
                ClientDefaults.of(self._client),
                target_e164=target_e164,
                content=content,
                remitter_id=remitter_id,
                country_alpha2=country_alpha2,
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

    _client: Linked

    def send(
        self,
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
    ) -> RawResponse[SendMessageAccepted]:
        """Send one message; returns once it is accepted and queued (202), not yet delivered.

        Returns the HTTP response; ``.parse()`` gives the model.
        """
        return raw_sync(
            self._client,
            _messages.send(
                ClientDefaults.of(self._client),
                target_e164=target_e164,
                content=content,
                remitter_id=remitter_id,
                country_alpha2=country_alpha2,
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

    _client: Linked

    async def create_batch(
        self,
        *,
        name: str,
        content: str,
        recipients: Iterable[str],
        remitter_id: str | UUID | None = None,
        country_alpha2: str | None = None,
        channel_type: Literal["SMS"] | SendChannelType | str = "SMS",
        max_segments: int | None = None,
        timeout: float | httpx.Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> BatchCampaignAccepted:
        """Create a batch campaign (2..1,000 recipients); the server sends it in the background.

        For larger audiences, de-duplication and a crash-safe resume, use ``send_bulk``.

        Args:
            name: The campaign's name, 1..200 characters (shown in the dashboard).
            content: The text, 1..10,000 characters; see ``ziett.sms.analyze``.
            recipients: 2..1,000 phone numbers: E.164, or local with ``country_alpha2``
                (or the client's ``default_country``), read by ``ziett.phone.normalize``.
            remitter_id: The UUID v7 of one of your approved Sender IDs; default: the
                client's ``default_remitter_id`` (``ZIETT_REMITTER_ID``).
            country_alpha2: The country of local numbers (ISO 3166-1, ``"AO"``, any case);
                default: the client's ``default_country``.
            channel_type: ``"SMS"`` (any case), the only channel the API sends.
            max_segments: Refuse (``InvalidRequestError``, nothing sent) a text billed as
                more than this many SMS parts per recipient. Default: no guard.
            timeout: The HTTP timeout of the request, in seconds (or an ``httpx.Timeout``;
                ``None``: none), as in httpx. Default: the client's.
            max_retries: Retries for this call (default: the client's); never an
                ambiguous retry unless the client's ``ambiguous_sends`` says so.
            deadline: Seconds for the whole call, its retries and their waits included.

        Raises:
            InvalidRequestError: An argument breaks a documented rule; nothing was sent.
            ValidationError: The API refused the request (400/422); nothing was sent.
            ZiettError: Any other failure; ``error.may_have_been_sent`` tells whether the
                campaign may have been created.
        """
        return await call_async(
            self._client,
            _campaigns.create_batch(
                ClientDefaults.of(self._client),
                name=name,
                content=content,
                recipients=recipients,
                remitter_id=remitter_id,
                country_alpha2=country_alpha2,
                channel_type=channel_type,
                max_segments=max_segments,
                timeout=timeout,
                max_retries=max_retries,
                deadline=deadline,
            ),
        )

    async def send_bulk(
        self,
        *,
        name: str,
        content: str,
        recipients: Iterable[str] | AsyncIterable[str],
        remitter_id: str | UUID | None = None,
        country_alpha2: str | None = None,
        journal: str | os.PathLike[str] | None = None,
        allow_repeat: bool = False,
        repeat_window: float = 86400.0,
        on_progress: Callable[[Progress], object] | None = None,
        max_segments: int | None = None,
        timeout: float | httpx.Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> BulkReport:
        """Send one text to an audience of any size, in campaigns of 2..1,000; resumable.

        Recipients are normalised and de-duplicated first; unreadable ones are
        reported (``report.invalid``) and skipped. Each valid distinct number ends in
        exactly one accepted campaign, named ``"<name> (i/n) #<job mark>"``, even when
        the process is killed and the same call run again with the same ``journal``:
        accepted chunks are skipped, chunks whose outcome is unknown are looked up on
        the server before anything is resent; a run that lost its journal finds the
        job's campaigns on the server. Paced by the client's rate limits.

        Args:
            name: The job's name, 1..200 characters; each campaign's name adds " (i/n)"
                and the job's mark (" #1a2b3c4d", a short form of its identity).
            remitter_id: The UUID of one of your approved Sender IDs; default: the
                client's ``default_remitter_id`` (``ZIETT_REMITTER_ID``).
            content: The text, 1..10,000 characters; see ``ziett.sms.analyze``.
            recipients: Phone numbers: any iterable (a list, a CSV column, a generator),
                or an async iterable with ``AsyncZiett``. E.164, or local with
                ``country_alpha2``.
            country_alpha2: How local numbers are read (ISO 3166-1, ``"AO"``).
            journal: A file recording the job (SQLite, created if missing): run the same
                call again with it after a crash, a kill, a 402 (top up first), an
                outage or Ctrl+C to resume. None: in memory (no resume). A file that is
                not an intact journal of this version (another database, a text file, a
                truncated one) is refused before anything is written.
            allow_repeat: Send even when the server shows this same job (same name,
                sender, text and recipients) already sent within ``repeat_window``.
                Default False: a run whose journal holds no progress first reads the
                server's recent campaigns, resumes what an earlier run left
                unfinished, and raises ``DuplicateSendError`` (nothing sent) when
                the whole job was already sent.
            repeat_window: Seconds back that check reads (default 86,400: 24 hours).
            on_progress: Called after each chunk with a ``Progress`` (chunks done, chunks
                total, recipients accepted). It runs inline: keep it fast.
            max_segments: Refuse (``InvalidRequestError``, nothing sent) a text billed as more
                than this many SMS parts per recipient. Default: no guard.
            timeout: Per-attempt timeout of each request (default: the client's).
            max_retries: New attempts of a chunk after a failure that sent nothing (or a
                lookup that found nothing), default 3.
            deadline: Seconds for each request, its wait for a rate-limit slot included
                (default: none); a request out of time is handled like any failure (looked
                up first when it may have been sent, then tried again).

        Returns:
            A ``BulkReport``: ``campaign_ids``, ``accepted``, ``duplicates``, ``invalid``,
            ``rejected`` (chunks the server refused, with its fields).

        Raises:
            InvalidRequestError: A bad argument or an audience without a valid number
                (before any request).
            JournalError: A journal in use by another run, not a journal, damaged, of
                a newer format or of another job (before any request).
            DuplicateSendError: The server shows this job already sent within
                ``repeat_window`` (before any request that sends).
            ZiettError: A failure that stops the job (401, 403, 402, an
                outage): run the same call again with the same journal to resume.
        """
        return await call_async(
            self._client,
            _bulk.send_bulk(
                ClientDefaults.of(self._client),
                name=name,
                content=content,
                recipients=recipients,
                remitter_id=remitter_id,
                country_alpha2=country_alpha2,
                journal=journal,
                allow_repeat=allow_repeat,
                repeat_window=repeat_window,
                on_progress=on_progress,
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
            timeout: The HTTP timeout of the request, in seconds (or an ``httpx.Timeout``;
                ``None``: none), as in httpx. Default: the client's.
            max_retries: Retries for this call (default: the client's).
            deadline: Seconds for the whole call, its retries and their waits included.

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
            timeout: The HTTP timeout of each page's request, in seconds (or an
                ``httpx.Timeout``; ``None``: none), as in httpx. Default: the client's.
            max_retries: Retries of each page's request (default: the client's).
            deadline: Seconds for each page's call, its retries and their waits included.
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
        status: StatusFilter | None = None,
        channel_type: ChannelFilter | None = None,
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
            timeout: The HTTP timeout of each page's request, in seconds (or an
                ``httpx.Timeout``; ``None``: none), as in httpx. Default: the client's.
            max_retries: Retries of each page's request (default: the client's).
            deadline: Seconds for each page's call, its retries and their waits included.
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

    async def wait(
        self,
        campaign_id: str | UUID,
        *,
        timeout: float = 3600.0,
        on_progress: Callable[[Campaign], object] | None = None,
        poll_interval: float = 1.0,
        max_poll_interval: float = 60.0,
        max_retries: int | None = None,
    ) -> Campaign:
        """Poll a campaign until it is COMPLETED or FAILED; returns it.

        Then ``campaigns.report(campaign_id)`` says what became of its messages.
        Requests use the client's HTTP timeout.

        Args:
            campaign_id: The campaign's id (``BatchCampaignAccepted.campaign_id``).
            timeout: Seconds for the whole wait (default 3600).
            on_progress: Called with the campaign after each poll that saw it change
                (the first poll included); a plain function, also with ``AsyncZiett``.
            poll_interval: Seconds before the first poll again (default 1).
            max_poll_interval: The longest wait between two polls (default 60).
            max_retries: Retries of each poll (default: the client's).

        Raises:
            WaitTimeoutError: ``timeout`` passed first; ``.last`` is the last campaign seen.
            NotFoundError: No such campaign in your organisation.
        """
        return await call_async(
            self._client,
            _lifecycle.wait_campaign(
                campaign_id,
                timeout=timeout,
                on_progress=on_progress,
                poll_interval=poll_interval,
                max_poll_interval=max_poll_interval,
                max_retries=max_retries,
            ),
        )

    async def report(
        self,
        campaign_id: str | UUID,
        *,
        timeout: float | httpx.Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> CampaignReport:
        """A campaign's report: counts by status, total, charged, refunded and net cost, failures.

        Reads the campaign, then all its messages (200 a page). Call it once the
        campaign is complete (``campaigns.wait``) for final numbers; before that it is
        a snapshot (``report.complete`` is False).

        Args:
            campaign_id: The campaign's id (``BatchCampaignAccepted.campaign_id``).
            timeout: The HTTP timeout of each request, in seconds (or an
                ``httpx.Timeout``; ``None``: none), as in httpx. Default: the client's.
            max_retries: Retries of each request (default: the client's).
            deadline: Seconds for each request's call, its retries and their waits included.

        Raises:
            NotFoundError: No such campaign in your organisation.
        """
        return await call_async(
            self._client,
            _report.campaign_report(
                campaign_id, timeout=timeout, max_retries=max_retries, deadline=deadline
            ),
        )

    @property
    def with_raw_response(self) -> AsyncCampaignsWithRawResponse:
        """The same calls, returning the HTTP response (``.headers``, ``.parse()``)."""
        return AsyncCampaignsWithRawResponse(self._client)


class Campaigns(Resource):
    """``client.campaigns`` of :class:`ziett.Ziett`."""

    _client: Linked

    def create_batch(
        self,
        *,
        name: str,
        content: str,
        recipients: Iterable[str],
        remitter_id: str | UUID | None = None,
        country_alpha2: str | None = None,
        channel_type: Literal["SMS"] | SendChannelType | str = "SMS",
        max_segments: int | None = None,
        timeout: float | httpx.Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> BatchCampaignAccepted:
        """Create a batch campaign (2..1,000 recipients); the server sends it in the background.

        For larger audiences, de-duplication and a crash-safe resume, use ``send_bulk``.

        Args:
            name: The campaign's name, 1..200 characters (shown in the dashboard).
            content: The text, 1..10,000 characters; see ``ziett.sms.analyze``.
            recipients: 2..1,000 phone numbers: E.164, or local with ``country_alpha2``
                (or the client's ``default_country``), read by ``ziett.phone.normalize``.
            remitter_id: The UUID v7 of one of your approved Sender IDs; default: the
                client's ``default_remitter_id`` (``ZIETT_REMITTER_ID``).
            country_alpha2: The country of local numbers (ISO 3166-1, ``"AO"``, any case);
                default: the client's ``default_country``.
            channel_type: ``"SMS"`` (any case), the only channel the API sends.
            max_segments: Refuse (``InvalidRequestError``, nothing sent) a text billed as
                more than this many SMS parts per recipient. Default: no guard.
            timeout: The HTTP timeout of the request, in seconds (or an ``httpx.Timeout``;
                ``None``: none), as in httpx. Default: the client's.
            max_retries: Retries for this call (default: the client's); never an
                ambiguous retry unless the client's ``ambiguous_sends`` says so.
            deadline: Seconds for the whole call, its retries and their waits included.

        Raises:
            InvalidRequestError: An argument breaks a documented rule; nothing was sent.
            ValidationError: The API refused the request (400/422); nothing was sent.
            ZiettError: Any other failure; ``error.may_have_been_sent`` tells whether the
                campaign may have been created.
        """
        return call_sync(
            self._client,
            _campaigns.create_batch(
                ClientDefaults.of(self._client),
                name=name,
                content=content,
                recipients=recipients,
                remitter_id=remitter_id,
                country_alpha2=country_alpha2,
                channel_type=channel_type,
                max_segments=max_segments,
                timeout=timeout,
                max_retries=max_retries,
                deadline=deadline,
            ),
        )

    def send_bulk(
        self,
        *,
        name: str,
        content: str,
        recipients: Iterable[str] | AsyncIterable[str],
        remitter_id: str | UUID | None = None,
        country_alpha2: str | None = None,
        journal: str | os.PathLike[str] | None = None,
        allow_repeat: bool = False,
        repeat_window: float = 86400.0,
        on_progress: Callable[[Progress], object] | None = None,
        max_segments: int | None = None,
        timeout: float | httpx.Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> BulkReport:
        """Send one text to an audience of any size, in campaigns of 2..1,000; resumable.

        Recipients are normalised and de-duplicated first; unreadable ones are
        reported (``report.invalid``) and skipped. Each valid distinct number ends in
        exactly one accepted campaign, named ``"<name> (i/n) #<job mark>"``, even when
        the process is killed and the same call run again with the same ``journal``:
        accepted chunks are skipped, chunks whose outcome is unknown are looked up on
        the server before anything is resent; a run that lost its journal finds the
        job's campaigns on the server. Paced by the client's rate limits.

        Args:
            name: The job's name, 1..200 characters; each campaign's name adds " (i/n)"
                and the job's mark (" #1a2b3c4d", a short form of its identity).
            remitter_id: The UUID of one of your approved Sender IDs; default: the
                client's ``default_remitter_id`` (``ZIETT_REMITTER_ID``).
            content: The text, 1..10,000 characters; see ``ziett.sms.analyze``.
            recipients: Phone numbers: any iterable (a list, a CSV column, a generator),
                or an async iterable with ``AsyncZiett``. E.164, or local with
                ``country_alpha2``.
            country_alpha2: How local numbers are read (ISO 3166-1, ``"AO"``).
            journal: A file recording the job (SQLite, created if missing): run the same
                call again with it after a crash, a kill, a 402 (top up first), an
                outage or Ctrl+C to resume. None: in memory (no resume). A file that is
                not an intact journal of this version (another database, a text file, a
                truncated one) is refused before anything is written.
            allow_repeat: Send even when the server shows this same job (same name,
                sender, text and recipients) already sent within ``repeat_window``.
                Default False: a run whose journal holds no progress first reads the
                server's recent campaigns, resumes what an earlier run left
                unfinished, and raises ``DuplicateSendError`` (nothing sent) when
                the whole job was already sent.
            repeat_window: Seconds back that check reads (default 86,400: 24 hours).
            on_progress: Called after each chunk with a ``Progress`` (chunks done, chunks
                total, recipients accepted). It runs inline: keep it fast.
            max_segments: Refuse (``InvalidRequestError``, nothing sent) a text billed as more
                than this many SMS parts per recipient. Default: no guard.
            timeout: Per-attempt timeout of each request (default: the client's).
            max_retries: New attempts of a chunk after a failure that sent nothing (or a
                lookup that found nothing), default 3.
            deadline: Seconds for each request, its wait for a rate-limit slot included
                (default: none); a request out of time is handled like any failure (looked
                up first when it may have been sent, then tried again).

        Returns:
            A ``BulkReport``: ``campaign_ids``, ``accepted``, ``duplicates``, ``invalid``,
            ``rejected`` (chunks the server refused, with its fields).

        Raises:
            InvalidRequestError: A bad argument or an audience without a valid number
                (before any request).
            JournalError: A journal in use by another run, not a journal, damaged, of
                a newer format or of another job (before any request).
            DuplicateSendError: The server shows this job already sent within
                ``repeat_window`` (before any request that sends).
            ZiettError: A failure that stops the job (401, 403, 402, an
                outage): run the same call again with the same journal to resume.
        """
        return call_sync(
            self._client,
            _bulk.send_bulk(
                ClientDefaults.of(self._client),
                name=name,
                content=content,
                recipients=recipients,
                remitter_id=remitter_id,
                country_alpha2=country_alpha2,
                journal=journal,
                allow_repeat=allow_repeat,
                repeat_window=repeat_window,
                on_progress=on_progress,
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
            timeout: The HTTP timeout of the request, in seconds (or an ``httpx.Timeout``;
                ``None``: none), as in httpx. Default: the client's.
            max_retries: Retries for this call (default: the client's).
            deadline: Seconds for the whole call, its retries and their waits included.

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
            timeout: The HTTP timeout of each page's request, in seconds (or an
                ``httpx.Timeout``; ``None``: none), as in httpx. Default: the client's.
            max_retries: Retries of each page's request (default: the client's).
            deadline: Seconds for each page's call, its retries and their waits included.
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
        status: StatusFilter | None = None,
        channel_type: ChannelFilter | None = None,
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
            timeout: The HTTP timeout of each page's request, in seconds (or an
                ``httpx.Timeout``; ``None``: none), as in httpx. Default: the client's.
            max_retries: Retries of each page's request (default: the client's).
            deadline: Seconds for each page's call, its retries and their waits included.
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

    def wait(
        self,
        campaign_id: str | UUID,
        *,
        timeout: float = 3600.0,
        on_progress: Callable[[Campaign], object] | None = None,
        poll_interval: float = 1.0,
        max_poll_interval: float = 60.0,
        max_retries: int | None = None,
    ) -> Campaign:
        """Poll a campaign until it is COMPLETED or FAILED; returns it.

        Then ``campaigns.report(campaign_id)`` says what became of its messages.
        Requests use the client's HTTP timeout.

        Args:
            campaign_id: The campaign's id (``BatchCampaignAccepted.campaign_id``).
            timeout: Seconds for the whole wait (default 3600).
            on_progress: Called with the campaign after each poll that saw it change
                (the first poll included); a plain function, also with ``AsyncZiett``.
            poll_interval: Seconds before the first poll again (default 1).
            max_poll_interval: The longest wait between two polls (default 60).
            max_retries: Retries of each poll (default: the client's).

        Raises:
            WaitTimeoutError: ``timeout`` passed first; ``.last`` is the last campaign seen.
            NotFoundError: No such campaign in your organisation.
        """
        return call_sync(
            self._client,
            _lifecycle.wait_campaign(
                campaign_id,
                timeout=timeout,
                on_progress=on_progress,
                poll_interval=poll_interval,
                max_poll_interval=max_poll_interval,
                max_retries=max_retries,
            ),
        )

    def report(
        self,
        campaign_id: str | UUID,
        *,
        timeout: float | httpx.Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> CampaignReport:
        """A campaign's report: counts by status, total, charged, refunded and net cost, failures.

        Reads the campaign, then all its messages (200 a page). Call it once the
        campaign is complete (``campaigns.wait``) for final numbers; before that it is
        a snapshot (``report.complete`` is False).

        Args:
            campaign_id: The campaign's id (``BatchCampaignAccepted.campaign_id``).
            timeout: The HTTP timeout of each request, in seconds (or an
                ``httpx.Timeout``; ``None``: none), as in httpx. Default: the client's.
            max_retries: Retries of each request (default: the client's).
            deadline: Seconds for each request's call, its retries and their waits included.

        Raises:
            NotFoundError: No such campaign in your organisation.
        """
        return call_sync(
            self._client,
            _report.campaign_report(
                campaign_id, timeout=timeout, max_retries=max_retries, deadline=deadline
            ),
        )

    @property
    def with_raw_response(self) -> CampaignsWithRawResponse:
        """The same calls, returning the HTTP response (``.headers``, ``.parse()``)."""
        return CampaignsWithRawResponse(self._client)


class AsyncCampaignsWithRawResponse(Resource):
    """``client.campaigns.with_raw_response`` of :class:`ziett.AsyncZiett`."""

    _client: Linked

    async def create_batch(
        self,
        *,
        name: str,
        content: str,
        recipients: Iterable[str],
        remitter_id: str | UUID | None = None,
        country_alpha2: str | None = None,
        channel_type: Literal["SMS"] | SendChannelType | str = "SMS",
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
                ClientDefaults.of(self._client),
                name=name,
                content=content,
                recipients=recipients,
                remitter_id=remitter_id,
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
        status: StatusFilter | None = None,
        channel_type: ChannelFilter | None = None,
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

    _client: Linked

    def create_batch(
        self,
        *,
        name: str,
        content: str,
        recipients: Iterable[str],
        remitter_id: str | UUID | None = None,
        country_alpha2: str | None = None,
        channel_type: Literal["SMS"] | SendChannelType | str = "SMS",
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
                ClientDefaults.of(self._client),
                name=name,
                content=content,
                recipients=recipients,
                remitter_id=remitter_id,
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
        status: StatusFilter | None = None,
        channel_type: ChannelFilter | None = None,
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
