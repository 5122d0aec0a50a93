"""What the events need to know, built once at the edge from the environment."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from registry.errors import InvalidInput
from registry.events.cloudevents import DEFAULT_PREFIX, DEFAULT_SOURCE


@dataclass(frozen=True)
class EventsSettings:
    """Lifecycle events on NATS; off unless ``EVENTS_NATS_URL`` is set.

    ===========================  ======================================================
    ``EVENTS_NATS_URL``          ``nats://host:4222`` (several, comma-separated)
    ``EVENTS_NATS_STREAM``       a JetStream stream: publish there, deduplicated by id
    ``EVENTS_NATS_CREDS``        a NATS ``.creds`` file, when the server wants one
    ``EVENTS_SUBJECT_PREFIX``    first tokens of every subject (``registry.events``)
    ``EVENTS_SOURCE``            the CloudEvents ``source`` (``/registry``)
    ``EVENTS_OUTBOX_MAX``        events kept while NATS is away (100000)
    ===========================  ======================================================
    """

    nats_urls: tuple[str, ...] = ()
    stream: str | None = None
    credentials: Path | None = None
    subject_prefix: str = DEFAULT_PREFIX
    source: str = DEFAULT_SOURCE
    outbox_max: int = 100_000
    #: How long a shutdown waits for queued events to go out before leaving them queued.
    drain_timeout_s: float = 5.0

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> EventsSettings:
        urls = tuple(u.strip() for u in env.get("EVENTS_NATS_URL", "").split(",") if u.strip())
        prefix = env.get("EVENTS_SUBJECT_PREFIX", "").strip() or DEFAULT_PREFIX
        if any(not token or any(c in token for c in " \t*>") for token in prefix.split(".")):
            raise InvalidInput(
                f"EVENTS_SUBJECT_PREFIX {prefix!r} is not a NATS subject",
                hint="use dot-separated tokens without spaces or wildcards, e.g. registry.events",
            )
        try:
            outbox_max = int(env.get("EVENTS_OUTBOX_MAX", "") or 100_000)
        except ValueError:
            raise InvalidInput("EVENTS_OUTBOX_MAX must be a whole number") from None
        if outbox_max < 1:
            raise InvalidInput("EVENTS_OUTBOX_MAX must be at least 1")
        creds = env.get("EVENTS_NATS_CREDS")
        return cls(
            nats_urls=urls,
            stream=env.get("EVENTS_NATS_STREAM", "").strip() or None,
            credentials=Path(creds) if creds else None,
            subject_prefix=prefix,
            source=env.get("EVENTS_SOURCE", "").strip() or DEFAULT_SOURCE,
            outbox_max=outbox_max,
        )

    @property
    def enabled(self) -> bool:
        return bool(self.nats_urls)
