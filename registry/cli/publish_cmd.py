"""``registry publish contract|capsule``: publish through the gate, as a signed commit and tag.

With ``--store`` (or ``REGISTRY_STORE``) the command publishes into a store itself; with
``--registry-endpoint`` (or ``REGISTRY_ENDPOINT``) it asks a registry server to, with the
token of ``--jwt`` (or ``JWT_TOKEN``). Both print the same lines and exit the same way.
A flag wins over the environment; with neither flag, ``REGISTRY_STORE`` wins over
``REGISTRY_ENDPOINT``.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from registry.cli import publish_remote
from registry.environment import environment
from registry.errors import InvalidInput
from registry.git.store import Store
from registry.paths import CAPSULE_DOC, parse_dir
from registry.settings import Settings
from registry.trust.registry_key import registry_key
from registry.write.publish import ContractInput, Writer
from registry.write.publisher import Publisher, unobserved

#: Every write of this command: the CLI's door, heard by nobody else in this process.
CLI = Publisher("cli", listeners=(), around=unobserved)


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
    k.add_argument("--file", required=True, metavar=CAPSULE_DOC)
    k.set_defaults(func=run_capsule)
    for q in (c, k):
        where = q.add_mutually_exclusive_group()
        where.add_argument("--store", help="the bare store (default: $REGISTRY_STORE)")
        where.add_argument(
            "--registry-endpoint",
            metavar="URL",
            help="publish through a registry server instead (default: $REGISTRY_ENDPOINT)",
        )
        q.add_argument(
            "--signing-key", help="registry key (default: $REGISTRY_SIGNING_KEY, then the store's config)"
        )
        q.add_argument("--jwt", metavar="TOKEN", help="bearer token for the server (default: $JWT_TOKEN)")


def _open(args: argparse.Namespace) -> tuple[Store, Writer]:
    settings = Settings.from_env(store=args.store, signing_key=args.signing_key)
    store = Store.open(settings.require_store())
    return store, Writer(registry_key(store, settings.signing_key), settings.identity)


def _remote(args: argparse.Namespace, env: Mapping[str, str] | None = None) -> publish_remote.Remote | None:
    """The server to publish through, or None to publish into a store (see the module docstring)."""
    env = environment() if env is None else env
    endpoint = args.registry_endpoint
    if endpoint is None and args.store is None and not env.get("REGISTRY_STORE"):
        endpoint = env.get("REGISTRY_ENDPOINT")
    if endpoint is None:
        return None
    return publish_remote.Remote(endpoint, args.jwt or env.get("JWT_TOKEN"))


def _when(value: datetime | str) -> str:
    return value if isinstance(value, str) else value.isoformat().replace("+00:00", "Z")


def _print(lines: Mapping[str, object]) -> None:
    for key, value in lines.items():
        print(f"{key}: {value}")


def run_contract(args: argparse.Namespace) -> int:
    schema = _text(args.json_schema, "JSON Schema")
    wit = (Path(args.wit).name, _text(args.wit, "WIT file")) if args.wit else None
    descriptor = (
        (Path(args.descriptor).name, _text(args.descriptor, "descriptor")) if args.descriptor else None
    )
    item = ContractInput(args.name, args.version, schema, args.description, wit, descriptor)
    remote = _remote(args)
    if remote is not None:
        answer = publish_remote.publish_contract(remote, item)
        version, digest, created = answer["version"], answer["digest"], answer["createdAt"]
    else:
        store, writer = _open(args)
        result = CLI.contract(store, item, writer=writer)
        found = next(v for v in result.versions if v.kind == "contract")
        version, digest, created = found.version, found.digest, _when(result.created_at)
    _print({"Name": args.name, "Version": version, "Digest": digest, "CreatedAt": created})
    return 0


def run_capsule(args: argparse.Namespace) -> int:
    text = _read(args.file, "capsule file")
    remote = _remote(args)
    if remote is not None:
        name, answer = publish_remote.publish_capsule(remote, args.tenant, text)
        lines = {
            "Capsule": f"{args.tenant}/{name}",
            "Version": answer["version"],
            "ContentHash": answer["content_hash"],
            "Signature": answer["signature"],
            "CreatedAt": answer["created_at"],
        }
    else:
        store, writer = _open(args)
        result = CLI.capsule(store, args.tenant, text, writer=writer)
        version = next(v for v in result.versions if v.kind == "capsule")
        item = parse_dir(version.key)
        lines = {
            "Capsule": f"{item.tenant}/{item.name}" if item is not None else version.key,
            "Version": version.version,
            "ContentHash": version.digest,
            "Signature": result.signatures[version.tag_name],
            "CreatedAt": _when(result.created_at),
        }
    _print(lines)
    return 0
