"""Documents read as tables of fields: one rule per field, the same style for every file.

``contract.yaml`` and ``registry.yaml`` are both mappings of named fields. Each is
described by a :class:`Table`: for every field, the JSON type it must have and, when it
has it, what its value must satisfy (:class:`Rule`), or a nested table or list. One
function, :func:`check_table`, reads any document with its table and reports every
problem with its JSONPath, so the two files are held to the same rules: wrong types
are refused (a string is never read as a list), unknown keys are refused naming the
allowed ones, null means absent, and a choice written in the wrong case is refused
with the right spelling as the hint.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from registry.errors import RegistryError
from registry.problems import Code, Problem
from registry.validate.jsonpath import jsonpath

#: A value rule: a message saying what is wrong, or None when the value is fine.
Check = Callable[[Any], str | None]
Path = list[str | int]


@dataclass(frozen=True)
class Codes:
    """The problem codes a document family reports with."""

    type: Code  # a value of the wrong JSON type, or a document that is not a mapping
    required: Code  # a required field is missing
    unknown: Code  # a key the table does not know
    value: Code  # a value of the right type that breaks its rule


@dataclass(frozen=True)
class Rule:
    """One field: the JSON type it must have, and a check of its value once it has it.

    ``types`` are Python types as YAML and JSON read them (``bool`` is never taken for
    ``int``); ``expected`` says them in words for the message.
    """

    types: type | tuple[type, ...]
    expected: str
    check: Check | None = None


@dataclass(frozen=True)
class ListOf:
    """A list whose items all follow ``item``; ``min_items`` refuses a list too short."""

    item: Rule | Table
    min_items: int = 0
    expected: str = "a list"


@dataclass(frozen=True)
class Table:
    """A mapping of named fields; ``codes`` overrides the family's codes inside it."""

    fields: Mapping[str, Rule | Table | ListOf]
    required: tuple[str, ...] = ()
    what: str = "a mapping of fields"
    codes: Codes | None = None

    def names(self) -> str:
        return ", ".join(self.fields)


Entry = Rule | Table | ListOf


def check_table(doc: Any, table: Table, codes: Codes, path: Path | None = None) -> list[Problem]:
    """Every problem of ``doc`` read with ``table``: types, required fields, unknown keys, values."""
    return _check(doc, table, codes, path or [], None)


def _check(value: Any, entry: Entry, codes: Codes, path: Path, key: str | None) -> list[Problem]:
    if isinstance(entry, Table):
        return _table(value, entry, entry.codes or codes, path)
    if isinstance(entry, ListOf):
        return _list(value, entry, codes, path, key)
    if not _has_type(value, entry.types):
        return [_problem(codes.type, key, f"must be {entry.expected}, got {_shown(value)}", path)]
    message = entry.check(value) if entry.check is not None else None
    return [_problem(codes.value, key, message, path)] if message else []


def _table(doc: Any, table: Table, codes: Codes, path: Path) -> list[Problem]:
    if not isinstance(doc, dict):
        where = f"{path[-1]} " if path and isinstance(path[-1], str) else ""
        return [Problem(codes.type, f"{where}must be {table.what}, got {_shown(doc)}", jsonpath(path))]
    problems = [
        Problem(codes.required, f"{name!r} is required", jsonpath([*path, name]))
        for name in table.required
        if doc.get(name) is None
    ]
    for name, value in doc.items():
        entry = table.fields.get(name) if isinstance(name, str) else None
        if entry is None:
            problems.append(
                Problem(
                    codes.unknown,
                    f"unknown field {name!r}; allowed fields: {table.names()}",
                    jsonpath([*path, str(name)]),
                )
            )
        elif value is not None:  # null means absent
            problems += _check(value, entry, codes, [*path, name], name)
    return problems


def _list(value: Any, entry: ListOf, codes: Codes, path: Path, key: str | None) -> list[Problem]:
    if not isinstance(value, list):
        hint = f", such as [{value}]" if isinstance(value, str) else ""
        return [_problem(codes.type, key, f"must be {entry.expected}{hint}, got {_shown(value)}", path)]
    if len(value) < entry.min_items:
        return [_problem(codes.value, key, f"must list at least {entry.min_items} item(s)", path)]
    problems: list[Problem] = []
    for i, item in enumerate(value):
        problems += _check(item, entry.item, codes, [*path, i], key)
    return problems


def _has_type(value: Any, types: type | tuple[type, ...]) -> bool:
    wanted = types if isinstance(types, tuple) else (types,)
    if isinstance(value, bool):
        return bool in wanted
    return isinstance(value, wanted)


def _problem(code: Code, key: str | None, message: str, path: Path) -> Problem:
    return Problem(code, f"{key}: {message}" if key else message, jsonpath(path), keyword=key)


def _shown(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# -- value checks shared by the tables -------------------------------------------------


def one_of(choices: Sequence[str]) -> Check:
    """A choice from a fixed list, spelled exactly; the wrong case is refused with the right one."""

    def check(value: Any) -> str | None:
        if value in choices:
            return None
        same = [c for c in choices if isinstance(value, str) and c.lower() == value.lower()]
        if same:
            return f"write {same[0]!r}, not {value!r}: the choices are case-sensitive ({', '.join(choices)})"
        return f"must be one of {', '.join(choices)}, got {value!r}"

    return check


def whole_number(*, least: int, most: int) -> Check:
    def check(value: Any) -> str | None:
        if least <= value <= most:
            return None
        return f"must be a whole number from {least:_} to {most:_}, got {value!r}".replace("_", ",")

    return check


def one_line(error: RegistryError) -> str:
    """An error's message and hint as one line, for a problem's message."""
    return f"{error.message}; {error.hint}" if error.hint else error.message


TEXT = Rule(str, "a string")
FLAG = Rule(bool, "true or false")
