"""Value types compared: shapes (option, result, list, tuple, handles) and named definitions.

A named record, variant, enum or flags type is compared once, where it is defined; a use of
it (a parameter, a field) changes only when it names another type. Aliases are transparent
(:mod:`registry.lint.wit.model`), so ``type run-id = string`` → ``string`` is no change.
"""

from __future__ import annotations

from collections.abc import Callable

from registry.lint.wit.change import WitChange
from registry.lint.wit.kinds import WitKind
from registry.lint.wit.model import Ty, TypeDef

K = WitKind
#: Builds a finding: (kind, path, old, new, message).
Emit = Callable[[WitKind, str, object, object, str], WitChange]


def show(ty: Ty) -> str:
    """A type as WIT spells it: ``list<tuple<string, string>>``, ``result<_, string>``."""
    if ty is None:
        return "_"
    if isinstance(ty, str):
        return ty
    head = ty[0]
    if head == "named":
        return str(ty[1]).rsplit(".", 1)[-1]
    if head in ("list", "option", "future", "stream"):
        return head if ty[1] is None else f"{head}<{show(ty[1])}>"
    if head == "fixed-list":
        return f"list<{show(ty[1])}, {ty[2]}>"
    if head == "result":
        if ty[1] is None and ty[2] is None:
            return "result"
        return f"result<{show(ty[1])}>" if ty[2] is None else f"result<{show(ty[1])}, {show(ty[2])}>"
    if head == "tuple":
        return "tuple<" + ", ".join(show(t) for t in ty[1]) + ">"
    if head in ("own", "borrow"):
        name = str(ty[1]).rsplit(".", 1)[-1]
        return name if head == "own" else f"borrow<{name}>"
    return str(ty[-1])


def diff_type(old: Ty, new: Ty, path: str, what: str, fallback: WitKind, emit: Emit) -> list[WitChange]:
    """Changes from ``old`` to ``new`` at ``path``; ``what`` names the place in messages."""
    if old == new:
        return []
    if isinstance(old, tuple) and isinstance(new, tuple) and old[0] == new[0]:
        inner = _same_shape(old, new, path, what, fallback, emit)
        if inner:
            return inner
    if isinstance(old, tuple) and isinstance(new, tuple) and {old[0], new[0]} <= {"own", "borrow"}:
        message = f"WIT {what}: handle changed from {show(old)} to {show(new)}"
        return [emit(K.HANDLE_CHANGED, path, show(old), show(new), message)]
    if new == ("option", old):
        return [emit(K.OPTION_ADDED, path, show(old), show(new), f"WIT {what} became optional ({show(new)})")]
    if old == ("option", new):
        message = f"WIT {what} is no longer optional ({show(new)})"
        return [emit(K.OPTION_REMOVED, path, show(old), show(new), message)]
    message = f"WIT {what} changed type from {show(old)} to {show(new)}"
    return [emit(fallback, path, show(old), show(new), message)]


def _same_shape(
    old: tuple, new: tuple, path: str, what: str, fallback: WitKind, emit: Emit
) -> list[WitChange]:
    """Changes inside two shapes of the same kind (``list<a>`` → ``list<b>``); [] if not a shape."""
    head = old[0]
    if head in ("option", "list", "future", "stream"):
        kind = K.LIST_ELEMENT_CHANGED if head == "list" else fallback
        return diff_type(old[1], new[1], f"{path}/{head}", f"{what} ({head} element)", kind, emit)
    if head == "fixed-list":
        if old[2] != new[2]:
            message = f"WIT {what}: list length changed from {old[2]} to {new[2]}"
            return [emit(K.LIST_LENGTH_CHANGED, path, show(old), show(new), message)]
        where, label = f"{path}/list", f"{what} (list element)"
        return diff_type(old[1], new[1], where, label, K.LIST_ELEMENT_CHANGED, emit)
    if head == "result":
        out: list[WitChange] = []
        for i, part, kind in ((1, "ok", K.RESULT_OK_CHANGED), (2, "err", K.RESULT_ERR_CHANGED)):
            if old[i] == new[i]:
                continue
            if old[i] is None or new[i] is None:
                message = f"WIT {what}: result {part} type changed from {show(old[i])} to {show(new[i])}"
                out.append(emit(kind, f"{path}/{part}", show(old[i]), show(new[i]), message))
            else:
                out += diff_type(old[i], new[i], f"{path}/{part}", f"{what} (result {part})", kind, emit)
        return out
    if head == "tuple":
        if len(old[1]) != len(new[1]):
            message = f"WIT {what}: tuple of {len(old[1])} became a tuple of {len(new[1])}"
            return [emit(K.TUPLE_LENGTH_CHANGED, path, show(old), show(new), message)]
        out = []
        for i, (a, b) in enumerate(zip(old[1], new[1], strict=True)):
            out += diff_type(a, b, f"{path}/{i}", f"{what} (tuple item {i})", fallback, emit)
        return out
    return []


_MEMBER = {
    "record": ("field", "fields", K.FIELD_ADDED, K.FIELD_REMOVED, K.FIELD_RETYPED),
    "variant": ("case", "cases", K.VARIANT_CASE_ADDED, K.VARIANT_CASE_REMOVED, K.VARIANT_CASE_RETYPED),
    # Enum cases and flags carry no payload, so they are never retyped.
    "enum": ("case", "cases", K.ENUM_CASE_ADDED, K.ENUM_CASE_REMOVED, K.VARIANT_CASE_RETYPED),
    "flags": ("flag", "flags", K.FLAG_ADDED, K.FLAG_REMOVED, K.VARIANT_CASE_RETYPED),
}


def diff_typedef(old: TypeDef, new: TypeDef, path: str, qualified: str, emit: Emit) -> list[WitChange]:
    """Changes to one named type: its kind, an alias's target, or its fields, cases or flags."""
    if old.kind != new.kind:
        return [
            emit(
                K.TYPE_KIND_CHANGED,
                path,
                old.kind,
                new.kind,
                f"WIT type '{qualified}' changed from a {old.kind} to a {new.kind}",
            )
        ]
    if old.kind == "alias":
        return diff_type(old.target, new.target, path, f"type '{qualified}'", K.TYPE_ALIAS_CHANGED, emit)
    if old.kind not in _MEMBER:
        return []
    word, plural, added, removed, retyped = _MEMBER[old.kind]
    before, after = dict(old.members), dict(new.members)
    out: list[WitChange] = []
    for name, _ in old.members:
        if name not in after:
            out.append(
                emit(
                    removed,
                    f"{path}/{plural}/{name}",
                    name,
                    None,
                    f"WIT {old.kind} {word} '{qualified}.{name}' removed",
                )
            )
    for name, _ in new.members:
        if name not in before:
            out.append(
                emit(
                    added,
                    f"{path}/{plural}/{name}",
                    None,
                    name,
                    f"WIT {old.kind} {word} '{qualified}.{name}' added",
                )
            )
    for name, ty in new.members:
        if name in before and before[name] != ty:
            where = f"{path}/{plural}/{name}"
            if before[name] is None or ty is None:
                out.append(
                    emit(
                        retyped,
                        where,
                        show(before[name]),
                        show(ty),
                        f"WIT {word} '{qualified}.{name}' payload changed from "
                        f"{show(before[name])} to {show(ty)}",
                    )
                )
            else:
                out += diff_type(before[name], ty, where, f"{word} '{qualified}.{name}'", retyped, emit)
    kept_old = [n for n, _ in old.members if n in after]
    kept_new = [n for n, _ in new.members if n in before]
    if kept_old != kept_new:
        out.append(
            emit(
                K.ORDER_CHANGED,
                f"{path}/{plural}",
                kept_old,
                kept_new,
                f"WIT {old.kind} '{qualified}' {plural} reordered (the canonical ABI lays them out in order)",
            )
        )
    return out
