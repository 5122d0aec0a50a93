"""Git's ref-name rules, checked in Python, agree with the real ``git check-ref-format``."""

from __future__ import annotations

import pytest
from support import git

from registry.git.refs import check_ref_format

TRICKY = [
    "refs/heads/main",
    "refs/tags/contracts/ritual.started/1.0.0",
    "refs/tags/contracts/foo.lock/1.0.0",
    "refs/tags/contracts/foo/1.0.1-x.lock",
    "refs/tags/capsules/acme/inv.lock/1",
    "refs/heads/a.lock.x",
    "refs/heads/.lock",
    "refs/heads/lock",
    "refs/heads/.hidden",
    "refs/heads/a/.b",
    "refs/heads/a..b",
    "refs/heads/a.",
    "refs/heads/a./b",
    "refs/heads/a@{b",
    "refs/heads/a@b",
    "refs/heads/@",
    "refs/heads/@{",
    "refs/heads/a{",
    "refs/heads/a b",
    "refs/heads/a\tb",
    "refs/heads/a\x7f",
    "refs/heads/a\x1b[31m",
    "refs/heads/a~1",
    "refs/heads/a^",
    "refs/heads/a:b",
    "refs/heads/a?",
    "refs/heads/a*",
    "refs/heads/a[0]",
    "refs/heads/a\\b",
    "refs/heads//a",
    "refs/heads/a/",
    "/refs/heads/a",
    "refs/heads/-a",
    "refs/heads/é",
    "refs/heads/1.0.0+build.7",
    "refs",
    "@",
    "",
]


@pytest.mark.parametrize("name", TRICKY, ids=repr)
@pytest.mark.parametrize("onelevel", [False, True], ids=["strict", "onelevel"])
def test_check_ref_format_agrees_with_git(name: str, onelevel: bool) -> None:
    args = ["check-ref-format", *(["--allow-onelevel"] if onelevel else []), name]
    git_accepts = git(*args, check=False).returncode == 0
    reason = check_ref_format(name, allow_onelevel=onelevel)
    assert (reason is None) == git_accepts, reason


def test_the_reason_names_the_rule() -> None:
    assert "'.lock'" in (check_ref_format("refs/tags/contracts/foo.lock/1") or "")
    assert "'..'" in (check_ref_format("refs/heads/a..b") or "")
    assert "0x1b" in (check_ref_format("refs/heads/a\x1bb") or "")
