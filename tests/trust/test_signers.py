"""Who may change what: `Signer.may_write` for every role against every kind of store path."""

from __future__ import annotations

import pytest

from registry.trust.signers import Signer
from registry.trust.sshsig import SigningKey

KEY = SigningKey.generate().public

CONTRACT = "contracts/ritual.started/schema.json"
OWN = "capsules/acme/invoice-reminder/capsule.yaml"
OTHER = "capsules/globex/weekly-report/capsule.yaml"
LOOKALIKE = "capsules/acme-corp/invoice-reminder/capsule.yaml"  # a tenant whose name starts like acme
POLICY = "registry.yaml"
README = "README.md"
DOCS = "docs/guide.md"
SNEAKY = "contractsx/evil.json"  # starts with "contracts", not with "contracts/"
PATHS = (CONTRACT, OWN, OTHER, LOOKALIKE, POLICY, README, DOCS, SNEAKY)

# role(s), tenants, and the paths that signer may change; every other path of PATHS is refused.
TABLE = [
    (("admin",), ("acme",), set(PATHS)),
    (("admin",), ("*",), set(PATHS)),
    (("editor",), ("acme",), {CONTRACT, OWN}),
    (("editor",), ("acme", "globex"), {CONTRACT, OWN, OTHER}),
    (("editor",), ("*",), {CONTRACT, OWN, OTHER, LOOKALIKE}),
    (("viewer",), ("acme",), set()),
    (("viewer",), ("*",), set()),
    (("viewer", "editor"), ("acme",), {CONTRACT, OWN}),
    ((), ("*",), set()),
]


@pytest.mark.parametrize(
    ("roles", "tenants", "allowed"), TABLE, ids=lambda v: ",".join(v) if isinstance(v, tuple) else None
)
@pytest.mark.parametrize("path", PATHS)
def test_may_write(roles: tuple[str, ...], tenants: tuple[str, ...], allowed: set[str], path: str) -> None:
    signer = Signer("someone", KEY, roles=roles, tenants=tenants)
    assert signer.may_write(path) is (path in allowed)
