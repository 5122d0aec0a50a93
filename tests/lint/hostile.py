"""Hostile schema pairs of the linter's bounded-work promise, shared by the CLI and push tests.

Each pair is (old, new). None may cost work proportional to a number written in it, nor
expand a shared ``$ref`` once per use.
"""

from __future__ import annotations

from typing import Any

BILLION = 1_000_000_000


def laughs(levels: int = 40) -> tuple[dict[str, Any], dict[str, Any]]:
    """``levels`` definitions, each using the next one twice: 2**levels uses of the last."""
    defs: dict[str, Any] = {
        f"d{i}": {
            "type": "object",
            "properties": {"a": {"$ref": f"#/$defs/d{i + 1}"}, "b": {"$ref": f"#/$defs/d{i + 1}"}},
            "required": ["a", "b"],
        }
        for i in range(levels)
    }
    old = {"$defs": {**defs, f"d{levels}": {"type": "string"}}, "$ref": "#/$defs/d0"}
    new = {"$defs": {**defs, f"d{levels}": {"type": "integer"}}, "$ref": "#/$defs/d0"}
    return old, new


def required(names: int = 20_000) -> tuple[dict[str, Any], dict[str, Any]]:
    listed = [f"p{i}" for i in range(names)]
    return {"type": "object", "required": listed}, {"type": "object", "required": [*listed, "extra"]}


PAIRS: dict[str, tuple[Any, Any]] = {
    "minLength": (
        {"type": "string", "minLength": BILLION},
        {"type": "string", "minLength": BILLION + 1},
    ),
    "minItems": (
        {"type": "array", "minItems": BILLION},
        {"type": "array", "minItems": BILLION + 1},
    ),
    "required": required(),
    "ref-laughs": laughs(),
}
# What each pair must be reported as: the change, found without building the huge instance.
KINDS = {
    "minLength": "min_length_tightened",
    "minItems": "min_items_tightened",
    "required": "required_added",
    "ref-laughs": "type_changed",
}
