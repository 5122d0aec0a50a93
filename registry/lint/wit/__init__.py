"""The WIT linter: a diff engine on resolved WIT packages, with verdicts for importers and exporters.

``compare_wit`` lists every change between two sets of WIT files as findings shaped like the
JSON Schema engine's; ``with_wit`` folds them into a contract's compatibility report, so the
gate, ``registry lint compare``, ``registry review``, the changelog and the API judge a
contract's interface with its schema.
"""

from registry.lint.wit.change import WitChange
from registry.lint.wit.compat import WitFiles, compare_wit, wit_files, with_wit
from registry.lint.wit.kinds import WIT_RULES, WitKind
from registry.lint.wit.resolve import WitUnresolved

__all__ = [
    "WIT_RULES",
    "WitChange",
    "WitFiles",
    "WitKind",
    "WitUnresolved",
    "compare_wit",
    "wit_files",
    "with_wit",
]
