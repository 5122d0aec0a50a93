"""A capsule's steps laid out as a graph of ``depends_on``, drawn as SVG on the server.

Steps go left to right in layers: a step's layer is one more than the deepest step it
depends on, so every arrow points right. The gate already refused cycles and unknown
steps; a document that slipped past it still draws (a dependency on an unknown step is
left out, a cycle is cut where it closes) rather than failing the page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

NODE_W, NODE_H = 180, 44
GAP_X, GAP_Y = 56, 20
MARGIN = 8
#: Labels longer than this are cut with an ellipsis; the full name is in the node's title.
LABEL_CHARS = 22


@dataclass(frozen=True)
class Node:
    name: str
    tool: str
    layer: int
    row: int

    @property
    def x(self) -> int:
        return MARGIN + self.layer * (NODE_W + GAP_X)

    @property
    def y(self) -> int:
        return MARGIN + self.row * (NODE_H + GAP_Y)

    @property
    def label(self) -> str:
        return _cut(self.name)

    @property
    def tool_label(self) -> str:
        return _cut(self.tool)


@dataclass(frozen=True)
class Edge:
    source: Node
    target: Node

    @property
    def path(self) -> str:
        """A curve from the right middle of ``source`` to the left middle of ``target``."""
        x1, y1 = self.source.x + NODE_W, self.source.y + NODE_H // 2
        x2, y2 = self.target.x - 6, self.target.y + NODE_H // 2
        mid = (x1 + x2) // 2
        return f"M{x1},{y1} C{mid},{y1} {mid},{y2} {x2},{y2}"


@dataclass(frozen=True)
class Graph:
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]

    @property
    def width(self) -> int:
        layers = max((n.layer for n in self.nodes), default=0) + 1
        return 2 * MARGIN + layers * NODE_W + (layers - 1) * GAP_X

    @property
    def height(self) -> int:
        rows = max((n.row for n in self.nodes), default=0) + 1
        return 2 * MARGIN + rows * NODE_H + (rows - 1) * GAP_Y


def _cut(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def _steps(document: Mapping[str, Any]) -> list[tuple[str, str, list[str]]]:
    spec = document.get("spec")
    steps = spec.get("steps") if isinstance(spec, Mapping) else None
    found: list[tuple[str, str, list[str]]] = []
    for step in steps if isinstance(steps, Sequence) and not isinstance(steps, str) else []:
        if isinstance(step, Mapping) and isinstance(step.get("name"), str):
            deps = step.get("depends_on")
            names = [d for d in deps if isinstance(d, str)] if isinstance(deps, list) else []
            found.append((step["name"], str(step.get("tool", "")), names))
    return found


def step_graph(document: Mapping[str, Any]) -> Graph:
    """The layered graph of a Capsule document's steps."""
    steps = _steps(document)
    deps = {name: [d for d in ds if d != name] for name, _, ds in steps}
    layer = _layers(deps)
    rows: dict[int, int] = {}
    nodes: dict[str, Node] = {}
    for name, tool, _ in steps:
        if name in nodes:
            continue
        at = layer[name]
        nodes[name] = Node(name, tool, at, rows.get(at, 0))
        rows[at] = rows.get(at, 0) + 1
    edges = [
        Edge(nodes[d], nodes[name])
        for name, _, ds in steps
        for d in dict.fromkeys(ds)
        if d in nodes and d != name and nodes[d].layer < nodes[name].layer
    ]
    return Graph(tuple(nodes.values()), tuple(edges))


def _layers(deps: Mapping[str, list[str]]) -> dict[str, int]:
    """Each step's layer, in topological order (Kahn); steps on a cycle go after what they can."""
    users: dict[str, list[str]] = {name: [] for name in deps}
    waiting = {name: 0 for name in deps}
    for name, ds in deps.items():
        for d in dict.fromkeys(ds):
            if d in deps:
                users[d].append(name)
                waiting[name] += 1
    layer = dict.fromkeys(deps, 0)
    ready = [name for name, n in waiting.items() if n == 0]
    while ready:
        name = ready.pop()
        for user in users[name]:
            layer[user] = max(layer[user], layer[name] + 1)
            waiting[user] -= 1
            if waiting[user] == 0:
                ready.append(user)
    return layer
