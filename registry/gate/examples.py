"""The gate's checks of a contract's examples against its schema and its rules.

Examples are what make rules provable before they are published: every example must
be valid against the schema and pass every enabled WRITE CONDITION rule written in CEL
(the rules producers enforce). Across a breaking change, the new version's migration
rules are dry-run: each example of the previous version, upgraded, must be valid under
the new schema, and each new example, downgraded, under the old one. The results are
kept per example for the review report.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from registry.lint.witness import Judge
from registry.paths import CONTRACT_META, SCHEMA, contract_dir, contract_file, in_dir
from registry.problems import Code, Problem
from registry.validate.documents import ContractDoc
from registry.validate.expressions import ExpressionError, parse_cel, parse_jsonata
from registry.validate.rules import RuleRef, rules_of

_WRITE = ("WRITE", "WRITEREAD")
_UPGRADE = ("UPGRADE", "UPDOWN")
_DOWNGRADE = ("DOWNGRADE", "UPDOWN")


@dataclass(frozen=True)
class MigrationResult:
    """One example carried across versions by the migration rules, and whether it arrived valid."""

    direction: str  # "UPGRADE" or "DOWNGRADE"
    example: str  # where the example lives, in the version it came from
    source: str  # that version
    target: str  # the version it was carried to
    ok: bool
    detail: str  # the rules applied, or why it failed

    def as_dict(self) -> dict[str, Any]:
        return {
            "direction": self.direction,
            "example": self.example,
            "from": self.source,
            "to": self.target,
            "ok": self.ok,
            "detail": self.detail,
        }


def _file_and_path(base: str, where: str) -> tuple[str, str]:
    if where.startswith(f"{SCHEMA}#/examples/"):
        return in_dir(base, SCHEMA), f"$.examples[{where.rsplit('/', 1)[1]}]"
    return in_dir(base, where), "$"


def check_examples(doc: ContractDoc) -> list[Problem]:
    """Every example valid against the schema and passing every WRITE condition rule."""
    if not doc.examples:
        return []
    base = contract_dir(doc.name)
    judge = Judge(doc.schema)
    conditions = [r for r in rules_of(doc.rules) if r.has(kind="CONDITION", type="CEL", modes=_WRITE)]
    problems: list[Problem] = []
    for where, instance in doc.examples:
        file, path = _file_and_path(base, where)
        errors = judge.errors(instance)
        if errors is None:
            problems.append(
                Problem(
                    Code.EXAMPLE_INVALID,
                    f"example {where} could not be checked against the schema (a reference the gate "
                    "cannot follow, or a keyword it cannot apply)",
                    path,
                    "warning",
                    file,
                )
            )
            continue
        if errors:
            problems.append(
                Problem(
                    Code.EXAMPLE_INVALID,
                    f"example {where} is not valid against schema.json: {'; '.join(errors)}; "
                    "fix the example or the schema",
                    path,
                    file=file,
                )
            )
            continue
        for rule in conditions:
            problems += _condition(rule, where, instance, file, path)
    return problems


def _condition(rule: RuleRef, where: str, instance: Any, file: str, path: str) -> list[Problem]:
    try:
        result = parse_cel(str(rule.rule["expr"])).evaluate(instance)
    except ExpressionError as exc:
        return [
            Problem(
                Code.RULE_EVALUATION,
                f"rule {rule.name!r} failed on example {where}: {exc.message}; fix the rule or the example",
                path,
                file=file,
            )
        ]
    if not isinstance(result, bool):
        return [
            Problem(
                Code.RULE_EVALUATION,
                f"rule {rule.name!r} is a CONDITION but gave {result!r} on example {where}, not true or "
                "false; make the expression a condition",
                path,
                file=file,
            )
        ]
    if not result:
        return [
            Problem(
                Code.EXAMPLE_RULE,
                f"example {where} breaks WRITE rule {rule.name!r} ({rule.rule['expr']}); "
                "producers could not write it: fix the example, or the rule if the example is right",
                path,
                file=file,
            )
        ]
    return []


def dry_run_migrations(old: ContractDoc, new: ContractDoc) -> tuple[list[MigrationResult], list[Problem]]:
    """The new version's migration rules run on the examples of both versions.

    UPGRADE (and UPDOWN) rules carry each of ``old``'s examples to ``new``; DOWNGRADE
    (and UPDOWN) rules carry each of ``new``'s examples back to ``old``. Rules run in
    the order they are listed, as Confluent's clients run them.
    """
    rules = list(rules_of(new.rules))
    results: list[MigrationResult] = []
    directions = (
        ("UPGRADE", _UPGRADE, old, new),
        ("DOWNGRADE", _DOWNGRADE, new, old),
    )
    for direction, modes, source, target in directions:
        chosen = [r for r in rules if r.has(kind="TRANSFORM", type="JSONATA", modes=modes)]
        if chosen:
            results += _carry(direction, chosen, source, target)
    base = contract_file(new.name, CONTRACT_META)
    problems = [
        Problem(
            Code.RULE_MIGRATION,
            f"{r.direction} of example {r.example} from {r.source} to {r.target} failed: {r.detail}; "
            "fix the migration rule or the examples",
            "$.rules.migrationRules",
            file=base,
        )
        for r in results
        if not r.ok
    ]
    return results, problems


def _carry(
    direction: str, rules: Sequence[RuleRef], source: ContractDoc, target: ContractDoc
) -> list[MigrationResult]:
    judge = Judge(target.schema)
    names = ", ".join(r.name for r in rules)
    results: list[MigrationResult] = []
    for where, instance in source.examples:
        message, ok = instance, True
        detail = f"by {names}"
        for rule in rules:
            try:
                message = parse_jsonata(str(rule.rule["expr"])).evaluate(message)
            except ExpressionError as exc:
                ok, detail = False, f"rule {rule.name!r}: {exc.message}"
                break
        if ok:
            errors = judge.errors(message)
            if errors:
                ok = False
                detail = (
                    f"by {names}, the result is not valid under {target.version.text}: {'; '.join(errors)}"
                )
        results.append(
            MigrationResult(direction, where, source.version.text, target.version.text, ok, detail)
        )
    return results
