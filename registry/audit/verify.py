"""Offline verification of a store or clone: every version tag's signature and digest.

Needs no server and no ``ssh-keygen``: the trusted keys are the signers of
``registry.yaml`` on ``main`` and, for each tag, those it listed at the commit the tag
points at (so versions signed before a key rotation keep verifying), unless the caller
names its own.
"""

from __future__ import annotations

import base64
import struct
from collections.abc import Mapping
from dataclasses import dataclass

import pygit2

from registry.audit.history import replacements
from registry.digest import capsule_content_digest
from registry.errors import RegistryError
from registry.gate.accepted import accepted, contract_version_at, untagged
from registry.gate.policy import StorePolicy, policy_at
from registry.gate.published import Published, read_published
from registry.git.refs import CAPSULE_TAGS, CONTRACT_TAGS, TAG_PREFIX
from registry.git.store import Snapshot, Store
from registry.paths import capsule_dir, contract_dir, parse_tag, tag_name
from registry.trust.sshsig import PublicKey, verify_ssh
from registry.validate import read_capsule


@dataclass(frozen=True)
class Finding:
    ref: str
    ok: bool
    message: str


# What a hostile or damaged tag can make reading it raise: it fails that version, not the run.
_UNREADABLE = (RegistryError, ValueError, LookupError, TypeError, struct.error, pygit2.GitError)


def _check_tag(
    store: Store, ref: str, tag_id: str, allowed: Mapping[bytes, str], *, trust_history: bool = True
) -> Finding:
    """One version tag's finding; a tag that cannot even be read fails alone."""
    try:
        return _check_tag_fields(store, ref, tag_id, allowed, trust_history)
    except _UNREADABLE as exc:
        text = exc.message if isinstance(exc, RegistryError) else f"{type(exc).__name__}: {exc}"
        return Finding(ref.removeprefix(TAG_PREFIX), False, f"cannot be checked: {text}")


def _signature_bytes(field: str | None) -> bytes | None:
    """The raw capsule signature of a tag's ``signature:`` field; None when absent or not base64."""
    if not field:
        return None
    try:
        return base64.b64decode(field, validate=True)
    except ValueError:
        return None


def _contract_problem(snap: Snapshot, name: str, policy: StorePolicy, published: Published) -> str | None:
    """Why the tagged commit does not hold the contract version its tag records, or None."""
    actual = contract_version_at(snap, name, policy)
    if actual is None or actual.version != published.version:
        return "the tagged commit does not hold this contract version"
    if actual.digest != published.fields.get("digest"):
        return f"digest mismatch: tag says {published.fields.get('digest')}, content gives {actual.digest}"
    return None


def _capsule_problem(
    snap: Snapshot,
    tenant: str,
    name: str,
    policy: StorePolicy,
    published: Published,
    allowed: Mapping[bytes, str],
    principal: str,
) -> str | None:
    """Why the tagged capsule's content, or its signature by ``principal`` (the tag's signer), fails."""
    doc, _ = read_capsule(tenant, name, snap.files(capsule_dir(tenant, name)), limits=policy.limits)
    if doc is None:
        return "the tagged commit does not hold a valid capsule"
    digest = capsule_content_digest(doc.document)
    if digest.hex() != published.fields.get("content-hash"):
        return "content hash mismatch"
    sig = _signature_bytes(published.fields.get("signature"))
    if sig is None:
        return "capsule signature field is missing or not base64"
    key = next((PublicKey(raw) for raw, p in allowed.items() if p == principal), None)
    if key is None or not key.verify_raw(sig, digest):
        return "capsule signature does not verify over the content hash"
    return None


def _check_tag_fields(
    store: Store, ref: str, tag_id: str, allowed: Mapping[bytes, str], trust_history: bool
) -> Finding:
    name = ref.removeprefix(TAG_PREFIX)
    try:
        published = read_published(store, ref, tag_id)
    except (KeyError, ValueError) as exc:
        return Finding(name, False, f"tag object unreadable: {exc}")
    if published.armor is None:
        return Finding(name, False, "tag is not signed")
    snap = store.snapshot(published.commit)
    policy = policy_at(store, published.commit)
    if trust_history:
        # A tag written before a key rotation was signed by the key registry.yaml listed
        # then, at the commit it tags; the head's signers are trusted as well.
        allowed = {**policy.allowed_keys(), **allowed}
    try:
        principal = verify_ssh(published.armor, published.signed_payload, allowed)
    except RegistryError as exc:
        return Finding(name, False, f"tag signature: {exc.message}")
    tag = parse_tag(name)
    item = tag[0] if tag is not None else None
    problem: str | None
    if item is None:
        problem = "not a version tag name (contracts/<name>/<version>, capsules/<tenant>/<name>/<n>)"
    elif item.tenant is None:
        problem = _contract_problem(snap, item.name, policy, published)
    else:
        problem = _capsule_problem(snap, item.tenant, item.name, policy, published, allowed, principal)
    if problem is not None:
        return Finding(name, False, problem)
    return Finding(name, True, f"signed by {principal}, digest {published.digest}")


def verify_store(
    store: Store, *, only: str | None = None, trusted: Mapping[bytes, str] | None = None
) -> list[Finding]:
    """One finding per version tag (or just ``only``), one per untagged version, and one per
    version that ``main``'s history holds with two contents."""
    head = store.head()
    allowed = dict(trusted) if trusted is not None else policy_at(store, head).allowed_keys()
    refs = {**store.refs_under(CONTRACT_TAGS), **store.refs_under(CAPSULE_TAGS)}
    if only is not None:
        ref = only if only.startswith(TAG_PREFIX) else TAG_PREFIX + only
        if ref not in refs:
            return [Finding(only, False, "no such version tag")]
        refs = {ref: refs[ref]}
    history = trusted is None
    findings = [
        _check_tag(store, ref, oid, allowed, trust_history=history) for ref, oid in sorted(refs.items())
    ]
    if only is None and head is not None:
        view = accepted(store)
        for version in [p.version for p in view.pending] + untagged(store, head, view):
            findings.append(
                Finding(
                    version.tag_name,
                    False,
                    "accepted on main but not tagged: run 'registry tag-missing STORE'",
                )
            )
        for r in replacements(store):
            findings.append(Finding(tag_name(contract_dir(r.name), r.version), False, r.message()))
    return findings
