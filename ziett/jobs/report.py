"""A campaign's report: what became of its messages, and what they cost.

A job plan (``ziett._transport``) that reads the campaign, then every one of its
messages (200 a page), counting them by status and summing the money: charged
(every message's ``cost``), refunded (the cost of the messages the API marks
``is_refunded``; the sandbox refunds FAILED ones) and the net, what the balance lost.
May import the resources' builders and the polling pieces.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final
from uuid import UUID

import httpx

from ziett import _constraints as limits
from ziett._arguments import NOT_GIVEN, NotGiven, Problems, call_options, path_id
from ziett._transport import Plan
from ziett.jobs.polling import CAMPAIGN_FINAL, MESSAGE_FINAL, PAGE_SIZE, call, last_page, status_of
from ziett.resources import campaigns as _campaigns
from ziett_client.models import Campaign, Message

__all__ = ["CampaignReport", "campaign_report"]

_FAILURES: Final = MESSAGE_FINAL - {"DELIVERED"}


@dataclass(frozen=True)
class CampaignReport:
    """What became of a campaign's messages: counts by status, money, the failures.

    Built by ``campaigns.report`` from the campaign and every one of its messages.
    ``net_cost`` (charged less refunded) is what the campaign took from the balance.
    """

    campaign: Campaign
    """The campaign as retrieved (its ``status`` says whether it is complete)."""
    status_counts: dict[str, int]
    """Messages per status: every documented status (0 when none), and any other seen."""
    total: int
    """How many messages the campaign holds."""
    charged: Decimal
    """The sum of every message's ``cost``: what was debited when they were sent."""
    refunded: Decimal
    """The sum of the ``cost`` of the messages the API marks ``is_refunded``."""
    failed: builtins.list[Message]
    """The FAILED and UNDELIVERED messages (with their ``error_code``), oldest first."""

    @property
    def net_cost(self) -> Decimal:
        """What the campaign cost in the end: ``charged`` less ``refunded``."""
        return self.charged - self.refunded

    @property
    def complete(self) -> bool:
        """Whether the campaign reached a final status (COMPLETED or FAILED)."""
        return str(self.campaign.status) in CAMPAIGN_FINAL


def campaign_report(
    campaign_id: str | UUID,
    *,
    timeout: float | httpx.Timeout | NotGiven | None = NOT_GIVEN,
    max_retries: int | None = None,
    deadline: float | None = None,
) -> Plan[CampaignReport]:
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
    problems = Problems()
    identifier = path_id("campaign_id", campaign_id, problems)
    call_options(timeout, max_retries, deadline, problems)
    problems.raise_if_any()
    return _report_plan(identifier, timeout, max_retries, deadline)


def _report_plan(
    campaign_id: str,
    timeout: float | httpx.Timeout | NotGiven | None,
    max_retries: int | None,
    deadline: float | None,
) -> Plan[CampaignReport]:
    options: dict[str, Any] = {"timeout": timeout, "max_retries": max_retries, "deadline": deadline}
    campaign = yield from call(_campaigns.retrieve(campaign_id, **options))
    counts = dict.fromkeys(limits.MESSAGE_STATUS_VALUES, 0)
    charged = refunded = Decimal(0)
    failed: builtins.list[Message] = []
    total = 0
    listing = _campaigns.list_messages(
        campaign_id,
        order="asc",
        order_by="created_at",  # creation times never change: stable pages
        page_size=PAGE_SIZE,
        **options,
    )
    number = 1
    while True:
        op = listing.operation_for(number, PAGE_SIZE)
        page = yield from call(op)
        for message in page.entries:
            state = status_of(message, op.route)
            counts[state] = counts.get(state, 0) + 1
            charged += message.cost
            if message.is_refunded:
                refunded += message.cost
            total += 1
            if state in _FAILURES:
                failed.append(message)
        if last_page(page, None):
            break
        number += 1
    return CampaignReport(campaign, counts, total, charged, refunded, failed)
