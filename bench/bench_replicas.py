"""Replica benchmark: read throughput of one server against two read replicas behind a
round-robin client, measured in one run with ``wrk``; and how soon a publish is readable on
both replicas.

    .venv/bin/python bench/bench_replicas.py [--duration 10] [--rounds 3] [--connections 50] [--threads 2]

A primary (``registry serve --store``) and two replicas (``registry serve --mirror``) of a
store made from example-store/ run at once on loopback, each one uvicorn worker. Each round
measures, in alternating order so a busy moment of the machine falls on both alike:

- ``one server``: ``wrk -cN`` against the primary alone;
- ``two replicas``: two ``wrk -c(N/2)`` at the same time, one per replica: the same
  connections dealt round-robin over the two, the sum of both rates.

The request is ``GET /registry/contracts/ritual.started/1.0.0`` with a bearer token. It
prints the medians over the rounds and the ratio two-replicas / one-server. On a machine
with 2 cores the load generator and the servers share them, so the ratio says how much a
second process helps *here*, not what a second machine would give (about 2x, as replicas
share nothing but the primary's git history).

Then it publishes ``--publishes`` versions through the primary's HTTP API and reports how
long each took to be readable on both replicas (refresh sent by the primary, fetch,
signature check, index refresh).

Needs ``wrk`` (Debian: ``apt-get install wrk``); without it the script says so and exits 0.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from bench_api import PATH, free_port, stop, wait_ready, wrk


def start(args: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "registry.cli", "serve", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )


def load(urls: list[str], token: str, args: argparse.Namespace, duration: int) -> float:
    """Requests per second of ``len(urls)`` concurrent wrk runs, the connections split evenly."""
    share = argparse.Namespace(
        connections=max(1, args.connections // len(urls)), threads=max(1, args.threads // len(urls))
    )
    with ThreadPoolExecutor(len(urls)) as pool:
        results = list(pool.map(lambda u: wrk(u, token, share, duration), urls))
    return sum(r["rps"] for r in results)


def lag(primary: str, replicas: list[str], token: str, n: int) -> list[float]:
    """Milliseconds from a publish's answer on the primary to its version read on every replica."""
    auth = {"Authorization": f"Bearer {token}"}
    out = []
    for i in range(n):
        name = f"bench.replica{i}"
        schema = json.dumps({"type": "object", "properties": {"id": {"type": "string"}}})
        made = httpx.post(
            f"{primary}/registry/contracts",
            headers=auth,
            json={"name": name, "version": "1.0.0", "jsonSchema": schema},
            timeout=30,
        )
        made.raise_for_status()
        published = time.monotonic()
        waiting = set(replicas)
        while waiting:
            for url in list(waiting):
                if (
                    httpx.get(f"{url}/registry/contracts/{name}/1.0.0", headers=auth, timeout=5).status_code
                    == 200
                ):
                    waiting.discard(url)
            if time.monotonic() - published > 30:
                raise SystemExit(f"{name} not readable on {sorted(waiting)} after 30 s")
            time.sleep(0.005)
        out.append((time.monotonic() - published) * 1000)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--duration", type=int, default=10, help="whole seconds per wrk run")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--connections", type=int, default=50)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--publishes", type=int, default=5)
    args = ap.parse_args()
    if shutil.which("wrk") is None:
        print("bench_replicas: wrk is not installed; install it (Debian: apt-get install wrk) and run again")
        return
    from synthetic import example_store

    from registry.auth.authenticator import Authenticator

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        store = example_store(tmp)
        secret, refresh = secrets.token_urlsafe(48), secrets.token_urlsafe(32)
        env = {**os.environ, "JWT_SECRET": secret, "REGISTRY_REFRESH_SECRET": refresh}
        ports = [free_port() for _ in range(3)]
        replica_urls = [f"http://127.0.0.1:{p}" for p in ports[1:]]
        primary_url = f"http://127.0.0.1:{ports[0]}"
        procs = [
            start(
                ["--store", str(store.path), "--port", str(ports[0])],
                {**env, "REGISTRY_REPLICAS": ",".join(replica_urls)},
            )
        ]
        for i, port in enumerate(ports[1:]):
            procs.append(
                start(
                    ["--mirror", f"file://{store.path}", "--data-dir", str(tmp / f"replica-{i}"),
                     "--port", str(port), "--primary", primary_url],
                    env,
                )
            )  # fmt: skip
        try:
            token = Authenticator.for_secret(secret).dev_token(sub="bench")
            auth = {"Authorization": f"Bearer {token}"}
            for url, proc in zip([primary_url, *replica_urls], procs, strict=True):
                wait_ready(url + PATH, auth, proc)
            one, two = [primary_url + PATH], [u + PATH for u in replica_urls]
            load(one, token, args, 2)  # warm-up
            load(two, token, args, 2)
            runs: dict[str, list[float]] = {"one": [], "two": []}
            for r in range(args.rounds):
                for name in ("one", "two") if r % 2 == 0 else ("two", "one"):
                    runs[name].append(load(one if name == "one" else two, token, args, args.duration))
            lags = lag(primary_url, replica_urls, token, args.publishes)
        finally:
            for proc in procs:
                stop(proc)
    med = {name: statistics.median(rs) for name, rs in runs.items()}
    cores = os.cpu_count()
    print(f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s, {args.rounds} rounds, "
          f"on {cores} cores shared by the servers and wrk; one uvicorn worker per server")  # fmt: skip
    for name, label in (("one", "one server"), ("two", "two replicas, round-robin")):
        each = ", ".join(f"{r:,.0f}" for r in runs[name])
        print(f"  {label:27} {med[name]:>9,.0f} req/s  ({each})")
    print(f"  ratio two replicas / one server: {med['two'] / med['one']:.2f}")
    print(
        f"publish on the primary -> readable on both replicas ({len(lags)} publishes): "
        f"median {statistics.median(lags):.0f} ms, max {max(lags):.0f} ms"
    )


if __name__ == "__main__":
    main()
