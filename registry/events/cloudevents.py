"""Lifecycle events as CloudEvents 1.0, structured JSON mode, and the NATS subject of each.

An event's ``id`` is derived from what made it: the version's signed tag object, or the
commit on ``main`` that made the change. The same change therefore always gives the same
event, byte for byte, whichever process or restart notices it; JetStream drops a repeat
by its ``Nats-Msg-Id`` (the event id), and a consumer can do the same by ``id``.

=====================================  ==================================================
type                                   NATS subject (``EVENTS_SUBJECT_PREFIX`` first)
=====================================  ==================================================
registry.contract.version.published    ``<prefix>.contract.version.published``
registry.contract.deprecated           ``<prefix>.contract.deprecated``
registry.capsule.version.published     ``<prefix>.capsule.<tenant>.version.published``
registry.capsule.updated               ``<prefix>.capsule.<tenant>.updated``
registry.capsule.deleted               ``<prefix>.capsule.<tenant>.deleted``
=====================================  ==================================================

Contract names may hold dots, so they stay out of subjects (they are in the event's
``subject`` attribute and ``data``); tenants cannot, so capsule subjects carry the tenant
and a consumer can subscribe to one tenant (``registry.events.capsule.acme.>``).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

SPEC_VERSION = "1.0"
CONTENT_TYPE = "application/cloudevents+json"
DATA_CONTENT_TYPE = "application/json"
DEFAULT_PREFIX = "registry.events"
DEFAULT_SOURCE = "/registry"

#: The namespace of event ids (a UUID 5 of type, subject and origin).
_ID_NAMESPACE = uuid.UUID("6f1c1f0e-6a43-5b7e-9b55-7265676973f1")


class EventType(StrEnum):
    """The lifecycle events the registry emits."""

    CONTRACT_VERSION_PUBLISHED = "registry.contract.version.published"
    CONTRACT_DEPRECATED = "registry.contract.deprecated"
    CONTRACT_DELETED = "registry.contract.deleted"  # soft-deleted (contract.yaml ``deleted``)
    CONTRACT_RESTORED = "registry.contract.restored"
    CAPSULE_VERSION_PUBLISHED = "registry.capsule.version.published"
    CAPSULE_UPDATED = "registry.capsule.updated"
    CAPSULE_DELETED = "registry.capsule.deleted"

    def nats_subject(self, prefix: str, tenant: str | None) -> str:
        """Where an event of this type goes: capsule events carry their tenant."""
        kind, _, rest = self.value.removeprefix("registry.").partition(".")
        if kind == "capsule":
            if not tenant:
                raise ValueError("a capsule event needs its tenant")
            return f"{prefix}.capsule.{tenant}.{rest}"
        return f"{prefix}.{kind}.{rest}"


def event_id(type_: EventType, subject: str, origin: str) -> str:
    """The id of the event of type ``type_`` about ``subject`` made by ``origin`` (a tag or commit id)."""
    return str(uuid.uuid5(_ID_NAMESPACE, f"{type_.value}\n{subject}\n{origin}"))


@dataclass(frozen=True)
class CloudEvent:
    """One lifecycle event (CloudEvents 1.0 required and optional context attributes)."""

    id: str
    type: EventType
    source: str
    subject: str  # the store item: a version's tag name, or a contract's or capsule's directory
    time: datetime
    data: Mapping[str, Any]
    tenant: str | None = None  # capsule events: part of the NATS subject

    @classmethod
    def of(
        cls,
        type_: EventType,
        *,
        subject: str,
        origin: str,
        time: datetime,
        data: Mapping[str, Any],
        source: str = DEFAULT_SOURCE,
        tenant: str | None = None,
    ) -> CloudEvent:
        return cls(event_id(type_, subject, origin), type_, source, subject, time, dict(data), tenant)

    def nats_subject(self, prefix: str = DEFAULT_PREFIX) -> str:
        return self.type.nats_subject(prefix, self.tenant)

    def to_dict(self) -> dict[str, Any]:
        """The structured-mode JSON object (CloudEvents JSON format, section 3)."""
        return {
            "specversion": SPEC_VERSION,
            "id": self.id,
            "source": self.source,
            "type": self.type.value,
            "subject": self.subject,
            "time": _rfc3339(self.time),
            "datacontenttype": DATA_CONTENT_TYPE,
            "data": dict(self.data),
        }

    def to_json(self) -> bytes:
        return json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def _rfc3339(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
