"""Renderers show the same findings; the changelog reads newest first."""

from __future__ import annotations

from lint.schemas import BASE, STR

from registry.lint import (
    Mode,
    check,
    render_changelog,
    render_github,
    render_json,
    render_markdown,
    render_text,
    version_verdict,
)

WITH_PHONE = {**BASE, "properties": {**BASE["properties"], "phone": STR}}
AGE_STRING = {**WITH_PHONE, "properties": {**WITH_PHONE["properties"], "age": STR}}


def test_text_for_no_change() -> None:
    text = render_text(check([("1.0.0", BASE)], BASE))
    assert text.splitlines() == [
        "✓ No breaking changes detected",
        "Required bump: none (mode BACKWARD, policy lenient)",
    ]


def test_json_without_versions() -> None:
    body = render_json(check([("1.0.0", BASE)], WITH_PHONE))
    assert body["versionOk"] is None and body["requiredBump"] == "minor" and "version" not in body


def test_markdown_escapes_pipes_and_newlines_in_cells() -> None:
    hostile = "a|b\n| x | y |"
    new = {**BASE, "properties": {**BASE["properties"], hostile: STR}}
    out = render_markdown(check([("1", BASE)], new))
    rows = [line for line in out.splitlines() if line.startswith("| ") and "a\\|b" in line]
    assert len(rows) == 1, out
    # Five columns: six unescaped pipes, however many the property name holds.
    unescaped = rows[0].replace("\\|", "")
    assert unescaped.count("|") == 6
    assert "a|b" not in rows[0].replace("\\|", "")


def test_github_escapes_newlines_and_properties() -> None:
    new = {**BASE, "properties": {**BASE["properties"], "age": STR}}
    report = check([("1", BASE)], new)
    out = render_github(report, version_verdict("1.0.0", "1.0.1", report), file="a,b:c.json")
    assert "file=a%2Cb%3Ac.json" in out
    assert all(line.startswith("::") for line in out.splitlines())


def test_changelog_lists_versions_newest_first() -> None:
    entries = [
        ("2.0.0", "1.1.0", check([("1.1.0", WITH_PHONE)], AGE_STRING, mode=Mode.FORWARD)),
        ("1.1.0", "1.0.0", check([("1.0.0", BASE)], WITH_PHONE)),
        ("1.0.0", None, check([], BASE)),
    ]
    out = render_changelog(entries, title="ritual.started")
    assert out.startswith("# ritual.started\n")
    assert out.index("## 2.0.0") < out.index("## 1.1.0") < out.index("## 1.0.0")
    assert "- property 'phone' added (`/properties/phone`)" in out
    assert "First version." in out
    assert "### Breaking" in out.split("## 1.1.0")[0]


NULLABLE = {"type": "object", "properties": {"runId": {"type": ["string", "null"]}}}
NOT_NULL = {"type": "object", "properties": {"runId": {"type": "string"}}}
WITNESS = 'for example {"runId": null} was valid and is now rejected'


def test_every_renderer_shows_the_witness_of_a_break() -> None:
    report = check([("1.0.0", NULLABLE)], NOT_NULL)
    (change,) = report.breaking
    assert change.witness_text == WITNESS
    assert change.explain() == f"property 'runId' type changed from string or null to string; {WITNESS}"
    assert f"     {WITNESS}" in render_text(report).splitlines()
    body = render_json(report)
    assert body["breaking"][0]["witness"] == {"runId": None}
    assert body["breaking"][0]["witnessText"] == WITNESS
    assert body["changes"][0]["witnessText"] == WITNESS
    assert WITNESS in render_markdown(report)
    assert WITNESS in render_github(report)
    assert WITNESS in render_changelog([("2.0.0", "1.0.0", report)], title="x")


def test_forward_witness_reads_the_other_way() -> None:
    report = check([("1.0.0", NOT_NULL)], NULLABLE, mode=Mode.FORWARD)
    (change,) = report.breaking
    assert change.witness_text == 'for example {"runId": null} is now valid and the old schema rejects it'


def test_no_example_found_is_said() -> None:
    old, new = {"type": "string", "pattern": "^[a-f]{8}$"}, {"type": "string", "pattern": "^[0-9]{8}$"}
    (change,) = check([("1.0.0", old)], new).breaking
    assert change.witness_text == "no example found"
    assert "no example found" in render_text(check([("1.0.0", old)], new))


def test_compatible_changes_carry_no_witness() -> None:
    report = check([("1.0.0", NOT_NULL)], NULLABLE)
    assert report.compatible and all(c.witness is None and c.witness_text == "" for c in report.changes)
    assert render_json(report)["changes"][0]["witness"] is None


def test_no_search_when_the_budget_is_zero() -> None:
    (change,) = check([("1.0.0", NULLABLE)], NOT_NULL, witness_budget=0).breaking
    assert change.witness is None and change.explain() == change.message
