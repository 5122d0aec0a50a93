"""A private key file must be the owner's alone: readable by no group and no one else.

Whoever can read the registry key can sign versions the whole store's history vouches for;
``registry serve`` refuses to start with a key others can read (as ssh refuses such an
identity file), and says the ``chmod`` that fixes it.
"""

from __future__ import annotations

import stat
from pathlib import Path

from registry.errors import InvalidInput


def require_owner_only(path: Path, *, what: str = "the registry key") -> None:
    """Raise ``InvalidInput`` when ``path`` grants any permission to its group or to others."""
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise InvalidInput(
            f"{what} {path} is open to others (mode {mode:04o}); it must be readable by its owner only",
            hint=f"run: chmod 600 {path}",
        )
