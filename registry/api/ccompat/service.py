"""What the Confluent-compatible routes share: the index, the store, the schema ids and registration.

One :class:`Ccompat` per mounted app. Reads take the index's current snapshot and the
schema-id table numbered from it; a registration finds an equal published schema or
publishes a new contract version through the HTTP door's ``publish()`` path (signed with
the server's key, crediting the caller), and answers once the index holds it.
"""

from __future__ import annotations

import json
import posixpath
from typing import Any

import pygit2

from registry.api.ccompat import references, subjects, views
from registry.api.ccompat.errors import OPERATION_TIMEOUT, REFERENCE_EXISTS, CcompatError
from registry.api.ccompat.references import Reference
from registry.api.config import ApiConfig
from registry.api.door import Door
from registry.auth.principal import ADMIN, Principal
from registry.errors import NothingToPublish, VersionExists, VersionNotIncreasing
from registry.gate.bundle import bundled, tree_reader
from registry.gate.policy import StorePolicy
from registry.index.schema_ids import NumberedVersion, SchemaIds, SchemaIdTable
from registry.index.snapshot import ContractEntry, ContractVersionEntry, IndexSnapshot
from registry.model import contract_name
from registry.write.lifecycle import Deleted, set_deleted
from registry.write.publish import ContractInput

MAX_VERSION = 2**31 - 1
#: Bounds the references kept (per version, computed once).
MAX_KEPT_REFERENCES = 65536
PERMANENT_REFUSED = (
    "permanent deletes are refused: the store's git history is the audit trail, and every "
    "published version stays readable by its schema id for the consumers holding it; a soft "
    "delete (without permanent=true) hides it from lists and latest, and registering it again "
    "restores it"
)


def live(snapshot: IndexSnapshot, versions: tuple[NumberedVersion, ...]) -> tuple[NumberedVersion, ...]:
    """``versions`` without the soft-deleted ones (``deleted`` in their ``contract.yaml``)."""
    if not versions:
        return versions
    entry = snapshot.contracts.get(versions[0].subject)
    if entry is None or not (entry.deleted or entry.deleted_versions):
        return versions
    return tuple(n for n in versions if not entry.is_deleted(n.entry.version))


#: How many times a registration is planned again when another writer took its version.
PUBLISH_ATTEMPTS = 3


class Ccompat:
    """What the routes share: the door to the index and store, and the schema ids."""

    def __init__(self, config: ApiConfig) -> None:
        self.config = config
        self.door = Door(config)
        self.ids = SchemaIds(config.store_path)
        self._references: dict[tuple[str, str], tuple[Reference, ...]] = {}

    @property
    def read_only(self) -> bool:
        return self.config.key is None

    def view(self) -> tuple[IndexSnapshot, SchemaIdTable]:
        snapshot = self.door.snapshot()
        return snapshot, self.ids.table(snapshot)

    def policy(self, snapshot: IndexSnapshot) -> StorePolicy:
        return self.door.policy(snapshot)

    def subject(
        self,
        table: SchemaIdTable,
        name: str,
        snapshot: IndexSnapshot | None = None,
        deleted: bool = False,
    ) -> tuple[NumberedVersion, ...]:
        """A subject's versions in publication order; with ``snapshot``, the soft-deleted ones
        only when ``deleted`` is asked (Confluent's ``?deleted=true``)."""
        versions = table.subject(name)
        if snapshot is not None and not deleted:
            versions = live(snapshot, versions)
        if not versions:
            raise CcompatError.subject_not_found(name)
        return versions

    def version(
        self,
        table: SchemaIdTable,
        name: str,
        text: str,
        snapshot: IndexSnapshot | None = None,
        deleted: bool = False,
    ) -> NumberedVersion:
        """A subject's version by number, or ``latest`` (``-1``): its highest SemVer version,
        what the rest of the API calls latest (a maintenance release of an older line is a
        later subject version, yet not the latest)."""
        versions = self.subject(table, name, snapshot, deleted)
        if text in ("latest", "-1"):
            return max(versions, key=lambda n: n.entry.order)
        try:
            number = int(text)
        except ValueError:
            raise CcompatError.invalid_version(text) from None
        if not 1 <= number <= MAX_VERSION:
            raise CcompatError.invalid_version(text)
        found = next((n for n in versions if n.subject_version == number), None)
        if found is None:
            raise CcompatError.version_not_found(name, number)
        return found

    def delete(self, principal: Principal, name: str, version: str | None, permanent: bool) -> list[int]:
        """Soft-delete a subject (``version`` None) or one version: a signed commit marking it
        ``deleted`` in ``contract.yaml``. Returns the subject versions it deleted."""
        principal.require_role(ADMIN)
        if permanent:
            raise CcompatError.not_permitted(PERMANENT_REFUSED)
        snapshot, table = self.view()
        change: Deleted
        if version is None:
            gone = list(self.subject(table, name, snapshot))
            change = True
        else:
            gone = [self.version(table, name, version, snapshot)]
            change = (gone[0].entry.version,)
        for numbered in gone:
            referrers = [
                i for i in self.referenced_by(table, numbered) if i not in {n.schema_id for n in gone}
            ]
            if referrers:
                raise CcompatError(
                    422,
                    REFERENCE_EXISTS,
                    f"One or more references exist to the schema {{subject={name}, "
                    f"version={numbered.subject_version}}}: schema ids {referrers[:20]} refer to it, and "
                    "a referenced version stays (it can never be changed or deleted); delete the "
                    "referrers first",
                )
        if self.read_only:
            raise CcompatError.not_permitted(f"Subject '{name}' is in read-only mode")
        self._mark(principal, name, change, restore=False)
        return [n.subject_version for n in gone]

    def _mark(self, principal: Principal, name: str, change: Deleted, *, restore: bool) -> None:
        """One signed commit that soft-deletes or restores; returns once the index holds it."""
        writer, publisher = self.door.writer(principal), self.door.publisher
        with publisher.around(publisher.door):
            result = set_deleted(
                self.door.store(),
                name,
                change,
                restore=restore,
                writer=writer,
                door=publisher.door,
                on_landed=publisher.landed,
            )
        if result is not None:
            self.door.settle(result.commit)

    # -- references ------------------------------------------------------------------

    def references(self, table: SchemaIdTable, numbered: NumberedVersion) -> tuple[Reference, ...]:
        """A version's references (its ``../<name>/schema.json`` refs); kept, they never change."""
        key = (numbered.subject, numbered.entry.version)
        found = self._references.get(key)
        if found is None:
            found = references.served(numbered, table, self._read_at)
            if len(self._references) >= MAX_KEPT_REFERENCES:
                self._references.clear()
            self._references[key] = found
        return found

    def version_body(self, table: SchemaIdTable, numbered: NumberedVersion) -> dict[str, Any]:
        return views.version_body(numbered, self.references(table, numbered))

    def schema_body(self, table: SchemaIdTable, numbered: NumberedVersion) -> dict[str, Any]:
        return views.schema_body(numbered, self.references(table, numbered))

    def referenced_by(self, table: SchemaIdTable, numbered: NumberedVersion) -> list[int]:
        """The ids of the versions that refer to ``numbered``."""
        return [
            n.schema_id
            for n in table.by_id
            if any(
                (r.subject, r.version) == (numbered.subject, numbered.subject_version)
                for r in self.references(table, n)
            )
        ]

    def _read_at(self, commit: str, path: str) -> str | None:
        data = self.door.store().snapshot(pygit2.Oid(hex=commit)).read(path)
        return data.decode("utf-8", "replace") if data is not None else None

    def bundler(self, snapshot: IndexSnapshot) -> subjects.Bundler:
        """Inline referenced contracts as a version's commit (or ``main``'s head) holds them."""
        store = self.door.store()

        def bundle(version: ContractVersionEntry | None, schema: Any) -> Any:
            commit = version.commit if version is not None else snapshot.head
            if commit is None:
                return schema
            return bundled(schema, tree_reader(store.snapshot(pygit2.Oid(hex=commit))))

        return bundle

    def proposal(self, body: Any, snapshot: IndexSnapshot, table: SchemaIdTable) -> subjects.Proposal:
        """A request's schema, its references' ``$ref``s rewritten to the contracts they name."""
        proposal = subjects.read_proposal(body, self.policy(snapshot))
        names: dict[str, str] = {}
        for name, subject, version in references.requested(body):
            versions = self.subject(table, subject, snapshot)
            wanted = self.version(table, subject, "latest" if version is None else str(version), snapshot)
            latest = max(versions, key=lambda n: n.entry.order)
            if wanted is not latest:
                raise CcompatError.invalid_schema(
                    f"reference {name!r} names version {wanted.subject_version} of {subject!r}, but a "
                    f"contract refers to the file on main, which is its latest version "
                    f"({latest.subject_version}); refer to version {latest.subject_version}"
                )
            names[name] = subject
        if not names:
            return proposal
        schema = references.rewritten(proposal.schema, names)
        if schema == proposal.schema:
            return proposal
        return subjects.Proposal(json.dumps(schema, indent=2, ensure_ascii=False) + "\n", schema)

    def schema(self, table: SchemaIdTable, text: str) -> NumberedVersion:
        try:
            found = table.schema(int(text))
        except ValueError:
            found = None
        if found is None:
            raise CcompatError.schema_not_found(int(text) if text.lstrip("-").isdigit() else None)
        return found

    def register(self, principal: Principal, name: str, body: Any) -> NumberedVersion:
        """The numbered version holding the proposed schema: found, or published now."""
        snapshot, table = self.view()
        policy = self.policy(snapshot)
        proposal = self.proposal(body, snapshot, table)
        _refuse_unstored(body)
        for attempt in range(PUBLISH_ATTEMPTS):
            found = subjects.same_schema(table.subject(name), proposal)
            entry = snapshot.contracts.get(name)
            if found is not None:
                return self._restored(principal, entry, found)
            if self.read_only:
                raise CcompatError.not_permitted(f"Subject '{name}' is in read-only mode")
            if entry is None:
                contract_name(name)  # a new subject must be a valid contract name (42208)
            plan = subjects.plan(entry, proposal, policy, self.bundler(snapshot))
            if not plan.compatible:
                raise _incompatible(name, plan)
            item = _contract_input(name, plan.version, proposal, entry)
            try:
                self._publish(principal, item)
            except (VersionExists, NothingToPublish, VersionNotIncreasing):
                # Another writer published this version first: plan again on what it wrote.
                if attempt + 1 == PUBLISH_ATTEMPTS:
                    raise
                self.config.index.refresh()
                snapshot, table = self.view()
                continue
            snapshot, table = self.view()
            published = table.version(name, plan.version)
            if published is None:
                message = f"version {plan.version} of {name} is published; read it again in a moment"
                raise CcompatError(500, OPERATION_TIMEOUT, message)
            return published
        raise AssertionError("unreachable")

    def _restored(
        self, principal: Principal, entry: ContractEntry | None, found: NumberedVersion
    ) -> NumberedVersion:
        """``found``, restored first when it is soft-deleted: registering it again restores it,
        as Confluent's clients expect."""
        if entry is None or not entry.is_deleted(found.entry.version):
            return found
        if self.read_only:
            raise CcompatError.not_permitted(f"Subject '{entry.name}' is in read-only mode")
        self._mark(principal, entry.name, True if entry.deleted else (found.entry.version,), restore=True)
        _snapshot, table = self.view()
        return table.version(entry.name, found.entry.version) or found

    def _publish(self, principal: Principal, item: ContractInput) -> None:
        """One gated, signed publish as the caller; returns once the index holds it."""
        self.door.publish(
            principal,
            lambda publisher, store, writer: publisher.contract(store, item, writer=writer),
        )


def _refuse_unstored(body: Any) -> None:
    """Refuse what a registration may carry but the store cannot keep, never drop it.

    ``metadata`` and ``ruleSet`` are kept (``contract.yaml``; ``subjects.read_proposal``)."""
    if body.get("id") is not None:
        raise CcompatError.not_permitted("schema ids follow the store's history; they cannot be chosen")


def _contract_input(
    name: str, version: str, proposal: subjects.Proposal, entry: ContractEntry | None
) -> ContractInput:
    """The new version: the proposed schema, with the latest version's description, WIT and descriptor."""
    if entry is None or not entry.versions:
        return ContractInput(name, version, proposal.text, metadata=proposal.metadata, rules=proposal.rules)
    latest = entry.latest
    # As Confluent does, a registration that sends no metadata or rules keeps the latest version's.
    metadata = proposal.metadata if proposal.metadata is not None else latest.metadata
    rules = proposal.rules if proposal.rules is not None else latest.rules
    wit = (posixpath.basename(latest.wit_path), latest.wit_text or "") if latest.wit_path else None
    descriptor = None
    if latest.descriptor_path:
        descriptor = (posixpath.basename(latest.descriptor_path), latest.descriptor_text or "")
    return ContractInput(
        name, version, proposal.text, latest.description, wit, descriptor, metadata=metadata, rules=rules
    )


def _incompatible(name: str, plan: subjects.Plan) -> CcompatError:
    against = ", ".join(v.version for v in plan.against)
    details = "; ".join(subjects.messages(plan.report)) or "incompatible"
    return CcompatError.incompatible(
        f'Schema being registered is incompatible with an earlier schema for subject "{name}" '
        f"(version {against}, compatibility {plan.report.mode.value}), details: [{details}]. "
        "A breaking change needs a new major version: publish it through a reviewed git push "
        "or 'registry publish'"
    )
