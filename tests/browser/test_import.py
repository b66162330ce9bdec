"""The wizard: an import with the file chooser, one by drag and drop, the four steps and the live progress,
the report (figures equal `run --json`'s, tabs, CSV), a re-import that reads « actualisés », a refused file."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.serve import serve
from tests.browser.site import SAMPLE_DIR, School, Site, cells_outside, headline, sideways_overflow, snap

SCHOOL = School("0771234Y", "Collège des Tilleuls")
EXPORT = SAMPLE_DIR / "export.csv"
CHANGED = SAMPLE_DIR / "export-changed.csv"

# Records every text the stepper and the progress line show, so that steps reached between two looks are seen.
RECORD_STEPS = """
window.__seen = [];
new MutationObserver(() => {
  for (const id of ["etape-etat", "traitement-message"]) {
    const node = document.getElementById(id);
    const text = node && node.textContent;
    if (text && window.__seen[window.__seen.length - 1] !== text) window.__seen.push(text);
  }
}).observe(document, { subtree: true, childList: true, characterData: true });
"""


@dataclass(frozen=True)
class FirstImport:
    import_id: str
    seen: list[str]
    headline: list[str]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    # Small chunks: the users step reports its progress several times for the sample's 570 people.
    with serve(tmp_path_factory.mktemp("import") / "state", [SCHOOL], {"ChunkSize": "100"}) as site:
        yield site


@pytest.fixture
def signed_in(site: Site, page: Page) -> Page:
    site.log_in(page, SCHOOL.uai)
    return page


@pytest.fixture(scope="module")
def first_import(site: Site, browser: Browser) -> Iterator[FirstImport]:
    """export.csv chosen with « Choisir un fichier » on a new platform; nothing else clicked."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    context.add_init_script(RECORD_STEPS)
    page = context.new_page()
    site.log_in(page, SCHOOL.uai)
    page.get_by_role("link", name="NOUVELLE IMPORTATION").click()
    expect(page.get_by_role("heading", name="IMPORTER DES UTILISATEURS")).to_be_visible()
    snap(page, "etape-1-depot")
    site.choose_file(page, EXPORT)
    expect(page.get_by_text("utilisateurs en cours de traitement...")).to_be_visible(timeout=180_000)
    snap(page, "etapes-2-3-progression")
    site.wait_report(page)
    snap(page, "etape-4-rapport")
    yield FirstImport(
        import_id=site.import_id(page),
        seen=page.evaluate("window.__seen"),
        headline=page.locator("#rapport-chiffres li").all_inner_texts(),
    )
    context.close()


@pytest.fixture(scope="module")
def cli_report(site: Site) -> dict[str, object]:
    """`run --json` on the same file, on a platform as new as the page's was."""
    return site.run_json(EXPORT, SCHOOL.uai)


def test_the_file_chooser_starts_the_import_and_shows_the_four_steps(
    first_import: FirstImport, cli_report: dict[str, object]
) -> None:
    states = [text for text in first_import.seen if text.startswith("Étape")]
    for step in ("Étape 1 sur 4", "Étape 2 sur 4", "Étape 3 sur 4", "Étape 4 sur 4"):
        assert step in states, f"{step} jamais affichée : {first_import.seen}"
    assert states.index("Étape 2 sur 4") < states.index("Étape 3 sur 4") < states.index("Étape 4 sur 4")
    assert f"{cli_report['people']} utilisateurs en cours de traitement..." in first_import.seen


def test_the_report_figures_equal_run_json(first_import: FirstImport, cli_report: dict[str, object]) -> None:
    counts = cli_report["counts"]
    assert isinstance(counts, dict)
    assert first_import.headline == headline(counts)


def test_the_report_tabs_and_csv(site: Site, signed_in: Page, first_import: FirstImport) -> None:
    page = signed_in
    # GIVEN the report, opened from the Accueil's history
    page.get_by_role("link", name=re.compile("Voir le rapport")).first.click()
    site.wait_report(page)
    expect(page.get_by_text("Les utilisateurs pourront accéder à la plateforme dans quelques instants")).to_be_visible()
    expect(page.get_by_text("Supprimez maintenant le fichier export.csv")).to_be_visible()
    # Classes: the cohorts created, with their members
    expect(page.get_by_role("tabpanel", name="Classes")).to_contain_text("classes créées")
    # Utilisateurs: filtered by outcome and searched by name
    page.get_by_role("tab", name="Utilisateurs").click()
    users = page.get_by_role("tabpanel", name="Utilisateurs")
    first_row = users.locator("tbody tr").first
    last_name = first_row.locator("td").nth(0).inner_text()
    assert last_name.strip()
    page.get_by_label("Résultat").select_option("created")
    expect(users.locator("tbody tr").filter(has_not_text="Créé")).to_have_count(0)
    page.get_by_label("Rechercher un nom ou un prénom").fill(last_name.lower())
    expect(users.locator("tbody tr").first).to_contain_text(last_name)
    rows_shown = users.locator("tbody tr").count()
    assert 1 <= rows_shown < 570
    snap(page, "rapport-onglet-utilisateurs")
    page.get_by_role("tab", name="Erreurs").click()
    expect(page.get_by_role("tabpanel", name="Erreurs")).to_be_visible()
    snap(page, "rapport-onglet-erreurs")
    # The per-row CSV, downloaded
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le rapport détaillé (CSV)").click()
    text = Path(download.value.path()).read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(rows) > 500
    assert any(last_name in row for row in rows)
    # The two ways out
    expect(page.get_by_role("link", name="Importer d'autres utilisateurs")).to_have_attribute("href", "/importer")
    expect(page.get_by_role("link", name="Revenir à la page d'accueil")).to_have_attribute("href", "/accueil")


def test_a_re_import_by_drag_and_drop_reads_actualises(site: Site, signed_in: Page, first_import: FirstImport) -> None:
    page = signed_in
    # WHEN the same school drops its export a term later onto the zone
    site.drop_file(page, CHANGED)
    site.wait_report(page)
    # THEN the report says how many were updated, as `run` says for the same platform
    updated = page.locator("#rapport-chiffres li").first
    expect(updated).to_have_text(re.compile(r"^[1-9]\d* utilisateurs? actualisés?$"))
    # AND the Accueil lists both imports with a link to each report
    page.get_by_role("link", name="Revenir à la page d'accueil").click()
    expect(page.locator("#historique-lignes tr")).to_have_count(2)
    expect(page.locator("#historique-lignes")).to_contain_text("export-changed.csv")
    snap(page, "accueil-historique")


def test_a_refused_file_says_what_was_wrong_and_what_to_do(site: Site, signed_in: Page, tmp_path: Path) -> None:
    page = signed_in
    notes = tmp_path / "notes.csv"
    notes.write_text("Nom;Note\nMARTIN;12\n", encoding="utf-8")
    site.choose_file(page, notes)
    alert = page.locator("#refus")
    expect(alert).to_be_visible(timeout=180_000)
    expect(page.get_by_role("heading", name="Le fichier n'a pas été importé")).to_be_visible()
    expect(page.locator("#refus-message")).not_to_be_empty()
    expect(page.locator("#refus-conseil")).to_contain_text("Que faire")
    body = page.locator("main").inner_text()
    assert "Traceback" not in body
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", body), f"un code brut est affiché : {body}"
    snap(page, "fichier-refuse")


def test_the_same_file_as_the_last_import_is_flagged_on_the_report(site: Site, signed_in: Page) -> None:
    page = signed_in
    # GIVEN the school's latest import is export-changed.csv (dropped here, whatever ran before)
    site.choose_file(page, CHANGED)
    site.wait_report(page)
    # WHEN the very same file is dropped again
    site.choose_file(page, CHANGED)
    site.wait_report(page)
    # THEN the report says so, above the figures' detail
    notice = page.locator("#rapport-avis")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("Ce fichier est identique à celui de la dernière importation")
    # AND being the same file holds nothing by itself (this school's suspensions wait only because the sample
    # names another school than the one registered here: school_name_mismatch)
    expect(page.locator("main")).not_to_contain_text("identique, octet pour octet, à celui d'un import plus ancien")
    # AND the page says why they wait, in the check's own words, never that they are « trop nombreux »
    held = page.locator("#suspensions")
    expect(held).to_contain_text("vérifiez qu'il s'agit bien de votre établissement")
    expect(held).not_to_contain_text("trop nombreux")


def test_the_history_reads_at_375_px_without_sideways_scrolling(
    site: Site, signed_in: Page, first_import: FirstImport
) -> None:
    page = signed_in
    # GIVEN the school has imported at least once, and the manager reads the Accueil on a 375 px phone
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{site.base_url}/accueil")
    row = page.locator("#historique-lignes tr").first
    expect(row).to_be_visible()
    # WHEN the history is shown
    # THEN neither the page nor the table scrolls sideways
    page_overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert page_overflow <= 0, f"la page déborde de {page_overflow} px en largeur"
    container = page.locator("#historique .fr-table__container")
    table_overflow = container.evaluate("(node) => node.scrollWidth - node.clientWidth")
    assert table_overflow <= 0, f"le tableau de l'historique défile de {table_overflow} px en largeur"
    # AND the row's status, counts and link to its report are on screen, each named by its column
    for cell in (row.locator(".fr-badge"), row.get_by_text("utilisateurs actualisés"), row.get_by_role("link")):
        expect(cell).to_be_in_viewport()
        box = cell.bounding_box()
        assert box is not None
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= 375, f"« {cell.inner_text()} » dépasse de l'écran"
    expect(row.get_by_role("link", name=re.compile("^Voir le rapport"))).to_be_visible()
    label = row.locator("td").nth(2).evaluate("(td) => getComputedStyle(td, '::before').content")
    assert "État" in label, f"la colonne de l'état n'est pas nommée à 375 px : {label}"
    # AND the table keeps its semantics: a screen reader still reads the column headers and the cells
    expect(page.get_by_role("table", name="Historique des importations")).to_be_attached()
    expect(page.get_by_role("columnheader", name="État")).to_be_attached()
    expect(row.get_by_role("cell").nth(2)).to_contain_text(re.compile(r"\S"))
    snap(page, "accueil-historique-375")


def test_the_report_s_people_read_at_375_px_without_sideways_scrolling(
    site: Site, signed_in: Page, first_import: FirstImport
) -> None:
    page = signed_in
    # GIVEN the report of the first import (570 people), read on a 375 px phone
    page.goto(f"{site.base_url}/imports/{first_import.import_id}")
    site.wait_report(page)
    page.set_viewport_size({"width": 375, "height": 800})
    # WHEN the manager opens the Utilisateurs tab
    page.get_by_role("tab", name="Utilisateurs").click()
    users = page.get_by_role("tabpanel", name="Utilisateurs")
    rows = users.locator("tbody tr")
    expect(rows.first).to_be_visible()
    # (the DSFR slides a tab's panel in: measured once it stands still)
    page.wait_for_function("() => document.getAnimations().every((animation) => animation.playState !== 'running')")
    # THEN the list does not scroll sideways (its Classe, Profil, Résultat and Champs modifiés were cut)
    overflow = sideways_overflow(users.locator(".fr-table__container"))
    assert overflow <= 0, f"la liste des utilisateurs défile de {overflow} px en largeur"
    # AND every cell lies within the screen, each named by its column, Résultat included
    outside = cells_outside(rows, 375)
    assert not outside, f"{len(outside)} cellules dépassent de l'écran, dont {outside[:3]}"
    label = rows.first.locator("td").nth(4).evaluate("(td) => getComputedStyle(td, '::before').content")
    assert "Résultat" in label, f"la colonne Résultat n'est pas nommée à 375 px : {label}"
    expect(users.get_by_role("columnheader", name="Résultat")).to_be_attached()
    # AND the 570 people come 50 at a time, so that the page stays a page; the button brings the next ones
    expect(rows).to_have_count(50)
    expect(page.locator("#utilisateurs-compte")).to_have_text(re.compile(r"^50 utilisateurs affichés sur \d"))
    users.get_by_role("button", name="Afficher les 50 suivants").click()
    expect(rows).to_have_count(100)
    snap(page, "rapport-onglet-utilisateurs-375")
