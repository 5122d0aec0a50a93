"""One door's way to write: which door it is, who hears of what lands, and what wraps each write.

A door builds one :class:`Publisher` when it starts and sends every write through it, so
no write can forget to say which door it came through or whom to tell: the HTTP door
owns one (the Confluent-compatible door shares it), the CLI builds its own, and nothing
has a default.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Any

from registry.gate.verdict import Verdict
from registry.git.store import Store
from registry.model import Limits
from registry.write.landing import Door, Landing, OnLanded
from registry.write.publish import (
    Builder,
    ContractInput,
    PublishResult,
    Writer,
    publish,
    publish_capsule,
    publish_contract,
    publish_files,
)

#: Wraps each write of a door (``ops.doors.observe_publish`` times, counts and traces it).
Around = Callable[[Door], AbstractContextManager[object]]


def unobserved(_door: Door) -> AbstractContextManager[object]:
    """The ``around`` of a door nobody measures (the CLI, a script)."""
    return nullcontext()


@dataclass(frozen=True)
class Publisher:
    """Every write of one door; see the module docstring."""

    door: Door
    listeners: tuple[OnLanded, ...]
    around: Around

    def landed(self, landing: Landing) -> None:
        """Tell every listener, in order, of what one write published."""
        for listener in self.listeners:
            listener(landing)

    def publish(
        self,
        store: Store,
        build: Builder,
        *,
        message: str,
        writer: Writer,
        trailers: Mapping[str, str] | None = None,
        expect: Callable[[Verdict], None] | None = None,
    ) -> PublishResult:
        """:func:`~registry.write.publish.publish` as this door."""
        with self.around(self.door):
            return publish(
                store,
                build,
                message=message,
                writer=writer,
                trailers=trailers,
                expect=expect,
                door=self.door,
                on_landed=self.landed,
            )

    def contract(
        self, store: Store, item: ContractInput, *, writer: Writer, trailers: Mapping[str, str] | None = None
    ) -> PublishResult:
        """One contract version, as this door."""
        with self.around(self.door):
            return publish_contract(
                store, item, writer=writer, trailers=trailers, door=self.door, on_landed=self.landed
            )

    def capsule(
        self,
        store: Store,
        tenant_id: str,
        document_text: bytes,
        *,
        writer: Writer,
        meta: Mapping[str, Any] | None = None,
        trailers: Mapping[str, str] | None = None,
        limits: Limits | None = None,
    ) -> PublishResult:
        """A capsule's next version from its ``capsule.yaml`` text, as this door."""
        with self.around(self.door):
            return publish_capsule(
                store,
                tenant_id,
                document_text,
                writer=writer,
                meta=meta,
                trailers=trailers,
                limits=limits,
                door=self.door,
                on_landed=self.landed,
            )

    def files(
        self, store: Store, files: Mapping[str, bytes], *, writer: Writer, message: str
    ) -> PublishResult:
        """A whole tree of store files at once, as this door."""
        with self.around(self.door):
            return publish_files(
                store, files, writer=writer, message=message, door=self.door, on_landed=self.landed
            )
