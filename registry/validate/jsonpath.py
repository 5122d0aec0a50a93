"""JSONPath for problems, and jsonschema errors turned into problems.

Problems point into a document with a JSONPath such as ``$.spec.steps[0].tool``
(RFC 9535 normalized paths, with the dot form for plain member names).
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterable
from typing import Any

from jsonschema.exceptions import ValidationError, best_match

from registry.problems import Code, Problem

_PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


def jsonpath(parts: Iterable[str | int]) -> str:
    """``["spec", "steps", 0, "tool"]`` → ``$.spec.steps[0].tool``."""
    out = ["$"]
    for part in parts:
        if isinstance(part, int):
            out.append(f"[{part}]")
        elif _PLAIN.match(part):
            out.append(f".{part}")
        else:
            out.append(f"[{json.dumps(part)}]")
    return "".join(out)


def _named_in_message(message: str, suffix: str) -> str | None:
    # jsonschema words these as "<repr> is a required property"; the repr is a Python literal.
    if not message.endswith(suffix):
        return None
    try:
        value = ast.literal_eval(message[: -len(suffix)])
    except (ValueError, SyntaxError):
        return None
    return value if isinstance(value, str) else None


def _extra_keys(error: ValidationError) -> list[str]:
    if not isinstance(error.instance, dict) or not isinstance(error.schema, dict):
        return []
    known = error.schema.get("properties", {})
    patterns = [re.compile(p) for p in error.schema.get("patternProperties", {})]
    return [key for key in error.instance if key not in known and not any(p.search(key) for p in patterns)]


def schema_problems(errors: Iterable[ValidationError], *, code: Code) -> list[Problem]:
    """Every jsonschema error as a ``Problem`` coded ``<prefix>.<keyword>`` with a JSONPath.

    A missing required property and an unexpected property are pointed at themselves
    (``$.metadata.name``), not at the object that holds them, so an editor can jump there.
    """
    problems: list[Problem] = []
    for error in errors:
        keyword = str(error.validator)
        parts = list(error.absolute_path)
        if error.context:
            error = best_match(error.context) or error
        if keyword == "required":
            missing = _named_in_message(error.message, " is a required property")
            if missing is not None:
                where = jsonpath([*parts, missing])
                problems.append(Problem(code, f"{missing!r} is required", where, keyword="required"))
                continue
        if keyword == "additionalProperties" and error.schema.get("additionalProperties") is False:
            extras = _extra_keys(error)
            allowed = ", ".join(sorted(error.schema.get("properties", {}))) or "none"
            for key in extras:
                problems.append(
                    Problem(
                        code,
                        f"unknown field {key!r}; allowed fields: {allowed}",
                        jsonpath([*parts, key]),
                        keyword="additionalProperties",
                    )
                )
            if extras:
                continue
        problems.append(Problem(code, error.message, jsonpath(parts), keyword=keyword))
    return problems


def sort_key(error: ValidationError) -> tuple[Any, ...]:
    """Errors in document order, so reports read top to bottom and stay stable."""
    path = tuple((0, p, "") if isinstance(p, int) else (1, 0, str(p)) for p in error.absolute_path)
    return path, str(error.validator)
