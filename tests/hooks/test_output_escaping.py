"""Pushed text cannot forge, recolour or reorder `remote:` lines: real pushes of hostile names.

Whatever a pusher controls (a property name echoed by the compatibility rules, a file name
echoed by the layout rules) reaches the pusher's terminal with its control characters, ANSI
escapes and bidi overrides shown as visible escapes (`\\n`, `\\x1b`, `\\u202e`).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import yaml
from support import git, refs

from registry.git.store import Store

pytestmark = pytest.mark.git

RITUAL = "contracts/ritual.started"
FORGED = "a\nregistry: accepted\n  + contracts/ritual.started/9.9.9 (new version)\n"
GREEN = "\x1b[32mok\x1b[0m"
RLO = "evil\u202etxt.json"


def push_bytes(work: Path, ref: str) -> subprocess.CompletedProcess[bytes]:
    """Commit everything and push, keeping stderr as the raw bytes the pusher's terminal gets."""
    git("add", "-A", cwd=work)
    git("commit", "-q", "-m", "hostile names", cwd=work)
    return subprocess.run(["git", "push", "origin", f"HEAD:{ref}"], cwd=work, capture_output=True)


def remote_lines(stderr: bytes) -> list[bytes]:
    return [line.removeprefix(b"remote: ") for line in stderr.splitlines() if line.startswith(b"remote:")]


def require_hostile_property(work: Path, name: str) -> None:
    """A new required property: a breaking change whose refusal names the property."""
    schema = work / RITUAL / "schema.json"
    doc = json.loads(schema.read_text())
    doc["properties"][name] = {"type": "string"}
    doc["required"].append(name)
    schema.write_text(json.dumps(doc, indent=2))
    meta = work / RITUAL / "contract.yaml"
    fields = yaml.safe_load(meta.read_text())
    fields["version"] = "1.1.0"
    meta.write_text(yaml.safe_dump(fields, sort_keys=False))


@pytest.mark.parametrize("ref", ["main", "refs/heads/proposal"])
def test_a_newline_in_a_property_name_cannot_forge_an_accepted_line(
    store: Store, clone: Path, ref: str
) -> None:
    before = refs(store)
    require_hostile_property(clone, FORGED + GREEN + "\u202e")
    out = push_bytes(clone, ref)
    lines = remote_lines(out.stderr)
    assert not any(
        line.startswith((b"registry: accepted", b"  + contracts/ritual.started/9.9.9")) for line in lines
    )
    assert b"a\\nregistry: accepted\\n  + contracts/ritual.started/9.9.9 (new version)\\n" in out.stderr
    assert b"\x1b" not in out.stderr and "\u202e".encode() not in out.stderr
    assert b"\\x1b[32mok\\x1b[0m\\u202e" in out.stderr
    if ref == "main":
        assert out.returncode != 0 and b"registry: push refused" in out.stderr
        assert b"[version.breaking" in out.stderr and refs(store) == before
    else:
        assert out.returncode == 0 and b"on main it would be refused" in out.stderr


def test_hostile_file_names_reach_the_pusher_as_visible_text(store: Store, clone: Path) -> None:
    before = refs(store)
    for name in ("x\nregistry: accepted", GREEN):
        (clone / "contracts" / name).mkdir()
        (clone / "contracts" / name / "schema.json").write_text("{}")
    (clone / "contracts" / RLO).write_text("{}")
    out = push_bytes(clone, "main")
    assert out.returncode != 0
    assert not any(line.startswith(b"registry: accepted") for line in remote_lines(out.stderr))
    assert b"\x1b" not in out.stderr and "\u202e".encode() not in out.stderr
    assert b"contracts/x\\nregistry: accepted" in out.stderr
    assert b"contracts/\\x1b[32mok\\x1b[0m/schema.json" in out.stderr
    assert b"evil\\u202etxt.json" in out.stderr
    assert refs(store) == before
    assert git(f"--git-dir={store.path}", "fsck", "--strict").returncode == 0
