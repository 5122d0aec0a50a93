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


def test_markdown_escapes_pipes() -> None:
    new = {**BASE, "description": "a | b"}
    out = render_markdown(check([("1", BASE)], new))
    assert "a | b" not in out or "\\|" in out


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
