"""The browser tier: Debian's chromium driven by playwright against a live test server.

Playwright's sync API runs an event loop in the test thread; Django's ORM calls in that
thread are still synchronous, so the async-safety guard is lifted for this tier only.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Without the networking flags chromium stalls on this closed network.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(autouse=True)
def _chromium_present() -> None:
    """Fail loudly on CI when chromium is missing; elsewhere skip and say why."""
    if os.path.exists(CHROMIUM):
        return
    if os.environ.get("CI") == "true":
        pytest.fail("BROWSER TIER CANNOT RUN ON CI: chromium is missing (make chromium)", pytrace=False)
    pytest.skip("SKIPPED the browser tier: chromium is not installed (run `make chromium`)")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # Playwright gives every launch a new, empty user-data-dir of its own.
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture
def dialogs() -> list[str]:
    """Every JavaScript dialog any page opened (there must be none)."""
    return []


@pytest.fixture
def csp_violations() -> list[str]:
    """Every Content-Security-Policy violation Chromium reported on any page."""
    return []


@pytest.fixture
def new_page(browser: Any, dialogs: list[str], csp_violations: list[str]) -> Iterator[Any]:
    contexts = []

    def on_console(message: Any) -> None:
        if "Content Security Policy" in message.text:
            csp_violations.append(f"{message.location.get('url', '')}: {message.text[:300]}")

    def make() -> Any:
        context = browser.new_context(viewport={"width": 1200, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.on("console", on_console)
        return page

    yield make
    for context in contexts:
        context.close()
    # Every journey doubles as a check of the policy: no page may break it.
    assert csp_violations == [], csp_violations
