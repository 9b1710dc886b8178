"""Browser tests: real Chromium (Debian's /usr/bin/chromium) driven by Playwright, with axe-core.

Never `playwright install`: the tests use the system Chromium. Without it the tests are skipped,
unless REQUIRE_BROWSER=1 (CI sets it) turns the skip into a failure.
"""

import contextlib
import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Playwright's sync API runs an event loop in this thread; the tests' own ORM calls are still
# plain synchronous code, so Django's async-safety guard would refuse them without this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    """Every test here is a browser test, marker or not: .ci/run runs them by that marker (on
    PostgreSQL only), so one without it would never run in CI."""
    here = Path(__file__).parent
    for item in items:
        if item.path.is_relative_to(here):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"Chromium not found at {CHROMIUM}; install it with: apt-get install -y chromium")
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="nl-BE")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    # Let late requests (scripts, styles) finish before the live server's test ends: a request
    # still running then would touch a database connection that is being torn down.
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    with contextlib.suppress(PlaywrightTimeout):  # a page that never goes idle is closed anyway
        page.wait_for_load_state("networkidle", timeout=5000)
    context.close()


@pytest.fixture
def login(page, live_server):
    """`login(username, password)` logs in through the real login form."""

    def do_login(username: str, password: str):
        page.goto("/accounts/login/")
        page.get_by_label("Gebruikersnaam").fill(username)
        page.get_by_label("Wachtwoord").fill(password)
        with page.expect_navigation():
            page.get_by_role("button", name="Aanmelden").click()

    return do_login


@pytest.fixture
def axe_check():
    """`axe_check(page)` runs axe-core (WCAG 2.1 A/AA) and fails on serious or critical violations."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page):
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        violations = [v for v in results.response["violations"] if v.get("impact") in {"serious", "critical"}]
        summary = "\n".join(
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in violations
        )
        assert not violations, f"axe-core violations on {page.url}:\n{summary}"
        return results

    return check
