"""The expressions of data-contract rules: CEL conditions and JSONata migrations.

A rule's ``expr`` is parsed here before it can be published, and run here on a
contract's examples, with the real languages' own parsers (``cel-python`` and
``jsonata-python``), so what the gate accepts is what Confluent's clients will run.
Both are bounded: an expression's length is capped before it is parsed, and a
JSONata evaluation gets a time box and a recursion depth, so a hostile rule costs
the gate milliseconds, never a worker.
"""

from __future__ import annotations

import logging
import sys
import threading
from dataclasses import dataclass
from functools import cache, lru_cache
from types import ModuleType
from typing import Any

_PARSING = threading.Lock()  # lark's parser is not made for concurrent use


@cache
def _libraries() -> tuple[ModuleType, ModuleType, Any]:
    """cel-python, jsonata and one CEL environment, loaded on the first rule.

    Loading them costs about half a second (the CEL grammar is compiled), which a push
    without rules must not pay. Both libraries also lower the interpreter's recursion
    limit for the whole process (jsonata on import, cel-python per Environment): it is
    put back, so the linter's deep comparisons keep the stack they were given.
    """
    limit = sys.getrecursionlimit()
    import celpy
    import jsonata

    environment = celpy.Environment()
    sys.setrecursionlimit(max(limit, sys.getrecursionlimit()))
    # cel-python logs every evaluation error at ERROR level; the gate reports them itself.
    logging.getLogger("celpy").setLevel(logging.CRITICAL)
    return celpy, jsonata, environment


#: Longer expressions are refused before they are parsed.
MAX_EXPRESSION_CHARS = 10_000
#: A JSONata evaluation's time box and recursion depth (jsonata's own Timebox).
JSONATA_TIMEOUT_MS = 500
JSONATA_MAX_DEPTH = 200


class ExpressionError(Exception):
    """An expression that does not parse or does not run; ``position`` is 1-based when known."""

    def __init__(self, message: str, *, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column

    @property
    def where(self) -> str:
        if self.line is None:
            return ""
        return f" at line {self.line}, column {self.column}" if self.column else f" at line {self.line}"


@dataclass(frozen=True)
class Cel:
    """A parsed CEL expression, runnable against a message."""

    program: Any

    def evaluate(self, message: Any) -> Any:
        celpy, _, _ = _libraries()
        try:
            result = self.program.evaluate({"message": celpy.json_to_cel(message)})
        except Exception as exc:  # cel-python raises its own errors, and Python's from built-ins
            raise ExpressionError(_first_line(exc)) from None
        if isinstance(result, Exception):  # an evaluation error is returned, not raised, in some paths
            raise ExpressionError(_first_line(result))
        return _plain(result)


@dataclass(frozen=True)
class Jsonata:
    """A parsed JSONata expression, runnable against a message within its time box."""

    text: str

    def evaluate(self, message: Any) -> Any:
        _, jsonata, _ = _libraries()
        try:
            expr = jsonata.Jsonata(self.text, None, JSONATA_TIMEOUT_MS, JSONATA_MAX_DEPTH)
            return expr.evaluate(message)
        except jsonata.JException as exc:
            raise ExpressionError(_jsonata_message(exc)) from None
        except RecursionError:
            raise ExpressionError("the expression recurses too deeply") from None
        except Exception as exc:  # the library's own bugs surface as plain Python errors
            raise ExpressionError(_first_line(exc)) from None


def _check_length(text: str) -> None:
    if len(text) > MAX_EXPRESSION_CHARS:
        raise ExpressionError(
            f"the expression is {len(text):,} characters, more than {MAX_EXPRESSION_CHARS:,}"
        )


@lru_cache(maxsize=512)
def parse_cel(text: str) -> Cel:
    """A CEL expression parsed (CEL spec, "Syntax"); raises :class:`ExpressionError` with its position."""
    _check_length(text)
    celpy, _, env = _libraries()
    try:
        with _PARSING:
            ast = env.compile(text)
    except celpy.CELParseError as exc:
        message = str(exc.args[0]).splitlines()[0] if exc.args else "syntax error"
        raise ExpressionError(
            f"CEL syntax error: {message.strip()}",
            line=getattr(exc, "line", None),
            column=getattr(exc, "column", None),
        ) from None
    except Exception as exc:
        raise ExpressionError(f"CEL: {_first_line(exc)}") from None
    return Cel(env.program(ast))


@lru_cache(maxsize=512)
def parse_jsonata(text: str) -> Jsonata:
    """A JSONata expression parsed; raises :class:`ExpressionError` with its position."""
    _check_length(text)
    _, jsonata, _ = _libraries()
    try:
        with _PARSING:
            jsonata.Jsonata(text)
    except jsonata.JException as exc:
        location = getattr(exc, "location", None)
        # jsonata's location is the offset just past the offending token: its 1-based column.
        column = location if isinstance(location, int) and location > 0 else None
        line = None
        if column is not None:
            before = text[: column - 1]
            line = before.count("\n") + 1
            column = column - (before.rfind("\n") + 1)
        raise ExpressionError(
            f"JSONata syntax error: {_jsonata_message(exc)}", line=line, column=column
        ) from None
    except RecursionError:
        raise ExpressionError("JSONata: the expression nests too deeply") from None
    except Exception as exc:
        raise ExpressionError(f"JSONata: {_first_line(exc)}") from None
    return Jsonata(text)


def _jsonata_message(exc: Exception) -> str:
    code = getattr(exc, "error", None)
    text = _first_line(exc)
    return f"{text} ({code})" if code else text


def _first_line(exc: BaseException) -> str:
    text = str(exc.args[0]) if exc.args else type(exc).__name__
    return text.strip().splitlines()[0][:300] if text.strip() else type(exc).__name__


def _plain(value: Any) -> Any:
    """A CEL value as plain JSON-like Python (``BoolType`` → ``bool`` …)."""
    celtypes = _libraries()[0].celtypes
    if isinstance(value, celtypes.BoolType):
        return bool(value)
    if isinstance(value, celtypes.IntType | celtypes.UintType):
        return int(value)
    if isinstance(value, celtypes.DoubleType):
        return float(value)
    if isinstance(value, celtypes.StringType):
        return str(value)
    if isinstance(value, celtypes.ListType):
        return [_plain(v) for v in value]
    if isinstance(value, celtypes.MapType):
        return {_plain(k): _plain(v) for k, v in value.items()}
    return value
