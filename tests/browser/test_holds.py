"""Held suspensions: too many accounts absent from the file are held; the report lists them and offers
« Suspendre ces comptes » or « Ne pas suspendre », and the choice is recorded on the import."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.axe import serious_violations
from tests.browser.serve import serve
from tests.browser.site import SAMPLE_DIR, School, Site, cells_outside, sideways_overflow, snap

SCHOOL = School("0771234Y", "Collège des Tilleuls")
HELD_PAGE = 50
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


def test_hundreds_of_held_suspensions_are_listed_fifty_at_a_time(site: Site, signed_in: Page, few_left: Path) -> None:
    page = signed_in
    # GIVEN the whole school imported, then a file with 40 of its people: hundreds of suspensions are held
    site.choose_file(page, SAMPLE_DIR / "export.csv")
    site.wait_report(page)
    _held_import(site, page, few_left)
    title = page.get_by_role("heading", name=HELD_TITLE).inner_text()
    total = int(re.sub(r"\D", "", title.split("compte")[0]))
    assert total > 4 * HELD_PAGE, f"pas assez de suspensions retenues pour le test : {title}"
    # WHEN the report is read on a 375 px phone
    page.set_viewport_size({"width": 375, "height": 800})
    held = page.locator("#suspensions")
    rows = held.locator("tbody tr")
    more = held.get_by_role("button", name=re.compile(r"^Afficher les? .*suivants?$"))
    # THEN only the first 50 are listed, with how many there are in all, and the page stays short: shorter
    # than the held rows alone would be with every one listed (it was 22,000 px high with every row; the rows
    # stacked at 375 px, so that no column is cut, 50 of them make it about 11,000 px)
    expect(rows).to_have_count(HELD_PAGE)
    expect(held.locator("#suspensions-compte")).to_have_text(f"{HELD_PAGE} comptes affichés sur {total}")
    expect(more).to_have_text(f"Afficher les {HELD_PAGE} suivants")
    height = page.evaluate("document.documentElement.scrollHeight")
    every_row = total * rows.first.evaluate("(row) => row.getBoundingClientRect().height")
    assert height < every_row, f"la page fait {height} px de haut à 375 px, autant que toutes les lignes"
    # AND both choices are still offered, right after the list
    expect(held.get_by_role("button", name="Suspendre ces comptes")).to_be_visible()
    expect(held.get_by_role("button", name="Ne pas suspendre")).to_be_visible()
    snap(page, "suspensions-en-attente-premiers")
    # WHEN the manager asks for the next ones
    more.click()
    # THEN 50 more are added
    expect(rows).to_have_count(2 * HELD_PAGE)
    expect(held.locator("#suspensions-compte")).to_have_text(f"{2 * HELD_PAGE} comptes affichés sur {total}")
    # WHEN they go on until the end
    for _ in range(total // HELD_PAGE):
        if not more.count():
            break
        more.click()
    # THEN every held account is listed once, the button is gone, and the focus is on the count
    expect(rows).to_have_count(total)
    expect(more).to_have_count(0)
    expect(held.locator("#suspensions-compte")).to_have_text(f"{total} comptes affichés")
    expect(held.locator("#suspensions-compte")).to_be_focused()
    # AND axe finds nothing serious in the list, at either width
    findings = serious_violations(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    findings += serious_violations(page)
    assert not findings, "\n".join(findings)


def test_screen_readers_are_told_how_many_held_accounts_are_shown(site: Site, signed_in: Page, few_left: Path) -> None:
    page = signed_in
    # GIVEN hundreds of held suspensions, the first 50 listed, and nothing announced yet
    site.choose_file(page, SAMPLE_DIR / "export.csv")
    site.wait_report(page)
    _held_import(site, page, few_left)
    held = page.locator("#suspensions")
    expect(held.locator("tbody tr")).to_have_count(HELD_PAGE)
    total = int(re.sub(r"\D", "", held.locator("#suspensions-compte").inner_text().split(" sur ")[1]))
    assert total > 2 * HELD_PAGE, f"pas assez de suspensions retenues pour le test : {total}"
    announce = held.locator("#suspensions-annonce")
    expect(announce).to_have_attribute("aria-live", "polite")
    expect(announce).to_have_class(re.compile(r"\bfr-sr-only\b"))
    expect(announce).to_have_text("")
    more = held.get_by_role("button", name=re.compile(r"^Afficher les? .*suivants?$"))
    # WHEN the manager asks for the next ones from the keyboard
    more.focus()
    page.keyboard.press("Enter")
    # THEN the polite live region says how many are now shown, in French
    expect(held.locator("tbody tr")).to_have_count(2 * HELD_PAGE)
    expect(announce).to_have_text(f"{2 * HELD_PAGE} comptes affichés sur {total}")
    # AND the focus stays on the button, for the next ones
    expect(more).to_be_focused()
    # WHEN they go on until the end
    for _ in range(total // HELD_PAGE):
        if not more.count():
            break
        page.keyboard.press("Enter")
    # THEN the focus is on the count, which says it, and the live region does not say it a second time
    expect(held.locator("tbody tr")).to_have_count(total)
    expect(held.locator("#suspensions-compte")).to_be_focused()
    expect(announce).to_have_text("")


def test_held_suspensions_read_at_375_px_without_sideways_scrolling(
    site: Site, signed_in: Page, few_left: Path
) -> None:
    page = signed_in
    # GIVEN the whole school imported, then a file with 40 of its people: hundreds of suspensions are held
    site.choose_file(page, SAMPLE_DIR / "export.csv")
    site.wait_report(page)
    _held_import(site, page, few_left)
    # WHEN the manager reads the list on a 375 px phone
    page.set_viewport_size({"width": 375, "height": 800})
    held = page.locator("#suspensions")
    rows = held.locator("tbody tr")
    expect(rows).to_have_count(HELD_PAGE)
    # THEN the list does not scroll sideways (its 4th column, Profil, was cut at the right edge)
    overflow = sideways_overflow(held.locator(".fr-table__container"))
    assert overflow <= 0, f"la liste des suspensions défile de {overflow} px en largeur"
    # AND every cell of every listed row lies within the screen
    outside = cells_outside(rows, 375)
    assert not outside, f"{len(outside)} cellules dépassent de l'écran, dont {outside[:3]}"
    # AND each value is named by its column, Profil included
    labels = rows.first.locator("td").evaluate_all(
        "(cells) => cells.map((cell) => getComputedStyle(cell, '::before').content)"
    )
    for column, label in zip(("Nom", "Prénom", "Classe", "Profil"), labels, strict=True):
        assert column in label, f"la colonne {column} n'est pas nommée à 375 px : {label}"
    # AND the table keeps its semantics: a screen reader still reads the column headers and the cells
    expect(held.get_by_role("table", name="Comptes qui seraient suspendus")).to_be_attached()
    expect(held.get_by_role("columnheader", name="Profil")).to_be_attached()
    expect(rows.first.get_by_role("cell").nth(3)).to_contain_text(re.compile(r"\S"))
    snap(page, "suspensions-en-attente-375")


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
