"""Regular expressions from schemas, compiled and matched within a time bound.

``pattern`` and ``patternProperties`` hold ECMA-262 regular expressions written by whoever
pushes a schema (2020-12 validation 6.3.3, core 10.3.2.2), so they are hostile input: a
catastrophic backtracker such as ``^(a|a)*$`` or a huge counted repeat such as
``a{4294967296}`` must not hang or crash the registry. Matching uses the ``regex``
package, whose matcher takes a ``timeout``; compiling cannot be interrupted, so a pattern
whose compiled form would be huge (``regex`` expands counted repeats) is refused before it
is compiled. Measured on a laptop, the largest pattern allowed compiles in under 10 ms.

A few ECMA-262 spellings differ from Python's and are translated: ``\\d`` and ``\\w`` match
ASCII only, ``$`` matches only at the very end, ``\\cX`` is a control character and
``\\k<name>`` a named back-reference.
"""

from __future__ import annotations

from functools import lru_cache

import regex

from registry.errors import LimitExceeded

#: Longest pattern compiled, in characters.
MAX_PATTERN_LENGTH = 5_000
#: Largest product of nested counted repeats (``(a{100}){100}`` is 10,000): ``regex`` expands them.
MAX_REPEAT = 10_000
#: Time one match may take, in seconds.
MATCH_TIMEOUT = 0.1

_CLASS_SHORTHANDS = {"d": "0-9", "w": "A-Za-z0-9_"}
_SHORTHANDS = {"d": "[0-9]", "D": "[^0-9]", "w": "[A-Za-z0-9_]", "W": "[^A-Za-z0-9_]"}


def shown(pattern: str, limit: int = 60) -> str:
    """The pattern quoted for a message, escaped and cut to ``limit`` characters."""
    text = pattern if len(pattern) <= limit else pattern[:limit] + "…"
    return repr(text)


def translate(pattern: str) -> str:
    """An ECMA-262 pattern in ``regex``'s dialect (the differences listed in the module doc)."""
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            nxt = pattern[i + 1]
            if in_class and nxt in _CLASS_SHORTHANDS:
                out.append(_CLASS_SHORTHANDS[nxt])
            elif not in_class and nxt in _SHORTHANDS:
                out.append(_SHORTHANDS[nxt])
            elif nxt == "c" and i + 2 < len(pattern) and pattern[i + 2].isalpha():
                out.append(f"\\x{ord(pattern[i + 2]) % 32:02x}")
                i += 1
            elif nxt == "k" and not in_class:
                out.append("\\g")
            else:
                out.append(char + nxt)
            i += 2
            continue
        if char == "[" and not in_class:
            in_class = True
        elif char == "]" and in_class:
            in_class = False
        elif char == "$" and not in_class:
            char = "\\Z"
        out.append(char)
        i += 1
    return "".join(out)


def _repeat_weight(pattern: str) -> int:
    """The largest product of nested counted repeats' lower bounds, read from the text.

    An over-estimate is fine: it only decides whether compiling is safe.
    """
    groups = [1]  # the heaviest repeat inside each open group
    previous = 1  # weight of the atom a quantifier would apply to
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            previous = 1
            i += 2
            continue
        if char == "(":
            groups.append(1)
            previous = 1
        elif char == ")" and len(groups) > 1:
            previous = groups.pop()
            groups[-1] = max(groups[-1], previous)
        elif (
            char == "{"
            and (end := pattern.find("}", i)) > 0
            and (low := pattern[i + 1 : end].split(",")[0]).isdigit()
        ):
            # 12 digits already exceed any bound, and never make a huge int.
            previous *= max(int(low[:12]), 1)
            groups[-1] = max(groups[-1], previous)
            i = end
        else:
            previous = 1
        i += 1
    return max(groups)


@lru_cache(maxsize=4096)
def compile_pattern(pattern: str) -> regex.Pattern[str]:
    """Compile an ECMA-262 pattern from a schema, or raise :class:`LimitExceeded`.

    ``rule`` is ``regex.invalid`` for a pattern that is not a regular expression or is too
    large to compile safely.
    """
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise LimitExceeded(
            f"pattern {shown(pattern)} is {len(pattern)} characters long, more than {MAX_PATTERN_LENGTH}",
            rule="regex.invalid",
            hint="shorten the pattern, or describe the value with enum, format or length bounds",
        )
    if _repeat_weight(pattern) > MAX_REPEAT:
        raise LimitExceeded(
            f"pattern {shown(pattern)} repeats more than {MAX_REPEAT:,} times",
            rule="regex.invalid",
            hint="use an open repeat such as {1,} or smaller counts, or bound the length with maxLength",
        )
    try:
        return regex.compile(translate(pattern))
    except (regex.error, OverflowError, ValueError, RecursionError) as err:
        raise LimitExceeded(
            f"pattern {shown(pattern)} is not a valid regular expression: {err}",
            rule="regex.invalid",
            hint="fix the pattern; schemas use ECMA-262 regular expressions",
        ) from None


def search(pattern: str, text: str, *, timeout: float = MATCH_TIMEOUT) -> bool:
    """Whether ``pattern`` matches anywhere in ``text`` (patterns are not anchored).

    Raises :class:`LimitExceeded` (``regex.timeout``) when the match takes longer than
    ``timeout`` seconds, and (``regex.invalid``) when the pattern does not compile.
    """
    compiled = compile_pattern(pattern)
    try:
        return compiled.search(text, timeout=timeout) is not None
    except TimeoutError:
        raise LimitExceeded(
            f"pattern {shown(pattern)} took longer than {timeout * 1000:.0f} ms to match {shown(text, 40)}",
            rule="regex.timeout",
            hint="rewrite the pattern without nested or overlapping repeats such as (a|a)* or (a+)+",
        ) from None
