"""What the engine proves, and the shapes it reports as ``unproven`` instead of guessing.

The engine never says "compatible" by default. Every keyword it reads is listed in
:data:`MODELLED` with the shape of value it models; a keyword outside that table, or a
known keyword in a shape the table does not allow, is an ``unproven`` change whenever its
value differs. Some interactions between keywords are modelled only in part; where one of
them meets a change, :func:`unproven` adds an ``unproven`` finding that breaks each
direction the engine cannot prove (:data:`INTERACTIONS` lists them for the docs):

* ``unevaluatedProperties``/``unevaluatedItems`` beside in-place applicators (2020-12 core
  11): which names count as "evaluated" depends on which branches matched, so a property,
  pattern or branch added or removed below changes what the unevaluated keyword sees;
* ``$dynamicRef``/``$recursiveRef`` (core 8.2.3.2): the target depends on the dynamic
  scope, which the engine does not follow;
* ``contains`` changed beside ``maxContains`` (validation 6.4.4): more matching items can
  exceed the maximum, fewer can miss the minimum.

Each unproven finding is checked for a witness like any other break.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from registry.lint.change import Change
from registry.lint.kinds import ChangeKind
from registry.lint.pair import Pair, presence
from registry.lint.refs import is_trivially_true

Shape = Callable[[Any], bool]
PREFIX = "could not prove this change compatible: "


def _number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _count(v: Any) -> bool:
    return _number(v) and v >= 0 and float(v).is_integer()


def _schema(v: Any) -> bool:
    return isinstance(v, dict | bool)


# Containers of subschemas: a member that is not a schema is reported where it is compared
# (``keyword_changed``: "is not a schema"), so only the container's own shape is checked here.
def _schemas(v: Any) -> bool:
    return isinstance(v, list) and len(v) > 0


def _schema_map(v: Any) -> bool:
    return isinstance(v, dict)


def _names(v: Any) -> bool:
    return isinstance(v, list) and all(isinstance(n, str) for n in v)


def _type(v: Any) -> bool:
    return isinstance(v, str) or _names(v)


def _string(v: Any) -> bool:
    return isinstance(v, str)


def _any(v: Any) -> bool:
    return True


def _dependencies(v: Any) -> bool:
    return isinstance(v, dict) and all(isinstance(d, dict | bool) or _names(d) for d in v.values())


def _bound(v: Any) -> bool:
    return _number(v) or isinstance(v, bool)  # draft 4's boolean exclusiveMinimum/Maximum


#: Every keyword that decides validity, with the shape of value the engine models and how.
MODELLED: dict[str, tuple[Shape, str]] = {
    "type": (
        _type,
        "set of type names; `integer` inside `number`; beside `enum` the types of its values, "
        "beside a whole `multipleOf` `integer` for `number` (draft 6 on)",
    ),
    "enum": (
        lambda v: isinstance(v, list),
        "set of values (1 and 1.0 equal, true and 1 not); values `type` rejects left out",
    ),
    "const": (_any, "a one-value `enum`"),
    "minimum": (_number, "bound, with `exclusiveMinimum` the stricter of the two"),
    "maximum": (_number, "bound, with `exclusiveMaximum` the stricter of the two"),
    "exclusiveMinimum": (_bound, "bound (draft 4: a flag on `minimum`)"),
    "exclusiveMaximum": (_bound, "bound (draft 4: a flag on `maximum`)"),
    "multipleOf": (
        lambda v: _number(v) and v > 0,
        "exact rational divisibility of the factors; on integers a factor p/q steps by p",
    ),
    "minLength": (_count, "bound, compared as a number"),
    "maxLength": (_count, "bound, compared as a number"),
    "pattern": (_string, "text equality (a changed pattern breaks both ways)"),
    "format": (_string, "read as an assertion; text equality"),
    "properties": (_schema_map, "per name, against the other side's catch-all for that name"),
    "patternProperties": (
        _schema_map,
        "per pattern, against `additionalProperties` and every declared property it matches",
    ),
    "additionalProperties": (_schema, "schema for names no property or pattern takes"),
    "unevaluatedProperties": (_schema, "as `additionalProperties` when no applicator is beside it"),
    "required": (_names, "set of names"),
    "dependentRequired": (_dependencies, "set of names per trigger"),
    "dependentSchemas": (_schema_map, "schema per trigger"),
    "dependencies": (_dependencies, "draft 7: either of the two above per trigger"),
    "propertyNames": (
        _schema,
        "schema for every name; where it admits declared names only, `additionalProperties: false`",
    ),
    "minProperties": (_count, "bound, compared as a number"),
    "maxProperties": (_count, "bound, compared as a number"),
    "prefixItems": (_schemas, "positional schemas"),
    "items": (lambda v: _schema(v) or _schemas(v), "schema for the rest (draft 7 array: positional)"),
    "additionalItems": (_schema, "draft 7: schema for the rest after an array `items`"),
    "unevaluatedItems": (_schema, "rest schema when nothing beside it evaluates items"),
    "minItems": (_count, "bound, compared as a number"),
    "maxItems": (_count, "bound, compared as a number"),
    "uniqueItems": (lambda v: isinstance(v, bool), "flag"),
    "contains": (_schema, "schema; with `maxContains` beside it a change is unproven"),
    "minContains": (_count, "bound beside `contains` (default 1)"),
    "maxContains": (_count, "bound beside `contains`"),
    "allOf": (_schemas, "instance sets: each member must hold"),
    "anyOf": (_schemas, "instance sets: some branch holds, branches paired by best fit"),
    "oneOf": (_schemas, "instance sets with exclusivity proved by disjointness"),
    "not": (_schema, "complement: inner changes swap direction"),
    "if": (_schema, "a changed condition breaks both ways"),
    "then": (_schema, "compared beside an unchanged `if`; not weighed where the keywords beside rule it out"),
    "else": (_schema, "compared beside an unchanged `if`; not weighed where the keywords beside imply it"),
    "$ref": (_string, "resolved inside the document and compared by meaning; external by text"),
}
#: Keywords read in full elsewhere: annotations, identifiers and containers.
NOT_ASSERTIONS = "annotations (`title`, `description`, `default`, …), `$schema`, `$id`, `$anchor`, `$defs`"

#: Interactions modelled only in part, as the docs list them: (shape, what is reported).
INTERACTIONS: tuple[tuple[str, str], ...] = (
    (
        "`unevaluatedProperties`/`unevaluatedItems` beside `allOf`, `anyOf`, `oneOf`, `if`, `$ref` "
        "or `dependentSchemas`, when a property, pattern, branch or content model changes below, "
        "or anything below an evaluating keyword (`items`, `contains`, `additionalProperties` …)",
        "unproven in the direction the change of evaluated names may break: an addition keeps "
        "BACKWARD, a removal keeps FORWARD, anything else neither",
    ),
    (
        "`unevaluatedProperties`/`unevaluatedItems` beside those applicators, when an evaluating "
        "keyword that asserts nothing (`additionalProperties: {}`, `items: true` …) comes or goes "
        "below them, directly or in a `$ref`'s target",
        "unproven both ways",
    ),
    ("`$dynamicRef` or `$recursiveRef` in documents that differ", "unproven both ways"),
    ("`contains` changed beside `maxContains`", "unproven both ways"),
    (
        "recursive `$ref`s whose comparison still changes after 8 rounds of assuming and checking",
        "unproven both ways",
    ),
    ("a keyword outside the table, or a known one in another shape, that differs", "unproven both ways"),
    ("draft 7 and older: keywords beside `$ref`", "ignored, as those drafts do (proven)"),
)

_APPLICATORS = frozenset(
    {"allOf", "anyOf", "oneOf", "if", "then", "else", "$ref", "$dynamicRef", "$recursiveRef"}
    | {"dependentSchemas", "dependencies", "contains"}
)
_UNEVALUATED = frozenset({"unevaluatedProperties", "unevaluatedItems"})
_DYNAMIC = frozenset({"$dynamicRef", "$recursiveRef"})
K = ChangeKind
# Changes that add to the names or items some applicator evaluates, and ones that take away.
_GROWS = frozenset(
    {
        K.PROPERTY_ADDED, K.PROPERTY_ADDED_TO_CLOSED_MODEL, K.PROPERTY_ADDED_TO_PARTIALLY_OPEN_MODEL,
        K.PATTERN_PROPERTY_ADDED, K.ALL_OF_BRANCH_ADDED, K.ANY_OF_BRANCH_ADDED, K.ONE_OF_BRANCH_ADDED,
        K.DEPENDENT_SCHEMA_ADDED, K.PREFIX_ITEM_ADDED, K.CONTAINS_ADDED, K.CONTENT_MODEL_OPENED,
        K.TUPLE_OPENED, K.CONDITION_ADDED, K.ANY_OF_ADDED, K.ONE_OF_ADDED,
    }
)  # fmt: skip
_SHRINKS = frozenset(
    {
        K.PROPERTY_REMOVED, K.PROPERTY_REMOVED_FROM_CLOSED_MODEL,
        K.PROPERTY_REMOVED_FROM_PARTIALLY_OPEN_MODEL, K.PATTERN_PROPERTY_REMOVED,
        K.ALL_OF_BRANCH_REMOVED, K.ANY_OF_BRANCH_REMOVED, K.ONE_OF_BRANCH_REMOVED,
        K.DEPENDENT_SCHEMA_REMOVED, K.PREFIX_ITEM_REMOVED, K.CONTAINS_REMOVED, K.CONTENT_MODEL_CLOSED,
        K.TUPLE_CLOSED, K.CONDITION_REMOVED, K.ANY_OF_REMOVED, K.ONE_OF_REMOVED,
    }
)  # fmt: skip
_EITHER = frozenset({K.COMBINATOR_CHANGED, K.CONDITION_CHANGED, K.REF_CHANGED, K.KEYWORD_CHANGED})
del K


def unproven(pair: Pair) -> list[Change]:
    """The ``unproven`` findings for the interactions at this pair, given its changes so far."""
    found: list[Change] = []
    keys = pair.old.keys() | pair.new.keys()
    if not keys.isdisjoint(_DYNAMIC) and pair.engine.documents_differ:
        found.append(
            _finding(
                pair,
                pair.at(next(k for k in ("$dynamicRef", "$recursiveRef") if k in keys)),
                "$dynamicRef/$recursiveRef is resolved through the dynamic scope, which is not followed",
                (False, False),
            )
        )
    if not keys.isdisjoint(_UNEVALUATED) and not keys.isdisjoint(_APPLICATORS):
        evaluation = _evaluation(pair)
        found += evaluation or _evaluated_shape_changed(pair)
    return found


def _evaluation(pair: Pair) -> list[Change]:
    found = []
    keyword = (
        "unevaluatedProperties"
        if "unevaluatedProperties" in (pair.old.keys() | pair.new.keys())
        else "unevaluatedItems"
    )
    for change in pair.out:
        grows, shrinks = _marks(change)
        if change.kind in _GROWS or grows:
            compat = (change.backward, False)
        elif change.kind in _SHRINKS or shrinks:
            compat = (False, change.forward)
        elif change.kind in _EITHER or _below_evaluator(pair.path, change.path):
            compat = (False, False)
        else:
            continue
        if compat == (change.backward, change.forward):
            continue
        found.append(
            _finding(
                pair,
                change.path,
                f"{change.message}, which changes what {keyword} at {pair.subject} counts as evaluated",
                compat,
            )
        )
    return found


# Keywords whose mere presence makes names or items "evaluated" (core 10.3, 11).
_EVALUATORS = frozenset(
    {"items", "prefixItems", "additionalItems", "contains", "additionalProperties"}
    | {"unevaluatedItems", "unevaluatedProperties"}
)


_IN_PLACE_LISTS = ("allOf", "anyOf", "oneOf")
_IN_PLACE_ONE = ("if", "then", "else")
_IN_PLACE_NAMED = ("dependentSchemas", "dependencies")
_REFERENCES = ("$ref", "$dynamicRef", "$recursiveRef")


def _evaluated_shape(schema: dict) -> tuple[frozenset[str], bool]:
    """What the in-place applicators of ``schema`` can make evaluated, as comparable text.

    The evaluating keywords found through ``allOf``/``anyOf``/``oneOf``, ``if``/``then``/
    ``else`` and ``dependentSchemas``, and the names and tuple lengths they list. A keyword
    that asserts nothing (``additionalProperties: {}``, ``items: true``) reports no change
    of its own, yet its presence alone hides names or items from ``unevaluated*``: comparing
    this shape catches its coming and going. The second value says whether a reference was
    met (its target is outside this shape).
    """
    shape: set[str] = set()
    refs = False
    stack: list[tuple[Any, str]] = []

    def below(node: dict, at: str) -> None:
        for key in _IN_PLACE_LISTS:
            if isinstance(node.get(key), list):
                stack.extend((v, f"{at}/{key}/{i}") for i, v in enumerate(node[key]))
        stack.extend((node[key], f"{at}/{key}") for key in _IN_PLACE_ONE if key in node)
        for key in _IN_PLACE_NAMED:
            if isinstance(node.get(key), dict):
                stack.extend((v, f"{at}/{key}/{name}") for name, v in node[key].items())

    below(schema, "")
    while stack:
        node, at = stack.pop()
        if isinstance(node, dict):
            refs = any([_record(shape, at, key, value) for key, value in node.items()]) or refs
            below(node, at)
    return frozenset(shape), refs


def _record(shape: set[str], at: str, key: str, value: Any) -> bool:
    """Add what ``key`` makes evaluated to ``shape``; whether it is a reference."""
    if key in _EVALUATORS:
        shape.add(f"{at}/{key}" + (f"#{len(value)}" if isinstance(value, list) else ""))
    elif key in ("properties", "patternProperties") and isinstance(value, dict):
        shape.update(f"{at}/{key}/{name}" for name in value)
    elif key == "prefixItems" and isinstance(value, list):
        shape.add(f"{at}/prefixItems#{len(value)}")
    elif key in _REFERENCES:
        shape.add(f"{at}/{key}={value}")
        return True
    return False


def _evaluated_anywhere(root: Any) -> frozenset[str]:
    """Every evaluating keyword and listed name in a whole document, by where it stands."""
    shape: set[str] = set()
    stack: list[tuple[Any, str]] = [(root, "")]
    while stack:
        node, at = stack.pop()
        if isinstance(node, list):
            stack.extend((v, f"{at}/{i}") for i, v in enumerate(node))
        elif isinstance(node, dict):
            for key, value in node.items():
                if key in _EVALUATORS or key == "prefixItems":
                    shape.add(f"{at}/{key}")
                elif key in ("properties", "patternProperties") and isinstance(value, dict):
                    shape.update(f"{at}/{key}/{name}" for name in value)
                stack.append((value, f"{at}/{key}"))
    return frozenset(shape)


def _evaluated_shape_changed(pair: Pair) -> list[Change]:
    """``unproven`` both ways when what the applicators beside ``unevaluated*`` evaluate
    changed with no reported change to say so (see ``_evaluated_shape``)."""
    keyword = next(k for k in ("unevaluatedProperties", "unevaluatedItems") if k in pair.old or k in pair.new)
    (old, old_refs), (new, new_refs) = _evaluated_shape(pair.old), _evaluated_shape(pair.new)
    if old == new and (old_refs or new_refs) and pair.engine.documents_differ:
        # A reference's target may have gained or lost an evaluating keyword elsewhere.
        old = _evaluated_anywhere(pair.engine.old_doc.root)
        new = _evaluated_anywhere(pair.engine.new_doc.root)
    if old == new:
        return []
    first = min(old ^ new)
    return [
        _finding(
            pair,
            pair.at(keyword),
            f"{'removing' if first in old else 'adding'} {first.lstrip('/')} beside {keyword} at "
            f"{pair.subject} changes what it counts as evaluated",
            (False, False),
        )
    ]


def _below_evaluator(here: str, path: str) -> bool:
    """Whether a change lies below an evaluating keyword, which may have come or gone with it.

    A nested ``items`` added inside an ``anyOf`` branch reports only what its schema
    narrows, yet it also evaluates every item, which the ``unevaluatedItems`` here then skips.
    """
    if not path.startswith(here):
        return False
    return not _EVALUATORS.isdisjoint(path[len(here) :].split("/"))


#: Keywords whose ``true`` accepts every value yet marks what it covers as evaluated.
MARKING = frozenset(
    {"additionalProperties", "unevaluatedProperties", "items", "additionalItems", "unevaluatedItems"}
)
_MARKED = (ChangeKind.ANNOTATION_ADDED, ChangeKind.ANNOTATION_REMOVED, ChangeKind.ANNOTATION_CHANGED)


def marking(pair: Pair) -> None:
    """An evaluating keyword that accepts every value, added or removed.

    No instance changes verdict here, but an ``unevaluated*`` further out now sees fewer
    (or more) unevaluated names or items (2020-12 core 11.2-11.3). The change is listed, as
    compatible, so that :func:`unproven` weighs it at every ``unevaluated*`` above.
    """
    for key in sorted(MARKING & (pair.old.keys() ^ pair.new.keys())):
        had = key in pair.old
        value = pair.old[key] if had else pair.new[key]
        if not is_trivially_true(value):
            continue  # compared in full by its own rule
        kind, verb = presence(_MARKED, had, not had)
        pair.emit(
            kind,
            pair.at(key),
            value if had else None,
            None if had else value,
            f"{pair.subject} {key} {verb}: it accepts every value, but marks what it covers as evaluated",
            (True, True),
        )


def _marks(change: Change) -> tuple[bool, bool]:
    """Whether ``change`` is :func:`marking`'s, adding or removing what counts as evaluated.

    Validity below is unchanged, so which branches hold is too: the evaluated names only
    grow (or only shrink), and the ``unevaluated*`` above applies to fewer (or more).
    """
    if change.kind not in _MARKED[:2] or change.path.rsplit("/", 1)[-1] not in MARKING:
        return False, False
    return change.kind is ChangeKind.ANNOTATION_ADDED, change.kind is ChangeKind.ANNOTATION_REMOVED


def counted_contains(pair: Pair, inner: list[Change]) -> list[Change]:
    """``contains`` changed beside ``maxContains``: the count of matching items moves both ways."""
    if "maxContains" not in pair.old and "maxContains" not in pair.new:
        return []
    if all(c.backward and c.forward for c in inner):
        return []
    return [
        _finding(
            pair,
            pair.at("contains"),
            f"{pair.subject} contains changed beside maxContains, so more or fewer items may match",
            (False, False),
        )
    ]


def misshapen(pair: Pair, key: str, old: Any, new: Any) -> bool:
    """Whether a modelled keyword holds a value outside the shape the engine models."""
    shape = MODELLED.get(key)
    if shape is None:
        return False
    return (key in pair.old and not shape[0](old)) or (key in pair.new and not shape[0](new))


def _finding(pair: Pair, path: str, why: str, compat: tuple[bool, bool]) -> Change:
    return Change(ChangeKind.UNPROVEN, path, None, None, compat[0], compat[1], PREFIX + why)
