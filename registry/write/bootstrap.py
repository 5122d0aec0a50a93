"""Creating a store: the bare repo, its config, its hooks, and the first signed publish."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from registry.errors import InvalidInput
from registry.gate.accepted import TAGGED_MARK, untagged
from registry.gate.policy import POLICY_FILE, StorePolicy, load_policy, policy_at
from registry.git.packing import configure_for_scale, pack_refs
from registry.git.store import Store
from registry.settings import SIGNING_KEY_CONFIG
from registry.trust.signers import Signer
from registry.trust.sshsig import SigningKey
from registry.write.publish import PublishResult, Writer, publish_files
from registry.write.registry_key import REGISTRY_PRINCIPAL

HOOK_NAMES = ("pre-receive", "post-receive")
_HOOK_SOURCES = Path(__file__).resolve().parent.parent / "hooks" / "scripts"


def install_hooks(store: Store, *, python: str | None = None) -> list[Path]:
    """Write the store's hooks so that they run this installation's ``registry`` package.

    The hook's first line names the interpreter that installed them, so a push runs
    the same package version as the command that set the store up.
    """
    interpreter = python or sys.executable
    # `-S` skips site-packages start-up (about 40 ms of every push); the hook finds the
    # package by path, and loads site-packages itself only when no gate server answers.
    package_root = str(Path(__file__).resolve().parents[2])
    header = f"#!{interpreter} -S\nimport sys\n\nsys.path.insert(0, {package_root!r})\n"
    hooks_dir = store.path / "hooks"
    hooks_dir.mkdir(exist_ok=True)
    written = []
    for name in HOOK_NAMES:
        source = (_HOOK_SOURCES / name).read_text()
        body = source.split("\n", 1)[1]
        target = hooks_dir / name
        tmp = target.with_suffix(".tmp")
        tmp.write_text(header + body)
        tmp.chmod(0o755)
        os.replace(tmp, target)
        written.append(target)
    # Push options reach the hook only when the repo advertises them (git-receive-pack(1)).
    store.set_config("receive.advertisePushOptions", "true")
    # git's own object checks on what a push sends, before any hook judges it.
    store.set_config("receive.fsckObjects", "true")
    # The reflog of main is the record of every accepted update, read to find versions
    # accepted but not tagged yet (registry.gate.accepted): keep it, and keep it forever.
    store.set_config("core.logAllRefUpdates", "true")
    store.set_config("gc.reflogExpire", "never")
    store.set_config("gc.reflogExpireUnreachable", "never")
    # Version tags are hidden from pushes and kept packed, so they do not slow pushes.
    configure_for_scale(store)
    pack_refs(store.path)
    _mark_tagged(store)
    return written


def _mark_tagged(store: Store) -> None:
    """A store from before the tagged mark gets one at its head when every version there has
    its tag, so the gate reads only the updates after it (``registry tag-missing`` sets it
    after a repair otherwise)."""
    head = store.head()
    if head is None or store.repo.references.get(TAGGED_MARK) is not None:
        return
    if not untagged(store, head):
        store.move_forward(TAGGED_MARK, head)


def _read_tree(root: Path) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if any(part.startswith(".git") for part in rel.parts) or not path.is_file():
            continue
        files[rel.as_posix()] = path.read_bytes()
    return files


def init_store(
    path: Path,
    *,
    key: SigningKey,
    key_path: Path,
    writer: Writer,
    from_dir: Path | None = None,
) -> tuple[Store, PublishResult]:
    """A new bare store whose first commit holds ``registry.yaml`` (and ``from_dir``'s files).

    The registry key is listed in ``registry.yaml`` as the admin signer ``registry``,
    and the store's git config records where the key lives, for the hooks.
    """
    files: dict[str, bytes] = {}
    if from_dir is not None:
        if not from_dir.is_dir():
            raise InvalidInput(
                f"{from_dir} is not a directory", hint="--from takes a directory laid out as a store"
            )
        files = _read_tree(from_dir)
    policy = load_policy(files.get(POLICY_FILE)) if POLICY_FILE in files else StorePolicy()
    policy = policy.with_signer(Signer(REGISTRY_PRINCIPAL, key.public, ("admin",), ("*",)))
    files[POLICY_FILE] = policy.to_yaml().encode()
    store = Store.create(path)
    store.set_config(SIGNING_KEY_CONFIG, str(key_path.resolve()))
    install_hooks(store)
    # Only `registry init` creates a store: its first landing is the CLI's, and nobody listens yet.
    result = publish_files(store, files, writer=writer, message="initialise the registry store", door="cli")
    assert policy_at(store, store.head()).signer(REGISTRY_PRINCIPAL) is not None
    return store, result
