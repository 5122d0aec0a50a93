"""What a store may hold: the registry's layout, regular files only, printable names, bounded size."""

from __future__ import annotations

import json
import time

import pytest
from rawtree import (
    EXECUTABLE,
    FILE,
    GITLINK,
    SYMLINK,
    TREE,
    commit_tree,
    head_tree,
    nested,
    put,
    read_tree,
    write_tree,
)

from registry.gate.evaluate import evaluate
from registry.gate.layout import shown
from registry.gate.policy import StorePolicy, policy_at
from registry.gate.verdict import Verdict
from registry.git.store import Store
from registry.model import Limits

RITUAL = b"contracts/ritual.started"


def judge(store: Store, tree, *, policy: StorePolicy | None = None) -> Verdict:
    return evaluate(store, store.head(), commit_tree(store, tree), policy=policy, check_signatures=False)


def add(store: Store, *entries: tuple[bytes, int, bytes]) -> Verdict:
    """Judge main plus entries ``(path, mode, content)``; a gitlink's content is a commit id."""
    tree = head_tree(store)
    for path, mode, content in entries:
        oid = content if mode == GITLINK else store.repo.create_blob(content)
        tree = put(store.repo, tree, path, mode, oid)
    return judge(store, tree)


def errors(verdict: Verdict) -> list[tuple[str, str | None]]:
    return [(str(p.code), p.file) for p in verdict.errors]


ALLOWED = "registry.yaml, README.md, .gitattributes, .gitignore, contracts/<name>/, capsules/<tenant>/<name>/"


@pytest.mark.parametrize(
    ("path", "words"),
    [
        (b"notes.txt", ALLOWED),
        (b"Makefile", ALLOWED),
        (b"src/app.py", ALLOWED),
        (b"registry.yaml.bak", ALLOWED),
        (b".gitmodules", "hidden"),
        (b".github/workflows/ci.yml", "hidden"),
    ],
)
def test_paths_outside_the_layout_are_refused_naming_the_allowed_list(
    example_store: Store, path: bytes, words: str
) -> None:
    [problem] = add(example_store, (path, FILE, b"x\n")).errors
    assert (problem.code, problem.file) == ("layout.path", path.decode())
    assert words in problem.message


@pytest.mark.parametrize(
    "path",
    [b"README.md", b".gitattributes", b".gitignore", b"docs/guide.md", b"docs/how/to.txt", b"docs/a/b/c.md"],
)
def test_the_documented_extras_are_allowed(example_store: Store, path: bytes) -> None:
    assert add(example_store, (path, FILE, b"# text\n")).accepted


@pytest.mark.parametrize(
    ("path", "content", "code"),
    [
        (b"docs/diagram.png", b"\x89PNG", "layout.path"),
        (b"docs/a/b/c/d.md", b"too deep", "layout.path"),
        (b"docs/latin1.md", b"caf\xe9\n", "file.encoding"),
        (b"docs/nul.md", b"a\0b", "file.encoding"),
        (b"README.md", b"x" * (1_048_576 + 1), "file.too_large"),
    ],
    ids=["not-text-suffix", "too-deep", "not-utf8", "binary", "too-large"],
)
def test_docs_and_readme_hold_small_text_files(
    example_store: Store, path: bytes, content: bytes, code: str
) -> None:
    assert errors(add(example_store, (path, FILE, content))) == [(code, path.decode())]


@pytest.mark.parametrize(
    ("mode", "word"),
    [
        (SYMLINK, "a symlink (mode 120000)"),
        (EXECUTABLE, "an executable file (mode 100755)"),
        (GITLINK, "a submodule"),
    ],
    ids=["symlink", "executable", "gitlink"],
)
@pytest.mark.parametrize(
    "path",
    [RITUAL + b"/schema.json", b"capsules/acme/invoice-reminder/meta.yaml", b"docs/guide.md", b"README.md"],
    ids=["contract", "capsule", "docs", "readme"],
)
def test_only_regular_files_are_stored(example_store: Store, mode: int, word: str, path: bytes) -> None:
    content: object = example_store.snapshot(example_store.head()).read(path.decode()) or b"text\n"
    if mode == GITLINK:
        content = example_store.head()
    verdict = add(example_store, (path, mode, content))
    problems = [p for p in verdict.errors if p.code == "file.mode"]
    assert [p.file for p in problems] == [path.decode()]
    assert word in problems[0].message and "regular files only (mode 100644)" in problems[0].message


def test_a_symlinked_schema_whose_link_text_is_valid_json_is_refused(example_store: Store) -> None:
    schema = json.loads(example_store.snapshot(example_store.head()).read(f"{RITUAL.decode()}/schema.json"))
    schema["properties"]["note"] = {"type": "string"}
    meta = example_store.snapshot(example_store.head()).read(f"{RITUAL.decode()}/contract.yaml")
    verdict = add(
        example_store,
        (RITUAL + b"/schema.json", SYMLINK, json.dumps(schema).encode()),
        (RITUAL + b"/contract.yaml", FILE, meta.replace(b"1.0.0", b"1.1.0")),
    )
    assert errors(verdict) == [("file.mode", f"{RITUAL.decode()}/schema.json")]


@pytest.mark.parametrize(
    ("path", "escaped"),
    [
        (b"docs/a\nregistry: accepted.md", "docs/a\\nregistry: accepted.md"),
        (b"docs/\x1b[31mred.md", "docs/\\x1b[31mred.md"),
        (b"docs/caf\xe9.md", "docs/caf\\xe9.md"),
        ("docs/a\u202eb.md".encode(), "docs/a\\u202eb.md"),
        (b"contracts/x\ty/schema.json", "contracts/x\\ty/schema.json"),
    ],
    ids=["newline", "ansi", "not-utf8", "bidi", "tab"],
)
def test_names_with_control_or_odd_characters_are_refused_escaped(
    example_store: Store, path: bytes, escaped: str
) -> None:
    [problem] = add(example_store, (path, FILE, b"x\n")).errors
    assert (problem.code, problem.file) == ("layout.path", escaped)
    assert problem.file.isprintable()


def test_hidden_files_are_refused_below_the_top(example_store: Store) -> None:
    verdict = add(example_store, (b"docs/.secret.md", FILE, b"x"), (RITUAL + b"/.hidden", FILE, b"x"))
    assert sorted(errors(verdict)) == [
        ("layout.path", f"{RITUAL.decode()}/.hidden"),
        ("layout.path", "docs/.secret.md"),
    ]


def test_an_empty_directory_is_refused(example_store: Store) -> None:
    empty = write_tree(example_store.repo, {})
    tree = put(example_store.repo, head_tree(example_store), b"junk", TREE, empty)
    assert errors(judge(example_store, tree)) == [("layout.path", "junk")]


def test_a_tree_nested_a_thousand_levels_is_refused_fast(example_store: Store) -> None:
    deep = nested(example_store.repo, 1000, example_store.repo.create_blob(b"x"))
    tree = put(example_store.repo, head_tree(example_store), b"docs", TREE, deep)
    started = time.perf_counter()
    [problem] = judge(example_store, tree).errors
    assert time.perf_counter() - started < 1.0
    assert problem.code == "layout.path" and "nested deeper than 32 levels" in problem.message


def test_a_change_may_touch_at_most_max_files(example_store: Store) -> None:
    policy = StorePolicy(limits=Limits(max_files=5))
    tree = head_tree(example_store)
    for i in range(6):
        tree = put(
            example_store.repo, tree, b"docs/n%d.md" % i, FILE, example_store.repo.create_blob(b"%d" % i)
        )
    [problem] = judge(example_store, tree, policy=policy).errors
    assert problem.code == "layout.size" and "more than 5 files" in problem.message
    assert "max_files" in problem.message
    assert judge(example_store, tree, policy=StorePolicy(limits=Limits(max_files=6))).accepted


def test_twenty_thousand_junk_files_are_refused_without_reading_them_all(example_store: Store) -> None:
    blob = example_store.repo.create_blob(b"junk")
    junk = write_tree(example_store.repo, {b"f%05d.md" % i: (FILE, blob) for i in range(20_000)})
    tree = put(example_store.repo, head_tree(example_store), b"docs", TREE, junk)
    started = time.perf_counter()
    [problem] = judge(example_store, tree).errors
    assert time.perf_counter() - started < 1.0
    assert problem.code == "layout.size" and "more than 10000 files" in problem.message


def test_removing_what_the_layout_no_longer_allows_is_fine(example_store: Store) -> None:
    repo = example_store.repo
    tree = put(repo, head_tree(example_store), b"OLD-NOTES.txt", FILE, repo.create_blob(b"x"))
    tree = put(repo, tree, b"tool.sh", EXECUTABLE, repo.create_blob(b"#!/bin/sh\n"))
    commit_tree(example_store, tree, advance=True)
    tree = head_tree(example_store)
    gone = {b"OLD-NOTES.txt", b"tool.sh"}
    cleaned = write_tree(repo, {n: e for n, e in read_tree(repo, tree).items() if n not in gone})
    assert judge(example_store, cleaned).accepted


def test_the_policy_in_force_sets_the_limits(example_store: Store) -> None:
    assert policy_at(example_store, example_store.head()).limits.max_files == 10_000


def test_shown_escapes_what_a_terminal_would_act_on() -> None:
    assert shown("a\nb\x1b[0m\udcff\u2028ok") == "a\\nb\\x1b[0m\\xff\\u2028ok"
