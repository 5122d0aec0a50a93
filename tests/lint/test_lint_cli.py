"""``registry lint compare`` keeps the old ``contract-linter compare`` promises."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from lint.schemas import BASE, STR

from registry.cli import main

WITH_PHONE = {**BASE, "properties": {**BASE["properties"], "phone": STR}}
AGE_STRING = {**BASE, "properties": {**BASE["properties"], "age": STR}}


@pytest.fixture
def files(tmp_path: Path):
    def write(name: str, schema: object) -> str:
        path = tmp_path / name
        path.write_text(json.dumps(schema), encoding="utf-8")
        return str(path)

    return write


def compare(files, new: object, *extra: str) -> list[str]:
    return [
        "lint",
        "compare",
        "--current",
        files("current.json", BASE),
        "--proposed",
        files("new.json", new),
        *extra,
    ]


def test_optional_property_with_minor_bump_passes(files, capsys) -> None:
    assert main(compare(files, WITH_PHONE, "--current-version", "1.0.0", "--proposed-version", "1.1.0")) == 0
    out = capsys.readouterr().out
    assert out.startswith("✓ No breaking changes detected\n")
    assert "✓ Version bump is appropriate for the changes" in out
    assert "Required bump: minor" in out


def test_type_change_with_minor_bump_fails_naming_the_property(files, capsys) -> None:
    assert main(compare(files, AGE_STRING, "--current-version", "1.0.0", "--proposed-version", "1.1.0")) == 1
    out = capsys.readouterr().out
    assert "⚠ Breaking changes detected:\n  1. property 'age' type changed from integer to string" in out
    assert "(/properties/age/type)" in out
    assert (
        "✗ Version bump required: breaking changes need a major version bump: 1.0.0 → 2.0.0, got 1.1.0" in out
    )


def test_type_change_with_major_bump_passes(files, capsys) -> None:
    assert main(compare(files, AGE_STRING, "--current-version", "1.0.0", "--proposed-version", "2.0.0")) == 0
    assert "✓ Version bump is appropriate for breaking changes" in capsys.readouterr().out


def test_type_change_on_zero_major_needs_only_a_minor_bump(files) -> None:
    assert main(compare(files, AGE_STRING, "--current-version", "0.1.0", "--proposed-version", "0.2.0")) == 0


def test_without_versions_breaking_changes_exit_1(files, capsys) -> None:
    assert main(compare(files, AGE_STRING)) == 1
    assert main(compare(files, WITH_PHONE)) == 0
    assert main(compare(files, WITH_PHONE, "--policy", "strict")) == 1
    assert main(compare(files, AGE_STRING, "--mode", "none")) == 0


def test_json_format(files, capsys) -> None:
    code = main(
        compare(
            files, AGE_STRING, "--format", "json", "--current-version", "1.0.0", "--proposed-version", "1.1.0"
        )
    )
    body = json.loads(capsys.readouterr().out)
    assert code == 1
    assert body["compatible"] is False and body["versionOk"] is False
    assert (body["mode"], body["policy"], body["requiredBump"]) == ("BACKWARD", "lenient", "major")
    change = next(c for c in body["changes"] if c["kind"] == "type_changed")
    assert {"kind", "path", "breaking", "message", "old", "new"} <= change.keys()
    assert change["path"] == "/properties/age/type" and change["breaking"] is True


def test_markdown_format_has_a_table(files, capsys) -> None:
    main(compare(files, AGE_STRING, "--format", "markdown"))
    out = capsys.readouterr().out
    assert "| # | Breaking | Kind | Path | Change |" in out
    assert "`/properties/age/type`" in out


def test_github_format_emits_workflow_commands(files, capsys) -> None:
    main(
        compare(
            files,
            AGE_STRING,
            "--format",
            "github",
            "--current-version",
            "1.0.0",
            "--proposed-version",
            "1.1.0",
        )
    )
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("::error file=") and "title=Breaking change (type_changed)::" in lines[0]
    assert any(line.startswith("::notice ") for line in lines)
    assert lines[-1].startswith("::error ") and "Version bump required" in lines[-1]


def test_missing_file_exits_2_naming_it(files, tmp_path, capsys) -> None:
    missing = str(tmp_path / "missing.json")
    assert main(["lint", "compare", "--current", missing, "--proposed", files("new.json", BASE)]) == 2
    assert "missing.json" in capsys.readouterr().err


def test_bad_json_exits_2_naming_the_file(files, tmp_path, capsys) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    assert main(["lint", "compare", "--current", files("a.json", BASE), "--proposed", str(bad)]) == 2
    assert "bad.json is not valid JSON" in capsys.readouterr().err


def test_bad_mode_and_version_exit_2(files) -> None:
    assert main(compare(files, BASE, "--mode", "sideways")) == 2
    assert main(compare(files, BASE, "--current-version", "1.0.0", "--proposed-version", "one")) == 2


def test_runs_as_a_program(files) -> None:
    args = compare(files, AGE_STRING, "--current-version", "1.0.0", "--proposed-version", "1.1.0")
    script = Path(sys.executable).with_name("registry")
    command = (
        [str(script)]
        if script.exists()
        else [sys.executable, "-c", "import sys; from registry.cli import main; sys.exit(main())"]
    )
    done = subprocess.run([*command, *args], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 1, done.stderr
    assert "property 'age'" in done.stdout
