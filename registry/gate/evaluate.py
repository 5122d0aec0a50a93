"""The gate: the one policy that decides whether ``main`` may move from one commit to another.

The pre-receive hook, ``registry publish``, the API's publish endpoints and
``registry review`` all call :func:`evaluate`. It reports every problem at once, and the
versions the change introduces, so that whoever passes the gate tags exactly those.
Its cost follows the size of the change: it reads only the directories that differ.
"""

from __future__ import annotations

import pygit2

from registry.errors import RegistryError
from registry.gate.accepted import accepted
from registry.gate.capsules import judge_capsule
from registry.gate.contracts import judge_contract
from registry.gate.layout import layout
from registry.gate.policy import POLICY_FILE, StorePolicy, parse_policy, policy_at
from registry.gate.verdict import Context, Verdict
from registry.git.store import Store
from registry.problems import Code
from registry.trust.signers import check_commit_signers
from registry.validate import load_yaml


def _policy_file(ctx: Context) -> None:
    text = ctx.new.read(POLICY_FILE)
    if text is None:
        ctx.problem(Code.POLICY_DELETED, "registry.yaml cannot be deleted; edit it instead", POLICY_FILE)
        return
    try:
        doc = load_yaml(text, limits=ctx.policy.limits, path_hint=POLICY_FILE)
    except RegistryError as exc:
        problems = getattr(exc, "problems", ())
        ctx.problems.extend(p.at(POLICY_FILE) for p in problems)
        return
    _, problems = parse_policy(doc)
    ctx.problems.extend(problems)


def evaluate(
    store: Store,
    old: pygit2.Oid | None,
    new: pygit2.Oid,
    *,
    policy: StorePolicy | None = None,
    check_signatures: bool = True,
) -> Verdict:
    """Decide whether ``main`` may move from ``old`` to ``new``.

    The policy in force is the one at ``old``: a change to ``registry.yaml`` applies
    from the next update on, and must itself be signed by an admin of the policy at
    ``old``, whatever ``require_signed_commits`` says. Every problem is collected; none
    stops the others from being found.
    """
    policy = policy or policy_at(store, old)
    old_snap, new_snap = store.snapshot(old), store.snapshot(new)
    changes, truncated = new_snap.changed_entries(old_snap, limit=policy.limits.max_files)
    units = layout(changes, limits=policy.limits, snapshot=new_snap, truncated=truncated)
    ev = Context(store, new_snap, policy, accepted(store))
    ev.problems.extend(units.problems)
    if units.policy_changed or old is None:
        _policy_file(ev)
    for name in sorted(units.contracts):
        judge_contract(ev, name)
    for tenant_id, name in sorted(units.capsules):
        judge_capsule(ev, tenant_id, name)
    if check_signatures and policy.require_signed_commits:
        ev.problems.extend(check_commit_signers(store, old, new, policy.signers))
    elif check_signatures and units.policy_changed and old is not None:
        # Whoever may push must still not rewrite who may sign: the policy file always needs an admin.
        only = frozenset({POLICY_FILE})
        ev.problems.extend(check_commit_signers(store, old, new, policy.signers, only=only))
    return ev.verdict()
