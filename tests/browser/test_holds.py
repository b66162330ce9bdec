"""Held suspensions: too many accounts absent from the file are held; the report lists them and offers
« Suspendre ces comptes » or « Ne pas suspendre », and the choice is recorded on the import."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.serve import serve
from tests.browser.site import SAMPLE_DIR, School, Site, snap

SCHOOL = School("0771234Y", "Collège des Tilleuls")
HELD_TITLE = re.compile(r"comptes? (ne sont|n'est) plus dans le fichier : suspension en attente")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with serve(tmp_path_factory.mktemp("holds") / "state", [SCHOOL]) as site:
        yield site


@pytest.fixture(scope="module")
def few_left(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The school's export with only its first 40 people: hundreds of accounts would be suspended."""
    lines = (SAMPLE_DIR / "export.csv").read_bytes().splitlines(keepends=True)
    path = tmp_path_factory.mktemp("drops") / "export.csv"
    path.write_bytes(b"".join(lines[:41]))
    return path


@pytest.fixture
def signed_in(site: Site, page: Page) -> Page:
    site.log_in(page, SCHOOL.uai)
    return page


def _held_import(site: Site, page: Page, path: Path) -> None:
    site.choose_file(page, path)
    site.wait_report(page)
    expect(page.get_by_role("heading", name=HELD_TITLE)).to_be_visible()


def test_ne_pas_suspendre_is_recorded_and_suspendre_applies(site: Site, signed_in: Page, few_left: Path) -> None:
    page = signed_in
    # GIVEN the whole school imported, then a file where most of it is missing
    site.choose_file(page, SAMPLE_DIR / "export.csv")
    site.wait_report(page)
    _held_import(site, page, few_left)
    # THEN the report lists who would be suspended, and nobody is yet
    held = page.locator("#suspensions")
    snap(page, "suspensions-en-attente")
    rows = held.locator("tbody tr")
    if rows.count():
        expect(rows.first.locator("td").first).not_to_be_empty()
    # WHEN the manager chooses « Ne pas suspendre »
    page.get_by_role("button", name="Ne pas suspendre").click()
    # THEN the choice is shown, and still there when the report is opened again
    expect(held).to_contain_text("Vous avez choisi de ne pas suspendre")
    page.reload()
    site.wait_report(page)
    expect(page.locator("#suspensions")).to_contain_text("Vous avez choisi de ne pas suspendre")
    expect(page.get_by_role("button", name="Suspendre ces comptes")).to_have_count(0)

    # GIVEN the same short file again (nothing was suspended, so they are held again)
    _held_import(site, page, few_left)
    # WHEN the manager chooses « Suspendre ces comptes »
    page.get_by_role("button", name="Suspendre ces comptes").click()
    # THEN they are suspended (hundreds of accounts: the approve use case takes a while), and it is recorded
    expect(page.locator("#suspensions")).to_contain_text("ont été suspendus", timeout=120_000)
    page.reload()
    site.wait_report(page)
    expect(page.locator("#suspensions")).to_contain_text("ont été suspendus")
    snap(page, "suspensions-appliquees")
