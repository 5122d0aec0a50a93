"""``registry backup`` and ``registry restore``: a store in one git bundle, and back."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from registry.errors import InvalidInput
from registry.git.store import Store
from registry.settings import Settings
from registry.write.recovery import backup, restore


def register(sub: argparse._SubParsersAction) -> None:
    b = sub.add_parser("backup", help="write a git bundle of every ref of a store (main, tags, marks)")
    b.add_argument("store", metavar="STORE")
    b.add_argument("file", metavar="FILE")
    b.set_defaults(func=run_backup)

    r = sub.add_parser(
        "restore", help="make a working store from a bundle: refs, config, hooks and the signing key's path"
    )
    r.add_argument("file", metavar="FILE")
    r.add_argument("store", metavar="STORE.git")
    r.add_argument(
        "--signing-key",
        metavar="PATH",
        help="the registry key the restored store signs with (default: $REGISTRY_SIGNING_KEY); "
        "it must be the registry signer the bundle's registry.yaml lists",
    )
    r.set_defaults(func=run_restore)


def run_backup(args: argparse.Namespace) -> int:
    store = Store.open(args.store)
    done = backup(store, Path(args.file))
    print(f"backed up {done.refs} refs ({done.versions} versions) to {args.file}, {done.size:,} bytes")
    for version in done.untagged:
        print(
            f"warning: {version.tag_name} is accepted but not tagged yet; run 'registry tag-missing "
            f"{args.store}' and back up again so the bundle holds its tag",
            file=sys.stderr,
        )
    print("the bundle holds no secret: keep the registry key apart from it (see docs/deployment.md)")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    settings = Settings.from_env(signing_key=args.signing_key)
    if settings.signing_key is None:
        raise InvalidInput(
            "no registry key for the restored store",
            hint="pass --signing-key PATH (the key registry.yaml lists) or set REGISTRY_SIGNING_KEY",
        )
    file = Path(args.file)
    if not file.is_file():
        raise InvalidInput(f"{file} is not a file", hint="give a bundle 'registry backup' wrote")
    done = restore(file, Path(args.store), key_path=settings.signing_key)
    print(f"restored {done.refs} refs ({done.versions} versions) into {done.store.path}; hooks installed")
    print(f"check it: registry verify {args.store}")
    return 0
