"""The store policy: ``registry.yaml`` at the root of ``main``.

It holds the default compatibility mode and lint policy, the semver switch, size
limits, whether pushed commits must be signed, and the signers with their roles and
tenants. Changing it needs an admin signer (the gate checks that).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pygit2
import yaml

from registry.errors import InvalidInput, ValidationFailed
from registry.git.store import Store
from registry.lint.modes import Mode, Policy
from registry.model import Limits
from registry.problems import Code, Problem
from registry.trust.signers import Signer, allowed_keys
from registry.trust.sshsig import PublicKey
from registry.validate.yamlsafe import load_yaml

POLICY_FILE = "registry.yaml"
MODES = tuple(m.value for m in Mode)
ROLES = ("viewer", "editor", "admin")
_KEYS = {
    "version",
    "default_compatibility",
    "default_policy",
    "semver_policy",
    "require_signed_commits",
    "limits",
    "signers",
}


@dataclass(frozen=True)
class StorePolicy:
    default_compatibility: str = "BACKWARD"
    default_policy: str = "lenient"
    semver_policy: bool = True
    require_signed_commits: bool = False
    limits: Limits = field(default_factory=Limits)
    signers: tuple[Signer, ...] = ()

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

    def to_yaml(self) -> str:
        doc: dict[str, Any] = {
            "version": 1,
            "default_compatibility": self.default_compatibility,
            "default_policy": self.default_policy,
            "semver_policy": self.semver_policy,
            "require_signed_commits": self.require_signed_commits,
            "limits": {
                "max_file_bytes": self.limits.max_file_bytes,
                "max_schema_bytes": self.limits.max_schema_bytes,
                "max_yaml_aliases": self.limits.max_yaml_aliases,
                "max_yaml_depth": self.limits.max_yaml_depth,
            },
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
        return StorePolicy(
            self.default_compatibility,
            self.default_policy,
            self.semver_policy,
            self.require_signed_commits,
            self.limits,
            (*others, signer),
        )


def _problem(code: Code, message: str, path: str) -> Problem:
    return Problem(code, message, path, file=POLICY_FILE)


def parse_policy(doc: Any) -> tuple[StorePolicy | None, list[Problem]]:
    """Read a parsed ``registry.yaml``; every problem is reported, not just the first."""
    problems: list[Problem] = []
    if doc is None:
        return StorePolicy(), []
    if not isinstance(doc, Mapping):
        return None, [_problem(Code.POLICY_TYPE, "registry.yaml must be a mapping", "$")]
    for key in sorted(set(doc) - _KEYS):
        problems.append(
            _problem(
                Code.POLICY_UNKNOWN_KEY,
                f"unknown key {key!r}; allowed: {', '.join(sorted(_KEYS))}",
                f"$.{key}",
            )
        )
    mode = str(doc.get("default_compatibility", "BACKWARD")).upper()
    if mode not in MODES:
        problems.append(
            _problem(
                Code.POLICY_VALUE,
                f"default_compatibility {mode!r} is not one of {', '.join(MODES)}",
                "$.default_compatibility",
            )
        )
    lint_policy = str(doc.get("default_policy", "lenient")).lower()
    if lint_policy not in ("lenient", "strict"):
        problems.append(
            _problem(Code.POLICY_VALUE, "default_policy must be 'lenient' or 'strict'", "$.default_policy")
        )
    flags = {}
    for key, default in (("semver_policy", True), ("require_signed_commits", False)):
        value = doc.get(key, default)
        if not isinstance(value, bool):
            problems.append(_problem(Code.POLICY_TYPE, f"{key} must be true or false", f"$.{key}"))
            value = default
        flags[key] = value
    limits = Limits()
    raw_limits = doc.get("limits") or {}
    if not isinstance(raw_limits, Mapping):
        problems.append(_problem(Code.POLICY_TYPE, "limits must be a mapping", "$.limits"))
        raw_limits = {}
    values = {}
    for key, value in raw_limits.items():
        if key not in Limits.__dataclass_fields__:
            allowed = ", ".join(Limits.__dataclass_fields__)
            problems.append(
                _problem(
                    Code.POLICY_UNKNOWN_KEY, f"unknown limit {key!r}; allowed: {allowed}", f"$.limits.{key}"
                )
            )
        elif not isinstance(value, int) or isinstance(value, bool) or value < 1:
            problems.append(
                _problem(Code.POLICY_TYPE, f"limit {key} must be a positive whole number", f"$.limits.{key}")
            )
        else:
            values[key] = value
    limits = Limits(**values)
    signers: list[Signer] = []
    raw_signers = doc.get("signers") or []
    if not isinstance(raw_signers, list):
        problems.append(_problem(Code.POLICY_TYPE, "signers must be a list", "$.signers"))
        raw_signers = []
    for i, entry in enumerate(raw_signers):
        where = f"$.signers[{i}]"
        if not isinstance(entry, Mapping) or not entry.get("principal") or not entry.get("key"):
            problems.append(_problem(Code.POLICY_SIGNER, "a signer needs 'principal' and 'key'", where))
            continue
        try:
            key = PublicKey.parse(str(entry["key"]))
        except InvalidInput as exc:
            problems.append(_problem(Code.POLICY_SIGNER, exc.message, f"{where}.key"))
            continue
        roles = tuple(entry.get("roles") or ("editor",))
        bad = [r for r in roles if r not in ROLES]
        if bad:
            problems.append(
                _problem(
                    Code.POLICY_VALUE, f"unknown role {bad[0]!r}; use {', '.join(ROLES)}", f"{where}.roles"
                )
            )
        tenants = tuple(str(t) for t in (entry.get("tenants") or ("*",)))
        signers.append(Signer(str(entry["principal"]), key, roles, tenants))
    if problems:
        return None, problems
    policy = StorePolicy(
        mode, lint_policy, flags["semver_policy"], flags["require_signed_commits"], limits, tuple(signers)
    )
    return policy, []


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
