"""Browser fixtures: a real Chromium driven by Playwright against pytest-django's live server.

Chromium comes from the system (`apt-get install chromium chromium-driver`); Playwright never
downloads a browser. Without Chromium the tests skip, unless E2E_REQUIRED=1 (set by CI),
which turns a missing browser into a failure. Tests using these fixtures need
`transactional_db` (the live server runs in another thread) and get it through `page`.
"""

import json
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
E2E_REQUIRED = os.environ.get("E2E_REQUIRED") == "1"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _unavailable(reason: str) -> None:
    if E2E_REQUIRED:
        pytest.fail(f"{reason} (E2E_REQUIRED=1: browser tests must run)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator:
    """One headless Chromium per test module.

    Module scope, not session: Playwright keeps an event loop running in this thread while
    it is open, and the tests outside tests/e2e should not run inside it.
    """
    if not os.path.exists(CHROMIUM):
        _unavailable(f"Chromium not found at {CHROMIUM}: apt-get install chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed: pip install -e '.[dev]'")
    # Playwright's sync API runs an event loop in this thread; Django would then refuse
    # synchronous database access from the test ("async unsafe") without this.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser, live_server, transactional_db) -> Iterator:
    """A fresh context and page whose relative URLs go to the live server.

    `bypass_csp` only lets the test inject axe-core; the app's own pages still send and
    obey their Content-Security-Policy.
    """
    context = browser.new_context(base_url=live_server.url, bypass_csp=True, locale="nl-BE")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def login() -> Callable:
    """Log in through the login form, as a person would; returns the page after login."""

    def _login(page, username: str, password: str = "pw"):
        page.goto("/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        with page.expect_navigation():
            page.click("main form button[type=submit], form button[type=submit]")
        return page

    return _login


def axe_violations(page) -> list[dict]:
    """Run axe-core's WCAG 2.0/2.1 A and AA rules on the current page."""
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: tags})).violations"
        ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}))",
        WCAG_AA,
    )


@pytest.fixture
def assert_accessible() -> Callable:
    """Fail with the list of axe-core violations (WCAG 2.1 AA) of the current page."""

    def _assert(page) -> None:
        violations = axe_violations(page)
        assert violations == [], f"{page.url}:\n" + json.dumps(violations, indent=2)

    return _assert
