"""Racing publishers: compare-and-swap on main means no version is ever lost."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support import git

from registry.gate.published import contract_versions
from registry.git.store import Store

# A barrier: each process imports the registry, says it is ready, then waits for the same
# go-file, so all eight publish at the same moment however slowly each one started.
_RACER = (
    "import os, sys, time\n"
    "from registry.cli import main\n"
    "open(sys.argv[1], 'w').close()\n"
    "while not os.path.exists(sys.argv[2]): time.sleep(0.0005)\n"
    "sys.exit(main(sys.argv[3:]))\n"
)


def race(
    store: Store, key_path: Path, tmp_path: Path, versions: list[str]
) -> list[subprocess.CompletedProcess]:
    schema = tmp_path / "schema.json"
    schema.write_text(json.dumps({"type": "object", "properties": {"id": {"type": "string"}}}))
    go = tmp_path / "go"
    ready = [tmp_path / f"ready-{i}" for i in range(len(versions))]
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                _RACER,
                str(ready[i]),
                str(go),
                "publish",
                "contract",
                "--name",
                "race.event",
                "--version",
                v,
                "--json-schema",
                str(schema),
                "--store",
                str(store.path),
                "--signing-key",
                str(key_path),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i, v in enumerate(versions)
    ]
    deadline = time.monotonic() + 60
    while not all(r.exists() for r in ready):
        assert time.monotonic() < deadline, "the racers never became ready"
        time.sleep(0.001)
    go.write_text("go")
    results = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        results.append(subprocess.CompletedProcess(p.args, p.returncode, out, err))
    return results


@pytest.mark.slow
@pytest.mark.git
def test_eight_distinct_versions_all_land(empty_store: Store, key_path: Path, tmp_path: Path) -> None:
    versions = [f"{major}.0.0" for major in range(1, 9)]
    results = race(empty_store, key_path, tmp_path, versions)
    assert all(r.returncode == 0 for r in results), [r.stderr for r in results]
    published = {p.version for p in contract_versions(empty_store, "race.event")}
    assert published == set(versions)
    # Every publish is its own commit on main: 8 publishes plus the initial commit.
    count = git(f"--git-dir={empty_store.path}", "rev-list", "--count", "main").stdout.strip()
    assert count == "9"
    assert git(f"--git-dir={empty_store.path}", "fsck", "--strict").returncode == 0


@pytest.mark.slow
@pytest.mark.git
def test_eight_publishing_the_same_version_exactly_one_wins(
    empty_store: Store, key_path: Path, tmp_path: Path
) -> None:
    results = race(empty_store, key_path, tmp_path, ["1.0.0"] * 8)
    winners = [r for r in results if r.returncode == 0]
    losers = [r for r in results if r.returncode != 0]
    assert len(winners) == 1, [r.stderr for r in results]
    assert all(r.returncode == 1 and "already" in r.stderr for r in losers), [r.stderr for r in losers]
    assert [p.version for p in contract_versions(empty_store, "race.event")] == ["1.0.0"]
    count = git(f"--git-dir={empty_store.path}", "rev-list", "--count", "main").stdout.strip()
    assert count == "2"
    assert os.path.exists(empty_store.path / "refs" / "tags" / "contracts" / "race.event" / "1.0.0")
