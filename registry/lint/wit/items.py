"""What every WIT item shares in a diff: being added, removed or compared, its gates and its docs.

An item behind an ``@unstable`` feature on both sides changes freely: one finding says so.
Moving a stable item behind a feature, or stabilizing one, is a finding of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar

from registry.lint.kinds import Nature
from registry.lint.wit.change import WitChange, wit_change
from registry.lint.wit.kinds import WitKind
from registry.lint.wit.model import Stability
from registry.lint.wit.types import Emit

K = WitKind
Item = TypeVar("Item")


def emitter(flip: bool) -> Emit:
    def emit(kind: WitKind, path: str, old: object, new: object, message: str) -> WitChange:
        return wit_change(kind, path, old, new, message, flip=flip)

    return emit


def members(
    old: Mapping[str, Item],
    new: Mapping[str, Item],
    path: str,
    word: str,
    kinds: tuple[WitKind, WitKind],
    compare: Callable[[Item, Item, str], list[WitChange]],
    stab: Callable[[Item], Stability],
    emit: Emit,
) -> list[WitChange]:
    """Items added, removed (``kinds``), or compared, each with its ``@unstable`` gate."""
    added, removed = kinds
    out: list[WitChange] = []
    for name, item in old.items():
        if name not in new:
            unstable = stab(item).unstable
            kind = K.UNSTABLE_ITEM_REMOVED if unstable else removed
            out.append(
                emit(kind, f"{path}/{name}", name, None, f"WIT {word} '{name}' removed" + feature(unstable))
            )
    for name, item in new.items():
        if name not in old:
            unstable = stab(item).unstable
            kind = K.UNSTABLE_ITEM_ADDED if unstable else added
            out.append(
                emit(kind, f"{path}/{name}", None, name, f"WIT {word} '{name}' added" + feature(unstable))
            )
    for name, item in new.items():
        if name in old:
            where = f"{path}/{name}"
            inner = compare(old[name], item, where)
            out += gated(stab(old[name]), stab(item), where, f"{word} '{name}'", inner, emit)
    return out


def feature(unstable: str | None) -> str:
    return f" (behind @unstable feature '{unstable}')" if unstable else ""


def gated(
    old: Stability, new: Stability, path: str, what: str, inner: list[WitChange], emit: Emit
) -> list[WitChange]:
    """The gate changes of one item, and its inner changes (one finding if it stays unstable)."""
    out: list[WitChange] = []
    if old.unstable and new.unstable:
        if any(c.kind.rule.nature is not Nature.ANNOTATION for c in inner):
            return [
                emit(
                    K.UNSTABLE_ITEM_CHANGED,
                    path,
                    None,
                    None,
                    f"WIT {what} changed behind @unstable feature '{new.unstable}' ({len(inner)} change(s))",
                )
            ]
        return inner
    if new.unstable and not old.unstable:
        out.append(
            emit(
                K.UNSTABLE_GATE_ADDED,
                path,
                None,
                new.unstable,
                f"WIT {what} moved behind @unstable feature '{new.unstable}'",
            )
        )
    elif old.unstable and not new.unstable:
        out.append(
            emit(
                K.UNSTABLE_GATE_REMOVED,
                path,
                old.unstable,
                new.since,
                f"WIT {what} stabilized (was behind @unstable feature '{old.unstable}')",
            )
        )
    else:
        if old.since != new.since:
            out.append(
                emit(
                    K.SINCE_CHANGED,
                    path,
                    old.since,
                    new.since,
                    f"WIT {what}: @since {old.since or 'none'} → {new.since or 'none'}",
                )
            )
        if old.deprecated != new.deprecated:
            out.append(
                emit(
                    K.DEPRECATION_CHANGED,
                    path,
                    old.deprecated,
                    new.deprecated,
                    f"WIT {what}: @deprecated {old.deprecated or 'none'} → {new.deprecated or 'none'}",
                )
            )
    return out + inner


def docs_changed(old: str | None, new: str | None, path: str, what: str, emit: Emit) -> list[WitChange]:
    if (old or "").strip() == (new or "").strip():
        return []
    return [emit(K.DOCS_CHANGED, path, old, new, f"WIT {what}: documentation changed")]
