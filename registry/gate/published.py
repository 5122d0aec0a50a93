"""Published versions as their tags record them, and the message format of those tags.

A version's tag, ``refs/tags/contracts/<name>/<version>`` or
``refs/tags/capsules/<tenant>/<name>/<n>``, is annotated and signed and points at the
commit that published it; its message carries the version's digest, so consumers and
``registry verify`` can check content against it. The tags are written at the landing
seam (``registry.write.landing``); a version accepted but not tagged yet is found by
``registry.gate.accepted``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pygit2

from registry.digest import contract_digest
from registry.errors import InvalidName
from registry.git.refs import TAG_PREFIX, version_of_ref
from registry.git.store import Store
from registry.model import ContractVersion
from registry.paths import Kind, capsule_dir, contract_dir, in_dir, tag_name, tags_of
from registry.trust.sshsig import split_signed_tag
from registry.validate.documents import ContractDoc

# Capsule ids are stable: derived from tenant and name, so every replica agrees.
CAPSULE_ID_NAMESPACE = uuid.UUID("6f1c3a52-2d0e-4b8e-9a57-7f3e0c2b9d41")


def capsule_id(tenant: str, name: str) -> str:
    return str(uuid.uuid5(CAPSULE_ID_NAMESPACE, f"{tenant}/{name}"))


@dataclass(frozen=True)
class NewVersion:
    """A version a change introduces, with what its tag will say."""

    kind: Kind
    key: str  # "contracts/<name>" or "capsules/<tenant>/<name>": the directory
    version: str
    digest: str  # contract digest, or capsule content hash (hex)

    @property
    def tag_ref(self) -> str:
        return TAG_PREFIX + self.tag_name

    @property
    def tag_name(self) -> str:
        return tag_name(self.key, self.version)


@dataclass(frozen=True)
class Published:
    """A published version as its tag records it."""

    version: str
    tag_ref: str
    tag_id: str
    commit: pygit2.Oid
    fields: dict[str, str]
    signed_payload: bytes
    armor: bytes | None

    @property
    def digest(self) -> str | None:
        return self.fields.get("digest") or self.fields.get("content-hash")


def version_digest(
    name: str,
    version: str,
    *,
    description: str | None,
    schema_text: str,
    wit: str | None,
    descriptor: str | None,
) -> str:
    """The old-registry digest of a contract version; ``wit`` and ``descriptor`` are file names
    in the contract's directory, given to the digest as store paths."""
    where = contract_dir(name)
    return contract_digest(
        name=name,
        version=version,
        description=description,
        json_schema=schema_text,
        wit_path=in_dir(where, wit) if wit else None,
        descriptor_path=in_dir(where, descriptor) if descriptor else None,
    )


def contract_version(doc: ContractDoc) -> NewVersion:
    """The version a valid contract directory describes, with its old-registry digest."""
    digest = version_digest(
        doc.name,
        doc.version.text,
        description=doc.description,
        schema_text=doc.schema_text,
        wit=doc.wit,
        descriptor=doc.descriptor,
    )
    return NewVersion("contract", contract_dir(doc.name), doc.version.text, digest)


def tag_message(version: NewVersion, *, signature: str | None = None) -> str:
    """The message of a version tag: a title line, then ``key: value`` fields."""
    lines = [f"{version.key} {version.version}", ""]
    lines.append(f"kind: {version.kind}")
    lines.append(f"version: {version.version}")
    if version.kind == "contract":
        lines.append(f"digest: {version.digest}")
    else:
        lines.append(f"content-hash: {version.digest}")
        if signature:
            lines.append(f"signature: {signature}")
    return "\n".join(lines) + "\n"


def _fields(message: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in message.splitlines()[2:]:
        key, sep, value = line.partition(": ")
        if sep:
            out[key.strip()] = value.strip()
    return out


def read_published(store: Store, ref: str, tag_id: str) -> Published:
    commit, raw = store.tag_target(tag_id)
    payload, armor = split_signed_tag(raw)
    _, _, message = payload.partition(b"\n\n")
    return Published(
        version=ref.rsplit("/", 1)[1],
        tag_ref=ref,
        tag_id=tag_id,
        commit=commit,
        fields=_fields(message.decode(errors="replace")),
        signed_payload=payload,
        armor=armor,
    )


def contract_versions(store: Store, name: str) -> list[Published]:
    """Every published version of a contract, in SemVer order (oldest first)."""
    refs = store.refs_under(TAG_PREFIX + tags_of(contract_dir(name)))
    items = [read_published(store, ref, oid) for ref, oid in refs.items() if version_of_ref(ref) is not None]

    def order(p: Published) -> tuple[int, ContractVersion]:
        try:
            return (1, ContractVersion.parse(p.version))
        except InvalidName:
            return (0, ContractVersion.parse("0.0.0"))

    return sorted(items, key=order)


def capsule_versions(store: Store, tenant: str, name: str) -> list[Published]:
    """Every published version of a capsule, by number (oldest first)."""
    refs = store.refs_under(TAG_PREFIX + tags_of(capsule_dir(tenant, name)))
    items = [
        read_published(store, ref, oid)
        for ref, oid in refs.items()
        if (tag := version_of_ref(ref)) is not None and tag[1].isdigit()
    ]
    return sorted(items, key=lambda p: int(p.version))
