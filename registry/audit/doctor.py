"""Leftovers of interrupted git processes in a store, found and removed safely.

A push that is killed or times out leaves its quarantine directory
(``objects/tmp_objdir-incoming-*``, ``objects/incoming-*`` in older git) with every object
it received, and a process killed while holding a ref lock leaves ``refs/…/*.lock``,
``packed-refs.lock`` or ``HEAD.lock``; a stale lock makes every later update of that ref
fail. None of them is ever part of the store's history.

Removal is safe when no process can still be using the leftover: only leftovers that
nothing has written for ``older_than`` seconds are removed (the newest modification time
inside a quarantine directory counts, not the directory's own), and nothing at all is
removed while a push to this store may be in flight (a ``receive-pack``, ``index-pack``,
``unpack-objects`` or registry hook process working in it, found through ``/proc``).
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

#: The default age after which a leftover is surely abandoned: far above any push's gate.
SAFE_AGE_S = 3600.0

_QUARANTINE_PREFIXES = ("tmp_objdir-incoming-", "incoming-")
_TOP_LOCKS = ("packed-refs.lock", "HEAD.lock", "config.lock")
# Processes that write into a store while a push is under way.
_PUSH_PROCESSES = ("receive-pack", "index-pack", "unpack-objects", "pre-receive", "post-receive")


class Kind(StrEnum):
    QUARANTINE = "quarantine"  # objects of a push that never finished
    LOCK = "lock"  # a ref or file lock whose owner died


@dataclass(frozen=True)
class Leftover:
    path: Path  # relative to the store's git directory
    kind: Kind
    age_s: float  # seconds since anything inside it was last written

    def describe(self) -> str:
        what = "quarantine of an interrupted push" if self.kind is Kind.QUARANTINE else "stale lock"
        return f"{self.path} ({what}, {format_age(self.age_s)} old)"


@dataclass(frozen=True)
class Cleanup:
    """What ``clean`` did: removed, kept (too young or in use), and pushes seen in flight."""

    removed: tuple[Leftover, ...]
    kept: tuple[Leftover, ...]
    in_flight: tuple[int, ...]
    failed: tuple[tuple[Leftover, str], ...] = ()


def format_age(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f}s"
    if seconds < 7200:
        return f"{seconds / 60:.0f}m"
    if seconds < 172800:
        return f"{seconds / 3600:.1f}h"
    return f"{seconds / 86400:.1f}d"


def parse_age(text: str) -> float:
    """``90``, ``90s``, ``30m``, ``1h`` or ``2d`` as seconds; ``ValueError`` otherwise."""
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    text = text.strip().lower()
    scale = units.get(text[-1:])
    number = float(text[:-1] if scale else text)
    if number < 0 or number != number:  # negative or NaN
        raise ValueError(f"not an age: {text!r}")
    return number * (scale or 1)


def _newest_mtime(path: Path) -> float:
    """The newest modification time of ``path`` and, for a directory, of anything inside it."""
    newest = path.lstat().st_mtime
    if path.is_dir() and not path.is_symlink():
        for root, dirs, files in os.walk(path):
            for name in dirs + files:
                try:
                    newest = max(newest, os.lstat(os.path.join(root, name)).st_mtime)
                except FileNotFoundError:
                    continue
    return newest


def _candidates(git_dir: Path) -> Iterator[tuple[Path, Kind]]:
    objects = git_dir / "objects"
    if objects.is_dir():
        for entry in objects.iterdir():
            if entry.name.startswith(_QUARANTINE_PREFIXES) and entry.is_dir() and not entry.is_symlink():
                yield entry, Kind.QUARANTINE
    for name in _TOP_LOCKS:
        lock = git_dir / name
        if lock.is_file() and not lock.is_symlink():
            yield lock, Kind.LOCK
    refs = git_dir / "refs"
    if refs.is_dir():
        for root, _dirs, files in os.walk(refs):
            for name in files:
                path = Path(root) / name
                if name.endswith(".lock") and not path.is_symlink():
                    yield path, Kind.LOCK


def find_leftovers(git_dir: Path, *, now: float | None = None) -> list[Leftover]:
    """Every quarantine directory and lock file in ``git_dir``, oldest first."""
    now = time.time() if now is None else now
    found = []
    for path, kind in _candidates(git_dir):
        try:
            age = max(0.0, now - _newest_mtime(path))
        except FileNotFoundError:  # its owner finished meanwhile
            continue
        found.append(Leftover(path.relative_to(git_dir), kind, age))
    return sorted(found, key=lambda item: (-item.age_s, str(item.path)))


def pushes_in_flight(git_dir: Path) -> list[int]:
    """Pids of git and hook processes working in ``git_dir`` now, as ``/proc`` shows them.

    Empty where there is no ``/proc`` (the age rule then stands alone) or for processes of
    other users, whose working directory cannot be read.
    """
    proc = Path("/proc")
    if not proc.is_dir():
        return []
    target = git_dir.resolve()
    found = []
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            if not any(word in cmdline for word in _PUSH_PROCESSES):
                continue
            cwd = Path(os.readlink(entry / "cwd"))
        except OSError:
            continue
        if cwd == target or target in cwd.parents:
            found.append(int(entry.name))
    return sorted(found)


def clean(
    git_dir: Path,
    *,
    older_than: float = SAFE_AGE_S,
    now: float | None = None,
    in_flight: Callable[[Path], list[int]] = pushes_in_flight,
) -> Cleanup:
    """Remove the leftovers nothing has touched for ``older_than`` seconds.

    Nothing is removed while a push may be in flight. Each leftover's age is read again
    just before it is removed, so one that came back to life meanwhile is kept.
    """
    leftovers = find_leftovers(git_dir, now=now)
    busy = tuple(in_flight(git_dir)) if leftovers else ()
    if busy:
        return Cleanup((), tuple(leftovers), busy)
    removed, kept, failed = [], [], []
    for item in leftovers:
        path = git_dir / item.path
        try:
            age = (time.time() if now is None else now) - _newest_mtime(path)
        except FileNotFoundError:
            continue
        if age < older_than:
            kept.append(item)
            continue
        try:
            if item.kind is Kind.QUARANTINE:
                shutil.rmtree(path)
            else:
                path.unlink()
        except OSError as exc:
            failed.append((item, exc.strerror or str(exc)))
            continue
        removed.append(item)
    return Cleanup(tuple(removed), tuple(kept), (), tuple(failed))
