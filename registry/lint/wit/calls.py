"""Witnesses for WIT breaks: a call shape one side of the change has and the other cannot link.

For a change that breaks importers (FORWARD) the witness is a call an old importer makes:
the old signature of the function that changed, or of one whose parameters or result use
the type that changed. For one that breaks exporters (BACKWARD) it is what an old exporter
provides, or the new function it lacks.
"""

from __future__ import annotations

from dataclasses import replace

from registry.lint.modes import Mode
from registry.lint.wit.change import CallWitness, WitChange
from registry.lint.wit.interfaces import signature
from registry.lint.wit.model import Function, Interface, Ty, WitPackage


def with_witness(change: WitChange, old: WitPackage | None, new: WitPackage | None, mode: Mode) -> WitChange:
    """``change`` with a call-shape witness for the role it breaks under ``mode``."""
    backward = mode.needs_backward and not change.backward
    direction = "backward" if backward else "forward"
    parts = change.path.removeprefix("wit:/").split("/")
    if len(parts) < 4 or parts[0] != "interfaces" or old is None:
        return change
    name, section, item = parts[1], parts[2], parts[3]
    before = old.interfaces.get(name)
    after = new.interfaces.get(name) if new is not None else None
    if section == "functions":
        was = _function(before, item)
        now = _function(after, item)
        if backward:
            shape = (
                f"providing `{name}.{signature(was)}`"
                if was
                else f"lacking `{name}.{signature(now)}`"
                if now
                else ""
            )
        else:
            shape = f"calling `{name}.{signature(was)}`" if was else ""
        return replace(change, witness=CallWitness(direction, bool(shape), shape))
    if section == "types" and item not in (before.types if before else {}):
        return replace(change, witness=CallWitness(direction, True, f"lacking type `{name}.{item}`"))
    if section == "types" and before is not None:
        user = _user(before, f"{name}.{item}")
        verb = "providing" if backward else "calling"
        shape = f"{verb} `{name}.{signature(user)}`" if user else ""
        return replace(change, witness=CallWitness(direction, bool(shape), shape))
    return change


def _function(iface: Interface | None, label: str) -> Function | None:
    if iface is None:
        return None
    return next((f for f in iface.functions.values() if f.label == label), None)


def _mentions(ty: Ty, names: set[str]) -> bool:
    if isinstance(ty, tuple):
        if ty[0] == "named" or ty[0] in ("own", "borrow"):
            return ty[1] in names
        return any(_mentions(part, names) for part in ty[1:])
    return False


def _user(iface: Interface, qualified: str) -> Function | None:
    """A function whose signature uses ``qualified``, directly or through the interface's other types."""
    names = {qualified}
    direct = _caller(iface, names)
    if direct is not None:  # the common case: no need to follow the other types
        return direct
    grew = True
    while grew:  # named types that hold the type, to a fixpoint (WIT types are not recursive)
        grew = False
        for n, t in iface.types.items():
            full = f"{iface.name}.{n}"
            if full not in names and any(_mentions(ty, names) for _, ty in t.members) | _mentions(
                t.target, names
            ):
                names.add(full)
                grew = True
    return _caller(iface, names)


def _caller(iface: Interface, names: set[str]) -> Function | None:
    for f in iface.functions.values():
        if any(_mentions(ty, names) for _, ty in f.params) or _mentions(f.result, names):
            return f
    return None
