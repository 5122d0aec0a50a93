"""The store over git's smart HTTP protocol: ``git clone`` with a token (as Basic credentials)
works and verifies, without one is refused, and a push over HTTP is refused."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from replica.served import Served
from support import git, registry_cli

from registry.auth.tokens import mint
from registry.git.store import Store

pytestmark = pytest.mark.git

SECRET = "git-http-tests-" + "g" * 40
NO_PROMPT = {"GIT_TERMINAL_PROMPT": "0", "GIT_ASKPASS": "true"}


@pytest.fixture
def served(tmp_path: Path, example_store: Store) -> Iterator[Served]:
    server = Served(
        ["--store", str(example_store.path), "--port", "0"], {"JWT_SECRET": SECRET}, tmp_path / "log"
    )
    try:
        yield server.wait()
    finally:
        server.stop()


def url(served: Served, token: str | None) -> str:
    host = served.url.removeprefix("http://")
    return f"http://git:{token}@{host}/store.git" if token else f"http://{host}/store.git"


def test_a_clone_with_a_token_works_and_verifies(
    tmp_path: Path, served: Served, example_store: Store
) -> None:
    token = mint(SECRET, sub="consumer", scopes=["contracts:read"])
    cloned = git("clone", "-q", url(served, token), str(tmp_path / "clone"), env=NO_PROMPT, check=False)
    assert cloned.returncode == 0, cloned.stderr
    tags = git("-C", str(tmp_path / "clone"), "tag", "--list").stdout.split()
    assert "contracts/ritual.started/1.0.0" in tags
    assert git("-C", str(tmp_path / "clone"), "rev-parse", "HEAD").stdout.strip() == str(example_store.head())
    verified = registry_cli("verify", str(tmp_path / "clone"))
    assert verified.returncode == 0, verified.stdout + verified.stderr


def test_a_clone_without_a_token_or_without_the_read_scope_is_refused(tmp_path: Path, served: Served) -> None:
    anonymous = git("clone", "-q", url(served, None), str(tmp_path / "a"), env=NO_PROMPT, check=False)
    assert anonymous.returncode != 0
    assert "Authentication failed" in anonymous.stderr or "401" in anonymous.stderr
    bad = git("clone", "-q", url(served, "not-a-token"), str(tmp_path / "b"), env=NO_PROMPT, check=False)
    assert bad.returncode != 0
    writer_only = mint(SECRET, sub="ci", scopes=["contracts:write"])
    no_scope = git("clone", "-q", url(served, writer_only), str(tmp_path / "c"), env=NO_PROMPT, check=False)
    assert no_scope.returncode != 0 and "403" in no_scope.stderr
    assert not (tmp_path / "a" / ".git").exists() and not (tmp_path / "c" / ".git").exists()


def test_a_push_over_http_is_refused(
    tmp_path: Path, served: Served, example_store: Store, clone: Path
) -> None:
    token = mint(SECRET, sub="editor", scopes=["contracts:read", "contracts:write"], roles=["admin"])
    before = example_store.head()
    (clone / "README.md").write_text("changed\n")
    git("-C", str(clone), "add", "README.md")
    git("-C", str(clone), "commit", "-qm", "change the readme")
    pushed = git("-C", str(clone), "push", url(served, token), "HEAD:main", env=NO_PROMPT, check=False)
    assert pushed.returncode != 0
    assert "403" in pushed.stderr
    assert Store.open(example_store.path).head() == before


def test_only_git_fetches_are_served(served: Served) -> None:
    import httpx

    token = mint(SECRET, sub="consumer", scopes=["contracts:read"])
    auth = {"Authorization": f"Bearer {token}"}
    base = served.url + "/store.git"
    refs = httpx.get(base + "/info/refs?service=git-upload-pack", headers=auth)
    assert refs.status_code == 200
    assert refs.headers["content-type"] == "application/x-git-upload-pack-advertisement"
    assert httpx.get(base + "/info/refs?service=git-receive-pack", headers=auth).status_code == 403
    assert httpx.post(base + "/git-receive-pack", headers=auth).status_code == 403
    assert httpx.put(base + "/HEAD", headers=auth).status_code == 405
    assert httpx.get(base + "/HEAD", headers=auth).status_code == 404  # no dumb protocol
    assert httpx.get(base + "/objects/info/packs", headers=auth).status_code == 404
    challenge = httpx.get(base + "/info/refs?service=git-upload-pack")
    assert challenge.status_code == 401
    assert challenge.headers["www-authenticate"].startswith("Basic ")
