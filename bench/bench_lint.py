"""Benchmark of the compatibility linter on large schemas.

Two schemas with 10,000 properties and a 50-deep nested chain, differing in a few
hundred places, are diffed and checked; the figures are set against a baseline taken in
the same run: serialising both schemas with ``json.dumps`` and walking both trees once.
``check`` also searches for a witness of each break, within its own time budget (0.2 s),
so it is shown with and without that search. The diff is then timed at other sizes: its
ratio to the baseline should stay flat (linear in the schemas' size).
Prints milliseconds (best of N); asserts nothing about timing.

Then the same check is set against Karapace's JSON Schema checker on three workloads (the
10,000-property pair, a realistic 200-property schema with nesting, ``oneOf`` and
``$ref``s, and a 1,000-version transitive check), when Karapace is importable: in this
process, or in another interpreter given with ``--karapace-python`` (a scratch install,
never a dependency of the registry; ``--karapace-path`` is added to its ``sys.path``).
Both sides are timed without witness search, Karapace's validators built inside the timing.

    .venv/bin/python bench/bench_lint.py [--karapace-python /tmp/karapace-venv/bin/python
                                          --karapace-path /tmp/karapace-src]
"""

from __future__ import annotations

import argparse
import copy
import json
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from registry.lint import Mode, Policy, check, diff

PROPERTIES = 10_000
DEPTH = 50
ROUNDS = 5


def build(properties: int = PROPERTIES) -> dict[str, Any]:
    props: dict[str, Any] = {}
    for i in range(properties):
        kind = i % 4
        if kind == 0:
            props[f"p{i}"] = {"type": "integer", "minimum": 0, "maximum": 1000 + i}
        elif kind == 1:
            props[f"p{i}"] = {"type": "string", "maxLength": 64, "description": f"field {i}"}
        elif kind == 2:
            props[f"p{i}"] = {"type": "array", "items": {"type": "string"}, "maxItems": 10}
        else:
            props[f"p{i}"] = {"enum": ["a", "b", "c"]}
    chain: dict[str, Any] = {"type": "string"}
    for level in range(DEPTH):
        chain = {
            "type": "object",
            "properties": {f"n{level}": chain, "v": {"type": "integer"}},
            "required": ["v"],
        }
    props["chain"] = chain
    return {"type": "object", "properties": props, "required": [f"p{i}" for i in range(0, properties, 10)]}


def mutate(schema: dict[str, Any], properties: int = PROPERTIES) -> dict[str, Any]:
    new = copy.deepcopy(schema)
    props = new["properties"]
    for i in range(0, properties, 100):
        props[f"p{i}"]["maximum"] = 10  # tightened
    for i in range(1, properties, 250):
        props[f"p{i}"]["type"] = ["string", "null"]  # widened
    for i in range(2, properties, 500):
        del props[f"p{i}"]
    for i in range(100):
        props[f"extra{i}"] = {"type": "boolean"}
    new["required"] = new["required"][5:]
    node = props["chain"]
    for level in reversed(range(DEPTH)):
        node = node["properties"][f"n{level}"]
    node["maxLength"] = 8  # the deepest leaf narrowed
    return new


def walk(node: Any) -> int:
    count = 1
    if isinstance(node, dict):
        for value in node.values():
            count += walk(value)
    elif isinstance(node, list):
        for value in node:
            count += walk(value)
    return count


def best(fn: Callable[[], Any], rounds: int = ROUNDS) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def realistic() -> tuple[dict[str, Any], dict[str, Any]]:
    """A 200-property event: nested objects, ``$defs`` used by ``$ref``, a ``oneOf`` of payments."""
    defs = {
        "money": {
            "type": "object",
            "properties": {"amount": {"type": "integer", "minimum": 0}, "currency": {"enum": ["EUR", "USD"]}},
            "required": ["amount", "currency"],
        },
        "address": {
            "type": "object",
            "properties": {
                k: {"type": "string", "maxLength": 80} for k in ("street", "city", "zip", "country")
            },
            "required": ["street", "city"],
        },
    }
    payment = {
        "oneOf": [
            {
                "type": "object",
                "properties": {"kind": {"const": "card"}, "last4": {"type": "string"}},
                "required": ["kind"],
            },
            {
                "type": "object",
                "properties": {"kind": {"const": "iban"}, "iban": {"type": "string"}},
                "required": ["kind"],
            },
        ]
    }
    props: dict[str, Any] = {}
    for i in range(200):
        kind = i % 5
        if kind == 0:
            props[f"f{i}"] = {"type": "string", "maxLength": 100}
        elif kind == 1:
            props[f"f{i}"] = {"$ref": "#/$defs/money"}
        elif kind == 2:
            props[f"f{i}"] = {
                "type": "object",
                "properties": {"home": {"$ref": "#/$defs/address"}, "n": {"type": "integer"}},
            }
        elif kind == 3:
            props[f"f{i}"] = payment
        else:
            props[f"f{i}"] = {"type": "array", "items": {"type": "integer"}, "maxItems": 50}
    old = {"type": "object", "$defs": defs, "properties": props, "required": ["f0", "f1"]}
    new = copy.deepcopy(old)
    new["properties"]["f0"]["maxLength"] = 200  # widened
    new["properties"]["extra"] = {"type": "string"}  # optional property added
    new["$defs"]["address"]["properties"]["zip"]["maxLength"] = 120
    return old, new


def versions(count: int = 1_000) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """``count`` published versions of a 20-property schema, each widening one bound a little."""
    history = []
    for v in range(count):
        props = {f"p{i}": {"type": "string", "maxLength": 10 + v} for i in range(20)}
        history.append({"type": "object", "properties": props, "required": ["p0"]})
    new = copy.deepcopy(history[-1])
    new["properties"]["p1"]["maxLength"] = 10 + count
    return history, new


_KARAPACE = """
import json, sys, time
from jsonschema import Draft7Validator
from karapace.core.compatibility.jsonschema.checks import compatibility
work = json.load(open(sys.argv[1]))
out = {}
for name, (history, new, rounds) in work.items():
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        for old in history:
            compatibility(reader=Draft7Validator(new), writer=Draft7Validator(old))
        times.append(time.perf_counter() - start)
    out[name] = min(times) * 1000
print(json.dumps(out))
"""


def karapace_times(
    work: dict[str, tuple[list[Any], Any, int]], python: str | None, path: str | None
) -> dict[str, float] | str:
    """Milliseconds per workload for Karapace's checker, or why it could not be timed."""
    try:
        from karapace.core.compatibility.jsonschema.checks import compatibility  # noqa: F401
    except ImportError:
        if python is None:
            return "Karapace is not importable here; give --karapace-python (a scratch install)"
    else:
        python = python or __import__("sys").executable
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(work, handle)
    env = {"PYTHONPATH": path} if path else None
    run = subprocess.run([python, "-c", _KARAPACE, handle.name], capture_output=True, text=True, env=env)
    Path(handle.name).unlink()
    if run.returncode != 0:
        last = run.stderr.strip().splitlines()[-1] if run.stderr.strip() else run.returncode
        return f"Karapace failed: {last}"
    return json.loads(run.stdout)


def against_karapace(python: str | None, path: str | None) -> None:
    big_old = build()
    big_new = mutate(big_old)
    real_old, real_new = realistic()
    history, latest = versions()
    ours = {
        "10,000-property pair": best(
            lambda: check([("1", big_old)], big_new, mode=Mode.BACKWARD, witness_budget=0)
        ),
        "realistic 200-property": best(
            lambda: check([("1", real_old)], real_new, mode=Mode.BACKWARD, witness_budget=0), rounds=20
        ),
        "1,000-version transitive": best(
            lambda: check(
                [(str(n), s) for n, s in enumerate(history)],
                latest,
                mode=Mode.BACKWARD_TRANSITIVE,
                witness_budget=0,
            ),
            rounds=3,
        ),
    }
    work = {
        "10,000-property pair": ([big_old], big_new, ROUNDS),
        "realistic 200-property": ([real_old], real_new, 20),
        "1,000-version transitive": (history, latest, 3),
    }
    theirs = karapace_times(work, python, path)
    print("against Karapace's JSON Schema checker (BACKWARD, no witness search):")
    if isinstance(theirs, str):
        for name, ms in ours.items():
            print(f"  {name:28} ours {ms:9.1f} ms")
        print(f"  Karapace not timed: {theirs}")
        return
    for name, ms in ours.items():
        ratio = theirs[name] / ms
        print(f"  {name:28} ours {ms:9.1f} ms   Karapace {theirs[name]:9.1f} ms   {ratio:6.1f}x faster")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--karapace-python", help="an interpreter where Karapace's checker is importable")
    parser.add_argument("--karapace-path", help="added to that interpreter's sys.path")
    args = parser.parse_args()
    old = build()
    new = mutate(old)
    nodes = walk(old) + walk(new)
    baseline = best(lambda: (json.dumps(old), json.dumps(new), walk(old), walk(new)))
    same = copy.deepcopy(old)
    changes = diff(old, new)
    figures = {
        "diff (lenient)": best(lambda: diff(old, new)),
        "diff (strict)": best(lambda: diff(old, new, policy=Policy.STRICT)),
        "diff identical copy": best(lambda: diff(old, same)),
        "check BACKWARD, no witness search": best(
            lambda: check([("1.0.0", old)], new, mode=Mode.BACKWARD, witness_budget=0)
        ),
        "check BACKWARD": best(lambda: check([("1.0.0", old)], new, mode=Mode.BACKWARD)),
        "check FULL_TRANSITIVE x3": best(
            lambda: check([("1.0.0", old), ("1.1.0", old), ("1.2.0", old)], new, mode=Mode.FULL_TRANSITIVE)
        ),
    }
    print(
        f"schemas: {PROPERTIES} properties + {DEPTH}-deep chain, "
        f"{nodes} JSON nodes in both; {len(changes)} changes"
    )
    print(f"{'baseline (json.dumps + tree walk, both)':42} {baseline:9.1f} ms   1.0x")
    for name, ms in figures.items():
        print(f"{name:42} {ms:9.1f} ms {ms / baseline:6.1f}x")
    print("diff (lenient) by size, against the baseline at that size:")
    for size in (2_500, 5_000, 10_000, 20_000):
        small = build(size)
        changed = mutate(small, size)
        base = best(lambda a=small, b=changed: (json.dumps(a), json.dumps(b), walk(a), walk(b)))
        ms = best(lambda a=small, b=changed: diff(a, b))
        print(f"  {size:6} properties {ms:9.1f} ms {ms / base:6.1f}x")
    against_karapace(args.karapace_python, args.karapace_path)


if __name__ == "__main__":
    main()
