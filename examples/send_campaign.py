"""Send an SMS campaign to every number of a CSV file: a thin script over ``send_bulk``.

A plain blocking script (``ziett.Ziett``) for cron jobs and legacy code::

    ZIETT_API_KEY=zk_... [ZIETT_BASE_URL=http://127.0.0.1:8080] \\
    python examples/send_campaign.py numbers.csv --name "Black Friday" --country AO \\
        --content "50% off this weekend only." [--remitter-id <sender ID>]

The numbers are the first column; the SDK normalises, de-duplicates, paces and journals
(``numbers.csv.ziett``). Interrupted? Run the same command again: it resumes, and no
number gets two messages. Exit status: 0 done; 1 API error; 2 bad arguments or file.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
from collections.abc import Sequence

import ziett
from ziett.jobs.bulk import Progress

DEFAULT_CONTENT = "You have a new message. Reply STOP to opt out."


def read_rows(path: str) -> list[str]:
    """The first cell of every non-blank row."""
    with open(path, newline="", encoding="utf-8-sig") as file:
        return [row[0].strip() for row in csv.reader(file) if row and row[0].strip()]


def parse_arguments(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="send_campaign.py", description="Send an SMS campaign to the numbers of a CSV file."
    )
    parser.add_argument("csv", help="the numbers: first column, one per row")
    parser.add_argument("--name", required=True, help="campaign name (chunks get ' (i/n)')")
    parser.add_argument("--country", required=True, help="how local numbers are read, e.g. AO")
    parser.add_argument("--content", default=DEFAULT_CONTENT, help="the message text")
    parser.add_argument("--journal", help="the resume file (default: <csv>.ziett)")
    parser.add_argument(
        "--remitter-id",
        default=os.environ.get("ZIETT_REMITTER_ID"),
        help="the Sender ID's UUID (default: $ZIETT_REMITTER_ID)",
    )
    args = parser.parse_args(argv)
    if not args.remitter_id:
        parser.error("no Sender ID: pass --remitter-id or set ZIETT_REMITTER_ID")
    return args


def show(progress: Progress) -> None:
    print(
        f"chunk {progress.chunks_done}/{progress.chunks_total}: "
        f"{progress.accepted} numbers accepted so far",
        flush=True,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the script; the exit status."""
    args = parse_arguments(sys.argv[1:] if argv is None else argv)
    try:
        rows = read_rows(args.csv)
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        print(f"send_campaign: cannot read {args.csv}: {error}", file=sys.stderr)
        return 2
    try:
        with ziett.Ziett() as client:
            report = client.campaigns.send_bulk(
                name=args.name,
                remitter_id=args.remitter_id,
                content=args.content,
                recipients=rows,
                country_alpha2=args.country.upper(),
                journal=args.journal or args.csv + ".ziett",
                on_progress=show,
            )
    except ziett.InvalidRequestError as error:  # refused before anything was sent
        print(f"send_campaign: {' '.join(str(error).split())}", file=sys.stderr)
        return 2
    except ziett.ValidationError as error:  # refused by the API
        print(f"send_campaign: {' '.join(str(error).split())}", file=sys.stderr)
        return 1
    except ziett.ZiettError as error:
        print(f"send_campaign: stopped: {' '.join(str(error).split())}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("send_campaign: interrupted; run the same command to resume", file=sys.stderr)
        return 130
    for row, reason in report.invalid.items():
        print(f"skipped {row!r}: {reason}", file=sys.stderr)
    for name, fields in report.rejected.items():
        print(f"refused {name!r}: {fields}", file=sys.stderr)
    print(
        f"done: {report.accepted} numbers accepted in {len(report.campaign_ids)} campaign(s)"
        f" {' '.join(report.campaign_ids)}; {sum(report.duplicates.values())} duplicate(s),"
        f" {len(report.invalid)} invalid"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
