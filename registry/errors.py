"""The registry's one error root and its kinds.

Every failure the domain can report is a ``RegistryError`` subclass with a stable
``code`` (a :class:`~registry.problems.Code`). The doors map them once each, by the
code's outcome: the CLI to exit codes, the hooks to ``remote:`` lines, the API to HTTP
statuses. Messages say what went wrong and what to do about it, so a door never needs
to add words of its own.
"""

from __future__ import annotations

from collections.abc import Sequence

from registry.problems import OUTCOME_PRECEDENCE, Code, Outcome, Problem


class RegistryError(Exception):
    """Root of every error the registry reports to a user."""

    code: Code = Code.INPUT_INVALID
    #: The problems behind a refusal, when it came from the gate or validation.
    problems: tuple[Problem, ...] = ()

    def __init__(
        self,
        message: str,
        *,
        hint: str | None = None,
        problems: Sequence[Problem] = (),
        code: Code | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        # Set here, once, so an error is whole when it is built and never changed after.
        if problems:
            self.problems = tuple(problems)
        if code is not None:
            self.code = code

    def diagnostics(self) -> str:
        """The message and, when there is one, what to try next."""
        return f"{self.message}\n  hint: {self.hint}" if self.hint else self.message


class InvalidInput(RegistryError):
    """Input that cannot be read at all: a missing file, bad JSON, a bad flag value."""

    code = Code.INPUT_INVALID


class InvalidName(InvalidInput):
    """A contract, capsule or tenant name, or a version, that breaks the naming rules."""

    code = Code.NAME_INVALID


class ValidationFailed(RegistryError):
    """One or more documents break the rules; ``problems`` lists every one of them.

    Its ``code`` is the most decisive error's (see ``OUTCOME_PRECEDENCE``).
    """

    def __init__(self, problems: Sequence[Problem], *, message: str | None = None) -> None:
        errors = [p for p in problems if p.severity == "error"]
        text = message or "\n".join(p.render() for p in errors) or "validation failed"
        decisive = first_error(problems)
        super().__init__(text, problems=problems, code=decisive.code if decisive else None)


class VersionExists(RegistryError):
    """The version is published already; published versions never change."""

    code = Code.VERSION_EXISTS


class NothingToPublish(RegistryError):
    """A publish whose files the store already holds exactly: there is no new commit to make.

    It answers like :class:`VersionExists` (same code), since what was asked for is there.
    """

    code = Code.VERSION_EXISTS


class ContentAlreadyPublished(RegistryError):
    """A capsule's content is identical to an earlier version's."""

    code = Code.CAPSULE_CONTENT_PUBLISHED

    def __init__(self, version: int, *, problems: Sequence[Problem] = ()) -> None:
        super().__init__(f"Content already published as version {version}", problems=problems)
        self.version = version


class VersionNotIncreasing(RegistryError):
    """A new version must sort above every published version of the same item."""

    code = Code.VERSION_ORDER


class BreakingChange(RegistryError):
    """A change set that its version bump or compatibility mode does not allow."""

    code = Code.VERSION_BREAKING


class ConcurrentUpdate(RegistryError):
    """Another writer moved ``main`` first and the retry budget ran out."""

    code = Code.STORE_BUSY


class NotFound(RegistryError):
    """No such contract, capsule, version or store."""

    code = Code.NOT_FOUND


class SignatureError(RegistryError):
    """A signature that is missing, malformed, or made by a key nobody allowed."""

    code = Code.SIGNATURE_INVALID


class RegistryKeyNotListed(RegistryError):
    """The key a writer would sign version tags with is not the registry signer ``registry.yaml``
    lists: its tags would fail every verification, so nothing is written."""

    code = Code.SIGNATURE_REGISTRY_KEY


class StoreError(RegistryError):
    """The store is not a registry store, or cannot be read or written."""

    code = Code.STORE_UNREADABLE


class LimitExceeded(RegistryError):
    """Input too large, too deep or too slow to judge within the registry's bounds.

    ``rule`` names the bound (``schema.depth``, ``regex.timeout`` …) so each door can say
    which limit was hit; the message says how to get under it.
    """

    code = Code.LIMIT_EXCEEDED

    def __init__(self, message: str, *, rule: str, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.rule = rule


def first_error(problems: Sequence[Problem]) -> Problem | None:
    """The error that decides a refusal's kind: by outcome precedence, then in order."""
    errors = [p for p in problems if p.severity == "error"]
    if not errors:
        return None
    return min(errors, key=lambda p: OUTCOME_PRECEDENCE.index(p.code.outcome))


_REFUSAL_KINDS: dict[Code, type[RegistryError]] = {
    Code.VERSION_EXISTS: VersionExists,
    Code.VERSION_IMMUTABLE: VersionExists,
    Code.VERSION_ORDER: VersionNotIncreasing,
}


def refusal(problems: Sequence[Problem]) -> RegistryError:
    """The typed error for problems that refuse a change; every problem stays attached."""
    decisive = first_error(problems)
    if decisive is None:
        return ValidationFailed(problems)
    kind = _REFUSAL_KINDS.get(decisive.code)
    if kind is None and decisive.code.outcome is Outcome.BREAKING:
        kind = BreakingChange
    if kind is None:
        return ValidationFailed(problems)
    return kind(decisive.render(), problems=problems, code=decisive.code)
