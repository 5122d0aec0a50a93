"""A contract's schema with the contracts it refers to inlined, so compatibility follows references.

The linter resolves ``$ref``s inside one document and keeps a reference that leaves it
as an opaque string, so ``"$ref": "../address/schema.json#/$defs/street"`` compares
equal however ``address`` changed. Before the gate compares versions it bundles each
side against its own tree (the published version against the commit that published it,
the proposal against the pushed tree): every contract a schema refers to, directly or
through others, is copied under ``$defs`` (at ``BUNDLED + <name>``), its own local refs
re-rooted there, and the refs to it pointed at the copy. What the linter then compares is
what the references mean on each side.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urldefrag

from registry.paths import SCHEMA, contract_file, ref_contract

#: Where a referenced contract's schema is copied in the bundle: ``#/$defs/<BUNDLED><name>``.
BUNDLED = "contract:"
#: Bounds how many contracts one bundle holds (references form a graph; cycles are fine).
MAX_CONTRACTS = 64
REF_KEYS = ("$ref", "$dynamicRef")

Reader = Callable[[str], Any | None]


def _escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")  # RFC 6901


def _rewrite(node: Any, here: str | None, found: list[str]) -> Any:
    """``node`` with its store refs pointed into the bundle and, when ``here`` names the
    contract it came from, its local refs re-rooted under that contract's copy."""
    if isinstance(node, list):
        return [_rewrite(item, here, found) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in REF_KEYS and isinstance(value, str):
            target = ref_contract(urldefrag(value)[0])
            fragment = urldefrag(value)[1]
            if target is not None:
                if target not in found:
                    found.append(target)
                value = f"#/$defs/{_escape(BUNDLED + target)}{fragment}"
            elif here is not None and value.startswith("#/"):
                value = f"#/$defs/{_escape(BUNDLED + here)}{value[1:]}"
            elif here is not None and value == "#":
                value = f"#/$defs/{_escape(BUNDLED + here)}"
        out[key] = _rewrite(value, here, found)
    return out


def bundled(schema: Any, read: Reader) -> Any:
    """``schema`` with every contract it refers to inlined (see the module); ``read(name)``
    gives a contract's parsed schema on the same side, or None when it has none."""
    if not isinstance(schema, dict):
        return schema
    found: list[str] = []
    root = _rewrite(schema, None, found)
    copies: dict[str, Any] = {}
    done = 0
    while done < len(found) and len(copies) < MAX_CONTRACTS:
        name = found[done]
        done += 1
        target = read(name)
        if not isinstance(target, dict):
            copies[BUNDLED + name] = {}  # unresolved: the gate reports it; compare it as anything
            continue
        inner = {k: v for k, v in copy.deepcopy(target).items() if k not in ("$id", "$schema")}
        copies[BUNDLED + name] = _rewrite(inner, name, found)
    if not copies:
        return schema
    defs = dict(root.get("$defs") or {})
    defs.update(copies)
    return {**root, "$defs": defs}


def tree_reader(tree: Any) -> Reader:
    """A contract's parsed schema in ``tree`` (a store snapshot, anything with ``read(path)``), or None."""

    def read(name: str) -> Any | None:
        data = tree.read(contract_file(name, SCHEMA))
        if data is None:
            return None
        try:
            return json.loads(data)
        except (ValueError, RecursionError):
            return None  # an invalid schema is reported on its own

    return read
