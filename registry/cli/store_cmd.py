"""Store commands: ``init``, ``verify``, ``doctor``, ``hooks install``, ``tag-missing``."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path

from registry.audit.doctor import SAFE_AGE_S, clean, find_leftovers, format_age, parse_age
from registry.audit.verify import verify_store
from registry.environment import environment
from registry.gate.accepted import Pending, accepted, untagged
from registry.git.store import Store
from registry.settings import Settings
from registry.text import printable
from registry.trust.registry_key import registry_key
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

    d = sub.add_parser(
        "doctor", help="report what interrupted pushes left in a store (quarantines, stale locks)"
    )
    d.add_argument("store", metavar="STORE")
    d.add_argument("--fix", action="store_true", help="remove the leftovers older than --older-than")
    d.add_argument(
        "--older-than",
        type=age,
        default=SAFE_AGE_S,
        metavar="AGE",
        help="only leftovers untouched this long are removed: 90s, 30m, 1h (default), 2d",
    )
    d.set_defaults(func=run_doctor)

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
        line = printable(f"{'ok  ' if f.ok else 'FAIL'} {f.ref}: {f.message}")
        print(line, file=sys.stdout if f.ok else sys.stderr)
    for item in find_leftovers(store.path):
        fix = "--fix" if item.age_s >= SAFE_AGE_S else f"--fix once it is {format_age(SAFE_AGE_S)} old"
        print(
            printable(f"warning: leftover {item.describe()}: run 'registry doctor {args.store} {fix}'"),
            file=sys.stderr,
        )
    print(f"{len(findings) - len(bad)} verified, {len(bad)} failed")
    return 1 if bad else 0


def age(text: str) -> float:
    """An ``--older-than`` value: seconds, or a number with s, m, h or d."""
    return parse_age(text)


def run_doctor(args: argparse.Namespace) -> int:
    """Report leftovers; with ``--fix`` remove the old ones. Exit 1 while old ones remain."""
    store = Store.open(args.store)
    limit = format_age(args.older_than)
    if not args.fix:
        found = find_leftovers(store.path)
        for item in found:
            print(printable(f"leftover {item.describe()}"))
        old = [item for item in found if item.age_s >= args.older_than]
        if not found:
            print("no leftovers")
        elif old:
            hint = f"run 'registry doctor {args.store} --fix'"
            print(printable(f"{len(old)} leftover(s) older than {limit}: {hint}"))
        else:
            print(f"no leftover is older than {limit}: a push may still be using them; nothing to do")
        return 1 if old else 0
    result = clean(store.path, older_than=args.older_than)
    if result.in_flight:
        pids = ", ".join(map(str, result.in_flight))
        print(f"a push to this store is in flight (pid {pids}): nothing removed; run again when it ends")
        return 1 if any(item.age_s >= args.older_than for item in result.kept) else 0
    for item in result.removed:
        print(printable(f"removed {item.describe()}"))
    for item in result.kept:
        print(printable(f"kept {item.describe()}: younger than {limit}, a push may still be using it"))
    for item, reason in result.failed:
        print(printable(f"could not remove {item.path}: {reason}"), file=sys.stderr)
    print(f"{len(result.removed)} removed, {len(result.kept)} kept")
    return 1 if result.failed else 0


def run_hooks_install(args: argparse.Namespace) -> int:
    store = Store.open(args.store)
    for path in install_hooks(store):
        print(f"installed {path}")
    return 0


def run_hooks_serve(args: argparse.Namespace) -> int:

    from registry.hooks.server import GateServer
    from registry.replica.notify import landing_listener

    store = Store.open(args.store)
    server = GateServer(
        store.path,
        log=lambda line: print(line, file=sys.stderr, flush=True),
        on_landed=landing_listener(environment(), detached=False),  # REGISTRY_REPLICAS are told
    )
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
        store,
        upto=head,
        key=registry_key(store, settings.signing_key),
        tagger=settings.identity,
        door="repair",
        legacy=True,
    )
    for landed in landing.versions:
        print(f"tagged {landed.tag_ref}")
    print(f"{len(landing.versions)} tag(s) created")
    view = accepted(store)
    left = view.pending + untagged(store, head, view)
    for item in left:
        version = item.version if isinstance(item, Pending) else item
        print(f"error: {version.tag_name} is accepted on main but could not be tagged", file=sys.stderr)
    return 1 if left else 0
