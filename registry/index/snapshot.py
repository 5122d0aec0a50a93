"""The read model: one immutable snapshot of everything the API serves.

A snapshot is built from the store's signed version tags (what each version is) and the
head of ``main`` (what changes without a version: deprecation, a capsule's status and
visibility). It is never changed in place: a refresh builds a new snapshot that shares
the unchanged entries with the old one, and swaps it in whole, so a request never sees
half an update.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from registry.gate.policy import StorePolicy
from registry.model import ContractVersion


@dataclass(frozen=True, slots=True)
class ContractVersionEntry:
    """One published contract version, as its signed tag and the tagged commit hold it."""

    name: str
    version: str  # as written: "1.2.0", "v1"
    order: ContractVersion  # SemVer precedence, for sorting and "latest"
    description: str | None
    schema_text: str  # schema.json exactly as stored
    wit_path: str | None  # store path, "contracts/<name>/<file>.wit"
    wit_text: str | None
    descriptor_path: str | None
    descriptor_text: str | None
    digest: str  # the old registry's contract digest, from the tag
    created_at: datetime  # the tag's time (UTC)
    commit: str  # the commit that published it
    tag_ref: str  # refs/tags/contracts/<name>/<version>
    tag_id: str
    metadata: dict[str, Any] | None = None  # contract.yaml's data-contract metadata
    rules: dict[str, Any] | None = None  # contract.yaml's rules (Confluent's ruleSet)


@dataclass(frozen=True)
class ContractEntry:
    """A contract: its versions oldest first (SemVer order), and what ``main`` says of it now."""

    name: str
    versions: tuple[ContractVersionEntry, ...]
    deprecated: bool = False
    sunset: str | None = None  # RFC 3339 date or date-time, from contract.yaml on main
    compatibility: str | None = None  # contract.yaml's own mode, when it sets one
    policy: str | None = None
    deleted: bool = False  # soft-deleted as a whole: contract.yaml's ``deleted: true``
    deleted_versions: frozenset[str] = frozenset()  # soft-deleted versions: ``deleted: [...]``

    def is_deleted(self, version: str) -> bool:
        """Whether a version is soft-deleted, by itself or with its whole contract."""
        return self.deleted or version in self.deleted_versions

    @property
    def latest(self) -> ContractVersionEntry:
        return max(self.versions, key=lambda v: v.order)

    def version(self, text: str) -> ContractVersionEntry | None:
        """The version written ``text``, or one equal to it in SemVer (``v1`` is ``1.0.0``)."""
        for v in self.versions:
            if v.version == text:
                return v
        try:
            wanted = ContractVersion.parse(text)
        except Exception:  # an unparseable version is simply not there
            return None
        return next((v for v in self.versions if v.order == wanted), None)


@dataclass(frozen=True, slots=True)
class CapsuleVersionEntry:
    """One published capsule version."""

    capsule_id: str
    tenant: str
    name: str
    version: int
    content_hash: str
    signature: str  # Ed25519 over the content hash, base64, from the tag
    created_at: datetime
    commit: str
    tag_ref: str
    tag_id: str
    document: Mapping[str, Any]  # the parsed Capsule document
    text: str  # capsule.yaml as stored


@dataclass(frozen=True)
class CapsuleEntry:
    """A capsule: its versions by number, and its metadata as ``meta.yaml`` on ``main`` says."""

    id: str
    tenant: str
    name: str
    description: str | None
    tags: tuple[str, ...]
    owner: str | None
    visibility: str  # PUBLIC | PRIVATE
    status: str  # ACTIVE | DELETED | …
    versions: tuple[CapsuleVersionEntry, ...]
    created_at: datetime  # first version's time
    updated_at: datetime  # the last change of the capsule's directory on main
    etag: str  # changes whenever anything above changes

    @property
    def latest_version(self) -> int | None:
        return self.versions[-1].version if self.versions else None


@dataclass(frozen=True)
class IndexSnapshot:
    """Everything the API serves, as of ``head``; never mutated."""

    head: str | None  # main's commit when the snapshot was built
    contracts: Mapping[str, ContractEntry] = field(default_factory=dict)
    capsules: Mapping[str, CapsuleEntry] = field(default_factory=dict)  # by capsule id
    tags: Mapping[str, str] = field(default_factory=dict)  # version tag ref -> tag id
    # "<tenant>/<key>" -> the commit whose Idempotency-Key trailer records it
    idempotency: Mapping[str, str] = field(default_factory=dict)
    built_at: float = 0.0  # time.time() of the build or refresh
    #: ``registry.yaml`` at ``head``, read when its blob changes; None when it could not be read
    #: (the doors then read it from the store, and say why it fails).
    policy: StorePolicy | None = None
    policy_blob: str | None = None  # the blob the policy was read from

    @property
    def version_count(self) -> int:
        return sum(len(c.versions) for c in self.contracts.values()) + sum(
            len(c.versions) for c in self.capsules.values()
        )
