"""Who signed the commits of an update, and whether their roles allow what they touched."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pygit2
from pygit2.enums import SortMode

from registry.errors import SignatureError
from registry.git.store import Snapshot, Store
from registry.paths import area, capsule_tenant
from registry.problems import Code, Problem
from registry.trust.sshsig import PublicKey, verify_ssh


@dataclass(frozen=True)
class Signer:
    """A principal allowed to sign: its key, roles and the tenants it may write."""

    principal: str
    key: PublicKey
    roles: tuple[str, ...] = ("editor",)
    tenants: tuple[str, ...] = ("*",)

    def may_write(self, path: str) -> bool:
        """Whether this signer's roles and tenants allow changing ``path``.

        Editors write contracts and the capsules of their tenants; only admins touch
        ``registry.yaml`` and anything outside contracts/ and capsules/.
        """
        if "admin" in self.roles:
            return True
        if "editor" not in self.roles:
            return False
        if area(path) == "contract":
            return True
        owner = capsule_tenant(path)
        return owner is not None and ("*" in self.tenants or owner in self.tenants)


def new_commits(store: Store, old: pygit2.Oid | None, new: pygit2.Oid) -> list[pygit2.Commit]:
    """The commits reachable from ``new`` and not from ``old``, oldest first."""
    walker = store.repo.walk(new, SortMode.TOPOLOGICAL | SortMode.REVERSE)
    if old is not None:
        walker.hide(old)
    return list(walker)


def allowed_keys(signers: Sequence[Signer]) -> dict[bytes, str]:
    """The raw public keys of ``signers`` and whose each is."""
    return {s.key.raw: s.principal for s in signers}


def commit_signer(commit: pygit2.Commit, signers: Sequence[Signer]) -> Signer:
    """The listed signer whose key signed ``commit``; ``SignatureError`` otherwise."""
    signature, payload = commit.gpg_signature
    if signature is None:
        raise SignatureError(
            f"commit {str(commit.id)[:12]} is not signed",
            hint="sign with an Ed25519 SSH key listed in registry.yaml: "
            "git -c gpg.format=ssh -c user.signingkey=KEY.pub commit -S",
        )
    principal = verify_ssh(signature, payload, allowed_keys(signers))
    return next(s for s in signers if s.principal == principal)


def check_commit_signers(
    store: Store,
    old: pygit2.Oid | None,
    new: pygit2.Oid,
    signers: Sequence[Signer],
    *,
    only: frozenset[str] | None = None,
) -> list[Problem]:
    """One problem per unsigned commit, unknown key, or path outside the signer's rights.

    With ``only``, just the commits that change one of those paths are checked, and just
    for those paths: the store policy's own file needs an admin whatever else is required.
    """
    problems: list[Problem] = []
    for commit in new_commits(store, old, new):
        short = str(commit.id)[:12]
        parent = Snapshot(store.repo, commit.parents[0].id if commit.parents else None)
        paths = Snapshot(store.repo, commit.id).changed_paths(parent)
        if only is not None:
            paths = [p for p in paths if p in only]
            if not paths:
                continue
        try:
            signer = commit_signer(commit, signers)
        except SignatureError as exc:
            where = f"commit {short}" if only is None else f"{paths[0]} (commit {short})"
            problems.append(Problem(Code.SIGNATURE_INVALID, exc.diagnostics(), file=where))
            continue
        for path in paths:
            if not signer.may_write(path):
                problems.append(
                    Problem(
                        Code.SIGNATURE_PERMISSION,
                        f"signer {signer.principal!r} (roles: {', '.join(signer.roles)}; tenants: "
                        f"{', '.join(signer.tenants)}) may not change this path in commit {short}; "
                        "registry.yaml needs an admin, capsules an editor of the tenant",
                        file=path,
                    )
                )
    return problems
