"""Rules stored in git, enforced by the real client: confluent-kafka's serializers with their CEL
and JSONata rule executors, against a real `registry serve` on a store the rules were pushed to."""

from __future__ import annotations

import json
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from ccompat.conftest import READ, SECRET, token
from ccompat.server import Server
from gate.test_data_contracts import ADA, SCHEMA_V1, SCHEMA_V2, SHORT_GREETING, UPGRADE, push, write_contract
from support import git

from registry.git.store import Store

# The client's rule executors lower the interpreter's recursion limit for the whole process
# (jsonata on import, cel-python per Environment); the rest of the suite needs it back.
RECURSION_LIMIT = sys.getrecursionlimit()
with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    pytest.importorskip("authlib", reason="needs confluent-kafka[json]")
    pytest.importorskip("celpy", reason="needs cel-python, a dependency of the registry")
    from confluent_kafka.schema_registry import SchemaRegistryClient
    from confluent_kafka.schema_registry.json_schema import JSONDeserializer, JSONSerializer
    from confluent_kafka.schema_registry.rules.cel.cel_executor import CelExecutor
    from confluent_kafka.schema_registry.rules.jsonata.jsonata_executor import JsonataExecutor
    from confluent_kafka.schema_registry.serde import RuleConditionError
    from confluent_kafka.serialization import MessageField, SerializationContext, SerializationError
sys.setrecursionlimit(RECURSION_LIMIT)

pytestmark = pytest.mark.git

CONTEXT = SerializationContext("greetings", MessageField.VALUE)
BY_TITLE = {"subject.name.strategy.type": "RECORD"}


@pytest.fixture(autouse=True)
def executors() -> Iterator[None]:
    CelExecutor.register()
    JsonataExecutor.register()
    yield
    sys.setrecursionlimit(RECURSION_LIMIT)


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Any]:
    servers: list[Server] = []

    def serve(store: Store) -> Server:
        server = Server(store.path, secret=SECRET, key_path=None, log=tmp_path / f"server-{len(servers)}.log")
        servers.append(server)
        server.wait_ready()
        return server

    yield serve
    for server in servers:
        server.stop()


def client(url: str) -> SchemaRegistryClient:
    return SchemaRegistryClient(
        {
            "url": url,
            "bearer.auth.credentials.source": "STATIC_TOKEN",
            "bearer.auth.token": token(READ),
            "bearer.auth.logical.cluster": "registry",
            "max.retries": 1,
        }
    )


def test_the_client_enforces_a_cel_condition_stored_in_git(
    example_store: Store, clone: Path, serve: Any
) -> None:
    write_contract(clone, rules={"domainRules": [SHORT_GREETING]}, examples={"ada.json": ADA})
    assert push(clone).returncode == 0
    server = serve(example_store)
    with client(server.url) as registry:
        latest = registry.get_latest_version("greeting")
        assert latest.schema.rule_set.domain_rules[0].name == "greetShort"
        serializer = JSONSerializer(
            json.dumps(SCHEMA_V1),
            registry,
            conf={"auto.register.schemas": False, "use.latest.version": True, **BY_TITLE},
        )
        assert serializer(ADA, CONTEXT)[0] == 0
        with pytest.raises(SerializationError) as refused:
            serializer({**ADA, "greet": "x" * 65}, CONTEXT)
        assert isinstance(refused.value.__cause__, RuleConditionError) or "greetShort" in str(refused.value)


def test_a_jsonata_upgrade_rule_migrates_an_old_message_for_a_new_reader(
    example_store: Store, clone: Path, serve: Any
) -> None:
    write_contract(clone, examples={"ada.json": ADA}, compatibility="NONE")
    assert push(clone, "greeting 1.0.0").returncode == 0
    git("fetch", "-q", "--tags", "origin", cwd=clone)
    write_contract(
        clone,
        version="2.0.0",
        schema=SCHEMA_V2,
        rules={"migrationRules": [UPGRADE]},
        examples={"ada2.json": {"fullName": "Grace Hopper", "greet": "hi"}},
        compatibility="NONE",
    )
    assert push(clone, "greeting 2.0.0").returncode == 0
    server = serve(example_store)
    with client(server.url) as registry:
        old_writer = JSONSerializer(
            json.dumps(SCHEMA_V1), registry, conf={"auto.register.schemas": False, **BY_TITLE}
        )
        message = old_writer(ADA, CONTEXT)
        reader = JSONDeserializer(
            None, schema_registry_client=registry, conf={"use.latest.version": True, **BY_TITLE}
        )
        assert reader(message, CONTEXT) == {"fullName": "Ada Lovelace", "greet": "hello"}
