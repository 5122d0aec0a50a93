"""Git's rules for ref names: a pure rule on strings, so names can be checked as values.

Every contract, capsule, tenant and version becomes part of a tag name; the values check
it here without knowing anything of the store (``registry.git.refs`` re-exports it).
"""

from __future__ import annotations

# Characters git-check-ref-format(1) refuses anywhere in a ref name (rules 4, 5 and 10).
_REF_BAD_CHARS = frozenset(" ~^:?*[\\") | frozenset(chr(c) for c in range(0x20)) | {"\x7f"}


def check_ref_format(name: str, *, allow_onelevel: bool = False) -> str | None:
    """Why git would refuse ``name`` as a ref name, or None when it is valid.

    The rules of git-check-ref-format(1), numbered as there: no component may start
    with '.' or end with '.lock' (1); at least two components unless ``allow_onelevel``
    (2); no '..' (3); no control character, space, '~', '^' or ':' (4); no '?', '*' or
    '[' (5); no leading, trailing or doubled '/' (6); no trailing '.' (7); no '@{' (8);
    not '@' alone (9); no backslash (10). A name git refuses cannot be a tag, so every
    contract, capsule, tenant and version must pass before it is published.
    """
    components = name.split("/")
    if problem := _whole_name_problem(name):
        return problem
    if len(components) < 2 and not allow_onelevel:
        return "it has a single component (a ref is at least 'refs/<name>')"
    return _component_problem(components)


def _whole_name_problem(name: str) -> str | None:
    if not name:
        return "it is empty"
    if name == "@":
        return "it is '@' alone"
    if bad := next((ch for ch in name if ch in _REF_BAD_CHARS), None):
        shown = repr(bad) if bad.isprintable() else f"{ord(bad):#04x}"
        return f"it contains {shown} (git refuses control characters, space and ~ ^ : ? * [ \\)"
    for part, why in (("..", "it contains '..'"), ("@{", "it contains '@{'")):
        if part in name:
            return why
    if name.startswith("/") or name.endswith("/") or "//" in name:
        return "it starts or ends with '/', or has an empty component"
    if name.endswith("."):
        return "it ends with '.'"
    return None


def _component_problem(components: list[str]) -> str | None:
    for component in components:
        which = f"component {component!r}" if len(components) > 1 else "it"
        if component.startswith("."):
            return f"{which} starts with '.'"
        if component.endswith(".lock"):
            return f"{which} ends with '.lock' (git's lock-file suffix)"
    return None
