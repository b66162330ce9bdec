"""Browser tests: Playwright (PyPI) driving Debian's chromium (`make browser`, never a downloaded browser) against
`elea-import serve` on a free loopback port, over a temporary state dir. One serve per test module."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from tests.browser.site import OUTPUT_DIR

CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags chromium tries Google's hosts at each start (no network here).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    if CHROMIUM.exists():
        return CHROMIUM
    if os.environ.get("CI"):
        pytest.fail("chromium manquant : `make browser` l'installe ; en CI les tests navigateur ne sont jamais sautés")
    pytest.skip("chromium manquant : lancez `make browser` (apt-get install chromium, en root)")


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright, chromium_path: Path) -> Iterator[Browser]:
    launched = playwright.chromium.launch(executable_path=str(chromium_path), args=CHROMIUM_ARGS)
    yield launched
    launched.close()


@pytest.fixture(scope="session")
def output_dir() -> Path:
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    return OUTPUT_DIR


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    opened = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR", accept_downloads=True)
    yield opened
    opened.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    opened = context.new_page()
    opened.set_default_timeout(30_000)
    # Playwright turns on file-chooser interception without waiting, when the first listener comes
    # (expect_file_chooser): a key pressed at once could open the native dialog instead, and no event
    # fires (seen under load). Listening from the page's start has interception on long before.
    opened.on("filechooser", lambda chooser: None)
    return opened


@pytest.fixture(scope="session", autouse=True)
def _clean_output() -> None:
    if OUTPUT_DIR.exists():
        shutil.rmtree(OUTPUT_DIR)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if OUTPUT_DIR.exists() and any(OUTPUT_DIR.glob("*.png")):
        terminalreporter.write_line(f"Captures d'écran des pages (1280 et 375 px) : {OUTPUT_DIR}")
