"""The store policy: ``registry.yaml`` at the root of ``main``.

It holds the default compatibility mode and lint policy, the semver switch, the dialect
a schema without ``$schema`` is read in, size limits, whether pushed commits must be
signed, and the signers with their roles and tenants. Changing it needs an admin signer
(the gate checks that).
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass, field
from typing import Any

import pygit2
import yaml

from registry.errors import InvalidInput, InvalidName, ValidationFailed
from registry.git.store import Store
from registry.lint.modes import Mode, Policy
from registry.model import Limits
from registry.model import tenant as check_tenant
from registry.problems import Code, Problem
from registry.trust.signers import Signer, allowed_keys
from registry.trust.sshsig import PublicKey
from registry.validate.contract import COMPATIBILITY_MODES, POLICIES
from registry.validate.dialects import DEFAULT_DIALECT, DIALECTS, in_dialect
from registry.validate.fields import (
    FLAG,
    Codes,
    ListOf,
    Rule,
    Table,
    check_table,
    one_line,
    one_of,
    whole_number,
)
from registry.validate.yamlsafe import MAX_JSON_DEPTH, load_yaml

POLICY_FILE = "registry.yaml"
ROLES = ("viewer", "editor", "admin")


@dataclass(frozen=True)
class StorePolicy:
    default_compatibility: str = "BACKWARD"
    default_policy: str = "lenient"
    semver_policy: bool = True
    require_signed_commits: bool = False
    limits: Limits = field(default_factory=Limits)
    signers: tuple[Signer, ...] = ()
    #: The dialect a schema without ``$schema`` is read in (``registry.validate.dialects``).
    default_dialect: str = DEFAULT_DIALECT

    def allowed_keys(self) -> dict[bytes, str]:
        return allowed_keys(self.signers)

    def signer(self, principal: str) -> Signer | None:
        return next((s for s in self.signers if s.principal == principal), None)

    def lint_settings(self, compatibility: str | None, policy: str | None) -> tuple[Mode, Policy]:
        """A contract's compatibility mode and lint policy: its own ``contract.yaml`` settings,
        else the store's defaults."""
        return (
            Mode.parse(compatibility or self.default_compatibility),
            Policy.parse(policy or self.default_policy),
        )

    def in_dialect(self, schema: Any) -> Any:
        """A stored or proposed schema as every door of this store reads it: in its own
        ``$schema``'s dialect, else in ``default_dialect``. The stored bytes never change."""
        return in_dialect(schema, self.default_dialect)

    def to_yaml(self) -> str:
        doc: dict[str, Any] = {
            "version": 1,
            "default_compatibility": self.default_compatibility,
            "default_policy": self.default_policy,
            "default_dialect": self.default_dialect,
            "semver_policy": self.semver_policy,
            "require_signed_commits": self.require_signed_commits,
            "limits": dataclasses.asdict(self.limits),
            "signers": [
                {
                    "principal": s.principal,
                    "key": s.key.openssh(),
                    "roles": list(s.roles),
                    "tenants": list(s.tenants),
                }
                for s in self.signers
            ],
        }
        return yaml.safe_dump(doc, sort_keys=False)

    def with_signer(self, signer: Signer) -> StorePolicy:
        others = tuple(s for s in self.signers if s.principal != signer.principal)
        return dataclasses.replace(self, signers=(*others, signer))


#: The highest value registry.yaml may give each limit: past these, reading one document
#: could take the gate's memory or stack, whatever the store's owners intend.
LIMIT_CEILINGS = {
    "max_file_bytes": 64 << 20,
    "max_schema_bytes": 64 << 20,
    "max_yaml_aliases": 10_000,
    "max_yaml_depth": MAX_JSON_DEPTH,
    "max_yaml_nodes": 10_000_000,
    "max_files": 1_000_000,
}
# A principal names a line of git's allowed-signers file, where whitespace, ',' and quotes
# separate fields and '*', '?' and '!' are patterns.
_PRINCIPAL_BAD = frozenset(',"*?!')


def _principal(value: str) -> str | None:
    if not value or len(value) > 256:
        return f"must be 1 to 256 characters, got {value!r}"
    if any(ch.isspace() or not ch.isprintable() or ch in _PRINCIPAL_BAD for ch in value):
        return f'{value!r} holds whitespace or one of , " * ? !; use a name such as ada@example.org'
    return None


def _ssh_key(value: str) -> str | None:
    try:
        PublicKey.parse(value)
    except InvalidInput as exc:
        return one_line(exc)
    return None


def _dialect(value: str) -> str | None:
    """A dialect name from ``DIALECTS``; the message says what the field means and the choices."""
    if (message := one_of(tuple(DIALECTS))(value)) is None:
        return None
    return f"{message}; it names the dialect a schema without $schema is read in (default {DEFAULT_DIALECT})"


def _tenant(value: str) -> str | None:
    if value == "*":
        return None
    try:
        check_tenant(value)
    except InvalidName as exc:
        return one_line(exc)
    return None


SIGNER_FIELDS = Table(
    {
        "principal": Rule(str, "a string", _principal),
        "key": Rule(str, "an 'ssh-ed25519 AAAA…' public key line", _ssh_key),
        "roles": ListOf(Rule(str, "a role name", one_of(ROLES)), min_items=1, expected="a list of roles"),
        "tenants": ListOf(
            Rule(str, "a tenant id", _tenant), min_items=1, expected="a list of tenants ('*' for all)"
        ),
    },
    required=("principal", "key"),
    what="a mapping with principal, key, roles and tenants",
    codes=Codes(Code.POLICY_TYPE, Code.POLICY_SIGNER, Code.POLICY_UNKNOWN_KEY, Code.POLICY_SIGNER),
)
POLICY_FIELDS = Table(
    {
        "version": Rule(int, "the number 1", whole_number(least=1, most=1)),
        "default_compatibility": Rule(str, "a string", one_of(COMPATIBILITY_MODES)),
        "default_policy": Rule(str, "a string", one_of(POLICIES)),
        "default_dialect": Rule(str, "a dialect name such as draft-07", _dialect),
        "semver_policy": FLAG,
        "require_signed_commits": FLAG,
        "limits": Table(
            {
                name: Rule(int, "a whole number", whole_number(least=1, most=LIMIT_CEILINGS.get(name, 2**31)))
                for name in Limits.__dataclass_fields__
            },
            what="a mapping of limits",
        ),
        "signers": ListOf(SIGNER_FIELDS, expected="a list of signers"),
    },
    what="a mapping of settings, such as 'default_compatibility: BACKWARD'",
)
_CODES = Codes(Code.POLICY_TYPE, Code.POLICY_VALUE, Code.POLICY_UNKNOWN_KEY, Code.POLICY_VALUE)


def _problem(code: Code, message: str, path: str) -> Problem:
    return Problem(code, message, path, file=POLICY_FILE)


def _duplicates(signers: list[dict[str, Any]]) -> list[Problem]:
    """Each principal and each key names one signer: a second entry would be read ambiguously."""
    problems: list[Problem] = []
    seen: dict[tuple[str, Any], int] = {}
    for i, entry in enumerate(signers):
        key = PublicKey.parse(entry["key"]).raw
        for field_name, value in (("principal", entry["principal"]), ("key", key)):
            first = seen.setdefault((field_name, value), i)
            if first != i:
                problems.append(
                    _problem(
                        Code.POLICY_SIGNER,
                        f"signers[{i}] repeats the {field_name} of signers[{first}]; list each signer "
                        "once, with all its roles and tenants",
                        f"$.signers[{i}].{field_name}",
                    )
                )
    return problems


def parse_policy(doc: Any) -> tuple[StorePolicy | None, list[Problem]]:
    """Read a parsed ``registry.yaml`` with ``POLICY_FIELDS``; every problem is reported.

    The same table style as ``contract.yaml`` (``registry.validate.fields``): a wrong type is
    refused, never read as something else (``tenants: acme`` is not four tenants), choices
    are case-sensitive, and each problem names its field's path (``$.signers[0].roles``).
    """
    if doc is None:
        return StorePolicy(), []
    problems = [p.at(POLICY_FILE) for p in check_table(doc, POLICY_FIELDS, _CODES)]
    if problems:
        return None, problems
    raw_signers = doc.get("signers") or []
    problems = _duplicates(raw_signers)
    if problems:
        return None, problems
    signers = tuple(
        Signer(
            entry["principal"],
            PublicKey.parse(entry["key"]),
            tuple(entry.get("roles") or ("editor",)),
            tuple(entry.get("tenants") or ("*",)),
        )
        for entry in raw_signers
    )
    defaults = StorePolicy()
    policy = StorePolicy(
        default_compatibility=doc.get("default_compatibility") or defaults.default_compatibility,
        default_policy=doc.get("default_policy") or defaults.default_policy,
        semver_policy=_flag(doc, "semver_policy", defaults.semver_policy),
        require_signed_commits=_flag(doc, "require_signed_commits", defaults.require_signed_commits),
        limits=Limits(**(doc.get("limits") or {})),
        signers=signers,
        default_dialect=doc.get("default_dialect") or defaults.default_dialect,
    )
    return policy, []


def _flag(doc: dict[str, Any], name: str, default: bool) -> bool:
    value = doc.get(name)
    return default if value is None else bool(value)


@functools.lru_cache(maxsize=16)
def load_policy(text: bytes | None) -> StorePolicy:
    """The policy a store's ``registry.yaml`` says, or the defaults when there is none.

    Every gate run reads the policy; it is the same few bytes from push to push.
    """
    if text is None:
        return StorePolicy()
    policy, problems = parse_policy(load_yaml(text, limits=Limits(), path_hint=POLICY_FILE))
    if policy is None:
        raise ValidationFailed(problems)
    return policy


def policy_at(store: Store, commit: pygit2.Oid | None) -> StorePolicy:
    """The store policy in force at a commit (defaults for an empty store)."""
    if commit is None:
        return StorePolicy()
    return load_policy(store.snapshot(commit).read(POLICY_FILE))
