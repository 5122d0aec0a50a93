"""Who signed the commits of an update, and whether their roles allow what they touched."""

from __future__ import annotations

import pygit2
from pygit2.enums import SortMode

from registry.errors import SignatureError
from registry.model import Problem
from registry.policy import StorePolicy
from registry.signing import verify_ssh
from registry.store import Snapshot, Store


def new_commits(store: Store, old: pygit2.Oid | None, new: pygit2.Oid) -> list[pygit2.Commit]:
    """The commits reachable from ``new`` and not from ``old``, oldest first."""
    walker = store.repo.walk(new, SortMode.TOPOLOGICAL | SortMode.REVERSE)
    if old is not None:
        walker.hide(old)
    return list(walker)


def commit_signer(store: Store, commit: pygit2.Commit, policy: StorePolicy) -> str:
    """The principal whose listed key signed ``commit``; ``SignatureError`` otherwise."""
    signature, payload = commit.gpg_signature
    if signature is None:
        raise SignatureError(
            f"commit {str(commit.id)[:12]} is not signed",
            hint="sign with an Ed25519 SSH key listed in registry.yaml: "
            "git -c gpg.format=ssh -c user.signingkey=KEY.pub commit -S",
        )
    return verify_ssh(signature, payload, policy.allowed_keys())


def check_commit_signers(
    store: Store, old: pygit2.Oid | None, new: pygit2.Oid, policy: StorePolicy
) -> list[Problem]:
    """One problem per unsigned commit, unknown key, or path outside the signer's rights."""
    problems: list[Problem] = []
    for commit in new_commits(store, old, new):
        short = str(commit.id)[:12]
        try:
            principal = commit_signer(store, commit, policy)
        except SignatureError as exc:
            problems.append(Problem("signature", exc.diagnostics(), file=f"commit {short}"))
            continue
        signer = policy.signer(principal)
        parent = Snapshot(store.repo, commit.parents[0].id if commit.parents else None)
        for path in Snapshot(store.repo, commit.id).changed_paths(parent):
            if signer is None or not signer.may_write(path):
                roles = ", ".join(signer.roles) if signer else "none"
                tenants = ", ".join(signer.tenants) if signer else "none"
                problems.append(
                    Problem(
                        "permission",
                        f"signer {principal!r} (roles: {roles}; tenants: {tenants}) may not change this path "
                        f"in commit {short}; registry.yaml needs an admin, capsules an editor of the tenant",
                        file=path,
                    )
                )
    return problems
