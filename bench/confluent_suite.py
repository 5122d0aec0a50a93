"""Agreement of the linter with Confluent's JSON Schema diff suite.

Confluent's schema registry keeps its JSON Schema compatibility cases in
``json-schema-provider/src/test/resources/diff-*.json`` of confluentinc/schema-registry.
They are not vendored here: point this script at a checkout (or at a folder holding
those files) and it counts on how many cases our BACKWARD verdict equals Confluent's
``compatible``, under each policy, and lists the cases where they differ.

    .venv/bin/python bench/confluent_suite.py PATH [--list]

PATH is a checkout, a folder holding the ``diff-*.json`` files, or a bare git directory
(read at ``HEAD`` with ``git show``). The files are JSON with trailing commas; they are
read leniently.

Each case goes through ``registry lint compare`` itself (the CLI's own code path, in this
process: files written, read and validated as the gate reads ``schema.json``, exit code 0
for compatible and 1 for breaking), so an input the command would refuse counts as a
refusal, not as a verdict. A schema without ``$schema`` is read as draft 7, Confluent's
default (``--default-dialect draft-07``, the store's ``default_dialect``).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from registry.cli import main as registry
from registry.lint import Policy

_TRAILING_COMMA = re.compile(r",(\s*[}\]])")


_HOME = "json-schema-provider/src/test/resources/"
_SUITE = re.compile(r"(^|/)diff-[^/]*\.json$")


def _texts(root: Path) -> list[tuple[str, str]]:
    if (root / "HEAD").is_file() and (root / "objects").is_dir():
        git = ["git", f"--git-dir={root}"]
        listing = [*git, "ls-tree", "-r", "--name-only", "HEAD"]
        names = subprocess.run(listing, check=True, capture_output=True)
        paths = [p for p in names.stdout.decode().splitlines() if p.startswith(_HOME) and _SUITE.search(p)]
        show = [*git, "show"]
        return [(Path(p).name, subprocess.check_output([*show, f"HEAD:{p}"]).decode()) for p in sorted(paths)]
    found = sorted(root.rglob("diff-*.json"))
    inside = [p for p in found if "json-schema-provider" in p.parts] or found
    return [(p.name, p.read_text()) for p in inside]


def load(root: Path) -> list[tuple[str, dict[str, Any]]]:
    """Every case of every ``diff-*.json`` under ``root``, as (file name, case)."""
    texts = _texts(root)
    if not texts:
        raise SystemExit(f"no diff-*.json under {root}: give a schema-registry checkout or git dir")
    cases = []
    for name, text in texts:
        cases += [(name, case) for case in json.loads(_TRAILING_COMMA.sub(r"\1", text))]
    return cases


def verdict(case: dict[str, Any], policy: Policy, work: Path) -> bool | str:
    """Our BACKWARD verdict through ``registry lint compare``, or why the command refused."""
    current, proposed = work / "current.json", work / "proposed.json"
    current.write_text(json.dumps(case["original_schema"]))
    proposed.write_text(json.dumps(case["update_schema"]))
    argv = ["lint", "compare", "--current", str(current), "--proposed", str(proposed)]
    # Confluent reads a schema without $schema as draft 7; so does this run.
    argv += [
        "--mode",
        "BACKWARD",
        "--policy",
        policy.value,
        "--format",
        "json",
        "--default-dialect",
        "draft-07",
    ]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = registry(argv)
    if code in (0, 1):
        return code == 0
    return f"refused (exit {code}): {err.getvalue().strip()[:200]}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path, help="confluentinc/schema-registry checkout, git dir or folder")
    parser.add_argument("--list", action="store_true", help="list every disagreement")
    args = parser.parse_args(argv)
    cases = load(args.path)
    work = Path(tempfile.mkdtemp(prefix="confluent-suite-"))
    for policy in Policy:
        agree = 0
        differ = []
        for name, case in cases:
            ours = verdict(case, policy, work)
            if ours == case["compatible"]:
                agree += 1
            else:
                differ.append((name, case["description"], case["compatible"], ours))
        share = 100 * agree / len(cases)
        print(f"{policy.value:8} agrees with Confluent on {agree} of {len(cases)} cases ({share:.1f} %)")
        if args.list:
            for name, description, theirs, ours in differ:
                print(f"    {name}: {description!r}: Confluent {theirs}, ours {ours}")
    shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
