"""Helpers for tests that drive real processes: git, the registry command, ref listings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from registry.git.store import Store

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_STORE = ROOT / "example-store"


def git(
    *args: str,
    cwd: Path | None = None,
    check: bool = True,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run the real git binary."""
    return subprocess.run(
        ["git", *args],
        cwd=cwd,
        check=check,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )


def registry_cli(
    *args: str,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run the ``registry`` command in a real process."""
    return subprocess.run(
        [sys.executable, "-m", "registry.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )


def verify_with_git(store: Store, allowed: Path, kind: str, rev: str) -> subprocess.CompletedProcess[str]:
    return git(
        "-c",
        f"gpg.ssh.allowedSignersFile={allowed}",
        f"--git-dir={store.path}",
        f"verify-{kind}",
        rev,
        check=False,
    )


def refs(store: Store) -> dict[str, str]:
    """Every ref of a store and the object it names, as git itself lists them."""
    out = git(f"--git-dir={store.path}", "for-each-ref", "--format=%(refname) %(objectname)").stdout
    return dict(line.split(" ", 1) for line in out.splitlines())
