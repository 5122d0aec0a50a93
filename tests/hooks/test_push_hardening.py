"""Hostile pushes and publishes are refused by a named rule, through the real doors.

Each case goes through ``git push`` to a store with the hooks installed, or through
``registry publish``; each refusal names the rule and the file, leaves every ref as it
was, and leaves a store that ``git fsck --strict`` finds clean.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
import yaml
from support import git, refs

from registry.cli import main
from registry.git.store import Store

pytestmark = pytest.mark.git

RITUAL = "contracts/ritual.started"
CAPSULE = "capsules/acme/invoice-reminder/capsule.yaml"


def push(work: Path, message: str = "change", *, add: bool = True) -> tuple[str, float]:
    """Commit (everything, with ``add``) and push to main; the push must be refused.

    Returns the push's stderr and how long it took.
    """
    if add:
        git("add", "-A", cwd=work)
    git("commit", "-q", "--no-verify", "-m", message, cwd=work)
    started = time.monotonic()
    out = git("push", "origin", "HEAD:main", cwd=work, check=False)
    took = time.monotonic() - started
    assert out.returncode != 0 and "pre-receive hook declined" in out.stderr, out.stderr
    assert "the gate failed" not in out.stderr and "Traceback" not in out.stderr
    return out.stderr, took


def refused_cleanly(store: Store, before: dict[str, str]) -> None:
    assert refs(store) == before
    fsck = git(f"--git-dir={store.path}", "fsck", "--strict", check=False)
    assert fsck.returncode == 0, fsck.stdout + fsck.stderr


def publish(store: Store, key_path: Path, *args: str) -> int:
    return main([*args, "--store", str(store.path), "--signing-key", str(key_path)])


def add_contract(work: Path, name: str, version: str, schema: object) -> None:
    where = work / "contracts" / name
    where.mkdir(parents=True, exist_ok=True)
    (where / "schema.json").write_text(schema if isinstance(schema, str) else json.dumps(schema))
    (where / "contract.yaml").write_text(yaml.safe_dump({"name": name, "version": version}))


def capsule_text(work: Path, name: str = "invoice-reminder", **metadata: object) -> str:
    doc = yaml.safe_load((work / CAPSULE).read_text())
    doc["metadata"].update(name=name, **metadata)
    return yaml.safe_dump(doc, sort_keys=False)


def nested_properties(levels: int) -> dict:
    schema: dict = {"type": "string"}
    for _ in range(levels):
        schema = {"type": "object", "properties": {"p": schema}}
    return schema


# -- names and versions git cannot store as refs --------------------------------------------


@pytest.mark.parametrize(
    ("name", "version", "file"),
    [
        ("foo.lock", "1.0.0", "contracts/foo.lock/schema.json"),
        ("foo", "1.0.1-x.lock", "contracts/foo/contract.yaml"),
    ],
    ids=["contract-name", "version"],
)
def test_a_contract_name_or_version_git_cannot_tag_is_refused_on_push(
    store: Store, clone: Path, name: str, version: str, file: str
) -> None:
    before = refs(store)
    add_contract(clone, name, version, {"type": "object"})
    err, _ = push(clone)
    assert file in err and "git's ref-name rules" in err and "ends with '.lock'" in err
    assert "rename it" in err
    refused_cleanly(store, before)


def test_a_capsule_name_git_cannot_tag_is_refused_on_push(store: Store, clone: Path) -> None:
    before = refs(store)
    where = clone / "capsules" / "acme" / "inv.lock"
    where.mkdir()
    (where / "capsule.yaml").write_text(capsule_text(clone, "inv.lock"))
    err, _ = push(clone)
    assert "capsules/acme/inv.lock/capsule.yaml" in err and "ends with '.lock'" in err
    refused_cleanly(store, before)


@pytest.mark.parametrize(("name", "version"), [("foo.lock", "1.0.0"), ("foo", "1.0.1-x.lock")])
def test_publish_refuses_the_same_names_and_versions(
    store: Store, key_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, version: str
) -> None:
    before = refs(store)
    schema = tmp_path / "schema.json"
    schema.write_text('{"type": "object"}')
    assert (
        publish(
            store,
            key_path,
            "publish",
            "contract",
            "--name",
            name,
            "--version",
            version,
            "--json-schema",
            str(schema),
        )
        == 1
    )
    err = capsys.readouterr().err
    assert "git's ref-name rules" in err and "'.lock'" in err
    refused_cleanly(store, before)


def test_publish_refuses_a_capsule_name_git_cannot_tag(
    store: Store, key_path: Path, tmp_path: Path, clone: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = refs(store)
    file = tmp_path / "capsule.yaml"
    file.write_text(capsule_text(clone, "inv.lock"))
    assert publish(store, key_path, "publish", "capsule", "--tenant", "acme", "--file", str(file)) == 1
    assert "capsule name 'inv.lock' breaks git's ref-name rules" in capsys.readouterr().err
    refused_cleanly(store, before)


# -- documents that expand, or hold what JSON cannot say --------------------------------------


def aliases_that_multiply() -> str:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 5)}]" for i in range(1, 11)]
    return "\n".join(lines) + "\n"


def bomb(work: Path) -> str:
    """A valid capsule with 50 aliases under one key: about 600 bytes more, 48 million nodes expanded."""
    lines = "".join(f"  {line}\n" for line in aliases_that_multiply().splitlines())
    return capsule_text(work) + "x-bomb:\n" + lines


def test_yaml_that_expands_is_refused_fast_on_push(store: Store, clone: Path) -> None:
    before = refs(store)
    text = bomb(clone)
    assert text.count("*") == 50
    (clone / CAPSULE).write_text(text)
    err, took = push(clone)
    assert took < 1.0, f"the push took {took:.2f}s"
    assert CAPSULE in err and "yaml.expansion" in err and "max_yaml_nodes" in err
    refused_cleanly(store, before)


def test_yaml_that_expands_is_refused_by_publish(
    store: Store, key_path: Path, tmp_path: Path, clone: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = refs(store)
    file = tmp_path / "capsule.yaml"
    file.write_text(bomb(clone))
    started = time.monotonic()
    assert publish(store, key_path, "publish", "capsule", "--tenant", "acme", "--file", str(file)) == 1
    assert time.monotonic() - started < 1.0
    assert "yaml.expansion" in capsys.readouterr().err
    refused_cleanly(store, before)


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        ("  labels: {1: a, team: finance}\n", "yaml.key_type"),
        ("  annotations: {blob: !!binary aGVsbG8=}\n", "yaml.value_type"),
        ("  annotations: {tags: !!set {a, b}}\n", "yaml.value_type"),
        ("  annotations: {big: " + "9" * 4301 + "}\n", "json.number"),
    ],
    ids=["int-key", "binary", "set", "huge-integer"],
)
def test_capsule_yaml_json_cannot_hold_is_refused_by_rule(
    store: Store, clone: Path, extra: str, code: str
) -> None:
    before = refs(store)
    text = (clone / CAPSULE).read_text().replace("  labels: {team: finance}\n", extra)
    (clone / CAPSULE).write_text(text)
    err, _ = push(clone)
    assert CAPSULE in err and code in err
    refused_cleanly(store, before)


@pytest.mark.parametrize(
    ("schema", "code", "words"),
    [
        ("[" * 1000 + "]" * 1000, "json.depth", "deeper than 256 levels"),
        (json.dumps(nested_properties(100)), "schema.limit", "more than 64 levels"),
        ('{"type": "integer", "maximum": ' + "9" * 5000 + "}", "json.number", "limit of 1000"),
    ],
    ids=["json-1000-levels", "properties-100-levels", "huge-integer"],
)
def test_schemas_past_the_limits_are_refused_on_push_and_publish(
    store: Store,
    clone: Path,
    key_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    schema: str,
    code: str,
    words: str,
) -> None:
    before = refs(store)
    add_contract(clone, "hostile", "1.0.0", schema)
    err, _ = push(clone)
    assert "contracts/hostile/schema.json" in err and code in err and words in err
    file = tmp_path / "schema.json"
    file.write_text(schema)
    assert (
        publish(
            store,
            key_path,
            "publish",
            "contract",
            "--name",
            "hostile",
            "--version",
            "1.0.0",
            "--json-schema",
            str(file),
        )
        == 1
    )
    assert code in capsys.readouterr().err
    refused_cleanly(store, before)


# -- only the registry's layout, regular files only --------------------------------------------


def test_a_symlinked_schema_whose_link_text_is_json_is_refused(store: Store, clone: Path) -> None:
    before = refs(store)
    schema = json.loads((clone / RITUAL / "schema.json").read_text())
    schema["properties"]["note"] = {"type": "string"}
    (clone / RITUAL / "schema.json").unlink()
    os.symlink(json.dumps(schema), clone / RITUAL / "schema.json")
    meta = clone / RITUAL / "contract.yaml"
    meta.write_text(meta.read_text().replace("version: 1.0.0", "version: 1.1.0"))
    err, _ = push(clone)
    assert f"{RITUAL}/schema.json: this is a symlink (mode 120000)" in err and "file.mode" in err
    refused_cleanly(store, before)


def test_an_executable_file_is_refused_naming_the_mode(store: Store, clone: Path) -> None:
    before = refs(store)
    (clone / RITUAL / "schema.json").chmod(0o755)
    err, _ = push(clone)
    assert f"{RITUAL}/schema.json: this is an executable file (mode 100755)" in err
    refused_cleanly(store, before)


def test_a_submodule_is_refused_with_its_gitmodules(store: Store, clone: Path) -> None:
    before = refs(store)
    head = git("rev-parse", "HEAD", cwd=clone).stdout.strip()
    git("update-index", "--add", "--cacheinfo", f"160000,{head},{RITUAL}/vendor", cwd=clone)
    (clone / ".gitmodules").write_text(f'[submodule "v"]\n\tpath = {RITUAL}/vendor\n\turl = ../elsewhere\n')
    git("add", ".gitmodules", cwd=clone)
    err, _ = push(clone, add=False)
    assert f"{RITUAL}/vendor: this is a submodule (gitlink)" in err
    assert ".gitmodules" in err and "hidden" in err
    refused_cleanly(store, before)


@pytest.mark.parametrize(
    ("path", "content", "words"),
    [
        ("notes.txt", b"x", "outside the registry's layout"),
        ("docs/image.png", b"\x89PNG", "docs/ holds text files"),
        ("README.md", b"x" * (2 << 20), "more than the limit of 1048576"),
    ],
    ids=["junk", "docs-binary", "large-readme"],
)
def test_files_outside_the_layout_or_limits_are_refused(
    store: Store, clone: Path, path: str, content: bytes, words: str
) -> None:
    before = refs(store)
    (clone / path).parent.mkdir(parents=True, exist_ok=True)
    (clone / path).write_bytes(content)
    err, _ = push(clone)
    assert f"{path}: " in err and words in err
    refused_cleanly(store, before)


def test_control_characters_in_names_are_refused_and_shown_escaped(store: Store, clone: Path) -> None:
    before = refs(store)
    (clone / "docs").mkdir()
    (clone / "docs" / "a\nregistry: accepted.md").write_text("x")
    os.close(os.open(bytes(clone / "docs") + b"/caf\xe9.md", os.O_CREAT | os.O_WRONLY))
    err, _ = push(clone)
    assert "docs/a\\nregistry: accepted.md" in err and "docs/caf\\xe9.md" in err
    assert not any(line.strip().startswith("registry: accepted") for line in err.splitlines())
    refused_cleanly(store, before)


def test_twenty_thousand_junk_files_are_refused(store: Store, clone: Path) -> None:
    before = refs(store)
    blob = _blob(clone, b"junk\n")
    index = "".join(f"100644 {blob}\tdocs/junk/{i:05d}.md\n" for i in range(20_000))
    _git_stdin(clone, index.encode(), "update-index", "--add", "--index-info")
    git("commit", "-q", "-m", "junk", cwd=clone)
    out = git("push", "origin", "HEAD:main", cwd=clone, check=False)
    assert out.returncode != 0 and "layout.size" in out.stderr and "more than 10000 files" in out.stderr
    refused_cleanly(store, before)


def test_a_tree_nested_a_thousand_levels_is_refused(store: Store, clone: Path) -> None:
    before = refs(store)
    blob = _blob(clone, b"deep\n")
    path = "docs/" + "d/" * 1000 + "f.md"
    _git_stdin(clone, f"100644 {blob}\t{path}\n".encode(), "update-index", "--add", "--index-info")
    git("commit", "-q", "-m", "deep", cwd=clone)
    out = git("push", "origin", "HEAD:main", cwd=clone, check=False)
    assert out.returncode != 0 and "nested deeper than 32 levels" in out.stderr
    refused_cleanly(store, before)


# -- registry.yaml is read as strictly as contract.yaml ------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("tenants", "acme", "$.signers[0].tenants"),
        ("roles", "editor", "$.signers[0].roles"),
    ],
)
def test_a_policy_that_would_be_misread_is_refused_on_push(
    store: Store, clone: Path, field: str, value: str, words: str
) -> None:
    before = refs(store)
    policy = yaml.safe_load((clone / "registry.yaml").read_text())
    policy["signers"][0][field] = value
    (clone / "registry.yaml").write_text(yaml.safe_dump(policy, sort_keys=False))
    err, _ = push(clone)
    assert "registry.yaml" in err and "policy.type" in err and words in err and f"such as [{value}]" in err
    refused_cleanly(store, before)


def _blob(work: Path, data: bytes) -> str:
    return _git_stdin(work, data, "hash-object", "-w", "--stdin").strip()


def _git_stdin(work: Path, data: bytes, *args: str) -> str:
    import subprocess

    out = subprocess.run(["git", *args], cwd=work, input=data, capture_output=True, check=True)
    return out.stdout.decode()
