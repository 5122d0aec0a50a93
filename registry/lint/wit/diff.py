"""The WIT diff engine: every change between two resolved packages, with its verdict by role.

Findings are :class:`~registry.lint.wit.change.WitChange` values whose ``path`` points into
the resolved package (``wit:/interfaces/events/functions/started/params/event``) and whose
message names the WIT item (``WIT function 'events.started' removed``). Items behind an
``@unstable`` feature on both sides change freely: one finding says so.
"""

from __future__ import annotations

from registry.lint.kinds import Nature
from registry.lint.wit.change import WitChange, wit_change
from registry.lint.wit.kinds import WitKind
from registry.lint.wit.model import Function, Interface, Stability, WitPackage, World, WorldItem
from registry.lint.wit.types import Emit, diff_type, diff_typedef, show

K = WitKind
ROOT = "wit:"


def diff_wit(old: WitPackage | None, new: WitPackage | None) -> list[WitChange]:
    """Every change from ``old`` to ``new`` (None: the contract has no WIT on that side)."""
    emit = _emitter(False)
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
    out += _members(
        old.interfaces,
        new.interfaces,
        f"{ROOT}/interfaces",
        "interface",
        (K.INTERFACE_ADDED, K.INTERFACE_REMOVED),
        lambda a, b, p: _interface(a, b, p, a.name, emit),
        lambda i: i.stability,
        emit,
    )
    out += _members(
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


def _emitter(flip: bool) -> Emit:
    def emit(kind: WitKind, path: str, old: object, new: object, message: str) -> WitChange:
        return wit_change(kind, path, old, new, message, flip=flip)

    return emit


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


def _members(old, new, path, word, kinds, compare, stab, emit: Emit) -> list[WitChange]:  # type: ignore[no-untyped-def]
    """Items added, removed, or compared, with their ``@unstable`` gates."""
    added, removed = kinds
    out: list[WitChange] = []
    for name, item in old.items():
        if name not in new:
            unstable = stab(item).unstable
            kind = K.UNSTABLE_ITEM_REMOVED if unstable else removed
            out.append(
                emit(kind, f"{path}/{name}", name, None, f"WIT {word} '{name}' removed" + _feature(unstable))
            )
    for name, item in new.items():
        if name not in old:
            unstable = stab(item).unstable
            kind = K.UNSTABLE_ITEM_ADDED if unstable else added
            out.append(
                emit(kind, f"{path}/{name}", None, name, f"WIT {word} '{name}' added" + _feature(unstable))
            )
    for name, item in new.items():
        if name in old:
            where = f"{path}/{name}"
            inner = compare(old[name], item, where)
            out += _gated(stab(old[name]), stab(item), where, f"{word} '{name}'", inner, emit)
    return out


def _feature(unstable: str | None) -> str:
    return f" (behind @unstable feature '{unstable}')" if unstable else ""


def _gated(
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


def _docs(old: str | None, new: str | None, path: str, what: str, emit: Emit) -> list[WitChange]:
    if (old or "").strip() == (new or "").strip():
        return []
    return [emit(K.DOCS_CHANGED, path, old, new, f"WIT {what}: documentation changed")]


_ADDED = {"function": K.FUNCTION_ADDED, "method": K.METHOD_ADDED, "constructor": K.CONSTRUCTOR_ADDED}
_REMOVED = {"function": K.FUNCTION_REMOVED, "method": K.METHOD_REMOVED, "constructor": K.CONSTRUCTOR_REMOVED}


def _interface(old: Interface, new: Interface, path: str, label: str, emit: Emit) -> list[WitChange]:
    out = _docs(old.docs, new.docs, path, f"interface '{label}'", emit)
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
                    f"WIT {_noun(t.kind)} '{label}.{name}' removed" + _feature(t.stability.unstable),
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
                    f"WIT {_noun(t.kind)} '{label}.{name}' added" + _feature(t.stability.unstable),
                )
            )
    for name, t in new.types.items():
        if name in old.types:
            was, where, qualified = old.types[name], f"{path}/types/{name}", f"{label}.{name}"
            inner = diff_typedef(was, t, where, qualified, emit)
            inner += _docs(was.docs, t.docs, where, f"type '{qualified}'", emit)
            before = dict(was.member_docs)
            for member in sorted({n for n, _ in was.member_docs} | {n for n, _ in t.member_docs}):
                inner += _docs(
                    before.get(member),
                    dict(t.member_docs).get(member),
                    f"{where}/{member}",
                    f"'{qualified}.{member}'",
                    emit,
                )
            out += _gated(was.stability, t.stability, where, f"type '{qualified}'", inner, emit)
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
                    f"WIT {f.role} '{label}.{f.label}' removed" + _feature(f.stability.unstable),
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
                    f"WIT {f.role} '{label}.{f.label}' added" + _feature(f.stability.unstable),
                )
            )
    for name, f in new.functions.items():
        if name in old.functions:
            was, where = old.functions[name], f"{path}/functions/{f.label}"
            inner = function_changes(was, f, where, f"{label}.{f.label}", emit)
            out += _gated(was.stability, f.stability, where, f"{f.role} '{label}.{f.label}'", inner, emit)
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
    out = _docs(old.docs, new.docs, path, f"function '{label}'", emit)
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


def _world(old: World, new: World, path: str) -> list[WitChange]:
    label = f"world '{new.name}'"
    out = _docs(old.docs, new.docs, path, label, _emitter(False))
    for side, flip, added, removed in (
        ("imports", True, K.WORLD_IMPORT_ADDED, K.WORLD_IMPORT_REMOVED),
        ("exports", False, K.WORLD_EXPORT_ADDED, K.WORLD_EXPORT_REMOVED),
    ):
        before, after = getattr(old, side), getattr(new, side)
        emit = _emitter(False)  # the import/export kinds carry their own direction
        word = side[:-1]

        def compare(
            a: WorldItem, b: WorldItem, where: str, flip: bool = flip, word: str = word
        ) -> list[WitChange]:
            return _world_item(a, b, where, f"{word} of {label}", _emitter(flip))

        out += _members(
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
        return _interface(old.inline, new.inline, path, f"{new.inline.name}", emit)
    if old.function is not None and new.function is not None:
        return function_changes(old.function, new.function, path, new.function.label, emit)
    if old.kind == "type":
        return diff_type(old.target, new.target, path, label, K.TYPE_ALIAS_CHANGED, emit)
    return []
