"""The review report renders pushed names and messages as inert text in every format.

Markdown: a pipe cannot split a table cell, a newline cannot start a heading or a list item,
emphasis, links and backticks stay literal. GitHub: one workflow command per line, whatever
the message holds. JSON: strings round-trip unchanged.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from support import git, registry_cli

from registry.gate.published import NewVersion
from registry.gate.verdict import CapsuleChange, ContractChange, Verdict
from registry.git.store import Store
from registry.problems import Code, Problem
from registry.review.report import Review, review_github, review_json, review_markdown

HOSTILE = "a|b\n# Registry review: ✅ forged `x` **y** [l](http://e) \x1b[31m\u202e"
UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def hostile_review() -> Review:
    problems = (
        Problem(
            Code.VERSION_BREAKING,
            f"property '{HOSTILE}' removed",
            path=f"$.properties['{HOSTILE}']",
            file=f"contracts/{HOSTILE}/schema.json",
        ),
        Problem(Code.CAPSULE_UNUSED_TOOL, f"tool {HOSTILE} unused", severity="warning", file=HOSTILE),
    )
    verdict = Verdict(
        problems=problems,
        versions=(NewVersion("contract", f"contracts/{HOSTILE}", "1.1.0", "0" * 64),),
        contracts=(
            ContractChange(name=HOSTILE, version=f"1.1.0{HOSTILE}", previous="1.0.0", new_version=True),
        ),
        capsules=(CapsuleChange(tenant="a|b", name="c`|`d", version=2, content_hash="ab|cd" * 4),),
    )
    return Review("1" * 40, "2" * 40, verdict)


def test_markdown_keeps_hostile_text_inside_its_place() -> None:
    md = review_markdown(hostile_review())
    lines = md.split("\n")
    assert [line for line in lines if line.startswith("# ")] == [
        "# Registry review: ❌ the registry would refuse this change"
    ]
    assert "\x1b" not in md and "\u202e" not in md
    assert "\\x1b[31m\\u202e" in md
    assert "\\[l\\](http://e)" in md  # in prose; inside code spans brackets are literal anyway
    assert "\\*\\*y\\*\\*" in md  # in prose; code spans show asterisks as they are
    problems = lines[lines.index("## Problems to fix") + 2 :]
    assert problems[0].startswith("- ✗ **contracts/a\\|b\\\\n# Registry review") and problems[1] == ""
    assert lines[lines.index("## Warnings") + 2].startswith("- ! **a\\|b\\\\n")
    assert lines[lines.index("## Warnings") + 3] == ""


def test_markdown_table_cells_escape_pipes_even_inside_code() -> None:
    md = review_markdown(hostile_review())
    table = [line for line in md.split("\n") if line.startswith("|")]
    assert table[0] == "| capsule | new version | content hash |"
    assert all(len(UNESCAPED_PIPE.findall(row)) == 4 for row in table), table
    assert "| ``a\\|b/c`\\|`d`` | 2 |" in table[2]


def test_code_spans_are_fenced_longer_than_the_backticks_they_hold() -> None:
    md = review_markdown(hostile_review())
    assert "- `contracts/a|b\\n# Registry review: ✅ forged `x`" not in md
    assert "## Contract ``a|b\\n# Registry review: ✅ forged `x` **y** [l](http://e) \\x1b[31m\\u202e``" in md


def test_github_commands_stay_one_per_line() -> None:
    out = review_github(hostile_review())
    lines = out.splitlines()
    assert len(lines) == 3 and all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)
    assert "\x1b" not in out and "\u202e" not in out and "\\x1b[31m" in out
    assert "file=contracts/a|b\\n# Registry review%3A ✅ forged `x` **y** [l](http%3A//e) \\x1b[31m" in out


def test_json_round_trips_hostile_text() -> None:
    body = json.loads(json.dumps(review_json(hostile_review())))
    assert body["problems"][0]["file"] == f"contracts/{HOSTILE}/schema.json"
    assert body["capsules"][0]["name"] == "c`|`d"


@pytest.mark.git
def test_review_of_a_real_change_escapes_a_property_named_with_a_pipe_and_newline(
    tmp_path: Path, example_store: Store
) -> None:
    work = tmp_path / "work"
    git("clone", "-q", f"file://{example_store.path}", str(work))
    git("checkout", "-q", "-b", "proposal", cwd=work)
    schema = work / "contracts/ritual.started/schema.json"
    doc = json.loads(schema.read_text())
    doc["properties"]["x|y\n## forged"] = {"type": "string"}
    doc["required"].append("x|y\n## forged")
    schema.write_text(json.dumps(doc, indent=2))
    meta = work / "contracts/ritual.started/contract.yaml"
    fields = yaml.safe_load(meta.read_text())
    fields["version"] = "1.1.0"
    meta.write_text(yaml.safe_dump(fields, sort_keys=False))
    git("commit", "-qam", "hostile property", cwd=work)
    out = registry_cli("review", "origin/main", "HEAD", "--repo", str(work))
    assert out.returncode == 1, out.stdout + out.stderr
    assert "x\\|y\\\\n## forged" in out.stdout  # \\n in Markdown shows as \n
    assert not any(line.startswith("## forged") for line in out.stdout.splitlines())
    gh = registry_cli("review", "origin/main", "HEAD", "--repo", str(work), "--format", "github")
    assert all(line.startswith("::") for line in gh.stdout.splitlines()) and "x|y\\n## forged" in gh.stdout
