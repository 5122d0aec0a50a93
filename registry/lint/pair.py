"""The two schemas being compared at one place, and the helpers keyword rules share."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from registry.lint.change import Change, collapse
from registry.lint.kinds import ChangeKind
from registry.lint.normal import plainly_same
from registry.lint.refs import Resolved, join

if TYPE_CHECKING:
    from registry.lint.diff import Engine

TRUE_PTR = "#true"  # where an absent subschema (``true``) lives


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def subject(path: str) -> str:
    """Name the place a path points at, in words: ``property 'a.b'``, ``schema``, or the path."""
    if not path:
        return "schema"
    tokens = [_unescape(t) for t in path.split("/")[1:]]
    if len(tokens) % 2 == 0 and all(t == "properties" for t in tokens[::2]):
        return "property '" + ".".join(tokens[1::2]) + "'"
    if len(tokens) >= 2 and tokens[-2] == "properties":
        return f"property '{tokens[-1]}'"
    return f"'{path}'"


class Pair:
    """An old and a new schema (both dicts) at one path, and where changes go."""

    __slots__ = (
        "engine",
        "new",
        "new_origins",
        "new_ptr",
        "old",
        "old_origins",
        "old_ptr",
        "out",
        "path",
        "r_new",
        "r_old",
    )

    def __init__(
        self, engine: Engine, old: dict, new: dict, old_ptr: str | None, new_ptr: str | None, path: str
    ) -> None:
        self.engine = engine
        self.old = old
        self.new = new
        self.old_ptr = old_ptr
        self.new_ptr = new_ptr
        self.path = path
        self.out: list[Change] = []
        self.old_origins: dict[str, str | None] | None = None
        self.new_origins: dict[str, str | None] | None = None
        self.r_old: Resolved | None = None
        self.r_new: Resolved | None = None

    @property
    def subject(self) -> str:
        return subject(self.path)

    def member(self, name: str) -> str:
        """How to name property ``name`` of the object at this path."""
        return subject(join(self.path, "properties", name) or "")

    def at(self, *tokens: str | int) -> str:
        return join(self.path, *tokens) or ""

    def emit(
        self,
        kind: ChangeKind,
        path: str,
        old: Any,
        new: Any,
        message: str,
        compat: tuple[bool, bool] | None = None,
    ) -> None:
        if compat is None:
            rule = kind.rule
            if rule.backward is None or rule.forward is None:
                raise ValueError(f"{kind} needs its compatibility worked out")
            compat = (rule.backward, rule.forward)
        self.out.append(Change(kind, path, old, new, compat[0], compat[1], message))

    def old_at(self, *tokens: str | int) -> Located:
        """The old subschema at ``tokens`` below this pair, or ``true`` if absent."""
        return _locate(self.old, _base(self.old_ptr, self.old_origins, tokens), tokens)

    def new_at(self, *tokens: str | int) -> Located:
        return _locate(self.new, _base(self.new_ptr, self.new_origins, tokens), tokens)

    def whole_old(self) -> Located:
        """The whole old schema at this place, as compared here (references followed)."""
        assert self.r_old is not None
        return self.r_old, self.r_old.pointer

    def whole_new(self) -> Located:
        assert self.r_new is not None
        return self.r_new, self.r_new.pointer

    def compare(self, old: Located, new: Located, path: str) -> list[Change]:
        """Compare two located subschemas; ``path`` is where changes are reported."""
        return self.engine.compare(old[0], old[1], new[0], new[1], path)

    def compare_member(self, keyword: str, name: str | int, path: str) -> list[Change]:
        """Compare the subschemas both sides hold at ``keyword``/``name``; equal ones cost little."""
        old, new = self.old.get(keyword), self.new.get(keyword)
        if isinstance(old, dict) and isinstance(new, dict) and plainly_same(old.get(name), new.get(name)):
            return []
        return self.compare(self.old_at(keyword, name), self.new_at(keyword, name), path)

    def within(self, old: Located, new: Located, path: str) -> tuple[bool, bool]:
        """(new ⊇ old, old ⊇ new) as far as the engine can tell: BACKWARD and FORWARD."""
        return collapse(self.compare(old, new, path))


Located = tuple[Any, str | None]  # a schema (or a Resolved one) and where it lives
Kinds = tuple[ChangeKind, ChangeKind, ChangeKind]  # for a keyword added, removed, changed


def presence(kinds: Kinds, had: bool, has: bool) -> tuple[ChangeKind, str]:
    """The kind and verb for a keyword that one or both sides have."""
    if had and has:
        return kinds[2], "changed"
    return (kinds[0], "added") if has else (kinds[1], "removed")


ABSENT: Located = (True, TRUE_PTR)


def _base(
    pointer: str | None, origins: dict[str, str | None] | None, tokens: tuple[str | int, ...]
) -> str | None:
    """Where the keyword ``tokens[0]`` really lives (a merged schema takes keywords from several places)."""
    if origins is None or not tokens or not isinstance(tokens[0], str):
        return pointer
    return origins.get(tokens[0], pointer)


def _locate(schema: dict, pointer: str | None, tokens: tuple[str | int, ...]) -> Located:
    node: Any = schema
    for token in tokens:
        in_dict = isinstance(node, dict) and isinstance(token, str) and token in node
        in_list = isinstance(node, list) and isinstance(token, int) and 0 <= token < len(node)
        if not (in_dict or in_list):
            return ABSENT
        node = node[token]
    return node, join(pointer, *tokens)
