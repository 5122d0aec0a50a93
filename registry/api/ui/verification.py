"""Whether a version verifies, as ``registry verify`` decides it, and the stock ``git`` commands
that let a reader check the same thing offline without trusting this server.

A result depends on the tag (which never changes) and on the signers ``registry.yaml`` lists
on ``main``, so it is kept per tag and head of ``main``.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

from registry.audit.verify import verify_store
from registry.gate.policy import StorePolicy
from registry.git.store import Store
from registry.trust.sshsig import PublicKey, allowed_signers_line

#: Results kept at most (a crawl of every version cannot grow the cache without bound).
MAX_KEPT = 4096


@dataclass(frozen=True)
class Verified:
    ok: bool
    message: str  # "signed by registry, digest …" or why not


class Verifications:
    """Verification results of version tags, computed once per tag and head of ``main``."""

    def __init__(self) -> None:
        self._kept: OrderedDict[tuple[str, str | None], Verified] = OrderedDict()
        self._lock = threading.Lock()

    def of(self, store: Store, tag_ref: str, tag_id: str, head: str | None) -> Verified:
        key = (tag_id, head)
        with self._lock:
            if key in self._kept:
                self._kept.move_to_end(key)
                return self._kept[key]
        finding = verify_store(store, only=tag_ref)[0]
        result = Verified(finding.ok, finding.message)
        with self._lock:
            self._kept[key] = result
            while len(self._kept) > MAX_KEPT:
                self._kept.popitem(last=False)
        return result


def offline_commands(policy: StorePolicy, tag_name: str) -> str:
    """Shell lines that check ``tag_name``'s signature with stock git, from a clone of the store.

    The allowed signers are those ``registry.yaml`` lists on ``main``; ``git verify-tag``
    checks the tag's SSH signature, ``git cat-file`` shows the digest the tag records.
    """
    lines = [
        allowed_signers_line(principal, PublicKey(raw))
        for raw, principal in sorted(policy.allowed_keys().items())
    ]
    return "\n".join(
        [
            "git clone --mirror STORE-URL store.git",
            "cat > allowed_signers <<'EOF'",
            *lines,
            "EOF",
            f'git -C store.git -c gpg.ssh.allowedSignersFile="$PWD/allowed_signers" verify-tag {tag_name}',
            f"git -C store.git cat-file tag {tag_name}",
        ]
    )
