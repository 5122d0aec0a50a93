"""An oracle for the linter over the whole 2020-12 dialect (and draft 7's own rules).

It draws a schema over every assertion and applicator keyword, mutates it one step (a
keyword added, removed or changed, anywhere in the tree), and checks every "compatible"
verdict of the strict linter against instances: random small JSON values, plus edge
values built from both schemas (their constants, bounds and property names), each judged
by the schema's own draft validator. An instance the verdict says cannot exist is a
counterexample. The same run counts "breaking" verdicts that no instance showed.

    from lint.oracle import run
    run(seed=1, seconds=30)

``bench/lint_oracle.py`` runs it for longer (the release check).
"""

from __future__ import annotations

import copy
import json
import random
import time
from dataclasses import dataclass, field
from typing import Any

from registry.errors import LimitExceeded
from registry.lint import Policy, diff
from registry.lint.change import collapse
from registry.lint.refs import Document
from registry.lint.samples import Samples
from registry.lint.witness import Judge

DRAFT7 = "http://json-schema.org/draft-07/schema#"
NAMES = ("a", "b", "c", "ab")
PATTERNS = ("^a", "b", "^[a-c]*$", ".*", "^$", "^.{0,2}$")
FORMATS = ("date", "email", "ipv4")
TYPES = ("null", "boolean", "integer", "number", "string", "array", "object")
SCALARS: tuple[Any, ...] = (None, True, False, 0, 1, 2, -1, 3, 1.5, "", "a", "b", "ab", "abc", "2024-01-02")


class Draw:
    """Random schemas and instances from one seeded generator."""

    def __init__(self, rng: random.Random, *, draft7: bool = False) -> None:
        self.rng = rng
        self.draft7 = draft7

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def pick(self, seq: Any) -> Any:
        return self.rng.choice(list(seq))

    def schema(self, depth: int = 0) -> Any:
        if depth > 2 or self.chance(0.08):
            return self.pick([True, False, {}, {"type": self.pick(TYPES)}])
        out: dict[str, Any] = {}
        for _ in range(self.rng.randint(1, 3)):
            keyword, value = self.keyword(depth)
            out[keyword] = value
        return out

    def keyword(self, depth: int) -> tuple[str, Any]:
        r, sub = self.rng, lambda: self.schema(depth + 1)
        choices = [
            ("type", lambda: self.pick(TYPES) if self.chance(0.7) else r.sample(TYPES, r.randint(1, 3))),
            ("enum", lambda: r.sample(SCALARS, r.randint(1, 3))),
            ("const", lambda: self.pick(SCALARS)),
            ("minimum", lambda: r.randint(-1, 3)),
            ("maximum", lambda: r.randint(-1, 3)),
            ("exclusiveMinimum", lambda: r.randint(-1, 3)),
            ("exclusiveMaximum", lambda: r.randint(-1, 3)),
            ("multipleOf", lambda: self.pick([1, 2, 3])),
            ("minLength", lambda: r.randint(0, 3)),
            ("maxLength", lambda: r.randint(0, 3)),
            ("pattern", lambda: self.pick(PATTERNS)),
            ("format", lambda: self.pick(FORMATS)),
            ("properties", lambda: {n: sub() for n in r.sample(NAMES, r.randint(1, 2))}),
            ("patternProperties", lambda: {self.pick(PATTERNS): sub()}),
            ("additionalProperties", sub),
            ("required", lambda: r.sample(NAMES, r.randint(1, 2))),
            ("propertyNames", lambda: {"pattern": self.pick(PATTERNS)} if self.chance(0.5) else sub()),
            ("minProperties", lambda: r.randint(0, 2)),
            ("maxProperties", lambda: r.randint(0, 2)),
            ("minItems", lambda: r.randint(0, 2)),
            ("maxItems", lambda: r.randint(0, 2)),
            ("uniqueItems", lambda: self.chance(0.7)),
            ("contains", sub),
            ("minContains", lambda: r.randint(0, 2)),
            ("maxContains", lambda: r.randint(0, 2)),
            ("allOf", lambda: [sub() for _ in range(r.randint(1, 2))]),
            ("anyOf", lambda: [sub() for _ in range(r.randint(1, 3))]),
            ("oneOf", lambda: [sub() for _ in range(r.randint(1, 3))]),
            ("not", sub),
            ("if", sub),
            ("then", sub),
            ("else", sub),
            ("$ref", lambda: "#/$defs/d" if not self.draft7 else "#/definitions/d"),
        ]
        if self.draft7:
            choices += [
                ("items", lambda: [sub() for _ in range(r.randint(1, 2))] if self.chance(0.5) else sub()),
                ("additionalItems", sub),
                (
                    "dependencies",
                    lambda: {self.pick(NAMES): r.sample(NAMES, 1) if self.chance(0.5) else sub()},
                ),
            ]
        else:
            choices += [
                ("prefixItems", lambda: [sub() for _ in range(r.randint(1, 2))]),
                ("items", sub),
                ("unevaluatedItems", sub),
                ("unevaluatedProperties", sub),
                ("dependentRequired", lambda: {self.pick(NAMES): r.sample(NAMES, 1)}),
                ("dependentSchemas", lambda: {self.pick(NAMES): sub()}),
                ("$dynamicRef", lambda: "#node"),
            ]
        keyword, make = self.pick(choices)
        return keyword, make()

    def document(self) -> dict[str, Any]:
        root = self.schema()
        if not isinstance(root, dict):
            root = {"allOf": [root]}
        defs = "definitions" if self.draft7 else "$defs"
        body = self.schema(1)
        if not self.draft7 and self.chance(0.3):
            body = {**(body if isinstance(body, dict) else {}), "$dynamicAnchor": "node"}
        root[defs] = {"d": body}
        if self.draft7:
            root["$schema"] = DRAFT7
        return _acyclic(root)

    def mutate(self, doc: dict[str, Any]) -> dict[str, Any]:
        """``doc`` changed in one place: a keyword added, removed or given a new value."""
        new = copy.deepcopy(doc)
        places = [n for n in _schemas(new) if isinstance(n, dict)]
        node = self.pick(places)
        editable = [k for k in node if k not in ("$schema", "$defs", "definitions")]
        action = self.rng.random()
        if editable and action < 0.3:
            del node[self.pick(editable)]
        elif editable and action < 0.6:
            keyword = self.pick(editable)
            for _ in range(8):
                kw, value = self.keyword(1)
                if kw == keyword:
                    node[keyword] = value
                    break
            else:
                del node[keyword]
        else:
            keyword, value = self.keyword(1)
            node[keyword] = value
        return _acyclic(new)

    def instance(self, depth: int = 0) -> Any:
        roll = self.rng.random()
        if depth > 1 or roll < 0.55:
            return self.pick(SCALARS)
        if roll < 0.78:
            return [self.instance(depth + 1) for _ in range(self.rng.randint(0, 3))]
        return {n: self.instance(depth + 1) for n in self.rng.sample(NAMES, self.rng.randint(0, 3))}


def _acyclic(doc: dict[str, Any]) -> dict[str, Any]:
    """``doc`` without references inside the definition they name: no loop to validate forever."""
    for defs in ("$defs", "definitions"):
        body = doc.get(defs, {}).get("d")
        for node in _schemas(body):
            node.pop("$ref", None)
            node.pop("$dynamicRef", None)
    return doc


def _schemas(node: Any) -> list[Any]:
    """Every subschema of a document (dicts), the root first."""
    found, stack = [], [node]
    while stack:
        current = stack.pop()
        if not isinstance(current, dict):
            continue
        found.append(current)
        for key, value in current.items():
            if key in ("enum", "const", "required", "dependentRequired", "type"):
                continue
            if isinstance(value, dict):
                if key in (
                    "properties",
                    "patternProperties",
                    "$defs",
                    "definitions",
                    "dependentSchemas",
                    "dependencies",
                ):
                    stack += [v for v in value.values() if isinstance(v, dict)]
                else:
                    stack.append(value)
            elif isinstance(value, list):
                stack += [v for v in value if isinstance(v, dict)]
    return found


def edge_instances(old: Any, new: Any) -> list[Any]:
    """Values built from both schemas' own constants, bounds and property names."""
    found: list[Any] = []
    for doc in (old, new):
        try:
            samples = Samples(Document(doc), deadline=time.perf_counter() + 0.05)
        except LimitExceeded:
            continue
        for node in _schemas(doc)[:40]:
            found += samples.values(node)[:12]
    return found


@dataclass
class Result:
    pairs: int = 0
    compatible_verdicts: int = 0
    breaking_verdicts: int = 0
    unwitnessed_breaks: int = 0  # "breaking" with no instance found that shows it
    refused: int = 0
    counterexamples: list[dict[str, Any]] = field(default_factory=list)


def check_pair(old: Any, new: Any, instances: list[Any], result: Result) -> None:
    try:
        backward, forward = collapse(diff(old, new, policy=Policy.STRICT))
        judge_old, judge_new = Judge(old), Judge(new)
    except LimitExceeded:
        result.refused += 1
        return
    result.pairs += 1
    seen_b = seen_f = False
    for instance in [*instances, *edge_instances(old, new)]:
        a, b = judge_old.accepts(instance), judge_new.accepts(instance)
        if a is None or b is None:
            continue
        if a and not b:
            seen_b = True
            if backward:
                result.counterexamples.append(_example(old, new, instance, "backward"))
                return
        if b and not a:
            seen_f = True
            if forward:
                result.counterexamples.append(_example(old, new, instance, "forward"))
                return
    for verdict, seen in ((backward, seen_b), (forward, seen_f)):
        if verdict:
            result.compatible_verdicts += 1
        else:
            result.breaking_verdicts += 1
            result.unwitnessed_breaks += not seen


def _example(old: Any, new: Any, instance: Any, direction: str) -> dict[str, Any]:
    return {"old": old, "new": new, "instance": instance, "direction": direction}


def run(*, seed: int, seconds: float, pairs: int | None = None) -> Result:
    """Draw and check pairs for ``seconds`` (or ``pairs`` pairs), from ``seed``."""
    rng = random.Random(seed)
    result = Result()
    deadline = time.perf_counter() + seconds
    n = 0
    while time.perf_counter() < deadline and (pairs is None or n < pairs):
        n += 1
        draw = Draw(rng, draft7=rng.random() < 0.2)
        old = draw.document()
        new = draw.mutate(old)
        if rng.random() < 0.5:
            old, new = new, old  # widening and narrowing alike
        instances = [draw.instance() for _ in range(60)]
        check_pair(old, new, instances, result)
    return result


def show(example: dict[str, Any]) -> str:
    return json.dumps(example, sort_keys=True)
