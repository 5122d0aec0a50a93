"""The process environment: the one place the registry reads or writes ``os.environ``.

Each entry point (the ``registry`` command, a git hook, a serving worker) takes the
environment here once and parses it into typed settings it hands down; nothing deeper
reads it. :func:`export` is for the few libraries and child processes that read the
environment themselves (prometheus-client's multiprocess directory, Rust's backtraces).
This module imports nothing but ``os`` at run time: a hook's first lines import it cheaply.
"""

from __future__ import annotations

import os

# Not `typing.TYPE_CHECKING`: importing typing, or collections.abc, would cost every push's
# hook about 2 ms of its start-up.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping


def environment() -> Mapping[str, str]:
    """The process environment as it is now (read-only use: parse it, do not keep it)."""
    return os.environ


def export(name: str, value: str, *, keep: bool = False) -> None:
    """Set ``name`` for this process's libraries and the processes it starts.

    With ``keep``, a value the operator set already wins.
    """
    if keep:
        os.environ.setdefault(name, value)
    else:
        os.environ[name] = value
