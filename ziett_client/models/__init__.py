"""Contains all the data models used in inputs/outputs"""

from .batch_campaign_accepted import BatchCampaignAccepted
from .batch_campaign_request import BatchCampaignRequest
from .campaign import Campaign
from .campaign_page import CampaignPage
from .campaign_status import CampaignStatus
from .campaign_summary import CampaignSummary
from .channel_type import ChannelType
from .contact import Contact
from .error_object import ErrorObject
from .error_object_fields import ErrorObjectFields
from .message import Message
from .message_page import MessagePage
from .message_status import MessageStatus
from .save_contact import SaveContact
from .send_channel_type import SendChannelType
from .send_message_accepted import SendMessageAccepted
from .send_message_request import SendMessageRequest
from .sms_remitter import SmsRemitter
from .sort_field import SortField
from .sort_order import SortOrder

__all__ = (
    "BatchCampaignAccepted",
    "BatchCampaignRequest",
    "Campaign",
    "CampaignPage",
    "CampaignStatus",
    "CampaignSummary",
    "ChannelType",
    "Contact",
    "ErrorObject",
    "ErrorObjectFields",
    "Message",
    "MessagePage",
    "MessageStatus",
    "SaveContact",
    "SendChannelType",
    "SendMessageAccepted",
    "SendMessageRequest",
    "SmsRemitter",
    "SortField",
    "SortOrder",
)
