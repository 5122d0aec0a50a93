"""The one way the registry writes: build a signed commit, pass the gate, move ``main`` and tag.

A publish is all or nothing. The commit is built on the head it read; the gate judges
exactly that commit; ``main`` and the version tags then move together under one set
of ref locks. When another writer got there first, the publish is rebuilt on the new
head and judged again, so racing publishers never lose each other's versions.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import yaml

from registry.errors import (
    ConcurrentUpdate,
    ContentAlreadyPublished,
    InvalidInput,
    NothingToPublish,
    RegistryError,
    VersionExists,
    refusal,
)
from registry.gate.accepted import accepted
from registry.gate.evaluate import evaluate
from registry.gate.policy import POLICY_FILE
from registry.gate.published import NewVersion, capsule_id
from registry.gate.verdict import Verdict
from registry.git.store import Identity, MainMoved, Snapshot, Store
from registry.model import ContractVersion, Limits, capsule_name, contract_name, tenant
from registry.paths import CAPSULE_DOC, CAPSULE_META, CONTRACT_META, SCHEMA, capsule_dir, contract_dir, in_dir
from registry.trust.sshsig import SigningKey
from registry.validate import load_yaml
from registry.write.landing import Door, Landing, OnLanded, land_with_main

Builder = Callable[[Snapshot], Mapping[str, bytes | None]]


@dataclass(frozen=True)
class PublishResult:
    commit: str
    versions: tuple[NewVersion, ...]
    created_at: datetime
    verdict: Verdict
    signatures: Mapping[str, str]  # tag name -> capsule signature (base64), capsules only
    landing: Landing


@dataclass(frozen=True)
class Writer:
    """Who writes: the registry key and identity, and the author the commit credits."""

    key: SigningKey
    identity: Identity = field(default_factory=Identity)
    author: Identity | None = None


def refusal_of(verdict: Verdict) -> RegistryError:
    """The typed error for a verdict that refuses; a duplicate capsule names its version."""
    for capsule in verdict.capsules:
        if capsule.duplicate_of is not None:
            return ContentAlreadyPublished(capsule.duplicate_of, problems=verdict.problems)
    return refusal(verdict.problems)


def publish(
    store: Store,
    build: Builder,
    *,
    message: str,
    writer: Writer,
    trailers: Mapping[str, str] | None = None,
    expect: Callable[[Verdict], None] | None = None,
    deadline_s: float = 30.0,
    door: Door,
    on_landed: OnLanded | None = None,
) -> PublishResult:
    """Write what ``build`` returns for the current head as one signed, gated commit.

    ``expect`` may refuse a verdict that passes the gate but not the caller's intent
    (a publish that introduces no version). Raises the gate's refusal as a typed error.
    What it published goes through the landing seam, and to ``on_landed``. ``door`` has no
    default: a door writes through its :class:`~registry.write.publisher.Publisher`.
    """
    text = message.rstrip() + "\n"
    if trailers:
        text += "\n" + "".join(f"{k}: {v}\n" for k, v in trailers.items())
    started = time.monotonic()
    attempt = 0
    while True:
        head = store.head()
        snap = store.snapshot(head)
        changes = build(snap)
        tree = store.write_tree(head, changes)
        if snap.tree is not None and tree == snap.tree.id:
            raise NothingToPublish("nothing to publish: the store already holds exactly these files")
        now = int(time.time())
        commit = store.write_commit(
            tree=tree,
            parents=[head] if head is not None else [],
            message=text,
            author=writer.author or writer.identity,
            committer=writer.identity,
            key=writer.key,
            when=now,
        )
        verdict = evaluate(store, head, commit)
        if not verdict.accepted:
            raise refusal_of(verdict)
        if expect is not None:
            expect(verdict)
        try:
            landing = land_with_main(
                store,
                verdict.versions,
                expected=head,
                new=commit,
                key=writer.key,
                tagger=writer.identity,
                reflog=message.splitlines()[0],
                door=door,
                on_landed=on_landed,
            )
        except MainMoved:
            attempt += 1
            if time.monotonic() - started > deadline_s:
                raise ConcurrentUpdate(
                    f"main kept moving for {deadline_s:.0f}s; the publish was not written",
                    hint="try again",
                ) from None
            time.sleep(random.uniform(0, min(0.002 * attempt, 0.05)))
            continue
        signatures = {v.version.tag_name: v.signature for v in landing.versions if v.signature}
        return PublishResult(
            str(commit), verdict.versions, datetime.fromtimestamp(now, UTC), verdict, signatures, landing
        )


def _dir_changes(snap: Snapshot, where: str, files: Mapping[str, bytes]) -> dict[str, bytes | None]:
    """Replace a directory's files: write ``files``, delete what else was there."""
    changes: dict[str, bytes | None] = {in_dir(where, n): None for n in snap.files(where)}
    changes.update({in_dir(where, n): data for n, data in files.items()})
    return changes


@dataclass(frozen=True)
class ContractInput:
    name: str
    version: str
    schema_text: str
    description: str | None = None
    wit: tuple[str, str] | None = None  # (file name, text)
    descriptor: tuple[str, str] | None = None
    metadata: dict[str, Any] | None = None  # contract.yaml's data-contract fields
    rules: dict[str, Any] | None = None


def _contract_meta(
    item: ContractInput, name: str, version: ContractVersion, current: bytes | None, where: str
) -> dict[str, Any]:
    """The new ``contract.yaml``: the item's fields, and the settings the contract already had."""
    meta: dict[str, Any] = {"name": name, "version": version.text}
    if item.description is not None:
        meta["description"] = item.description
    if current is not None:
        meta.update(_kept_settings(current, where))
    for key, value in (("metadata", item.metadata), ("rules", item.rules)):
        if value is not None:
            meta[key] = value
    return meta


def _kept_settings(current: bytes, where: str) -> dict[str, Any]:
    """What a new version keeps of ``contract.yaml``: its settings outlive its versions, its
    deprecation does not; soft-deleted versions stay deleted, a deleted contract is restored.

    The gate accepted this file, so it reads; if it did not, say so rather than drop its settings.
    """
    old = load_yaml(current, limits=Limits(), path_hint=where) or {}
    if not isinstance(old, dict):
        return {}
    kept = {key: old[key] for key in ("compatibility", "policy") if key in old}
    if isinstance(old.get("deleted"), list):
        kept["deleted"] = old["deleted"]
    return kept


def publish_contract(
    store: Store,
    item: ContractInput,
    *,
    writer: Writer,
    trailers: Mapping[str, str] | None = None,
    door: Door,
    on_landed: OnLanded | None = None,
) -> PublishResult:
    """Publish one contract version (``registry publish contract``)."""
    name = contract_name(item.name)
    version = ContractVersion.parse(item.version)
    existing = {ContractVersion.parse(p.version) for p in accepted(store).contract(name) if p.version}
    if version in existing:
        raise VersionExists(
            f"Contract {name} version {version.text} already exists",
            hint="published versions never change: publish a higher version",
        )

    def build(snap: Snapshot) -> Mapping[str, bytes | None]:
        where = contract_dir(name)
        meta = _contract_meta(
            item, name, version, snap.read(in_dir(where, CONTRACT_META)), in_dir(where, CONTRACT_META)
        )
        files: dict[str, bytes] = {SCHEMA: item.schema_text.encode()}
        if item.wit:
            meta["wit"] = item.wit[0]
            files[item.wit[0]] = item.wit[1].encode()
        if item.descriptor:
            meta["descriptor"] = item.descriptor[0]
            files[item.descriptor[0]] = item.descriptor[1].encode()
        files[CONTRACT_META] = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True).encode()
        return _dir_changes(snap, where, files)

    def expect(verdict: Verdict) -> None:
        if not any(v.kind == "contract" and v.key == contract_dir(name) for v in verdict.versions):
            raise VersionExists(f"Contract {name} version {version.text} already exists")

    return publish(
        store,
        build,
        message=f"publish contract {name} {version.text}",
        writer=writer,
        trailers=trailers,
        expect=expect,
        door=door,
        on_landed=on_landed,
    )


def publish_capsule(
    store: Store,
    tenant_id: str,
    document_text: bytes,
    *,
    writer: Writer,
    meta: Mapping[str, Any] | None = None,
    trailers: Mapping[str, str] | None = None,
    limits: Limits | None = None,
    door: Door,
    on_landed: OnLanded | None = None,
) -> PublishResult:
    """Publish the next version of a capsule from its ``capsule.yaml`` text.

    ``meta`` replaces ``meta.yaml`` when given; otherwise the existing one is kept, or a
    fresh one (stable id, ACTIVE) is written for a new capsule.
    """
    tenant_id = tenant(tenant_id)
    doc = load_yaml(document_text, limits=limits or Limits(), path_hint=CAPSULE_DOC)
    raw_name = doc.get("metadata", {}).get("name") if isinstance(doc, dict) else None
    if not isinstance(raw_name, str):
        raise InvalidInput(
            "capsule.yaml has no metadata.name",
            hint="a Capsule document names itself in metadata.name",
        )
    name = capsule_name(raw_name)
    where = capsule_dir(tenant_id, name)

    def build(snap: Snapshot) -> Mapping[str, bytes | None]:
        files = {CAPSULE_DOC: document_text}
        if meta is not None:
            files[CAPSULE_META] = yaml.safe_dump(dict(meta), sort_keys=False).encode()
        elif snap.read(in_dir(where, CAPSULE_META)) is None:
            fresh = {"id": capsule_id(tenant_id, name), "status": "ACTIVE"}
            files[CAPSULE_META] = yaml.safe_dump(fresh, sort_keys=False).encode()
        return {in_dir(where, n): data for n, data in files.items()}

    def expect(verdict: Verdict) -> None:
        if not any(v.kind == "capsule" and v.key == where for v in verdict.versions):
            published = accepted(store).capsule(tenant_id, name)
            raise ContentAlreadyPublished(int(published[-1].version) if published else 0)

    return publish(
        store,
        build,
        message=f"publish capsule {tenant_id}/{name}",
        writer=writer,
        trailers=trailers,
        expect=expect,
        door=door,
        on_landed=on_landed,
    )


def publish_files(
    store: Store,
    files: Mapping[str, bytes],
    *,
    writer: Writer,
    message: str,
    door: Door,
    on_landed: OnLanded | None = None,
) -> PublishResult:
    """Publish a whole tree of store files at once (``registry init --from``)."""
    if POLICY_FILE not in files and store.head() is None:
        raise InvalidInput("a store's first publish needs registry.yaml")
    return publish(
        store, lambda _snap: dict(files), message=message, writer=writer, door=door, on_landed=on_landed
    )
