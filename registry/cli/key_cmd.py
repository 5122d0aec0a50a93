"""``registry key rotate``: list a new registry key in a commit the old one signs, then use it."""

from __future__ import annotations

import argparse
from pathlib import Path

from registry.errors import InvalidInput
from registry.git.store import Store
from registry.settings import Settings
from registry.trust.registry_key import registry_key
from registry.trust.sshsig import SigningKey, allowed_signers_line
from registry.write.rotation import rotate_key


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("key", help="manage the registry's signing key")
    ks = p.add_subparsers(dest="key_command", metavar="ACTION", required=True)
    r = ks.add_parser(
        "rotate",
        help="list a new registry key in registry.yaml by a commit the current key signs, then switch to it",
    )
    r.add_argument("store", metavar="STORE.git")
    r.add_argument(
        "--new-key",
        required=True,
        metavar="PATH",
        help="the new private key (make one with 'registry keygen')",
    )
    r.add_argument(
        "--signing-key",
        metavar="PATH",
        help="the current key (default: $REGISTRY_SIGNING_KEY, else the store's)",
    )
    r.set_defaults(func=run_rotate)


def run_rotate(args: argparse.Namespace) -> int:
    settings = Settings.from_env(signing_key=args.signing_key)
    store = Store.open(args.store)
    new_path = Path(args.new_key)
    if not new_path.is_file():
        raise InvalidInput(
            f"{new_path} is not a file", hint="make a key with 'registry keygen --out PATH' first"
        )
    rotation = rotate_key(
        store,
        old=registry_key(store, settings.signing_key),
        new=SigningKey.load(new_path),
        new_path=new_path,
        identity=settings.identity,
    )
    print(f"rotated the registry key in {rotation.commit[:12]}, signed by the old key")
    print(f"  old: {rotation.old.fingerprint()}")
    print(f"  new: {rotation.new.fingerprint()} (the store now signs with {new_path.resolve()})")
    print("versions signed before keep verifying; to check every version with stock git, allow both keys:")
    print(f"  {allowed_signers_line('registry', rotation.old)}")
    print(f"  {allowed_signers_line('registry', rotation.new)}")
    print("a server started with REGISTRY_SIGNING_KEY must be restarted with the new key's path")
    return 0
