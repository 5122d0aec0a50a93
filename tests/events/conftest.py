"""Fixtures for the events tests: a real nats-server for each test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from events.natsd import NatsServer, Subscriber


@pytest.fixture
def nats_server(tmp_path: Path) -> Iterator[NatsServer]:
    server = NatsServer(tmp_path / "jetstream").start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def subscriber(nats_server: NatsServer) -> Iterator[Subscriber]:
    """A core NATS subscriber to every event subject, stopped after the test."""
    sub = Subscriber(nats_server.url).start()
    try:
        yield sub
    finally:
        sub.stop()
