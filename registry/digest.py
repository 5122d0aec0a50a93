"""The two content digests: the old registry's contract digest and the capsule content hash."""

from __future__ import annotations

import hashlib
import json
from typing import Any


def contract_digest(
    *,
    name: str,
    version: str,
    description: str | None,
    json_schema: str,
    wit_path: str | None,
    descriptor_path: str | None,
) -> str:
    """SHA-256 hex of the old registry's compact JSON of a contract version.

    Field order and spelling are the old rule's, so consumers' existing checks keep
    passing: ``name, version, description, jsonSchema, witPath, descriptorPath``, with
    ``jsonSchema`` the schema file's text as written and absent fields ``null``.
    """
    body = {
        "name": name,
        "version": version,
        "description": description,
        "jsonSchema": json_schema,
        "witPath": wit_path,
        "descriptorPath": descriptor_path,
    }
    text = json.dumps(body, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def canonical_json(document: Any) -> bytes:
    """Sorted keys, no spaces: two spellings of the same document give the same bytes."""
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def capsule_content_digest(document: Any) -> bytes:
    """The 32 bytes a capsule version's ``content_hash`` names and its signature covers."""
    return hashlib.sha256(canonical_json(document)).digest()


def capsule_content_hash(document: Any) -> str:
    """The ``content_hash`` of a capsule document: hex SHA-256 of its canonical JSON."""
    return capsule_content_digest(document).hex()
