"""Prefork workers (the Celery/gunicorn model): one ``ziett.Ziett`` made before ``fork()``.

The parent creates the client, checks the key with one read, then forks N children that
each send their share (in a child the client opens its own connections). The send limit
(120/min) is per key, for every process together: with a Redis store
(``ZIETT_RATE_LIMIT_STORE``, ``ziett[redis]``) the workers share that one budget; without
one the limit is split among them by hand. Run it against the sandbox::

    python -m ziett.sandbox --port 8080          # prints an API key and a sender ID
    redis-server --port 6379 &                   # optional: the shared budget
    ZIETT_API_KEY=zk_test_... ZIETT_BASE_URL=http://127.0.0.1:8080 \\
    ZIETT_REMITTER_ID=<sender ID> ZIETT_RATE_LIMIT_STORE=redis://127.0.0.1:6379/0 \\
    python examples/prefork_worker.py --workers 4 --jobs 20

Exit status: 0 when every job was sent; 1 when a child failed (or the key check did).
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NoReturn, TextIO

import ziett

SEND_ROUTE = "POST /c/v1/messages"
SEND_LIMIT = ziett.RateLimit(120, 60.0)  # the documented per-key limit of sends


@dataclass(frozen=True)
class Job:
    """One message to send."""

    phone: str
    content: str


def make_jobs(count: int) -> list[Job]:
    """Stand-in for a queue: ``count`` shipping notices to distinct numbers."""
    return [Job(f"+24499{i:07d}", f"Your order #{1000 + i} has shipped.") for i in range(count)]


def say(line: str, stream: TextIO | None = None) -> None:
    """Print ``line`` in one write, so that the processes' lines never interleave.

    (``print`` writes the text and the newline separately when output is unbuffered.)
    """
    stream = stream or sys.stdout
    stream.write(line + "\n")
    stream.flush()


def work(client: ziett.Ziett, worker: int, jobs: Sequence[Job]) -> int:
    """Send ``jobs`` (in a child) from the client's default sender; the number that failed."""
    failed = 0
    for job in jobs:
        try:
            accepted = client.messages.send(target_e164=job.phone, content=job.content)
        except ziett.ZiettError as error:
            failed += 1
            say(f"worker {worker}: {job.phone} failed: {error}", sys.stderr)
        else:
            say(f"worker {worker}: {job.phone} -> {accepted.message_id}")
    return failed


def run_child(client: ziett.Ziett, worker: int, jobs: Sequence[Job]) -> NoReturn:
    """A child's whole life: send, then ``os._exit`` (never back into the parent's code)."""
    code = 1
    try:
        code = 0 if work(client, worker, jobs) == 0 else 1
        client.close()  # the child's own connections; the parent's stay open
    except BaseException:
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def make_client(store: str | None, workers: int, remitter_id: str) -> ziett.Ziett:
    """The client every worker inherits (sending from ``remitter_id``), and its send budget.

    With ``store``, the whole documented limit, shared through Redis by every process
    using the key (here and elsewhere); without, a 1/``workers`` share per process.
    """
    if store:
        return ziett.Ziett(rate_limit_store=store, default_remitter_id=remitter_id)
    share = ziett.RateLimit(max(1, SEND_LIMIT.requests // workers), SEND_LIMIT.per_seconds)
    return ziett.Ziett(rate_limits={SEND_ROUTE: share}, default_remitter_id=remitter_id)


def main(argv: Sequence[str] | None = None) -> int:
    """Fork the workers, wait for them, report; the exit status."""
    parser = argparse.ArgumentParser(
        prog="prefork_worker.py", description="Send jobs from forked worker processes."
    )
    parser.add_argument("--workers", type=int, default=4, help="child processes (default 4)")
    parser.add_argument("--jobs", type=int, default=20, help="messages to send (default 20)")
    parser.add_argument("--remitter-id", default=os.environ.get("ZIETT_REMITTER_ID"))
    parser.add_argument(
        "--rate-limit-store",
        default=os.environ.get("ZIETT_RATE_LIMIT_STORE"),
        help="redis:// URL of the budget shared by every process (default: "
        "ZIETT_RATE_LIMIT_STORE; none: the limit is split among the workers)",
    )
    args = parser.parse_args(argv)
    if not args.remitter_id:
        parser.error("no Sender ID: pass --remitter-id or set ZIETT_REMITTER_ID")
    if args.workers < 1 or args.jobs < 0:
        parser.error("--workers must be 1 or more and --jobs 0 or more")

    try:
        client = make_client(args.rate_limit_store, args.workers, args.remitter_id)
        next(iter(client.messages.list(page_size=1, limit=1)), None)  # fail fast on a bad key
    except ziett.ZiettError as error:
        print(f"prefork_worker: {error}", file=sys.stderr)
        return 1

    jobs = make_jobs(args.jobs)
    sys.stdout.flush()  # or the children would print the parent's buffered output again
    sys.stderr.flush()
    children: dict[int, int] = {}
    for worker in range(args.workers):
        pid = os.fork()
        if pid == 0:
            run_child(client, worker, jobs[worker :: args.workers])
        children[pid] = worker

    failed = []
    for pid, worker in children.items():
        _, status = os.waitpid(pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            failed.append(worker)
    client.close()
    if failed:
        print(f"prefork_worker: worker(s) {', '.join(map(str, failed))} failed", file=sys.stderr)
        return 1
    print(f"done: {len(jobs)} jobs sent by {args.workers} workers")
    return 0


if __name__ == "__main__":
    sys.exit(main())
