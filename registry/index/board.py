"""Where the processes serving one store post the head their index holds.

``registry serve --workers N`` runs N processes, each with its own index, behind one
port: a client's next request may reach any of them. So a write that must be readable
when it returns (a ``git push``, an HTTP publish) waits until every worker's index holds
it, not only the one that made it. Each worker posts its index's head in a file of a
directory the server made for this run (one file per process id, replaced whole on
every swap); a writer reads them all until each holds the commit or a descendant. A
worker that died is skipped by its process id; one still starting reads the store after
the write, so it holds it anyway.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pygit2


class HeadBoard:
    """The heads the serving processes' indexes hold; see the module docstring."""

    def __init__(self, directory: str | os.PathLike[str], store_path: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)
        self.store_path = Path(store_path)
        self._repo: pygit2.Repository | None = None
        self._lock = threading.Lock()

    def post(self, head: str | None) -> None:
        """Say which head this process's index holds now."""
        mine = self.directory / str(os.getpid())
        tmp = mine.with_suffix(".tmp")
        tmp.write_text(head or "")
        os.replace(tmp, mine)

    def leave(self) -> None:
        (self.directory / str(os.getpid())).unlink(missing_ok=True)

    def heads(self) -> dict[int, str]:
        """Each live serving process's posted head, by process id."""
        out: dict[int, str] = {}
        for path in self.directory.iterdir():
            if not path.name.isdigit():
                continue
            pid = int(path.name)
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                path.unlink(missing_ok=True)
                continue
            except PermissionError:
                pass
            try:
                out[pid] = path.read_text().strip()
            except FileNotFoundError:
                continue
        return out

    def wait_all(self, commit: str, timeout: float = 2.0) -> bool:
        """Whether every serving process held ``commit`` (or a descendant) within ``timeout``."""
        deadline = time.monotonic() + timeout
        while True:
            if all(self._holds(head, commit) for head in self.heads().values()):
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.002)

    def _holds(self, head: str, commit: str) -> bool:
        if head == commit:
            return True
        if not head:
            return False
        with self._lock:
            if self._repo is None:
                self._repo = pygit2.Repository(str(self.store_path))
            try:
                return bool(self._repo.descendant_of(head, commit))
            except (KeyError, ValueError, pygit2.GitError):
                return False
