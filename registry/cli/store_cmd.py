"""Store commands: ``init``, ``verify``, ``hooks install``, ``tag-missing``."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path

from registry.audit.verify import verify_store
from registry.gate.accepted import Pending, accepted, untagged
from registry.git.store import Store
from registry.settings import Settings
from registry.trust.sshsig import PublicKey, SigningKey, allowed_signers_line
from registry.write.bootstrap import init_store, install_hooks
from registry.write.landing import land_pending
from registry.write.publish import Writer


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("init", help="create a bare store, install its hooks, optionally import a directory")
    p.add_argument("store", metavar="STORE.git")
    p.add_argument("--from", dest="from_dir", metavar="DIR", help="a directory laid out as a store to import")
    p.add_argument(
        "--signing-key",
        help="registry key (default: $REGISTRY_SIGNING_KEY, else a new key "
        "written to STORE.git/registry-signing-key)",
    )
    p.set_defaults(func=run_init)

    v = sub.add_parser("verify", help="check every version tag's signature and digest, offline")
    v.add_argument("store", metavar="STORE")
    v.add_argument(
        "--version", dest="only", metavar="REF", help="one version, e.g. contracts/ritual.started/1.0.0"
    )
    v.add_argument(
        "--public-key",
        action="append",
        default=[],
        metavar="PUB",
        help="trust this 'ssh-ed25519 …' key (or .pub file) instead of registry.yaml's signers",
    )
    v.set_defaults(func=run_verify)

    h = sub.add_parser("hooks", help="manage the store's git hooks")
    hs = h.add_subparsers(dest="hooks_command", metavar="ACTION", required=True)
    hi = hs.add_parser("install", help="(re)install the pre-receive and post-receive hooks")
    hi.add_argument("store", metavar="STORE.git")
    hi.set_defaults(func=run_hooks_install)
    hv = hs.add_parser("serve", help="answer the store's hooks from a running process (faster pushes)")
    hv.add_argument("store", metavar="STORE.git")
    hv.set_defaults(func=run_hooks_serve)

    t = sub.add_parser("tag-missing", help="create the signed tags of accepted versions that lack one")
    t.add_argument("store", metavar="STORE")
    t.add_argument("--signing-key")
    t.set_defaults(func=run_tag_missing)


def run_init(args: argparse.Namespace) -> int:
    settings = Settings.from_env(signing_key=args.signing_key)
    path = Path(args.store)
    generated = settings.signing_key is None
    key_path = settings.signing_key or path / "registry-signing-key"
    key = SigningKey.generate() if generated else SigningKey.load(key_path)
    from_dir = Path(args.from_dir) if args.from_dir else None
    _store, result = init_store(
        path, key=key, key_path=key_path, writer=Writer(key, settings.identity), from_dir=from_dir
    )
    if generated:
        key.save(key_path)
        print(f"registry key written to {key_path} (keep it private)")
    print(f"initialised {path} at {result.commit[:12]}; hooks installed")
    for version in result.versions:
        print(f"  published {version.tag_name}")
    print(f"allowed signer: {allowed_signers_line('registry', key.public)}")
    return 0


def _trusted(keys: list[str]) -> dict[bytes, str] | None:
    if not keys:
        return None
    trusted = {}
    for i, item in enumerate(keys):
        text = Path(item).read_text() if Path(item).is_file() else item
        trusted[PublicKey.parse(text).raw] = f"key{i + 1}"
    return trusted


def run_verify(args: argparse.Namespace) -> int:
    store = Store.open(args.store)
    findings = verify_store(store, only=args.only, trusted=_trusted(args.public_key))
    bad = [f for f in findings if not f.ok]
    for f in findings:
        print(f"{'ok  ' if f.ok else 'FAIL'} {f.ref}: {f.message}", file=sys.stdout if f.ok else sys.stderr)
    print(f"{len(findings) - len(bad)} verified, {len(bad)} failed")
    return 1 if bad else 0


def run_hooks_install(args: argparse.Namespace) -> int:
    store = Store.open(args.store)
    for path in install_hooks(store):
        print(f"installed {path}")
    return 0


def run_hooks_serve(args: argparse.Namespace) -> int:
    from registry.hooks.server import GateServer

    store = Store.open(args.store)
    server = GateServer(store.path, log=lambda line: print(line, file=sys.stderr, flush=True))
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    worker = threading.Thread(target=server.serve_forever, daemon=True)
    worker.start()
    print(f"gate server for {store.path} listening on {server.socket_file}", flush=True)
    stop.wait()
    server.shutdown()
    server.server_close()
    return 0


def run_tag_missing(args: argparse.Namespace) -> int:
    settings = Settings.from_env(signing_key=args.signing_key)
    store = Store.open(args.store)
    head = store.head()
    if head is None:
        print("the store is empty")
        return 0
    landing = land_pending(
        store, upto=head, key=settings.key_for(store), tagger=settings.identity, door="repair", legacy=True
    )
    for landed in landing.versions:
        print(f"tagged {landed.tag_ref}")
    print(f"{len(landing.versions)} tag(s) created")
    left = accepted(store).pending + untagged(store, head)
    for item in left:
        version = item.version if isinstance(item, Pending) else item
        print(f"error: {version.tag_name} is accepted on main but could not be tagged", file=sys.stderr)
    return 1 if left else 0
