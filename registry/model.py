"""Values that cross module lines: names, versions, limits and identities.

Everything here is a frozen value with no I/O, so the store, the gate, the linter and
the doors can hand them to each other freely.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import total_ordering
from typing import NewType

import semver

from registry.errors import InvalidName
from registry.refname import check_ref_format

ContractName = NewType("ContractName", str)
Tenant = NewType("Tenant", str)
CapsuleName = NewType("CapsuleName", str)

# Dots are allowed (`ritual.started`), path separators and `..` are not: a name is a
# directory of the store and must never climb out of it.
_CONTRACT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
_TENANT = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
# The Capsule document's own rule for metadata.name.
_CAPSULE_NAME = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9._-]*[a-zA-Z0-9]$")
_LENIENT_VERSION = re.compile(
    r"^v?(?P<major>0|[1-9]\d*)(?:\.(?P<minor>0|[1-9]\d*))?(?:\.(?P<patch>0|[1-9]\d*))?"
    r"(?P<rest>(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)$"
)


def _no_dots_only(kind: str, value: str) -> None:
    if ".." in value:
        raise InvalidName(
            f"{kind} {value!r} contains '..'",
            hint=f"a {kind} is a directory of the store; use single dots only, as in 'ritual.started'",
        )


def _ref_safe(kind: str, value: str) -> None:
    """Refuse a name or version git could not store in a tag ref (git-check-ref-format(1))."""
    reason = check_ref_format(value, allow_onelevel=True)
    if reason is not None:
        raise InvalidName(
            f"{kind} {value!r} breaks git's ref-name rules: {reason}",
            hint=f"a {kind} is part of a version tag's name, so git's ref-name rules apply "
            "(git check-ref-format): no part may end in '.lock' or start with '.', and '..', '@{', "
            "spaces, control characters and ~ ^ : ? * [ \\ are refused; rename it "
            "(e.g. 'foo.lock' -> 'foo-lock')",
        )


def contract_name(value: str) -> ContractName:
    """Check a contract name: letters, digits, '.', '_', '-', at most 128, no '/' or '..'."""
    if not isinstance(value, str) or not _CONTRACT_NAME.match(value):
        raise InvalidName(
            f"contract name {value!r} is not allowed",
            hint="use letters, digits, '.', '_' and '-', starting with a letter or digit "
            "(at most 128 characters, no '/')",
        )
    _no_dots_only("contract name", value)
    _ref_safe("contract name", value)
    return ContractName(value)


def tenant(value: str) -> Tenant:
    """Check a tenant id: lower-case letters, digits, '_' and '-', at most 63."""
    if not isinstance(value, str) or not _TENANT.match(value):
        raise InvalidName(
            f"tenant {value!r} is not allowed",
            hint="use lower-case letters, digits, '_' and '-', starting with a letter or digit "
            "(at most 63 characters)",
        )
    _ref_safe("tenant", value)
    return Tenant(value)


def capsule_name(value: str) -> CapsuleName:
    """Check a capsule name with the Capsule document's rule for ``metadata.name``."""
    if not isinstance(value, str) or len(value) > 255 or not _CAPSULE_NAME.match(value):
        raise InvalidName(
            f"capsule name {value!r} is not allowed",
            hint="use letters, digits, '.', '_' and '-', starting and ending with a letter or digit "
            "(2 to 255 characters)",
        )
    _no_dots_only("capsule name", value)
    _ref_safe("capsule name", value)
    return CapsuleName(value)


def _precedence(v: semver.Version) -> tuple[int, int, int, int, tuple[tuple[int, int | str], ...]]:
    """A sort key with SemVer 2.0.0 section 11's order: a pre-release sorts before its release,
    numeric identifiers numerically and below alphanumeric ones, shorter lists first."""
    if not v.prerelease:
        return (int(v.major), int(v.minor), int(v.patch), 1, ())
    parts = tuple((0, int(p)) if p.isdigit() else (1, p) for p in str(v.prerelease).split("."))
    return (int(v.major), int(v.minor), int(v.patch), 0, parts)


@total_ordering
@dataclass(frozen=True)
class ContractVersion:
    """A contract version as written, ordered as SemVer 2.0.0.

    The old registry's versions such as ``v1`` or ``2.1`` keep working: a leading
    ``v`` and missing minor or patch parts are read as zeros for ordering and policy,
    while ``text`` keeps the string exactly as written (it names the tag).
    """

    text: str
    semver: semver.Version = field(compare=False, repr=False)
    # Build metadata does not take part in precedence (SemVer 2.0.0 section 10); kept
    # ready-made because the gate sorts versions often.
    precedence: tuple[int, int, int, int, tuple[tuple[int, int | str], ...]] = field(
        compare=False, repr=False, default=(0, 0, 0, 1, ())
    )

    @classmethod
    def parse(cls, text: str) -> ContractVersion:
        m = _LENIENT_VERSION.match(text) if isinstance(text, str) else None
        if not m:
            raise InvalidName(
                f"version {text!r} is not a SemVer version",
                hint="write MAJOR.MINOR.PATCH, for example 1.0.0 (a leading 'v' and missing parts "
                "are accepted as zeros)",
            )
        _ref_safe("version", text)
        norm = f"{m['major']}.{m['minor'] or 0}.{m['patch'] or 0}{m['rest']}"
        try:
            parsed = semver.Version.parse(norm)
        except ValueError as exc:
            raise InvalidName(f"version {text!r} is not a SemVer version: {exc}") from None
        return cls(text, parsed, _precedence(parsed))

    @property
    def major(self) -> int:
        return int(self.semver.major)

    @property
    def minor(self) -> int:
        return int(self.semver.minor)

    @property
    def patch(self) -> int:
        return int(self.semver.patch)

    def _key(self) -> tuple[int, int, int, int, tuple[tuple[int, int | str], ...]]:
        return self.precedence

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ContractVersion):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __lt__(self, other: ContractVersion) -> bool:
        return self._key() < other._key()

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Limits:
    """Size limits from ``registry.yaml``; every document is checked against them before parsing."""

    max_file_bytes: int = 1_048_576
    max_schema_bytes: int = 524_288
    max_yaml_aliases: int = 50
    max_yaml_depth: int = 64
    max_yaml_nodes: int = 100_000
    max_files: int = 10_000


@dataclass(frozen=True)
class Identity:
    """Who a commit or tag says wrote it (``git.store.git_signature`` writes it as git does)."""

    name: str = "registry"
    email: str = "registry@localhost"
