"""Which requests a replica treats as writes (503 to the primary) and which as reads."""

from __future__ import annotations

import pytest

from registry.api.replica import is_write


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/registry/contracts"),
        ("POST", "/api/v1/capsules"),
        ("POST", "/api/v1/capsules/acme.hello/versions"),
        ("PATCH", "/api/v1/capsules/acme.hello"),
        ("DELETE", "/api/v1/capsules/acme.hello"),
        ("POST", "/ccompat/subjects/ritual.started/versions"),
        ("DELETE", "/ccompat/subjects/ritual.started"),
        ("DELETE", "/ccompat/subjects/ritual.started/versions/1"),
        ("PUT", "/ccompat/config"),
        ("PUT", "/ccompat/mode/ritual.started"),
        ("POST", "/store.git/git-receive-pack"),
        ("POST", "/anything/else"),
    ],
)
def test_writes_and_unknown_posts_go_to_the_primary(method: str, path: str) -> None:
    assert is_write(method, path)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/registry/contracts"),
        ("HEAD", "/registry/contracts/ritual.started/1.0.0"),
        ("OPTIONS", "/ccompat/subjects"),
        ("POST", "/registry/contracts/ritual.started/compatibility"),
        ("POST", "/api/v1/capsules/acme.hello/lint"),
        ("POST", "/ccompat/subjects/ritual.started"),
        ("POST", "/ccompat/compatibility/subjects/ritual.started/versions/latest"),
        ("POST", "/store.git/git-upload-pack"),
        ("POST", "/-/refresh"),
    ],
)
def test_reads_pass(method: str, path: str) -> None:
    assert not is_write(method, path)
