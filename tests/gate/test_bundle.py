"""Compatibility follows references across contracts: each side bundled with its own tree."""

from __future__ import annotations

import json

import pytest

from registry.errors import BreakingChange
from registry.gate.bundle import bundled
from registry.git.store import Store
from registry.write.publish import ContractInput, Writer, publish_contract

ADDRESS = {
    "$id": "https://example.org/address",
    "type": "object",
    "properties": {"street": {"$ref": "#/$defs/street"}},
    "$defs": {"street": {"type": "string", "maxLength": 50}},
}


def customer(**extra: object) -> dict[str, object]:
    return {
        "type": "object",
        "properties": {"home": {"$ref": "../address/schema.json"}, **extra},
        "$defs": {"name": {"type": "string"}},
    }


def test_a_bundle_inlines_referenced_contracts_and_reroots_their_refs() -> None:
    schemas = {"address": ADDRESS}
    out = bundled(customer(street={"$ref": "../address/schema.json#/$defs/street"}), schemas.get)
    copy = out["$defs"]["contract:address"]
    assert "$id" not in copy and copy["properties"]["street"] == {
        "$ref": "#/$defs/contract:address/$defs/street"
    }
    assert out["properties"]["home"] == {"$ref": "#/$defs/contract:address"}
    assert out["properties"]["street"] == {"$ref": "#/$defs/contract:address/$defs/street"}
    assert out["$defs"]["name"] == {"type": "string"}
    plain = {"type": "string"}
    assert bundled(plain, schemas.get) is plain  # nothing to inline: the schema itself


def test_references_form_a_graph_with_cycles() -> None:
    a = {"properties": {"b": {"$ref": "../b/schema.json"}}}
    b = {"properties": {"a": {"$ref": "../a/schema.json"}}}
    out = bundled(a, {"a": a, "b": b}.get)
    assert set(out["$defs"]) == {"contract:b", "contract:a"}
    assert bundled(a, {}.get)["$defs"]["contract:b"] == {}  # unresolved: reported by the gate's ref rule


def test_the_gate_compares_what_a_reference_means_on_each_side(example_store: Store, writer: Writer) -> None:
    def publish(name: str, version: str, schema: object) -> None:
        publish_contract(
            example_store, ContractInput(name, version, json.dumps(schema)), writer=writer, door="cli"
        )

    publish("address", "1.0.0", ADDRESS)
    publish("customer", "1.0.0", customer())
    narrower = json.loads(json.dumps(ADDRESS))
    narrower["$defs"]["street"]["maxLength"] = 10
    publish("address", "2.0.0", narrower)
    # customer's own change is compatible, but what its $ref means narrowed: a breaking change.
    with pytest.raises(BreakingChange) as refused:
        publish("customer", "1.1.0", customer(note={"type": "string"}))
    assert "needs version 2.0.0" in refused.value.diagnostics()
    publish("customer", "2.0.0", customer(note={"type": "string"}))
