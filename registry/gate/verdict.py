"""What the gate decides: the verdict, and what a change does to each contract and capsule."""

from __future__ import annotations

from dataclasses import dataclass, field

from registry.gate.accepted import Accepted
from registry.gate.examples import MigrationResult
from registry.gate.policy import StorePolicy
from registry.gate.published import NewVersion
from registry.git.store import Snapshot, Store
from registry.lint import CompatReport, VersionVerdict
from registry.problems import Code, Problem


@dataclass(frozen=True)
class ContractChange:
    """What a change does to one contract, for the review report."""

    name: str
    version: str | None
    previous: str | None
    new_version: bool
    report: CompatReport | None = None
    verdict: VersionVerdict | None = None
    deleted: bool = False
    migrations: tuple[MigrationResult, ...] = ()


@dataclass(frozen=True)
class CapsuleChange:
    tenant: str
    name: str
    version: int | None
    content_hash: str | None
    deleted: bool = False
    duplicate_of: int | None = None


@dataclass(frozen=True)
class Verdict:
    problems: tuple[Problem, ...] = ()
    versions: tuple[NewVersion, ...] = ()
    contracts: tuple[ContractChange, ...] = ()
    capsules: tuple[CapsuleChange, ...] = ()

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "warning")

    @property
    def accepted(self) -> bool:
        return not self.errors


@dataclass
class Context:
    """One evaluation under way: what the rules read, and what they have found so far."""

    store: Store
    new: Snapshot
    policy: StorePolicy
    accepted: Accepted
    problems: list[Problem] = field(default_factory=list)
    versions: list[NewVersion] = field(default_factory=list)
    contracts: list[ContractChange] = field(default_factory=list)
    capsules: list[CapsuleChange] = field(default_factory=list)

    def problem(self, code: Code, message: str, file: str, path: str = "$") -> None:
        self.problems.append(Problem(code, message, path, file=file))

    def verdict(self) -> Verdict:
        return Verdict(
            tuple(self.problems), tuple(self.versions), tuple(self.contracts), tuple(self.capsules)
        )
