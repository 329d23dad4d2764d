"""``ziett campaigns wait | report``: a sent campaign followed to its end, and its outcome.

Both read the campaign through the SDK client (``campaigns.wait``,
``campaigns.report``) and print with :mod:`ziett.cli._render`; neither sends.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.text import Text

from ziett.cli import _render
from ziett.cli._common import JsonOption, UtcOption, positive_timeout, settings
from ziett.cli._errors import reporting
from ziett.jobs.report import CampaignReport
from ziett_client.models import Campaign

__all__ = ["campaigns_report", "campaigns_wait", "report_document"]


def campaigns_wait(
    ctx: typer.Context,
    campaign_id: Annotated[str, typer.Argument(metavar="ID", help="The campaign's id.")],
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout", help="Seconds to wait at most (above 0).", callback=positive_timeout
        ),
    ] = 3600.0,
    as_json: JsonOption = False,
    utc: UtcOption = False,
) -> None:
    """Wait until a campaign has finished (COMPLETED or FAILED)."""
    options = settings(ctx)
    people = _render.error_console()
    with (
        reporting(options.verbose),
        options.client() as client,
        people.status(Text(f"Waiting for campaign {campaign_id}")) as spinner,
    ):

        def on_progress(campaign: Campaign) -> None:  # a Text: a name is never markup
            spinner.update(Text(f"Campaign {campaign.name}: {campaign.status}"))

        campaign = client.campaigns.wait(campaign_id, timeout=timeout, on_progress=on_progress)
    _render.show_one(campaign, as_json, utc)


def report_document(report: CampaignReport) -> dict[str, Any]:
    """The ``--json`` form of a campaign's report (field names of ``CampaignReport``;
    amounts as strings, exact: what was charged, what failed messages gave back, and
    the difference, what the balance lost)."""
    return {
        "campaign": report.campaign.to_dict(),
        "complete": report.complete,
        "status_counts": report.status_counts,
        "total": report.total,
        "charged": str(report.charged),
        "refunded": str(report.refunded),
        "net_cost": str(report.net_cost),
        "failed": [message.to_dict() for message in report.failed],
    }


def campaigns_report(
    ctx: typer.Context,
    campaign_id: Annotated[str, typer.Argument(metavar="ID", help="The campaign's id.")],
    as_json: JsonOption = False,
) -> None:
    """A campaign's outcome: messages per status, cost (charged, refunded, net), the failures."""
    options = settings(ctx)
    with reporting(options.verbose), options.client() as client:
        report = client.campaigns.report(campaign_id)
    if as_json:
        _render.echo_json(report_document(report))
        return
    out = _render.console()
    campaign = report.campaign
    state = "" if report.complete else " (not finished: a snapshot)"
    out.print(Text(f"Campaign {campaign.name} ({campaign.id}): {campaign.status}{state}"))
    rows: list[tuple[str, object]] = [
        (status, f"{count:,}") for status, count in report.status_counts.items()
    ]
    rows += [
        ("total", f"{report.total:,}"),
        ("charged", report.charged),
        ("refunded", report.refunded),
        ("net cost", report.net_cost),
    ]
    out.print(_render.detail_table(rows))
    if report.failed:
        out.print(Text(f"Failed ({len(report.failed):,}):", style="bold"))
        for message in report.failed[:50]:
            out.print(
                Text(
                    f"  {message.id}  {message.e164_format}  {message.status}  "
                    f"{message.error_code or ''}".rstrip()
                )
            )
        if len(report.failed) > 50:
            out.print(f"  ... and {len(report.failed) - 50:,} more (--json lists them all)")
