"""`make demo`: the SDK's main job against a local sandbox server, with no network.

Starts the sandbox (real HTTP on 127.0.0.1), then with ``AsyncZiett``: sends an
OTP, checks the campaign text's encoding and parts with ``ziett.sms``, creates a
batch campaign of 1,000 recipients (some local numbers read with
``country_alpha2``), waits for it to complete (``campaigns.wait``), prints its
report, and pages through the organisation's messages to count them by status.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections import Counter
from decimal import Decimal

import ziett
from ziett.sandbox import Sandbox, serve_in_thread

RECIPIENTS = 1_000
LOCAL_EVERY = 4  # one recipient in four is a local Angolan number


def recipients() -> list[str]:
    """1,000 numbers: E.164 mostly, local ("9xxxxxxxx") for some."""
    numbers = []
    for i in range(RECIPIENTS):
        local = f"9{i:08d}"
        numbers.append(local if i % LOCAL_EVERY == 0 else f"+244{local}")
    return numbers


async def main_job(base_url: str, api_key: str, remitter_id: str) -> None:
    async with ziett.AsyncZiett(api_key=api_key, base_url=base_url) as client:
        otp = await client.messages.send(
            remitter_id=remitter_id,
            target_e164="+244990090990",
            content="Your verification code is 482910. It expires in 5 minutes.",
        )
        print(f"OTP accepted: message_id={otp.message_id}")

        text = "Flash Sale! Enjoy 50% off on all items this weekend only."
        info = ziett.sms.analyze(text)
        print(f"Campaign text: {info.encoding}, {info.segments} part per recipient")
        batch = await client.campaigns.create_batch(
            name="Black Friday Promo - Luanda",
            remitter_id=remitter_id,
            content=text,
            recipients=recipients(),
            country_alpha2="AO",
            max_segments=1,  # refused before sending if the text ever grows past one part
        )
        print(f"Batch accepted: campaign_id={batch.campaign_id} ({batch.message})")

        def progress(campaign: ziett.Campaign) -> None:
            print(f"  campaign {campaign.name!r}: {campaign.status}")

        campaign = await client.campaigns.wait(
            batch.campaign_id, timeout=30, poll_interval=0.25, on_progress=progress
        )
        final = str(campaign.status)
        report = await client.campaigns.report(batch.campaign_id)
        counts = ", ".join(f"{k} {v}" for k, v in report.status_counts.items() if v)
        print(f"Report: {report.total} messages ({counts}), cost {report.cost}")

        by_status: Counter[str] = Counter()
        total_cost = Decimal(0)
        pages = 0
        async for page in client.messages.list(page_size=200).pages():
            pages += 1
            for message in page.entries:
                by_status[str(message.status)] += 1
                total_cost += message.cost
        print(f"Listed {sum(by_status.values())} messages in {pages} pages:")
        for status, count in sorted(by_status.items()):
            print(f"  {status:<12}{count:>6}")
        print(f"  total cost  {total_cost}")
        if final != "COMPLETED" or sum(by_status.values()) != RECIPIENTS + 1:
            raise SystemExit("demo: unexpected outcome")


def main() -> int:
    started = time.monotonic()
    with serve_in_thread(Sandbox()) as server:
        sandbox = server.sandbox
        print(f"Sandbox serving at {server.base_url} (balance {sandbox.balance})")
        asyncio.run(main_job(server.base_url, sandbox.api_key, sandbox.remitter_id))
        print(f"Balance left: {sandbox.balance}")
    print(f"Done in {time.monotonic() - started:.1f} s; sandbox stopped.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
