"""The registry's one error root and its kinds.

Every failure the domain can report is a ``RegistryError`` subclass with a stable
``code``. The doors map them once each: the CLI to exit codes, the hooks to
``remote:`` lines, the API to HTTP statuses. Messages say what went wrong and what
to do about it, so a door never needs to add words of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from registry.model import Problem


class RegistryError(Exception):
    """Root of every error the registry reports to a user."""

    code = "registry_error"
    #: Exit status of the CLI: 1 refused, 2 bad usage or unreadable input.
    exit_code = 1
    #: The problems behind a refusal, when it came from the gate or validation.
    problems: tuple[Problem, ...] = ()

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def diagnostics(self) -> str:
        """The message and, when there is one, what to try next."""
        return f"{self.message}\n  hint: {self.hint}" if self.hint else self.message


class InvalidInput(RegistryError):
    """Input that cannot be read at all: a missing file, bad JSON, a bad flag value."""

    code = "invalid_input"
    exit_code = 2


class InvalidName(InvalidInput):
    """A contract, capsule or tenant name, or a version, that breaks the naming rules."""

    code = "invalid_name"
    exit_code = 1


class ValidationFailed(RegistryError):
    """One or more documents break the rules; ``problems`` lists every one of them."""

    code = "validation_failed"

    def __init__(self, problems: Sequence[Problem], *, message: str | None = None) -> None:
        self.problems = tuple(problems)
        errors = [p for p in self.problems if p.severity == "error"]
        text = message or "\n".join(p.render() for p in errors) or "validation failed"
        super().__init__(text)


class VersionExists(RegistryError):
    """The version is published already; published versions never change."""

    code = "version_exists"


class ContentAlreadyPublished(RegistryError):
    """A capsule's content is identical to an earlier version's."""

    code = "content_already_published"

    def __init__(self, version: int) -> None:
        super().__init__(f"Content already published as version {version}")
        self.version = version


class VersionNotIncreasing(RegistryError):
    """A new version must sort above every published version of the same item."""

    code = "version_not_increasing"


class BreakingChange(RegistryError):
    """A change set that its version bump or compatibility mode does not allow."""

    code = "breaking_change"


class ConcurrentUpdate(RegistryError):
    """Another writer moved ``main`` first and the retry budget ran out."""

    code = "concurrent_update"


class NotFound(RegistryError):
    """No such contract, capsule, version or store."""

    code = "not_found"


class SignatureError(RegistryError):
    """A signature that is missing, malformed, or made by a key nobody allowed."""

    code = "signature_invalid"


class StoreError(RegistryError):
    """The store is not a registry store, or cannot be read or written."""

    code = "store_error"


class LimitExceeded(RegistryError):
    """Input too large, too deep or too slow to judge within the registry's bounds.

    ``rule`` names the bound (``schema.depth``, ``regex.timeout`` …) so each door can say
    which limit was hit; the message says how to get under it.
    """

    code = "limit_exceeded"

    def __init__(self, message: str, *, rule: str, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.rule = rule
