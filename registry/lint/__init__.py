"""The compatibility linter: a JSON Schema diff engine, compatibility modes and version policy.

``diff`` lists every change between two schemas as findings with a stable kind, a JSON
pointer, the old and new values and their compatibility under BACKWARD and FORWARD.
``check`` decides a mode against a contract's history; ``required_bump`` and
``version_verdict`` say which version the changes need; the ``render_*`` functions turn
the same findings into text, JSON, Markdown, GitHub annotations and changelogs.
"""

from registry.lint.change import Change
from registry.lint.compat import CompatReport, check
from registry.lint.diff import diff
from registry.lint.kinds import ChangeKind
from registry.lint.modes import Mode, Policy
from registry.lint.render import (
    render_changelog,
    render_github,
    render_json,
    render_markdown,
    render_text,
)
from registry.lint.semver_policy import Bump, VersionVerdict, bump_between, required_bump, version_verdict

__all__ = [
    "Bump",
    "Change",
    "ChangeKind",
    "CompatReport",
    "Mode",
    "Policy",
    "VersionVerdict",
    "bump_between",
    "check",
    "diff",
    "render_changelog",
    "render_github",
    "render_json",
    "render_markdown",
    "render_text",
    "required_bump",
    "version_verdict",
]
