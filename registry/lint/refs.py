"""``$ref`` resolution inside one schema document, so the engine compares what refs mean.

A schema is compared by what it accepts, not by how it is spelled: ``{"$ref": "#/$defs/A"}``
and the inlined body of ``A`` are the same schema. References are resolved against the
document's own JSON pointers, ``$anchor`` names and ``$id`` values (2020-12 core sections
8.2.1-8.2.3.1); a reference that leaves the document is kept as an opaque string.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from registry.errors import LimitExceeded

# Keywords that do not change which instances a schema accepts; a ``$ref`` with only these
# beside it is the referenced schema (2020-12 core section 8.2.3.1 applies ``$ref`` in place).
ANNOTATIONS = frozenset(
    {
        "title",
        "description",
        "default",
        "examples",
        "deprecated",
        "readOnly",
        "writeOnly",
        "$comment",
        # 2020-12 validation section 8: content keywords are annotations only.
        "contentEncoding",
        "contentMediaType",
        "contentSchema",
    }
)
# Identification and containers: compared through the references that use them.
STRUCTURAL = frozenset(
    {"$schema", "$id", "$anchor", "$dynamicAnchor", "$vocabulary", "$defs", "definitions", "id"}
)
_HARMLESS = ANNOTATIONS | STRUCTURAL


def escape(token: str) -> str:
    """Escape one JSON pointer token (RFC 6901 section 3)."""
    return token.replace("~", "~0").replace("/", "~1")


def join(pointer: str | None, *tokens: str | int) -> str | None:
    if pointer is None:
        return None
    return pointer + "".join("/" + escape(str(t)) for t in tokens)


def is_trivially_true(schema: Any) -> bool:
    """``true``, ``{}``, or a schema holding only annotations accepts every instance."""
    if schema is True:
        return True
    return isinstance(schema, dict) and all(k in _HARMLESS for k in schema)


def is_false(schema: Any) -> bool:
    """``false`` or ``{"not": {}}`` accepts nothing (2020-12 core section 4.3.2)."""
    if schema is False:
        return True
    return (
        isinstance(schema, dict)
        and "not" in schema
        and is_trivially_true(schema["not"])
        and all(k == "not" or k in _HARMLESS for k in schema)
    )


# Where subschemas live (2020-12 core 10.2-10.3, 11; validation 8; draft 7 spellings too).
_SUBSCHEMA = frozenset(
    {
        "items", "additionalItems", "contains", "additionalProperties", "propertyNames", "not",
        "if", "then", "else", "unevaluatedItems", "unevaluatedProperties", "contentSchema",
    }
)  # fmt: skip
_SUBSCHEMA_LISTS = frozenset({"allOf", "anyOf", "oneOf", "prefixItems", "items"})
_SUBSCHEMA_MAPS = frozenset(
    {"properties", "patternProperties", "$defs", "definitions", "dependentSchemas", "dependencies"}
)
#: Nested subschemas deeper than this are refused (``properties`` of ``properties`` … counts one
#: level each). Real contracts stay far below; hostile ones would exhaust the interpreter's stack.
MAX_SCHEMA_DEPTH = 64
#: JSON values (``const``, ``enum``, ``default`` …) nested deeper than this are refused likewise.
MAX_JSON_DEPTH = 256
_SCHEMA, _MAP, _VALUE = 0, 1, 2
#: Integers beyond this size are refused: Python cannot even print one past 4,300 digits.
MAX_INTEGER = 10**1000


class Document:
    """One schema document: resolves its references (to pointers, anchors and ids).

    Reading it enforces the bounds above with :class:`~registry.errors.LimitExceeded`
    (``schema.depth``, ``schema.number``), so the engine's recursion stays bounded.
    """

    def __init__(self, root: Any) -> None:
        self.root = root
        # Drafts 3 to 7 ignore every keyword beside ``$ref`` (draft 7 core 8.3); 2019-09 on
        # apply them too. Read from the document's own ``$schema``.
        self.ref_ignores_siblings = legacy_dialect(root)
        # Draft 4 and older type 1.0 as a number only and know no ``const`` or
        # ``propertyNames`` (draft 6 core 4.2.2, validation 6.24, 6.25).
        self.before_draft6 = legacy_dialect(root, _BEFORE_6)
        self._anchors: dict[str, str] = {}
        self._ids: dict[str, str] = {}
        self._path: list[str] = []
        self._index(root, 0, 0, _SCHEMA)

    def _pointer(self) -> str:
        return "".join("/" + escape(t) for t in self._path)

    def _index(self, node: Any, depth: int, nesting: int, role: int) -> bool:
        """Record anchors, ids and ref-free subtrees; refuse documents past the bounds.

        ``role`` says what ``node`` is: a schema, a map or list of schemas, or a plain value.
        Recursion here is bounded by the limits before it can go deeper.
        """
        if depth > MAX_SCHEMA_DEPTH or nesting > MAX_JSON_DEPTH:
            raise _too_deep(self._pointer(), schema=depth > MAX_SCHEMA_DEPTH)
        has_ref = False
        is_map = isinstance(node, dict)
        if is_map:
            has_ref = role == _SCHEMA and self._record(node)
            children: Any = node.items()
        elif isinstance(node, list):
            children = ((str(i), value) for i, value in enumerate(node))
        else:
            return False
        for key, value in children:
            if isinstance(value, dict | list):
                # A list of schemas keeps its role and depth; a map's entries get theirs by key.
                child_depth, child_role = _child(role, key, value, depth) if is_map else (depth, role)
                self._path.append(key)
                if self._index(value, child_depth, nesting + 1, child_role):
                    has_ref = True
                self._path.pop()
            elif type(value) is int and not -MAX_INTEGER < value < MAX_INTEGER:
                raise _too_big(self._pointer() + "/" + escape(key))
        return has_ref

    def _record(self, node: dict[str, Any]) -> bool:
        """Note a schema's anchor and id; whether it refers elsewhere itself."""
        anchor = node.get("$anchor")
        if isinstance(anchor, str):
            self._anchors.setdefault(anchor, self._pointer())
        ident = node.get("$id")
        if isinstance(ident, str) and len(ident) > 1 and ident.startswith("#") and "/" not in ident:
            # A plain-name fragment ``$id`` is draft 6-7's spelling of ``$anchor`` (draft 7 core 8.2.3).
            self._anchors.setdefault(unquote(ident[1:]), self._pointer())
        elif isinstance(ident, str) and self._path:
            self._ids.setdefault(ident.rstrip("#"), self._pointer())
        return isinstance(node.get("$ref"), str) or "$dynamicRef" in node or "$recursiveRef" in node

    def lookup(self, pointer: str) -> Any:
        node = self.root
        for token in _tokens(pointer):
            if isinstance(node, dict) and token in node:
                node = node[token]
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                node = node[int(token)]
            else:
                raise KeyError(pointer)
        return node

    def target(self, ref: str) -> str | None:
        """The pointer a reference names inside this document, or None if it leaves it."""
        base, _, fragment = ref.partition("#")
        if base:
            start = self._ids.get(base)
            if start is None:
                root_id = self.root.get("$id") if isinstance(self.root, dict) else None
                if not (isinstance(root_id, str) and root_id.rstrip("#") == base):
                    return None
                start = ""
        else:
            start = ""
        fragment = unquote(fragment)
        if fragment and not fragment.startswith("/"):
            return self._anchors.get(fragment)
        return start + fragment

    def resolve(self, schema: Any, pointer: str | None) -> Resolved:
        """Follow ``$ref`` until a schema that is not a bare reference.

        A reference with sibling assertions becomes the merged schema (both apply: 2020-12
        core 10.2.1 reads adjacent keywords as a conjunction, and core 8.2.3.1 applies
        ``$ref`` in place); ``origins`` then says where each merged keyword really lives,
        so pointers below it stay real and recursion through it stays finite. Annotations
        beside a reference are kept apart in ``notes``. An unresolvable reference, or a
        cycle of bare references, is left as it is.
        """
        origins: dict[str, str | None] | None = None
        notes: dict[str, Any] = {}
        seen: set[str] = set()
        while isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
            target = self.target(schema["$ref"])
            if target is None or target in seen:
                break
            seen.add(target)
            try:
                body = self.lookup(target)
            except KeyError:
                break
            for key, value in schema.items():
                if key in ANNOTATIONS:
                    notes.setdefault(key, value)
            siblings = {k: v for k, v in schema.items() if k != "$ref" and k not in _HARMLESS}
            if self.ref_ignores_siblings:
                siblings = {}
            if not siblings:
                schema, pointer = body, target
                continue
            where = {k: (origins.get(k) if origins else pointer) for k in siblings}
            if is_trivially_true(body):
                schema, origins = siblings, where
                break
            if not isinstance(body, dict) or siblings.keys() & body.keys():
                # Both apply in full. The reference stays a reference so that it resolves to
                # its real place, which keeps recursion through it finite.
                merged_at = None if pointer is None else f"{pointer}#merged"
                return Resolved({"allOf": [{"$ref": schema["$ref"]}, siblings]}, merged_at, None, notes)
            merged = {k: v for k, v in body.items() if k not in _HARMLESS}
            origins = {**{k: target for k in merged}, **where}
            merged.update(siblings)
            schema = merged
        return Resolved(schema, pointer, origins, notes)


@dataclass(frozen=True)
class Resolved:
    schema: Any
    pointer: str | None  # where the schema lives (the outermost holder when merged)
    origins: dict[str, str | None] | None  # for a merged schema: keyword → pointer of its owner
    notes: dict[str, Any]  # annotations written beside the references followed
    # Declared names left out of ``properties`` because ``propertyNames`` rejects them
    # (:mod:`registry.lint.names`): said in messages, never compared.
    dropped: frozenset[str] = frozenset()


_LEGACY = ("draft-03", "draft-04", "draft-06", "draft-07")
_BEFORE_6 = ("draft-03", "draft-04")


def legacy_dialect(root: Any, drafts: tuple[str, ...] = _LEGACY) -> bool:
    """Whether ``root`` declares one of ``drafts`` (draft 7 or older) in ``$schema``."""
    declared = root.get("$schema") if isinstance(root, dict) else None
    return isinstance(declared, str) and any(name in declared for name in drafts)


def _tokens(pointer: str) -> Iterator[str]:
    if not pointer:
        return
    for token in pointer.lstrip("/").split("/") if pointer.startswith("/") else [pointer]:
        yield token.replace("~1", "/").replace("~0", "~")


def _child(role: int, key: str, value: Any, depth: int) -> tuple[int, int]:
    """The schema depth and role of ``value``, found under ``key`` of a node in ``role``."""
    if role == _MAP:
        return depth + 1, _SCHEMA
    if role == _SCHEMA:
        if key in _SUBSCHEMA_MAPS and isinstance(value, dict):
            return depth, _MAP
        if key in _SUBSCHEMA or key in _SUBSCHEMA_LISTS:
            return depth + 1, _SCHEMA
    return depth, _VALUE


def _too_deep(pointer: str, *, schema: bool) -> LimitExceeded:
    what = f"{MAX_SCHEMA_DEPTH} levels of nested subschemas" if schema else f"{MAX_JSON_DEPTH} levels of JSON"
    return LimitExceeded(
        f"schema is nested more than {what} (at {pointer or 'the root'})",
        rule="schema.depth",
        hint="flatten the schema: name repeated parts in $defs and refer to them with $ref",
    )


def _too_big(pointer: str) -> LimitExceeded:
    return LimitExceeded(
        f"schema holds an integer with more than 1,000 digits (at {pointer})",
        rule="schema.number",
        hint="use a smaller bound, or drop it: no JSON parser keeps such a number exact",
    )
