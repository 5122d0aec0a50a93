"""An interface compared: its types, resources, functions, methods and constructors."""

from __future__ import annotations

from registry.lint.wit.change import WitChange
from registry.lint.wit.items import docs_changed, feature, gated
from registry.lint.wit.kinds import WitKind
from registry.lint.wit.model import Function, Interface
from registry.lint.wit.types import Emit, diff_type, diff_typedef, show

K = WitKind
_ADDED = {"function": K.FUNCTION_ADDED, "method": K.METHOD_ADDED, "constructor": K.CONSTRUCTOR_ADDED}
_REMOVED = {"function": K.FUNCTION_REMOVED, "method": K.METHOD_REMOVED, "constructor": K.CONSTRUCTOR_REMOVED}


def interface_changes(old: Interface, new: Interface, path: str, label: str, emit: Emit) -> list[WitChange]:
    out = docs_changed(old.docs, new.docs, path, f"interface '{label}'", emit)
    return out + _types(old, new, path, label, emit) + _functions(old, new, path, label, emit)


def _types(old: Interface, new: Interface, path: str, label: str, emit: Emit) -> list[WitChange]:
    out: list[WitChange] = []
    for name, t in old.types.items():
        if name not in new.types:
            kind = K.RESOURCE_REMOVED if t.kind == "resource" else K.TYPE_REMOVED
            kind = K.UNSTABLE_ITEM_REMOVED if t.stability.unstable else kind
            out.append(
                emit(
                    kind,
                    f"{path}/types/{name}",
                    t.kind,
                    None,
                    f"WIT {_noun(t.kind)} '{label}.{name}' removed" + feature(t.stability.unstable),
                )
            )
    for name, t in new.types.items():
        if name not in old.types:
            kind = K.RESOURCE_ADDED if t.kind == "resource" else K.TYPE_ADDED
            kind = K.UNSTABLE_ITEM_ADDED if t.stability.unstable else kind
            out.append(
                emit(
                    kind,
                    f"{path}/types/{name}",
                    None,
                    t.kind,
                    f"WIT {_noun(t.kind)} '{label}.{name}' added" + feature(t.stability.unstable),
                )
            )
    for name, t in new.types.items():
        if name in old.types:
            was, where, qualified = old.types[name], f"{path}/types/{name}", f"{label}.{name}"
            inner = diff_typedef(was, t, where, qualified, emit)
            inner += docs_changed(was.docs, t.docs, where, f"type '{qualified}'", emit)
            before = dict(was.member_docs)
            for member in sorted({n for n, _ in was.member_docs} | {n for n, _ in t.member_docs}):
                inner += docs_changed(
                    before.get(member),
                    dict(t.member_docs).get(member),
                    f"{where}/{member}",
                    f"'{qualified}.{member}'",
                    emit,
                )
            out += gated(was.stability, t.stability, where, f"type '{qualified}'", inner, emit)
    return out


def _functions(old: Interface, new: Interface, path: str, label: str, emit: Emit) -> list[WitChange]:
    out: list[WitChange] = []
    for name, f in old.functions.items():
        if name not in new.functions:
            kind = K.UNSTABLE_ITEM_REMOVED if f.stability.unstable else _REMOVED[f.role]
            out.append(
                emit(
                    kind,
                    f"{path}/functions/{f.label}",
                    signature(f),
                    None,
                    f"WIT {f.role} '{label}.{f.label}' removed" + feature(f.stability.unstable),
                )
            )
    for name, f in new.functions.items():
        if name not in old.functions:
            kind = K.UNSTABLE_ITEM_ADDED if f.stability.unstable else _ADDED[f.role]
            out.append(
                emit(
                    kind,
                    f"{path}/functions/{f.label}",
                    None,
                    signature(f),
                    f"WIT {f.role} '{label}.{f.label}' added" + feature(f.stability.unstable),
                )
            )
    for name, f in new.functions.items():
        if name in old.functions:
            was, where = old.functions[name], f"{path}/functions/{f.label}"
            inner = function_changes(was, f, where, f"{label}.{f.label}", emit)
            out += gated(was.stability, f.stability, where, f"{f.role} '{label}.{f.label}'", inner, emit)
    return out


def _noun(kind: str) -> str:
    return "resource" if kind == "resource" else "type"


def signature(f: Function, prefix: str = "") -> str:
    """``started(event: ritual-started) -> result<_, string>``, as WIT writes a function."""
    params = ", ".join(f"{n}: {show(t)}" for n, t in f.params if not (f.kind == "method" and n == "self"))
    result = f" -> {show(f.result)}" if f.result is not None else ""
    return f"{prefix}{f.label}({params}){result}"


def function_changes(old: Function, new: Function, path: str, label: str, emit: Emit) -> list[WitChange]:
    """Parameters added, removed, renamed or retyped, and the result, of one function."""
    out = docs_changed(old.docs, new.docs, path, f"function '{label}'", emit)
    before, after = dict(old.params), dict(new.params)
    for name, ty in new.params:
        if name in before:
            out += diff_type(
                before[name],
                ty,
                f"{path}/params/{name}",
                f"parameter '{name}' of '{label}'",
                K.PARAM_RETYPED,
                emit,
            )
    gone = [(i, n, t) for i, (n, t) in enumerate(old.params) if n not in after]
    came = {i: (n, t) for i, (n, t) in enumerate(new.params) if n not in before}
    for i, name, ty in gone:
        if i in came:  # the same position under another name: a rename (and maybe a retype)
            other, other_ty = came.pop(i)
            out.append(
                emit(
                    K.PARAM_RENAMED,
                    f"{path}/params/{other}",
                    name,
                    other,
                    f"WIT parameter '{name}' of '{label}' renamed to '{other}'",
                )
            )
            out += diff_type(
                ty,
                other_ty,
                f"{path}/params/{other}",
                f"parameter '{other}' of '{label}'",
                K.PARAM_RETYPED,
                emit,
            )
        else:
            out.append(
                emit(
                    K.PARAM_REMOVED,
                    f"{path}/params/{name}",
                    f"{name}: {show(ty)}",
                    None,
                    f"WIT parameter '{name}' of '{label}' removed",
                )
            )
    for name, ty in came.values():
        out.append(
            emit(
                K.PARAM_ADDED,
                f"{path}/params/{name}",
                None,
                f"{name}: {show(ty)}",
                f"WIT parameter '{name}' added to '{label}'",
            )
        )
    kept_old = [n for n, _ in old.params if n in after]
    kept_new = [n for n, _ in new.params if n in before]
    if kept_old != kept_new:
        out.append(
            emit(
                K.ORDER_CHANGED,
                f"{path}/params",
                kept_old,
                kept_new,
                f"WIT parameters of '{label}' reordered",
            )
        )
    if old.result != new.result:
        where = f"{path}/result"
        if old.result is None or new.result is None:
            out.append(
                emit(
                    K.RESULT_CHANGED,
                    where,
                    show(old.result) if old.result else None,
                    show(new.result) if new.result else None,
                    f"WIT result of '{label}' changed from {show(old.result) if old.result else 'none'} "
                    f"to {show(new.result) if new.result else 'none'}",
                )
            )
        else:
            out += diff_type(old.result, new.result, where, f"result of '{label}'", K.RESULT_CHANGED, emit)
    return out
