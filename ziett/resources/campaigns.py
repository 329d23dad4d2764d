"""Campaigns: create a batch, retrieve one, list them, list one campaign's messages.

The ``*_operation``/``*_listing`` functions do all the work; ``AsyncCampaigns`` and
``Campaigns`` only run them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Required, Unpack
from uuid import UUID

from ziett import _constraints as limits
from ziett._arguments import checked_body, path_id
from ziett._pagination import AsyncPager, Listing, SyncPager
from ziett._transport import Operation, RequestOptions
from ziett.resources._common import arguments_of, by_id, listing, sending, sorting
from ziett.resources.messages import MessageFilters, message_filters
from ziett_client.api.campaigns import (
    create_batch_campaign,
    list_campaign_messages,
    list_campaigns,
    retrieve_campaign,
)
from ziett_client.models import (
    BatchCampaignAccepted,
    BatchCampaignRequest,
    Campaign,
    CampaignPage,
    Message,
    MessagePage,
    SendChannelType,
    SortField,
    SortOrder,
)

if TYPE_CHECKING:
    from ziett._client import AsyncZiett, Ziett


class CreateBatchParams(RequestOptions, total=False):
    """Arguments of ``campaigns.create_batch``."""

    name: Required[str]
    remitter_id: Required[str | UUID]
    content: Required[str]
    recipients: Required[list[str]]
    country_alpha2: str
    channel_type: str | SendChannelType


class ListCampaignsParams(RequestOptions, total=False):
    """Arguments of ``campaigns.list``."""

    order: str | SortOrder
    order_by: str | SortField
    page_size: int
    limit: int | None


def create_batch_operation(params: CreateBatchParams) -> Operation[BatchCampaignAccepted]:
    """Check and build a batch request; raises ``ValidationError`` before any request."""
    options, arguments, problems = arguments_of(params, CreateBatchParams)
    recipients = arguments.get("recipients")
    if isinstance(recipients, str):
        problems["recipients"] = "Must be a list of phone numbers, not one string."
    elif isinstance(recipients, Iterable) and not isinstance(recipients, Mapping):
        arguments["recipients"] = list(recipients)  # a tuple, a generator...
    body = checked_body(limits.BATCH_CAMPAIGN, {"channel_type": "SMS", **arguments}, problems)
    problems.raise_if_any()
    since = datetime.now(UTC).replace(microsecond=0).isoformat()
    return sending(
        "create_batch_campaign",
        create_batch_campaign._get_kwargs(body=BatchCampaignRequest.from_dict(body)),
        BatchCampaignAccepted.from_dict,
        options,
        "The campaign may have been created: before sending again, look for "
        f"{body.get('name')!r} in campaigns.list() (created after {since}).",
    )


def retrieve_operation(campaign_id: str | UUID, options: RequestOptions) -> Operation[Campaign]:
    """Build the retrieval of one campaign."""
    return by_id(
        "retrieve_campaign",
        "campaign_id",
        campaign_id,
        options,
        lambda identifier: retrieve_campaign._get_kwargs(campaign_id=identifier),
        Campaign.from_dict,
    )


def list_listing(params: ListCampaignsParams) -> Listing[CampaignPage]:
    """Check and build the campaign listing."""
    options, arguments, problems = arguments_of(params, ListCampaignsParams)
    order = sorting(arguments, problems)
    return listing(
        "list_campaigns",
        lambda page, size: list_campaigns._get_kwargs(page=page, size=size, **order),
        CampaignPage.from_dict,
        options,
        arguments,
        problems,
    )


def list_messages_listing(campaign_id: str | UUID, params: MessageFilters) -> Listing[MessagePage]:
    """Check and build the listing of one campaign's messages."""
    options, arguments, problems = arguments_of(params, MessageFilters)
    identifier = path_id("campaign_id", campaign_id, problems)
    filters = message_filters(arguments, problems)
    return listing(
        "list_campaign_messages",
        lambda page, size: list_campaign_messages._get_kwargs(
            identifier, page=page, size=size, **filters
        ),
        MessagePage.from_dict,
        options,
        arguments,
        problems,
    )


class AsyncCampaigns:
    """``client.campaigns`` of :class:`ziett.AsyncZiett`."""

    def __init__(self, client: AsyncZiett) -> None:
        self._client = client

    async def create_batch(self, **params: Unpack[CreateBatchParams]) -> BatchCampaignAccepted:
        """Create a batch campaign (2..1000 recipients); processed in the background."""
        return await self._client._execute(create_batch_operation(params))

    async def retrieve(
        self, campaign_id: str | UUID, **options: Unpack[RequestOptions]
    ) -> Campaign:
        """One campaign and its status."""
        return await self._client._execute(retrieve_operation(campaign_id, options))

    def list(self, **params: Unpack[ListCampaignsParams]) -> AsyncPager[Campaign, CampaignPage]:
        """Every campaign, fetched page by page as you iterate (``async for``)."""
        return AsyncPager(list_listing(params), self._client._execute)

    def list_messages(
        self, campaign_id: str | UUID, **params: Unpack[MessageFilters]
    ) -> AsyncPager[Message, MessagePage]:
        """One campaign's messages, fetched page by page as you iterate (``async for``)."""
        return AsyncPager(list_messages_listing(campaign_id, params), self._client._execute)


class Campaigns:
    """``client.campaigns`` of :class:`ziett.Ziett`."""

    def __init__(self, client: Ziett) -> None:
        self._client = client

    def create_batch(self, **params: Unpack[CreateBatchParams]) -> BatchCampaignAccepted:
        """Create a batch campaign (2..1000 recipients); processed in the background."""
        return self._client._execute(create_batch_operation(params))

    def retrieve(self, campaign_id: str | UUID, **options: Unpack[RequestOptions]) -> Campaign:
        """One campaign and its status."""
        return self._client._execute(retrieve_operation(campaign_id, options))

    def list(self, **params: Unpack[ListCampaignsParams]) -> SyncPager[Campaign, CampaignPage]:
        """Every campaign, fetched page by page as you iterate."""
        return SyncPager(list_listing(params), self._client._execute)

    def list_messages(
        self, campaign_id: str | UUID, **params: Unpack[MessageFilters]
    ) -> SyncPager[Message, MessagePage]:
        """One campaign's messages, fetched page by page as you iterate."""
        return SyncPager(list_messages_listing(campaign_id, params), self._client._execute)
