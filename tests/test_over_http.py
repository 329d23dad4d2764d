"""Behaviour that crosses a real socket: the sandbox served by uvicorn on 127.0.0.1.

Retries that never send twice, waits that honour Retry-After, pacing under a
server-enforced limit, timeouts, and the sync client in threads, inside a running
event loop and after fork(); the async client under asyncio and trio.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Iterator
from typing import Any

import anyio
import pytest

import ziett
from ziett._retry import RetryPolicy
from ziett.sandbox import Sandbox, serve_in_thread

from .conftest import Flavour

TARGET = "+244990090990"


@pytest.fixture(scope="module")
def server() -> Iterator[Any]:
    with serve_in_thread(Sandbox(rate_limits={})) as running:
        yield running


@pytest.fixture
def sandbox(server: Any) -> Sandbox:
    sandbox: Sandbox = server.sandbox
    sandbox.reset()
    return sandbox


def http_client(flavour: Flavour, server: Any, **kwargs: Any) -> Any:
    kwargs.setdefault("rate_limits", {})
    return flavour.client(api_key=server.sandbox.api_key, base_url=server.base_url, **kwargs)


def send_arguments(sandbox: Sandbox, target: str = TARGET) -> dict[str, Any]:
    return {"remitter_id": sandbox.remitter_id, "target_e164": target, "content": "Code 482910"}


# --- retries that never send twice ------------------------------------------------------------


@pytest.mark.parametrize("max_retries", [0, 3])
async def test_a_send_dropped_after_processing_is_not_repeated(
    flavour: Flavour, server: Any, sandbox: Sandbox, max_retries: int
) -> None:
    client = http_client(flavour, server, max_retries=max_retries)
    sandbox.inject("drop", method="POST", path="/c/v1/messages")
    with pytest.raises(ziett.APIConnectionError) as caught:
        await flavour.run(client.messages.send(**send_arguments(sandbox)))
    assert len(sandbox.messages) == 1  # processed once, never sent again
    assert caught.value.may_have_been_sent is True
    (note,) = caught.value.__notes__
    assert "may have been sent" in note and TARGET in note
    await flavour.close(client)


async def test_opting_in_retries_an_ambiguous_send(
    flavour: Flavour, server: Any, sandbox: Sandbox
) -> None:
    client = http_client(flavour, server, max_retries=1, ambiguous_sends="retry")
    sandbox.inject("drop_before", method="POST", path="/c/v1/messages")
    accepted = await flavour.run(client.messages.send(**send_arguments(sandbox)))
    assert [m["id"] for m in sandbox.messages] == [accepted.message_id]
    await flavour.close(client)


async def test_a_read_survives_two_503s(
    flavour: Flavour, server: Any, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(RetryPolicy, "backoff", lambda self, n: 0.0)  # waits: test_policy_steps
    client = http_client(flavour, server, max_retries=2)
    sent = await flavour.run(client.messages.send(**send_arguments(sandbox)))
    sandbox.inject(503, times=2, method="GET")
    started = len(sandbox.requests)
    message = await flavour.run(client.messages.retrieve(sent.message_id))
    assert message.id == sent.message_id
    assert len(sandbox.requests) - started == 3
    sandbox.inject(503, times=2, method="GET")
    with pytest.raises(ziett.InternalServerError) as caught:
        await flavour.run(client.messages.retrieve(sent.message_id, max_retries=1))
    assert caught.value.status_code == 503
    await flavour.close(client)


async def test_retry_after_is_waited_out_without_a_duplicate(
    flavour: Flavour, server: Any, sandbox: Sandbox
) -> None:
    attempts: list[Any] = []
    client = http_client(flavour, server, attempt_hooks=[attempts.append])
    sandbox.inject(429, retry_after=1, method="POST", path="/c/v1/messages")
    await flavour.run(client.messages.send(**send_arguments(sandbox)))
    # The server's Retry-After decided the wait (how waits are slept: test_policy_steps).
    assert [(a.status_code, a.wait) for a in attempts] == [(429, 1.0), (202, None)]
    assert len(sandbox.messages) == 1
    await flavour.close(client)


async def test_a_long_retry_after_raises_at_once(
    flavour: Flavour, server: Any, sandbox: Sandbox
) -> None:
    seen: list[ziett.hooks.Attempt] = []
    client = http_client(flavour, server, attempt_hooks=[seen.append])
    sandbox.inject(429, retry_after=3600, method="POST", path="/c/v1/messages")
    with pytest.raises(ziett.RateLimitError) as caught:
        await flavour.run(client.messages.send(**send_arguments(sandbox)))
    assert caught.value.retry_after == 3600
    assert [(a.status_code, a.wait) for a in seen] == [(429, None)]  # not waited, not retried
    assert sandbox.messages == []
    await flavour.close(client)


async def test_timeouts_raise_within_the_timeout(
    flavour: Flavour, server: Any, sandbox: Sandbox
) -> None:
    client = http_client(flavour, server, max_retries=0, timeout=0.3)
    sandbox.inject(("slow", 5.0), method="GET")
    # Without the timeout the slow answer (a 404 after 5 s) would be a NotFoundError.
    with pytest.raises(ziett.APITimeoutError):
        await flavour.run(client.messages.retrieve("anything"))
    await flavour.close(client)


async def test_a_deadline_ends_a_call_the_timeout_would_not(
    flavour: Flavour, server: Any, sandbox: Sandbox
) -> None:
    client = http_client(flavour, server, max_retries=5, timeout=30.0)
    sandbox.inject(("slow", 5.0), method="GET")
    # The per-attempt timeout (30 s) would wait for the slow answer (a 404 after 5 s): only
    # the call's deadline can end it first. The retry arithmetic is stepped exactly in
    # test_policy_steps.py.
    with pytest.raises(ziett.APITimeoutError):
        await flavour.run(client.messages.retrieve("anything", deadline=0.8))
    await flavour.close(client)


# --- pacing: its decisions are stepped exactly on a fake clock in test_policy_steps.py; the
# rate achieved against a real server (zero 429s, share of the limit) is measured in bench/.


# --- the sync client in threads, in a running loop, after fork; the async client on trio -------


def test_the_sync_client_serves_many_threads(server: Any, sandbox: Sandbox) -> None:
    client = ziett.Ziett(api_key=sandbox.api_key, base_url=server.base_url, rate_limits={})
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(10):
                client.messages.send(**send_arguments(sandbox, f"+2449{n:02d}{i:06d}"))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert len(sandbox.messages) == 80
    client.close()


def test_the_sync_client_works_inside_a_running_event_loop(server: Any, sandbox: Sandbox) -> None:
    client = ziett.Ziett(api_key=sandbox.api_key, base_url=server.base_url, rate_limits={})

    async def handler() -> str:
        # Sync code called from async code (a notebook cell, a legacy helper).
        return client.messages.send(**send_arguments(sandbox)).message_id

    message_id = asyncio.run(handler())
    in_thread: list[str] = []

    def loop_in_thread() -> None:
        in_thread.append(asyncio.run(handler()))

    thread = threading.Thread(target=loop_in_thread)
    thread.start()
    thread.join(timeout=30)
    assert {m["id"] for m in sandbox.messages} == {message_id, *in_thread}
    assert len(in_thread) == 1
    client.close()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork()")
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_a_sync_client_created_before_fork_works_in_children(server: Any, sandbox: Sandbox) -> None:
    client = ziett.Ziett(api_key=sandbox.api_key, base_url=server.base_url, rate_limits={})
    client.messages.send(**send_arguments(sandbox))  # the parent holds an open connection
    inherited = client._http_client
    children = []
    for n in range(3):
        pid = os.fork()
        if pid == 0:  # child: use the inherited client, report through the exit code
            code = 1
            try:
                client.messages.send(**send_arguments(sandbox, f"+24499100000{n}"))
                code = 0 if client._http_client is not inherited else 2
            finally:
                os._exit(code)
        children.append(pid)
    statuses = [os.waitpid(pid, 0)[1] for pid in children]
    assert [os.waitstatus_to_exitcode(s) for s in statuses] == [0, 0, 0]
    client.messages.send(**send_arguments(sandbox))  # the parent's connection still works
    assert len(sandbox.messages) == 5
    client.close()


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_the_async_client_serves_hundreds_of_concurrent_requests(
    server: Any, sandbox: Sandbox, backend: str
) -> None:
    async def main() -> list[str]:
        async with ziett.AsyncZiett(
            api_key=sandbox.api_key, base_url=server.base_url, rate_limits={}
        ) as client:
            ids: list[str] = []

            async def send(i: int) -> None:
                accepted = await client.messages.send(**send_arguments(sandbox, f"+24499{i:07d}"))
                ids.append(accepted.message_id)

            async with anyio.create_task_group() as group:
                for i in range(300):
                    group.start_soon(send, i)
            listed = [m.id async for m in client.messages.list(page_size=200)]
            assert sorted(listed) == sorted(ids)
            return ids

    ids = anyio.run(main, backend=backend)
    assert len(set(ids)) == 300
    assert len(sandbox.messages) == 300
