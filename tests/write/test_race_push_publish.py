"""A git push and a registry publish of the same new version, with different contents, racing.

Exactly one content is ever published, and a push that git reports as accepted is never
replaced: the gate counts a version on main as published from the moment main moves,
before post-receive writes its tag.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from support import git, registry_cli

from registry.gate.accepted import accepted
from registry.gate.published import contract_versions
from registry.git.store import Store

pytestmark = [pytest.mark.git, pytest.mark.slow]
ROUNDS = 16
NAME = "race.event"

# Both racers wait at the same barrier: each says it is ready, waits for the gun, then for its
# own offset, so that rounds cover every interleaving of the two doors' critical moments.
_READY_THEN_GO = (
    "import os, subprocess, sys, time\n"
    "open(sys.argv[1], 'w').close()\n"
    "while not os.path.exists(sys.argv[2]): time.sleep(0.0005)\n"
    "time.sleep(float(sys.argv[3]))\n"
    "sys.exit(subprocess.run(sys.argv[4:]).returncode)\n"
)
# Seconds each door waits after the gun, per round: a spread that covers the push landing
# before, during and after the publish's own gate and ref update.
OFFSETS = [(0.0, 0.008 * k) for k in range(12)] + [(0.02 * k, 0.0) for k in range(1, 5)]


def schema(prop: str) -> dict:
    return {"type": "object", "properties": {"id": {"type": "string"}, prop: {"type": "string"}}}


def start(
    args: list[str], ready: Path, go: Path, offset: float, cwd: Path | None = None
) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", _READY_THEN_GO, str(ready), str(go), str(offset), *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def publish_args(version: str, schema_file: Path, store: Store) -> list[str]:
    return [
        *(sys.executable, "-m", "registry.cli", "publish", "contract", "--name", NAME),
        *("--version", version, "--json-schema", str(schema_file), "--store", str(store.path)),
    ]


def wait_for(paths: list[Path], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not all(p.exists() for p in paths):
        assert time.monotonic() < deadline, "racers never became ready"
        time.sleep(0.001)


def test_push_and_publish_of_one_version_never_both_win(
    empty_store: Store, key_path: Path, tmp_path: Path
) -> None:
    first = tmp_path / "first.json"
    first.write_text(json.dumps(schema("p0")))
    assert registry_cli(
        "publish", "contract", "--name", NAME, "--version", "1.0.0", "--json-schema", str(first),
        "--store", str(empty_store.path),
    ).returncode == 0  # fmt: skip
    work = tmp_path / "work"
    git("clone", "-q", f"file://{empty_store.path}", str(work))
    winners = {"push": 0, "publish": 0}
    for i in range(1, ROUNDS + 1):
        version = f"1.{i}.0"
        git("fetch", "-q", "origin", cwd=work)
        git("reset", "-q", "--hard", "origin/main", cwd=work)
        pushed, published = schema(f"push{i}"), schema(f"publish{i}")
        (work / "contracts" / NAME / "schema.json").write_text(json.dumps(pushed))
        meta = yaml.safe_load((work / "contracts" / NAME / "contract.yaml").read_text())
        meta["version"] = version
        (work / "contracts" / NAME / "contract.yaml").write_text(yaml.safe_dump(meta))
        git("commit", "-qam", f"push {version}", cwd=work)
        other = tmp_path / f"publish{i}.json"
        other.write_text(json.dumps(published))
        ready = [tmp_path / f"ready-push-{i}", tmp_path / f"ready-publish-{i}"]
        go = tmp_path / f"go-{i}"
        push_after, publish_after = OFFSETS[i % len(OFFSETS)]
        racers = {
            "push": start(["git", "push", "origin", "HEAD:main"], ready[0], go, push_after, cwd=work),
            "publish": start(publish_args(version, other, empty_store), ready[1], go, publish_after),
        }
        wait_for(ready)
        go.touch()
        codes = {}
        for door, proc in racers.items():
            proc.communicate(timeout=120)
            codes[door] = proc.returncode
            if proc.returncode == 0:
                winners[door] += 1
        assert sum(1 for c in codes.values() if c == 0) <= 1, codes
        # Exactly one content holds the version, and it is the winner's.
        tags = {p.version: p for p in contract_versions(empty_store, NAME)}
        landed = accepted(empty_store).contract(NAME)
        holding = [p for p in landed if p.version == version]
        assert len(holding) == 1, (version, codes)
        stored = json.loads(empty_store.snapshot(holding[0].commit).read(f"contracts/{NAME}/schema.json"))
        if codes["push"] == 0:
            assert stored == pushed, version
            assert version in tags  # post-receive ran before git push returned
        elif codes["publish"] == 0:
            assert stored == published, version
        else:  # both refused: nothing of this version may exist
            pytest.fail(f"neither door published {version}: {codes}")
    assert winners["push"] + winners["publish"] == ROUNDS
    verify = registry_cli("verify", str(empty_store.path))
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert git(f"--git-dir={empty_store.path}", "fsck", "--strict").returncode == 0
    assert os.path.isdir(empty_store.path)
