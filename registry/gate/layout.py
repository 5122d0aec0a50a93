"""The store's layout: what a store may hold, and which contracts and capsules a change touches.

A store holds only what the registry understands (README, "What a store may hold"): ``registry.yaml``,
``README.md``, ``contracts/<name>/``, ``capsules/<tenant>/<name>/`` and a short list of
extras (:data:`TOP_FILES`, text files under ``docs/``). Every entry a change adds must be
a regular file (mode 100644) under a printable UTF-8 name, within the size limits; a
change may touch at most ``Limits.max_files`` entries. Files inside contract and capsule
directories are read, and size-checked, by the document readers; every other file is
checked here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from registry.errors import InvalidName
from registry.gate.policy import POLICY_FILE
from registry.git.store import Snapshot
from registry.git.treediff import MAX_WALK_DEPTH, TREE, Change
from registry.model import Limits, capsule_name, contract_name, tenant
from registry.paths import CAPSULES, CONTRACTS, area, example_of, parse_file
from registry.problems import Code, Problem
from registry.validate.fields import one_line

#: Files allowed at the top of the store besides the registry's own directories.
TOP_FILES = frozenset({POLICY_FILE, "README.md", ".gitattributes", ".gitignore"})
#: Directories allowed at the top of the store.
TOP_DIRS = (CONTRACTS, CAPSULES, "docs")
#: What ``docs/`` may hold: UTF-8 text files with these suffixes, at most this many levels deep.
DOCS_SUFFIXES = (".md", ".txt")
DOCS_MAX_DEPTH = 4
#: The one mode a file may have: a regular, non-executable file.
FILE_MODE = 0o100644
_MODE_NAMES = {
    0o100755: "an executable file",
    0o120000: "a symlink",
    0o160000: "a submodule (gitlink)",
    0o100664: "a group-writable file (an old git mode)",
}
_MODE_FIXES = {
    0o100755: "clear its executable bit (git update-index --chmod=-x PATH)",
    0o120000: "commit the file's content instead of a link",
    0o160000: "remove the submodule (git rm --cached PATH) and .gitmodules",
}
ALLOWED = (
    "registry.yaml, README.md, .gitattributes, .gitignore, contracts/<name>/, "
    "capsules/<tenant>/<name>/ and docs/ (text files ending in .md or .txt)"
)


@dataclass
class Units:
    contracts: set[str] = field(default_factory=set)
    capsules: set[tuple[str, str]] = field(default_factory=set)
    policy_changed: bool = False
    problems: list[Problem] = field(default_factory=list)

    def refuse(self, code: Code, message: str, path: str) -> None:
        self.problems.append(Problem(code, message, file=shown(path)))


def shown(path: str) -> str:
    """A path safe to print: control characters, non-printable characters and bytes that
    are not UTF-8 (decoded with ``surrogateescape``) are written as escapes, and so is '\\'."""
    out = []
    for ch in path:
        if "\udc80" <= ch <= "\udcff":
            out.append(f"\\x{ord(ch) - 0xDC00:02x}")
        elif ch == "\\":
            out.append("\\\\")
        elif ch.isprintable():
            out.append(ch)
        else:
            out.append(ch.encode("unicode_escape").decode("ascii"))
    return "".join(out)


def _name_problem(path: str) -> str | None:
    """Why a path's components are not plain names, or None."""
    parts = path.split("/")
    for i, part in enumerate(parts):
        if not part.isprintable():  # control characters, odd Unicode, bytes that are not UTF-8
            return (
                f"name '{shown(part)}' holds control characters, non-printable characters or bytes "
                "that are not UTF-8; use printable UTF-8 names"
            )
        if part.startswith(".") and not (i == 0 and len(parts) == 1 and part in TOP_FILES):
            return f"name '{shown(part)}' is hidden (starts with '.'); the store holds no hidden files"
    return None


def _mode_problem(change: Change) -> str | None:
    mode = change.mode
    if mode is None or mode in (FILE_MODE, TREE):
        return None
    kind = _MODE_NAMES.get(mode, "not a regular file")
    fix = _MODE_FIXES.get(mode, "commit it as a regular file")
    return f"this is {kind} (mode {mode:06o}); the store holds regular files only (mode 100644): {fix}"


def layout(changes: list[Change], *, limits: Limits, snapshot: Snapshot, truncated: bool = False) -> Units:
    """Check where a change's entries live and what they are; group them into units.

    ``changes`` come from ``Snapshot.changed_entries`` on the new snapshot, whose blobs
    ``snapshot`` reads. Deleted entries only mark the unit they belonged to.
    """
    units = Units()
    if truncated or len(changes) > limits.max_files:
        units.problems.append(
            Problem(
                Code.LAYOUT_SIZE,
                f"this change touches more than {limits.max_files} files (limit max_files); "
                "split it into smaller changes",
            )
        )
        return units
    for change in changes:
        _entry(units, change, limits, snapshot)
    return units


def _entry(units: Units, change: Change, limits: Limits, snapshot: Snapshot) -> None:
    path = change.path
    parts = path.split("/")
    if change.mode is None:  # a deletion: its unit is judged, the path itself needs no check
        _group(units, path, quiet=True)
        return
    if message := _name_problem(path):
        units.refuse(Code.LAYOUT_PATH, message, path)
        return
    if change.mode == TREE:
        deep = len(parts) >= MAX_WALK_DEPTH
        what = f"nested deeper than {MAX_WALK_DEPTH} levels" if deep else "an empty directory"
        units.refuse(Code.LAYOUT_PATH, f"this is {what}; remove it ({ALLOWED} only)", path)
        return
    if message := _mode_problem(change):
        units.refuse(Code.FILE_MODE, message, path)
    if _group(units, path, quiet=False):
        return
    if len(parts) == 1 and path in TOP_FILES:
        _plain_file(units, change, limits, snapshot)
    elif parts[0] == "docs" and len(parts) > 1:
        if _docs_path(units, parts, path):
            _plain_file(units, change, limits, snapshot)
    else:
        units.refuse(
            Code.LAYOUT_PATH, f"this path is outside the registry's layout; a store holds {ALLOWED}", path
        )


def _group(units: Units, path: str, *, quiet: bool) -> bool:
    """Mark the unit a path belongs to; True when the path is the policy or under contracts/capsules."""
    if path == POLICY_FILE:
        units.policy_changed = True
    elif (kind := area(path)) == "contract":
        _contract(units, path, quiet=quiet)
    elif kind == "capsule":
        _capsule(units, path, quiet=quiet)
    else:
        return False
    return True


def _docs_path(units: Units, parts: list[str], path: str) -> bool:
    if len(parts) > DOCS_MAX_DEPTH or not parts[-1].lower().endswith(DOCS_SUFFIXES):
        units.refuse(
            Code.LAYOUT_PATH,
            f"docs/ holds text files ending in {' or '.join(DOCS_SUFFIXES)}, at most "
            f"{DOCS_MAX_DEPTH - 1} directories deep; move or remove this file",
            path,
        )
        return False
    return True


def _plain_file(units: Units, change: Change, limits: Limits, snapshot: Snapshot) -> None:
    """A file the registry does not read (README, docs): within the size limit and UTF-8 text."""
    if change.oid is None or change.mode != FILE_MODE:
        return
    size = snapshot.size(change.oid)
    if size > limits.max_file_bytes:
        units.refuse(
            Code.FILE_TOO_LARGE,
            f"this file is {size} bytes, more than the limit of {limits.max_file_bytes} (max_file_bytes)",
            change.path,
        )
        return
    data = snapshot.blob(change.oid)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        units.refuse(Code.FILE_ENCODING, f"not UTF-8 text (byte {exc.start}); save it as UTF-8", change.path)
        return
    if "\0" in text:
        units.refuse(Code.FILE_ENCODING, "a binary file (it holds NUL bytes); store text only", change.path)


def _contract(units: Units, path: str, *, quiet: bool) -> None:
    found = parse_file(path)  # a file directly in the directory, or an example in examples/
    if found is None or ("/" in found[1] and example_of(found[1]) is None):
        if not quiet:
            units.refuse(
                Code.LAYOUT_PATH,
                "contract files live directly in contracts/<name>/ "
                "(contract.yaml, schema.json, and the wit/descriptor files it names), "
                "examples in contracts/<name>/examples/",
                path,
            )
        return
    name = found[0].name
    try:
        contract_name(name)
    except InvalidName as exc:
        if not quiet:
            units.refuse(Code.NAME_INVALID, one_line(exc), path)
        return
    units.contracts.add(name)


def _capsule(units: Units, path: str, *, quiet: bool) -> None:
    found = parse_file(path)  # a file directly in the directory
    owner = found[0].tenant if found is not None and "/" not in found[1] else None
    if found is None or owner is None:
        if not quiet:
            units.refuse(
                Code.LAYOUT_PATH,
                "capsule files live in capsules/<tenant>/<name>/ (capsule.yaml, meta.yaml)",
                path,
            )
        return
    name = found[0].name
    try:
        tenant(owner)
        capsule_name(name)
    except InvalidName as exc:
        if not quiet:
            units.refuse(Code.NAME_INVALID, one_line(exc), path)
        return
    units.capsules.add((owner, name))
