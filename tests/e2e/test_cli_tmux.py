"""``ziett campaigns send`` in a real terminal: tmux, a 3,000-number file, the sandbox server.

The in-process tests see the command without a terminal (no progress bar, no
prompt on a tty). Here tmux gives it one: the test waits for the preview and
the confirmation prompt on the captured pane, answers ``y`` with real key
presses, and checks that the pane ends with the finished progress bar and the
summary, while the sandbox received every number once. And in a pane of 100 columns,
``messages list`` and ``campaigns list`` show whole IDs and the default limit of 20.

Runs in ``make e2e`` (``ZIETT_E2E=1``); needs tmux and uvicorn.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

pytest.importorskip("uvicorn")
if shutil.which("tmux") is None:
    pytest.skip("tmux is not installed (make e2e installs it)", allow_module_level=True)

from ziett import Ziett
from ziett.sandbox import Sandbox, serve_in_thread

NUMBERS = 3_000


class Tmux:
    """A private tmux server (its own socket) holding one session."""

    def __init__(self, env: dict[str, str]) -> None:
        self.socket = f"ziett-cli-{uuid.uuid4().hex[:8]}"
        self.env = env

    def __call__(self, *args: str) -> str:
        result = subprocess.run(
            ["tmux", "-L", self.socket, *args],
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        )
        return result.stdout

    def pane(self) -> str:
        return self("capture-pane", "-p", "-t", "cli")

    def wait_for(self, done: Callable[[str], bool], seconds: float = 60.0) -> str:
        deadline = time.monotonic() + seconds
        while True:
            screen = self.pane()
            if done(screen):
                return screen
            if time.monotonic() > deadline:
                pytest.fail(f"the pane never showed what was expected:\n{screen}")
            time.sleep(0.1)


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[tuple[Tmux, Sandbox]]:
    with serve_in_thread(Sandbox()) as server:
        env = {
            **os.environ,
            "ZIETT_API_KEY": server.sandbox.api_key,
            "ZIETT_BASE_URL": server.base_url,
            "ZIETT_REMITTER_ID": server.sandbox.remitter_id,
        }
        session = Tmux(env)
        try:
            yield session, server.sandbox
        finally:
            subprocess.run(["tmux", "-L", session.socket, "kill-server"], capture_output=True)


def test_campaigns_send_in_a_terminal_shows_the_preview_and_the_finished_bar(
    tmux: tuple[Tmux, Sandbox], tmp_path: Path
) -> None:
    session, sandbox = tmux
    numbers = [f"+24499{i:07d}" for i in range(NUMBERS)]
    (tmp_path / "numbers.csv").write_text("phone\n" + "\n".join(numbers) + "\n")
    text = "Our new store opens Saturday at 9:00!"
    args = ["campaigns", "send", "--file", "numbers.csv", "--name", "Launch", "--text", text]
    command = shlex.join([sys.executable, "-m", "ziett.cli", *args])
    session("new-session", "-d", "-s", "cli", "-x", "120", "-y", "40", "-c", str(tmp_path))
    session("set-option", "-t", "cli", "remain-on-exit", "on")
    session("respawn-pane", "-k", "-t", "cli", command)

    asked = session.wait_for(lambda screen: "Send to 3,000 recipients? [y/N]" in screen)
    assert "recipients  3,000" in asked
    assert "GSM-7, 1 part per message" in asked
    assert "3 batch requests of up to 1,000" in asked
    assert "no wait" in asked and "Launch.ziett-journal" in asked
    assert sandbox.requests == []  # nothing before the answer

    session("send-keys", "-t", "cli", "y", "Enter")
    done = session.wait_for(lambda screen: "Done:" in screen)
    print(done)  # shown by pytest -s: what a person saw
    assert "Sending" in done and "3000/3000" in done
    assert "Done: 3,000 recipients accepted in 3 campaigns" in done
    sent = [message["e164_format"] for message in sandbox.messages]
    assert sorted(sent) == numbers


def test_lists_at_100_columns_show_whole_ids_and_a_default_limit(
    tmux: tuple[Tmux, Sandbox], tmp_path: Path
) -> None:
    session, sandbox = tmux
    env = session.env
    with Ziett(api_key=env["ZIETT_API_KEY"], base_url=env["ZIETT_BASE_URL"]) as client:
        client.campaigns.create_batch(  # 30 messages, a campaign with a long name
            name="Spring sale for every customer who bought twice last year",
            remitter_id=env["ZIETT_REMITTER_ID"],
            content="Spring sale: 20% off everything until Sunday, in every store and online",
            recipients=[f"+24499{i:07d}" for i in range(30)],
        )
    ids = [message["id"] for message in sandbox.messages]
    command = shlex.join([sys.executable, "-m", "ziett.cli", "messages", "list"])
    campaigns = shlex.join([sys.executable, "-m", "ziett.cli", "campaigns", "list"])
    session("new-session", "-d", "-s", "cli", "-x", "100", "-y", "50", "-c", str(tmp_path))
    session("set-option", "-t", "cli", "remain-on-exit", "on")
    session("respawn-pane", "-k", "-t", "cli", f"{command}; {campaigns}")
    screen = session.wait_for(lambda screen: "RECIPIENTS" in screen and "COMPLETED" in screen)
    print(screen)  # shown by pytest -s: what a person saw
    shown = [found for found in ids if found in screen]
    assert len(shown) == 20  # the newest 20, each whole on its line
    assert "Showing 20 of 30 messages" in screen
    assert all(len(line.rstrip()) <= 100 for line in screen.splitlines())
    (campaign,) = sandbox.campaigns
    assert campaign["id"] in screen
