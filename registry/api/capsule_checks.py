"""Checks that publish nothing: a capsule document's lint, and a published version's verification."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from registry.audit.verify import verify_store
from registry.digest import capsule_content_hash
from registry.errors import ValidationFailed
from registry.gate.policy import StorePolicy
from registry.git.store import Store
from registry.index.snapshot import CapsuleEntry, CapsuleVersionEntry
from registry.model import Limits
from registry.paths import CAPSULE_DOC
from registry.problems import Code, Problem
from registry.trust.sshsig import PublicKey, SigningKey
from registry.validate import load_yaml, validate_capsule


def _shown(p: Problem) -> dict[str, Any]:
    return {"code": str(p.code), "message": p.message, "path": p.path}


def lint(data: bytes, capsule: CapsuleEntry, limits: Limits) -> dict[str, Any]:
    """``{valid, content_hash, errors, warnings}`` for a document proposed as ``capsule``'s next version.

    The rules are the gate's for ``capsule.yaml`` (safe YAML, the Capsule schema and its
    semantic rules), plus: the document must name this capsule, and content an earlier
    version already has is an error (publishing it would be refused). ``content_hash`` is
    given whenever the document could be read.
    """
    try:
        doc = load_yaml(data, limits=limits, path_hint=CAPSULE_DOC)
    except ValidationFailed as exc:
        problems = list(exc.problems)
        doc = None
    else:
        problems = validate_capsule(doc)
    content_hash = capsule_content_hash(doc) if doc is not None else None
    if isinstance(doc, dict):
        name = (doc.get("metadata") or {}).get("name") if isinstance(doc.get("metadata"), dict) else None
        if isinstance(name, str) and name != capsule.name:
            problems.append(
                Problem(
                    Code.NAME_MISMATCH,
                    f"metadata.name is {name!r}, but this capsule is {capsule.name!r}",
                    "$.metadata.name",
                )
            )
        earlier = next((v.version for v in capsule.versions if v.content_hash == content_hash), None)
        if earlier is not None:
            problems.append(
                Problem(Code.CAPSULE_CONTENT_PUBLISHED, f"Content already published as version {earlier}")
            )
    errors = [_shown(p) for p in problems if p.severity == "error"]
    warnings = [_shown(p) for p in problems if p.severity == "warning"]
    return {"valid": not errors, "content_hash": content_hash, "errors": errors, "warnings": warnings}


def _signature(text: str) -> bytes | None:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None


def verify(
    store: Store, v: CapsuleVersionEntry, policy: StorePolicy, key: SigningKey | None
) -> dict[str, Any]:
    """Whether a version is what its tag says, checked three ways.

    ``content_hash``: the document hashes to the recorded hash. ``signature``: the recorded
    signature is a registry signer's Ed25519 signature over those 32 bytes (``signed_by``
    names the signer). ``tag``: the version tag is signed by a registry signer and agrees
    with the tagged commit's content (what ``registry verify --version`` checks).
    """
    hash_ok = capsule_content_hash(v.document) == v.content_hash
    keys = {PublicKey(raw): principal for raw, principal in policy.allowed_keys().items()}
    if key is not None:
        keys.setdefault(key.public, "registry")
    sig = _signature(v.signature)
    digest = bytes.fromhex(v.content_hash)
    signed_by = next(
        (who for pub, who in keys.items() if sig is not None and pub.verify_raw(sig, digest)), None
    )
    finding = verify_store(store, only=v.tag_ref)[0]
    checks = {"content_hash": hash_ok, "signature": signed_by is not None, "tag": finding.ok}
    return {
        "capsule_id": v.capsule_id,
        "version": v.version,
        "valid": all(checks.values()),
        "content_hash": v.content_hash,
        "signature": v.signature,
        "signed_by": signed_by,
        "checks": checks,
        "detail": finding.message,
    }
