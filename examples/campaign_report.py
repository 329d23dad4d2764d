"""Send a small campaign, wait for it to complete, and print its report.

A campaign is accepted at once and sent in the background; this script follows it to
the end with the SDK's wait helpers (``campaigns.wait``, ``messages.wait_many``) and
prints ``campaigns.report(...)``::

    python -m ziett.sandbox --port 8080 &          # a local Ziett (pip install 'ziett[sandbox]')
    ZIETT_API_KEY=zk_... ZIETT_BASE_URL=http://127.0.0.1:8080 \\
    python examples/campaign_report.py +244923000100 +244923000113 +244923000114 \\
        [--remitter-id <sender ID>] [--content "Hello"] [--timeout 600]

Exit status: 0 when every message was delivered, 1 when some failed, 2 on an API error
or a timeout.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

import ziett


def arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Send a campaign and print its report.")
    parser.add_argument("recipients", nargs="+", help="2 to 1,000 phone numbers (E.164)")
    parser.add_argument("--remitter-id", default=os.environ.get("ZIETT_REMITTER_ID"))
    parser.add_argument("--name", default="Campaign report example")
    parser.add_argument("--content", default="Hello from the Ziett Python SDK.")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds to wait")
    parser.add_argument("--poll-interval", type=float, default=1.0, help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if not options.remitter_id:
        parser.error("give --remitter-id or set ZIETT_REMITTER_ID")
    return options


def print_report(report: ziett.CampaignReport) -> None:
    campaign = report.campaign
    print(f"Campaign {campaign.name!r} ({campaign.id}): {campaign.status}")
    print(
        f"  {report.total} messages: charged {report.charged}, refunded {report.refunded}, "
        f"net cost {report.net_cost}"
    )
    for status, count in report.status_counts.items():
        if count:
            print(f"  {status:<12} {count}")
    for message in report.failed:
        print(f"  failed: {message.e164_format} {message.status} ({message.error_code})")


def main(argv: Sequence[str] | None = None) -> int:
    options = arguments(argv)
    every = options.poll_interval
    with ziett.Ziett(default_remitter_id=options.remitter_id) as client:
        try:
            accepted = client.campaigns.create_batch(
                name=options.name,
                content=options.content,
                recipients=options.recipients,
            )
            print(f"Accepted campaign {accepted.campaign_id}")
            client.campaigns.wait(
                accepted.campaign_id,
                timeout=options.timeout,
                on_progress=lambda campaign: print(f"  campaign is {campaign.status}"),
                poll_interval=every,
            )
            ids = [m.id for m in client.campaigns.list_messages(accepted.campaign_id)]
            client.messages.wait_many(ids, timeout=options.timeout, poll_interval=every)
            report = client.campaigns.report(accepted.campaign_id)
        except ziett.WaitTimeoutError as error:
            print(f"Gave up waiting: {error}", file=sys.stderr)
            return 2
        except ziett.ZiettError as error:
            print(f"Ziett error: {error}", file=sys.stderr)
            return 2
    print_report(report)
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
