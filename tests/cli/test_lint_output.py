"""`registry lint compare` shows pushed text as visible text in every format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support import registry_cli

HOSTILE = "evil\n✓ No breaking changes detected\x1b[2K\u202e`"


@pytest.mark.parametrize("fmt", ["text", "markdown", "github"])
def test_hostile_property_names_cannot_forge_lines_or_escape(tmp_path: Path, fmt: str) -> None:
    old = {"type": "object", "properties": {HOSTILE: {"type": "string"}}}
    new = {"type": "object", "properties": {HOSTILE: {"type": "integer"}}}
    (tmp_path / "old.json").write_text(json.dumps(old))
    (tmp_path / "new.json").write_text(json.dumps(new))
    out = registry_cli(
        "lint", "compare", "--current", str(tmp_path / "old.json"), "--proposed", str(tmp_path / "new.json"),
        "--format", fmt,
    )  # fmt: skip
    assert out.returncode == 1, out.stderr
    assert "\x1b" not in out.stdout and "\u202e" not in out.stdout
    assert "\\x1b" in out.stdout
    assert not any(line.startswith("✓ No breaking changes detected") for line in out.stdout.splitlines())


def test_a_break_comes_with_a_real_example_in_text_and_json(tmp_path: Path) -> None:
    (tmp_path / "old.json").write_text(
        json.dumps({"type": "object", "properties": {"age": {"type": "integer"}}})
    )
    (tmp_path / "new.json").write_text(
        json.dumps({"type": "object", "properties": {"age": {"type": "string"}}})
    )
    args = [
        "lint",
        "compare",
        "--current",
        str(tmp_path / "old.json"),
        "--proposed",
        str(tmp_path / "new.json"),
    ]
    text = registry_cli(*args)
    assert text.returncode == 1 and "was valid and is now rejected" in text.stdout
    body = json.loads(registry_cli(*args, "--format", "json").stdout)
    [breaking] = body["breaking"]
    assert isinstance(breaking["witness"], dict) and isinstance(breaking["witness"]["age"], int)
