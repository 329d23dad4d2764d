"""ziett: the Python SDK for the Ziett messaging API.

``AsyncZiett`` for async code, ``Ziett`` for blocking code, the same surface on
both; results are the generated models re-exported here; errors derive from
``ZiettError``. Helpers and extension points live in public submodules:
``ziett.phone``, ``ziett.sms``, ``ziett.throttling`` (your own pacing),
``ziett.hooks`` (attempt hooks) and ``ziett.types``. The models, pagers and
submodules load on first use, so ``import ziett`` stays cheap.
"""

from typing import TYPE_CHECKING, Any

from ziett._errors import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    DuplicateSendError,
    InsufficientFundsError,
    InternalServerError,
    InvalidRequestError,
    JournalError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ValidationError,
    WaitTimeoutError,
    ZiettError,
)
from ziett._version import __version__

if TYPE_CHECKING:
    from ziett import hooks, phone, sms, throttling, types
    from ziett._arguments import NOT_GIVEN, NotGiven
    from ziett._client import AsyncZiett, Ziett
    from ziett._config import DEFAULT_RATE_LIMITS
    from ziett._pagination import AsyncPager, SyncPager
    from ziett._response import RawResponse
    from ziett._throttle import RateLimit
    from ziett._throttle.redis import RateLimitStoreWarning
    from ziett.jobs.bulk import BulkReport
    from ziett.jobs.report import CampaignReport
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

# The clients (and httpx, anyio under them) load on first use too: the pytest plugin
# imports this package in every pytest run of an application that installs the SDK.
_LAZY = {
    "AsyncZiett": "ziett._client",
    "Ziett": "ziett._client",
    "DEFAULT_RATE_LIMITS": "ziett._config",
    "RateLimit": "ziett._throttle",
    "AsyncPager": "ziett._pagination",
    "SyncPager": "ziett._pagination",
    "BulkReport": "ziett.jobs.bulk",
    "CampaignReport": "ziett.jobs.report",
    "RawResponse": "ziett._response",
    "RateLimitStoreWarning": "ziett._throttle.redis",
    "NOT_GIVEN": "ziett._arguments",
    "NotGiven": "ziett._arguments",
    **dict.fromkeys(
        [
            "BatchCampaignAccepted",
            "Campaign",
            "CampaignPage",
            "CampaignStatus",
            "CampaignSummary",
            "ChannelType",
            "Contact",
            "ErrorObject",
            "Message",
            "MessagePage",
            "MessageStatus",
            "SaveContact",
            "SendChannelType",
            "SendMessageAccepted",
            "SmsRemitter",
            "SortField",
            "SortOrder",
        ],
        "ziett_client.models",
    ),
}


# Public submodules loaded on first use: ``ziett.sms.analyze(...)`` after a plain ``import ziett``.
_SUBMODULES = frozenset({"hooks", "phone", "sms", "throttling", "types"})


def __getattr__(name: str) -> Any:
    import importlib

    if name in _SUBMODULES:
        value = importlib.import_module(f"ziett.{name}")
        globals()[name] = value
        return value
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'ziett' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "DEFAULT_RATE_LIMITS",
    "NOT_GIVEN",
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncPager",
    "AsyncZiett",
    "AuthenticationError",
    "BatchCampaignAccepted",
    "BulkReport",
    "Campaign",
    "CampaignPage",
    "CampaignReport",
    "CampaignStatus",
    "CampaignSummary",
    "ChannelType",
    "Contact",
    "DuplicateSendError",
    "ErrorObject",
    "InsufficientFundsError",
    "InternalServerError",
    "InvalidRequestError",
    "JournalError",
    "Message",
    "MessagePage",
    "MessageStatus",
    "NotFoundError",
    "NotGiven",
    "PermissionDeniedError",
    "RateLimit",
    "RateLimitError",
    "RateLimitStoreWarning",
    "RawResponse",
    "SaveContact",
    "SendChannelType",
    "SendMessageAccepted",
    "SmsRemitter",
    "SortField",
    "SortOrder",
    "SyncPager",
    "ValidationError",
    "WaitTimeoutError",
    "Ziett",
    "ZiettError",
    "__version__",
    "hooks",
    "phone",
    "sms",
    "throttling",
    "types",
]
