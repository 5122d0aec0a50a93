"""Each WIT change kind is reported where it happens, with its verdict for importers and exporters."""

from __future__ import annotations

import pytest
from lint.wit_cases import CASES, SAME

from registry.lint import Mode
from registry.lint.wit import WIT_RULES, WitKind, compare_wit


def files(text: str | None) -> dict[str, str] | None:
    return {"api.wit": text} if text is not None else None


@pytest.mark.parametrize("name", sorted(CASES))
def test_wit_change_kind_is_reported_with_its_path_and_roles(name: str) -> None:
    case = CASES[name]
    changes = compare_wit(files(case.old), files(case.new))
    match = [c for c in changes if c.kind is case.kind and c.path == case.path]
    assert match, f"{name}: expected {case.kind} at {case.path!r}, got {[(c.kind, c.path) for c in changes]}"
    assert (match[0].importers, match[0].exporters) == (case.importers, case.exporters), match[0].message


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_same_change_read_backwards_reports_its_reverse(name: str) -> None:
    case = CASES[name]
    back = compare_wit(files(case.new), files(case.old))
    assert case.reverse in {c.kind for c in back}, [(c.kind, c.path) for c in back]


def test_every_wit_change_kind_has_a_fixture() -> None:
    assert set(WitKind) - {case.kind for case in CASES.values()} == set()


def test_every_wit_change_kind_is_a_reverse_of_a_fixture_too() -> None:
    assert set(WitKind) - {case.reverse for case in CASES.values()} == set()


@pytest.mark.parametrize("name", sorted(SAME))
def test_same_interface_is_no_change(name: str) -> None:
    old, new = SAME[name]
    assert compare_wit(files(old), files(new)) == []
    assert compare_wit(files(new), files(old)) == []


def test_rules_agree_with_the_fixtures_outside_world_imports() -> None:
    for name, case in CASES.items():
        if "/imports/" in case.path:
            continue  # a world's imports run the other way
        rule = WIT_RULES[case.kind]
        assert (rule.importers, rule.exporters) == (case.importers, case.exporters), name


def test_modes_map_onto_roles() -> None:
    removed = compare_wit(files(CASES["function_removed"].old), files(CASES["function_removed"].new))[0]
    added = compare_wit(files(CASES["function_added"].old), files(CASES["function_added"].new))[0]
    # BACKWARD: consumers (importers) upgrade first, so old exporters must keep working.
    assert added.breaking(Mode.BACKWARD) and not added.breaking(Mode.FORWARD)
    assert removed.breaking(Mode.FORWARD) and not removed.breaking(Mode.BACKWARD)
    assert added.breaking(Mode.FULL) and removed.breaking(Mode.FULL)
    assert not added.breaking(Mode.NONE) and not removed.breaking(Mode.NONE)


def test_a_break_names_the_item_and_carries_a_call_shape() -> None:
    case = CASES["param_retyped"]
    (change,) = compare_wit(files(case.old), files(case.new), Mode.FORWARD)
    assert change.message == "WIT parameter 'a' of 'api.f' changed type from u32 to u64"
    assert change.witness_text == (
        "for example an importer of the old interface calling `api.f(a: u32)` no longer links"
    )
    assert change.as_dict(Mode.FORWARD)["witness"] == "calling `api.f(a: u32)`"


def test_a_type_change_is_witnessed_by_a_function_that_uses_it() -> None:
    case = CASES["field_added"]
    (change,) = compare_wit(files(case.old), files(case.new), Mode.BACKWARD)
    assert "providing `api.f(x: t)`" in change.witness_text


def test_an_unresolvable_side_is_never_compatible() -> None:
    case = CASES["unresolvable_side"]
    (change,) = compare_wit(files(case.old), files(case.new))
    assert "the published WIT cannot be compared" in change.message
    assert change.breaking(Mode.BACKWARD) and change.breaking(Mode.FORWARD)
