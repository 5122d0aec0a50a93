"""What the Confluent-compatible routes share: the index, the store, the schema ids and registration.

One :class:`Ccompat` per mounted app. Reads take the index's current snapshot and the
schema-id table numbered from it; a registration finds an equal published schema or
publishes a new contract version through the HTTP door's ``publish()`` path (signed with
the server's key, crediting the caller), and answers once the index holds it.
"""

from __future__ import annotations

import posixpath
from typing import Any

from registry.api.ccompat import subjects
from registry.api.ccompat.errors import OPERATION_TIMEOUT, CcompatError
from registry.api.config import ApiConfig
from registry.api.door import Door
from registry.auth.principal import Principal
from registry.errors import NothingToPublish, VersionExists, VersionNotIncreasing
from registry.gate.policy import StorePolicy
from registry.index.schema_ids import NumberedVersion, SchemaIds, SchemaIdTable
from registry.index.snapshot import ContractEntry, IndexSnapshot
from registry.model import contract_name
from registry.write.publish import ContractInput

MAX_VERSION = 2**31 - 1
#: How many times a registration is planned again when another writer took its version.
PUBLISH_ATTEMPTS = 3


class Ccompat:
    """What the routes share: the door to the index and store, and the schema ids."""

    def __init__(self, config: ApiConfig) -> None:
        self.config = config
        self.door = Door(config)
        self.ids = SchemaIds(config.store_path)

    @property
    def read_only(self) -> bool:
        return self.config.key is None

    def view(self) -> tuple[IndexSnapshot, SchemaIdTable]:
        snapshot = self.door.snapshot()
        return snapshot, self.ids.table(snapshot)

    def policy(self, snapshot: IndexSnapshot) -> StorePolicy:
        return self.door.policy(snapshot)

    def subject(self, table: SchemaIdTable, name: str) -> tuple[NumberedVersion, ...]:
        versions = table.subject(name)
        if not versions:
            raise CcompatError.subject_not_found(name)
        return versions

    def version(self, table: SchemaIdTable, name: str, text: str) -> NumberedVersion:
        """A subject's version by number, or ``latest`` (``-1``): its highest SemVer version,
        what the rest of the API calls latest (a maintenance release of an older line is a
        later subject version, yet not the latest)."""
        versions = self.subject(table, name)
        if text in ("latest", "-1"):
            return max(versions, key=lambda n: n.entry.order)
        try:
            number = int(text)
        except ValueError:
            raise CcompatError.invalid_version(text) from None
        if not 1 <= number <= MAX_VERSION:
            raise CcompatError.invalid_version(text)
        if number > len(versions):
            raise CcompatError.version_not_found(name, number)
        return versions[number - 1]

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
        proposal = subjects.read_proposal(body, policy)
        if body.get("id") is not None:
            raise CcompatError.not_permitted("schema ids follow the store's history; they cannot be chosen")
        for attempt in range(PUBLISH_ATTEMPTS):
            found = subjects.same_schema(table.subject(name), proposal)
            if found is not None:
                return found
            if self.read_only:
                raise CcompatError.not_permitted(f"Subject '{name}' is in read-only mode")
            entry = snapshot.contracts.get(name)
            if entry is None:
                contract_name(name)  # a new subject must be a valid contract name (42208)
            plan = subjects.plan(entry, proposal, policy)
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

    def _publish(self, principal: Principal, item: ContractInput) -> None:
        """One gated, signed publish as the caller; returns once the index holds it."""
        self.door.publish(
            principal,
            lambda publisher, store, writer: publisher.contract(store, item, writer=writer),
        )


def _contract_input(
    name: str, version: str, proposal: subjects.Proposal, entry: ContractEntry | None
) -> ContractInput:
    """The new version: the proposed schema, with the latest version's description, WIT and descriptor."""
    if entry is None or not entry.versions:
        return ContractInput(name, version, proposal.text)
    latest = entry.latest
    wit = (posixpath.basename(latest.wit_path), latest.wit_text or "") if latest.wit_path else None
    descriptor = None
    if latest.descriptor_path:
        descriptor = (posixpath.basename(latest.descriptor_path), latest.descriptor_text or "")
    return ContractInput(name, version, proposal.text, latest.description, wit, descriptor)


def _incompatible(name: str, plan: subjects.Plan) -> CcompatError:
    against = ", ".join(v.version for v in plan.against)
    details = "; ".join(subjects.messages(plan.report)) or "incompatible"
    return CcompatError.incompatible(
        f'Schema being registered is incompatible with an earlier schema for subject "{name}" '
        f"(version {against}, compatibility {plan.report.mode.value}), details: [{details}]. "
        "A breaking change needs a new major version: publish it through a reviewed git push "
        "or 'registry publish'"
    )
