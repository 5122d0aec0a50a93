"""The WIT diff engine: every change between two resolved packages, with its verdict by role.

Findings are :class:`~registry.lint.wit.change.WitChange` values whose ``path`` points into
the resolved package (``wit:/interfaces/events/functions/started/params/event``) and whose
message names the WIT item (``WIT function 'events.started' removed``). This module walks the
package and its worlds; :mod:`registry.lint.wit.interfaces` compares interfaces.
"""

from __future__ import annotations

from registry.lint.wit.change import WitChange
from registry.lint.wit.interfaces import function_changes, interface_changes
from registry.lint.wit.items import docs_changed, emitter, members
from registry.lint.wit.kinds import WitKind
from registry.lint.wit.model import WitPackage, World, WorldItem
from registry.lint.wit.types import Emit, diff_type

K = WitKind
ROOT = "wit:"


def diff_wit(old: WitPackage | None, new: WitPackage | None) -> list[WitChange]:
    """Every change from ``old`` to ``new`` (None: the contract has no WIT on that side)."""
    emit = emitter(False)
    if old is None or new is None:
        if old is None and new is None:
            return []
        if old is None:
            return [emit(K.WIT_ADDED, ROOT, None, _title(new), f"WIT package {_title(new)} added")]
        return [emit(K.WIT_REMOVED, ROOT, _title(old), None, f"WIT package {_title(old)} removed")]
    out = [
        emit(K.UNPROVEN, ROOT, None, what, f"WIT {what} is not modelled by the linter; treated as breaking")
        for what in sorted(set(old.unknown) | set(new.unknown))
    ]
    out += _package(old, new, emit)
    out += members(
        old.interfaces,
        new.interfaces,
        f"{ROOT}/interfaces",
        "interface",
        (K.INTERFACE_ADDED, K.INTERFACE_REMOVED),
        lambda a, b, p: interface_changes(a, b, p, a.name, emit),
        lambda i: i.stability,
        emit,
    )
    out += members(
        old.worlds,
        new.worlds,
        f"{ROOT}/worlds",
        "world",
        (K.WORLD_ADDED, K.WORLD_REMOVED),
        lambda a, b, p: _world(a, b, p),
        lambda w: w.stability,
        emit,
    )
    return out


def _title(p: WitPackage | None) -> str:
    return "" if p is None else p.name + (f"@{p.version}" if p.version else "")


def _line(version: str | None) -> tuple[str, ...] | None:
    """The part of a version that must match for runtimes to link by semver (``1``, or ``0.2``)."""
    if version is None:
        return None
    parts = version.split("-", 1)[0].split(".")
    return tuple(parts[:1]) if parts[0] != "0" else tuple(parts[:2])


def _package(old: WitPackage, new: WitPackage, emit: Emit) -> list[WitChange]:
    out = []
    if old.name != new.name:
        out.append(
            emit(
                K.PACKAGE_RENAMED,
                f"{ROOT}/package",
                old.name,
                new.name,
                f"WIT package renamed from {old.name} to {new.name}: every import name changes",
            )
        )
    if old.version != new.version:
        path = f"{ROOT}/package/version"
        if old.version and new.version and _line(old.version) == _line(new.version):
            out.append(
                emit(
                    K.PACKAGE_VERSION_CHANGED,
                    path,
                    old.version,
                    new.version,
                    f"WIT package version {old.version} → {new.version} (semver-compatible)",
                )
            )
        else:
            out.append(
                emit(
                    K.PACKAGE_VERSION_INCOMPATIBLE,
                    path,
                    old.version,
                    new.version,
                    f"WIT package version {old.version or 'none'} → {new.version or 'none'}: "
                    "components importing the old version no longer match it",
                )
            )
    return out


def _world(old: World, new: World, path: str) -> list[WitChange]:
    label = f"world '{new.name}'"
    out = docs_changed(old.docs, new.docs, path, label, emitter(False))
    for side, flip, added, removed in (
        ("imports", True, K.WORLD_IMPORT_ADDED, K.WORLD_IMPORT_REMOVED),
        ("exports", False, K.WORLD_EXPORT_ADDED, K.WORLD_EXPORT_REMOVED),
    ):
        before, after = getattr(old, side), getattr(new, side)
        emit = emitter(False)  # the import/export kinds carry their own direction
        word = side[:-1]

        def compare(
            a: WorldItem, b: WorldItem, where: str, flip: bool = flip, word: str = word
        ) -> list[WitChange]:
            return _world_item(a, b, where, f"{word} of {label}", emitter(flip))

        out += members(
            before,
            after,
            f"{path}/{side}",
            f"{word} of {label}:",
            (added, removed),
            compare,
            lambda item: item.stability,
            emit,
        )
    return out


def _world_item(old: WorldItem, new: WorldItem, path: str, label: str, emit: Emit) -> list[WitChange]:
    if old.kind != new.kind or old.ref != new.ref:
        return [
            emit(
                K.WORLD_ITEM_CHANGED,
                path,
                old.ref or old.kind,
                new.ref or new.kind,
                f"WIT {label} changed from {old.ref or old.kind} to {new.ref or new.kind}",
            )
        ]
    if old.inline is not None and new.inline is not None:
        return interface_changes(old.inline, new.inline, path, f"{new.inline.name}", emit)
    if old.function is not None and new.function is not None:
        return function_changes(old.function, new.function, path, new.function.label, emit)
    if old.kind == "type":
        return diff_type(old.target, new.target, path, label, K.TYPE_ALIAS_CHANGED, emit)
    return []
