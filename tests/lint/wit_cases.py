"""Named WIT changes, one or more per kind, written from the WIT specification (WIT.md).

Each case is a pair of packages, the kind and path the engine must report, its verdict for
importers and exporters, and the kind the same change reports read backwards (new → old).
"""

from __future__ import annotations

from dataclasses import dataclass

from registry.lint.wit import WitKind

K = WitKind


def pkg(body: str, version: str = "1.0.0", name: str = "t:x", extra: str = "") -> str:
    head = f"package {name}@{version};" if version else f"package {name};"
    return f"{head}\n\ninterface api {{\n{body}\n}}\n{extra}"


EXTRA = "interface extra {\n  g: func();\n}\n"


def world(body: str) -> str:
    return pkg("  f: func();", extra=EXTRA + f"world w {{\n{body}\n}}\n")


@dataclass(frozen=True)
class WitCase:
    old: str | None
    new: str | None
    kind: WitKind
    path: str
    importers: bool
    exporters: bool
    reverse: WitKind


def case(old, new, kind, path, importers, exporters, reverse=None) -> WitCase:  # type: ignore[no-untyped-def]
    return WitCase(old, new, kind, "wit:" + path, importers, exporters, reverse or kind)


F = "/interfaces/api/functions/f"
T = "/interfaces/api/types/t"
REC = "  record t { a: u32, b: string }\n  f: func(x: t);"
VAR = "  variant t { a(u32), b }\n  f: func() -> t;"
ENUM = "  enum t { a, b }\n  f: func(x: t);"
FLAGS = "  flags t { a, b }\n  f: func(x: t);"
RES = "  resource t {\n    m: func();\n  }"
UNSTABLE = "  @unstable(feature = fancy)\n  g: func();"

CASES: dict[str, WitCase] = {
    "wit_file_added": case(None, pkg("  f: func();"), K.WIT_ADDED, "", True, True, K.WIT_REMOVED),
    "wit_file_removed": case(pkg("  f: func();"), None, K.WIT_REMOVED, "", True, True, K.WIT_ADDED),
    "package_renamed": case(
        pkg("  f: func();"), pkg("  f: func();", name="t:y"), K.PACKAGE_RENAMED, "/package", False, False
    ),
    "package_minor_version": case(
        pkg("  f: func();"),
        pkg("  f: func();", "1.1.0"),
        K.PACKAGE_VERSION_CHANGED,
        "/package/version",
        True,
        True,
    ),
    "package_major_version": case(
        pkg("  f: func();"),
        pkg("  f: func();", "2.0.0"),
        K.PACKAGE_VERSION_INCOMPATIBLE,
        "/package/version",
        False,
        False,
    ),
    "package_zero_minor_version": case(
        pkg("  f: func();", "0.1.0"),
        pkg("  f: func();", "0.2.0"),
        K.PACKAGE_VERSION_INCOMPATIBLE,
        "/package/version",
        False,
        False,
    ),
    "interface_added": case(
        pkg("  f: func();"),
        pkg("  f: func();", extra=EXTRA),
        K.INTERFACE_ADDED,
        "/interfaces/extra",
        True,
        False,
        K.INTERFACE_REMOVED,
    ),
    "interface_removed": case(
        pkg("  f: func();", extra=EXTRA),
        pkg("  f: func();"),
        K.INTERFACE_REMOVED,
        "/interfaces/extra",
        False,
        True,
        K.INTERFACE_ADDED,
    ),
    "world_added": case(
        pkg("  f: func();"),
        pkg("  f: func();", extra="world w {\n  import api;\n}\n"),
        K.WORLD_ADDED,
        "/worlds/w",
        True,
        False,
        K.WORLD_REMOVED,
    ),
    "world_removed": case(
        pkg("  f: func();", extra="world w {\n  import api;\n}\n"),
        pkg("  f: func();"),
        K.WORLD_REMOVED,
        "/worlds/w",
        False,
        True,
        K.WORLD_ADDED,
    ),
    "world_import_added": case(
        world("  import api;"),
        world("  import api;\n  import extra;"),
        K.WORLD_IMPORT_ADDED,
        "/worlds/w/imports/extra",
        False,
        True,
        K.WORLD_IMPORT_REMOVED,
    ),
    "world_import_removed": case(
        world("  import api;\n  import extra;"),
        world("  import api;"),
        K.WORLD_IMPORT_REMOVED,
        "/worlds/w/imports/extra",
        True,
        False,
        K.WORLD_IMPORT_ADDED,
    ),
    "world_export_added": case(
        world("  export api;"),
        world("  export api;\n  export extra;"),
        K.WORLD_EXPORT_ADDED,
        "/worlds/w/exports/extra",
        True,
        False,
        K.WORLD_EXPORT_REMOVED,
    ),
    "world_export_removed": case(
        world("  export api;\n  export extra;"),
        world("  export api;"),
        K.WORLD_EXPORT_REMOVED,
        "/worlds/w/exports/extra",
        False,
        True,
        K.WORLD_EXPORT_ADDED,
    ),
    "world_function_became_interface": case(
        world("  export run: func();"),
        world("  export run: interface {\n    go: func();\n  }"),
        K.WORLD_ITEM_CHANGED,
        "/worlds/w/exports/run",
        False,
        False,
    ),
    "world_inline_import_function_added": case(
        world("  import host: interface {\n    a: func();\n  }"),
        world("  import host: interface {\n    a: func();\n    b: func();\n  }"),
        K.FUNCTION_ADDED,
        "/worlds/w/imports/host/functions/b",
        False,  # imported by the world: the host must now provide it
        True,
        K.FUNCTION_REMOVED,
    ),
    "function_added": case(
        pkg("  f: func();"),
        pkg("  f: func();\n  g: func();"),
        K.FUNCTION_ADDED,
        "/interfaces/api/functions/g",
        True,
        False,
        K.FUNCTION_REMOVED,
    ),
    "function_removed": case(
        pkg("  f: func();\n  g: func();"),
        pkg("  f: func();"),
        K.FUNCTION_REMOVED,
        "/interfaces/api/functions/g",
        False,
        True,
        K.FUNCTION_ADDED,
    ),
    "resource_added": case(
        pkg("  f: func();"),
        pkg("  f: func();\n  resource t;"),
        K.RESOURCE_ADDED,
        T,
        True,
        False,
        K.RESOURCE_REMOVED,
    ),
    "resource_removed": case(
        pkg("  f: func();\n  resource t;"),
        pkg("  f: func();"),
        K.RESOURCE_REMOVED,
        T,
        False,
        True,
        K.RESOURCE_ADDED,
    ),
    "method_added": case(
        pkg(RES),
        pkg(RES.replace("m: func();", "m: func();\n    n: func();")),
        K.METHOD_ADDED,
        "/interfaces/api/functions/t.n",
        True,
        False,
        K.METHOD_REMOVED,
    ),
    "static_method_removed": case(
        pkg(RES.replace("m: func();", "m: func();\n    s: static func();")),
        pkg(RES),
        K.METHOD_REMOVED,
        "/interfaces/api/functions/t.s",
        False,
        True,
        K.METHOD_ADDED,
    ),
    "constructor_added": case(
        pkg(RES),
        pkg(RES.replace("m: func();", "constructor();\n    m: func();")),
        K.CONSTRUCTOR_ADDED,
        "/interfaces/api/functions/t.constructor",
        True,
        False,
        K.CONSTRUCTOR_REMOVED,
    ),
    "constructor_removed": case(
        pkg(RES.replace("m: func();", "constructor(a: u32);\n    m: func();")),
        pkg(RES),
        K.CONSTRUCTOR_REMOVED,
        "/interfaces/api/functions/t.constructor",
        False,
        True,
        K.CONSTRUCTOR_ADDED,
    ),
    "type_added": case(
        pkg("  f: func();"),
        pkg("  f: func();\n  type t = u32;"),
        K.TYPE_ADDED,
        T,
        True,
        False,
        K.TYPE_REMOVED,
    ),
    "type_removed": case(
        pkg("  f: func();\n  type t = u32;"),
        pkg("  f: func();"),
        K.TYPE_REMOVED,
        T,
        False,
        True,
        K.TYPE_ADDED,
    ),
    "record_became_variant": case(
        pkg(REC),
        pkg("  variant t { a(u32), b(string) }\n  f: func(x: t);"),
        K.TYPE_KIND_CHANGED,
        T,
        False,
        False,
    ),
    "alias_retargeted": case(
        pkg("  type t = u32;\n  f: func(x: t);"),
        pkg("  type t = u64;\n  f: func(x: t);"),
        K.TYPE_ALIAS_CHANGED,
        T,
        False,
        False,
    ),
    "param_added": case(
        pkg("  f: func(a: u32);"),
        pkg("  f: func(a: u32, b: u32);"),
        K.PARAM_ADDED,
        F + "/params/b",
        False,
        False,
        K.PARAM_REMOVED,
    ),
    "param_removed": case(
        pkg("  f: func(a: u32, b: u32);"),
        pkg("  f: func(a: u32);"),
        K.PARAM_REMOVED,
        F + "/params/b",
        False,
        False,
        K.PARAM_ADDED,
    ),
    "param_renamed": case(
        pkg("  f: func(a: u32);"), pkg("  f: func(b: u32);"), K.PARAM_RENAMED, F + "/params/b", False, False
    ),
    "param_retyped": case(
        pkg("  f: func(a: u32);"), pkg("  f: func(a: u64);"), K.PARAM_RETYPED, F + "/params/a", False, False
    ),
    "params_reordered": case(
        pkg("  f: func(a: u32, b: string);"),
        pkg("  f: func(b: string, a: u32);"),
        K.ORDER_CHANGED,
        F + "/params",
        False,
        False,
    ),
    "result_added": case(
        pkg("  f: func();"), pkg("  f: func() -> u32;"), K.RESULT_CHANGED, F + "/result", False, False
    ),
    "result_retyped": case(
        pkg("  f: func() -> u32;"),
        pkg("  f: func() -> string;"),
        K.RESULT_CHANGED,
        F + "/result",
        False,
        False,
    ),
    "field_added": case(
        pkg(REC),
        pkg(REC.replace("b: string", "b: string, c: bool")),
        K.FIELD_ADDED,
        T + "/fields/c",
        False,
        False,
        K.FIELD_REMOVED,
    ),
    "field_removed": case(
        pkg(REC),
        pkg(REC.replace(", b: string", "")),
        K.FIELD_REMOVED,
        T + "/fields/b",
        False,
        False,
        K.FIELD_ADDED,
    ),
    "field_retyped": case(
        pkg(REC), pkg(REC.replace("a: u32", "a: s32")), K.FIELD_RETYPED, T + "/fields/a", False, False
    ),
    "fields_reordered": case(
        pkg(REC),
        pkg(REC.replace("a: u32, b: string", "b: string, a: u32")),
        K.ORDER_CHANGED,
        T + "/fields",
        False,
        False,
    ),
    "variant_case_added": case(
        pkg(VAR),
        pkg(VAR.replace(", b }", ", b, c(string) }")),
        K.VARIANT_CASE_ADDED,
        T + "/cases/c",
        False,
        False,
        K.VARIANT_CASE_REMOVED,
    ),
    "variant_case_removed": case(
        pkg(VAR),
        pkg(VAR.replace(", b }", " }")),
        K.VARIANT_CASE_REMOVED,
        T + "/cases/b",
        False,
        False,
        K.VARIANT_CASE_ADDED,
    ),
    "variant_case_retyped": case(
        pkg(VAR), pkg(VAR.replace("a(u32)", "a(u64)")), K.VARIANT_CASE_RETYPED, T + "/cases/a", False, False
    ),
    "variant_case_lost_payload": case(
        pkg(VAR), pkg(VAR.replace("a(u32)", "a")), K.VARIANT_CASE_RETYPED, T + "/cases/a", False, False
    ),
    "enum_case_added": case(
        pkg(ENUM),
        pkg(ENUM.replace("a, b", "a, b, c")),
        K.ENUM_CASE_ADDED,
        T + "/cases/c",
        False,
        False,
        K.ENUM_CASE_REMOVED,
    ),
    "enum_case_removed": case(
        pkg(ENUM),
        pkg(ENUM.replace("a, b", "a")),
        K.ENUM_CASE_REMOVED,
        T + "/cases/b",
        False,
        False,
        K.ENUM_CASE_ADDED,
    ),
    "enum_cases_reordered": case(
        pkg(ENUM), pkg(ENUM.replace("a, b", "b, a")), K.ORDER_CHANGED, T + "/cases", False, False
    ),
    "flag_added": case(
        pkg(FLAGS),
        pkg(FLAGS.replace("a, b", "a, b, c")),
        K.FLAG_ADDED,
        T + "/flags/c",
        False,
        False,
        K.FLAG_REMOVED,
    ),
    "flag_removed": case(
        pkg(FLAGS),
        pkg(FLAGS.replace("a, b", "a")),
        K.FLAG_REMOVED,
        T + "/flags/b",
        False,
        False,
        K.FLAG_ADDED,
    ),
    "param_became_optional": case(
        pkg("  f: func(a: u32);"),
        pkg("  f: func(a: option<u32>);"),
        K.OPTION_ADDED,
        F + "/params/a",
        False,
        False,
        K.OPTION_REMOVED,
    ),
    "field_no_longer_optional": case(
        pkg(REC.replace("b: string", "b: option<string>")),
        pkg(REC),
        K.OPTION_REMOVED,
        T + "/fields/b",
        False,
        False,
        K.OPTION_ADDED,
    ),
    "result_ok_retyped": case(
        pkg("  f: func() -> result<u32, string>;"),
        pkg("  f: func() -> result<u64, string>;"),
        K.RESULT_OK_CHANGED,
        F + "/result/ok",
        False,
        False,
    ),
    "result_err_dropped": case(
        pkg("  f: func() -> result<u32, string>;"),
        pkg("  f: func() -> result<u32>;"),
        K.RESULT_ERR_CHANGED,
        F + "/result/err",
        False,
        False,
    ),
    "list_element_retyped": case(
        pkg("  f: func(a: list<u8>);"),
        pkg("  f: func(a: list<u16>);"),
        K.LIST_ELEMENT_CHANGED,
        F + "/params/a/list",
        False,
        False,
    ),
    "fixed_list_length": case(
        pkg("  f: func(a: list<u8, 4>);"),
        pkg("  f: func(a: list<u8, 8>);"),
        K.LIST_LENGTH_CHANGED,
        F + "/params/a",
        False,
        False,
    ),
    "tuple_grew": case(
        pkg("  f: func(a: tuple<u8, u8>);"),
        pkg("  f: func(a: tuple<u8, u8, u8>);"),
        K.TUPLE_LENGTH_CHANGED,
        F + "/params/a",
        False,
        False,
    ),
    "tuple_item_retyped": case(
        pkg("  f: func(a: tuple<u8, u8>);"),
        pkg("  f: func(a: tuple<u8, s8>);"),
        K.PARAM_RETYPED,
        F + "/params/a/1",
        False,
        False,
    ),
    "borrow_became_own": case(
        pkg("  resource t;\n  f: func(a: borrow<t>);"),
        pkg("  resource t;\n  f: func(a: own<t>);"),
        K.HANDLE_CHANGED,
        F + "/params/a",
        False,
        False,
    ),
    "since_moved": case(
        pkg("  @since(version = 1.0.0)\n  f: func();", "1.1.0"),
        pkg("  @since(version = 1.1.0)\n  f: func();", "1.1.0"),
        K.SINCE_CHANGED,
        F,
        True,
        True,
    ),
    "deprecated_added": case(
        pkg("  @since(version = 1.0.0)\n  f: func();", "1.1.0"),
        pkg("  @since(version = 1.0.0)\n  @deprecated(version = 1.1.0)\n  f: func();", "1.1.0"),
        K.DEPRECATION_CHANGED,
        F,
        True,
        True,
    ),
    "moved_behind_a_feature": case(
        pkg("  f: func();\n  g: func();"),
        pkg("  f: func();\n" + UNSTABLE),
        K.UNSTABLE_GATE_ADDED,
        "/interfaces/api/functions/g",
        False,
        True,
        K.UNSTABLE_GATE_REMOVED,
    ),
    "stabilized": case(
        pkg("  f: func();\n" + UNSTABLE),
        pkg("  f: func();\n  g: func();"),
        K.UNSTABLE_GATE_REMOVED,
        "/interfaces/api/functions/g",
        True,
        False,
        K.UNSTABLE_GATE_ADDED,
    ),
    "unstable_function_added": case(
        pkg("  f: func();"),
        pkg("  f: func();\n" + UNSTABLE),
        K.UNSTABLE_ITEM_ADDED,
        "/interfaces/api/functions/g",
        True,
        True,
        K.UNSTABLE_ITEM_REMOVED,
    ),
    "unstable_function_removed": case(
        pkg("  f: func();\n" + UNSTABLE),
        pkg("  f: func();"),
        K.UNSTABLE_ITEM_REMOVED,
        "/interfaces/api/functions/g",
        True,
        True,
        K.UNSTABLE_ITEM_ADDED,
    ),
    "unstable_function_changed": case(
        pkg("  f: func();\n" + UNSTABLE),
        pkg("  f: func();\n" + UNSTABLE.replace("g: func()", "g: func(a: u32)")),
        K.UNSTABLE_ITEM_CHANGED,
        "/interfaces/api/functions/g",
        True,
        True,
    ),
    "doc_comment_changed": case(
        pkg("  /// Does f.\n  f: func();"),
        pkg("  /// Does f, quickly.\n  f: func();"),
        K.DOCS_CHANGED,
        F,
        True,
        True,
    ),
    "unresolvable_side": case(pkg("  f: func(a: nope);"), pkg("  f: func();"), K.UNPROVEN, "", False, False),
}

#: Pairs that mean the same interface: no finding either way.
SAME: dict[str, tuple[str, str]] = {
    # The reference parser reads a comment right before an item as its documentation
    # (`wit_docs_changed`, a patch); one that precedes no item is nothing at all.
    "trailing_comment_added": (pkg("  f: func();"), pkg("  f: func();\n  // the end") + "// really\n"),
    "alias_inlined": (
        pkg("  type id = string;\n  f: func(a: id);"),
        pkg("  type id = string;\n  f: func(a: string);"),
    ),
    "alias_through_use": (
        pkg("  type id = string;", extra="interface b {\n  use api.{id};\n  g: func(a: id);\n}\n"),
        pkg("  type id = string;", extra="interface b {\n  use api.{id};\n  g: func(a: string);\n}\n"),
    ),
    "items_reordered": (pkg("  f: func();\n  g: func();"), pkg("  g: func();\n  f: func();")),
    "whitespace": (pkg("  f: func(a: u32);"), pkg("  f: func(  a :  u32  ) ;")),
}
