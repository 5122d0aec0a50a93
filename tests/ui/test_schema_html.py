"""A schema as HTML: escaped everywhere, local $refs to anchors, other contracts' to their pages,
and nothing else a link."""

from __future__ import annotations

import json

from registry.api.ui.schema_html import anchor_id, render_schema


def link(name: str) -> str | None:
    return f"/ui/contracts/{name}" if name == "known" else None


def test_keys_and_values_are_escaped() -> None:
    doc = {"properties": {"<img src=x onerror=alert(1)>": {"description": "</pre><script>x()</script>"}}}
    out = str(render_schema(doc, contract_link=link))
    assert "<img" not in out and "<script" not in out and "</pre>" not in out
    assert "&lt;img src=x onerror=alert(1)&gt;" in out


def test_a_local_ref_links_to_its_target_on_the_page() -> None:
    doc = {"properties": {"a": {"$ref": "#/$defs/x~1y"}}, "$defs": {"x/y": {"type": "string"}}}
    out = str(render_schema(doc, contract_link=link))
    target = anchor_id("/$defs/x~1y")
    assert f'href="#{target}"' in out and f'id="{target}"' in out


def test_a_ref_to_another_contract_links_to_its_page_only_when_it_exists() -> None:
    doc = {"allOf": [{"$ref": "../known/schema.json#/$defs/a"}, {"$ref": "../unknown/schema.json"}]}
    out = str(render_schema(doc, contract_link=link))
    assert out.count("<a ") == 1 and 'href="/ui/contracts/known"' in out


def test_other_refs_stay_text() -> None:
    for ref in (
        "javascript:alert(1)",
        "https://evil.example/x.json",
        "#/missing",
        "#anchor",
        "../a/../b/schema.json",
    ):
        out = str(render_schema({"$ref": ref}, contract_link=lambda name: f"/ui/contracts/{name}"))
        assert "<a " not in out, ref


def test_the_text_is_the_json_itself() -> None:
    doc = {"type": "object", "required": ["a"], "properties": {"a": {"enum": [1, None, True, "é"]}}, "x": {}}
    out = str(render_schema(doc, contract_link=link))
    text = out.replace('<span class="k">', "").replace('<span class="s">', "").replace("</span>", "")
    assert json.loads(text.replace("&#34;", '"')) == doc
