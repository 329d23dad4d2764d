"""The documented limits, generated from openapi.yaml by scripts/generate.py.

Do not edit: change openapi.yaml and run `make generate`.
"""

from typing import Final

from ziett._validation import Rule

SEND_MESSAGE: Final = Rule(
    type="object",
    properties={
        "remitter_id": Rule(required=True, type="string", format="uuid"),
        "channel_type": Rule(required=True, type="string", enum=("SMS",)),
        "target_e164": Rule(
            required=True,
            type="string",
            pattern="^\\+[1-9]\\d{1,14}$",
            message="Must be a valid E.164 formatted phone number (e.g., +244990090990).",
        ),
        "content": Rule(required=True, type="string", min_length=1, max_length=1600),
        "save_contact": Rule(
            type="object",
            properties={
                "name": Rule(type="string"),
                "email": Rule(type="string", format="email"),
                "tags": Rule(type="array", items=Rule(type="string")),
            },
        ),
    },
)
BATCH_CAMPAIGN: Final = Rule(
    type="object",
    properties={
        "remitter_id": Rule(
            required=True,
            type="string",
            format="uuid",
            pattern="^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-7[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$",
            message="Must be a valid UUID v7 (an approved Sender ID).",
        ),
        "content": Rule(required=True, type="string", min_length=1, max_length=10000),
        "channel_type": Rule(required=True, type="string", enum=("SMS",)),
        "recipients": Rule(
            required=True,
            type="array",
            min_items=2,
            max_items=1000,
            items=Rule(
                type="string",
                pattern="^\\+?[\\d\\s\\-\\.]{7,30}$",
                message="Must be a phone number: an optional +, then 7 to 30 digits, spaces, dashes or dots.",
            ),
        ),
        "name": Rule(required=True, type="string", min_length=1, max_length=200),
        "country_alpha2": Rule(type="string", min_length=2, max_length=2, pattern="^[A-Z]{2}$"),
    },
)
PAGE: Final = Rule(type="integer", minimum=1)
PAGE_SIZE: Final = Rule(type="integer", minimum=1, maximum=200)
# operationId -> route, for the layer's coverage test and rate-limit keys.
ROUTES: Final = {
    "send_message": "POST /c/v1/messages",
    "list_messages": "GET /c/v1/messages",
    "retrieve_message": "GET /c/v1/messages/{message_id}",
    "create_batch_campaign": "POST /c/v1/campaigns/batch",
    "list_campaigns": "GET /c/v1/campaigns",
    "retrieve_campaign": "GET /c/v1/campaigns/{campaign_id}",
    "list_campaign_messages": "GET /c/v1/campaigns/{campaign_id}/messages",
}
MESSAGE_STATUS_VALUES: Final = ("PENDING", "SENT", "DELIVERED", "FAILED", "UNDELIVERED")
CHANNEL_TYPE_VALUES: Final = ("SMS", "WHATSAPP")
SEND_CHANNEL_TYPE_VALUES: Final = ("SMS",)
SORT_ORDER_VALUES: Final = ("asc", "desc")
SORT_FIELD_VALUES: Final = ("created_at", "updated_at")
# x-ziett-final: the statuses a message or a campaign never leaves.
MESSAGE_STATUS_FINAL: Final = frozenset(("DELIVERED", "FAILED", "UNDELIVERED"))
CAMPAIGN_STATUS_FINAL: Final = frozenset(("COMPLETED", "FAILED"))
