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
_CONTAINERS = (dict, list)
_ABSENT: Any = object()
_NO_TWINS: dict[str, Any] = {}
#: Levels of nesting below which a document read beside another skips what they share.
_TWIN_LEVELS = 8
#: Integers beyond this size are refused: Python cannot even print one past 4,300 digits.
MAX_INTEGER = 10**1000


class Document:
    """One schema document: resolves its references (to pointers, anchors and ids).

    Reading it enforces the bounds above with :class:`~registry.errors.LimitExceeded`
    (``schema.depth``, ``schema.number``), so the engine's recursion stays bounded.
    """

    def __init__(self, root: Any, *, like: Document | None = None) -> None:
        self.root = root
        # Drafts 3 to 7 ignore every keyword beside ``$ref`` (draft 7 core 8.3); 2019-09 on
        # apply them too. Read from the document's own ``$schema``.
        self.ref_ignores_siblings = legacy_dialect(root)
        # Draft 4 and older type 1.0 as a number only and know no ``const`` or
        # ``propertyNames`` (draft 6 core 4.2.2, validation 6.24, 6.25).
        self.before_draft6 = legacy_dialect(root, _BEFORE_6)
        self._anchors: dict[str, str] = {}
        self._ids: dict[str, str] = {}
        # A subtree equal to the one at the same place of ``like`` (read already, with no
        # anchor or id anywhere) is within the bounds and holds no anchor or id either: it is
        # not read again. The two sides of a comparison are mostly equal.
        twin = like.root if like is not None and not like._anchors and not like._ids else _ABSENT
        if isinstance(root, dict):
            self._visit_map(root, 0, 0, _SCHEMA, None, twin)
        elif isinstance(root, list):
            self._visit_list(root, 0, 0, _SCHEMA, None, twin)

    # Reading a document records its anchors and ids and refuses it past the bounds. Nodes are
    # visited in document order, so the first of two equal anchors wins; recursion is bounded
    # by the limits before it can go deeper. One call per container: this runs on every node.

    def _visit_list(
        self, node: list[Any], depth: int, nesting: int, role: int, path: _Path, twin: Any
    ) -> None:
        if depth > MAX_SCHEMA_DEPTH or nesting > MAX_JSON_DEPTH:
            raise _too_deep(_pointer(path), schema=depth > MAX_SCHEMA_DEPTH)
        # Each level compares its subtree with the twin's again: a few levels only, so the
        # comparisons stay linear in the document, whatever its depth.
        twins = twin if nesting < _TWIN_LEVELS and isinstance(twin, list) else ()
        for i, value in enumerate(node):
            if isinstance(value, _CONTAINERS):
                other = twins[i] if i < len(twins) else _ABSENT
                if other is not _ABSENT and other == value:
                    continue
                # A list of schemas keeps its role and depth.
                if isinstance(value, dict):
                    self._visit_map(value, depth, nesting + 1, role, (path, str(i)), other)
                else:
                    self._visit_list(value, depth, nesting + 1, role, (path, str(i)), other)
            elif type(value) is int and not -MAX_INTEGER < value < MAX_INTEGER:
                raise _too_big(_pointer((path, str(i))))

    def _visit_map(
        self, node: dict[str, Any], depth: int, nesting: int, role: int, path: _Path, twin: Any
    ) -> None:
        if depth > MAX_SCHEMA_DEPTH or nesting > MAX_JSON_DEPTH:
            raise _too_deep(_pointer(path), schema=depth > MAX_SCHEMA_DEPTH)
        if role == _SCHEMA and ("$anchor" in node or "$id" in node):
            self._record(node, path)
        twins = twin if nesting < _TWIN_LEVELS and isinstance(twin, dict) else _NO_TWINS
        nesting += 1
        for key, value in node.items():
            if isinstance(value, _CONTAINERS):
                other = twins.get(key, _ABSENT)
                if other is not _ABSENT and other == value:
                    continue
                # An entry of a map of schemas is a schema one level down; a schema's keyword
                # holds a schema, a map or list of them, or a plain value.
                if role == _MAP:
                    child_depth, child_role = depth + 1, _SCHEMA
                elif role == _SCHEMA and key in _SUBSCHEMA_MAPS and isinstance(value, dict):
                    child_depth, child_role = depth, _MAP
                elif role == _SCHEMA and (key in _SUBSCHEMA or key in _SUBSCHEMA_LISTS):
                    child_depth, child_role = depth + 1, _SCHEMA
                else:
                    child_depth, child_role = depth, _VALUE
                if isinstance(value, dict):
                    self._visit_map(value, child_depth, nesting, child_role, (path, key), other)
                else:
                    self._visit_list(value, child_depth, nesting, child_role, (path, key), other)
            elif type(value) is int and not -MAX_INTEGER < value < MAX_INTEGER:
                raise _too_big(_pointer((path, key)))

    def _record(self, node: dict[str, Any], path: _Path) -> None:
        """Note a schema's anchor and id."""
        anchor = node.get("$anchor")
        if isinstance(anchor, str):
            self._anchors.setdefault(anchor, _pointer(path))
        ident = node.get("$id")
        if isinstance(ident, str) and len(ident) > 1 and ident.startswith("#") and "/" not in ident:
            # A plain-name fragment ``$id`` is draft 6-7's spelling of ``$anchor`` (draft 7 core 8.2.3).
            self._anchors.setdefault(unquote(ident[1:]), _pointer(path))
        elif isinstance(ident, str) and path is not None:
            self._ids.setdefault(ident.rstrip("#"), _pointer(path))

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


#: Where a node lies while the document is read: (parent's place, key), None at the root.
_Path = tuple["_Path", str] | None


def _pointer(path: _Path) -> str:
    tokens: list[str] = []
    while path is not None:
        path, key = path
        tokens.append(key)
    return "".join("/" + escape(t) for t in reversed(tokens))


def _tokens(pointer: str) -> Iterator[str]:
    if not pointer:
        return
    for token in pointer.lstrip("/").split("/") if pointer.startswith("/") else [pointer]:
        yield token.replace("~1", "/").replace("~0", "~")


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
