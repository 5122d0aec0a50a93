"""The step graph: layers follow depends_on, every arrow points right, and a broken document still draws."""

from __future__ import annotations

from typing import Any

from registry.api.ui.graph import LABEL_CHARS, step_graph


def doc(*steps: dict[str, Any]) -> dict[str, Any]:
    return {"spec": {"steps": list(steps)}}


def test_each_step_sits_right_of_every_step_it_depends_on() -> None:
    graph = step_graph(
        doc(
            {"name": "a", "tool": "t"},
            {"name": "b", "tool": "t", "depends_on": ["a"]},
            {"name": "c", "tool": "t", "depends_on": ["a", "b"]},
            {"name": "d", "tool": "t"},
        )
    )
    layer = {n.name: n.layer for n in graph.nodes}
    assert layer == {"a": 0, "b": 1, "c": 2, "d": 0}
    assert {(e.source.name, e.target.name) for e in graph.edges} == {("a", "b"), ("a", "c"), ("b", "c")}
    assert all(e.source.x < e.target.x for e in graph.edges)
    rows = {(n.layer, n.row) for n in graph.nodes}
    assert len(rows) == len(graph.nodes)  # no two nodes on the same spot
    assert graph.width > 2 * graph.nodes[0].x and graph.height > 0


def test_unknown_steps_self_loops_and_cycles_do_not_break_the_drawing() -> None:
    graph = step_graph(
        doc(
            {"name": "a", "depends_on": ["ghost", "a"]},
            {"name": "b", "depends_on": ["c"]},
            {"name": "c", "depends_on": ["b"]},
            "not a step",
            {"tool": "no name"},
        )
    )
    assert [n.name for n in graph.nodes] == ["a", "b", "c"]
    assert all(e.source.layer < e.target.layer for e in graph.edges)


def test_a_long_chain_lays_out_without_recursion() -> None:
    steps = [{"name": "s0"}] + [{"name": f"s{i}", "depends_on": [f"s{i - 1}"]} for i in range(1, 3000)]
    graph = step_graph(doc(*steps))
    assert max(n.layer for n in graph.nodes) == 2999


def test_long_names_are_cut_in_the_drawing_only() -> None:
    name = "x" * 100
    (node,) = step_graph(doc({"name": name, "tool": "y" * 50})).nodes
    assert node.name == name
    assert len(node.label) == LABEL_CHARS and node.label.endswith("…")


def test_a_document_without_steps_has_an_empty_graph() -> None:
    assert step_graph({}).nodes == ()
    assert step_graph({"spec": {"steps": "nope"}}).nodes == ()
