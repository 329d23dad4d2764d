"""`make demo`: the SDK's main job against a local sandbox server, with no network.

Starts the sandbox (real HTTP on 127.0.0.1), then with ``AsyncZiett`` (its
``default_remitter_id`` and ``default_country`` set once): sends an OTP, checks
the campaign text's encoding and parts with ``ziett.sms``, creates a batch
campaign of 1,000 recipients (some local numbers, read as Angolan), waits for it
to complete (``campaigns.wait``) and for its messages' outcomes (``wait_many``),
prints its report, and pages through the organisation's messages to count them by
status. Money reconciles: charged less refunded (failed messages are refunded) is
the net cost, and the net cost is what the balance lost.
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


async def main_job(base_url: str, api_key: str, remitter_id: str) -> Decimal:
    """The SDK's main job; returns the net cost of every message sent."""
    async with ziett.AsyncZiett(
        api_key=api_key, base_url=base_url, default_remitter_id=remitter_id, default_country="AO"
    ) as client:
        otp = await client.messages.send(
            target_e164="+244990090990",
            content="Your verification code is 482910. It expires in 5 minutes.",
        )
        print(f"OTP accepted: message_id={otp.message_id}")

        text = "Flash Sale! Enjoy 50% off on all items this weekend only."
        info = ziett.sms.analyze(text)
        print(f"Campaign text: {info.encoding}, {info.segments} part per recipient")
        batch = await client.campaigns.create_batch(
            name="Black Friday Promo - Luanda",
            content=text,
            recipients=recipients(),  # the local ones are read as Angolan (default_country)
            max_segments=1,  # refused before sending if the text ever grows past one part
        )
        print(f"Batch accepted: campaign_id={batch.campaign_id} ({batch.message})")

        def progress(campaign: ziett.Campaign) -> None:
            print(f"  campaign {campaign.name!r}: {campaign.status}")

        campaign = await client.campaigns.wait(
            batch.campaign_id, timeout=30, poll_interval=0.25, on_progress=progress
        )
        final = str(campaign.status)
        # A message's refund comes with its outcome: wait for every outcome before adding up.
        ids = [m.id async for m in client.campaigns.list_messages(batch.campaign_id)]
        await client.messages.wait_many([otp.message_id, *ids], timeout=60, poll_interval=0.25)
        report = await client.campaigns.report(batch.campaign_id)
        counts = ", ".join(f"{k} {v}" for k, v in report.status_counts.items() if v)
        print(f"Report: {report.total} messages ({counts})")
        print(f"  charged {report.charged}, refunded {report.refunded}, net cost {report.net_cost}")

        by_status: Counter[str] = Counter()
        charged = refunded = Decimal(0)
        pages = 0
        async for page in client.messages.list(page_size=200).pages():
            pages += 1
            for message in page.entries:
                by_status[str(message.status)] += 1
                charged += message.cost
                refunded += message.cost if message.is_refunded else 0
        print(f"Listed {sum(by_status.values())} messages in {pages} pages:")
        for status, count in sorted(by_status.items()):
            print(f"  {status:<12}{count:>6}")
        print(f"  charged     {charged}")
        print(f"  refunded    {refunded}")
        print(f"  net cost    {charged - refunded}")
        if final != "COMPLETED" or sum(by_status.values()) != RECIPIENTS + 1:
            raise SystemExit("demo: unexpected outcome")
        return charged - refunded


def main() -> int:
    started = time.monotonic()
    with serve_in_thread(Sandbox()) as server:
        sandbox = server.sandbox
        before = sandbox.balance
        print(f"Sandbox serving at {server.base_url} (balance {before})")
        net_cost = asyncio.run(main_job(server.base_url, sandbox.api_key, sandbox.remitter_id))
        spent = before - sandbox.balance
        print(f"Balance left: {sandbox.balance} (fell by {spent}, the net cost)")
        if spent != net_cost:
            raise SystemExit(f"demo: the balance fell by {spent}, the net cost is {net_cost}")
    print(f"Done in {time.monotonic() - started:.1f} s; sandbox stopped.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
