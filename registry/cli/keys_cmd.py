"""``registry keygen``: an Ed25519 key pair for the registry or an author."""

from __future__ import annotations

import argparse
from pathlib import Path

from registry.errors import InvalidInput
from registry.trust.sshsig import SigningKey, allowed_signers_line


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("keygen", help="make an Ed25519 key pair and print its allowed-signers line")
    p.add_argument("--out", default="registry-key", help="private key path; the public key goes to PATH.pub")
    p.add_argument("--principal", default="registry", help="name for the allowed-signers line")
    p.add_argument("--force", action="store_true", help="overwrite an existing key")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if out.exists() and not args.force:
        raise InvalidInput(f"{out} exists", hint="choose another --out, or pass --force to replace it")
    if not out.parent.is_dir():
        raise InvalidInput(
            f"{out.parent} is not a directory, so {out} cannot be written",
            hint=f"create it first (mkdir -p -m 700 {out.parent}), or choose another --out",
        )
    key = SigningKey.generate()
    key.save(out, comment=args.principal)
    print(allowed_signers_line(args.principal, key.public))
    return 0
