"""The tables of ``docs/compatibility.md``, generated from the change kinds and the proven shapes.

    .venv/bin/python -m registry.lint.reference > table.md

A test keeps the page and this table the same, so the page lists every kind there is.
"""

from __future__ import annotations

from registry.lint.kinds import RULES, ChangeKind, Nature
from registry.lint.proven import INTERACTIONS, MODELLED

K = ChangeKind
# Kinds that the ``lenient`` policy reads as compatible both ways (an open content model).
LENIENT_BOTH_WAYS = frozenset(
    {K.PROPERTY_ADDED, K.PROPERTY_REMOVED, K.PATTERN_PROPERTY_ADDED, K.PATTERN_PROPERTY_REMOVED}
)
# What a kind whose verdict is worked out per change depends on.
DEPENDS_ON: dict[ChangeKind, str] = {
    K.PROPERTY_ADDED: "strict: the new property's schema against `true` (only `{}` keeps BACKWARD)",
    K.PROPERTY_REMOVED: "strict: the old property's schema against `true` (only `{}` keeps FORWARD)",
    K.PROPERTY_ADDED_TO_PARTIALLY_OPEN_MODEL: "the new schema against the catch-all that covered the name",
    K.PROPERTY_REMOVED_FROM_PARTIALLY_OPEN_MODEL: "the old schema against the catch-all now",
    K.PATTERN_PROPERTY_ADDED: "the pattern's schema against `additionalProperties` before it",
    K.PATTERN_PROPERTY_REMOVED: "the pattern's schema against `additionalProperties` after it",
    K.DEPENDENT_SCHEMA_ADDED: "the dependent schema against `true`",
    K.DEPENDENT_SCHEMA_REMOVED: "the dependent schema against `true`",
    K.PREFIX_ITEM_ADDED: "the new position's schema against the old rest schema",
    K.PREFIX_ITEM_REMOVED: "the old position's schema against the new rest schema",
    K.ALL_OF_BRANCH_ADDED: "whether every old instance fits the new member",
    K.ALL_OF_BRANCH_REMOVED: "whether every new instance fits the old member",
    K.ANY_OF_ADDED: "whether a branch (or, piece by piece, several) accepts every old instance",
    K.ANY_OF_REMOVED: "whether a branch accepts every new instance",
    K.ANY_OF_BRANCH_ADDED: "FORWARD: whether an old branch accepts all the new one does",
    K.ANY_OF_BRANCH_REMOVED: "BACKWARD: whether another branch accepts all the removed one did",
    K.ONE_OF_ADDED: "as `any_of_added`, each old instance's branch provably apart from the rest",
    K.ONE_OF_REMOVED: "as `any_of_removed`, with exclusivity",
    K.ONE_OF_BRANCH_ADDED: "FORWARD as `any_of_branch_added`; exclusivity is `one_of_branches_overlap`",
    K.ONE_OF_BRANCH_REMOVED: "BACKWARD as `any_of_branch_removed`; exclusivity is `one_of_branches_overlap`",
    K.ONE_OF_BRANCHES_OVERLAP: "breaks BACKWARD when a branch gained instances, FORWARD when one lost them",
    K.COMBINATOR_CHANGED: "both ways by instance sets (oneOf → anyOf, allOf → anyOf, …)",
    K.NOT_ADDED: "compatible FORWARD; BACKWARD only for `not: false`",
    K.NOT_REMOVED: "compatible BACKWARD; FORWARD only for `not: false`",
    K.CONDITION_ADDED: "`then`/`else` against `true`",
    K.CONDITION_REMOVED: "`then`/`else` against `true`",
    K.UNPROVEN: "breaks each direction the engine could not prove (see Proven and unproven shapes)",
}


def _verdict(ok: bool | None) -> str:
    return "depends" if ok is None else ("compatible" if ok else "**breaks**")


def kinds_table() -> str:
    """A Markdown table: each kind, its BACKWARD and FORWARD verdict under strict and lenient."""
    columns = ["kind", "nature", "BACKWARD (strict)", "FORWARD (strict)"]
    columns += ["BACKWARD (lenient)", "FORWARD (lenient)", "decided by"]
    lines = ["| " + " | ".join(columns) + " |", "|" + " --- |" * len(columns)]
    for kind in ChangeKind:
        rule = RULES[kind]
        strict = (_verdict(rule.backward), _verdict(rule.forward))
        lenient = ("compatible*", "compatible*") if kind in LENIENT_BOTH_WAYS else strict
        note = DEPENDS_ON.get(kind, "" if rule.nature is not Nature.DEPENDS else "the subschemas compared")
        cells = [f"`{kind.value}`", rule.nature.value, *strict, *lenient, note]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def proven_table() -> str:
    """Markdown tables: each modelled keyword and how it is proven; the shapes reported as unproven."""
    lines = ["| keyword | modelled as |", "| --- | --- |"]
    lines += [f"| `{keyword}` | {how} |" for keyword, (_, how) in MODELLED.items()]
    lines += ["", "| shape | reported as |", "| --- | --- |"]
    lines += [f"| {shape} | {verdict} |" for shape, verdict in INTERACTIONS]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(kinds_table(), end="")
    print()
    print(proven_table(), end="")
