"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Every page a test visits goes through `journey.check(step)`: a full-page screenshot in
tests/e2e/screenshots/ and an axe-core run that fails the test on any serious or critical violation.
A page the test navigated to but never checked fails the test too, so no page escapes the audit.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect, sync_playwright

# Playwright's sync API runs an event loop in the test thread, and Django refuses ORM calls from a thread
# with a running loop (factories, reading the outbox) unless told this is safe: nothing else runs in it.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

SCREENSHOTS = Path(__file__).parent / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
FAILING_IMPACTS = {"serious", "critical"}


@pytest.fixture
def browser() -> Iterator[Browser]:
    # One Playwright per test, not per session: while its event loop runs in this thread, asgiref hands out
    # other database connection objects, and the tests after it that restore the database from its
    # serialized copy (serialized_rollback) would silently find none.
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def axe() -> Axe:
    return Axe()


def _describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"]:
            why = "; ".join(line.strip() for line in node.get("failureSummary", "").splitlines() if line.strip())
            lines.append(f"    at {', '.join(map(str, node['target']))}: {why}")
    return "\n".join(lines)


class Journey:
    """One browser tab on the live server that screenshots and audits each page it lands on."""

    def __init__(self, page: Page, axe: Axe, name: str) -> None:
        self.page = page
        self.axe = axe
        self.name = name
        self.steps = 0
        self.unchecked: list[str] = []  # pages navigated to and not yet checked
        self.missed: list[str] = []  # pages left for another one without a check
        self.minor_findings: list[str] = []
        page.on("framenavigated", self._navigated)

    def _navigated(self, frame) -> None:
        if frame != self.page.main_frame or frame.url == "about:blank":
            return
        self.missed.extend(self.unchecked)
        self.unchecked = [frame.url]

    def sign_in(self, user, *, password: str = "correct-horse-battery") -> None:
        """Sign in on the login page (the factories' password) and land on the dashboard, checking both."""
        self.page.goto("/accounts/login/")
        self.check("login")
        self.page.get_by_label("E-mail address", exact=True).fill(user.email)
        self.page.get_by_label("Password", exact=True).fill(password)
        self.page.get_by_role("button", name="Sign in").click()
        expect(self.page).to_have_url(re.compile(r"/dashboard/$"))
        self.check("dashboard")

    def check(self, step: str) -> None:
        """Screenshot the page as `<test>-<nn>-<step>.png` and fail on serious or critical axe violations."""
        self.page.wait_for_load_state("load")
        self.steps += 1
        SCREENSHOTS.mkdir(exist_ok=True)
        self.page.screenshot(path=SCREENSHOTS / f"{self.name}-{self.steps:02d}-{step}.png", full_page=True)
        violations = self.axe.run(self.page).response["violations"]
        self.unchecked = []
        failing = [v for v in violations if v["impact"] in FAILING_IMPACTS]
        others = [v for v in violations if v["impact"] not in FAILING_IMPACTS]
        if others:
            self.minor_findings.append(f"{step} ({self.page.url}):\n{_describe(others)}")
            print(f"axe, below serious, on {step} ({self.page.url}):\n{_describe(others)}")
        if failing:
            pytest.fail(f"axe found serious or critical violations on {step} ({self.page.url}):\n"
                        f"{_describe(failing)}", pytrace=False)


@pytest.fixture
def journey(request, live_server, transactional_db, browser, axe) -> Iterator[Journey]:
    """A fresh browser context (no cookies) pointed at the live server."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    name = re.sub(r"^test_", "", request.node.name)
    for old in SCREENSHOTS.glob(f"{name}-*.png"):
        old.unlink()
    journey = Journey(page, axe, name)
    try:
        yield journey
    finally:
        context.close()
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.passed:
        unaudited = journey.missed + journey.unchecked
        assert not unaudited, f"pages visited without an axe check: {unaudited}"


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    # Lets `journey` know whether the test body passed, so it adds its own check only then.
    report = yield
    if report.when == "call":
        item.rep_call = report
    return report


def wait_for_mail(outbox: list, *, to: str, subject_contains: str, timeout: float = 5.0):
    """The e-mail sent to `to`; delivered by the live server's thread once its transaction commits."""
    deadline = time.monotonic() + timeout
    while True:
        found = [m for m in outbox if to in m.to and subject_contains in m.subject]
        if found:
            assert len(found) == 1, f"expected one e-mail to {to} about {subject_contains!r}, got {len(found)}"
            return found[0]
        if time.monotonic() > deadline:
            sent = [(m.to, m.subject) for m in outbox]
            pytest.fail(f"no e-mail to {to} about {subject_contains!r}; sent: {sent}", pytrace=False)
        time.sleep(0.05)
