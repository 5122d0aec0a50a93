"""Instruments for the doors: publishes, landings, gate runs and index refreshes.

The domain reports what happened through its own seams (a ``Landing`` for every version
that came into being, a refusal's ``problems``, a new ``IndexSnapshot``); the doors hand
those to the functions here, which turn them into metrics and spans. The domain never
imports this module.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterable, Iterator
from typing import Any

from registry.errors import RegistryError
from registry.index.snapshot import IndexSnapshot
from registry.ops import tracing
from registry.ops.metrics import metrics
from registry.problems import Problem
from registry.write.landing import Landing

PUBLISHED, REFUSED, FAILED = "published", "refused", "failed"
ACCEPTED = "accepted"


def count_refusal(door: str, error: RegistryError) -> None:
    """Count a refusal once per rule it broke (each error problem's code, else the error's)."""
    m = metrics()
    rules = {str(p.code) for p in error.problems if p.severity == "error"} or {str(error.code)}
    for rule in sorted(rules):
        m.refusals.labels(door, rule).inc()


@contextlib.contextmanager
def observe_publish(door: str) -> Iterator[None]:
    """Around one write through ``publish()`` at a door: its outcome, time and span.

    A ``RegistryError`` is a refusal (counted by rule); anything else is a failure.
    The exception goes on to the door's own handler unchanged.
    """
    m = metrics()
    started = time.perf_counter()
    with tracing.span("publish", {"registry.door": door}) as span:
        try:
            yield
        except RegistryError as exc:
            m.publishes.labels(door, REFUSED).inc()
            count_refusal(door, exc)
            tracing.set_attributes(span, {"registry.outcome": REFUSED, "registry.code": str(exc.code)})
            raise
        except BaseException as exc:
            m.publishes.labels(door, FAILED).inc()
            tracing.set_error(span, type(exc).__name__)
            raise
        else:
            m.publishes.labels(door, PUBLISHED).inc()
            tracing.set_attributes(span, {"registry.outcome": PUBLISHED})
        finally:
            m.publish_latency.labels(door).observe(time.perf_counter() - started)


def count_landing(landing: Landing) -> None:
    """An ``on_landed`` listener: count the versions that came into being, by door and kind."""
    m = metrics()
    for v in landing.versions:
        m.landed.labels(landing.door, v.version.kind).inc()


class GateRun:
    """What one gate run at a door decided: the door hands it the decision and the exit code."""

    def __init__(self) -> None:
        self.decision: Any = None  # registry.hooks.receive.PushDecision, when one was reached
        self.exit: int | None = None

    def decided(self, decision: Any) -> None:
        self.decision = decision


@contextlib.contextmanager
def observe_gate(door: str) -> Iterator[GateRun]:
    """Around one push's ``pre-receive``: the gate's time and verdict, refusals by rule, and
    the push counted as a publish (published when it moves ``main``, refused when refused)."""
    run = GateRun()
    started = time.perf_counter()
    with tracing.span("gate", {"registry.door": door}) as span:
        yield run
        elapsed = time.perf_counter() - started
        decision = run.decision
        refused = decision.refused if decision is not None else run.exit != 0
        m = metrics()
        m.gate_latency.labels(door, REFUSED if refused else ACCEPTED).observe(elapsed)
        tracing.set_attributes(span, {"registry.verdict": REFUSED if refused else ACCEPTED})
        if refused:
            m.publishes.labels(door, REFUSED).inc()
            problems: Iterable[Problem] = decision.problems if decision is not None else ()
            rules = {str(p.code) for p in problems if p.severity == "error"}
            for proposal in decision.proposals.values() if decision is not None else ():
                rules |= {str(p.code) for p in proposal.blockers}
            for rule in sorted(rules or {"gate.failed"}):
                m.refusals.labels(door, rule).inc()
        elif run.exit == 0 and decision is not None and decision.verdicts:  # main moves (no dry run)
            m.publishes.labels(door, PUBLISHED).inc()


def observe_snapshot(snapshot: IndexSnapshot) -> None:
    """A new index snapshot: the versions it holds by kind, and when it was built."""
    m = metrics()
    m.versions.labels("contract").set(sum(len(c.versions) for c in snapshot.contracts.values()))
    m.versions.labels("capsule").set(sum(len(c.versions) for c in snapshot.capsules.values()))
    m.last_refresh.set(snapshot.built_at or time.time())


@contextlib.contextmanager
def observe_refresh(kind: str = "refresh") -> Iterator[None]:
    """Around one index build or refresh: its time and span."""
    started = time.perf_counter()
    with tracing.span(f"index.{kind}"):
        try:
            yield
        finally:
            metrics().refresh_latency.observe(time.perf_counter() - started)
