"""Reading untrusted YAML and JSON with limits.

Documents arrive from anyone who can push, so reading them must be cheap whatever
they hold. Before parsing, a document's size is checked against ``Limits``; while
composing, every alias use and every level of nesting is counted, and so is the size
the document would have with its aliases written out (``max_yaml_nodes``): a "billion
laughs" document fails after ``max_yaml_aliases`` aliases, and one whose few aliases
multiply fails as soon as its expansion passes the node limit, before anything reads it.

Every document must be what JSON can say, since the registry hashes, compares and
serves it as JSON: only the YAML tags with a JSON meaning are constructed (no
``!!binary``, ``!!set``, ``!!timestamp``, ``!!omap``, ``!!pairs``), keys are strings,
numbers are finite and at most :data:`MAX_NUMBER_DIGITS` digits long, and JSON nests
at most :data:`MAX_JSON_DEPTH` levels. Duplicate keys are refused (YAML 1.2 section
3.2.1.1 says keys are unique; PyYAML silently keeps the last), and dates stay strings
so a document reads the same as its JSON form.
"""

from __future__ import annotations

import json
import math
import re
from itertools import accumulate
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

from registry.errors import ValidationFailed
from registry.model import Limits
from registry.problems import Code, Problem
from registry.validate.unicode_text import not_unicode

try:  # libyaml scans and parses; composing stays in Python so it can count.
    from yaml import CParser as _Parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml.parser import Parser as _ParserBase
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, _ParserBase):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            _ParserBase.__init__(self)


#: Integers longer than this many digits are refused (the linter's bound; Python itself stops
#: converting at 4,300 digits, and no JSON parser elsewhere keeps such a number exact).
MAX_NUMBER_DIGITS = 1000
#: JSON documents nested deeper than this are refused before parsing (the linter's bound).
MAX_JSON_DEPTH = 256
_MAX_INTEGER = 10**MAX_NUMBER_DIGITS


class _Fail(Exception):
    """Raised inside the loader to stop at the first limit broken."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def _where(node: Node) -> str:
    mark = node.start_mark
    return f"line {mark.line + 1}, column {mark.column + 1}"


class _StringDates(Resolver):
    """The safe resolver without the YAML 1.1 timestamp rule: ``2025-01-01`` stays a string."""


_StringDates.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in Resolver.yaml_implicit_resolvers.items()
}


class _LimitedComposer(Composer):
    """A composer that counts alias uses and nesting depth as it builds the node graph.

    It also records, for every node, its size and depth as if each alias were replaced by
    a copy of its anchor: that is what the document becomes once read, hashed or served
    as JSON. An alias's anchor is complete before the alias (YAML 1.2 section 3.2.2.2), so
    each node's expansion is known when it is composed and a node is never visited twice.
    """

    limits: Limits

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            self._aliases += 1
            if self._aliases > self.limits.max_yaml_aliases:
                raise _Fail(
                    Problem(
                        Code.YAML_ALIASES,
                        f"more than {self.limits.max_yaml_aliases} YAML aliases (line "
                        f"{event.start_mark.line + 1}); aliases that multiply are refused, "
                        "write the values out",
                    )
                )
            node = super().compose_node(parent, index)
            if id(node) not in self._expanded:
                raise _Fail(
                    Problem(
                        Code.YAML_EXPANSION,
                        f"alias *{event.anchor} (line {event.start_mark.line + 1}) refers to a node "
                        "that contains it, so the document never ends; JSON cannot say this",
                    )
                )
            return node
        self._depth += 1
        if self._depth > self.limits.max_yaml_depth:
            event = self.peek_event()
            raise _Fail(
                Problem(
                    Code.YAML_DEPTH,
                    f"YAML nested deeper than {self.limits.max_yaml_depth} levels (line "
                    f"{event.start_mark.line + 1}); flatten the document",
                )
            )
        try:
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        self._measure(node)
        return node

    def _measure(self, node: Node) -> None:
        """Record the node's expanded size and depth; refuse it past the limits."""
        if isinstance(node, ScalarNode):
            self._expanded[id(node)] = (1, 1)
            return
        pairs = not isinstance(node, SequenceNode)
        children = [n for pair in node.value for n in pair] if pairs else node.value
        sizes = [self._expanded[id(child)] for child in children]
        size = 1 + sum(s for s, _ in sizes)
        depth = 1 + max((d for _, d in sizes), default=0)
        self._expanded[id(node)] = (size, depth)
        line = node.start_mark.line + 1
        if size > self.limits.max_yaml_nodes:
            raise _Fail(
                Problem(
                    Code.YAML_EXPANSION,
                    f"YAML expands to more than {self.limits.max_yaml_nodes} nodes once its aliases "
                    f"are written out (limit max_yaml_nodes, at the node on line {line}); "
                    "aliases that multiply are refused: write the values out, or fewer of them",
                )
            )
        if depth > self.limits.max_yaml_depth:
            raise _Fail(
                Problem(
                    Code.YAML_DEPTH,
                    f"YAML nests deeper than {self.limits.max_yaml_depth} levels once its aliases are "
                    f"written out (limit max_yaml_depth, at the node on line {line}); flatten the document",
                )
            )


def _not_json(kind: str) -> Any:
    def refuse(_loader: SafeConstructor, node: Node) -> Any:
        raise _Fail(
            Problem(
                Code.YAML_VALUE_TYPE,
                f"{node.tag.replace('tag:yaml.org,2002:', '!!')} value at {_where(node)} is {kind}, "
                "which JSON cannot hold; write it as a string, a list or a mapping instead",
            )
        )

    return refuse


def _number_problem(node: Node, what: str) -> _Fail:
    return _Fail(
        Problem(
            Code.JSON_NUMBER,
            f"number at {_where(node)} {what}; numbers must be finite and at most "
            f"{MAX_NUMBER_DIGITS} digits long: use a smaller number, or a string",
        )
    )


class _JsonValues(SafeConstructor):
    """The safe constructor, held to what JSON can say: string keys, unique keys, finite numbers."""

    def construct_mapping(self, node: Node, deep: bool = False) -> dict[Any, Any]:
        if isinstance(node, MappingNode):
            seen: set[Any] = set()
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = self.construct_object(key_node, deep=True)
                if not isinstance(key, str):
                    written = key_node.value if isinstance(key_node, ScalarNode) else "…"
                    raise _Fail(
                        Problem(
                            Code.YAML_KEY_TYPE,
                            f"key {written!r} at {_where(key_node)} reads as {_yaml_type(key)}, not a "
                            f"string; JSON keys are strings: quote it, as in '{written}':",
                        )
                    )
                if key in seen:
                    raise _Fail(
                        Problem(Code.YAML_DUPLICATE_KEY, f"duplicate key {key!r} at {_where(key_node)}")
                    )
                seen.add(key)
        return super().construct_mapping(node, deep=deep)  # type: ignore[arg-type]

    def construct_yaml_int(self, node: ScalarNode) -> int:
        # Refuse before converting: int() of a long decimal string is slow, and raises
        # ValueError past Python's own limit of 4,300 digits.
        if len(str(node.value)) > 4 * MAX_NUMBER_DIGITS:
            raise _number_problem(node, f"has more than {MAX_NUMBER_DIGITS} digits")
        value = super().construct_yaml_int(node)
        if abs(value) >= _MAX_INTEGER:
            raise _number_problem(node, f"has more than {MAX_NUMBER_DIGITS} digits")
        return value

    def construct_yaml_float(self, node: ScalarNode) -> float:
        value = super().construct_yaml_float(node)
        if not math.isfinite(value):
            raise _number_problem(node, f"is {value!r}, not a JSON number")
        return value


def _yaml_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return "a number"
    return "a list or mapping"


_JsonValues.add_constructor("tag:yaml.org,2002:int", _JsonValues.construct_yaml_int)
_JsonValues.add_constructor("tag:yaml.org,2002:float", _JsonValues.construct_yaml_float)
for _tag, _kind in (
    ("binary", "binary data"),
    ("set", "a set"),
    ("omap", "an ordered map"),
    ("pairs", "a list of pairs"),
    ("timestamp", "a timestamp"),
):
    _JsonValues.add_constructor(f"tag:yaml.org,2002:{_tag}", _not_json(_kind))


class _Loader(_LimitedComposer, _Parser, _JsonValues, _StringDates):  # type: ignore[misc,valid-type]
    def __init__(self, stream: str, limits: Limits) -> None:
        _Parser.__init__(self, stream)
        _LimitedComposer.__init__(self)
        _JsonValues.__init__(self)
        _StringDates.__init__(self)
        self.limits = limits
        self._aliases = 0
        self._depth = 0
        self._expanded: dict[int, tuple[int, int]] = {}


def _text(data: bytes | str, *, max_bytes: int, path_hint: str, kind: str) -> str:
    size = len(data) if isinstance(data, bytes) else len(data.encode("utf-8"))
    if size > max_bytes:
        raise ValidationFailed(
            [
                _problem(
                    Code.FILE_TOO_LARGE,
                    f"{kind} is {size} bytes, more than the limit of {max_bytes}",
                    path_hint,
                )
            ]
        )
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationFailed(
            [
                _problem(
                    Code.FILE_ENCODING, f"{kind} is not UTF-8 (byte {exc.start}): save it as UTF-8", path_hint
                )
            ]
        ) from None


def _problem(code: Code, message: str, path_hint: str) -> Problem:
    problem = Problem(code, message)
    return problem.at(path_hint) if path_hint else problem


def load_yaml(data: bytes | str, *, limits: Limits, path_hint: str = "") -> Any:
    """Parse one YAML document safely, or raise ``ValidationFailed`` naming the problem.

    ``path_hint`` is the store path of the document, used as the problems' ``file``.
    An empty document reads as ``None``.
    """
    text = _text(data, max_bytes=limits.max_file_bytes, path_hint=path_hint, kind="YAML document")
    try:
        loader = _Loader(text, limits)  # the reader refuses unprintable characters (NUL…) here
    except yaml.YAMLError as exc:
        what = f"YAML syntax error: {str(exc).splitlines()[0]}"
        raise ValidationFailed([_problem(Code.YAML_SYNTAX, what, path_hint)]) from None
    try:
        doc = loader.get_single_data()
    except _Fail as exc:
        problem = exc.problem.at(path_hint) if path_hint else exc.problem
        raise ValidationFailed([problem]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        what = ": ".join(part for part in (exc.context, exc.problem) if part) or "invalid YAML"
        raise ValidationFailed(
            [_problem(Code.YAML_SYNTAX, f"YAML syntax error: {what}{where}", path_hint)]
        ) from None
    except yaml.YAMLError as exc:
        raise ValidationFailed([_problem(Code.YAML_SYNTAX, f"YAML syntax error: {exc}", path_hint)]) from None
    except RecursionError:
        raise ValidationFailed([_problem(Code.YAML_DEPTH, "YAML nested too deeply", path_hint)]) from None
    finally:
        loader.dispose()
    return _unicode(doc, path_hint)


def _unicode(doc: Any, path_hint: str) -> Any:
    """``doc``, unless a string or key in it is not valid Unicode (a lone surrogate escape)."""
    if (problem := not_unicode(doc)) is not None:
        raise ValidationFailed([problem.at(path_hint) if path_hint else problem])
    return doc


def _refuse_constant(name: str) -> Any:
    raise _Fail(Problem(Code.JSON_NUMBER, f"{name} is not a JSON number; write a finite number or a string"))


def _json_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise _Fail(
            Problem(
                Code.JSON_NUMBER,
                f"an integer has {len(text.lstrip('-'))} digits, more than the limit of "
                f"{MAX_NUMBER_DIGITS}; use a smaller number, or a string",
            )
        )
    return int(text)


def _json_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Fail(
            Problem(
                Code.JSON_NUMBER,
                f"number {text[:40]}{'…' if len(text) > 40 else ''} is too large for a JSON number "
                "(it reads as infinity); use a smaller number, or a string",
            )
        )
    return value


_NOT_BRACKETS = re.compile(r"[^\[\]{}]+")
_ASCII_NOT_BRACKETS = str.maketrans("", "", "".join(chr(c) for c in range(128) if chr(c) not in "[]{}"))
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def _too_deep(text: str) -> bool:
    """Whether a JSON text's arrays and objects nest past ``MAX_JSON_DEPTH``, found without parsing.

    The decoder recurses once per level, so a document nested thousands deep must be
    refused before it is decoded. Strings are skipped as the decoder reads them; on text
    that is not JSON the answer may be off only past the point where the decoder stops.
    """
    if text.count("[") + text.count("{") <= MAX_JSON_DEPTH:
        return False
    # Outside strings: drop escaped backslashes and quotes, then every other piece between quotes.
    outside = "".join(text.replace("\\\\", "").replace('\\"', "").split('"')[::2])
    brackets = _NOT_BRACKETS.sub("", outside.translate(_ASCII_NOT_BRACKETS))
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0) > MAX_JSON_DEPTH


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _Fail(Problem(Code.JSON_DUPLICATE_KEY, f"duplicate key {key!r}"))
        result[key] = value
    return result


def load_json(data: bytes | str, *, limits: Limits, path_hint: str = "", max_bytes: int | None = None) -> Any:
    """Parse a JSON document (RFC 8259) within the limits; duplicate keys, NaN and Infinity,
    integers over ``MAX_NUMBER_DIGITS`` digits and nesting past ``MAX_JSON_DEPTH`` are refused.

    ``max_bytes`` overrides ``limits.max_file_bytes``, e.g. with ``max_schema_bytes``.
    """
    limit = limits.max_file_bytes if max_bytes is None else max_bytes
    text = _text(data, max_bytes=limit, path_hint=path_hint, kind="JSON document")
    if _too_deep(text):
        message = f"JSON nested deeper than {MAX_JSON_DEPTH} levels; flatten the document"
        raise ValidationFailed([_problem(Code.JSON_DEPTH, message, path_hint)])
    try:
        doc = json.loads(
            text,
            object_pairs_hook=_unique_pairs,
            parse_constant=_refuse_constant,
            parse_int=_json_int,
            parse_float=_json_float,
        )
    except _Fail as exc:
        problem = exc.problem.at(path_hint) if path_hint else exc.problem
        raise ValidationFailed([problem]) from None
    except json.JSONDecodeError as exc:
        message = f"JSON syntax error: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        raise ValidationFailed([_problem(Code.JSON_SYNTAX, message, path_hint)]) from None
    except ValueError as exc:
        raise ValidationFailed([_problem(Code.JSON_SYNTAX, f"JSON syntax error: {exc}", path_hint)]) from None
    except RecursionError:
        raise ValidationFailed([_problem(Code.JSON_DEPTH, "JSON nested too deeply", path_hint)]) from None
    return _unicode(doc, path_hint)
