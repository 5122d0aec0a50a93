"""``registry serve``: the read and write API over HTTP, with the store's resident gate."""

from __future__ import annotations

import argparse
from pathlib import Path

from registry.environment import environment


def _workers(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("at least 1")
    return value


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "serve",
        help="serve the HTTP API of a store, and its resident gate (pushes are readable when they return)",
    )
    p.add_argument("--store", help="the bare store (default: $REGISTRY_STORE)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p.add_argument(
        "--port", type=int, default=8080, help="port to listen on; 0 picks a free one (default: 8080)"
    )
    p.add_argument(
        "--workers",
        type=_workers,
        default=1,
        help="worker processes (default: 1); the parent process then owns the gate socket",
    )
    p.add_argument(
        "--dev",
        action="store_true",
        help="development mode: without JWT_SECRET or a key, make a throwaway secret and print a token",
    )
    p.add_argument(
        "--mirror",
        metavar="URL",
        help="run as a read replica of the primary's store at URL (anything git fetch takes)",
    )
    p.add_argument("--data-dir", type=Path, help="where a replica keeps its mirror (with --mirror)")
    p.add_argument(
        "--fetch-interval",
        type=_seconds,
        default=30.0,
        metavar="S",
        help="seconds between a replica's fetches (default: 30); POST /-/refresh fetches at once",
    )
    p.add_argument(
        "--primary",
        metavar="URL",
        help="the primary's HTTP address that a replica's refusals of writes name "
        "(default: the --mirror URL without /store.git)",
    )
    p.set_defaults(func=run_serve)


def _seconds(text: str) -> float:
    value = float(text)
    if not 0.05 <= value <= 86400:
        raise argparse.ArgumentTypeError("between 0.05 and 86400 seconds")
    return value


def run_serve(args: argparse.Namespace) -> int:
    from registry.api.serve_config import ServeConfig
    from registry.api.server import serve

    config = ServeConfig.from_env(
        environment(),
        store=args.store,
        host=args.host,
        port=args.port,
        workers=args.workers,
        dev=args.dev,
        mirror=args.mirror,
        data_dir=args.data_dir,
        fetch_interval=args.fetch_interval,
        primary=args.primary,
    )
    return serve(config)
