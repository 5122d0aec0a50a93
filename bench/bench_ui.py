"""UI benchmark: the weight of the contract list and its time to first render in headless Chromium,
at 1,000 contracts, beside the same page at 10 contracts and the API's JSON list of the same store.

    .venv/bin/python bench/bench_ui.py [--contracts 1000] [--baseline 10] [--runs 5]

For each store a real ``registry serve`` runs on loopback; each run opens ``/ui/contracts`` in a
fresh browser context (no cache, token in the URL fragment) and waits until the list is on
screen. Per store it prints the medians over the runs of:

- page weight: every byte the browser fetched for the page (shell, stylesheet, script, the
  list), as sent (gzip where the client takes it) and decoded;
- time to first render: from navigation start until the list is in the document (the UI's
  ``ui:rendered`` mark) and until the browser painted it (largest contentful paint);
- the server's time to answer the list alone (``/ui/f/contracts``, 20 GETs) beside the API's
  ``GET /registry/contracts`` on the same store.

Needs Debian's Chromium at /usr/bin/chromium (``make bench`` installs it when missing).
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).parent))
CHROMIUM = "/usr/bin/chromium"
SECRET = "bench-ui-secret-" + "s" * 40

PAINTED = """() => new Promise(done => {
  new PerformanceObserver(list => { const e = list.getEntries(); done(e[e.length - 1].startTime); })
    .observe({type: "largest-contentful-paint", buffered: true});
  setTimeout(() => done(null), 2000);
})"""
WEIGHT = """() => {
  const all = [...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")];
  const sum = key => all.reduce((n, e) => n + e[key], 0);
  return {sent: sum("transferSize"), decoded: sum("decodedBodySize"), requests: all.length,
          rendered: performance.getEntriesByName("ui:rendered")[0].startTime};
}"""


#: (title, key, width, divisor) of each printed column.
COLUMNS = [
    ("contracts", "contracts", 9, 1),
    ("rows", "rows", 5, 1),
    ("requests", "requests", 8, 1),
    ("sent kB", "sent", 8, 1000),
    ("decoded kB", "decoded", 10, 1000),
    ("in DOM ms", "rendered", 9, 1),
    ("painted ms", "painted", 10, 1),
    ("server UI ms", "server_ui_ms", 12, 1),
    ("server API ms", "server_api_ms", 13, 1),
    ("API JSON kB", "api_bytes", 11, 1000),
]


def serve(store: Path) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "registry.cli", "serve", "--store", str(store), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "JWT_SECRET": SECRET},
    )
    line = proc.stdout.readline() if proc.stdout else ""
    url = next(w for w in line.split() if w.startswith("http://"))
    deadline = time.monotonic() + 60
    while httpx.get(url + "/readyz", timeout=5).status_code != 200 and time.monotonic() < deadline:
        time.sleep(0.1)
    return proc, url


def stop(proc: subprocess.Popen[str]) -> None:
    os.kill(proc.pid, signal.SIGTERM)
    proc.wait(timeout=30)
    if proc.stdout is not None:
        proc.stdout.close()


def server_ms(url: str, path: str, token: str, n: int = 20) -> float:
    headers = {"Authorization": f"Bearer {token}", "Accept-Encoding": "gzip"}
    times = []
    with httpx.Client(headers=headers, timeout=30) as client:
        client.get(url + path).raise_for_status()
        for _ in range(n):
            started = time.perf_counter()
            client.get(url + path).raise_for_status()
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def measure(browser: Any, url: str, token: str, runs: int) -> dict[str, float]:
    rows: list[dict[str, float]] = []
    for i in range(runs + 1):  # the first run warms the server and the browser up
        context = browser.new_context(viewport={"width": 1200, "height": 900})
        page = context.new_page()
        page.goto(f"{url}/ui/contracts#token={token}")
        page.wait_for_selector("html[data-ui-ready]", timeout=60_000)
        facts = page.evaluate(WEIGHT)
        facts["painted"] = page.evaluate(PAINTED) or float("nan")
        facts["rows"] = page.locator("table.list tbody tr").count()
        context.close()
        if i:
            rows.append(facts)
    return {k: statistics.median(r[k] for r in rows) for k in rows[0]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--contracts", type=int, default=1000)
    ap.add_argument("--baseline", type=int, default=10)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    if not Path(CHROMIUM).exists():
        print(f"bench_ui: {CHROMIUM} is missing; install Debian's chromium (make bench does) and run again")
        return
    from playwright.sync_api import sync_playwright
    from synthetic import build_store

    from registry.auth.tokens import mint

    token = mint(SECRET, sub="bench", scopes=("contracts:read",))
    results: dict[int, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp_name, sync_playwright() as p:
        tmp = Path(tmp_name)
        browser = p.chromium.launch(executable_path=CHROMIUM)
        for n in (args.baseline, args.contracts):
            store = build_store(tmp / f"s{n}.git", contracts=n, versions=1, key_path=tmp / f"k{n}")
            proc, url = serve(store.path)
            try:
                facts = measure(browser, url, token, args.runs)
                facts["server_ui_ms"] = server_ms(url, "/ui/f/contracts", token)
                facts["server_api_ms"] = server_ms(url, "/registry/contracts", token)
                api = httpx.get(url + "/registry/contracts", headers={"Authorization": f"Bearer {token}"})
                facts["api_bytes"] = len(api.content)
            finally:
                stop(proc)
            results[n] = facts
        browser.close()
    print(f"contract list in headless Chromium, median of {args.runs} runs, {os.cpu_count()} cores")
    print(" ".join(f"{title:>{width}}" for title, _, width, _ in COLUMNS))
    for n, facts in results.items():
        facts["contracts"] = n
        print(
            " ".join(
                f"{facts[key] / scale:>{width}.{1 if scale > 1 else 0}f}" for _, key, width, scale in COLUMNS
            )
        )
    big, small = results[args.contracts], results[args.baseline]
    print(
        f"ratios at {args.contracts} vs {args.baseline} contracts: sent x{big['sent'] / small['sent']:.1f}, "
        f"in DOM x{big['rendered'] / small['rendered']:.2f}, "
        f"painted x{big['painted'] / small['painted']:.2f}; "
        f"UI bytes sent / API JSON bytes at {args.contracts}: {big['sent'] / big['api_bytes']:.2f}"
    )


if __name__ == "__main__":
    main()
