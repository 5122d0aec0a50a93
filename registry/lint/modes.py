"""Compatibility modes and policies: the two knobs a compatibility check takes."""

from __future__ import annotations

from enum import StrEnum

from registry.errors import InvalidInput


class Mode(StrEnum):
    """Which readers must cope with which writers (Confluent Schema Registry semantics).

    BACKWARD: the new schema reads every instance written under the old one.
    FORWARD: the old schema reads every instance written under the new one.
    FULL: both. ``*_TRANSITIVE``: against every published version, not just the latest.
    NONE: nothing is checked; changes are still listed.
    """

    BACKWARD = "BACKWARD"
    BACKWARD_TRANSITIVE = "BACKWARD_TRANSITIVE"
    FORWARD = "FORWARD"
    FORWARD_TRANSITIVE = "FORWARD_TRANSITIVE"
    FULL = "FULL"
    FULL_TRANSITIVE = "FULL_TRANSITIVE"
    NONE = "NONE"

    @classmethod
    def parse(cls, value: str | Mode) -> Mode:
        """Read a mode case-insensitively; an unknown one is bad input naming the allowed values."""
        if isinstance(value, Mode):
            return value
        try:
            return cls(str(value).strip().upper())
        except ValueError:
            raise InvalidInput(
                f"unknown compatibility mode {value!r}",
                hint="use one of " + ", ".join(m.value for m in cls),
            ) from None

    @property
    def transitive(self) -> bool:
        return self.value.endswith("_TRANSITIVE")

    @property
    def needs_backward(self) -> bool:
        return self in (Mode.BACKWARD, Mode.BACKWARD_TRANSITIVE, Mode.FULL, Mode.FULL_TRANSITIVE)

    @property
    def needs_forward(self) -> bool:
        return self in (Mode.FORWARD, Mode.FORWARD_TRANSITIVE, Mode.FULL, Mode.FULL_TRANSITIVE)


class Policy(StrEnum):
    """How to read a property added to (or removed from) an open content model.

    ``lenient`` is the old linter's reading: an optional property added to an object that
    allows additional properties is compatible both ways. ``strict`` is Confluent's: data
    written under the old schema may already carry that property with any value, so the
    new property's schema narrows what is accepted (unless it is ``{}``/``true``).
    """

    LENIENT = "lenient"
    STRICT = "strict"

    @classmethod
    def parse(cls, value: str | Policy) -> Policy:
        if isinstance(value, Policy):
            return value
        try:
            return cls(str(value).strip().lower())
        except ValueError:
            raise InvalidInput(
                f"unknown compatibility policy {value!r}",
                hint="use one of " + ", ".join(p.value for p in cls),
            ) from None
