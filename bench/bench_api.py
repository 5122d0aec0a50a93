"""API benchmark: a version GET with a valid token, against a bare FastAPI app returning the
same bytes on the same uvicorn settings, measured alternately with ``wrk``, 1 worker and 4.

    .venv/bin/python bench/bench_api.py [--duration 10] [--rounds 3] [--connections 50] [--threads 2]

Both servers run at once on loopback; each round runs ``wrk`` against one, then the other
(the order swaps every round), so a busy moment of the machine falls on both alike. Per
server it prints requests per second and the p50 and p99 latency (medians over the
rounds), and the ratio of the registry's requests per second to the bare app's (the goal
is at least 0.8; 1.0 beyond that). The registry answers ``GET
/registry/contracts/ritual.started/1.0.0`` of a store made from example-store/, with
``Authorization: Bearer`` and a token minted with the server's ``JWT_SECRET``; the bare app
answers the same path with the same body and headers and checks nothing.

In the same rounds it measures the Confluent-compatible door's id lookup (``GET
/ccompat/schemas/ids/3``, the same version, what a Kafka deserializer asks) on the same
registry server, and prints its ratio to the version GET (the goal is at least 0.9).

Needs ``wrk`` (Debian: ``apt-get install wrk``); without it the script says so and exits 0.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).parent))
PATH = "/registry/contracts/ritual.started/1.0.0"
#: The same version by its schema id at the Confluent-compatible door, on the same server.
IDS_PATH = "/ccompat/schemas/ids/3"


def bare_app() -> Any:
    """The baseline: FastAPI, one route of the same shape, the registry's bytes and headers."""
    from fastapi import FastAPI
    from starlette.responses import Response

    body = base64.b64decode(os.environ["BENCH_BODY"])
    headers = json.loads(os.environ["BENCH_HEADERS"])
    media_type = headers.pop("content-type")
    app = FastAPI()

    @app.get("/registry/contracts/{name}/{version}")
    async def version(name: str, version: str) -> Response:
        return Response(content=body, media_type=media_type, headers=headers)

    return app


def run_bare(port: int, workers: int) -> None:
    """``bench_api.py --bare PORT WORKERS``: serve ``bare_app`` as ``registry serve`` would.

    The same ``UVICORN`` settings ``registry serve`` passes (uvloop, httptools, no access
    log, the same log configuration), and the same worker count.
    """
    import uvicorn

    from registry.api.server import UVICORN

    print("ready", flush=True)
    uvicorn.run("bench_api:bare_app", factory=True, host="127.0.0.1", port=port, workers=workers, **UVICORN)


def shared_settings() -> str:
    """The uvicorn settings both servers run with, checked to be what the comparison needs."""
    from registry.api.server import UVICORN

    wanted = {"loop": "uvloop", "http": "httptools", "access_log": False}
    got = {k: UVICORN.get(k) for k in wanted}
    if got != wanted:
        raise SystemExit(f"bench_api: registry serve runs uvicorn with {got}, not {wanted}")
    return ", ".join(f"{k}={v}" for k, v in got.items())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_ready(url: str, headers: dict[str, str], proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the server stopped"
        try:
            if httpx.get(url, headers=headers, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"{url} did not answer")


def stop(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()


_UNIT = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def wrk(url: str, token: str, args: argparse.Namespace, duration: int) -> dict[str, float]:
    # wrk takes whole seconds only: "-d10.0s" (or "-d1500ms") makes it print its usage and fail.
    assert isinstance(duration, int) and duration >= 1, duration
    out = subprocess.run(
        ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{duration}s", "--latency",
         "-H", f"Authorization: Bearer {token}", url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    if "Non-2xx" in out:
        raise SystemExit(f"non-2xx answers from {url}:\n{out}")

    def latency(pct: str) -> float:
        m = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        assert m, out
        return float(m.group(1)) * _UNIT[m.group(2)]

    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    assert rps, out
    return {"rps": float(rps.group(1)), "p50": latency("50"), "p99": latency("99")}


def bench(workers: int, store: Path, args: argparse.Namespace) -> None:
    secret = secrets.token_urlsafe(48)
    env = {**os.environ, "JWT_SECRET": secret}
    reg_port, bare_port = free_port(), free_port()
    registry = subprocess.Popen(
        [sys.executable, "-m", "registry.cli", "serve", "--store", str(store), "--port", str(reg_port),
         "--workers", str(workers)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    bare = None
    try:
        from registry.auth.authenticator import Authenticator

        token = Authenticator.for_secret(secret).dev_token(sub="bench")
        auth = {"Authorization": f"Bearer {token}"}
        reg_url = f"http://127.0.0.1:{reg_port}{PATH}"
        wait_ready(reg_url, auth, registry)
        answer = httpx.get(reg_url, headers=auth)
        keep = ("content-type", "etag", "cache-control")
        bare_env = {
            **env,
            "BENCH_BODY": base64.b64encode(answer.content).decode(),
            "BENCH_HEADERS": json.dumps({k: answer.headers[k] for k in keep if k in answer.headers}),
        }
        bare = subprocess.Popen(
            [sys.executable, __file__, "--bare", str(bare_port), str(workers)],
            env=bare_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True,
        )  # fmt: skip
        bare_url = f"http://127.0.0.1:{bare_port}{PATH}"
        wait_ready(bare_url, auth, bare)
        assert httpx.get(bare_url).content == answer.content
        ids_url = f"http://127.0.0.1:{reg_port}{IDS_PATH}"
        assert httpx.get(ids_url, headers=auth).status_code == 200
        targets = {"registry": reg_url, "bare": bare_url, "ids": ids_url}
        for url in targets.values():
            wrk(url, token, args, 2)  # warm-up
        runs: dict[str, list[dict[str, float]]] = {"registry": [], "bare": [], "ids": []}
        for r in range(args.rounds):
            order = ("bare", "registry", "ids")  # the id lookup right beside the version GET
            for name in order if r % 2 == 0 else tuple(reversed(order)):
                runs[name].append(wrk(targets[name], token, args, args.duration))
    finally:
        stop(registry)
        if bare is not None:
            stop(bare)
    med = {
        name: {k: statistics.median(r[k] for r in rs) for k in ("rps", "p50", "p99")}
        for name, rs in runs.items()
    }
    plural = "s" if workers > 1 else ""
    print(f"{workers} worker{plural} ({len(answer.content)}-byte version, {args.rounds} rounds):")
    labels = (
        ("registry", "registry, valid token"),
        ("bare", "bare FastAPI, same bytes"),
        ("ids", "ccompat id lookup"),
    )
    for name, label in labels:
        m = med[name]
        each = ", ".join(f"{r['rps']:,.0f}" for r in runs[name])
        print(f"  {label:26} {m['rps']:>9,.0f} req/s  p50 {m['p50']:.2f} ms  p99 {m['p99']:.2f} ms  ({each})")
    print(f"  ratio registry/bare: {med['registry']['rps'] / med['bare']['rps']:.2f} (goal >= 0.8)")
    # Per round: the two run back to back, so a busy moment of a shared machine falls on both.
    ratio = statistics.median(i["rps"] / v["rps"] for i, v in zip(runs["ids"], runs["registry"], strict=True))
    print(f"  ratio id lookup/version GET: {ratio:.2f}, median of the rounds' ratios (goal >= 0.9)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bare", nargs=2, type=int, metavar=("PORT", "WORKERS"), help=argparse.SUPPRESS)
    ap.add_argument("--duration", type=int, default=10, help="whole seconds per wrk run")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--connections", type=int, default=50)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--workers", default="1,4", help="worker counts to measure (default: 1,4)")
    args = ap.parse_args()
    if args.bare:
        run_bare(*args.bare)
        return
    if shutil.which("wrk") is None:
        print("bench_api: wrk is not installed; install it (Debian: apt-get install wrk) and run again")
        return
    from synthetic import example_store

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        store = example_store(tmp)
        load = f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s"
        print(f"{load}, on {os.cpu_count()} cores shared with the servers")
        print(f"both servers: uvicorn {shared_settings()}, the same workers")
        for workers in (int(w) for w in args.workers.split(",")):
            bench(workers, store.path, args)


if __name__ == "__main__":
    main()
