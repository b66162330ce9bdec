"""Aperçu: with the checkbox of step 1, the import shows its plan first and waits for « Lancer l'importation »
or « Annuler »; nothing is written before « Lancer »."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.browser.serve import serve
from tests.browser.site import SAMPLE_DIR, School, Site, headline, snap

SCHOOL = School("0771234Y", "Collège des Tilleuls")
EXPORT = SAMPLE_DIR / "export.csv"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with serve(tmp_path_factory.mktemp("apercu") / "state", [SCHOOL]) as site:
        yield site


@pytest.fixture(scope="module")
def cli_counts(site: Site) -> dict[str, int]:
    counts = site.run_json(EXPORT, SCHOOL.uai)["counts"]
    assert isinstance(counts, dict)
    return counts


@pytest.fixture
def signed_in(site: Site, page: Page) -> Page:
    site.log_in(page, SCHOOL.uai)
    return page


def _plan(site: Site, page: Page) -> None:
    site.choose_file(page, EXPORT, dry_run=True)
    expect(page.get_by_role("heading", name="Aperçu de l'importation")).to_be_visible(timeout=180_000)


def test_annuler_writes_nothing_then_lancer_applies_the_plan(
    site: Site, signed_in: Page, cli_counts: dict[str, int]
) -> None:
    page = signed_in
    # GIVEN the plan of a first import
    _plan(site, page)
    figures = page.locator("#apercu-chiffres")
    expect(figures).to_contain_text(f"{cli_counts['created']} comptes à créer")
    snap(page, "apercu-plan")
    # WHEN the manager clicks « Annuler »
    page.get_by_role("button", name="Annuler").click()
    # THEN the import is cancelled and nothing was written
    expect(page.get_by_role("heading", name="Importation annulée")).to_be_visible()
    snap(page, "apercu-annule")

    # GIVEN the plan again (still a first import: « Annuler » created nobody)
    _plan(site, page)
    expect(figures).to_contain_text(f"{cli_counts['created']} comptes à créer")
    # WHEN the manager clicks « Lancer l'importation »
    page.get_by_role("button", name="Lancer l'importation").click()
    # THEN the import runs to its report, with the figures `run` gives for the same file
    site.wait_report(page)
    expect(page.locator("#rapport-chiffres li")).to_have_text(headline(cli_counts))
