"""WIT interfaces, parsed and resolved by the reference ``wit-parser``.

``componentize-py`` ships the parser; resolving a directory of WIT files is a side
effect of generating bindings for one of its worlds. A contract's WIT often holds an
interface and no world, so a world with nothing in it is added beside the files: the
whole package is still parsed and every type resolved, and the bindings (a few files
in a scratch directory) are thrown away. One call takes a few milliseconds.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path

from registry.environment import export
from registry.problems import Code, Problem

# The added world's file and name; neither can clash with a contract's own files,
# whose names start with a letter, digit or '_'.
_CHECK_FILE = "-registry-check.wit"
_CHECK_WORLD = "registry-wit-check-5f0c"
_LOCATION = re.compile(r"-->\s*(?P<file>.+?):(?P<line>\d+):(?P<col>\d+)")
_CHAIN = re.compile(r"^\d+:\s*")
_PLAIN_FILE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._-]*\.wit$")


def validate_wit(files: Mapping[str, str]) -> list[Problem]:
    """Problems of a set of WIT files forming one package (file name → text).

    An empty list means the package parses and resolves. A problem's message is the
    parser's own, ending with its location, for example
    ``type `u64z` does not exist --> ritual.wit:6:17``.
    """
    problems = [
        Problem(Code.WIT_FILE, f"{name!r} is not a plain .wit file name")
        for name in files
        if not _PLAIN_FILE.match(name)
    ]
    if problems or not files:
        return problems or [Problem(Code.WIT_FILE, "no WIT file given")]
    export("RUST_BACKTRACE", "0", keep=True)  # a parser panic is refused as a problem, not printed
    import componentize_py  # deferred: loading the parser costs tens of milliseconds

    with tempfile.TemporaryDirectory(prefix="registry-wit-") as scratch:
        source = Path(scratch, "wit")
        source.mkdir()
        for name, text in files.items():
            source.joinpath(name).write_text(text, encoding="utf-8")
        source.joinpath(_CHECK_FILE).write_text(f"world {_CHECK_WORLD} {{}}\n", encoding="utf-8")
        try:
            componentize_py.generate_bindings(
                [str(source)], [_CHECK_WORLD], [], False, None, str(Path(scratch, "out")), [], [], False
            )
        except BaseException as exc:  # the binding raises AssertionError; a panic raises PanicException
            if isinstance(exc, KeyboardInterrupt | SystemExit):
                raise
            return [Problem(Code.WIT_SYNTAX, _message(str(exc), str(source)))]
    return []


def _message(raw: str, source: str) -> str:
    """The parser's innermost cause and its location, with the scratch directory taken out.

    The parser words an error as a chain (``Caused by: 0: … 1: …``) whose last entry is
    the real cause, followed by ``--> file:line:col`` and a source snippet.
    """
    text = raw.replace(source + os.sep, "").replace(source, ".")
    lines = [line.strip() for line in text.splitlines()]
    end = len(lines)
    location = ""
    for i, line in enumerate(lines):
        match = _LOCATION.search(line)
        if match or line.startswith("Stack backtrace"):
            end = i
            if match:
                location = f"{match['file']}:{match['line']}:{match['col']}"
            break
    start = 0
    for i, line in enumerate(lines[:end]):
        if line == "Caused by:" or _CHAIN.match(line):
            start = i if _CHAIN.match(line) else i + 1
    cause = " ".join(_CHAIN.sub("", line) for line in lines[start:end] if line and not line.startswith("|"))
    cause = cause or "invalid WIT"
    if "no worlds" in cause or _CHECK_WORLD in cause:
        cause = "the WIT files do not form one package"
    return f"{cause} --> {location}" if location else cause
