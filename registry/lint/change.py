"""One finding of the diff engine: what changed, where, and who it breaks."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from registry.lint.kinds import ChangeKind
from registry.lint.modes import Mode

if TYPE_CHECKING:
    from registry.lint.witness import Witness


@dataclass(frozen=True)
class Change:
    """A single change between two schemas.

    ``path`` is a JSON pointer into the new schema where possible ("" is the root; a
    removed keyword points where it would be). ``backward`` says the new schema still
    reads all data written under the old one; ``forward`` that the old schema reads
    all data written under the new one. ``witness``, set by :func:`registry.lint.check`
    on a change that breaks the mode, is an instance that shows the break (or says that
    none was found); it does not take part in comparisons.
    """

    kind: ChangeKind
    path: str
    old: Any
    new: Any
    backward: bool
    forward: bool
    message: str
    witness: Witness | None = field(default=None, compare=False)

    @property
    def witness_text(self) -> str:
        """``for example {"runId": null} was valid and is now rejected``, ``no example found``,
        or "" when no search was made (the change breaks nothing)."""
        return "" if self.witness is None else self.witness.text

    def explain(self) -> str:
        """The message with the witness: what the gate, review and CLI show for a break."""
        return f"{self.message}; {self.witness_text}" if self.witness is not None else self.message

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
            "witness": self.witness.instance if self.witness is not None and self.witness.found else None,
            "witnessText": self.witness_text or None,
        }

    def swapped(self) -> Change:
        """The same change seen through ``not``: what widened now narrows, and back."""
        return replace(self, backward=self.forward, forward=self.backward, witness=None)


def collapse(changes: list[Change]) -> tuple[bool, bool]:
    """Compatibility of a whole change set: compatible only if every change is."""
    return all(c.backward for c in changes), all(c.forward for c in changes)
