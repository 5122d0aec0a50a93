"""``registry publish contract|capsule``: publish through the gate, as a signed commit and tag."""

from __future__ import annotations

import argparse
from pathlib import Path

from registry.errors import InvalidInput
from registry.git.store import Store
from registry.settings import Settings
from registry.write.publish import ContractInput, Writer, publish_capsule, publish_contract


def _read(path: str, what: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise InvalidInput(f"cannot read {what} {path}: {exc.strerror}") from None


def _text(path: str, what: str) -> str:
    try:
        return _read(path, what).decode()
    except UnicodeDecodeError:
        raise InvalidInput(f"{what} {path} is not UTF-8 text") from None


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("publish", help="publish a contract or capsule version")
    kinds = p.add_subparsers(dest="kind", metavar="KIND", required=True)
    c = kinds.add_parser("contract", help="publish a contract version")
    c.add_argument("--name", required=True)
    c.add_argument("--version", required=True)
    c.add_argument("--json-schema", required=True, metavar="FILE")
    c.add_argument("--description")
    c.add_argument("--wit", metavar="FILE")
    c.add_argument("--descriptor", metavar="FILE")
    c.set_defaults(func=run_contract)
    k = kinds.add_parser("capsule", help="publish the next version of a capsule")
    k.add_argument("--tenant", required=True)
    k.add_argument("--file", required=True, metavar="capsule.yaml")
    k.set_defaults(func=run_capsule)
    for q in (c, k):
        q.add_argument("--store", help="the bare store (default: $REGISTRY_STORE)")
        q.add_argument(
            "--signing-key", help="registry key (default: $REGISTRY_SIGNING_KEY, then the store's config)"
        )


def _open(args: argparse.Namespace) -> tuple[Store, Writer]:
    settings = Settings.from_env(store=args.store, signing_key=args.signing_key)
    store = Store.open(settings.require_store())
    return store, Writer(settings.key_for(store), settings.identity)


def run_contract(args: argparse.Namespace) -> int:
    schema = _text(args.json_schema, "JSON Schema")
    wit = (Path(args.wit).name, _text(args.wit, "WIT file")) if args.wit else None
    descriptor = (
        (Path(args.descriptor).name, _text(args.descriptor, "descriptor")) if args.descriptor else None
    )
    store, writer = _open(args)
    item = ContractInput(args.name, args.version, schema, args.description, wit, descriptor)
    result = publish_contract(store, item, writer=writer)
    version = next(v for v in result.versions if v.kind == "contract")
    print(f"Name: {args.name}")
    print(f"Version: {version.version}")
    print(f"Digest: {version.digest}")
    print(f"CreatedAt: {result.created_at.isoformat().replace('+00:00', 'Z')}")
    return 0


def run_capsule(args: argparse.Namespace) -> int:
    text = _read(args.file, "capsule file")
    store, writer = _open(args)
    result = publish_capsule(store, args.tenant, text, writer=writer)
    version = next(v for v in result.versions if v.kind == "capsule")
    print(f"Capsule: {version.key.removeprefix('capsules/')}")
    print(f"Version: {version.version}")
    print(f"ContentHash: {version.digest}")
    print(f"Signature: {result.signatures[version.tag_name]}")
    print(f"CreatedAt: {result.created_at.isoformat().replace('+00:00', 'Z')}")
    return 0
