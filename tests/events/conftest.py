"""Fixtures for the events tests: a real nats-server for each test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from events.natsd import NatsServer


@pytest.fixture
def nats_server(tmp_path: Path) -> Iterator[NatsServer]:
    server = NatsServer(tmp_path / "jetstream").start()
    try:
        yield server
    finally:
        server.stop()
