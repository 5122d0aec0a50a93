"""The store's layout: which contract and capsule directories a change touches, and where files may live."""

from __future__ import annotations

from dataclasses import dataclass, field

from registry.errors import InvalidName
from registry.gate.policy import POLICY_FILE
from registry.model import capsule_name, contract_name, tenant
from registry.problems import Code, Problem


@dataclass
class Units:
    contracts: set[str] = field(default_factory=set)
    capsules: set[tuple[str, str]] = field(default_factory=set)
    policy_changed: bool = False
    problems: list[Problem] = field(default_factory=list)


def layout(paths: list[str]) -> Units:
    """Group changed paths into the contracts and capsules they belong to."""
    units = Units()
    for path in paths:
        parts = path.split("/")
        if path == POLICY_FILE:
            units.policy_changed = True
        elif parts[0] == "contracts":
            if len(parts) != 3:
                units.problems.append(
                    Problem(
                        Code.LAYOUT_PATH,
                        "contract files live directly in contracts/<name>/ "
                        "(contract.yaml, schema.json, and the wit/descriptor files it names)",
                        file=path,
                    )
                )
                continue
            try:
                contract_name(parts[1])
            except InvalidName as exc:
                units.problems.append(Problem(Code.NAME_INVALID, exc.diagnostics(), file=path))
                continue
            units.contracts.add(parts[1])
        elif parts[0] == "capsules":
            if len(parts) != 4:
                units.problems.append(
                    Problem(
                        Code.LAYOUT_PATH,
                        "capsule files live in capsules/<tenant>/<name>/ (capsule.yaml, meta.yaml)",
                        file=path,
                    )
                )
                continue
            try:
                tenant(parts[1])
                capsule_name(parts[2])
            except InvalidName as exc:
                units.problems.append(Problem(Code.NAME_INVALID, exc.diagnostics(), file=path))
                continue
            units.capsules.add((parts[1], parts[2]))
    return units
