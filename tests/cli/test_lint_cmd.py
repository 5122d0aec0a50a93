"""``registry lint compare`` reads its inputs as the gate reads ``schema.json``: bad input exits 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from registry.cli import EXIT_BAD_INPUT, EXIT_OK, main

BASE = {"type": "object", "properties": {"id": {"type": "string"}}}


def compare(tmp_path: Path, proposed: str) -> int:
    current = tmp_path / "current.json"
    current.write_text(json.dumps(BASE))
    new = tmp_path / "proposed.json"
    new.write_text(proposed)
    return main(["lint", "compare", "--current", str(current), "--proposed", str(new)])


def nested(levels: int) -> str:
    schema: dict = {"type": "string"}
    for _ in range(levels):
        schema = {"type": "object", "properties": {"p": schema}}
    return json.dumps(schema)


@pytest.mark.parametrize(
    ("proposed", "words"),
    [
        ("[]", "a JSON Schema is an object"),
        ('"string"', "a JSON Schema is an object"),
        ("42", "a JSON Schema is an object"),
        ('{"type": "object", "type": "string"}', "duplicate key 'type'"),
        ('{"type": "number", "maximum": NaN}', "NaN is not a JSON number"),
        ('{"type": "number", "maximum": ' + "9" * 5000 + "}", "more than the limit of 1000"),
        ("[" * 2000 + "]" * 2000, "deeper than 256 levels"),
        (nested(120), "more than 64 levels"),
        ('{"type": "strin"}', "schema.metaschema"),
        ('{"type": "object", "properties": {"\\udc80": {}}}', "not valid Unicode"),
    ],
    ids=[
        "array",
        "string",
        "number",
        "duplicate-key",
        "nan",
        "huge-integer",
        "deep-json",
        "deep-schema",
        "metaschema",
        "lone-surrogate",
    ],
)
def test_bad_inputs_exit_2_with_a_clear_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], proposed: str, words: str
) -> None:
    assert compare(tmp_path, proposed) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert "proposed.json is not" in err and words in err
    assert "internal error" not in err and "breaking" not in err


def test_a_boolean_schema_is_a_schema(tmp_path: Path) -> None:
    assert compare(tmp_path, "true") == EXIT_OK
