"""Which refs a push may touch: main through the gate, proposal branches within the store's
limits, and nothing outside refs/heads/ — all through real `git push` to a store with its hooks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from support import git, refs

from registry.git.packing import HIDDEN_FROM_PUSH
from registry.git.store import Store
from registry.hooks.ref_policy import ref_problem
from registry.problems import Code

pytestmark = pytest.mark.git

RITUAL = "contracts/ritual.started"


def push(work: Path, *refspecs: str) -> tuple[int, str]:
    out = git("push", "origin", *refspecs, cwd=work, check=False)
    return out.returncode, out.stderr


def commit(work: Path, message: str = "change") -> None:
    git("add", "-A", cwd=work)
    git("commit", "-q", "-m", message, cwd=work)


def fsck_clean(store: Store) -> bool:
    return git(f"--git-dir={store.path}", "fsck", "--strict").returncode == 0


def edit_schema(work: Path, change) -> None:
    path = work / RITUAL / "schema.json"
    doc = json.loads(path.read_text())
    change(doc)
    path.write_text(json.dumps(doc, indent=2) + "\n")


def set_version(work: Path, version: str) -> None:
    path = work / RITUAL / "contract.yaml"
    doc = yaml.safe_load(path.read_text())
    doc["version"] = version
    path.write_text(yaml.safe_dump(doc, sort_keys=False))


@pytest.mark.parametrize(
    "ref",
    [
        "refs/tags/contracts",  # a prefix of the contract version namespace
        "refs/tags/v1.0",  # any tag at all
        "refs/registry/tagged",  # the registry's own bookkeeping
        "refs/notes/commits",
    ],
)
def test_a_ref_outside_refs_heads_is_refused_by_name_and_rule(store: Store, clone: Path, ref: str) -> None:
    before = refs(store)
    git("commit", "-q", "--allow-empty", "-m", "new", cwd=clone)  # so every ref here would move
    code, err = push(clone, f"HEAD:{ref}")
    # The version namespaces and the registry's marks are hidden from pushes
    # (receive.hideRefs), so git's own status line says so; the gate's words are the same.
    status = "deny updating a hidden ref" if ref.startswith(HIDDEN_FROM_PUSH) else "pre-receive hook declined"
    assert code != 0 and status in err
    assert f"{ref}: refs outside refs/heads/ are the registry's alone" in err
    assert "push branches under refs/heads/ only; version tags are created by the registry" in err
    assert f"[{Code.REF_NAMESPACE}]" in err
    assert refs(store) == before and fsck_clean(store)


def test_an_annotated_tag_named_like_a_namespace_is_refused(store: Store, clone: Path) -> None:
    before = refs(store)
    git("tag", "-a", "blocker", "-m", "blocks every version tag", cwd=clone)
    code, err = push(clone, "refs/tags/blocker:refs/tags/contracts")
    assert code != 0 and "refs/tags/contracts: refs outside refs/heads/" in err
    assert refs(store) == before and fsck_clean(store)


def test_after_a_refused_plain_tag_new_versions_are_still_tagged(store: Store, clone: Path) -> None:
    assert push(clone, "HEAD:refs/tags/contracts")[0] != 0
    edit_schema(clone, lambda d: d["properties"].update(note={"type": "string"}))
    set_version(clone, "1.1.0")
    commit(clone)
    code, err = push(clone, "HEAD:main")
    assert code == 0, err
    assert "refs/tags/contracts/ritual.started/1.1.0" in refs(store)
    assert fsck_clean(store)


def test_deleting_a_ref_outside_refs_heads_is_refused(store: Store, clone: Path) -> None:
    # An operator's ref on the server: pushers may not touch it either.
    main = refs(store)["refs/heads/main"]
    git(f"--git-dir={store.path}", "update-ref", "refs/notes/ops", main)
    before = refs(store)
    code, err = push(clone, ":refs/notes/ops")
    assert code != 0 and "refs/notes/ops: refs outside refs/heads/" in err
    assert refs(store) == before and fsck_clean(store)


def test_deleting_main_is_refused(store: Store, clone: Path) -> None:
    before = refs(store)
    code, err = push(clone, ":main")
    assert code != 0 and f"refs/heads/main: main cannot be deleted [{Code.REF_IMMUTABLE}]" in err
    assert refs(store) == before and fsck_clean(store)


def test_a_push_with_one_foreign_ref_is_refused_whole(store: Store, clone: Path) -> None:
    before = refs(store)
    edit_schema(clone, lambda d: d["properties"].update(note={"type": "string"}))
    set_version(clone, "1.1.0")
    commit(clone)
    code, err = push(clone, "HEAD:main", "HEAD:refs/heads/idea", "HEAD:refs/tags/v2")
    assert code != 0 and "refs/tags/v2: refs outside refs/heads/" in err
    assert "proposal idea not pushed: the push is refused" in err
    assert "registry: accepted" not in err
    assert refs(store) == before and fsck_clean(store)


def test_a_proposal_with_a_breaking_change_lands_as_a_proposal_and_says_so(store: Store, clone: Path) -> None:
    edit_schema(clone, lambda d: d["properties"].pop("runId"))
    commit(clone)
    code, err = push(clone, "HEAD:refs/heads/idea")
    assert code == 0, err
    assert "registry: proposal idea accepted as a proposal; on main it would be refused:" in err
    assert refs(store)["refs/heads/idea"] == git("rev-parse", "HEAD", cwd=clone).stdout.strip()
    assert fsck_clean(store)


def test_a_clean_proposal_says_main_would_accept_it(store: Store, clone: Path) -> None:
    edit_schema(clone, lambda d: d["properties"].update(note={"type": "string"}))
    set_version(clone, "1.1.0")
    commit(clone)
    code, err = push(clone, "HEAD:refs/heads/idea")
    assert code == 0, err
    assert "registry: proposal idea accepted as a proposal; on main it would be accepted" in err
    assert "contracts/ritual.started/1.1.0 (new version)" in err
    # A proposal is never tagged: versions land on main only.
    assert "refs/tags/contracts/ritual.started/1.1.0" not in refs(store)


def nested_directory(work: Path) -> None:
    (work / RITUAL / "extra").mkdir()
    (work / RITUAL / "extra" / "x.json").write_text("{}")


def invalid_name(work: Path) -> None:
    (work / "contracts" / "Bad Name!").mkdir()
    (work / "contracts" / "Bad Name!" / "schema.json").write_text("{}")


def oversized_schema(work: Path) -> None:
    (work / RITUAL / "schema.json").write_text(json.dumps({"type": "object", "description": "x" * 600_000}))


@pytest.mark.parametrize(
    ("make", "rule"),
    [(nested_directory, "layout.path"), (invalid_name, "name.invalid"), (oversized_schema, "file.too_large")],
    ids=["layout", "name", "size-limit"],
)
def test_a_proposal_that_breaks_the_store_layout_or_limits_is_refused(
    store: Store, clone: Path, make, rule: str
) -> None:
    before = refs(store)
    make(clone)
    commit(clone)
    code, err = push(clone, "HEAD:refs/heads/idea")
    assert code != 0 and "pre-receive hook declined" in err
    assert (
        "registry: proposal idea refused: every branch keeps the store's layout, names, file modes and limits"
        in err
    )
    assert f"[{rule}" in err
    assert "accepted as a proposal" not in err
    assert "refs/heads/idea" not in refs(store) and refs(store) == before
    assert fsck_clean(store)


def test_a_proposal_branch_may_be_deleted(store: Store, clone: Path) -> None:
    assert push(clone, "HEAD:refs/heads/idea")[0] == 0
    code, err = push(clone, ":refs/heads/idea")
    assert code == 0, err
    assert "refs/heads/idea" not in refs(store)


def test_git_itself_refuses_branch_names_that_break_its_rules(store: Store, clone: Path) -> None:
    before = refs(store)
    for name in ("refs/heads/a..b", "refs/heads/x.lock", "refs/heads/.hidden", "refs/heads/a b"):
        code, _ = push(clone, f"HEAD:{name}")
        assert code != 0, name
    assert refs(store) == before


@pytest.mark.parametrize(
    ("ref", "created", "deleted", "code"),
    [
        ("refs/heads/main", False, False, None),
        ("refs/heads/feature/x", True, False, None),
        ("refs/heads/feature/x", False, True, None),
        ("refs/heads/main", False, True, Code.REF_IMMUTABLE),
        ("refs/tags/contracts/a/1.0.0", True, False, Code.REF_IMMUTABLE),
        ("refs/tags/capsules/t/c/1", False, True, Code.REF_IMMUTABLE),
        ("refs/tags/contracts", True, False, Code.REF_NAMESPACE),
        ("refs/tags/capsules", True, False, Code.REF_NAMESPACE),
        ("refs/tags/contracts.x", True, False, Code.REF_NAMESPACE),
        ("refs/pull/1/head", True, False, Code.REF_NAMESPACE),
        ("refs/tags/anything", False, False, Code.REF_NAMESPACE),
        ("refs/registry/tagged", False, True, Code.REF_NAMESPACE),
        ("refs/notes/commits", True, False, Code.REF_NAMESPACE),
        ("refs/remotes/origin/main", True, False, Code.REF_NAMESPACE),
        ("HEAD", False, False, Code.REF_NAMESPACE),
    ],
)
def test_the_ref_rule_as_a_table(ref: str, created: bool, deleted: bool, code: Code | None) -> None:
    problem = ref_problem(ref, created=created, deleted=deleted)
    assert (problem.code if problem else None) is code
    if problem is not None:
        assert problem.file == ref


def add_then_remove_junk(work: Path) -> None:
    """Two commits: the first adds a symlink and a stray binary, the second removes both."""
    (work / "junk.bin").write_bytes(b"\0" * 2_000_000)
    (work / "contracts" / "link").symlink_to("/etc/passwd")
    commit(work, "junk")
    (work / "junk.bin").unlink()
    (work / "contracts" / "link").unlink()
    commit(work, "remove the junk again")


@pytest.mark.parametrize("ref", ["main", "refs/heads/idea"])
def test_every_commit_of_a_push_is_held_to_the_layout_not_only_its_tip(
    store: Store, clone: Path, ref: str
) -> None:
    before = refs(store)
    add_then_remove_junk(clone)
    junk_commit = git("rev-parse", "--short=12", "HEAD~1", cwd=clone).stdout.strip()
    code, err = push(clone, f"HEAD:{ref}")
    assert code != 0 and "pre-receive hook declined" in err
    assert "junk.bin: this path is outside the registry's layout" in err
    assert "contracts/link: this is a symlink" in err
    assert f"(in commit {junk_commit}, which this push brings)" in err
    assert "[layout.path]" in err and "[file.mode]" in err
    assert refs(store) == before and fsck_clean(store)


def test_several_clean_commits_some_already_on_a_proposal_branch_land(store: Store, clone: Path) -> None:
    edit_schema(clone, lambda d: d["properties"].update(note={"type": "string"}))
    set_version(clone, "1.1.0")
    commit(clone, "1.1.0")
    (clone / "README.md").write_text("notes\n")
    commit(clone, "readme")
    assert push(clone, "HEAD~1:refs/heads/idea")[0] == 0
    code, err = push(clone, "HEAD:main")
    assert code == 0, err
    assert "refs/tags/contracts/ritual.started/1.1.0" in refs(store)
