"""Names and versions: the rules every door shares."""

from __future__ import annotations

import pytest

from registry.errors import InvalidName
from registry.model import ContractVersion, capsule_name, contract_name, tenant

# SemVer 2.0.0 section 11's own example, in ascending precedence.
SEMVER_ORDER = [
    "1.0.0-alpha",
    "1.0.0-alpha.1",
    "1.0.0-alpha.beta",
    "1.0.0-beta",
    "1.0.0-beta.2",
    "1.0.0-beta.11",
    "1.0.0-rc.1",
    "1.0.0",
    "1.0.1",
    "1.1.0",
    "2.0.0",
]


def test_versions_order_as_semver_section_11() -> None:
    parsed = [ContractVersion.parse(v) for v in reversed(SEMVER_ORDER)]
    assert [v.text for v in sorted(parsed)] == SEMVER_ORDER


def test_old_style_versions_read_as_zeros_and_keep_their_text() -> None:
    assert ContractVersion.parse("v1") == ContractVersion.parse("1.0.0")
    assert ContractVersion.parse("2.1") < ContractVersion.parse("2.1.1")
    assert ContractVersion.parse("v1").text == "v1"
    assert ContractVersion.parse("1.0.0+build.7") == ContractVersion.parse("1.0.0")


@pytest.mark.parametrize("bad", ["", "1.0.0.0", "01.0.0", "latest", "1.0.0-", "v"])
def test_bad_versions_are_refused_with_a_hint(bad: str) -> None:
    with pytest.raises(InvalidName) as info:
        ContractVersion.parse(bad)
    assert "MAJOR.MINOR.PATCH" in (info.value.hint or info.value.message)


@pytest.mark.parametrize("name", ["ritual.started", "my-contract", "graph.commit.created", "A_1"])
def test_good_contract_names(name: str) -> None:
    assert contract_name(name) == name


@pytest.mark.parametrize("name", ["a/b", "a..b", "../x", ".hidden", "", "x" * 129, "sp ace"])
def test_bad_contract_names(name: str) -> None:
    with pytest.raises(InvalidName):
        contract_name(name)


def test_tenant_and_capsule_names() -> None:
    assert tenant("acme") == "acme"
    assert capsule_name("hello-world") == "hello-world"
    for bad_tenant in ("Acme", "a/b", "../x"):
        with pytest.raises(InvalidName):
            tenant(bad_tenant)
    for bad_capsule in ("x", "-x-", "a..b", "a/b"):
        with pytest.raises(InvalidName):
            capsule_name(bad_capsule)


@pytest.mark.parametrize(
    ("check", "value"),
    [
        (contract_name, "foo.lock"),
        (capsule_name, "inv.lock"),
        (ContractVersion.parse, "1.0.1-x.lock"),
        (ContractVersion.parse, "1.0.0+build.lock"),
    ],
    ids=["contract", "capsule", "prerelease", "build"],
)
def test_names_and_versions_git_cannot_store_as_refs_are_refused(check, value: str) -> None:
    with pytest.raises(InvalidName) as info:
        check(value)
    text = info.value.diagnostics()
    assert "ref-name rules" in text and "'.lock'" in text and "git check-ref-format" in text
