"""Shared fixtures: a hermetic git environment, a registry key, stores made by the real code."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from support import EXAMPLE_STORE, git

from registry.git.store import Identity, Store
from registry.trust.sshsig import SigningKey, allowed_signers_line
from registry.write.bootstrap import init_store
from registry.write.publish import Writer

GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Ada Author",
    "GIT_AUTHOR_EMAIL": "ada@example.org",
    "GIT_COMMITTER_NAME": "Ada Author",
    "GIT_COMMITTER_EMAIL": "ada@example.org",
}


@pytest.fixture(autouse=True)
def hermetic_git(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No global or system git config, a throwaway HOME, and an explicit identity."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for key in ("REGISTRY_STORE", "REGISTRY_SIGNING_KEY", "GIT_DIR", "GIT_WORK_TREE"):
        monkeypatch.delenv(key, raising=False)
    for key, value in GIT_IDENTITY.items():
        monkeypatch.setenv(key, value)


@pytest.fixture
def key_path(tmp_path: Path) -> Path:
    path = tmp_path / "keys" / "registry"
    path.parent.mkdir()
    SigningKey.generate().save(path)
    return path


@pytest.fixture
def key(key_path: Path) -> SigningKey:
    return SigningKey.load(key_path)


@pytest.fixture
def writer(key: SigningKey) -> Writer:
    return Writer(key, Identity())


@pytest.fixture
def allowed_signers(tmp_path: Path, key: SigningKey) -> Path:
    path = tmp_path / "allowed_signers"
    path.write_text(allowed_signers_line("registry", key.public) + "\n")
    return path


@pytest.fixture
def empty_store(tmp_path: Path, key: SigningKey, key_path: Path, writer: Writer) -> Store:
    """A store whose only file is registry.yaml."""
    store, _ = init_store(tmp_path / "store.git", key=key, key_path=key_path, writer=writer)
    return store


@pytest.fixture
def example_store(tmp_path: Path, key: SigningKey, key_path: Path, writer: Writer) -> Store:
    """A store imported from example-store/, every version tagged."""
    store, _ = init_store(
        tmp_path / "example.git", key=key, key_path=key_path, writer=writer, from_dir=EXAMPLE_STORE
    )
    return store


@pytest.fixture
def clone(tmp_path: Path, example_store: Store) -> Path:
    """A working clone of the example store, to change and push."""
    work = tmp_path / "work"
    git("clone", "-q", f"file://{example_store.path}", str(work))
    return work
