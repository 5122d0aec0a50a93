"""Text that is not Unicode: a lone UTF-16 surrogate, found anywhere in a parsed document.

JSON's ``\\uD800``…``\\uDFFF`` escapes (and YAML's) decode to a lone surrogate when not paired:
a Python string no UTF-8 encoder accepts, so it fails later, far from its source (a 500 when
the answer is serialised, a crash in a report). Every door refuses it where it enters, naming
the field.
"""

from __future__ import annotations

from typing import Any

from registry.problems import Code, Problem
from registry.validate.jsonpath import jsonpath

_LOW, _HIGH = 0xD800, 0xDFFF


def _lone(text: str) -> str | None:
    for ch in text:
        if _LOW <= ord(ch) <= _HIGH:
            return ch
    return None


def lone_surrogate(value: Any) -> tuple[str, str] | None:
    """``(JSONPath, "\\udc80")`` of the first key or string holding a lone surrogate, else None.

    Walked without recursion: a document may nest as deep as its parser allowed.
    """
    stack: list[tuple[Any, list[str | int]]] = [(value, [])]
    while stack:
        node, path = stack.pop()
        if isinstance(node, str):
            if (ch := _lone(node)) is not None:
                return jsonpath(path), f"\\u{ord(ch):04x}"
        elif isinstance(node, dict):
            for key, item in node.items():
                if isinstance(key, str) and (ch := _lone(key)) is not None:
                    return f"{jsonpath(path)} (a member name)", f"\\u{ord(ch):04x}"
                stack.append((item, [*path, key] if isinstance(key, str | int) else path))
        elif isinstance(node, list):
            stack.extend((item, [*path, i]) for i, item in enumerate(node))
    return None


def not_unicode(value: Any) -> Problem | None:
    """A ``file.encoding`` problem naming where ``value`` holds a lone surrogate, else None."""
    found = lone_surrogate(value)
    if found is None:
        return None
    return Problem(Code.FILE_ENCODING, not_unicode_message(*found), found[0].split(" ")[0])


def not_unicode_message(where: str, escape: str) -> str:
    """The refusal for a lone surrogate at ``where``: what is wrong, and what to send instead."""
    return (
        f"{where}: text is not valid Unicode: it holds a lone UTF-16 surrogate ({escape}); "
        "send the characters as UTF-8, or write one above U+FFFF as a \\uD83D\\uDE00-style pair"
    )
