"""Send an SMS campaign to every number of a CSV file, in batches of at most 1,000.

A plain blocking script (``ziett.Ziett``) for cron jobs and legacy code::

    ZIETT_API_KEY=zk_... [ZIETT_BASE_URL=http://127.0.0.1:8080] \\
    python examples/send_campaign.py numbers.csv --name "Black Friday" --country AO \\
        --content "50% off this weekend only." [--remitter-id <sender ID>]

The numbers are the first column, one per row; a header row and blank rows are
skipped, exact duplicates are sent once, and local numbers are read with
``--country``. Every number is checked before the first batch goes out. The
remitter comes from ``--remitter-id`` or ``ZIETT_REMITTER_ID``. Exit status: 0 when
every batch was accepted; 1 on an API error, with one line on stderr saying at
which batch it stopped (fix the cause, then rerun with ``--start-batch N`` on the
same file); 2 on bad arguments or a bad file, before anything is sent.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import sys
from collections.abc import Sequence

import ziett

BATCH_SIZE = 1_000  # the documented maximum of recipients per batch (the minimum is 2)
DEFAULT_CONTENT = "You have a new message. Reply STOP to opt out."
NAME_LENGTH = 200
# The documented pattern of a batch recipient (openapi.yaml, BatchCampaignRequest).
NUMBER = re.compile(r"\+?[\d\s\-.]{7,30}")


class InputError(Exception):
    """The file or the arguments cannot be used; nothing was sent."""


def read_numbers(path: str) -> list[str]:
    """The first column of every row, without a header, blanks and exact duplicates."""
    numbers: dict[str, None] = {}
    bad: list[str] = []
    first = True
    try:
        with open(path, newline="", encoding="utf-8-sig") as file:
            for line, row in enumerate(csv.reader(file), start=1):
                cell = row[0].strip() if row else ""
                if not cell:
                    continue
                if NUMBER.fullmatch(cell):
                    numbers.setdefault(cell)
                elif not first:  # a first row that is not a number is a header
                    bad.append(f"line {line}: {cell!r}")
                first = False
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise InputError(f"cannot read {path}: {error}") from None
    if bad:
        more = f" and {len(bad) - 3} more" if len(bad) > 3 else ""
        raise InputError(f"{path}: not phone numbers: {', '.join(bad[:3])}{more}")
    if len(numbers) < 2:
        raise InputError(f"{path}: a campaign needs at least 2 numbers, found {len(numbers)}")
    return list(numbers)


def batches(numbers: Sequence[str], size: int = BATCH_SIZE) -> list[list[str]]:
    """``numbers`` in batches of at most ``size``; a last batch of 1 borrows from the one before."""
    chunks = [list(numbers[i : i + size]) for i in range(0, len(numbers), size)]
    if len(chunks) > 1 and len(chunks[-1]) == 1:
        both = chunks[-2] + chunks[-1]
        half = len(both) // 2
        chunks[-2:] = [both[:half], both[half:]]
    return chunks


def batch_name(name: str, index: int, count: int) -> str:
    """``name`` itself for one batch, else ``name (2/3)``, within the documented 200 characters."""
    if count == 1:
        return name[:NAME_LENGTH]
    suffix = f" ({index}/{count})"
    return name[: NAME_LENGTH - len(suffix)] + suffix


def parse_arguments(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="send_campaign.py", description="Send an SMS campaign to the numbers of a CSV file."
    )
    parser.add_argument("csv", help="the numbers: first column, one per row")
    parser.add_argument("--name", required=True, help="campaign name (batches get ' (i/n)')")
    parser.add_argument("--country", required=True, help="how local numbers are read, e.g. AO")
    parser.add_argument("--content", default=DEFAULT_CONTENT, help="the message text")
    parser.add_argument(
        "--start-batch",
        type=int,
        default=1,
        metavar="N",
        help="skip the batches before N (to resume a run that stopped at batch N)",
    )
    parser.add_argument(
        "--remitter-id",
        default=os.environ.get("ZIETT_REMITTER_ID"),
        help="the Sender ID's UUID (default: $ZIETT_REMITTER_ID)",
    )
    args = parser.parse_args(argv)
    if not args.remitter_id:
        parser.error("no Sender ID: pass --remitter-id or set ZIETT_REMITTER_ID")
    if args.start_batch < 1:
        parser.error("--start-batch must be 1 or more")
    args.country = args.country.upper()
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the script; the exit status."""
    args = parse_arguments(sys.argv[1:] if argv is None else argv)
    try:
        chunks = batches(read_numbers(args.csv))
    except InputError as error:
        print(f"send_campaign: {error}", file=sys.stderr)
        return 2
    if args.start_batch > len(chunks):
        print(f"send_campaign: there are only {len(chunks)} batch(es)", file=sys.stderr)
        return 2
    total = sum(len(chunk) for chunk in chunks[args.start_batch - 1 :])
    print(f"{total} numbers in {len(chunks)} batch(es)", flush=True)
    sent = index = 0
    try:
        with ziett.Ziett() as client:
            for index, chunk in enumerate(chunks, start=1):
                if index < args.start_batch:
                    continue
                accepted = client.campaigns.create_batch(
                    name=batch_name(args.name, index, len(chunks)),
                    remitter_id=args.remitter_id,
                    content=args.content,
                    recipients=chunk,
                    country_alpha2=args.country,
                )
                sent += len(chunk)
                print(
                    f"batch {index}/{len(chunks)}: {len(chunk)} numbers accepted,"
                    f" campaign {accepted.campaign_id}",
                    flush=True,
                )
    except ziett.ZiettError as error:
        where = f"at batch {index}/{len(chunks)}" if index else "before the first batch"
        reason = " ".join(str(error).split())
        print(
            f"send_campaign: stopped {where} ({sent} of {total} numbers accepted): {reason}",
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        print(f"send_campaign: interrupted ({sent} of {total} numbers accepted)", file=sys.stderr)
        return 130
    print(f"done: {sent} numbers accepted")
    return 0


if __name__ == "__main__":
    sys.exit(main())
