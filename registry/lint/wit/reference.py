"""The table of WIT change kinds in ``docs/compatibility.md``, generated from :mod:`registry.lint.wit.kinds`.

    .venv/bin/python -m registry.lint.wit.reference > table.md

A test keeps the page and this table the same, so the page lists every kind there is.
"""

from __future__ import annotations

from registry.lint.kinds import Nature
from registry.lint.wit.kinds import WIT_RULES, WitKind

K = WitKind
#: What each kind is, in the words of a WIT author.
MEANING: dict[WitKind, str] = {
    K.WIT_ADDED: "the contract names a WIT file for the first time",
    K.WIT_REMOVED: "the contract no longer names a WIT file (nothing is built against no interface)",
    K.PACKAGE_RENAMED: "`package a:b` → `package a:c`",
    K.PACKAGE_VERSION_CHANGED: "`@1.0.0` → `@1.1.0`: same major (0.x: same minor), runtimes match them",
    K.PACKAGE_VERSION_INCOMPATIBLE: "`@1.2.0` → `@2.0.0`, `@0.1.0` → `@0.2.0`, or a version added or dropped",
    K.INTERFACE_ADDED: "a new `interface`",
    K.INTERFACE_REMOVED: "an `interface` removed",
    K.WORLD_ADDED: "a new `world`",
    K.WORLD_REMOVED: "a `world` removed",
    K.WORLD_IMPORT_ADDED: "a world imports one more item (hosts must provide it)",
    K.WORLD_IMPORT_REMOVED: "a world imports one item less (old components still import it)",
    K.WORLD_EXPORT_ADDED: "a world exports one more item",
    K.WORLD_EXPORT_REMOVED: "a world exports one item less",
    K.WORLD_ITEM_CHANGED: "a world's import or export names another interface, or changed kind",
    K.FUNCTION_ADDED: "a new function (in an interface, or inline in a world)",
    K.FUNCTION_REMOVED: "a function removed",
    K.RESOURCE_ADDED: "a new `resource`",
    K.RESOURCE_REMOVED: "a `resource` removed",
    K.METHOD_ADDED: "a new method or `static` function of a resource",
    K.METHOD_REMOVED: "a method or `static` function removed",
    K.CONSTRUCTOR_ADDED: "a resource gains a `constructor`",
    K.CONSTRUCTOR_REMOVED: "a resource loses its `constructor`",
    K.TYPE_ADDED: "a new named type (`type`, `record`, `variant`, `enum`, `flags`)",
    K.TYPE_REMOVED: "a named type removed",
    K.TYPE_KIND_CHANGED: "a `record` became a `variant`, an alias became a `record`, …",
    K.TYPE_ALIAS_CHANGED: "`type id = u32` → `type id = u64` (an alias to the same type is no change)",
    K.PARAM_ADDED: "a function takes one more parameter",
    K.PARAM_REMOVED: "a function takes one parameter less",
    K.PARAM_RENAMED: "a parameter at the same position has another name",
    K.PARAM_RETYPED: "a parameter (or a tuple item in it) has another type",
    K.RESULT_CHANGED: "a result added, removed or of another type",
    K.FIELD_ADDED: "a record gains a field",
    K.FIELD_REMOVED: "a record loses a field",
    K.FIELD_RETYPED: "a record field has another type",
    K.VARIANT_CASE_ADDED: "a variant gains a case",
    K.VARIANT_CASE_REMOVED: "a variant loses a case",
    K.VARIANT_CASE_RETYPED: "a variant case's payload changed, was added or dropped",
    K.ENUM_CASE_ADDED: "an enum gains a case",
    K.ENUM_CASE_REMOVED: "an enum loses a case",
    K.FLAG_ADDED: "a `flags` type gains a flag",
    K.FLAG_REMOVED: "a `flags` type loses a flag",
    K.ORDER_CHANGED: "fields, cases, flags or parameters reordered",
    K.OPTION_ADDED: "`T` → `option<T>`",
    K.OPTION_REMOVED: "`option<T>` → `T`",
    K.RESULT_OK_CHANGED: "`result<A, E>` → `result<B, E>` (or `_`)",
    K.RESULT_ERR_CHANGED: "`result<T, A>` → `result<T, B>` (or no error type)",
    K.LIST_ELEMENT_CHANGED: "`list<A>` → `list<B>`",
    K.LIST_LENGTH_CHANGED: "`list<T, 4>` → `list<T, 8>`",
    K.TUPLE_LENGTH_CHANGED: "`tuple<A, B>` → `tuple<A, B, C>`",
    K.HANDLE_CHANGED: "`borrow<r>` ↔ `own<r>`, or a handle to another resource",
    K.SINCE_CHANGED: "`@since(version = …)` added, removed or moved",
    K.DEPRECATION_CHANGED: "`@deprecated(version = …)` added, removed or moved",
    K.UNSTABLE_GATE_ADDED: "a stable item moved behind `@unstable(feature = …)`: gone from default builds",
    K.UNSTABLE_GATE_REMOVED: "an `@unstable` item stabilized: new in default builds",
    K.UNSTABLE_ITEM_ADDED: "an item added behind `@unstable`",
    K.UNSTABLE_ITEM_REMOVED: "an item behind `@unstable` removed",
    K.UNSTABLE_ITEM_CHANGED: "an item behind `@unstable` on both sides changed",
    K.DOCS_CHANGED: "a doc comment changed (the parser reads any comment right before an item as one)",
    K.UNPROVEN: "a side that the reference parser cannot resolve, or a shape the linter does not model",
}


def _cell(ok: bool) -> str:
    return "compatible" if ok else "**breaks**"


def wit_kinds_table() -> str:
    """A Markdown table: each WIT kind, its verdict by role and by mode, and the bump it needs alone."""
    columns = [
        "kind",
        "old importers",
        "old exporters",
        "BACKWARD",
        "FORWARD",
        "FULL",
        "bump (FULL)",
        "change",
    ]
    lines = ["| " + " | ".join(columns) + " |", "|" + " --- |" * len(columns)]
    for kind in WitKind:
        rule = WIT_RULES[kind]
        full = rule.importers and rule.exporters
        bump = "major" if not full else ("patch" if rule.nature is Nature.ANNOTATION else "minor")
        cells = [
            f"`{kind.value}`",
            _cell(rule.importers),
            _cell(rule.exporters),
            _cell(rule.backward),
            _cell(rule.forward),
            _cell(full),
            bump,
            MEANING[kind],
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


assert set(MEANING) == set(WitKind), "every WIT change kind needs a meaning"

if __name__ == "__main__":
    print(wit_kinds_table(), end="")
