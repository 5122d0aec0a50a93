"""The version bump a change set needs, and whether a proposed version gives it."""

from __future__ import annotations

import pytest
from lint.schemas import BASE, CASES, STR

from registry.errors import InvalidName
from registry.lint import Bump, Mode, bump_between, check, diff, required_bump, version_verdict
from registry.model import ContractVersion

AGE_STRING = CASES["age_to_string"].new
WITH_PHONE = {**BASE, "properties": {**BASE["properties"], "phone": STR}}


def V(text: str) -> ContractVersion:
    return ContractVersion.parse(text)


@pytest.mark.parametrize(
    ("old", "new", "bump"),
    [
        ("1.0.0", "2.0.0", Bump.MAJOR),
        ("1.0.0", "1.1.0", Bump.MINOR),
        ("1.0.0", "1.0.1", Bump.PATCH),
        ("1.0.0", "1.0.0", Bump.NONE),
        ("1.2.0", "1.1.0", Bump.NONE),
        ("v1", "v2", Bump.MAJOR),
        ("1.0.0-rc.1", "1.0.0", Bump.PATCH),
    ],
)
def test_bump_between(old: str, new: str, bump: Bump) -> None:
    assert bump_between(V(old), V(new)) is bump


def test_required_bump_levels() -> None:
    assert required_bump([], Mode.BACKWARD) is Bump.NONE
    assert required_bump(diff(BASE, AGE_STRING), Mode.BACKWARD) is Bump.MAJOR
    assert required_bump(diff(BASE, WITH_PHONE), Mode.BACKWARD) is Bump.MINOR
    described = {**BASE, "description": "a person"}
    assert required_bump(diff(BASE, described), Mode.FULL) is Bump.PATCH
    # A tightening the mode allows still changes what is accepted.
    assert required_bump(diff({"maxLength": 5}, {"maxLength": 3}), Mode.FORWARD) is Bump.MINOR
    assert required_bump(diff(BASE, AGE_STRING), Mode.NONE) is Bump.MINOR


@pytest.mark.parametrize(
    ("new", "old_v", "new_v", "ok", "needed"),
    [
        (AGE_STRING, "1.0.0", "1.1.0", False, "2.0.0"),
        (AGE_STRING, "1.0.0", "2.0.0", True, None),
        (AGE_STRING, "0.1.0", "0.2.0", True, None),
        (AGE_STRING, "0.1.0", "0.1.1", False, "0.2.0"),
        (WITH_PHONE, "1.0.0", "1.1.0", True, None),
        (WITH_PHONE, "1.0.0", "1.0.1", False, "1.1.0"),
        (WITH_PHONE, "1.0.0", "1.0.0", False, "1.1.0"),
        (BASE, "1.0.0", "1.0.1", True, None),
        (BASE, "1.0.0", "0.9.0", False, "1.0.1"),
    ],
)
def test_version_verdict(new: object, old_v: str, new_v: str, ok: bool, needed: str | None) -> None:
    verdict = version_verdict(old_v, new_v, check([(old_v, BASE)], new))
    assert verdict.ok is ok, verdict.reason
    assert verdict.needed_version == needed


def test_wrong_major_bump_reason_reads_like_the_old_linter() -> None:
    verdict = version_verdict("1.0.0", "1.1.0", check([("1.0.0", BASE)], AGE_STRING))
    assert verdict.reason == "breaking changes need a major version bump: 1.0.0 → 2.0.0, got 1.1.0"
    assert (verdict.required, verdict.actual) == (Bump.MAJOR, Bump.MINOR)


def test_first_version_is_always_fine() -> None:
    verdict = version_verdict(None, "1.0.0", check([], BASE))
    assert verdict.ok and verdict.needed_version is None


def test_bad_version_is_refused() -> None:
    with pytest.raises(InvalidName):
        version_verdict("1.0.0", "one", check([("1.0.0", BASE)], BASE))
