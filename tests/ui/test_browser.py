"""The UI in a real headless Chromium against a real ``registry serve``: a reader finds a contract,
reads its history, compares two versions and sees the break with its example, opens a capsule
and its step graph, sees a version verified, and hostile names stay text. The screenshots in
docs/ui/ come from these tests (``UI_SCREENSHOTS=docs/ui``)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from ops.served import Served
from ui.conftest import (
    HIDDEN_CAPSULE_ID,
    HOSTILE_CAPSULE_ID,
    HOSTILE_KEY,
    HOSTILE_TEXT,
    LONG_NAME,
    LONG_STEP,
    ui_token,
)

pytestmark = pytest.mark.git

#: True once the UI has put content newer than ``b`` on the page (a new document starts with none).
READY_SINCE = "b => { const r = document.documentElement.dataset.uiReady; return !!r && r !== b }"
DESKTOP = {"width": 1200, "height": 900}
PHONE = {"width": 375, "height": 740}


class Tab:
    """One browser tab on the UI, with what it was told (dialogs, console errors)."""

    def __init__(self, page: Any, base: str) -> None:
        self.page = page
        self.base = base
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.requests: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)

    def ready(self) -> str:
        return str(self.page.evaluate("document.documentElement.getAttribute('data-ui-ready') || ''"))

    def settle(self, before: str) -> None:
        """Wait until the UI has rendered content newer than ``before``."""
        self.page.wait_for_function(READY_SINCE, arg=before)

    def open(self, path: str, token: str | None = None) -> None:
        before = self.ready()
        self.page.goto(f"{self.base}/ui/{path}" + (f"#token={token}" if token else ""))
        self.settle(before)

    def click(self, selector: str) -> None:
        before = self.ready()
        self.page.click(selector)
        self.settle(before)

    def main_text(self) -> str:
        return str(self.page.inner_text("#main"))

    def no_horizontal_scroll(self) -> bool:
        return bool(self.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))

    def shot(self, where: Path, name: str) -> None:
        self.page.screenshot(path=str(where / name), full_page=True)


@pytest.fixture
def tab(browser: Any, served: Served) -> Iterator[Tab]:
    context = browser.new_context(viewport=DESKTOP)
    context.set_default_timeout(10_000)
    yield Tab(context.new_page(), served.url)
    context.close()


@pytest.fixture
def phone(browser: Any, served: Served) -> Iterator[Tab]:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(10_000)
    yield Tab(context.new_page(), served.url)
    context.close()


def test_a_reader_signs_in_with_the_form_and_the_token_never_reaches_the_log(
    tab: Tab, served: Served
) -> None:
    token = ui_token()
    tab.page.goto(f"{served.url}/ui/")
    tab.page.wait_for_selector("#login:not([hidden])")
    tab.page.fill("#token", token)
    before = tab.ready()
    tab.page.click("#login-form button")
    tab.settle(before)
    assert "ritual.started" in tab.main_text()
    assert tab.page.evaluate("sessionStorage.getItem('registry.token')") == token
    # The #token= way: the fragment is gone from the address bar once read.
    tab.open("contracts", token)
    assert "#token" not in tab.page.url
    deadline = time.monotonic() + 10
    while '"path":"/ui/f/contracts"' not in served.log_path.read_text() and time.monotonic() < deadline:
        time.sleep(0.05)  # the log is written beside the answer, not before it
    log = served.log_path.read_text()
    assert '"path":"/ui/f/contracts"' in log  # the requests were logged, without the token
    assert token not in log and token.split(".")[2] not in log


def test_a_bad_token_is_refused_and_the_form_says_why(tab: Tab) -> None:
    tab.page.goto(f"{tab.base}/ui/#token=not-a-token")
    tab.page.wait_for_selector("#login:not([hidden])")
    assert tab.page.inner_text("#login-reason") != ""
    assert tab.page.evaluate("sessionStorage.getItem('registry.token')") is None


def test_search_finds_a_contract_and_its_page_shows_its_history(tab: Tab, shots: Path) -> None:
    tab.open("", ui_token())
    tab.shot(shots, "contracts.png")
    tab.page.fill("#q", "ritual")
    before = tab.ready()
    tab.page.press("#q", "Enter")  # the keyboard submits the search
    tab.settle(before)
    assert "?q=ritual" in tab.page.url
    assert tab.page.inner_text("#count").startswith("1 of")
    # Keyboard: focus the contract's link and press Enter; focus lands on the page's heading.
    tab.page.focus("a.name[href='/ui/contracts/ritual.started']")
    before = tab.ready()
    tab.page.keyboard.press("Enter")
    tab.settle(before)
    assert tab.page.evaluate("document.activeElement.tagName") == "H1"
    text = tab.main_text()
    assert "ritual.started" in tab.page.inner_text("h1")
    for version in ("1.0.0", "1.1.0", "2.0.0"):
        assert version in tab.page.inner_text("table.versions")
    assert "Grace Author" in tab.page.inner_text("table.versions")
    assert tab.page.locator("table.versions .ok").count() == 3  # every version's signature verified
    assert "interface" in text or "WIT" in text
    assert "Changelog" in text and "breaking" in tab.page.inner_text("#changelog-h ~ .entry >> nth=0")
    # A local $ref is a link to the place it names on the page.
    href = tab.page.get_attribute("pre.schema a.ref", "href")
    assert href is not None and href.startswith("#s-")
    assert tab.page.locator(f"pre.schema [id='{href[1:]}']").count() == 1
    tab.shot(shots, "contract.png")
    # Nothing came from anywhere but the registry itself.
    assert tab.requests and all(u.startswith(tab.base + "/ui/") for u in tab.requests)


def test_comparing_two_versions_shows_the_break_with_its_example(tab: Tab, shots: Path) -> None:
    tab.open("contracts/ritual.started", ui_token())
    tab.page.select_option("#old", "1.1.0")
    tab.page.select_option("#new", "2.0.0")
    tab.click("form.compare button")
    assert "old=1.1.0" in tab.page.url and "new=2.0.0" in tab.page.url
    breaking = tab.page.locator(".finding.breaking:has(pre.example)").first
    assert "/properties/runId" in breaking.locator("code.pointer").inner_text()
    assert breaking.locator("code.kind").inner_text() == "pattern_removed"
    assert breaking.locator(".bump").inner_text() == "needs a major bump"
    example = breaking.locator("pre.example").inner_text()
    assert '"runId": 0' in example  # a number is now a valid runId, which version 1.1.0 rejects
    assert "now valid and the old schema rejects it" in breaking.inner_text()
    assert tab.page.locator(".finding.breaking code.kind").all_inner_texts().count("type_changed") == 1
    assert tab.page.inner_text("#bump") == "major"
    assert "✓" in tab.page.inner_text("#step")  # 1.1.0 → 2.0.0 is the major bump it needed
    assert tab.page.locator("table.diff td.del").count() >= 1
    assert tab.page.locator("table.diff td.ins").count() >= 1
    tab.shot(shots, "compare.png")
    # The other way round is no later version: no verdict on the step, the findings stand.
    tab.page.select_option("#old", "2.0.0")
    tab.page.select_option("#new", "1.0.0")
    tab.click("form.compare button")
    assert tab.page.locator("#step").count() == 0
    assert tab.page.locator(".finding").count() >= 1


def test_a_version_page_says_it_verifies_and_how_to_check_it_with_git(tab: Tab, shots: Path) -> None:
    tab.open("contracts/ritual.started/versions/1.1.0", ui_token())
    assert "✓ verified" in tab.page.inner_text("#verify-result")
    assert "signed by registry" in tab.page.inner_text("#verify-result")
    commands = tab.page.inner_text("#git-commands")
    assert "verify-tag contracts/ritual.started/1.1.0" in commands
    assert 'registry namespaces="git" ssh-ed25519 ' in commands
    tab.shot(shots, "version.png")


def test_a_capsule_page_draws_its_steps_and_verifies(tab: Tab, shots: Path) -> None:
    tab.open("capsules", ui_token())
    assert "Tenant acme" in tab.main_text() and "Tenant globex" in tab.main_text()
    tab.click("a.name:text('onboard-customer')")
    graph = tab.page.locator("svg#step-graph")
    assert graph.locator("g.node").count() == 3
    assert graph.locator("path.edge").count() == 3  # provision after create-contact, welcome after both
    labels = graph.locator("g.node text.step").all_text_contents()
    assert labels == ["create-contact", "provision", "welcome"]
    xs = [float(graph.locator("g.node").nth(i).bounding_box()["x"]) for i in range(3)]
    assert xs[0] < xs[1] < xs[2]  # each step right of what it depends on
    assert "✓ verified" in tab.page.inner_text("#verify-result")
    assert "verify-tag capsules/acme/onboard-customer/1" in tab.page.inner_text("#git-commands")
    tab.shot(shots, "capsule.png")


def test_a_viewer_sees_only_their_tenant_and_no_private_capsule(tab: Tab) -> None:
    token = ui_token(roles=("viewer",), tenants=("acme",), sub="someone")
    tab.open("capsules", token)
    text = tab.main_text()
    assert "Tenant acme" in text and "onboard-customer" in text
    assert "globex" not in text and "invoice-reminder" not in text
    tab.open(f"capsules/{HIDDEN_CAPSULE_ID}")
    assert tab.page.inner_text("h1") == "Not found"
    tab.open("capsules?tenant=globex")
    assert tab.page.inner_text("h1") == "Not allowed"


def test_hostile_names_and_descriptions_render_as_text(tab: Tab, shots: Path) -> None:
    tab.open(f"contracts?q={quote('hostile')}", ui_token())
    assert HOSTILE_TEXT in tab.main_text()
    tab.click("a.name")
    assert tab.page.inner_text("h1") == LONG_NAME
    assert HOSTILE_TEXT in tab.page.inner_text(".lead")
    assert HOSTILE_KEY in tab.page.inner_text("pre.schema")
    # The $ref to another contract links to its page.
    assert tab.page.get_attribute("pre.schema a.ref", "href") == "/ui/contracts/ritual.started"
    tab.open(f"capsules/{HOSTILE_CAPSULE_ID}")
    assert HOSTILE_TEXT in tab.page.inner_text(".lead")
    assert LONG_STEP in tab.page.inner_text("ul.steps")  # the graph cuts it, the list does not
    assert "<script>window.pwned = 1</script>" in tab.page.inner_text("pre.code >> nth=-1")  # the document
    assert "<b>owner</b>" in tab.main_text()
    assert tab.page.locator("#main script, #main img, #main b, #main i").count() == 0
    assert tab.page.evaluate("window.pwned === undefined")
    assert tab.dialogs == []
    tab.shot(shots, "hostile.png")


def test_at_phone_width_long_names_wrap_and_nothing_scrolls_sideways(phone: Tab, shots: Path) -> None:
    phone.open(f"contracts/{LONG_NAME}", ui_token())
    assert phone.no_horizontal_scroll()
    phone.open("contracts")
    assert phone.no_horizontal_scroll()
    phone.shot(shots, "phone-contracts.png")
    phone.open(f"capsules/{HOSTILE_CAPSULE_ID}")
    assert phone.no_horizontal_scroll()  # the graph scrolls inside its own region


def test_the_health_page_shows_the_index_and_the_store(tab: Tab, shots: Path) -> None:
    tab.open("health", ui_token())
    assert "ready" in tab.page.inner_text(".lead")
    assert tab.page.inner_text("#untagged").startswith("0")
    assert "s" in tab.page.inner_text("#index-age")
    assert "not configured" in tab.page.inner_text("#pending-events")
    tab.shot(shots, "health.png")


def test_back_and_forward_show_the_page_in_the_address_bar(tab: Tab) -> None:
    tab.open("contracts", ui_token())
    tab.click("a.name[href='/ui/contracts/approval.granted']")
    before = tab.ready()
    tab.page.go_back()
    tab.settle(before)
    assert tab.page.inner_text("h1") == "Contracts"
    assert tab.errors == []
