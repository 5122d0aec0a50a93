"""``registry lint compare`` on WIT files and on contract directories."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from support import EXAMPLE_STORE

from registry.cli import main

RITUAL = EXAMPLE_STORE / "contracts" / "ritual.started"
STARTED = "  started: func(event: ritual-started) -> result<_, string>;\n"


@pytest.fixture
def proposed(tmp_path: Path) -> Path:
    """A copy of the ritual.started contract directory, to change."""
    return Path(shutil.copytree(RITUAL, tmp_path / "ritual.started"))


def edit(directory: Path, old: str, new: str, version: str | None = None) -> None:
    wit = directory / "ritual.wit"
    wit.write_text(wit.read_text().replace(old, new))
    if version:
        meta = directory / "contract.yaml"
        meta.write_text(meta.read_text().replace("version: 1.0.0", f"version: {version}"))


def test_a_removed_function_breaks_importers_and_names_the_function(proposed: Path, capsys) -> None:
    edit(proposed, STARTED, "")
    wit = ["--current-wit", str(RITUAL / "ritual.wit"), "--proposed-wit", str(proposed / "ritual.wit")]
    assert main(["lint", "compare", *wit, "--mode", "FORWARD"]) == 1
    out = capsys.readouterr().out
    assert "1. WIT function 'events.started' removed (wit:/interfaces/events/functions/started)" in out
    assert "an importer of the old interface calling `events.started(" in out
    # Old exporters still provide everything the new interface asks for.
    assert main(["lint", "compare", *wit, "--mode", "BACKWARD"]) == 0


def test_contract_directories_take_version_and_mode_from_contract_yaml(proposed: Path, capsys) -> None:
    field = "    tenant: option<string>,\n"
    edit(proposed, field, field + "    note: string,\n", version="1.0.1")
    code = main(
        ["lint", "compare", "--current", str(RITUAL), "--proposed", str(proposed), "--format", "json"]
    )
    assert code == 1
    body = json.loads(capsys.readouterr().out)
    assert body["mode"] == "FULL" and body["version"]["neededVersion"] == "2.0.0"
    (change,) = body["breaking"]
    assert change["kind"] == "wit_field_added"
    assert (change["importers"], change["exporters"], change["language"]) == (False, False, "wit")


def test_a_comment_with_a_patch_bump_passes(proposed: Path, capsys) -> None:
    edit(proposed, STARTED, "  // Called once per run.\n" + STARTED, version="1.0.1")
    assert main(["lint", "compare", "--current", str(RITUAL), "--proposed", str(proposed)]) == 0
    assert "✓ Version bump is appropriate for the changes" in capsys.readouterr().out


def test_wit_that_does_not_resolve_is_bad_input(proposed: Path, capsys) -> None:
    edit(proposed, "u64", "u64z")
    code = main(["lint", "compare", "--current-wit", str(RITUAL), "--proposed-wit", str(proposed)])
    assert code == 2
    err = capsys.readouterr().err
    assert "the WIT package does not resolve" in err and "u64z" in err


def test_one_side_alone_is_bad_input(capsys) -> None:
    assert main(["lint", "compare", "--current-wit", str(RITUAL / "ritual.wit")]) == 2
    assert "--current-wit and --proposed-wit go together" in capsys.readouterr().err
