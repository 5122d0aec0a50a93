"""The client matrix: every call confluent-kafka's SchemaRegistryClient and JSON serializers make,
against a real ``registry serve``: Basic credentials, references, soft delete and restore, reads.

Each call either works or is refused with a stated Confluent error; the closing note of the
work lists the same matrix.
"""

from __future__ import annotations

import base64
import json
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from ccompat.conftest import READ, SECRET, WRITE, stored_schema, with_note
from ccompat.server import Server

from registry.auth.tokens import mint
from registry.git.store import Store

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    pytest.importorskip("authlib", reason="needs confluent-kafka[json] (authlib, cachetools, httpx2)")
    pytest.importorskip("cachetools", reason="needs confluent-kafka[json] (authlib, cachetools, httpx2)")
    from confluent_kafka.schema_registry import Schema, SchemaReference, SchemaRegistryClient
    from confluent_kafka.schema_registry.error import SchemaRegistryError
    from confluent_kafka.schema_registry.json_schema import JSONDeserializer, JSONSerializer
    from confluent_kafka.serialization import MessageField, SerializationContext

pytestmark = pytest.mark.git

SUBJECT = "ritual.started"
ADMIN_TOKEN = mint(SECRET, sub="ops", scopes=[READ, WRITE], roles=["admin"])
ADDRESS = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "address",
    "type": "object",
    "properties": {"street": {"$ref": "#/$defs/street"}, "city": {"type": "string"}},
    "required": ["street"],
    "$defs": {"street": {"type": "string", "maxLength": 50}},
}
CUSTOMER = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "customer",
    "type": "object",
    "properties": {"name": {"type": "string"}, "home": {"$ref": "address.json"}},
    "required": ["name", "home"],
}


@pytest.fixture
def server(tmp_path: Path, example_store: Store, key_path: Path) -> Iterator[Server]:
    server = Server(example_store.path, secret=SECRET, key_path=key_path, log=tmp_path / "server.log")
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


def _conf(url: str, **auth: str) -> dict[str, Any]:
    return {"url": url, "max.retries": 1, "retries.wait.ms": 10, "retries.max.wait.ms": 50, **auth}


def basic_client(url: str, token: str, user: str = "kafka-connect") -> SchemaRegistryClient:
    """Basic credentials (the Python client takes ``basic.auth.user.info`` alone; Java clients
    add ``basic.auth.credentials.source=USER_INFO``): any user name, the token as password."""
    return SchemaRegistryClient(_conf(url, **{"basic.auth.user.info": f"{user}:{token}"}))


def bearer_client(url: str, token: str) -> SchemaRegistryClient:
    return SchemaRegistryClient(
        _conf(
            url,
            **{
                "bearer.auth.credentials.source": "STATIC_TOKEN",
                "bearer.auth.token": token,
                "bearer.auth.logical.cluster": "registry",
            },
        )
    )


def refused(call: Callable[[], object]) -> tuple[int, int, str]:
    with pytest.raises(SchemaRegistryError) as failure:
        call()
    return failure.value.http_status_code, failure.value.error_code, failure.value.error_message


def test_basic_credentials_work_with_the_client_and_the_rest_of_the_api(server: Server) -> None:
    reader = mint(SECRET, sub="kafka-connect", scopes=[READ])
    with basic_client(server.url, reader) as registry:
        assert registry.get_subjects() == ["approval.granted", "graph.commit.created", SUBJECT]
        assert registry.get_latest_version(SUBJECT).schema_id == 3
    with basic_client(server.url, mint("another-secret-" + "x" * 40, sub="x", scopes=[READ])) as registry:
        status, code, message = refused(registry.get_subjects)
    assert (status, code) == (401, 40101) and message.startswith("Invalid token")
    # The same credentials at the contracts API (the whole API reads them alike).
    basic = base64.b64encode(f"anyone:{reader}".encode()).decode()
    answer = httpx.get(
        f"{server.base}/registry/contracts/{SUBJECT}/1.0.0", headers={"Authorization": f"Basic {basic}"}
    )
    assert answer.status_code == 200 and answer.json()["name"] == SUBJECT


def test_every_read_call_of_the_client(server: Server, example_store: Store) -> None:
    schema_text = json.dumps(stored_schema(example_store, SUBJECT))
    with bearer_client(server.url, mint(SECRET, sub="reader", scopes=[READ])) as registry:
        assert registry.get_schema(3).schema_type == "JSON"
        assert registry.get_schema(3, subject_name=SUBJECT).schema_type == "JSON"
        assert json.loads(registry.get_schema(3).schema_str) == json.loads(schema_text)
        assert registry.get_schema_types() == ["JSON"]
        assert registry.get_subjects_by_schema_id(3) == [SUBJECT]
        assert [(v.subject, v.version) for v in registry.get_schema_versions(3)] == [(SUBJECT, 1)]
        found = registry.lookup_schema(SUBJECT, Schema(schema_text, "JSON"), normalize_schemas=True)
        assert (found.schema_id, found.version) == (3, 1)
        assert registry.get_subjects() == ["approval.granted", "graph.commit.created", SUBJECT]
        assert registry.get_latest_version(SUBJECT).version == 1
        assert registry.get_latest_with_metadata(SUBJECT, {"major": "1"}).schema_id == 3
        assert registry.get_version(SUBJECT, 1).schema_id == 3
        assert registry.get_referenced_by(SUBJECT, 1) == []
        assert registry.get_versions(SUBJECT) == [1]
        assert registry.get_compatibility(SUBJECT) == "FULL"
        assert registry.get_compatibility() == "BACKWARD"
        assert registry.get_config(SUBJECT).compatibility_level.value == "FULL"
        assert registry.get_mode(SUBJECT) == "READWRITE"
        assert registry.get_global_mode() == "READWRITE"
        assert registry.get_contexts() == ["."]
        assert registry.test_compatibility(SUBJECT, Schema(schema_text, "JSON")) is True
        assert registry.test_compatibility_all_versions(SUBJECT, Schema(schema_text, "JSON")) is True
        # Avro (the client's default type) is refused by name, in Confluent's shape.
        status, code, message = refused(lambda: registry.lookup_schema(SUBJECT, Schema('{"type": "string"}')))
        assert (status, code) == (422, 42201) and message.startswith(
            "Only JSON Schema is served (schemaType AVRO)"
        )


def test_what_git_decides_stays_refused_with_the_reason(server: Server) -> None:
    with bearer_client(server.url, ADMIN_TOKEN) as registry:
        for call in (
            lambda: registry.set_compatibility(SUBJECT, "NONE"),
            lambda: registry.set_compatibility(level="NONE"),
            lambda: registry.delete_config(SUBJECT),
            lambda: registry.update_mode(SUBJECT, "READONLY"),
            lambda: registry.update_global_mode("READONLY"),
            lambda: registry.delete_mode(SUBJECT),
            lambda: registry.delete_subject(SUBJECT, permanent=True),
            lambda: registry.delete_version(SUBJECT, 1, permanent=True),
        ):
            status, code, message = refused(call)
            assert (status, code) == (422, 42205), message
        status, code, _ = refused(lambda: registry.get_schema_by_guid("0b0b0b0b-0000-4000-8000-000000000000"))
        assert (status, code) == (404, 404)
        rules = {
            "domainRules": [
                {"name": "r", "kind": "CONDITION", "mode": "WRITE", "type": "CEL", "expr": "true"}
            ]
        }
        with_rules = Schema.from_dict(
            {"schema": json.dumps({"type": "object"}), "schemaType": "JSON", "ruleSet": rules}
        )
        # A rule set is stored in contract.yaml with the version, and served back to the client.
        schema_id = registry.register_schema("customer.rules", with_rules)
        latest = registry.get_latest_version("customer.rules")
        assert latest.schema_id == schema_id
        assert latest.schema.rule_set.domain_rules[0].name == "r"


def test_soft_delete_and_restore_with_the_client(server: Server, example_store: Store) -> None:
    context = SerializationContext("rituals.started", MessageField.VALUE)
    changed = json.dumps(with_note(stored_schema(example_store, SUBJECT)))
    with bearer_client(server.url, ADMIN_TOKEN) as registry:
        assert registry.register_schema(SUBJECT, Schema(changed, "JSON")) == 4
        assert registry.delete_version(SUBJECT, 2) == 2
        assert registry.get_versions(SUBJECT) == [1]
        assert registry.get_versions(SUBJECT, deleted=True) == [1, 2]
        assert registry.get_versions(SUBJECT, deleted_only=True) == [2]
        assert registry.get_latest_version(SUBJECT).version == 1
        assert registry.get_version(SUBJECT, 2, deleted=True).schema_id == 4
        assert registry.delete_subject(SUBJECT) == [1]
        assert SUBJECT not in registry.get_subjects()
        assert SUBJECT in registry.get_subjects(deleted=True)
        assert registry.get_subjects(deleted_only=True) == [SUBJECT]
        registry.clear_caches()  # the client keeps latest versions; ask the server again
        status, code, _ = refused(lambda: registry.get_latest_version(SUBJECT))
        assert (status, code) == (404, 40401)
    # A consumer holding an id keeps reading: ids of deleted versions still resolve.
    with bearer_client(server.url, mint(SECRET, sub="consumer", scopes=[READ])) as consumer:
        assert consumer.get_schema(4).schema_type == "JSON"
        event = {
            "eventId": "00000000-0000-4000-8000-000000000007",
            "runId": "run-0123456789ab",
            "ritualId": "nightly-backup",
            "startedAt": "2026-01-01T00:00:00Z",
            "trigger": {"kind": "manual", "actor": "ada"},
            "note": "written before the delete",
        }
        message = b"\x00" + (4).to_bytes(4, "big") + json.dumps(event).encode()
        assert JSONDeserializer(None, schema_registry_client=consumer)(message, context) == event
        status, code, _ = refused(lambda: consumer.delete_subject("approval.granted"))
        assert (status, code) == (403, 40301)
    with bearer_client(server.url, ADMIN_TOKEN) as registry:
        assert registry.register_schema(SUBJECT, Schema(changed, "JSON")) == 4  # restores the subject
        assert SUBJECT in registry.get_subjects()
        assert registry.get_versions(SUBJECT) == [1, 2]  # the whole subject, as it was deleted whole
        assert registry.get_latest_version(SUBJECT).schema_id == 4
    text = example_store.snapshot(example_store.head()).read(f"contracts/{SUBJECT}/contract.yaml")
    assert text is not None and b"deleted: true" not in text


def test_references_with_the_serializers(server: Server, example_store: Store) -> None:
    context = SerializationContext("customers", MessageField.VALUE)
    with bearer_client(server.url, ADMIN_TOKEN) as registry:
        address_id = registry.register_schema("address", Schema(json.dumps(ADDRESS), "JSON"))
        references = [SchemaReference("address.json", "address", 1)]
        schema = Schema(json.dumps(CUSTOMER), "JSON", references)
        serializer = JSONSerializer(
            schema, registry, conf={"auto.register.schemas": True, "subject.name.strategy.type": "RECORD"}
        )
        customer = {"name": "Ada", "home": {"street": "Main Street 1", "city": "London"}}
        message = serializer(customer, context)
        customer_id = int.from_bytes(message[1:5], "big")
        served = registry.get_schema(customer_id)
        assert [(r.name, r.subject, r.version) for r in served.references] == [
            ("../address/schema.json", "address", 1)
        ]
        assert registry.get_referenced_by("address", 1) == [customer_id]
        status, code, _ = refused(lambda: registry.delete_subject("address"))
        assert (status, code) == (422, 42206)
        from confluent_kafka.serialization import SerializationError

        with pytest.raises(SerializationError):  # the referenced schema's bound applies
            serializer({"name": "Ada", "home": {"street": "x" * 60}}, context)
    stored = json.loads(
        example_store.snapshot(example_store.head()).read("contracts/customer/schema.json") or b"{}"
    )
    assert stored["properties"]["home"] == {"$ref": "../address/schema.json"}
    with bearer_client(server.url, mint(SECRET, sub="consumer", scopes=[READ])) as consumer:
        deserializer = JSONDeserializer(None, schema_registry_client=consumer)
        assert deserializer(message, context) == customer
        bad = message[:5] + json.dumps({"name": "Ada", "home": {"street": "x" * 60}}).encode()
        with pytest.raises(SerializationError):  # the bound comes through the reference
            deserializer(bad, context)
    assert address_id != customer_id


def readme_snippets() -> list[str]:
    """The Python blocks of the README's Kafka section, as a reader copies them."""
    text = (Path(__file__).parents[2] / "README.md").read_text()
    section = text.split("## Kafka clients", 1)[1].split("\n## ", 1)[0]
    return [block.split("\n```", 1)[0] for block in section.split("```python\n")[1:]]


def test_the_readme_snippets_work_as_written(
    server: Server, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    snippets = readme_snippets()
    assert len(snippets) == 2
    monkeypatch.setenv("REGISTRY_URL", server.url)
    monkeypatch.setenv("REGISTRY_TOKEN", mint(SECRET, sub="reader", scopes=[READ]))
    for snippet in snippets:
        names: dict[str, Any] = {}
        exec(compile(snippet, "README.md", "exec"), names)
        names["registry"].close()  # a reader's process would end here
    out = capsys.readouterr().out.splitlines()
    assert json.loads(out[0]) == {"schema id": 3}
    assert out[1] == str(["approval.granted", "graph.commit.created", SUBJECT])
