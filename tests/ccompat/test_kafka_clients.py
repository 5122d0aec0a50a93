"""Kafka clients unchanged: confluent-kafka's SchemaRegistryClient, JSONSerializer and JSONDeserializer
against a real server process on a real store (no broker: serializing needs only the registry)."""

from __future__ import annotations

import json
import uuid
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from ccompat.conftest import READ, SECRET, WRITE, stored_schema, token, with_integer_ritual_id, with_note
from ccompat.server import Server, free_port
from support import git, verify_with_git

from registry.errors import BreakingChange
from registry.git.store import Store
from registry.write.publish import ContractInput, Writer, publish_contract

with warnings.catch_warnings():
    # Without httpx2, authlib warns on import that plain httpx is deprecated.
    warnings.simplefilter("ignore", DeprecationWarning)
    pytest.importorskip("authlib", reason="needs confluent-kafka[json] (authlib, cachetools, httpx2)")
    pytest.importorskip("cachetools", reason="needs confluent-kafka[json] (authlib, cachetools, httpx2)")
    from confluent_kafka.schema_registry import Schema, SchemaRegistryClient
    from confluent_kafka.schema_registry.error import SchemaRegistryError
    from confluent_kafka.schema_registry.json_schema import JSONDeserializer, JSONSerializer
    from confluent_kafka.serialization import MessageField, SerializationContext

pytestmark = pytest.mark.git

SUBJECT = "ritual.started"
CONTEXT = SerializationContext("rituals.started", MessageField.VALUE)
#: The subject is the schema's title (RecordNameStrategy); contracts are titled by their name.
BY_TITLE = {"subject.name.strategy.type": "RECORD"}


def event(**extra: Any) -> dict[str, Any]:
    return {
        "eventId": str(uuid.UUID(int=7)),
        "runId": "run-0123456789ab",
        "ritualId": "nightly-backup",
        "startedAt": "2026-01-01T00:00:00Z",
        "trigger": {"kind": "manual", "actor": "ada"},
        **extra,
    }


def schema_id(message: bytes) -> int:
    assert message[0] == 0  # Confluent's wire format: magic byte, 4-byte big-endian schema id, payload
    return int.from_bytes(message[1:5], "big")


@pytest.fixture
def start(tmp_path: Path) -> Iterator[Callable[..., Server]]:
    servers: list[Server] = []

    def start(store: Path, key_path: Path | None) -> Server:
        server = Server(store, secret=SECRET, key_path=key_path, log=tmp_path / f"server-{len(servers)}.log")
        servers.append(server)
        server.wait_ready()
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def server(start: Callable[..., Server], example_store: Store, key_path: Path) -> Server:
    return start(example_store.path, key_path)


def client(*urls: str, scopes: tuple[str, ...] = (READ, WRITE)) -> SchemaRegistryClient:
    return SchemaRegistryClient(
        {
            "url": ",".join(urls),
            "bearer.auth.credentials.source": "STATIC_TOKEN",
            "bearer.auth.token": token(*scopes),
            "bearer.auth.logical.cluster": "registry",  # required by the client; the registry ignores it
            "max.retries": 1,
            "retries.wait.ms": 10,
            "retries.max.wait.ms": 50,
        }
    )


def test_a_producer_serializes_with_the_latest_version_and_a_consumer_reads_it_by_id(
    server: Server, example_store: Store
) -> None:
    schema_text = json.dumps(stored_schema(example_store, SUBJECT))
    with client(server.url, scopes=(READ,)) as producer_registry:
        serializer = JSONSerializer(
            schema_text,
            producer_registry,
            conf={"auto.register.schemas": False, "use.latest.version": True, **BY_TITLE},
        )
        message = serializer(event(), CONTEXT)
    assert schema_id(message) == 3
    with client(server.url, scopes=(READ,)) as consumer_registry:
        assert JSONDeserializer(None, schema_registry_client=consumer_registry)(message, CONTEXT) == event()
        latest = consumer_registry.get_latest_version(SUBJECT)
        assert (latest.schema_id, latest.version, latest.schema.schema_type) == (3, 1, "JSON")
        assert latest.schema.metadata.properties.properties == {"version": "1.0.0", "major": "1"}


def test_an_event_the_contract_rejects_is_not_serialized(server: Server, example_store: Store) -> None:
    from confluent_kafka.serialization import SerializationError

    with client(server.url, scopes=(READ,)) as registry:
        serializer = JSONSerializer(
            json.dumps(stored_schema(example_store, SUBJECT)),
            registry,
            conf={"auto.register.schemas": False, "use.latest.version": True, **BY_TITLE},
        )
        with pytest.raises(SerializationError):
            serializer(event(runId="not-a-run-id"), CONTEXT)


def test_auto_register_publishes_a_signed_tag_that_every_replica_numbers_alike(
    tmp_path: Path, start: Callable[..., Server], server: Server, example_store: Store, allowed_signers: Path
) -> None:
    changed = json.dumps(with_note(stored_schema(example_store, SUBJECT)))
    with client(server.url) as registry:
        serializer = JSONSerializer(changed, registry, conf={"auto.register.schemas": True, **BY_TITLE})
        message = serializer(event(note="first run after the upgrade"), CONTEXT)
        assert registry.test_compatibility(SUBJECT, Schema(changed, "JSON")) is True
    assert schema_id(message) == 4
    tag = "contracts/ritual.started/1.1.0"
    assert verify_with_git(example_store, allowed_signers, "tag", tag).returncode == 0
    # A replica: a mirror clone served by another process, with no key (read-only).
    mirror = tmp_path / "replica.git"
    git("clone", "-q", "--mirror", f"file://{example_store.path}", str(mirror))
    replica = start(mirror, None)
    with client(replica.url, scopes=(READ,)) as consumer_registry:
        assert JSONDeserializer(None, schema_registry_client=consumer_registry)(message, CONTEXT) == event(
            note="first run after the upgrade"
        )
        assert consumer_registry.get_version(SUBJECT, 2).schema_id == 4
        assert consumer_registry.get_mode(SUBJECT) == "READONLY"


def test_an_incompatible_registration_is_409_and_test_compatibility_agrees_with_the_gate(
    server: Server, example_store: Store, writer: Writer
) -> None:
    broken = json.dumps(with_integer_ritual_id(stored_schema(example_store, SUBJECT)))
    head = example_store.head()
    with client(server.url) as registry:
        assert registry.test_compatibility(SUBJECT, Schema(broken, "JSON")) is False
        serializer = JSONSerializer(broken, registry, conf={"auto.register.schemas": True, **BY_TITLE})
        with pytest.raises(SchemaRegistryError) as refused:
            serializer(event(ritualId=7), CONTEXT)
    assert (refused.value.http_status_code, refused.value.error_code) == (409, 409)
    assert example_store.head() == head
    with pytest.raises(BreakingChange):  # the gate refuses it as the version the door would publish
        publish_contract(example_store, ContractInput(SUBJECT, "1.1.0", broken), writer=writer, door="cli")


def test_the_client_fails_over_to_the_second_url_when_the_first_is_down(server: Server) -> None:
    down = f"http://127.0.0.1:{free_port()}/ccompat"
    with client(down, server.url, scopes=(READ,)) as registry:
        assert registry.get_latest_version(SUBJECT).schema_id == 3
        assert registry.get_subjects() == ["approval.granted", "graph.commit.created", SUBJECT]


def test_errors_reach_the_client_with_confluent_codes(server: Server) -> None:
    with client(server.url, scopes=(READ,)) as registry:
        with pytest.raises(SchemaRegistryError) as subject:
            registry.get_latest_version("no.such")
        assert subject.value.error_code == 40401
        with pytest.raises(SchemaRegistryError) as version:
            registry.get_version(SUBJECT, 9)
        assert version.value.error_code == 40402
        with pytest.raises(SchemaRegistryError) as schema:
            registry.get_schema(99)
        assert schema.value.error_code == 40403
        with pytest.raises(SchemaRegistryError) as scope:
            registry.register_schema(SUBJECT, Schema('{"type": "object"}', "JSON"))
        assert (scope.value.http_status_code, scope.value.error_code) == (403, 40301)
        assert registry.get_compatibility(SUBJECT) == "FULL"
        assert registry.get_schema_types() == ["JSON"]
