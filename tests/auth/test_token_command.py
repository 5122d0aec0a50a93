"""``registry token``: a token the server with the same environment accepts, printed last."""

from __future__ import annotations

import jwt
import pytest
from auth.material import SECRET
from support import registry_cli

from registry.auth import Authenticator
from registry.cli import main


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    for name in ("JWT_ALGORITHM", "JWT_ISSUER", "JWT_AUDIENCE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("JWT_SECRET", SECRET)
    return {"JWT_SECRET": SECRET}


def test_the_token_is_the_last_word_and_the_server_accepts_it(
    env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    grants = ["--tenant", "acme", "--tenant", "globex", "--role", "anumate-editor", "--ttl", "90m"]
    status = main(["token", "--sub", "alice", "--scopes", "contracts:read,contracts:write", *grants])
    out = capsys.readouterr()
    assert status == 0
    token = out.out.split()[-1]
    assert out.out == token + "\n"
    assert "token for alice" in out.err
    p = Authenticator.from_env(env).authenticate(f"Bearer {token}")
    assert (p.subject, p.scopes, p.roles, p.tenants) == (
        "alice",
        {"contracts:read", "contracts:write"},
        {"editor"},
        {"acme", "globex"},
    )
    payload = jwt.decode(token, SECRET, algorithms=["HS256"])
    assert payload["exp"] - payload["iat"] == 90 * 60


def test_the_defaults_are_a_read_only_token_for_an_hour(env: dict[str, str], capsys) -> None:
    assert main(["token", "--sub", "reader"]) == 0
    payload = jwt.decode(capsys.readouterr().out.strip(), SECRET, algorithms=["HS256"])
    assert payload["scopes"] == ["contracts:read"]
    assert payload["exp"] - payload["iat"] == 3600
    assert "roles" not in payload and "tenant" not in payload


def test_the_issuer_audience_and_algorithm_follow_the_environment(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    extra = {"JWT_ISSUER": "registry-dev", "JWT_AUDIENCE": "registry", "JWT_ALGORITHM": "HS512"}
    for name, value in extra.items():
        monkeypatch.setenv(name, value)
    assert main(["token", "--sub", "alice"]) == 0
    token = capsys.readouterr().out.strip()
    assert jwt.get_unverified_header(token)["alg"] == "HS512"
    assert Authenticator.from_env({**env, **extra}).authenticate(f"Bearer {token}").subject == "alice"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--ttl", "forever"], "cannot read the duration"),
        (["--ttl", "0s"], "out of range"),
        (["--ttl", "400d"], "out of range"),
        (["--role", "owner"], "unknown role 'owner'"),
    ],
)
def test_bad_flags_exit_2(env: dict[str, str], capsys, args: list[str], message: str) -> None:
    assert main(["token", "--sub", "alice", *args]) == 2
    assert message in capsys.readouterr().err


def test_without_jwt_secret_it_exits_2_and_says_so(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.delenv("JWT_SECRET", raising=False)
    assert main(["token", "--sub", "alice"]) == 2
    err = capsys.readouterr().err
    assert "JWT_SECRET is not set" in err


def test_a_short_secret_is_minted_with_a_warning(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setenv("JWT_SECRET", "dev-secret-change-in-production")
    assert main(["token", "--sub", "alice"]) == 0
    out = capsys.readouterr()
    assert "only a server started with --dev accepts this token" in out.err
    assert out.out.count(".") == 2


def test_a_real_process_prints_a_token_a_shell_can_capture() -> None:
    result = registry_cli("token", "--sub", "ci", "--role", "admin", env={"JWT_SECRET": SECRET})
    assert result.returncode == 0, result.stderr
    token = result.stdout.split()[-1]
    assert Authenticator.from_env({"JWT_SECRET": SECRET}).authenticate(f"Bearer {token}").roles == {"admin"}
