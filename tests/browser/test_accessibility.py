"""Look and access: no serious or critical axe-core finding on any page, at 1280 and 375 px; the wizard works
from the keyboard alone (the drop zone is a labelled button); the page asks nothing of any other origin."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page, Request, expect

from tests.browser.axe import serious_violations
from tests.browser.serve import serve
from tests.browser.site import SAMPLE_DIR, School, Site

SCHOOL = School("0771234Y", "Collège des Tilleuls")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with serve(tmp_path_factory.mktemp("a11y") / "state", [SCHOOL]) as site:
        yield site


def _check(page: Page, where: str, findings: list[str]) -> None:
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        findings += [f"{where} à {width} px : {finding}" for finding in serious_violations(page)]
    page.set_viewport_size({"width": 1280, "height": 900})


def test_no_serious_or_critical_axe_finding(site: Site, page: Page, tmp_path: Path) -> None:
    requests: list[Request] = []
    page.on("request", lambda request: requests.append(request))
    findings: list[str] = []
    page.goto(f"{site.base_url}/connexion")
    _check(page, "Connexion", findings)
    site.log_in(page, SCHOOL.uai)
    _check(page, "Accueil", findings)
    page.goto(f"{site.base_url}/importer")
    _check(page, "Étape 1", findings)
    site.choose_file(page, SAMPLE_DIR / "export.csv")
    site.wait_report(page)
    for tab in ("Classes", "Utilisateurs", "Erreurs"):
        page.get_by_role("tab", name=tab).click()
        _check(page, f"Rapport, onglet {tab}", findings)
    page.goto(f"{site.base_url}/accueil")
    expect(page.locator("#historique-lignes tr")).to_have_count(1)
    _check(page, "Accueil avec historique", findings)
    refused = tmp_path / "notes.csv"
    refused.write_text("Nom;Note\nMARTIN;12\n", encoding="utf-8")
    site.choose_file(page, refused)
    expect(page.locator("#refus")).to_be_visible(timeout=180_000)
    _check(page, "Fichier refusé", findings)
    assert not findings, "\n".join(findings)
    # Nothing was asked of a third party: only the page's own origin and the local bucket endpoint (loopback)
    hosts = {urlparse(request.url).hostname for request in requests if request.url.startswith("http")}
    assert hosts <= {"127.0.0.1", "localhost"}, hosts


def test_the_wizard_works_from_the_keyboard(site: Site, page: Page) -> None:
    site.log_in(page, SCHOOL.uai)
    page.goto(f"{site.base_url}/importer")
    # The first Tab reaches the skip link, which leads to the content
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Contenu")).to_be_focused()
    # Tabbing on reaches « Choisir un fichier » (the file input), then the drop zone, a labelled button
    zone = page.get_by_role("button", name="Vous pouvez glisser le fichier ici !")
    for _ in range(40):
        page.keyboard.press("Tab")
        if zone.evaluate("(node) => node === document.activeElement"):
            break
    expect(zone).to_be_focused()
    # Enter on the zone opens the file chooser; choosing the file starts the import with no other key
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Enter")
    chooser.value.set_files(str(SAMPLE_DIR / "export.csv"))
    site.wait_report(page)
    # The report's tabs move with the arrow keys
    page.get_by_role("tab", name="Classes").focus()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("tab", name="Utilisateurs")).to_be_focused()
    expect(page.get_by_role("tab", name="Utilisateurs")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_role("tabpanel", name="Utilisateurs")).to_be_visible()
    assert re.search(r"/imports/", page.url)
