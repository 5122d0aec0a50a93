"""One WIT finding: a ``Change`` whose kind is a ``WitKind``.

It is a ``Change`` so every renderer, the version policy and the gate read WIT findings as
they read JSON Schema ones: ``backward`` is "old exporters keep working", ``forward`` "old
importers keep working" (see :mod:`registry.lint.wit.kinds`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from registry.lint.change import Change
from registry.lint.modes import Mode
from registry.lint.wit.kinds import WitKind


@dataclass(frozen=True)
class CallWitness:
    """A call shape that one side of the change typed and the other no longer links with."""

    direction: str  # "backward" (an old exporter fails) or "forward" (an old importer fails)
    found: bool
    instance: str  # "calling `events.started(event: ritual-started)`"

    @property
    def text(self) -> str:
        """``for example an importer of the old interface calling `events.started(…)` no longer links``."""
        if not self.found:
            return "no example found"
        who = "an importer" if self.direction == "forward" else "an exporter"
        return f"for example {who} of the old interface {self.instance} no longer links"


@dataclass(frozen=True)
class WitChange(Change):
    """A change between two WIT packages; ``path`` is ``wit:/interfaces/<i>/functions/<f>/…``."""

    @property
    def importers(self) -> bool:
        return self.forward

    @property
    def exporters(self) -> bool:
        return self.backward

    def as_dict(self, mode: Mode) -> dict[str, Any]:
        body = super().as_dict(mode)
        body["witness"] = self.witness.instance if self.witness is not None and self.witness.found else None
        body.update(language="wit", importers=self.importers, exporters=self.exporters)
        return body


def wit_change(
    kind: WitKind, path: str, old: Any, new: Any, message: str, *, flip: bool = False
) -> WitChange:
    """A finding with its kind's verdicts; ``flip`` swaps the roles (items a world imports)."""
    rule = kind.rule
    importers, exporters = (rule.exporters, rule.importers) if flip else (rule.importers, rule.exporters)
    return WitChange(kind, path, old, new, exporters, importers, message)  # type: ignore[arg-type]
