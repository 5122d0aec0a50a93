"""A contract's data-contract fields: ``metadata`` and ``rules`` in ``contract.yaml``.

The shapes are Confluent's: ``metadata`` holds ``properties`` (a string map), ``tags``
(a field path or JSON pointer → tags) and ``sensitive`` (names); ``rules`` is a
``ruleSet`` with ``domainRules`` (CEL conditions and transforms that producers and
consumers run) and ``migrationRules`` (JSONata transforms that carry a message across
a breaking change). Every rule is checked here before it can be published: its fields
by the table, its name unique, its kind, type and mode consistent, and its expression
parsed by the language's own parser, with the position of any syntax error.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from registry.problems import Code, Problem
from registry.validate.expressions import ExpressionError, parse_cel, parse_jsonata
from registry.validate.fields import FLAG, TEXT, Codes, ListOf, Rule, Table, one_of
from registry.validate.jsonpath import jsonpath

KINDS = ("CONDITION", "TRANSFORM")
TYPES = ("CEL", "CEL_FIELD", "JSONATA")
DOMAIN_MODES = ("WRITE", "READ", "WRITEREAD")
MIGRATION_MODES = ("UPGRADE", "DOWNGRADE", "UPDOWN")
ACTIONS = ("NONE", "ERROR", "DLQ")
#: Metadata properties the registry sets itself on the Confluent-compatible door.
RESERVED_PROPERTIES = ("version", "major")

_RULE_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\-]{0,127}$")
_MAX_RULES = 100


def _rule_name(value: Any) -> str | None:
    if _RULE_NAME.match(value):
        return None
    return f"must be 1 to 128 letters, digits, '_', '.' or '-', not starting with '.' or '-'; got {value!r}"


def _action(value: Any) -> str | None:
    # Two-way modes (WRITEREAD, UPDOWN) may name an action per direction: "NONE,ERROR".
    parts = value.split(",")
    if len(parts) <= 2 and all(p in ACTIONS for p in parts):
        return None
    choices = ", ".join(ACTIONS)
    return f"must be one of {choices} (two for a two-way mode: 'NONE,ERROR'), got {value!r}"


def _string_map(value: Any) -> str | None:
    for key, item in value.items():
        if not isinstance(key, str) or not isinstance(item, str):
            return f"must map strings to strings (quote numbers and booleans), got {key!r}: {item!r}"
        if key in RESERVED_PROPERTIES:
            return f"{key!r} is set by the registry (the contract's version); use another name"
    return None


def _tag_map(value: Any) -> str | None:
    for key, tags in value.items():
        if not isinstance(key, str) or not key:
            return f"keys must be field paths or JSON pointers such as '$.email', got {key!r}"
        if not isinstance(tags, list) or not all(isinstance(t, str) and t for t in tags):
            return f"{key!r} must map to a list of tag names such as [PII], got {tags!r}"
    return None


def _expr(value: Any) -> str | None:
    return None if value.strip() else "must not be empty"


RULE_CODES = Codes(
    type=Code.RULE_FIELD, required=Code.RULE_FIELD, unknown=Code.RULE_FIELD, value=Code.RULE_FIELD
)

RULE_FIELDS = Table(
    {
        "name": Rule(str, "a string", _rule_name),
        "doc": TEXT,
        "kind": Rule(str, "a string", one_of(KINDS)),
        "mode": Rule(str, "a string", one_of(DOMAIN_MODES + MIGRATION_MODES)),
        "type": Rule(str, "a string", one_of(TYPES)),
        "tags": ListOf(Rule(str, "a string")),
        "params": Rule(dict, "a mapping of strings", _string_map),
        "expr": Rule(str, "a string", _expr),
        "onSuccess": Rule(str, "a string", _action),
        "onFailure": Rule(str, "a string", _action),
        "disabled": FLAG,
    },
    required=("name", "kind", "mode", "type", "expr"),
    what="a mapping such as {name: greetShort, kind: CONDITION, mode: WRITE, type: CEL, expr: ...}",
    codes=RULE_CODES,
)

RULES_FIELDS = Table(
    {"domainRules": ListOf(RULE_FIELDS), "migrationRules": ListOf(RULE_FIELDS)},
    what="a mapping with domainRules and migrationRules (Confluent's ruleSet)",
    codes=RULE_CODES,
)

METADATA_FIELDS = Table(
    {
        "properties": Rule(dict, "a mapping of strings", _string_map),
        "tags": Rule(dict, "a mapping of field paths to lists of tags", _tag_map),
        "sensitive": ListOf(Rule(str, "a string")),
    },
    what="a mapping with properties, tags and sensitive",
)


@dataclass(frozen=True)
class RuleRef:
    """One rule of a rule set, with where it sits (``domainRules``, index) for messages."""

    group: str
    index: int
    rule: dict[str, Any]

    @property
    def name(self) -> str:
        return str(self.rule.get("name"))

    @property
    def path(self) -> str:
        return jsonpath(["rules", self.group, self.index])

    @property
    def enabled(self) -> bool:
        return self.rule.get("disabled") is not True

    def has(self, *, kind: str, type: str, modes: tuple[str, ...]) -> bool:
        return (
            self.enabled
            and self.rule.get("kind") == kind
            and self.rule.get("type") == type
            and self.rule.get("mode") in modes
        )


def rules_of(rules: Any) -> Iterator[RuleRef]:
    """Every rule of a ``rules`` mapping that has the shape of one, in order."""
    if not isinstance(rules, dict):
        return
    for group in ("domainRules", "migrationRules"):
        items = rules.get(group)
        if isinstance(items, list):
            for i, rule in enumerate(items):
                if isinstance(rule, dict):
                    yield RuleRef(group, i, rule)


def check_rules(rules: Any) -> list[Problem]:
    """What the table cannot see: unique names, kinds that fit their group, parseable expressions.

    Call it once the table found no problem in ``rules`` (the fields have their types).
    """
    problems: list[Problem] = []
    refs = list(rules_of(rules))
    if len(refs) > _MAX_RULES:
        return [Problem(Code.RULE_FIELD, f"{len(refs)} rules, more than {_MAX_RULES}", "$.rules")]
    seen: dict[str, RuleRef] = {}
    for ref in refs:
        if ref.name in seen:
            problems.append(
                Problem(
                    Code.RULE_DUPLICATE,
                    f"rule {ref.name!r} is defined twice (also at {seen[ref.name].path}); "
                    "rule names are unique across domainRules and migrationRules: rename one",
                    f"{ref.path}.name",
                )
            )
        seen.setdefault(ref.name, ref)
        problems += _shape(ref)
        problems += _expression(ref)
    return problems


def _shape(ref: RuleRef) -> list[Problem]:
    rule, where = ref.rule, f"rule {ref.name!r}"
    problems: list[Problem] = []
    modes = DOMAIN_MODES if ref.group == "domainRules" else MIGRATION_MODES
    if rule.get("mode") not in modes:
        problems.append(
            Problem(
                Code.RULE_FIELD,
                f"{where}: mode {rule.get('mode')!r} is not a mode of {ref.group} ({', '.join(modes)})",
                f"{ref.path}.mode",
            )
        )
    types = ("CEL", "CEL_FIELD") if ref.group == "domainRules" else ("JSONATA",)
    if rule.get("type") not in types:
        problems.append(
            Problem(
                Code.RULE_FIELD,
                f"{where}: type {rule.get('type')!r} is not a type of {ref.group} ({', '.join(types)})",
                f"{ref.path}.type",
            )
        )
    if ref.group == "migrationRules" and rule.get("kind") != "TRANSFORM":
        problems.append(
            Problem(
                Code.RULE_FIELD,
                f"{where}: a migration rule transforms a message; set kind: TRANSFORM",
                f"{ref.path}.kind",
            )
        )
    return problems


def _expression(ref: RuleRef) -> list[Problem]:
    expr, kind = ref.rule.get("expr"), ref.rule.get("type")
    if not isinstance(expr, str) or kind not in TYPES:
        return []
    try:
        if kind == "JSONATA":
            parse_jsonata(expr)
        else:
            parse_cel(expr)
    except ExpressionError as exc:
        return [
            Problem(
                Code.RULE_SYNTAX,
                f"rule {ref.name!r}: {exc.message}{exc.where}; fix the expression",
                f"{ref.path}.expr",
            )
        ]
    return []
