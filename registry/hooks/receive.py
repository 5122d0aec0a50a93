"""The git hooks' door: read ref updates, ask the gate, answer in ``remote:`` lines.

``pre-receive`` decides a push as one: any refused update refuses the whole push, and
every problem of every update is reported at once. ``post-receive`` tags the versions an
accepted push to ``main`` introduced. Both run inside the bare store.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TextIO

import pygit2

from registry.errors import RegistryError, RegistryKeyNotListed
from registry.gate.evaluate import evaluate
from registry.gate.policy import POLICY_FILE, policy_at
from registry.gate.verdict import Verdict
from registry.git.refs import MAIN
from registry.git.store import Store
from registry.hooks.ref_policy import BRANCHES, branch_blockers, earlier_commits, ref_problem
from registry.model import Limits
from registry.problems import Code, Problem
from registry.settings import Settings
from registry.text import diagnostic_lines, printable
from registry.trust.registry_key import registry_key
from registry.write.landing import OnLanded, land_pending
from registry.write.registry_key import check_registry_key

ZERO = "0" * 40
DRY_RUN = "registry.dry-run"


@dataclass(frozen=True)
class RefUpdate:
    old: str
    new: str
    ref: str

    @property
    def created(self) -> bool:
        return self.old == ZERO

    @property
    def deleted(self) -> bool:
        return self.new == ZERO


def parse_updates(lines: Iterable[str]) -> list[RefUpdate]:
    updates = []
    for line in lines:
        parts = line.split()
        if len(parts) == 3:
            updates.append(RefUpdate(*parts))
    return updates


def push_options(env: Mapping[str, str]) -> list[str]:
    count = int(env.get("GIT_PUSH_OPTION_COUNT", "0") or 0)
    return [env.get(f"GIT_PUSH_OPTION_{i}", "") for i in range(count)]


@dataclass(frozen=True)
class Proposal:
    """A proposal branch's verdict, and the problems that refuse the branch itself."""

    verdict: Verdict
    blockers: tuple[Problem, ...]


@dataclass
class PushDecision:
    problems: list[Problem]
    verdicts: dict[str, Verdict]
    proposals: dict[str, Proposal]

    @property
    def refused(self) -> bool:
        return any(p.severity == "error" for p in self.problems) or any(
            p.blockers for p in self.proposals.values()
        )


def decide(store: Store, updates: list[RefUpdate]) -> PushDecision:
    """Judge every update of a push by the rule of ``registry.hooks.ref_policy``.

    ``main`` goes through the gate; proposal branches are judged against their merge-base
    with ``main`` and refused only for what no branch may hold; every other ref is refused.
    """
    decision = PushDecision([], {}, {})
    main = store.head()
    limits = policy_at(store, main).limits
    known = [pygit2.Oid(hex=oid) for oid in store.refs_under(BRANCHES).values()]
    for u in updates:
        problem = ref_problem(u.ref, created=u.created, deleted=u.deleted)
        if problem is not None:
            decision.problems.append(problem)
        elif u.ref == MAIN:
            old = None if u.created else pygit2.Oid(hex=u.old)
            new = pygit2.Oid(hex=u.new)
            if old is not None and old != new and not store.repo.descendant_of(new, old):
                decision.problems.append(
                    Problem(
                        Code.REF_NON_FAST_FORWARD,
                        "main only moves forward: fetch, rebase your change on origin/main, and push again",
                        file=u.ref,
                    )
                )
                continue
            verdict = evaluate(store, old, new)
            decision.verdicts[u.ref] = verdict
            decision.problems.extend(verdict.problems)
            if verdict.versions and not verdict.errors:
                decision.problems.extend(_unlisted_key(store, new))
            decision.problems.extend(_earlier(store, new, verdict, known=known, limits=limits))
        elif not u.deleted:  # a proposal branch; deleting one is the author's call
            new = pygit2.Oid(hex=u.new)
            base = (store.repo.merge_base(main, new) or main) if main is not None else None
            verdict = evaluate(store, base, new, check_signatures=False)
            earlier = _earlier(store, new, verdict, known=known, limits=limits)
            decision.proposals[u.ref] = Proposal(verdict, branch_blockers(verdict) + earlier)
    return decision


def _unlisted_key(store: Store, new: pygit2.Oid) -> list[Problem]:
    """Refuse versions the store's key would tag with a signature every verify then fails.

    ``post-receive`` signs the tags after the push is accepted; a key the pushed
    ``registry.yaml`` does not list as the registry's signer must stop the push here,
    not leave versions untagged. A store with no key configured is ``post-receive``'s to
    report, as before.
    """
    try:
        key = registry_key(store, None)
    except (RegistryError, OSError, ValueError):
        return []
    try:
        check_registry_key(store, key, at=new)
    except RegistryKeyNotListed as exc:
        return [Problem(exc.code, f"{exc.message}; to fix: {exc.hint}", file=POLICY_FILE)]
    return []


def _earlier(
    store: Store, new: pygit2.Oid, verdict: Verdict, *, known: list[pygit2.Oid], limits: Limits
) -> tuple[Problem, ...]:
    """The earlier commits' problems that the verdict on the whole update does not already name."""
    named = {(p.code, p.file) for p in verdict.problems}
    found = earlier_commits(store, new, known=known, limits=limits)
    return tuple(p for p in found if (p.code, p.file) not in named)


def _say(lines: Iterable[str], out: TextIO) -> None:
    """Print ``remote:`` lines; each is made printable, so pushed names cannot forge lines."""
    for line in lines:
        print(printable(line), file=out)


def _mark(p: Problem) -> str:
    return f"  {'✗' if p.severity == 'error' else '!'} {p.render()}"


def _report(verdict: Verdict) -> list[str]:
    lines = [_mark(p) for p in verdict.problems]
    lines += [f"  + {v.tag_name} (new version)" for v in verdict.versions]
    return lines


def _proposal(ref: str, proposal: Proposal, fate: str) -> list[str]:
    """What happened to a proposal branch, in words that match it: ``fate`` is the push's."""
    name = ref.removeprefix(BRANCHES)
    verdict = proposal.verdict
    if proposal.blockers:
        rest = [p for p in verdict.problems if p not in proposal.blockers]
        lines = [
            f"registry: proposal {name} refused: every branch keeps the store's layout, names, "
            "file modes and limits",
            *(_mark(p) for p in proposal.blockers),
        ]
        return lines + (["  on main it would also be refused for:", *map(_mark, rest)] if rest else [])
    landed = {
        "refused": "not pushed: the push is refused",
        "dry-run": "would be accepted as a proposal (dry run)",
        "landed": "accepted as a proposal",
    }[fate]
    on_main = "on main it would be refused:" if verdict.errors else "on main it would be accepted"
    return [f"registry: proposal {name} {landed}; {on_main}", *_report(verdict)]


def pre_receive(
    stdin: TextIO,
    *,
    store: Store | None = None,
    env: Mapping[str, str] | None = None,
    out: TextIO | None = None,
    on_decision: Callable[[PushDecision], None] | None = None,
) -> int:
    """Judge a push; 0 accepts it, 1 refuses it. ``store`` must see the quarantined objects.

    ``on_decision`` hears the gate's decision (the resident gate's metrics count it).
    """
    out = out or sys.stderr
    environ = env if env is not None else {}
    try:
        store = store or Store.open_from_env(environ.get("GIT_DIR", "."))
        decision = decide(store, parse_updates(stdin))
        if on_decision is not None:
            on_decision(decision)
    except RegistryError as exc:
        first, *rest = diagnostic_lines(exc)
        _say(["registry: push refused", f"  ✗ {first}", *(f"  {line}" for line in rest)], out)
        return 1
    except Exception as exc:  # a hook must refuse safely, never leave a traceback
        _say(
            [
                "registry: push refused: the gate failed",
                f"  {type(exc).__name__}: {exc}",
                "  nothing was changed; tell the store's operators",
            ],
            out,
        )
        return 1
    dry_run = DRY_RUN in push_options(environ)
    fate = "refused" if decision.refused else "dry-run" if dry_run else "landed"
    for ref, proposal in decision.proposals.items():
        _say(_proposal(ref, proposal, fate), out)
    if decision.refused:
        count = sum(p.severity == "error" for p in decision.problems)
        count += sum(len(p.blockers) for p in decision.proposals.values())
        _say([f"registry: push refused ({count} problem{'s' if count != 1 else ''}):"], out)
        _say([_mark(p) for p in decision.problems], out)
        _say(["  nothing was changed; fix the problems above and push again"], out)
        return 1
    for verdict in decision.verdicts.values():
        if verdict.problems or verdict.versions:
            head = "registry: main would accept this push (dry run)" if dry_run else "registry: accepted"
            _say([head, *_report(verdict)], out)
    if dry_run:
        _say(["registry: dry run: the gate accepts this push; nothing was changed"], out)
        return 1
    return 0


def post_receive(
    stdin: TextIO,
    *,
    store: Store | None = None,
    env: Mapping[str, str] | None = None,
    out: TextIO | None = None,
    on_landed: OnLanded | None = None,
) -> int:
    """Tag what an accepted push to main introduced; loud, never silent, when it cannot."""
    out = out or sys.stderr
    try:
        store = store or Store.open((env or {}).get("GIT_DIR", "."))
        updates = [u for u in parse_updates(stdin) if u.ref == MAIN and not u.deleted]
        if not updates:
            return 0
        settings = Settings.from_env(env={})
        key = registry_key(store, settings.signing_key)
        for u in updates:
            new = pygit2.Oid(hex=u.new)
            landing = land_pending(
                store,
                upto=new,
                known=[(None if u.created else pygit2.Oid(hex=u.old), new)],
                key=key,
                tagger=settings.identity,
                door="push",
                on_landed=on_landed,
            )
            _say([f"registry: tagged {v.version.tag_name}" for v in landing.versions], out)
    except Exception as exc:  # loud, and repairable: the push itself is already accepted
        message = (
            "; ".join(line.strip() for line in diagnostic_lines(exc))
            if isinstance(exc, RegistryError)
            else f"{type(exc).__name__}: {exc}"
        )
        _say(
            [
                f"registry: ERROR: versions of this push were not tagged: {message}",
                "registry: run 'registry tag-missing STORE' on the server to repair",
            ],
            out,
        )
        return 1
    return 0
