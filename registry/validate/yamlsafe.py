"""Reading untrusted YAML and JSON with limits.

Documents arrive from anyone who can push, so reading them must be cheap whatever
they hold. Before parsing, a document's size is checked against ``Limits``; while
composing, every alias use and every level of nesting is counted, so a "billion
laughs" document fails after ``max_yaml_aliases`` aliases instead of expanding.
Only the YAML safe tags are constructed, duplicate keys are refused (YAML 1.2
section 3.2.1.1 says keys are unique; PyYAML silently keeps the last), and dates
stay strings so a document reads the same as its JSON form.
"""

from __future__ import annotations

import json
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node
from yaml.resolver import Resolver

from registry.errors import ValidationFailed
from registry.model import Limits
from registry.problems import Code, Problem

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
    """A composer that counts alias uses and nesting depth as it builds the node graph."""

    limits: Limits

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > self.limits.max_yaml_aliases:
                event = self.peek_event()
                raise _Fail(
                    Problem(
                        Code.YAML_ALIASES,
                        f"more than {self.limits.max_yaml_aliases} YAML aliases (line "
                        f"{event.start_mark.line + 1}); aliases that multiply are refused, "
                        "write the values out",
                    )
                )
            return super().compose_node(parent, index)
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
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class _UniqueKeys(SafeConstructor):
    def construct_mapping(self, node: Node, deep: bool = False) -> dict[Any, Any]:
        if isinstance(node, MappingNode):
            seen: set[Any] = set()
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = self.construct_object(key_node, deep=True)
                try:
                    duplicate = key in seen
                except TypeError:  # an unhashable key; the base class reports it
                    continue
                if duplicate:
                    raise _Fail(
                        Problem(Code.YAML_DUPLICATE_KEY, f"duplicate key {key!r} at {_where(key_node)}")
                    )
                seen.add(key)
        return super().construct_mapping(node, deep=deep)  # type: ignore[arg-type]


class _Loader(_LimitedComposer, _Parser, _UniqueKeys, _StringDates):  # type: ignore[misc,valid-type]
    def __init__(self, stream: str, limits: Limits) -> None:
        _Parser.__init__(self, stream)
        _LimitedComposer.__init__(self)
        _UniqueKeys.__init__(self)
        _StringDates.__init__(self)
        self.limits = limits
        self._aliases = 0
        self._depth = 0


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
    loader = _Loader(text, limits)
    try:
        return loader.get_single_data()
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


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _Fail(Problem(Code.JSON_DUPLICATE_KEY, f"duplicate key {key!r}"))
        result[key] = value
    return result


def load_json(data: bytes | str, *, limits: Limits, path_hint: str = "", max_bytes: int | None = None) -> Any:
    """Parse a JSON document (RFC 8259) with the size limit; duplicate keys and NaN are refused.

    ``max_bytes`` overrides ``limits.max_file_bytes``, e.g. with ``max_schema_bytes``.
    """
    limit = limits.max_file_bytes if max_bytes is None else max_bytes
    text = _text(data, max_bytes=limit, path_hint=path_hint, kind="JSON document")
    try:
        return json.loads(text, object_pairs_hook=_unique_pairs, parse_constant=_refuse_constant)
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
