from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.campaign_page import CampaignPage
from ...models.error_object import ErrorObject
from ...models.sort_field import SortField
from ...models.sort_order import SortOrder
from ...types import UNSET, RequestSpec, Response, Unset, status_code_of


def build_request(
    *,
    page: int | Unset = 1,
    size: int | Unset = 30,
    order: SortOrder | Unset = UNSET,
    order_by: SortField | Unset = UNSET,
) -> RequestSpec:
    """The GET /c/v1/campaigns request, ready for httpx."""
    params: dict[str, Any] = {}

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

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    json: Any = None

    return RequestSpec(
        route="GET /c/v1/campaigns",
        method="GET",
        url="/c/v1/campaigns",
        params=params or None,
        json=json,
    )


def _get_kwargs(
    *,
    page: int | Unset = 1,
    size: int | Unset = 30,
    order: SortOrder | Unset = UNSET,
    order_by: SortField | Unset = UNSET,
) -> dict[str, Any]:
    request = build_request(
        page=page,
        size=size,
        order=order,
        order_by=order_by,
    )
    _kwargs: dict[str, Any] = {"method": request.method, "url": request.url}
    if request.params is not None:
        _kwargs["params"] = request.params
    if request.json is not None:
        _kwargs["json"] = request.json
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CampaignPage | ErrorObject | None:
    if response.status_code == 200:
        response_200 = CampaignPage.from_dict(response.json())

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
) -> Response[CampaignPage | ErrorObject]:
    return Response(
        status_code=status_code_of(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    page: int | Unset = 1,
    size: int | Unset = 30,
    order: SortOrder | Unset = UNSET,
    order_by: SortField | Unset = UNSET,
) -> Response[CampaignPage | ErrorObject]:
    """List the organisation's campaigns

     Paginated like every listing route. Not in the docs: filters for
    campaigns; only the overview's common pagination parameters are
    described.

    Args:
        page (int | Unset):  Default: 1.
        size (int | Unset):  Default: 30.
        order (SortOrder | Unset):
        order_by (SortField | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CampaignPage | ErrorObject]
    """

    kwargs = _get_kwargs(
        page=page,
        size=size,
        order=order,
        order_by=order_by,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    page: int | Unset = 1,
    size: int | Unset = 30,
    order: SortOrder | Unset = UNSET,
    order_by: SortField | Unset = UNSET,
) -> CampaignPage | ErrorObject | None:
    """List the organisation's campaigns

     Paginated like every listing route. Not in the docs: filters for
    campaigns; only the overview's common pagination parameters are
    described.

    Args:
        page (int | Unset):  Default: 1.
        size (int | Unset):  Default: 30.
        order (SortOrder | Unset):
        order_by (SortField | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CampaignPage | ErrorObject
    """

    return sync_detailed(
        client=client,
        page=page,
        size=size,
        order=order,
        order_by=order_by,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    page: int | Unset = 1,
    size: int | Unset = 30,
    order: SortOrder | Unset = UNSET,
    order_by: SortField | Unset = UNSET,
) -> Response[CampaignPage | ErrorObject]:
    """List the organisation's campaigns

     Paginated like every listing route. Not in the docs: filters for
    campaigns; only the overview's common pagination parameters are
    described.

    Args:
        page (int | Unset):  Default: 1.
        size (int | Unset):  Default: 30.
        order (SortOrder | Unset):
        order_by (SortField | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CampaignPage | ErrorObject]
    """

    kwargs = _get_kwargs(
        page=page,
        size=size,
        order=order,
        order_by=order_by,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    page: int | Unset = 1,
    size: int | Unset = 30,
    order: SortOrder | Unset = UNSET,
    order_by: SortField | Unset = UNSET,
) -> CampaignPage | ErrorObject | None:
    """List the organisation's campaigns

     Paginated like every listing route. Not in the docs: filters for
    campaigns; only the overview's common pagination parameters are
    described.

    Args:
        page (int | Unset):  Default: 1.
        size (int | Unset):  Default: 30.
        order (SortOrder | Unset):
        order_by (SortField | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CampaignPage | ErrorObject
    """

    return (
        await asyncio_detailed(
            client=client,
            page=page,
            size=size,
            order=order,
            order_by=order_by,
        )
    ).parsed
