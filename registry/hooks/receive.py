"""The git hooks' door: read ref updates, ask the gate, answer in ``remote:`` lines.

``pre-receive`` decides a push as one: any refused update refuses the whole push, and
every problem of every update is reported at once. ``post-receive`` tags the versions an
accepted push to ``main`` introduced. Both run inside the bare store.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TextIO

import pygit2

from registry.errors import RegistryError
from registry.gate.evaluate import evaluate
from registry.gate.verdict import Verdict
from registry.git.refs import CAPSULE_TAGS, CONTRACT_TAGS, MAIN
from registry.git.store import Store
from registry.problems import Code, Problem
from registry.settings import Settings
from registry.write.landing import OnLanded, land_pending

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


@dataclass
class PushDecision:
    problems: list[Problem]
    verdicts: dict[str, Verdict]
    proposals: dict[str, Verdict]

    @property
    def refused(self) -> bool:
        return any(p.severity == "error" for p in self.problems)


def decide(store: Store, updates: list[RefUpdate]) -> PushDecision:
    """Judge every update of a push; the gate for ``main``, immutability for version tags."""
    decision = PushDecision([], {}, {})
    main = store.head()
    for u in updates:
        if u.ref.startswith((CONTRACT_TAGS, CAPSULE_TAGS)):
            what = "deleted" if u.deleted else "moved" if not u.created else "created by a push"
            decision.problems.append(
                Problem(
                    Code.REF_IMMUTABLE,
                    f"version tags are never {what}: the registry creates them when a version "
                    "lands on main; push the change to main instead",
                    file=u.ref,
                )
            )
        elif u.ref == MAIN:
            if u.deleted:
                decision.problems.append(Problem(Code.REF_IMMUTABLE, "main cannot be deleted", file=u.ref))
                continue
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
        elif u.ref.startswith("refs/heads/") and not u.deleted and main is not None:
            new = pygit2.Oid(hex=u.new)
            base = store.repo.merge_base(main, new) or main
            # A proposal is judged against main but never refused: authors see the verdict early.
            decision.proposals[u.ref] = evaluate(store, base, new, check_signatures=False)
    return decision


def _say(lines: Iterable[str], out: TextIO) -> None:
    for line in lines:
        print(line, file=out)


def _report(verdict: Verdict) -> list[str]:
    lines = [f"  {'✗' if p.severity == 'error' else '!'} {p.render()}" for p in verdict.problems]
    lines += [f"  + {v.tag_name} (new version)" for v in verdict.versions]
    return lines


def pre_receive(
    stdin: TextIO,
    *,
    store: Store | None = None,
    env: Mapping[str, str] | None = None,
    out: TextIO | None = None,
) -> int:
    """Judge a push; 0 accepts it, 1 refuses it. ``store`` must see the quarantined objects."""
    out = out or sys.stderr
    environ = env if env is not None else os.environ
    try:
        store = store or Store.open_from_env()
        decision = decide(store, parse_updates(stdin))
    except RegistryError as exc:
        _say(["registry: push refused", f"  ✗ {exc.diagnostics()}"], out)
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
    for ref, verdict in decision.proposals.items():
        state = "would be accepted" if verdict.accepted else "would be refused on main"
        _say([f"registry: proposal {ref.removeprefix('refs/heads/')} {state}", *_report(verdict)], out)
    if decision.refused:
        errors = [p for p in decision.problems if p.severity == "error"]
        _say([f"registry: push refused ({len(errors)} problem{'s' if len(errors) != 1 else ''}):"], out)
        _say([f"  ✗ {p.render()}" for p in decision.problems], out)
        _say(["  nothing was changed; fix the problems above and push again"], out)
        return 1
    for verdict in decision.verdicts.values():
        if verdict.problems or verdict.versions:
            _say(["registry: accepted", *_report(verdict)], out)
    if DRY_RUN in push_options(environ):
        _say(["registry: dry run: the gate accepts this push; nothing was changed"], out)
        return 1
    return 0


def post_receive(
    stdin: TextIO,
    *,
    store: Store | None = None,
    out: TextIO | None = None,
    on_landed: OnLanded | None = None,
) -> int:
    """Tag what an accepted push to main introduced; loud, never silent, when it cannot."""
    out = out or sys.stderr
    try:
        store = store or Store.open(os.environ.get("GIT_DIR", "."))
        updates = [u for u in parse_updates(stdin) if u.ref == MAIN and not u.deleted]
        if not updates:
            return 0
        settings = Settings.from_env(env={})
        key = settings.key_for(store)
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
        message = exc.diagnostics() if isinstance(exc, RegistryError) else f"{type(exc).__name__}: {exc}"
        _say(
            [
                f"registry: ERROR: versions of this push were not tagged: {message}",
                "registry: run 'registry tag-missing STORE' on the server to repair",
            ],
            out,
        )
        return 1
    return 0
