"""The HTTP door over a real store: the app in-process with the real index, and real servers."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from api.helpers import SECRET, Server
from starlette.testclient import TestClient

from registry.api.app import create_app
from registry.api.config import ApiConfig
from registry.auth.authenticator import Authenticator
from registry.git.store import Store
from registry.index.live import LiveIndex
from registry.trust.sshsig import SigningKey


@pytest.fixture
def index(example_store: Store) -> LiveIndex:
    """The example store's real index; in-process, the doors refresh it (no watcher)."""
    return LiveIndex(example_store.path)


def make_client(store: Store, index: LiveIndex, key: SigningKey | None) -> TestClient:
    config = ApiConfig(
        store_path=Path(store.path), index=index, authenticator=Authenticator.for_secret(SECRET), key=key
    )
    return TestClient(create_app(config), raise_server_exceptions=False)


@pytest.fixture
def client(example_store: Store, index: LiveIndex, key: SigningKey) -> Iterator[TestClient]:
    with make_client(example_store, index, key) as c:
        yield c


@pytest.fixture
def read_only_client(example_store: Store, index: LiveIndex) -> Iterator[TestClient]:
    with make_client(example_store, index, None) as c:
        yield c


@pytest.fixture
def server(tmp_path: Path, example_store: Store, key_path: Path) -> Iterator[Callable[[], Server]]:
    """Start real servers of the example store (each on a free port); all stopped at the end."""
    started: list[Server] = []

    def start() -> Server:
        s = Server(Path(example_store.path), key_path=key_path, log=tmp_path / f"server-{len(started)}.log")
        started.append(s)
        return s.wait_ready()

    yield start
    for s in started:
        s.stop()
