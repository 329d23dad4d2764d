from collections.abc import Mapping
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.batch_campaign_accepted import BatchCampaignAccepted
from ...models.batch_campaign_request import BatchCampaignRequest
from ...models.error_object import ErrorObject
from ...types import RequestSpec, Response, status_code_of


def build_request(
    *,
    body: BatchCampaignRequest | Mapping[str, Any],
) -> RequestSpec:
    """The POST /c/v1/campaigns/batch request, ready for httpx."""

    json: Any = body.to_dict() if isinstance(body, BatchCampaignRequest) else body

    return RequestSpec(
        route="POST /c/v1/campaigns/batch",
        method="POST",
        url="/c/v1/campaigns/batch",
        params=None,
        json=json,
    )


def _get_kwargs(
    *,
    body: BatchCampaignRequest,
) -> dict[str, Any]:
    request = build_request(
        body=body,
    )
    _kwargs: dict[str, Any] = {"method": request.method, "url": request.url}
    if request.params is not None:
        _kwargs["params"] = request.params
    if request.json is not None:
        _kwargs["json"] = request.json
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BatchCampaignAccepted | ErrorObject | None:
    if response.status_code == 202:
        response_202 = BatchCampaignAccepted.from_dict(response.json())

        return response_202

    if response.status_code == 401:
        response_401 = ErrorObject.from_dict(response.json())

        return response_401

    if response.status_code == 402:
        response_402 = ErrorObject.from_dict(response.json())

        return response_402

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
) -> Response[BatchCampaignAccepted | ErrorObject]:
    return Response(
        status_code=status_code_of(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: BatchCampaignRequest,
) -> Response[BatchCampaignAccepted | ErrorObject]:
    """Create a batch campaign

     Accepts 2 to 1000 recipients and returns 202 at once with a campaign_id;
    the campaign then moves PROCESSING -> SENDING -> COMPLETED in the
    background. Required scope: apikey:campaign:send. Strictly limited to
    10 requests per minute per API key.

    Args:
        body (BatchCampaignRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BatchCampaignAccepted | ErrorObject]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: BatchCampaignRequest,
) -> BatchCampaignAccepted | ErrorObject | None:
    """Create a batch campaign

     Accepts 2 to 1000 recipients and returns 202 at once with a campaign_id;
    the campaign then moves PROCESSING -> SENDING -> COMPLETED in the
    background. Required scope: apikey:campaign:send. Strictly limited to
    10 requests per minute per API key.

    Args:
        body (BatchCampaignRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BatchCampaignAccepted | ErrorObject
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: BatchCampaignRequest,
) -> Response[BatchCampaignAccepted | ErrorObject]:
    """Create a batch campaign

     Accepts 2 to 1000 recipients and returns 202 at once with a campaign_id;
    the campaign then moves PROCESSING -> SENDING -> COMPLETED in the
    background. Required scope: apikey:campaign:send. Strictly limited to
    10 requests per minute per API key.

    Args:
        body (BatchCampaignRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BatchCampaignAccepted | ErrorObject]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: BatchCampaignRequest,
) -> BatchCampaignAccepted | ErrorObject | None:
    """Create a batch campaign

     Accepts 2 to 1000 recipients and returns 202 at once with a campaign_id;
    the campaign then moves PROCESSING -> SENDING -> COMPLETED in the
    background. Required scope: apikey:campaign:send. Strictly limited to
    10 requests per minute per API key.

    Args:
        body (BatchCampaignRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BatchCampaignAccepted | ErrorObject
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
