"""Object keywords: properties and the content model, required, dependencies, names, counts.

A property's schema on one side is what that side applies to the name: its entry in
``properties``, else the ``patternProperties`` that match it, else ``additionalProperties``
(2020-12 core 10.3.2.1-10.3.2.3), else ``unevaluatedProperties`` as an approximation
(core 11.3), else ``true``. A property added or removed is compared against that schema,
so the open, partially open and closed content models all follow from one rule.
"""

from __future__ import annotations

from typing import Any, Literal

from registry.lint import bounds
from registry.lint.change import collapse
from registry.lint.kinds import ChangeKind
from registry.lint.modes import Policy
from registry.lint.names import closed_here
from registry.lint.normal import plainly_same_names
from registry.lint.pair import ABSENT, Located, Pair
from registry.lint.patterns import search
from registry.lint.refs import is_false, is_trivially_true

Model = Literal["open", "partial", "closed"]


def _model(schema: Any) -> Model:
    if is_false(schema):
        return "closed"
    return "open" if is_trivially_true(schema) else "partial"


def _fallback(pair: Pair, side: Literal["old", "new"], name: str) -> tuple[Located, Model]:
    """What one side applies to a property ``name`` it does not list in ``properties``."""
    schema, at = (pair.old, pair.old_at) if side == "old" else (pair.new, pair.new_at)
    patterns = schema.get("patternProperties")
    if isinstance(patterns, dict):
        pair.engine.charge(len(patterns))
        # Patterns are not anchored (2020-12 core 6.4); a hostile one is refused, not run unbounded.
        hits = [p for p in patterns if search(p, name)]
        if len(hits) == 1:
            return at("patternProperties", hits[0]), "partial"
        if hits:
            return ({"allOf": [patterns[p] for p in hits]}, None), "partial"
    for keyword in ("additionalProperties", "unevaluatedProperties"):
        if keyword in schema:
            located = at(keyword)
            return located, _model(located[0])
    return ABSENT, "open"


def _props(schema: dict) -> dict[str, Any]:
    value = schema.get("properties")
    return value if isinstance(value, dict) else {}


_ADDED = {
    "open": ChangeKind.PROPERTY_ADDED,
    "partial": ChangeKind.PROPERTY_ADDED_TO_PARTIALLY_OPEN_MODEL,
    "closed": ChangeKind.PROPERTY_ADDED_TO_CLOSED_MODEL,
}
_REMOVED = {
    "open": ChangeKind.PROPERTY_REMOVED,
    "partial": ChangeKind.PROPERTY_REMOVED_FROM_PARTIALLY_OPEN_MODEL,
    "closed": ChangeKind.PROPERTY_REMOVED_FROM_CLOSED_MODEL,
}
_WHERE = {"open": "", "partial": " (it was covered by a catch-all schema)", "closed": " to a closed object"}


def compare_properties(pair: Pair) -> None:
    old, new = _props(pair.old), _props(pair.new)
    lenient = pair.engine.policy is Policy.LENIENT
    same = plainly_same_names(old, new)
    for name in [*old, *(n for n in new if n not in old)]:
        if name in old and name in new:
            # Most properties of a large schema are unchanged: skip them before any lookup.
            if name not in same:
                where = pair.at("properties", name)
                pair.out.extend(pair.compare_member("properties", name, where))
            continue
        where = pair.at("properties", name)
        if name in new:
            fallback, model = _fallback(pair, "old", name)
            if model == "open" and lenient:
                compat = (True, True)
            else:
                compat = collapse(pair.compare(fallback, pair.new_at("properties", name), where))
            added = _NAMED if _rejected(pair, "old", name) else f"added{_WHERE[model]}"
            pair.emit(_ADDED[model], where, None, new[name], f"{pair.member(name)} {added}", compat)
        else:
            fallback, model = _fallback(pair, "new", name)
            if model == "open" and lenient:
                compat = (True, True)
            else:
                compat = collapse(pair.compare(pair.old_at("properties", name), fallback, where))
            words = {
                "open": "",
                "partial": " (now covered by a catch-all schema)",
                "closed": " from a closed object",
            }
            removed = _UNNAMED if _rejected(pair, "new", name) else f"removed{words[model]}"
            pair.emit(_REMOVED[model], where, old[name], None, f"{pair.member(name)} {removed}", compat)


_NAMED = "now allowed: propertyNames no longer rejects it"
_UNNAMED = "no longer allowed: propertyNames now rejects it"


def _rejected(pair: Pair, side: Literal["old", "new"], name: str) -> bool:
    """Whether ``name`` is declared on this side but its ``propertyNames`` rejects it."""
    resolved = pair.r_old if side == "old" else pair.r_new
    return resolved is not None and name in resolved.dropped


def compare_content_model(pair: Pair) -> None:
    """``additionalProperties`` / ``unevaluatedProperties``: closing and opening the object."""
    lenient = pair.engine.policy is Policy.LENIENT
    for keyword in ("additionalProperties", "unevaluatedProperties"):
        if keyword not in pair.old and keyword not in pair.new:
            continue
        old, new = pair.old.get(keyword, True), pair.new.get(keyword, True)
        where = pair.at(keyword)
        if is_false(new) and not is_false(old):
            pair.emit(
                ChangeKind.CONTENT_MODEL_CLOSED,
                where,
                old,
                new,
                f"{pair.subject} no longer allows {_extra(keyword)}{_by_names(pair.new_origins, keyword)}",
            )
        elif is_false(old) and not is_false(new):
            pair.emit(
                ChangeKind.CONTENT_MODEL_OPENED,
                where,
                old,
                new,
                f"{pair.subject} now allows {_extra(keyword)}{_by_names(pair.old_origins, keyword)}",
            )
        else:
            pair.out.extend(pair.compare(pair.old_at(keyword), pair.new_at(keyword), where))
    if ("additionalProperties" in pair.old) != ("additionalProperties" in pair.new) and (
        "unevaluatedProperties" in pair.old or "unevaluatedProperties" in pair.new
    ):
        # The names no property or pattern takes went from one keyword to the other
        # (additionalProperties evaluates them all, leaving unevaluatedProperties nothing):
        # compare what each side applies to them.
        pair.out.extend(pair.compare(_rest(pair, "old"), _rest(pair, "new"), pair.at("additionalProperties")))
    old_pp, new_pp = pair.old.get("patternProperties"), pair.new.get("patternProperties")
    old_pp = old_pp if isinstance(old_pp, dict) else {}
    new_pp = new_pp if isinstance(new_pp, dict) else {}
    for pattern in [*old_pp, *(p for p in new_pp if p not in old_pp)]:
        where = pair.at("patternProperties", pattern)
        if pattern in old_pp and pattern in new_pp:
            pair.out.extend(
                pair.compare(
                    pair.old_at("patternProperties", pattern),
                    pair.new_at("patternProperties", pattern),
                    where,
                )
            )
            continue
        added = pattern in new_pp
        side, at = (pair.old, pair.old_at) if added else (pair.new, pair.new_at)
        # What takes the names the pattern (no longer) matches: additionalProperties, else
        # unevaluatedProperties, as for a property (see _fallback).
        rest: Located = ABSENT
        for keyword in ("additionalProperties", "unevaluatedProperties"):
            if keyword in side:
                rest = at(keyword)
                break
        if rest is ABSENT and lenient:
            compat = (True, True)
        elif added:
            compat = collapse(pair.compare(rest, pair.new_at("patternProperties", pattern), where))
        else:
            compat = collapse(pair.compare(pair.old_at("patternProperties", pattern), rest, where))
        compat = _over_declared(pair, pattern, added, compat, where)
        kind = ChangeKind.PATTERN_PROPERTY_ADDED if added else ChangeKind.PATTERN_PROPERTY_REMOVED
        verb = "added" if added else "removed"
        pair.emit(
            kind,
            where,
            old_pp.get(pattern),
            new_pp.get(pattern),
            f"{pair.subject} pattern property {pattern!r} {verb}",
            compat,
        )


def _over_declared(
    pair: Pair, pattern: str, added: bool, compat: tuple[bool, bool], where: str
) -> tuple[bool, bool]:
    """A pattern applies to declared properties too (2020-12 core 10.3.2.2): weigh those as well.

    An added pattern constrains each declared property of the old side it matches
    (BACKWARD needs the old property's schema inside the pattern's); a removed one stops
    constraining the new side's (FORWARD needs the new property's schema inside it).
    """
    backward, forward = compat
    side = _props(pair.old if added else pair.new)
    for name in side:
        pair.engine.charge()
        if not search(pattern, name):
            continue
        if added:
            backward = (
                backward
                and collapse(
                    pair.compare(
                        pair.old_at("properties", name), pair.new_at("patternProperties", pattern), where
                    )
                )[0]
            )
        else:
            forward = (
                forward
                and collapse(
                    pair.compare(
                        pair.old_at("patternProperties", pattern), pair.new_at("properties", name), where
                    )
                )[1]
            )
    return backward, forward


def _rest(pair: Pair, side: Literal["old", "new"]) -> Located:
    schema, at = (pair.old, pair.old_at) if side == "old" else (pair.new, pair.new_at)
    for keyword in ("additionalProperties", "unevaluatedProperties"):
        if keyword in schema:
            return at(keyword)
    return ABSENT


def _by_names(origins: dict[str, str | None] | None, keyword: str) -> str:
    """Where the closed side was closed by its ``propertyNames``, say so."""
    if keyword == "additionalProperties" and closed_here(origins):
        return " (propertyNames admits only declared names)"
    return ""


def _extra(keyword: str) -> str:
    return "additional properties" if keyword == "additionalProperties" else "unevaluated properties"


def _names(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def compare_required(pair: Pair) -> None:
    """``required`` (2020-12 validation 6.5.3): each name added narrows, each removed widens."""
    old, new = _names(pair.old.get("required")), _names(pair.new.get("required"))
    # Sets, not lists: a list of 20,000 names must not cost 20,000² comparisons.
    old_set, new_set = set(old), set(new)
    where = pair.at("required")
    for name in new:
        if name not in old_set:
            pair.emit(ChangeKind.REQUIRED_ADDED, where, None, name, f"{pair.member(name)} added to required")
    for name in old:
        if name not in new_set:
            pair.emit(
                ChangeKind.REQUIRED_REMOVED, where, name, None, f"{pair.member(name)} removed from required"
            )


def _dependencies(schema: dict) -> tuple[dict[str, list[str]], dict[str, tuple[str, str]]]:
    """Names each trigger requires, and where each trigger's schema is.

    ``dependentRequired`` and ``dependentSchemas`` (2020-12 validation 6.5.4, core 10.3.2.4)
    and draft 7's ``dependencies``, which holds either kind of value.
    """
    required: dict[str, list[str]] = {}
    schemas: dict[str, tuple[str, str]] = {}
    for keyword in ("dependencies", "dependentRequired", "dependentSchemas"):
        value = schema.get(keyword)
        if not isinstance(value, dict):
            continue
        for trigger, dep in value.items():
            if isinstance(dep, list):
                # dict keys keep the order and make each lookup constant-time
                merged = dict.fromkeys(required.get(trigger, []))
                merged.update(dict.fromkeys(_names(dep)))
                required[trigger] = list(merged)
            elif keyword != "dependentRequired":
                schemas[trigger] = (keyword, trigger)
    return required, schemas


def compare_dependencies(pair: Pair) -> None:
    old_req, old_schemas = _dependencies(pair.old)
    new_req, new_schemas = _dependencies(pair.new)
    keyword = "dependentRequired" if "dependencies" not in pair.new else "dependencies"
    for trigger in [*old_req, *(t for t in new_req if t not in old_req)]:
        before, after = old_req.get(trigger, []), new_req.get(trigger, [])
        where = pair.at(keyword, trigger)
        before_set, after_set = set(before), set(after)
        added = [n for n in after if n not in before_set]
        removed = [n for n in before if n not in after_set]
        if added:
            pair.emit(
                ChangeKind.DEPENDENT_REQUIRED_ADDED,
                where,
                before,
                after,
                f"{pair.subject}: when '{trigger}' is present, {_quoted(added)} now required",
            )
        if removed:
            pair.emit(
                ChangeKind.DEPENDENT_REQUIRED_REMOVED,
                where,
                before,
                after,
                f"{pair.subject}: when '{trigger}' is present, {_quoted(removed)} no longer required",
            )
    for trigger in [*old_schemas, *(t for t in new_schemas if t not in old_schemas)]:
        old_loc = pair.old_at(*old_schemas[trigger]) if trigger in old_schemas else ABSENT
        new_loc = pair.new_at(*new_schemas[trigger]) if trigger in new_schemas else ABSENT
        where = pair.at(*(new_schemas.get(trigger) or ("dependentSchemas", trigger)))
        changes = pair.compare(old_loc, new_loc, where)
        if trigger in old_schemas and trigger in new_schemas:
            pair.out.extend(changes)
        elif trigger in new_schemas:
            pair.emit(
                ChangeKind.DEPENDENT_SCHEMA_ADDED,
                where,
                None,
                new_loc[0],
                f"{pair.subject}: schema dependent on '{trigger}' added",
                collapse(changes),
            )
        else:
            pair.emit(
                ChangeKind.DEPENDENT_SCHEMA_REMOVED,
                where,
                old_loc[0],
                None,
                f"{pair.subject}: schema dependent on '{trigger}' removed",
                collapse(changes),
            )


def _quoted(names: list[str]) -> str:
    text = ", ".join(f"'{n}'" for n in names)
    return f"{text} {'is' if len(names) == 1 else 'are'}"


def compare_property_names(pair: Pair) -> None:
    """``propertyNames`` (2020-12 core 10.3.2.4) applies a string schema to every name."""
    pair.out.extend(
        pair.compare(pair.old_at("propertyNames"), pair.new_at("propertyNames"), pair.at("propertyNames"))
    )


def compare_counts(pair: Pair) -> None:
    bounds.simple(pair, "minProperties", "MIN_PROPERTIES", lower=True, default=0)
    bounds.simple(pair, "maxProperties", "MAX_PROPERTIES", lower=False)


RULES = (
    (frozenset({"properties"}), compare_properties),
    (
        frozenset({"additionalProperties", "unevaluatedProperties", "patternProperties"}),
        compare_content_model,
    ),
    (frozenset({"required"}), compare_required),
    (frozenset({"dependentRequired", "dependentSchemas", "dependencies"}), compare_dependencies),
    (frozenset({"propertyNames"}), compare_property_names),
    (frozenset({"minProperties", "maxProperties"}), compare_counts),
)
