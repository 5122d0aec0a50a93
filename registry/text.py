"""Text the doors show: every character a terminal, log or page would act on is made visible.

File names, property names, ref names and messages come from whoever pushed; printed raw,
a newline forges a ``remote: registry: accepted`` line and an ANSI escape recolours or
erases what came before. The doors (hook ``remote:`` lines, CLI output, review reports)
pass each line they print through :func:`printable`. Domain messages keep the data as it
is; only rendering escapes it.

The rule: a character is shown as itself when ``str.isprintable()`` says so (letters,
marks, numbers, punctuation, symbols and the ASCII space); every other one (controls
such as newline and ESC, C1 controls, format characters such as the bidi overrides
U+202A–U+202E and U+2066–U+2069 and zero-width characters, line and paragraph
separators, non-ASCII spaces, unassigned code points and lone surrogates) is shown as
a Python-style escape: ``\\n``, ``\\r``, ``\\t``, ``\\x1b``, ``\\u202e``, ``\\U000e0001``.
A backslash is left as it is: the output is for reading, not for parsing back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from registry.errors import RegistryError

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(ch: str) -> str:
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def printable(text: object) -> str:
    """``text`` as one line a terminal shows as written: unprintable characters escaped."""
    s = str(text)
    if s.isprintable():
        return s
    return "".join(ch if ch.isprintable() else _escape(ch) for ch in s)


def diagnostic_lines(error: RegistryError) -> list[str]:
    """``error.diagnostics()`` as printable lines, broken only where the error itself breaks them.

    A message that is the list of its problems gives one line per problem; any line break
    inside a message or a problem is user data and stays escaped. The hint comes last,
    as ``  hint: …``.
    """
    renders = [p.render() for p in error.problems if p.severity == "error"]
    lines = renders if renders and error.message == "\n".join(renders) else [error.message]
    hint = [f"  hint: {printable(error.hint)}"] if error.hint else []
    return [printable(line) for line in lines] + hint


def printable_lines(text: str) -> str:
    """A text the door itself laid out in lines, each line made printable.

    Only for text whose line breaks are the renderer's own (a Markdown report, a
    changelog) and whose user data was kept to one line per item when it was built.
    """
    return "\n".join(printable(line) for line in text.split("\n"))
