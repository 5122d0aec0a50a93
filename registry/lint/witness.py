"""A witness for a break: an instance one schema accepts and the other rejects.

"Breaking" is the engine's judgement; a witness makes it a fact a reviewer can check. For
a change that breaks BACKWARD the search looks for an instance the old schema accepts and
the new one rejects; for FORWARD, the reverse. Candidates are built around the place the
change points at (the rest of the instance kept minimal), then around the whole schema,
and each is validated with ``jsonschema`` under the schema's own draft (``$schema``;
2020-12 by default), formats asserted as the engine reads them, patterns matched through
:mod:`registry.lint.patterns`. The search stops at a time budget; finding nothing proves
nothing, and is said so.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any, Literal

from jsonschema import exceptions

from registry.errors import LimitExceeded
from registry.lint import patterns
from registry.lint.change import Change
from registry.lint.modes import Mode
from registry.lint.refs import Document, escape
from registry.lint.samples import GENERIC, Samples, literal
from registry.schema_validator import DEFAULT_DIALECT, Dialect, build, dialect

Direction = Literal["backward", "forward"]
#: Time the search may take for one change, and for all changes of one check, in seconds.
PER_CHANGE = 0.05
PER_CHECK = 0.2
_SHOWN = 160  # characters of the instance shown in a message


@dataclass(frozen=True)
class Witness:
    """The outcome of a search: ``found`` and ``instance``, for ``direction``."""

    direction: Direction
    found: bool
    instance: Any = None

    @property
    def text(self) -> str:
        """``for example {"runId": null} was valid and is now rejected``, or ``no example found``."""
        if not self.found:
            return "no example found"
        shown = json.dumps(self.instance, ensure_ascii=False)
        if len(shown) > _SHOWN:
            shown = shown[: _SHOWN - 1] + "…"
        if self.direction == "backward":
            return f"for example {shown} was valid and is now rejected"
        return f"for example {shown} is now valid and the old schema rejects it"


def _pattern(validator: Any, pattern: Any, instance: Any, schema: Any) -> Iterator[Any]:
    if (
        validator.is_type(instance, "string")
        and isinstance(pattern, str)
        and not patterns.search(pattern, instance)
    ):
        yield exceptions.ValidationError(f"{instance!r} does not match {pattern!r}")


def _pattern_properties(validator: Any, value: Any, instance: Any, schema: Any) -> Iterator[Any]:
    if not validator.is_type(instance, "object") or not isinstance(value, dict):
        return
    for pattern, subschema in value.items():
        for name, item in instance.items():
            if patterns.search(pattern, name):
                yield from validator.descend(item, subschema, path=name, schema_path=pattern)


class Judge:
    """Validates instances against one schema, under its draft, with bounded regexes."""

    def __init__(self, schema: Any) -> None:
        under = dialect(schema) or Dialect(DEFAULT_DIALECT)
        checked = {"pattern": _pattern, "patternProperties": _pattern_properties}
        self._validator = build(schema, under=under, format_checker=under.format_checker, keywords=checked)

    def errors(self, instance: Any, *, most: int = 3) -> list[str] | None:
        """Why the schema rejects ``instance`` (at most ``most`` reasons, each with where);
        [] when it accepts it, None when it cannot be told."""
        try:
            found = []
            for error in self._validator.iter_errors(instance):
                where = "".join(f"[{p!r}]" for p in error.absolute_path)
                found.append(f"{'$' + where if where else 'the instance'}: {error.message[:200]}")
                if len(found) >= most:
                    break
            return found
        except (exceptions.SchemaError, exceptions._RefResolutionError, LimitExceeded, RecursionError):
            return None
        except Exception:  # a schema jsonschema cannot apply, or a reference it cannot follow
            return None

    def accepts(self, instance: Any) -> bool | None:
        """Whether the schema accepts ``instance``; None when it cannot be told."""
        try:
            return self._validator.is_valid(instance)
        except (exceptions.SchemaError, exceptions._RefResolutionError, LimitExceeded, RecursionError):
            return None
        except Exception:  # a schema jsonschema cannot apply (unknown type names …)
            return None


def _steps(path: str) -> list[str | int] | None:
    """Where in an instance a change at schema ``path`` applies, or None when it cannot be told."""
    tokens = [t.replace("~1", "/").replace("~0", "~") for t in path.split("/")[1:]]
    steps: list[str | int] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        following = tokens[i + 1] if i + 1 < len(tokens) else None
        if token == "properties" and following is not None:
            steps.append(following)
            i += 2
        elif (
            token in ("prefixItems", "items")
            and following is not None
            and following.isdigit()
            and len(following) < 6
        ):
            steps.append(int(following))
            i += 2
        elif token == "patternProperties" and following is not None:
            steps.append(literal(following) or "x")
            i += 2
        elif token in ("additionalProperties", "unevaluatedProperties"):
            steps.append("extra")
            i += 1
        elif token in ("items", "additionalItems", "unevaluatedItems", "contains"):
            steps.append(0)
            i += 1
        elif token in ("allOf", "anyOf", "oneOf") and following is not None and following.isdigit():
            i += 2
        else:
            break
    return steps


_DEFS = ("$defs", "definitions")


def _outside_defs(samples: Samples, schema: Any, path: str) -> str:
    """A path into ``$defs`` turned into the path of a place that refers to that definition.

    Searched breadth-first through properties and items, a few hundred schemas at most.
    """
    tokens = path.split("/")
    if len(tokens) < 3 or tokens[1] not in _DEFS:
        return path
    target, rest = "#" + "/".join(tokens[:3]), "/".join(tokens[3:])
    queue: list[tuple[Any, str]] = [(schema, "")]
    for n in range(300):
        if n >= len(queue):
            break
        node, where = queue[n]
        if isinstance(node, dict) and node.get("$ref") == target:
            return f"{where}/{rest}" if rest else where
        node = samples.resolve(node)
        if not isinstance(node, dict):
            continue
        props = node.get("properties")
        if isinstance(props, dict):
            queue += [(sub, f"{where}/properties/{escape(name)}") for name, sub in props.items()]
        if isinstance(node.get("items"), dict):
            queue.append((node["items"], f"{where}/items"))
    return path


def _place(instance: Any, steps: list[str | int], value: Any) -> Any:
    """A copy of ``instance`` with ``value`` at ``steps``, containers made up as needed."""
    if not steps:
        return value
    step, rest = steps[0], steps[1:]
    if isinstance(step, int):
        items = list(instance) if isinstance(instance, list) else []
        while len(items) <= step:
            items.append(items[-1] if items else None)
        items[step] = _place(items[step], rest, value)
        return items
    obj = dict(instance) if isinstance(instance, dict) else {}
    obj[step] = _place(obj.get(step), rest, value)
    return obj


def _matches(pattern: str, name: str) -> bool:
    try:
        return patterns.search(pattern, name)
    except LimitExceeded:
        return False


def _subschema(samples: Samples, schema: Any, steps: list[str | int]) -> Any:
    """The schema applying at ``steps`` of an instance (``true`` where it cannot be told)."""
    for step in steps:
        schema = samples.resolve(schema)
        if not isinstance(schema, dict):
            return True
        if isinstance(step, str):
            props = schema.get("properties")
            extra = schema.get("additionalProperties", True)
            matching = schema.get("patternProperties")
            if isinstance(props, dict) and step in props:
                schema = props[step]
            elif isinstance(matching, dict) and (
                hits := [s for p, s in matching.items() if _matches(p, step)]
            ):
                schema = hits[0]
            else:
                schema = extra
        else:
            prefix = schema.get("prefixItems", schema.get("items"))
            if isinstance(prefix, list) and step < len(prefix):
                schema = prefix[step]
            else:
                schema = schema.get("items", True) if not isinstance(schema.get("items"), list) else True
    return schema


def search(
    accepting: Any, rejecting: Any, path: str, *, direction: Direction, budget: float = PER_CHANGE
) -> Witness:
    """Look for an instance ``accepting`` accepts and ``rejecting`` rejects, for ``budget`` seconds.

    ``path`` (a change's JSON pointer into a schema) says where to vary the instance first.
    """
    deadline = time.perf_counter() + budget
    try:
        yes, no = Judge(accepting), Judge(rejecting)
        samples = [
            Samples(Document(accepting), deadline=deadline),
            Samples(Document(rejecting), deadline=deadline),
        ]
    except (LimitExceeded, exceptions.SchemaError):
        return Witness(direction, False)
    base = samples[0].minimal(accepting)
    steps = _steps(_outside_defs(samples[1], rejecting, path))
    tried: set[str] = set()
    for candidate in _candidates(samples, accepting, rejecting, base, steps):
        if time.perf_counter() > deadline:
            break
        key = json.dumps(candidate, sort_keys=True, default=str)
        if key in tried:
            continue
        tried.add(key)
        if yes.accepts(candidate) is True and no.accepts(candidate) is False:
            return Witness(direction, True, candidate)
    return Witness(direction, False)


def _candidates(
    samples: list[Samples], accepting: Any, rejecting: Any, base: Any, steps: list[str | int]
) -> Iterator[Any]:
    for depth in range(len(steps), -1, -1):
        here = steps[:depth]
        values: list[Any] = []
        for source, schema in zip(samples, (accepting, rejecting), strict=True):
            values += source.values(_subschema(source, schema, here))
        for value in [*values, *GENERIC]:
            yield _place(base, here, value)
    for source, schema in zip(samples, (accepting, rejecting), strict=True):
        yield from source.values(schema)


def witnessed(
    searches: list[tuple[Any, Change]], proposed: Any, mode: Mode, *, budget: float = PER_CHECK
) -> list[Change]:
    """Each breaking change of ``searches`` ((its old schema, change)) with its witness.

    Each change gets at most :data:`PER_CHANGE` seconds, and all together ``budget``; a
    change left without time says "no example found".
    """
    deadline = time.perf_counter() + budget
    proven = []
    for old, change in searches:
        backward = mode.needs_backward and not change.backward
        direction: Direction = "backward" if backward else "forward"
        accepting, rejecting = (old, proposed) if backward else (proposed, old)
        left = min(PER_CHANGE, deadline - time.perf_counter())
        found = (
            search(accepting, rejecting, change.path, direction=direction, budget=left) if left > 0 else None
        )
        proven.append(replace(change, witness=found or Witness(direction, False)))
    return proven
