"""Bounds that move: a lower bound raised or an upper bound lowered narrows, else widens."""

from __future__ import annotations

from typing import Any

from registry.lint.kinds import ChangeKind
from registry.lint.pair import Pair

Bound = tuple[float, bool]  # (value, exclusive)


def number(value: Any) -> float | int | None:
    """A JSON number keyword's value, or None when it is absent or not a number (true is not 1)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value


def stricter_lower(a: Bound, b: Bound) -> bool:
    """Whether lower bound ``a`` admits strictly less than ``b``."""
    return a[0] > b[0] or (a[0] == b[0] and a[1] and not b[1])


def stricter_upper(a: Bound, b: Bound) -> bool:
    return a[0] < b[0] or (a[0] == b[0] and a[1] and not b[1])


def compare_bound(
    pair: Pair,
    *,
    name: str,
    keyword: str,
    old: Bound | None,
    new: Bound | None,
    lower: bool,
    family: str,
    old_raw: Any = None,
    new_raw: Any = None,
) -> None:
    """Report one moved bound; ``None`` means there is none (the widest possible)."""
    if old == new:
        return
    if old is None:
        tightened, how = True, f"added ({_show(new)})"
    elif new is None:
        tightened, how = False, f"removed (was {_show(old)})"
    else:
        stricter = stricter_lower if lower else stricter_upper
        if stricter(new, old):
            tightened = True
        elif stricter(old, new):
            tightened = False
        else:
            return
        verb = ("raised" if lower else "lowered") if tightened else ("lowered" if lower else "raised")
        how = f"{verb} from {_show(old)} to {_show(new)}"
    kind = ChangeKind[f"{family}_{'TIGHTENED' if tightened else 'LOOSENED'}"]
    pair.emit(
        kind,
        pair.at(keyword),
        old_raw if old_raw is not None else (old[0] if old else None),
        new_raw if new_raw is not None else (new[0] if new else None),
        f"{pair.subject} {name} {how}",
    )


def _show(bound: Bound | None) -> str:
    if bound is None:
        return "none"
    value = bound[0]
    text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    return f"{text} (exclusive)" if bound[1] else text


def simple(pair: Pair, keyword: str, family: str, *, lower: bool, default: float | None = None) -> None:
    """A plain inclusive bound keyword such as ``minLength`` (absent = ``default``)."""
    old = number(pair.old.get(keyword, default))
    new = number(pair.new.get(keyword, default))
    if lower:
        # A lower bound of 0 bounds nothing; an absent one means ``default``, which for
        # ``minContains`` is 1, so 0 → absent tightens.
        old = None if old == 0 else old
        new = None if new == 0 else new
    compare_bound(
        pair,
        name=keyword,
        keyword=keyword,
        old=None if old is None else (old, False),
        new=None if new is None else (new, False),
        lower=lower,
        family=family,
    )
