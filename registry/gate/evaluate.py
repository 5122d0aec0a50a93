"""The gate: the one policy that decides whether ``main`` may move from one commit to another.

The pre-receive hook, ``registry publish``, the API's publish endpoints and
``registry review`` all call :func:`evaluate`. It reports every problem at once, and the
versions the change introduces, so that whoever passes the gate tags exactly those.
Its cost follows the size of the change: it reads only the directories that differ.
"""

from __future__ import annotations

import json

import pygit2

from registry.errors import RegistryError
from registry.gate.accepted import accepted
from registry.gate.capsules import judge_capsule
from registry.gate.contracts import judge_contract
from registry.gate.layout import layout
from registry.gate.policy import POLICY_FILE, StorePolicy, parse_policy, policy_at
from registry.gate.verdict import Context, Verdict
from registry.git.store import Snapshot, Store
from registry.paths import CONTRACTS, SCHEMA, contract_file
from registry.problems import Code, Problem
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
    policy, problems = parse_policy(doc)
    ctx.problems.extend(problems)
    if policy is not None and policy.default_dialect != ctx.policy.default_dialect:
        ctx.problems.extend(_dialect_change(ctx, policy.default_dialect))


#: How many of the schemas a dialect change would reread a refusal names.
_NAMED = 5


def _dialect_change(ctx: Context, dialect: str) -> list[Problem]:
    """A change of ``default_dialect`` while schemas without ``$schema`` are published is refused.

    Every door reads such a schema in the store's default dialect, so changing it would
    change what published versions mean (a keyword beside ``$ref`` ignored or applied, an
    ``items`` array a tuple or invalid); a published version's meaning never changes.
    """
    unnamed: list[str] = []
    for name in sorted(ctx.new.subdirs(CONTRACTS)):
        where = contract_file(name, SCHEMA)
        published = [
            (p.version, ctx.store.snapshot(p.commit).read(where)) for p in ctx.accepted.contract(name)
        ]
        proposed = ctx.new.read(where)
        if proposed not in {text for _, text in published}:
            published.append(("as proposed", proposed))
        for version, text in published:
            if _names_no_dialect(text):
                unnamed.append(f"{name} {version}")
    if not unnamed:
        return []
    shown = ", ".join(unnamed[:_NAMED]) + (
        f" and {len(unnamed) - _NAMED} more" if len(unnamed) > _NAMED else ""
    )
    return [
        Problem(
            Code.POLICY_VALUE,
            f"default_dialect: changing it from {ctx.policy.default_dialect} to {dialect} would change how "
            f"{len(unnamed)} published schema(s) without $schema are read ({shown}), and a published "
            "version's meaning never changes; keep default_dialect, and name another dialect in a "
            "schema's own $schema",
            "$.default_dialect",
            file=POLICY_FILE,
            keyword="default_dialect",
        )
    ]


def _names_no_dialect(text: bytes | None) -> bool:
    try:
        schema = json.loads(text) if text is not None else None
    except (ValueError, RecursionError):
        return False  # not a schema: reported as such on its own
    return isinstance(schema, dict) and "$schema" not in schema


def _founding(new: Snapshot) -> StorePolicy:
    """The policy a store's first commit is judged by: the defaults, with the ``default_dialect``
    its own ``registry.yaml`` names (its schemas are written in it, and every later update
    reads them in it); a registry.yaml that cannot be read is reported by ``_policy_file``."""
    text = new.read(POLICY_FILE)
    try:
        doc = (
            load_yaml(text, limits=StorePolicy().limits, path_hint=POLICY_FILE) if text is not None else None
        )
    except RegistryError:
        return StorePolicy()
    founded, _ = parse_policy(doc)
    return StorePolicy(default_dialect=founded.default_dialect) if founded is not None else StorePolicy()


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
    ``old``, whatever ``require_signed_commits`` says. The first commit of a store is
    judged by the defaults, read in the dialect its own ``registry.yaml`` names. Every
    problem is collected; none stops the others from being found.
    """
    old_snap, new_snap = store.snapshot(old), store.snapshot(new)
    policy = policy or (policy_at(store, old) if old is not None else _founding(new_snap))
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
