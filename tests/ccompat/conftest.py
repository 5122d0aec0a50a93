"""The Confluent-compatible door over a real store: tokens, the app in-process, named schemas."""

from __future__ import annotations

import copy
import json
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
from registry.trust.sshsig import SigningKey

SECRET = "ccompat-tests-" + "s" * 40
READ = "contracts:read"
WRITE = "contracts:write"
PREFIX = "/ccompat"
MEDIA_TYPE = "application/vnd.schemaregistry.v1+json"


def token(*scopes: str, sub: str = "kafka-app") -> str:
    return mint(SECRET, sub=sub, scopes=scopes)


def bearer(*scopes: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token(*scopes)}"}


def stored_schema(store: Store, name: str) -> dict[str, Any]:
    """The schema on main, parsed."""
    text = store.snapshot(store.head()).read(f"contracts/{name}/schema.json")
    assert text is not None
    return json.loads(text)


def with_note(schema: dict[str, Any]) -> dict[str, Any]:
    """ritual.started plus an optional string property: compatible under FULL, lenient (a minor bump)."""
    changed = copy.deepcopy(schema)
    changed["properties"]["note"] = {"type": "string", "maxLength": 500}
    return changed


def with_integer_ritual_id(schema: dict[str, Any]) -> dict[str, Any]:
    """ritual.started with ``ritualId`` an integer: old events no longer validate (breaking)."""
    changed = copy.deepcopy(schema)
    changed["properties"]["ritualId"] = {"type": "integer"}
    return changed


def without_required_run_id(schema: dict[str, Any]) -> dict[str, Any]:
    """``runId`` no longer required: backward compatible, not forward (breaks FULL)."""
    changed = copy.deepcopy(schema)
    changed["required"] = [r for r in changed["required"] if r != "runId"]
    return changed


def proposal(schema: dict[str, Any] | str, **extra: Any) -> dict[str, Any]:
    text = schema if isinstance(schema, str) else json.dumps(schema)
    return {"schema": text, "schemaType": "JSON", **extra}


@pytest.fixture
def index(example_store: Store) -> LiveIndex:
    """The real index of the example store, refreshed by the doors (no watcher in-process)."""
    return LiveIndex(example_store.path)


def _config(store: Store, index: LiveIndex, key: SigningKey | None) -> ApiConfig:
    return ApiConfig(
        store_path=Path(store.path),
        index=index,
        authenticator=Authenticator.for_secret(SECRET),
        key=key,
    )


@pytest.fixture
def client(example_store: Store, index: LiveIndex, key: SigningKey) -> Iterator[TestClient]:
    """The whole API in-process, writable (it holds the registry key)."""
    with TestClient(create_app(_config(example_store, index, key)), base_url="http://registry.test") as c:
        yield c


@pytest.fixture
def read_only_client(example_store: Store, index: LiveIndex) -> Iterator[TestClient]:
    """The whole API in-process, without a signing key."""
    with TestClient(create_app(_config(example_store, index, None)), base_url="http://registry.test") as c:
        yield c
