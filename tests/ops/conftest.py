"""The whole API in-process over the example store, with a log that keeps every line it writes."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from registry.api.app import create_app
from registry.api.config import ApiConfig
from registry.auth.authenticator import Authenticator
from registry.auth.tokens import mint
from registry.git.store import Store
from registry.index.live import LiveIndex
from registry.ops import index_instruments
from registry.ops.logs import JsonFormatter
from registry.trust.sshsig import SigningKey

SECRET = "ops-tests-" + "k" * 40


def token(
    *scopes: str, sub: str = "ops-tester", roles: tuple[str, ...] = (), tenants: tuple[str, ...] = ()
) -> str:
    return mint(SECRET, sub=sub, scopes=scopes, roles=roles, tenants=tenants)


class LogLines:
    """Every record of every logger, as the server writes it: JSON lines."""

    def __init__(self) -> None:
        self.stream = io.StringIO()
        self.handler = logging.StreamHandler(self.stream)
        self.handler.setFormatter(JsonFormatter())
        self.handler.setLevel(logging.DEBUG)

    @property
    def text(self) -> str:
        return self.stream.getvalue()

    def parsed(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.text.splitlines()]

    def requests(self) -> list[dict[str, Any]]:
        return [line for line in self.parsed() if line["logger"] == "registry.access"]


@pytest.fixture
def logs() -> Iterator[LogLines]:
    lines = LogLines()
    root = logging.getLogger()
    level = root.level
    root.addHandler(lines.handler)
    root.setLevel(logging.DEBUG)
    try:
        yield lines
    finally:
        root.removeHandler(lines.handler)
        root.setLevel(level)


@pytest.fixture
def index(example_store: Store) -> LiveIndex:
    return LiveIndex(example_store.path, **index_instruments())  # as a serving process builds it


@pytest.fixture
def client(example_store: Store, index: LiveIndex, key: SigningKey) -> Iterator[TestClient]:
    config = ApiConfig(
        store_path=Path(example_store.path),
        index=index,
        authenticator=Authenticator.for_secret(SECRET),
        key=key,
    )
    with TestClient(create_app(config), base_url="http://registry.test") as c:
        yield c
