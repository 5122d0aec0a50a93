"""A whole store in one file: ``git bundle`` of every ref, written and read with git itself.

A bundle holds every ref (``main``, proposal branches, version tags, the registry's marks
under ``refs/registry/``) and every object they reach, so a store fetched from one has the
same commits and the same signed tag objects, byte for byte. It holds no config, hooks,
reflogs or files beside the repository: those are made afresh on restore.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from registry.environment import environment
from registry.errors import StoreError

# A hook or a server hands down a pushing repository's environment; bundles work on the store.
_GIT_ENV_DROP = ("GIT_DIR", "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_QUARANTINE_PATH")


def _git(store: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in environment().items() if k not in _GIT_ENV_DROP}
    return subprocess.run(
        ["git", f"--git-dir={store}", *args], env=env, capture_output=True, text=True, check=False
    )


def _said(done: subprocess.CompletedProcess[str]) -> str:
    return " ".join(done.stderr.split())[:500] or f"git exited with {done.returncode}"


class BundleRefused(Exception):
    """git would not make or read a bundle for a reason of the input's: ``write/`` says what it means."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message, self.hint = message, hint


def create_bundle(store: Path, file: Path) -> None:
    """Write a bundle of every ref of ``store`` to ``file`` (a temporary file, then renamed)."""
    tmp = file.with_name(f".{file.name}.tmp")
    done = _git(store, "bundle", "create", "-q", str(tmp.resolve()), "--all")
    if done.returncode != 0:
        tmp.unlink(missing_ok=True)
        if "empty bundle" in done.stderr:
            raise BundleRefused(f"{store} has no refs to back up", hint="an empty store needs no backup")
        raise StoreError(f"git bundle create failed: {_said(done)}")
    os.replace(tmp, file)


def bundle_refs(store: Path, file: Path) -> dict[str, str]:
    """The refs a bundle holds (name -> object id), read by git in ``store``."""
    done = _git(store, "bundle", "list-heads", str(file.resolve()))
    if done.returncode != 0:
        raise BundleRefused(
            f"{file} is not a git bundle: {_said(done)}", hint="give a file 'registry backup' wrote"
        )
    refs = {}
    for line in done.stdout.splitlines():
        oid, _, name = line.partition(" ")
        if name.startswith("refs/"):
            refs[name] = oid
    return refs


def fetch_bundle(store: Path, file: Path) -> dict[str, str]:
    """Fetch every ref of a bundle into the (empty) ``store``, checking it first."""
    done = _git(store, "bundle", "verify", "-q", str(file.resolve()))
    if done.returncode != 0:
        raise BundleRefused(
            f"{file} is not a complete git bundle: {_said(done)}", hint="give a file 'registry backup' wrote"
        )
    refs = bundle_refs(store, file)
    done = _git(store, "fetch", "-q", "--no-tags", str(file.resolve()), "refs/*:refs/*")
    if done.returncode != 0:
        raise StoreError(f"git fetch from the bundle failed: {_said(done)}")
    return refs
