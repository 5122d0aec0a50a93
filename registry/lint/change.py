"""One finding of the diff engine: what changed, where, and who it breaks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from registry.lint.kinds import ChangeKind
from registry.lint.modes import Mode


@dataclass(frozen=True)
class Change:
    """A single change between two schemas.

    ``path`` is a JSON pointer into the new schema where possible ("" is the root; a
    removed keyword points where it would be). ``backward`` says the new schema still
    reads all data written under the old one; ``forward`` that the old schema reads
    all data written under the new one.
    """

    kind: ChangeKind
    path: str
    old: Any
    new: Any
    backward: bool
    forward: bool
    message: str

    def breaking(self, mode: Mode) -> bool:
        """Whether this change breaks ``mode`` (never under ``NONE``)."""
        mode = Mode.parse(mode)
        if mode.needs_backward and not self.backward:
            return True
        return mode.needs_forward and not self.forward

    def as_dict(self, mode: Mode) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "path": self.path,
            "breaking": self.breaking(mode),
            "message": self.message,
            "old": self.old,
            "new": self.new,
            "backward": self.backward,
            "forward": self.forward,
        }

    def swapped(self) -> Change:
        """The same change seen through ``not``: what widened now narrows, and back."""
        return Change(self.kind, self.path, self.old, self.new, self.forward, self.backward, self.message)


def collapse(changes: list[Change]) -> tuple[bool, bool]:
    """Compatibility of a whole change set: compatible only if every change is."""
    return all(c.backward for c in changes), all(c.forward for c in changes)
