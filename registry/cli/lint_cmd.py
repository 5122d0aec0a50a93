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

from registry.errors import InvalidInput, InvalidName, ValidationFailed
from registry.lint import (
    Mode,
    Policy,
    check,
    render_github,
    render_json,
    render_markdown,
    render_text,
    version_verdict,
)
from registry.model import ContractVersion, Limits
from registry.validate import load_json, validate_json_schema
from registry.validate.dialects import DEFAULT_DIALECT, DIALECTS, in_dialect, parse_dialect

FORMATS = ("text", "json", "markdown", "github")


def register(subparsers: Any) -> None:
    lint = subparsers.add_parser("lint", help="check JSON Schema compatibility")
    sub = lint.add_subparsers(dest="lint_command", metavar="SUBCOMMAND", required=True)
    compare = sub.add_parser(
        "compare",
        help="compare a proposed schema with the current one",
        description="List the changes between two JSON Schemas and check compatibility and version bump.",
    )
    compare.add_argument("--current", required=True, help="the published schema (JSON file)")
    compare.add_argument("--proposed", required=True, help="the proposed schema (JSON file)")
    compare.add_argument("--current-version", help="version of the published schema, e.g. 1.0.0")
    compare.add_argument("--proposed-version", help="version the proposed schema would get")
    compare.add_argument("--mode", default=Mode.BACKWARD.value, help="compatibility mode (default BACKWARD)")
    compare.add_argument("--policy", default=Policy.LENIENT.value, help="lenient (default) or strict")
    compare.add_argument("--format", default="text", choices=FORMATS, help="output format (default text)")
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


def _version(text: str | None) -> str | None:
    if text is None:
        return None
    try:
        return ContractVersion.parse(text).text
    except InvalidName as exc:
        raise InvalidInput(exc.message, hint=exc.hint) from None


def run(args: argparse.Namespace) -> int:
    mode, policy = Mode.parse(args.mode), Policy.parse(args.policy)
    dialect = parse_dialect(args.default_dialect)
    current, proposed = _load(args.current, dialect), _load(args.proposed, dialect)
    old_version, new_version = _version(args.current_version), _version(args.proposed_version)
    if old_version is not None and new_version is None:
        raise InvalidInput(
            "--current-version needs --proposed-version", hint="give both versions, or neither"
        )
    report = check([(old_version or "current", current)], proposed, mode=mode, policy=policy)
    verdict = version_verdict(old_version, new_version, report) if new_version is not None else None
    if args.format == "json":
        sys.stdout.write(json.dumps(render_json(report, verdict), indent=2, ensure_ascii=False) + "\n")
    elif args.format == "markdown":
        sys.stdout.write(render_markdown(report, verdict))
    elif args.format == "github":
        sys.stdout.write(render_github(report, verdict, file=args.proposed))
    else:
        sys.stdout.write(render_text(report, verdict))
    ok = verdict.ok if verdict is not None else report.compatible
    return 0 if ok else 1
