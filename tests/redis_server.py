"""A real ``redis-server`` for tests and benchmarks: 127.0.0.1, a free port, a temporary dir.

:class:`RedisServer` starts Debian's ``redis-server`` (no persistence, no
configuration file), waits until it answers ``PING``, and stops it after; it can
also be killed (SIGKILL, as a crash) and started again on the same port, for the
scenarios where the store disappears mid-run. Not a fake: the tests of
:mod:`ziett._throttle.redis` run their Lua against the real server.
``make test`` installs the package when it is missing (``scripts/need.sh``).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType

START_TIMEOUT = 20.0  # seconds: a busy 2-core machine may be slow to start a process


def redis_server_path() -> str | None:
    """Where ``redis-server`` is, None when it is not installed."""
    return shutil.which("redis-server") or (
        "/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists() else None
    )


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def answers_ping(port: int, timeout: float = 0.5) -> bool:
    """True when a Redis server on 127.0.0.1:``port`` answers ``PING`` with ``+PONG``."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(64).startswith(b"+PONG")
    except OSError:
        return False


class RedisServer:
    """One ``redis-server`` process on 127.0.0.1; a context manager (started, then stopped).

    ``url`` is its ``redis://`` URL (database 0). ``kill()`` stops it abruptly,
    ``start()`` brings it back on the same port (empty: nothing is persisted).
    """

    def __init__(self, executable: str | None = None) -> None:
        """
        Args:
            executable: The ``redis-server`` binary; default: found on PATH.
        """
        found = executable or redis_server_path()
        if found is None:
            raise FileNotFoundError("redis-server is not installed (apt-get install redis-server)")
        self.executable = found
        self.port = 0
        self._directory = tempfile.TemporaryDirectory(prefix="ziett-redis-")
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """``redis://127.0.0.1:<port>/0``."""
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        """Start the server (on a free port the first time, the same port after) and wait."""
        for _ in range(5):  # another process may take the free port first
            port = self.port or free_port()
            self.process = subprocess.Popen(
                [
                    self.executable,
                    "--bind",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--dir",
                    self._directory.name,
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--daemonize",
                    "no",
                    "--loglevel",
                    "warning",
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            deadline = time.monotonic() + START_TIMEOUT
            while time.monotonic() < deadline and self.process.poll() is None:
                if answers_ping(port):
                    self.port = port
                    return
                time.sleep(0.02)
            self._reap()
        raise RuntimeError("redis-server did not start")

    def kill(self) -> None:
        """Stop the server at once (SIGKILL): its clients see connections drop."""
        if self.process is not None:
            self.process.kill()
            self._reap()

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL if it lingers)."""
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
            self._reap()

    def _reap(self) -> None:
        if self.process is not None:
            self.process.wait()
            self.process = None

    def close(self) -> None:
        """Stop the server and remove its directory."""
        self.stop()
        self._directory.cleanup()

    def __enter__(self) -> RedisServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
