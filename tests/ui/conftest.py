"""The UI's fixtures: a store made from example-store/ plus a hostile contract and capsule and two
more versions of ``ritual.started`` (one compatible, one breaking), served by a real
``registry serve``, and a real headless Chromium driven through Playwright.

The store and the server are built once per module (the browser tests only read); every
process is stopped by its pid at the end.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from ops.served import SECRET, Served, start_serve
from support import EXAMPLE_STORE

from registry.auth.tokens import mint
from registry.gate.published import capsule_id
from registry.git.store import Identity, Store
from registry.trust.sshsig import SigningKey
from registry.write.bootstrap import init_store
from registry.write.publish import ContractInput, Writer, publish_contract

CHROMIUM = Path("/usr/bin/chromium")
#: The longest name a contract may have, to show that layout holds.
LONG_NAME = "hostile." + "very-long-contract-name-" * 4 + "x" * 24
HOSTILE_TEXT = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2"><b>bold?</b>'
HOSTILE_KEY = "<img src=y onerror=window.pwned=3>"
HOSTILE_CAPSULE = "hostile-steps"
HOSTILE_CAPSULE_ID = capsule_id("acme", HOSTILE_CAPSULE)
HIDDEN_CAPSULE_ID = capsule_id("acme", "invoice-reminder")  # PRIVATE, owned by team-finance

HOSTILE_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {
        HOSTILE_KEY: {"type": "string", "description": HOSTILE_TEXT},
        "ritual": {"$ref": "../ritual.started/schema.json#/$defs/trigger"},
    },
}
LONG_STEP = "transform-every-record-of-the-export-into-the-new-shape"
HOSTILE_CAPSULE_YAML = f"""apiVersion: anumate.io/v1alpha1
kind: Capsule
metadata:
  name: {HOSTILE_CAPSULE}
  description: {json.dumps(HOSTILE_TEXT)}
  annotations: {{note: {json.dumps(HOSTILE_TEXT)}}}
spec:
  allowed_tools: [http.request, email.send]
  steps:
    - name: fetch
      tool: http.request
    - name: {LONG_STEP}
      tool: http.request
      depends_on: [fetch]
    - name: notify
      tool: email.send
      depends_on: [fetch, {LONG_STEP}]
"""


def _source(tmp: Path) -> Path:
    """example-store/ plus the hostile contract and capsule."""
    src = tmp / "source"
    shutil.copytree(EXAMPLE_STORE, src)
    contract = src / "contracts" / LONG_NAME
    contract.mkdir()
    contract.joinpath("schema.json").write_text(json.dumps(HOSTILE_SCHEMA, indent=2))
    contract.joinpath("contract.yaml").write_text(
        f"name: {LONG_NAME}\nversion: 1.0.0\ndescription: {json.dumps(HOSTILE_TEXT)}\n"
    )
    capsule = src / "capsules" / "acme" / HOSTILE_CAPSULE
    capsule.mkdir()
    capsule.joinpath("capsule.yaml").write_text(HOSTILE_CAPSULE_YAML)
    capsule.joinpath("meta.yaml").write_text(
        f"id: {HOSTILE_CAPSULE_ID}\ndescription: {json.dumps(HOSTILE_TEXT)}\n"
        f"tags: [{json.dumps('<i>tag</i>')}]\nowner: {json.dumps('<b>owner</b>')}\n"
        "visibility: INTERNAL\nstatus: ACTIVE\n"
    )
    return src


def _ritual_schema(change: str) -> str:
    schema = json.loads((EXAMPLE_STORE / "contracts" / "ritual.started" / "schema.json").read_text())
    schema["properties"]["note"] = {"type": "string"}  # 1.1.0: an optional property, compatible
    if change == "breaking":
        schema["properties"]["runId"] = {"type": "integer", "description": "Id of the run, now a number."}
    return json.dumps(schema, indent=2)


@pytest.fixture(scope="module")
def ui_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The store the UI tests read, made once per module in a hermetic git environment."""
    tmp = tmp_path_factory.mktemp("ui")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("HOME", str(tmp))
        env.setenv("GIT_CONFIG_GLOBAL", os.devnull)
        env.setenv("GIT_CONFIG_NOSYSTEM", "1")
        key = SigningKey.generate()
        key.save(tmp / "key")
        writer = Writer(key, Identity(), author=Identity("Grace Author", "grace@example.org"))
        store, _ = init_store(
            tmp / "store.git", key=key, key_path=tmp / "key", writer=writer, from_dir=_source(tmp)
        )
        for version, change in (("1.1.0", "compatible"), ("2.0.0", "breaking")):
            ritual = EXAMPLE_STORE / "contracts" / "ritual.started"
            item = ContractInput(
                "ritual.started",
                version,
                _ritual_schema(change),
                "A ritual run has started.",
                wit=("ritual.wit", (ritual / "ritual.wit").read_text()),
                descriptor=("descriptor.json", (ritual / "descriptor.json").read_text()),
            )
            publish_contract(store, item, writer=writer, door="cli")
        yield store


@pytest.fixture(scope="module")
def served(ui_store: Store, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """``registry serve`` on the UI store, as a real process on a free port."""
    log = tmp_path_factory.mktemp("ui-log") / "serve.log"
    server = start_serve(Path(ui_store.path), log)
    yield server
    server.stop()


def ui_token(
    *, roles: tuple[str, ...] = ("admin",), tenants: tuple[str, ...] = ("*",), sub: str = "ada"
) -> str:
    return mint(SECRET, sub=sub, scopes=("contracts:read",), roles=roles, tenants=tenants)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Debian's Chromium, headless, through Playwright (no browser download)."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go: ``UI_SCREENSHOTS`` (``docs/ui`` to refresh the README's), else a temp dir."""
    chosen = os.environ.get("UI_SCREENSHOTS")
    path = Path(chosen) if chosen else tmp_path_factory.mktemp("shots")
    path.mkdir(parents=True, exist_ok=True)
    return path
