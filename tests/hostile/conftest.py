"""One pair of clients (sync and async) on one hostile server for each test module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.hostile.server import Clients


@pytest.fixture(scope="module")
def clients() -> Iterator[Clients]:
    pair = Clients()
    yield pair
    pair.close()
