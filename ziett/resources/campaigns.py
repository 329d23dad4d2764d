"""Campaigns: create a batch, retrieve one, list them, list one campaign's messages.

Each method is written once, as a builder function below; :class:`AsyncCampaigns`
and :class:`Campaigns` only say how each one runs in their flavour.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any, Literal
from uuid import UUID

import httpx

from ziett import _constraints as limits
from ziett._arguments import (
    NO_DEFAULTS,
    NOT_GIVEN,
    ClientDefaults,
    NotGiven,
    Problems,
    call_options,
    checked_body,
    country_code,
    enum_value,
    missing_sender,
    path_id,
    phone_number,
    sender,
)
from ziett._pagination import Listing
from ziett._transport import Operation
from ziett.jobs.reconcile import campaign_finder
from ziett.resources._common import by_id, check_segments, listing, sending
from ziett.resources.messages import (
    ChannelFilter,
    IdFilter,
    SortFieldName,
    SortOrderName,
    StatusFilter,
    TextFilter,
    message_filters,
)
from ziett_client.api.campaigns import (
    create_batch_campaign,
    list_campaign_messages,
    list_campaigns,
    retrieve_campaign,
)
from ziett_client.models import (
    BatchCampaignAccepted,
    Campaign,
    CampaignPage,
    Message,
    MessagePage,
    SendChannelType,
    SortField,
    SortOrder,
)

_LOOKUP = ("name", "remitter_id", "content", "recipients", "country_alpha2")
"""What finds a batch after an unknown outcome (``ziett.jobs.reconcile``)."""
_E164 = limits.SEND_MESSAGE.properties["target_e164"]
"""A recipient already in E.164 form is sent as given."""


def create_batch(
    defaults: ClientDefaults = NO_DEFAULTS,
    /,
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
) -> Operation[BatchCampaignAccepted]:
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
    problems = Problems()
    options = call_options(timeout, max_retries, deadline, problems)
    found = Problems()  # checked here, said better than the body's rules would
    country = country_code(country_alpha2, defaults, found)
    listed: object = recipients
    if isinstance(recipients, str):
        found["recipients"] = "Must be a list of phone numbers, not one string."
    elif isinstance(recipients, Iterable) and not isinstance(recipients, Mapping):
        listed = [*recipients]  # a tuple, a generator...
        if country is not None:
            listed = [
                phone_number(f"recipients[{i}]", number, _E164, country, found)
                for i, number in enumerate(listed)
            ]
    remitter = sender(remitter_id, defaults)
    body = checked_body(
        limits.BATCH_CAMPAIGN,
        {
            "name": name,
            "remitter_id": remitter,
            "content": content,
            "recipients": listed,
            "country_alpha2": country,
            "channel_type": channel_type,
        },
        problems,
    )
    problems.update(found)
    missing_sender(remitter, problems)
    check_segments(content, max_segments, problems)
    problems.raise_if_any()
    since = datetime.now(UTC).replace(microsecond=0).isoformat()
    return sending(
        create_batch_campaign.build_request(body=body),
        BatchCampaignAccepted.from_dict,
        options,
        "The campaign may have been created: before sending again, look for "
        f"{name!r} in campaigns.list() (created after {since}).",
    )._replace(
        reconcile=campaign_finder(
            **{k: body[k] for k in _LOOKUP if k in body},
            list_campaigns=list,
            list_campaign_messages=list_messages,
        )
    )


# The per-call keywords and their docs repeat messages.retrieve's on purpose: every public
# call documents each parameter it takes; the shared work is by_id.
def retrieve(
    campaign_id: str | UUID,
    *,
    timeout: float | httpx.Timeout | NotGiven | None = NOT_GIVEN,
    max_retries: int | None = None,
    deadline: float | None = None,
) -> Operation[Campaign]:
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
    problems = Problems()
    options = call_options(timeout, max_retries, deadline, problems)
    return by_id(
        "campaign_id",
        campaign_id,
        options,
        problems,
        retrieve_campaign.build_request,
        Campaign.from_dict,
    )


def list(
    *,
    order: SortOrderName | SortOrder | None = None,
    order_by: SortFieldName | SortField | None = None,
    page_size: int = 30,
    limit: int | None = None,
    timeout: float | httpx.Timeout | NotGiven | None = NOT_GIVEN,
    max_retries: int | None = None,
    deadline: float | None = None,
) -> Listing[Campaign, CampaignPage]:
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
    problems = Problems()
    options = call_options(timeout, max_retries, deadline, problems)
    chosen: dict[str, Any] = {
        "order": enum_value("order", order, SortOrder, limits.SORT_ORDER_VALUES, problems),
        "order_by": enum_value("order_by", order_by, SortField, limits.SORT_FIELD_VALUES, problems),
    }
    sorting = {k: v for k, v in chosen.items() if v is not None}
    return listing(
        lambda page, size: list_campaigns.build_request(page=page, size=size, **sorting),
        CampaignPage.from_dict,
        options,
        page_size,
        limit,
        problems,
    )


# Its paging keywords and docs repeat list's on purpose (each public call documents every
# parameter); the shared work is PageWalk and message_filters.
def list_messages(
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
) -> Listing[Message, MessagePage]:
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
    problems = Problems()
    options = call_options(timeout, max_retries, deadline, problems)
    identifier = path_id("campaign_id", campaign_id, problems)
    filters = message_filters(locals(), problems)
    return listing(
        lambda page, size: list_campaign_messages.build_request(
            identifier, page=page, size=size, **filters
        ),
        MessagePage.from_dict,
        options,
        page_size,
        limit,
        problems,
    )
