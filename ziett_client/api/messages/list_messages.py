import datetime
from typing import Any
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.channel_type import ChannelType
from ...models.error_object import ErrorObject
from ...models.message_page import MessagePage
from ...models.message_status import MessageStatus
from ...models.sort_field import SortField
from ...models.sort_order import SortOrder
from ...types import UNSET, RequestSpec, Response, Unset, status_code_of


def build_request(
    *,
    q: str | Unset = UNSET,
    page: int | Unset = 1,
    size: int | Unset = 30,
    order: SortOrder | Unset = UNSET,
    order_by: SortField | Unset = UNSET,
    status: list[MessageStatus] | Unset = UNSET,
    channel_type: list[ChannelType] | Unset = UNSET,
    contact_id: list[UUID] | Unset = UNSET,
    campaign_id: list[UUID] | Unset = UNSET,
    sms_remitter_id: list[UUID] | Unset = UNSET,
    trigger_source: list[str] | Unset = UNSET,
    channel_destination: list[str] | Unset = UNSET,
    created_at_ge: datetime.datetime | Unset = UNSET,
    created_at_le: datetime.datetime | Unset = UNSET,
) -> RequestSpec:
    """The GET /c/v1/messages request, ready for httpx."""
    params: dict[str, Any] = {}

    params["q"] = q

    params["page"] = page

    params["size"] = size

    json_order: str | Unset = UNSET
    if not isinstance(order, Unset):
        json_order = order.value

    params["order"] = json_order

    json_order_by: str | Unset = UNSET
    if not isinstance(order_by, Unset):
        json_order_by = order_by.value

    params["order_by"] = json_order_by

    json_status: list[str] | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = []
        for status_item_data in status:
            status_item = status_item_data.value
            json_status.append(status_item)

    params["status"] = json_status

    json_channel_type: list[str] | Unset = UNSET
    if not isinstance(channel_type, Unset):
        json_channel_type = []
        for channel_type_item_data in channel_type:
            channel_type_item = channel_type_item_data.value
            json_channel_type.append(channel_type_item)

    params["channel_type"] = json_channel_type

    json_contact_id: list[str] | Unset = UNSET
    if not isinstance(contact_id, Unset):
        json_contact_id = []
        for contact_id_item_data in contact_id:
            contact_id_item = str(contact_id_item_data)
            json_contact_id.append(contact_id_item)

    params["contact_id"] = json_contact_id

    json_campaign_id: list[str] | Unset = UNSET
    if not isinstance(campaign_id, Unset):
        json_campaign_id = []
        for campaign_id_item_data in campaign_id:
            campaign_id_item = str(campaign_id_item_data)
            json_campaign_id.append(campaign_id_item)

    params["campaign_id"] = json_campaign_id

    json_sms_remitter_id: list[str] | Unset = UNSET
    if not isinstance(sms_remitter_id, Unset):
        json_sms_remitter_id = []
        for sms_remitter_id_item_data in sms_remitter_id:
            sms_remitter_id_item = str(sms_remitter_id_item_data)
            json_sms_remitter_id.append(sms_remitter_id_item)

    params["sms_remitter_id"] = json_sms_remitter_id

    json_trigger_source: list[str] | Unset = UNSET
    if not isinstance(trigger_source, Unset):
        json_trigger_source = trigger_source

    params["trigger_source"] = json_trigger_source

    json_channel_destination: list[str] | Unset = UNSET
    if not isinstance(channel_destination, Unset):
        json_channel_destination = channel_destination

    params["channel_destination"] = json_channel_destination

    json_created_at_ge: str | Unset = UNSET
    if not isinstance(created_at_ge, Unset):
        json_created_at_ge = created_at_ge.isoformat()
    params["created_at__ge"] = json_created_at_ge

    json_created_at_le: str | Unset = UNSET
    if not isinstance(created_at_le, Unset):
        json_created_at_le = created_at_le.isoformat()
    params["created_at__le"] = json_created_at_le

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    json: Any = None

    return RequestSpec(
        route="GET /c/v1/messages",
        method="GET",
        url="/c/v1/messages",
        params=params or None,
        json=json,
    )


def _get_kwargs(
    *,
    q: str | Unset = UNSET,
    page: int | Unset = 1,
    size: int | Unset = 30,
    order: SortOrder | Unset = UNSET,
    order_by: SortField | Unset = UNSET,
    status: list[MessageStatus] | Unset = UNSET,
    channel_type: list[ChannelType] | Unset = UNSET,
    contact_id: list[UUID] | Unset = UNSET,
    campaign_id: list[UUID] | Unset = UNSET,
    sms_remitter_id: list[UUID] | Unset = UNSET,
    trigger_source: list[str] | Unset = UNSET,
    channel_destination: list[str] | Unset = UNSET,
    created_at_ge: datetime.datetime | Unset = UNSET,
    created_at_le: datetime.datetime | Unset = UNSET,
) -> dict[str, Any]:
    request = build_request(
        q=q,
        page=page,
        size=size,
        order=order,
        order_by=order_by,
        status=status,
        channel_type=channel_type,
        contact_id=contact_id,
        campaign_id=campaign_id,
        sms_remitter_id=sms_remitter_id,
        trigger_source=trigger_source,
        channel_destination=channel_destination,
        created_at_ge=created_at_ge,
        created_at_le=created_at_le,
    )
    _kwargs: dict[str, Any] = {"method": request.method, "url": request.url}
    if request.params is not None:
        _kwargs["params"] = request.params
    if request.json is not None:
        _kwargs["json"] = request.json
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorObject | MessagePage | None:
    if response.status_code == 200:
        response_200 = MessagePage.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = ErrorObject.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorObject.from_dict(response.json())

        return response_403

    if response.status_code == 422:
        response_422 = ErrorObject.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = ErrorObject.from_dict(response.json())

        return response_429

    if 500 <= response.status_code <= 599:
        response_5xx = ErrorObject.from_dict(response.json())

        return response_5xx

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorObject | MessagePage]:
    return Response(
        status_code=status_code_of(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    q: str | Unset = UNSET,
    page: int | Unset = 1,
    size: int | Unset = 30,
    order: SortOrder | Unset = UNSET,
    order_by: SortField | Unset = UNSET,
    status: list[MessageStatus] | Unset = UNSET,
    channel_type: list[ChannelType] | Unset = UNSET,
    contact_id: list[UUID] | Unset = UNSET,
    campaign_id: list[UUID] | Unset = UNSET,
    sms_remitter_id: list[UUID] | Unset = UNSET,
    trigger_source: list[str] | Unset = UNSET,
    channel_destination: list[str] | Unset = UNSET,
    created_at_ge: datetime.datetime | Unset = UNSET,
    created_at_le: datetime.datetime | Unset = UNSET,
) -> Response[ErrorObject | MessagePage]:
    """List the organisation's messages

     A paginated, filterable history of every message sent by the
    organisation. `q` matches the destination (E.164) or the message id.
    Multi-valued filters are sent repeated (status=SENT&status=FAILED).

    Args:
        q (str | Unset):
        page (int | Unset):  Default: 1.
        size (int | Unset):  Default: 30.
        order (SortOrder | Unset):
        order_by (SortField | Unset):
        status (list[MessageStatus] | Unset):
        channel_type (list[ChannelType] | Unset):
        contact_id (list[UUID] | Unset):
        campaign_id (list[UUID] | Unset):
        sms_remitter_id (list[UUID] | Unset):
        trigger_source (list[str] | Unset):
        channel_destination (list[str] | Unset):
        created_at_ge (datetime.datetime | Unset):
        created_at_le (datetime.datetime | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorObject | MessagePage]
    """

    kwargs = _get_kwargs(
        q=q,
        page=page,
        size=size,
        order=order,
        order_by=order_by,
        status=status,
        channel_type=channel_type,
        contact_id=contact_id,
        campaign_id=campaign_id,
        sms_remitter_id=sms_remitter_id,
        trigger_source=trigger_source,
        channel_destination=channel_destination,
        created_at_ge=created_at_ge,
        created_at_le=created_at_le,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    q: str | Unset = UNSET,
    page: int | Unset = 1,
    size: int | Unset = 30,
    order: SortOrder | Unset = UNSET,
    order_by: SortField | Unset = UNSET,
    status: list[MessageStatus] | Unset = UNSET,
    channel_type: list[ChannelType] | Unset = UNSET,
    contact_id: list[UUID] | Unset = UNSET,
    campaign_id: list[UUID] | Unset = UNSET,
    sms_remitter_id: list[UUID] | Unset = UNSET,
    trigger_source: list[str] | Unset = UNSET,
    channel_destination: list[str] | Unset = UNSET,
    created_at_ge: datetime.datetime | Unset = UNSET,
    created_at_le: datetime.datetime | Unset = UNSET,
) -> ErrorObject | MessagePage | None:
    """List the organisation's messages

     A paginated, filterable history of every message sent by the
    organisation. `q` matches the destination (E.164) or the message id.
    Multi-valued filters are sent repeated (status=SENT&status=FAILED).

    Args:
        q (str | Unset):
        page (int | Unset):  Default: 1.
        size (int | Unset):  Default: 30.
        order (SortOrder | Unset):
        order_by (SortField | Unset):
        status (list[MessageStatus] | Unset):
        channel_type (list[ChannelType] | Unset):
        contact_id (list[UUID] | Unset):
        campaign_id (list[UUID] | Unset):
        sms_remitter_id (list[UUID] | Unset):
        trigger_source (list[str] | Unset):
        channel_destination (list[str] | Unset):
        created_at_ge (datetime.datetime | Unset):
        created_at_le (datetime.datetime | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorObject | MessagePage
    """

    return sync_detailed(
        client=client,
        q=q,
        page=page,
        size=size,
        order=order,
        order_by=order_by,
        status=status,
        channel_type=channel_type,
        contact_id=contact_id,
        campaign_id=campaign_id,
        sms_remitter_id=sms_remitter_id,
        trigger_source=trigger_source,
        channel_destination=channel_destination,
        created_at_ge=created_at_ge,
        created_at_le=created_at_le,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    q: str | Unset = UNSET,
    page: int | Unset = 1,
    size: int | Unset = 30,
    order: SortOrder | Unset = UNSET,
    order_by: SortField | Unset = UNSET,
    status: list[MessageStatus] | Unset = UNSET,
    channel_type: list[ChannelType] | Unset = UNSET,
    contact_id: list[UUID] | Unset = UNSET,
    campaign_id: list[UUID] | Unset = UNSET,
    sms_remitter_id: list[UUID] | Unset = UNSET,
    trigger_source: list[str] | Unset = UNSET,
    channel_destination: list[str] | Unset = UNSET,
    created_at_ge: datetime.datetime | Unset = UNSET,
    created_at_le: datetime.datetime | Unset = UNSET,
) -> Response[ErrorObject | MessagePage]:
    """List the organisation's messages

     A paginated, filterable history of every message sent by the
    organisation. `q` matches the destination (E.164) or the message id.
    Multi-valued filters are sent repeated (status=SENT&status=FAILED).

    Args:
        q (str | Unset):
        page (int | Unset):  Default: 1.
        size (int | Unset):  Default: 30.
        order (SortOrder | Unset):
        order_by (SortField | Unset):
        status (list[MessageStatus] | Unset):
        channel_type (list[ChannelType] | Unset):
        contact_id (list[UUID] | Unset):
        campaign_id (list[UUID] | Unset):
        sms_remitter_id (list[UUID] | Unset):
        trigger_source (list[str] | Unset):
        channel_destination (list[str] | Unset):
        created_at_ge (datetime.datetime | Unset):
        created_at_le (datetime.datetime | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorObject | MessagePage]
    """

    kwargs = _get_kwargs(
        q=q,
        page=page,
        size=size,
        order=order,
        order_by=order_by,
        status=status,
        channel_type=channel_type,
        contact_id=contact_id,
        campaign_id=campaign_id,
        sms_remitter_id=sms_remitter_id,
        trigger_source=trigger_source,
        channel_destination=channel_destination,
        created_at_ge=created_at_ge,
        created_at_le=created_at_le,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    q: str | Unset = UNSET,
    page: int | Unset = 1,
    size: int | Unset = 30,
    order: SortOrder | Unset = UNSET,
    order_by: SortField | Unset = UNSET,
    status: list[MessageStatus] | Unset = UNSET,
    channel_type: list[ChannelType] | Unset = UNSET,
    contact_id: list[UUID] | Unset = UNSET,
    campaign_id: list[UUID] | Unset = UNSET,
    sms_remitter_id: list[UUID] | Unset = UNSET,
    trigger_source: list[str] | Unset = UNSET,
    channel_destination: list[str] | Unset = UNSET,
    created_at_ge: datetime.datetime | Unset = UNSET,
    created_at_le: datetime.datetime | Unset = UNSET,
) -> ErrorObject | MessagePage | None:
    """List the organisation's messages

     A paginated, filterable history of every message sent by the
    organisation. `q` matches the destination (E.164) or the message id.
    Multi-valued filters are sent repeated (status=SENT&status=FAILED).

    Args:
        q (str | Unset):
        page (int | Unset):  Default: 1.
        size (int | Unset):  Default: 30.
        order (SortOrder | Unset):
        order_by (SortField | Unset):
        status (list[MessageStatus] | Unset):
        channel_type (list[ChannelType] | Unset):
        contact_id (list[UUID] | Unset):
        campaign_id (list[UUID] | Unset):
        sms_remitter_id (list[UUID] | Unset):
        trigger_source (list[str] | Unset):
        channel_destination (list[str] | Unset):
        created_at_ge (datetime.datetime | Unset):
        created_at_le (datetime.datetime | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorObject | MessagePage
    """

    return (
        await asyncio_detailed(
            client=client,
            q=q,
            page=page,
            size=size,
            order=order,
            order_by=order_by,
            status=status,
            channel_type=channel_type,
            contact_id=contact_id,
            campaign_id=campaign_id,
            sms_remitter_id=sms_remitter_id,
            trigger_source=trigger_source,
            channel_destination=channel_destination,
            created_at_ge=created_at_ge,
            created_at_le=created_at_le,
        )
    ).parsed
