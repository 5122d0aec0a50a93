"""A registration's ``metadata`` and ``ruleSet``: read with the same tables as ``contract.yaml``.

Confluent's clients send data-contract fields with nulls and empty lists for what is not
set; those are dropped, so what lands in ``contract.yaml`` is what was said. The
properties the registry sets itself (``version``, ``major``: see ``views.metadata``)
are dropped too, so a client may send back the metadata it was given.
"""

from __future__ import annotations

from typing import Any

from registry.api.ccompat.errors import CcompatError
from registry.validate.fields import check_table
from registry.validate.rules import (
    METADATA_FIELDS,
    RESERVED_PROPERTIES,
    RULE_CODES,
    RULES_FIELDS,
    check_rules,
)


def _pruned(value: Any) -> Any:
    """Nulls, empty lists and empty mappings removed, recursively (they say nothing)."""
    if isinstance(value, dict):
        items = {k: _pruned(v) for k, v in value.items()}
        return {k: v for k, v in items.items() if v is not None and v != [] and v != {}}
    if isinstance(value, list):
        return [_pruned(v) for v in value]
    return value


def read_data_contract(body: dict[str, Any]) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """``(metadata, rules)`` of a request body, None where it sends none; 42201 naming the field."""
    metadata = _pruned(body.get("metadata"))
    if isinstance(metadata, dict) and isinstance(metadata.get("properties"), dict):
        properties = {k: v for k, v in metadata["properties"].items() if k not in RESERVED_PROPERTIES}
        metadata = (
            {**metadata, "properties": properties}
            if properties
            else {k: v for k, v in metadata.items() if k != "properties"}
        )
    rules = _pruned(body.get("ruleSet"))
    problems = []
    if metadata:
        problems += check_table(metadata, METADATA_FIELDS, RULE_CODES, ["metadata"])
    if rules:
        found = check_table(rules, RULES_FIELDS, RULE_CODES, ["ruleSet"])
        problems += found or check_rules(rules)
    if problems:
        text = "; ".join(f"{p.message} (at {p.path.replace('$.rules', '$.ruleSet')})" for p in problems[:10])
        raise CcompatError.invalid_schema(text)
    return metadata or None, rules or None
