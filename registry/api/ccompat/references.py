"""Schema references both ways: git's ``../<name>/schema.json`` refs as Confluent's ``references``.

In the store a contract refers to another by a relative ``$ref``:
``"$ref": "../address/schema.json#/$defs/street"``. Confluent's clients instead register a
schema with ``references: [{name, subject, version}]``, and resolve a ``$ref`` whose URI is
a reference's ``name`` to that subject version's schema.

- Serving: a version's ``references`` are its ``../<name>/schema.json`` refs, each named by
  the URI a client resolves the ``$ref`` to (against the schema's ``$id``, if it has one),
  pointing at the referenced contract's version that ``main`` held when this version was
  published (the one whose ``schema.json`` was in that commit).
- Registering: a ``$ref`` whose URI is a reference's ``name`` is rewritten to
  ``../<subject>/schema.json`` (its fragment kept), so the contract in git refers as every
  contract does. A git ref names a file on ``main``, which is its contract's latest
  version, so a reference must name the subject's latest version.
"""

from __future__ import annotations

import json
import posixpath
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urldefrag, urljoin

from registry.api.ccompat.errors import CcompatError
from registry.index.schema_ids import NumberedVersion, SchemaIdTable
from registry.paths import SCHEMA, contract_file, ref_contract, schema_ref
from registry.validate import external_refs

#: Bounds how many references a registration may carry.
MAX_REFERENCES = 100
REF_KEYS = ("$ref", "$dynamicRef")


@dataclass(frozen=True)
class Reference:
    """One of a version's references, as Confluent's clients read them."""

    name: str
    subject: str
    version: int

    def body(self) -> dict[str, Any]:
        return {"name": self.name, "subject": self.subject, "version": self.version}


def _base(schema: Any) -> str:
    found = schema.get("$id") if isinstance(schema, dict) else None
    return found if isinstance(found, str) else ""


def served(
    numbered: NumberedVersion, table: SchemaIdTable, read_at: Callable[[str, str], str | None]
) -> tuple[Reference, ...]:
    """The references of a published version. ``read_at(commit, path)`` reads the store."""
    schema = json.loads(numbered.entry.schema_text)
    base = _base(schema)
    found: dict[str, Reference] = {}
    for ref in external_refs(schema):
        target = urldefrag(ref)[0]
        name = ref_contract(target)
        if name is None or target in found:
            continue
        versions = table.subject(name)
        if not versions:
            continue
        text = read_at(numbered.entry.commit, contract_file(name, SCHEMA))
        same = [n for n in versions if text is not None and n.entry.schema_text == text]
        chosen = same[-1] if same else max(versions, key=lambda n: n.entry.order)
        found[target] = Reference(urljoin(base, target), name, chosen.subject_version)
    return tuple(found.values())


def rewritten(schema: Any, names: dict[str, str]) -> Any:
    """``schema`` with every ``$ref`` whose URI is a key of ``names`` pointing at its contract."""
    if isinstance(schema, list):
        return [rewritten(item, names) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {}
    for key, value in schema.items():
        if key in REF_KEYS and isinstance(value, str):
            uri, fragment = urldefrag(value)
            if uri in names:
                value = schema_ref(names[uri]) + (f"#{fragment}" if fragment else "")
        out[key] = rewritten(value, names)
    return out


def requested(body: dict[str, Any]) -> Iterator[tuple[str, str, Any]]:
    """The ``references`` of a request body as (name, subject, version), or 42201."""
    refs = body.get("references") or []
    if not isinstance(refs, list) or len(refs) > MAX_REFERENCES:
        raise CcompatError.invalid_schema(f'"references" must be a list of at most {MAX_REFERENCES} items')
    for ref in refs:
        if not isinstance(ref, dict):
            raise CcompatError.invalid_schema('each reference must be {"name", "subject", "version"}')
        name, subject, version = ref.get("name"), ref.get("subject"), ref.get("version")
        if not isinstance(name, str) or not name or not isinstance(subject, str) or not subject:
            raise CcompatError.invalid_schema(
                'each reference needs "name" (the URI its $ref uses) and "subject"'
            )
        if posixpath.basename(subject) != subject:
            raise CcompatError(404, 40401, f"Subject '{subject[:200]}' not found.")
        yield name, subject, version
