"""``registry lint compare``: the old ``contract-linter compare`` as a sub-command.

Exit 0 when compatible and well versioned, 1 on breaking changes (without version flags)
or a wrong bump (with them), 2 when an input cannot be read. Inputs are read as the gate
reads a contract's ``schema.json``: duplicate keys, NaN, numbers and nesting past the
limits, and anything that is not a valid JSON Schema are bad input, never a finding.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from registry.cli.lint_wit import read_contract_dir, read_wit
from registry.errors import InvalidInput, InvalidName, ValidationFailed
from registry.lint import (
    Change,
    Mode,
    Policy,
    check,
    render_github,
    render_json,
    render_markdown,
    render_text,
    version_verdict,
)
from registry.lint.rule_changes import diff_rules, with_rule_changes
from registry.lint.wit import with_wit
from registry.model import ContractVersion, Limits
from registry.paths import CONTRACT_META
from registry.validate import load_json, load_yaml, validate_json_schema
from registry.validate.contract import validate_contract_meta
from registry.validate.dialects import DEFAULT_DIALECT, DIALECTS, in_dialect, parse_dialect

FORMATS = ("text", "json", "markdown", "github")


def register(subparsers: Any) -> None:
    lint = subparsers.add_parser("lint", help="check JSON Schema and WIT compatibility")
    sub = lint.add_subparsers(dest="lint_command", metavar="SUBCOMMAND", required=True)
    compare = sub.add_parser(
        "compare",
        help="compare a proposed schema with the current one",
        description="List the changes between two JSON Schemas, WIT interfaces or contract directories "
        "and check compatibility and version bump.",
    )
    compare.add_argument("--current", help="the published schema (JSON file) or contract directory")
    compare.add_argument("--proposed", help="the proposed schema (JSON file) or contract directory")
    compare.add_argument("--current-wit", help="the published WIT interface (.wit file or directory)")
    compare.add_argument("--proposed-wit", help="the proposed WIT interface (.wit file or directory)")
    compare.add_argument("--current-version", help="version of the published schema, e.g. 1.0.0")
    compare.add_argument("--proposed-version", help="version the proposed schema would get")
    compare.add_argument("--mode", help="compatibility mode (default: the contract's, else BACKWARD)")
    compare.add_argument("--policy", default=Policy.LENIENT.value, help="lenient (default) or strict")
    compare.add_argument("--format", default="text", choices=FORMATS, help="output format (default text)")
    compare.add_argument(
        "--current-contract", help="the published contract.yaml: its data-contract rules are compared too"
    )
    compare.add_argument("--proposed-contract", help="the proposed contract.yaml (with --current-contract)")
    compare.add_argument(
        "--default-dialect",
        default=DEFAULT_DIALECT,
        help=f"dialect of a schema without $schema, as the store's default_dialect: {', '.join(DIALECTS)} "
        f"(default {DEFAULT_DIALECT})",
    )
    compare.set_defaults(func=run)


def _load(path: str, dialect: str = DEFAULT_DIALECT) -> Any:
    """A schema file read and checked as the gate checks ``schema.json``; InvalidInput otherwise."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise InvalidInput(
            f"{path}: no such file", hint="check the path given to --current/--proposed"
        ) from None
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot be read: {exc}") from None
    limits = Limits()
    try:
        schema = load_json(data, limits=limits, max_bytes=limits.max_schema_bytes)
    except ValidationFailed as exc:
        raise _bad_input(f"{path} is not valid JSON", exc.problems) from None
    schema = in_dialect(schema, dialect)
    problems = [p for p in validate_json_schema(schema) if p.severity == "error"]
    if problems:
        raise _bad_input(f"{path} is not a valid JSON Schema", problems)
    return schema


def _bad_input(what: str, problems: Any) -> InvalidInput:
    found = "; ".join(p.render() for p in problems)
    return InvalidInput(
        f"{what}: {found}",
        hint="a contract schema is a JSON Schema document; the gate refuses this file as schema.json too",
    )


def _rules(path: str | None) -> Any:
    """The ``rules`` of a contract.yaml, read and checked as the gate reads it (None: no file)."""
    if path is None:
        return None
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InvalidInput(
            f"{path}: cannot be read: {exc.strerror}", hint="check the contract.yaml path"
        ) from None
    try:
        doc = load_yaml(data, limits=Limits())
    except ValidationFailed as exc:
        raise _bad_input(f"{path} is not valid YAML", exc.problems) from None
    problems = [p for p in validate_contract_meta(doc) if p.severity == "error"]
    if problems:
        raise InvalidInput(
            f"{path} is not a valid contract.yaml: " + "; ".join(p.render() for p in problems),
            hint="the gate refuses this file as contract.yaml too",
        )
    return doc.get("rules")


def _rule_changes(args: argparse.Namespace) -> list[Change]:
    """The data-contract rule changes: between the contract files given, or the two directories'."""
    old, new = args.current_contract, args.proposed_contract
    if old is None and new is None and args.current and Path(args.current).is_dir():
        old, new = str(Path(args.current) / CONTRACT_META), str(Path(args.proposed) / CONTRACT_META)
    if old is None and new is None:
        return []
    return diff_rules(_rules(old), _rules(new))


def _version(text: str | None) -> str | None:
    if text is None:
        return None
    try:
        return ContractVersion.parse(text).text
    except InvalidName as exc:
        raise InvalidInput(exc.message, hint=exc.hint) from None


def _pair(current: str | None, proposed: str | None, flags: str) -> bool:
    if (current is None) != (proposed is None):
        raise InvalidInput(f"{flags} go together", hint=f"give both {flags}, or neither")
    return current is not None


def run(args: argparse.Namespace) -> int:
    schemas = _pair(args.current, args.proposed, "--current and --proposed")
    wits = _pair(args.current_wit, args.proposed_wit, "--current-wit and --proposed-wit")
    if not (schemas or wits):
        raise InvalidInput(
            "nothing to compare", hint="give --current and --proposed, or --current-wit and --proposed-wit"
        )
    old_wit, new_wit = read_wit(args.current_wit), read_wit(args.proposed_wit)
    dialect = parse_dialect(args.default_dialect)
    mode_text, versions = args.mode, (args.current_version, args.proposed_version)
    current: Any = True  # no schema given: compare the WIT alone
    proposed: Any = True
    if schemas and Path(args.current).is_dir() and Path(args.proposed).is_dir():
        old_dir, new_dir = read_contract_dir(args.current), read_contract_dir(args.proposed)
        current, proposed = _load(old_dir.schema_path, dialect), _load(new_dir.schema_path, dialect)
        old_wit, new_wit = (old_wit, new_wit) if wits else (old_dir.wit, new_dir.wit)
        mode_text = mode_text or new_dir.compatibility
        if versions == (None, None):
            versions = (old_dir.version, new_dir.version)
    elif schemas:
        current, proposed = _load(args.current, dialect), _load(args.proposed, dialect)
    mode, policy = Mode.parse(mode_text or Mode.BACKWARD), Policy.parse(args.policy)
    old_version, new_version = _version(versions[0]), _version(versions[1])
    if old_version is not None and new_version is None:
        raise InvalidInput(
            "--current-version needs --proposed-version", hint="give both versions, or neither"
        )
    report = check([(old_version or "current", current)], proposed, mode=mode, policy=policy)
    report = with_wit(report, [(old_version or "current", old_wit)], new_wit)
    report = with_rule_changes(report, _rule_changes(args), mode)
    verdict = version_verdict(old_version, new_version, report) if new_version is not None else None
    if args.format == "json":
        sys.stdout.write(json.dumps(render_json(report, verdict), indent=2, ensure_ascii=False) + "\n")
    elif args.format == "markdown":
        sys.stdout.write(render_markdown(report, verdict))
    elif args.format == "github":
        sys.stdout.write(render_github(report, verdict, file=args.proposed or args.proposed_wit))
    else:
        sys.stdout.write(render_text(report, verdict))
    ok = verdict.ok if verdict is not None else report.compatible
    return 0 if ok else 1
