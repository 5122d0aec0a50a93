"""The gate's rules for one capsule: valid documents, its stable id, and the next version number."""

from __future__ import annotations

from registry.digest import capsule_content_hash
from registry.gate.published import NewVersion, capsule_id
from registry.gate.verdict import CapsuleChange, Context
from registry.paths import CAPSULE_DOC, CAPSULE_META, capsule_dir, in_dir
from registry.problems import Code
from registry.validate import read_capsule


def judge_capsule(ctx: Context, tenant_id: str, name: str) -> None:
    where = capsule_dir(tenant_id, name)
    published = ctx.accepted.capsule(tenant_id, name)
    if not ctx.new.is_dir(where):
        if published:
            ctx.problem(
                Code.CAPSULE_DELETED,
                f"published capsules are never deleted ({len(published)} version(s) exist); "
                "set 'status: DELETED' in meta.yaml for a soft delete",
                where,
            )
        ctx.capsules.append(CapsuleChange(tenant_id, name, None, None, deleted=True))
        return
    doc, problems = read_capsule(tenant_id, name, ctx.new.files(where), limits=ctx.policy.limits)
    ctx.problems.extend(problems)
    if doc is None:
        return
    expected_id = capsule_id(tenant_id, name)
    if doc.meta.get("id") not in (None, expected_id):
        ctx.problem(
            Code.CAPSULE_ID,
            f"meta.yaml id must be {expected_id} (derived from tenant and name), or left out",
            in_dir(where, CAPSULE_META),
            "$.id",
        )
    content_hash = capsule_content_hash(doc.document)
    earlier = {p.digest: int(p.version) for p in published}
    latest = published[-1] if published else None
    if latest is not None and latest.digest == content_hash:
        ctx.capsules.append(CapsuleChange(tenant_id, name, None, content_hash))
        return
    if content_hash in earlier:
        ctx.problem(
            Code.CAPSULE_CONTENT_PUBLISHED,
            f"Content already published as version {earlier[content_hash]}; change the capsule "
            "or leave it as it is",
            in_dir(where, CAPSULE_DOC),
        )
        ctx.capsules.append(
            CapsuleChange(tenant_id, name, None, content_hash, duplicate_of=earlier[content_hash])
        )
        return
    number = (int(latest.version) if latest else 0) + 1
    ctx.capsules.append(CapsuleChange(tenant_id, name, number, content_hash))
    ctx.versions.append(NewVersion("capsule", where, str(number), content_hash))
