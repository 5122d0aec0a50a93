"""A resolved WIT package as plain values the diff can compare.

Types are read structurally: an alias (``type run-id = string``) is the type it names, so
aliases that resolve to the same type are the same; ``list``, ``option``, ``result``,
``tuple``, handles, ``future`` and ``stream`` are shapes; records, variants, enums, flags
and resources are referred to by their qualified name (``events.trigger``) and compared
once, where they are defined. A shape is a nested tuple, so two shapes compare with ``==``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: A value type: a primitive name (``"u32"``), ``("named", "iface.name")`` or a shape
#: (``("list", Ty)``, ``("option", Ty)``, ``("result", Ty|None, Ty|None)``, ``("tuple", (Ty, …))``,
#: ``("fixed-list", Ty, n)``, ``("own"|"borrow", "iface.resource")``, ``("future"|"stream", Ty|None)``).
Ty = Any
NOMINAL = ("record", "variant", "enum", "flags", "resource")
_MAX_DEPTH = 100  # aliases and shapes followed from one use; deeper is refused, never guessed


@dataclass(frozen=True)
class Stability:
    """``@since``/``@deprecated`` on a stable item, or ``@unstable(feature = …)``."""

    since: str | None = None
    deprecated: str | None = None
    unstable: str | None = None  # the feature's name


@dataclass(frozen=True)
class TypeDef:
    name: str
    kind: str  # record, variant, enum, flags, resource, or "alias" for anything structural
    members: tuple[tuple[str, Ty], ...] = ()  # fields or cases (payload None), flags and enum names (None)
    target: Ty = None  # an alias's type
    stability: Stability = Stability()
    docs: str | None = None
    member_docs: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Function:
    name: str  # as the resolved package keys it: "start", "[method]cart.add", "[constructor]cart"
    kind: str  # freestanding, method, static, constructor
    params: tuple[tuple[str, Ty], ...]
    result: Ty
    stability: Stability = Stability()
    docs: str | None = None

    @property
    def label(self) -> str:
        """The name a WIT author writes: ``start``, ``cart.add``, ``cart.constructor``."""
        if self.kind == "constructor":
            return self.name.removeprefix("[constructor]") + ".constructor"
        return self.name.split("]", 1)[-1]

    @property
    def role(self) -> str:
        return {"constructor": "constructor", "method": "method", "static": "method"}.get(
            self.kind, "function"
        )


@dataclass(frozen=True)
class Interface:
    name: str
    types: dict[str, TypeDef] = field(default_factory=dict)
    functions: dict[str, Function] = field(default_factory=dict)
    stability: Stability = Stability()
    docs: str | None = None


@dataclass(frozen=True)
class WorldItem:
    """An import or export of a world: an interface (by name, or inline), a function or a type."""

    kind: str  # interface, function, type
    ref: str | None = None  # a named interface's qualified name
    inline: Interface | None = None
    function: Function | None = None
    target: Ty = None
    stability: Stability = Stability()


@dataclass(frozen=True)
class World:
    name: str
    imports: dict[str, WorldItem] = field(default_factory=dict)
    exports: dict[str, WorldItem] = field(default_factory=dict)
    stability: Stability = Stability()
    docs: str | None = None


@dataclass(frozen=True)
class WitPackage:
    name: str  # "demon:ritual"
    version: str | None
    interfaces: dict[str, Interface]
    worlds: dict[str, World]
    unknown: tuple[str, ...] = ()  # shapes this reader does not model: the diff cannot prove them


class _Reader:
    """Turns ``wasm-tools component wit --json`` into the values above."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.types: list[dict[str, Any]] = data.get("types", [])
        self.interfaces: list[dict[str, Any]] = data.get("interfaces", [])
        self.packages: list[dict[str, Any]] = data.get("packages", [])
        self.unknown: list[str] = []
        self.top = len(self.packages) - 1  # dependencies come first; the package itself is last

    def owner(self, index: int) -> str:
        owner = self.types[index].get("owner") or {}
        if "interface" in owner:
            return self.interface_name(owner["interface"])
        if "world" in owner:
            return "world " + str(self.data["worlds"][owner["world"]]["name"])
        return ""

    def interface_name(self, index: int) -> str:
        iface = self.interfaces[index]
        name = iface.get("name") or f"interface-{index}"
        if iface.get("package") == self.top or iface.get("package") is None:
            return str(name)
        pkg = str(self.packages[iface["package"]]["name"]).split("@", 1)[0]
        return f"{pkg}/{name}"

    def ty(self, ref: Any, depth: int = 0) -> Ty:
        if ref is None:
            return None
        if isinstance(ref, str):
            return ref
        if depth > _MAX_DEPTH:
            self.unknown.append(f"type nesting deeper than {_MAX_DEPTH} (aliases and shapes)")
            return ("unknown", "depth")
        if not isinstance(ref, int) or not 0 <= ref < len(self.types):
            self.unknown.append(f"type reference {ref!r}")
            return ("unknown", repr(ref))
        t = self.types[ref]
        kind = t.get("kind")
        if kind == "resource" or (isinstance(kind, dict) and next(iter(kind), None) in NOMINAL):
            return ("named", f"{self.owner(ref)}.{t.get('name')}")
        if not isinstance(kind, dict) or len(kind) != 1:
            self.unknown.append(f"type kind {kind!r}")
            return ("unknown", repr(kind))
        ((head, body),) = kind.items()
        return self.shape(head, body, depth + 1)

    def shape(self, head: str, body: Any, d: int) -> Ty:
        """An anonymous type (or an alias) as a shape: ``("list", Ty)``, ``("result", ok, err)``…"""
        if head == "type":
            return self.ty(body, d)
        if head in ("list", "option", "future", "stream"):
            return (head, self.ty(body, d))
        if head == "fixed-length-list" and isinstance(body, list) and len(body) == 2:
            return ("fixed-list", self.ty(body[0], d), body[1])
        if head == "result" and isinstance(body, dict):
            return ("result", self.ty(body.get("ok"), d), self.ty(body.get("err"), d))
        if head == "tuple" and isinstance(body, dict):
            return ("tuple", tuple(self.ty(x, d) for x in body.get("types", [])))
        if head == "handle" and isinstance(body, dict) and len(body) == 1:
            ((how, res),) = body.items()
            if isinstance(res, int) and 0 <= res < len(self.types):
                return (how, f"{self.owner(res)}.{self.types[res].get('name')}")
        self.unknown.append(f"type kind {head!r}")
        return ("unknown", head)

    def typedef(self, name: str, index: int) -> TypeDef:
        t = self.types[index]
        kind = t.get("kind")
        common = {"stability": stability(t.get("stability")), "docs": docs(t)}
        if kind == "resource":
            return TypeDef(name, "resource", **common)
        head = next(iter(kind), None) if isinstance(kind, dict) else None
        if head == "record":
            fields = kind["record"].get("fields", [])
            members = tuple((f["name"], self.ty(f.get("type"))) for f in fields)
            return TypeDef(name, "record", members, member_docs=member_docs(fields), **common)
        if head == "variant":
            cases = kind["variant"].get("cases", [])
            members = tuple((c["name"], self.ty(c.get("type"))) for c in cases)
            return TypeDef(name, "variant", members, member_docs=member_docs(cases), **common)
        if head == "enum":
            cases = kind["enum"].get("cases", [])
            return TypeDef(
                name,
                "enum",
                tuple((c["name"], None) for c in cases),
                member_docs=member_docs(cases),
                **common,
            )
        if head == "flags":
            flags = kind["flags"].get("flags", [])
            return TypeDef(
                name,
                "flags",
                tuple((f["name"], None) for f in flags),
                member_docs=member_docs(flags),
                **common,
            )
        return TypeDef(name, "alias", target=self.ty(index), **common)

    def function(self, f: dict[str, Any]) -> Function:
        kind = f.get("kind")
        kind_name = (
            kind
            if isinstance(kind, str)
            else next(iter(kind), "unknown")
            if isinstance(kind, dict)
            else "unknown"
        )
        if kind_name.startswith("async-"):
            kind_name = kind_name.removeprefix("async-")
        params = tuple((p["name"], self.ty(p.get("type"))) for p in f.get("params", []))
        return Function(
            str(f.get("name")),
            kind_name,
            params,
            self.ty(f.get("result")),
            stability(f.get("stability")),
            docs(f),
        )

    def interface(self, index: int, name: str | None = None) -> Interface:
        iface = self.interfaces[index]
        types = {n: self.typedef(n, i) for n, i in iface.get("types", {}).items()}
        functions = {n: self.function(f) for n, f in iface.get("functions", {}).items()}
        return Interface(
            name or self.interface_name(index),
            types,
            functions,
            stability(iface.get("stability")),
            docs(iface),
        )

    def world_item(self, key: str, item: dict[str, Any]) -> tuple[str, WorldItem]:
        if "interface" in item:
            index = item["interface"]["id"]
            stab = stability(item["interface"].get("stability"))
            if self.interfaces[index].get("name") is None:
                return key, WorldItem("interface", inline=self.interface(index, key), stability=stab)
            name = self.interface_name(index)
            return name, WorldItem("interface", ref=name, stability=stab)
        if "function" in item:
            f = self.function(item["function"])
            return key, WorldItem("function", function=f, stability=f.stability)
        if "type" in item:
            return key, WorldItem("type", target=self.ty(item["type"]))
        self.unknown.append(f"world item {key!r}")
        return key, WorldItem("unknown")

    def world(self, index: int) -> World:
        w = self.data["worlds"][index]
        imports = dict(self.world_item(k, v) for k, v in w.get("imports", {}).items())
        exports = dict(self.world_item(k, v) for k, v in w.get("exports", {}).items())
        return World(str(w["name"]), imports, exports, stability(w.get("stability")), docs(w))


def stability(value: Any) -> Stability:
    if not isinstance(value, dict):
        return Stability()
    if "unstable" in value:
        return Stability(unstable=str((value["unstable"] or {}).get("feature")))
    stable = value.get("stable") or {}
    return Stability(since=stable.get("since"), deprecated=stable.get("deprecated"))


def docs(item: dict[str, Any]) -> str | None:
    value = item.get("docs") or {}
    return value.get("contents") if isinstance(value, dict) else None


def member_docs(members: list[dict[str, Any]]) -> tuple[tuple[str, str], ...]:
    return tuple((m["name"], text) for m in members if (text := docs(m)))


def read_package(data: Any) -> WitPackage:
    """The last package of a resolve (the one the files declare), read into plain values."""
    if not isinstance(data, dict) or not data.get("packages"):
        raise ValueError("not a resolved WIT package")
    reader = _Reader(data)
    top = reader.packages[-1]
    name, _, version = str(top["name"]).partition("@")
    interfaces = {n: reader.interface(i) for n, i in top.get("interfaces", {}).items()}
    worlds = {n: reader.world(i) for n, i in top.get("worlds", {}).items()}
    return WitPackage(name, version or None, interfaces, worlds, tuple(reader.unknown))
