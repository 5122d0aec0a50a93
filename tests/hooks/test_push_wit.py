"""The gate judges a contract's WIT interface as it judges its schema: real pushes to a real store."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from support import ROOT, git, refs

from registry.git.store import Store

pytestmark = pytest.mark.git

RITUAL = "contracts/ritual.started"
STARTED = "  started: func(event: ritual-started) -> result<_, string>;\n"


def change(work: Path, version: str, old: str, new: str) -> None:
    wit = work / RITUAL / "ritual.wit"
    text = wit.read_text()
    assert old in text
    wit.write_text(text.replace(old, new))
    meta = work / RITUAL / "contract.yaml"
    doc = yaml.safe_load(meta.read_text())
    doc["version"] = version
    meta.write_text(yaml.safe_dump(doc, sort_keys=False))


def shown_in_readme(stderr: str) -> None:
    """The refusal is the one the README's walkthrough quotes, word for word."""
    line = next(x.rstrip() for x in stderr.splitlines() if x.startswith("remote:   ✗"))
    assert line in (ROOT / "README.md").read_text(), line


def push(work: Path):
    git("commit", "-qam", "ritual.started: change the interface", cwd=work)
    return git("push", "origin", "HEAD:main", cwd=work, check=False)


def test_removing_a_function_with_a_minor_bump_is_refused_naming_it(store: Store, clone: Path) -> None:
    before = refs(store)
    change(clone, "1.1.0", STARTED, "")
    out = push(clone)
    assert out.returncode != 0
    assert "WIT function 'events.started' removed" in out.stderr
    assert "needs version 2.0.0, got 1.1.0" in out.stderr
    assert "calling `events.started(event: ritual-started) -> result<_, string>`" in out.stderr
    assert refs(store) == before
    shown_in_readme(out.stderr)


def test_adding_a_record_field_with_a_patch_bump_is_refused(store: Store, clone: Path) -> None:
    field = "    tenant: option<string>,\n"
    change(clone, "1.0.1", field, field + "    note: string,\n")
    out = push(clone)
    assert out.returncode != 0
    assert "WIT record field 'events.ritual-started.note' added" in out.stderr
    assert "needs version 2.0.0, got 1.0.1" in out.stderr
    shown_in_readme(out.stderr)


def test_changing_only_comments_with_a_patch_bump_is_accepted(store: Store, clone: Path) -> None:
    change(clone, "1.0.1", STARTED, "  // Called once per run, before the first step.\n" + STARTED)
    out = push(clone)
    assert out.returncode == 0, out.stderr
    assert "refs/tags/contracts/ritual.started/1.0.1" in refs(store)


def test_the_same_removal_with_a_major_bump_lands(store: Store, clone: Path) -> None:
    change(clone, "2.0.0", STARTED, "")
    out = push(clone)
    assert out.returncode == 0, out.stderr
