"""ziett: the Python SDK for the Ziett messaging API.

``AsyncZiett`` for async code, ``Ziett`` for blocking code, the same surface on
both; results are the generated models re-exported here; errors derive from
``ZiettError``.
"""

from ziett._client import AsyncZiett, Ziett
from ziett._config import DEFAULT_RATE_LIMITS
from ziett._errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    InsufficientFundsError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ValidationError,
    ZiettError,
)
from ziett._pagination import AsyncPager, SyncPager
from ziett._ratelimit import RateLimit
from ziett._transport import RequestOptions
from ziett._version import __version__
from ziett_client.models import (
    BatchCampaignAccepted,
    Campaign,
    CampaignPage,
    CampaignStatus,
    CampaignSummary,
    ChannelType,
    Contact,
    ErrorObject,
    Message,
    MessagePage,
    MessageStatus,
    SaveContact,
    SendChannelType,
    SendMessageAccepted,
    SmsRemitter,
    SortField,
    SortOrder,
)

__all__ = [
    "DEFAULT_RATE_LIMITS",
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AsyncPager",
    "AsyncZiett",
    "AuthenticationError",
    "BatchCampaignAccepted",
    "Campaign",
    "CampaignPage",
    "CampaignStatus",
    "CampaignSummary",
    "ChannelType",
    "Contact",
    "ErrorObject",
    "InsufficientFundsError",
    "InternalServerError",
    "Message",
    "MessagePage",
    "MessageStatus",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimit",
    "RateLimitError",
    "RequestOptions",
    "SaveContact",
    "SendChannelType",
    "SendMessageAccepted",
    "SmsRemitter",
    "SortField",
    "SortOrder",
    "SyncPager",
    "ValidationError",
    "Ziett",
    "ZiettError",
    "__version__",
]
