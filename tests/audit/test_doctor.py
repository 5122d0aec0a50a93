"""`registry doctor` finds what interrupted pushes leave behind and removes only what is surely dead."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest
from support import git, registry_cli

from registry.audit.doctor import Kind, clean, find_leftovers, parse_age, pushes_in_flight
from registry.git.store import Store

HOUR = 3600.0


def age(path: Path, seconds: float) -> None:
    """Make ``path`` (and everything inside it) look untouched for ``seconds``."""
    when = time.time() - seconds
    if path.is_dir():
        for root, dirs, files in os.walk(path, topdown=False):
            for name in dirs + files:
                os.utime(os.path.join(root, name), (when, when))
    os.utime(path, (when, when))


def quarantine(git_dir: Path, suffix: str, *, prefix: str = "tmp_objdir-incoming-") -> Path:
    """A push's quarantine as git names it, with a half-written pack inside."""
    path = git_dir / "objects" / f"{prefix}{suffix}"
    (path / "pack").mkdir(parents=True)
    (path / "pack" / "tmp_pack_Qx81Zp").write_bytes(b"PACK\0\0\0\2")
    return path


def lock(git_dir: Path, name: str) -> Path:
    path = git_dir / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("0" * 40 + "\n")
    return path


@pytest.fixture
def git_dir(example_store: Store) -> Path:
    return example_store.path


def test_every_kind_of_leftover_is_reported_with_its_age(git_dir: Path) -> None:
    age(quarantine(git_dir, "a1B2c3"), 2 * HOUR)
    age(quarantine(git_dir, "d4E5f6", prefix="incoming-"), 3 * HOUR)
    age(lock(git_dir, "refs/heads/main.lock"), 2 * HOUR)
    age(lock(git_dir, "refs/tags/contracts/ritual.started/1.1.0.lock"), 2 * HOUR)
    age(lock(git_dir, "packed-refs.lock"), 5 * 86400)
    found = {str(item.path): item for item in find_leftovers(git_dir)}
    assert set(found) == {
        "objects/tmp_objdir-incoming-a1B2c3",
        "objects/incoming-d4E5f6",
        "refs/heads/main.lock",
        "refs/tags/contracts/ritual.started/1.1.0.lock",
        "packed-refs.lock",
    }
    assert found["objects/incoming-d4E5f6"].kind is Kind.QUARANTINE
    assert found["packed-refs.lock"].kind is Kind.LOCK
    out = registry_cli("doctor", str(git_dir))
    assert out.returncode == 1, out.stdout + out.stderr
    assert "objects/tmp_objdir-incoming-a1B2c3 (quarantine of an interrupted push, 2.0h old)" in out.stdout
    assert "refs/heads/main.lock (stale lock, 2.0h old)" in out.stdout
    assert "packed-refs.lock (stale lock, 5.0d old)" in out.stdout
    assert f"5 leftover(s) older than 60m: run 'registry doctor {git_dir} --fix'" in out.stdout
    assert all(p.exists() for p in (git_dir / "objects/incoming-d4E5f6", git_dir / "packed-refs.lock"))


def test_a_clean_store_has_nothing_to_report(git_dir: Path) -> None:
    out = registry_cli("doctor", str(git_dir))
    assert out.returncode == 0 and "no leftovers" in out.stdout


@pytest.mark.git
def test_fix_removes_a_stale_lock_that_blocks_every_push_and_keeps_fresh_leftovers(
    git_dir: Path, tmp_path: Path
) -> None:
    work = tmp_path / "work"
    git("clone", "-q", f"file://{git_dir}", str(work))
    (work / "README.md").write_text("a store\n")
    git("add", "-A", cwd=work)
    git("commit", "-q", "-m", "readme", cwd=work)
    age(lock(git_dir, "refs/heads/main.lock"), 2 * HOUR)
    old = quarantine(git_dir, "Old111")
    age(old, 2 * HOUR)
    fresh = quarantine(git_dir, "New222")  # a push may still be writing here
    fresh_lock = lock(git_dir, "refs/heads/feature.lock")
    blocked = git("push", "origin", "HEAD:main", cwd=work, check=False)
    assert blocked.returncode != 0 and "main.lock" in blocked.stderr

    out = registry_cli("doctor", str(git_dir), "--fix")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "removed refs/heads/main.lock (stale lock, 2.0h old)" in out.stdout
    assert "removed objects/tmp_objdir-incoming-Old111" in out.stdout
    assert "kept objects/tmp_objdir-incoming-New222" in out.stdout and "younger than 60m" in out.stdout
    assert "2 removed, 2 kept" in out.stdout
    assert not old.exists() and not (git_dir / "refs/heads/main.lock").exists()
    assert fresh.is_dir() and fresh_lock.is_file()
    assert git(f"--git-dir={git_dir}", "fsck", "--strict").returncode == 0
    pushed = git("push", "origin", "HEAD:main", cwd=work, check=False)
    assert pushed.returncode == 0, pushed.stderr


def test_a_quarantine_still_being_written_is_young_whatever_its_own_age(git_dir: Path) -> None:
    path = quarantine(git_dir, "Busy33")
    age(path, 3 * HOUR)
    (path / "pack" / "tmp_pack_Qx81Zp").write_bytes(b"PACK more")  # written just now
    os.utime(path, (time.time() - 3 * HOUR,) * 2)
    result = clean(git_dir, in_flight=lambda _: [])
    assert result.removed == () and [str(i.path) for i in result.kept] == [
        "objects/tmp_objdir-incoming-Busy33"
    ]
    assert path.is_dir()


def test_older_than_sets_the_safe_age(git_dir: Path) -> None:
    path = lock(git_dir, "packed-refs.lock")
    age(path, 30 * 60)
    kept = registry_cli("doctor", str(git_dir), "--fix")
    assert kept.returncode == 0 and "kept packed-refs.lock" in kept.stdout and path.exists()
    removed = registry_cli("doctor", str(git_dir), "--fix", "--older-than", "10m")
    assert removed.returncode == 0 and "removed packed-refs.lock" in removed.stdout
    assert not path.exists()
    bad = registry_cli("doctor", str(git_dir), "--older-than", "soon")
    assert bad.returncode == 2 and "--older-than" in bad.stderr


def test_nothing_is_removed_while_a_push_may_be_in_flight(git_dir: Path) -> None:
    stale = lock(git_dir, "refs/heads/main.lock")
    age(stale, 2 * HOUR)
    # A process that looks like git's receive-pack working in the store.
    receive_pack = subprocess.Popen(["bash", "-c", "exec -a git-receive-pack sleep 60"], cwd=git_dir)
    try:
        # Wait until bash has become the stand-in: while it execs, /proc briefly shows neither.
        cmdline = Path(f"/proc/{receive_pack.pid}/cmdline")
        deadline = time.monotonic() + 30  # a loaded machine may be slow to exec
        while not cmdline.read_bytes().startswith(b"git-receive-pack") and time.monotonic() < deadline:
            time.sleep(0.02)
        assert receive_pack.pid in pushes_in_flight(git_dir)
        out = registry_cli("doctor", str(git_dir), "--fix")
        assert out.returncode == 1, out.stdout + out.stderr
        assert f"a push to this store is in flight (pid {receive_pack.pid})" in out.stdout
        assert "nothing removed" in out.stdout and stale.exists()
    finally:
        receive_pack.kill()
        receive_pack.wait()
    assert receive_pack.pid not in pushes_in_flight(git_dir)
    assert clean(git_dir).removed and not stale.exists()


def test_a_symlink_named_like_a_leftover_is_never_followed(git_dir: Path, tmp_path: Path) -> None:
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "data").write_text("keep me")
    link = git_dir / "objects" / "tmp_objdir-incoming-link01"
    link.symlink_to(precious, target_is_directory=True)
    (git_dir / "refs" / "heads" / "x.lock").symlink_to(precious / "data")
    age(precious, 5 * HOUR)
    result = clean(git_dir, older_than=0, in_flight=lambda _: [])
    assert result.removed == () and (precious / "data").read_text() == "keep me"


def test_verify_warns_about_leftovers_without_failing(git_dir: Path) -> None:
    age(quarantine(git_dir, "Gone44"), 2 * HOUR)
    out = registry_cli("verify", str(git_dir))
    assert out.returncode == 0, out.stdout + out.stderr
    assert (
        "warning: leftover objects/tmp_objdir-incoming-Gone44 (quarantine of an interrupted push, 2.0h old): "
        f"run 'registry doctor {git_dir} --fix'" in out.stderr
    )
    assert out.stdout.rstrip().endswith("0 failed")


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("90", 90), ("90s", 90), ("30m", 1800), ("1h", 3600), ("1.5h", 5400), ("2d", 172800), (" 2H ", 7200)],
)
def test_ages_are_read_with_units(text: str, seconds: float) -> None:
    assert parse_age(text) == seconds


@pytest.mark.parametrize("text", ["", "h", "soon", "-1h", "nan"])
def test_bad_ages_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_age(text)
