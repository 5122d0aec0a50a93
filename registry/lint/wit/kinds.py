"""Every kind of WIT change, with who it breaks as data: components that import, or export, the item.

An **importer** was built against the old interface and calls it; an **exporter** was built
against the old interface and implements it. A rule says whether each keeps working when
the other side moves to the new interface (an old importer linked against a new exporter;
an old exporter linked where the new interface is imported).

The component model checks a link by subtyping only where it has width: an instance (an
interface) may export more than its importer asks for. Value types — records, variants,
enums, flags, tuples, options, results, lists, handles — and function signatures must be
the same on both sides, so any change inside them breaks both roles. That leaves additions
breaking exporters (they lack the new item) and removals breaking importers (they call what
is gone). For a world the roles are the host that runs a component (importer) and the
component that targets the world (exporter); the world's own imports run the other way.

Compatibility modes map onto the roles as Confluent's do onto readers and writers:
BACKWARD (consumers upgrade first: new importers, old exporters) needs exporters to keep
working, FORWARD (providers upgrade first) needs importers to, FULL needs both.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from registry.lint.kinds import Nature


@dataclass(frozen=True)
class RoleRule:
    importers: bool  # an old importer still links and works against the new interface
    exporters: bool  # an old exporter still satisfies importers of the new interface
    nature: Nature  # ANNOTATION needs only a patch bump; anything else at least a minor

    # The names the JSON Schema rules use, so the version policy reads both alike.
    @property
    def backward(self) -> bool:
        return self.exporters

    @property
    def forward(self) -> bool:
        return self.importers


_ADDED = RoleRule(True, False, Nature.CHANGE)  # exporters lack it
_REMOVED = RoleRule(False, True, Nature.CHANGE)  # importers call it
_CHANGED = RoleRule(False, False, Nature.CHANGE)  # value types and signatures match exactly
_FREE = RoleRule(True, True, Nature.CHANGE)  # nobody breaks, but the interface says more
_NOTE = RoleRule(True, True, Nature.ANNOTATION)  # documentation only


class WitKind(StrEnum):
    # The contract gains or loses its WIT file.
    WIT_ADDED = "wit_added"
    WIT_REMOVED = "wit_removed"
    # The package
    PACKAGE_RENAMED = "wit_package_renamed"
    PACKAGE_VERSION_CHANGED = "wit_package_version_changed"
    PACKAGE_VERSION_INCOMPATIBLE = "wit_package_version_incompatible"
    # Items
    INTERFACE_ADDED = "wit_interface_added"
    INTERFACE_REMOVED = "wit_interface_removed"
    WORLD_ADDED = "wit_world_added"
    WORLD_REMOVED = "wit_world_removed"
    WORLD_IMPORT_ADDED = "wit_world_import_added"
    WORLD_IMPORT_REMOVED = "wit_world_import_removed"
    WORLD_EXPORT_ADDED = "wit_world_export_added"
    WORLD_EXPORT_REMOVED = "wit_world_export_removed"
    WORLD_ITEM_CHANGED = "wit_world_item_changed"
    FUNCTION_ADDED = "wit_function_added"
    FUNCTION_REMOVED = "wit_function_removed"
    RESOURCE_ADDED = "wit_resource_added"
    RESOURCE_REMOVED = "wit_resource_removed"
    METHOD_ADDED = "wit_method_added"
    METHOD_REMOVED = "wit_method_removed"
    CONSTRUCTOR_ADDED = "wit_constructor_added"
    CONSTRUCTOR_REMOVED = "wit_constructor_removed"
    TYPE_ADDED = "wit_type_added"
    TYPE_REMOVED = "wit_type_removed"
    TYPE_KIND_CHANGED = "wit_type_kind_changed"
    TYPE_ALIAS_CHANGED = "wit_type_alias_changed"
    # Signatures
    PARAM_ADDED = "wit_param_added"
    PARAM_REMOVED = "wit_param_removed"
    PARAM_RENAMED = "wit_param_renamed"
    PARAM_RETYPED = "wit_param_retyped"
    RESULT_CHANGED = "wit_result_changed"
    # Value types
    FIELD_ADDED = "wit_field_added"
    FIELD_REMOVED = "wit_field_removed"
    FIELD_RETYPED = "wit_field_retyped"
    VARIANT_CASE_ADDED = "wit_variant_case_added"
    VARIANT_CASE_REMOVED = "wit_variant_case_removed"
    VARIANT_CASE_RETYPED = "wit_variant_case_retyped"
    ENUM_CASE_ADDED = "wit_enum_case_added"
    ENUM_CASE_REMOVED = "wit_enum_case_removed"
    FLAG_ADDED = "wit_flag_added"
    FLAG_REMOVED = "wit_flag_removed"
    ORDER_CHANGED = "wit_order_changed"
    OPTION_ADDED = "wit_option_added"
    OPTION_REMOVED = "wit_option_removed"
    RESULT_OK_CHANGED = "wit_result_ok_changed"
    RESULT_ERR_CHANGED = "wit_result_err_changed"
    LIST_ELEMENT_CHANGED = "wit_list_element_changed"
    LIST_LENGTH_CHANGED = "wit_list_length_changed"
    TUPLE_LENGTH_CHANGED = "wit_tuple_length_changed"
    HANDLE_CHANGED = "wit_handle_changed"
    # Gates and documentation
    SINCE_CHANGED = "wit_since_changed"
    DEPRECATION_CHANGED = "wit_deprecation_changed"
    UNSTABLE_GATE_ADDED = "wit_unstable_gate_added"
    UNSTABLE_GATE_REMOVED = "wit_unstable_gate_removed"
    UNSTABLE_ITEM_ADDED = "wit_unstable_item_added"
    UNSTABLE_ITEM_REMOVED = "wit_unstable_item_removed"
    UNSTABLE_ITEM_CHANGED = "wit_unstable_item_changed"
    DOCS_CHANGED = "wit_docs_changed"
    # What this engine cannot judge: never called compatible.
    UNPROVEN = "wit_unproven"

    @property
    def rule(self) -> RoleRule:
        return WIT_RULES[self]


K = WitKind
WIT_RULES: dict[WitKind, RoleRule] = {
    # Nothing is built against a version without an interface: components built against an
    # older one keep its published WIT, and transitive modes still compare with it. Dropping
    # the file adds nothing to use, so it needs no more than a patch (as the old publish body
    # without `witPath` always did); adding one is an addition.
    K.WIT_ADDED: _FREE,
    K.WIT_REMOVED: _NOTE,
    K.PACKAGE_RENAMED: _CHANGED,  # import names (`ns:pkg/iface`) change
    K.PACKAGE_VERSION_CHANGED: _NOTE,  # semver-compatible: runtimes match `@1.0.0` with `@1.1.0`
    K.PACKAGE_VERSION_INCOMPATIBLE: _CHANGED,
    K.INTERFACE_ADDED: _ADDED,
    K.INTERFACE_REMOVED: _REMOVED,
    K.WORLD_ADDED: _ADDED,
    K.WORLD_REMOVED: _REMOVED,
    K.WORLD_IMPORT_ADDED: _REMOVED,  # old hosts do not provide it: the world's imports run the other way
    K.WORLD_IMPORT_REMOVED: _ADDED,  # old components still import it and new hosts may not provide it
    K.WORLD_EXPORT_ADDED: _ADDED,
    K.WORLD_EXPORT_REMOVED: _REMOVED,
    K.WORLD_ITEM_CHANGED: _CHANGED,
    K.FUNCTION_ADDED: _ADDED,
    K.FUNCTION_REMOVED: _REMOVED,
    K.RESOURCE_ADDED: _ADDED,
    K.RESOURCE_REMOVED: _REMOVED,
    K.METHOD_ADDED: _ADDED,
    K.METHOD_REMOVED: _REMOVED,
    K.CONSTRUCTOR_ADDED: _ADDED,
    K.CONSTRUCTOR_REMOVED: _REMOVED,
    K.TYPE_ADDED: _ADDED,  # an instance type exports its named types too
    K.TYPE_REMOVED: _REMOVED,
    K.TYPE_KIND_CHANGED: _CHANGED,
    K.TYPE_ALIAS_CHANGED: _CHANGED,
    K.PARAM_ADDED: _CHANGED,
    K.PARAM_REMOVED: _CHANGED,
    K.PARAM_RENAMED: _CHANGED,  # parameter names are part of a component function's type
    K.PARAM_RETYPED: _CHANGED,
    K.RESULT_CHANGED: _CHANGED,
    K.FIELD_ADDED: _CHANGED,
    K.FIELD_REMOVED: _CHANGED,
    K.FIELD_RETYPED: _CHANGED,
    K.VARIANT_CASE_ADDED: _CHANGED,
    K.VARIANT_CASE_REMOVED: _CHANGED,
    K.VARIANT_CASE_RETYPED: _CHANGED,
    K.ENUM_CASE_ADDED: _CHANGED,
    K.ENUM_CASE_REMOVED: _CHANGED,
    K.FLAG_ADDED: _CHANGED,
    K.FLAG_REMOVED: _CHANGED,
    K.ORDER_CHANGED: _CHANGED,  # the canonical ABI lays out fields, cases and flags in order
    K.OPTION_ADDED: _CHANGED,
    K.OPTION_REMOVED: _CHANGED,
    K.RESULT_OK_CHANGED: _CHANGED,
    K.RESULT_ERR_CHANGED: _CHANGED,
    K.LIST_ELEMENT_CHANGED: _CHANGED,
    K.LIST_LENGTH_CHANGED: _CHANGED,
    K.TUPLE_LENGTH_CHANGED: _CHANGED,
    K.HANDLE_CHANGED: _CHANGED,
    K.SINCE_CHANGED: _NOTE,
    K.DEPRECATION_CHANGED: _NOTE,
    K.UNSTABLE_GATE_ADDED: _REMOVED,  # gone from every build that does not enable the feature
    K.UNSTABLE_GATE_REMOVED: _ADDED,  # now in every build: like an addition
    K.UNSTABLE_ITEM_ADDED: _FREE,  # `@unstable` promises nothing (WIT: feature gates)
    K.UNSTABLE_ITEM_REMOVED: _FREE,
    K.UNSTABLE_ITEM_CHANGED: _FREE,
    K.DOCS_CHANGED: _NOTE,
    K.UNPROVEN: _CHANGED,
}
del K

assert set(WIT_RULES) == set(WitKind), "every WIT change kind needs a rule"
