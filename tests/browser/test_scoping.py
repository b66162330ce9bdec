"""The session's UAI scopes everything, in the browser: school B's manager cannot open, download or decide on
school A's import by a forged URL, nor upload into A's folder with a forged upload key."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.serve import serve
from tests.browser.site import SAMPLE_DIR, School, Site, snap

SCHOOL_A = School("0771234Y", "Collège des Tilleuls")
SCHOOL_B = School("0750654D", "Lycée des Marronniers")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with serve(tmp_path_factory.mktemp("scoping") / "state", [SCHOOL_A, SCHOOL_B]) as site:
        yield site


@pytest.fixture(scope="module")
def import_of_a(site: Site, browser: Browser) -> Iterator[str]:
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    site.log_in(page, SCHOOL_A.uai)
    site.choose_file(page, SAMPLE_DIR / "export.csv")
    site.wait_report(page)
    yield site.import_id(page)
    context.close()


@pytest.fixture
def school_b(site: Site, page: Page) -> Page:
    site.log_in(page, SCHOOL_B.uai)
    return page


def _status(page: Page, method: str, path: str, body: object = None) -> int:
    return int(
        page.evaluate(
            """async ([method, path, body]) => {
                const csrf = document.querySelector('meta[name="csrf-token"]').content;
                const response = await fetch(path, {
                    method, headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
                    body: body === null ? undefined : JSON.stringify(body),
                });
                return response.status;
            }""",
            [method, path, body],
        )
    )


def test_a_forged_url_shows_nothing_of_another_school(site: Site, school_b: Page, import_of_a: str) -> None:
    page = school_b
    # WHEN B's manager types A's report address
    page.goto(f"{site.base_url}/imports/{import_of_a}")
    # THEN the page says it does not exist, as for an unknown one, and shows nothing of A's import
    expect(page.get_by_role("heading", name="Importation introuvable")).to_be_visible()
    expect(page.locator("#rapport")).to_be_hidden()
    assert "export.csv" not in page.locator("main").inner_text()
    snap(page, "importation-introuvable")
    # AND the API answers A's import, report, CSV and decision as not found
    for method, path, body in (
        ("GET", f"/api/imports/{import_of_a}", None),
        ("GET", f"/api/imports/{import_of_a}/report", None),
        ("GET", f"/api/imports/{import_of_a}/report.csv", None),
        ("POST", f"/api/imports/{import_of_a}/held", {"decision": "suspend"}),
    ):
        assert _status(page, method, path, body) == 404, path
    # AND B's history does not list it
    page.goto(f"{site.base_url}/accueil")
    expect(page.get_by_text("Aucune importation pour le moment")).to_be_visible()


def test_a_forged_upload_key_cannot_drop_a_file_for_another_school(
    site: Site, school_b: Page, import_of_a: str
) -> None:
    page = school_b
    page.goto(f"{site.base_url}/importer")
    # WHEN B's page asks for an upload, then posts the file under A's folder instead of its own
    answer = page.evaluate(
        """async ([uaiA]) => {
            const csrf = document.querySelector('meta[name="csrf-token"]').content;
            const upload = await (await fetch("/api/uploads", {
                method: "POST", headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
                body: JSON.stringify({ file_name: "export.csv", size: 20, dry_run: false }),
            })).json();
            const ownKey = upload.fields.key;
            const form = new FormData();
            for (const [name, value] of Object.entries(upload.fields)) {
                form.append(name, name === "key" ? `imports/${uaiA}/export.csv` : value);
            }
            form.append("file", new File(["Id;Nom\\n1;INTRUS\\n"], "export.csv", { type: "text/csv" }));
            const response = await fetch(upload.url, { method: "POST", body: form });
            return { status: response.status, ownKey };
        }""",
        [SCHOOL_A.uai],
    )
    # THEN the bucket's endpoint refuses it
    assert answer["ownKey"].startswith(f"imports/{SCHOOL_B.uai}/")
    assert answer["status"] >= 400
    # AND school A's history still holds only its own import
    context = page.context.browser.new_context(locale="fr-FR")  # type: ignore[union-attr]
    other = context.new_page()
    other.on("console", lambda message: print("console A", message.text))
    other.on("response", lambda response: print("A", response.status, response.url) if response.status >= 400 else None)
    site.log_in(other, SCHOOL_A.uai)
    expect(other.locator("#historique-chargement")).to_be_hidden()
    print(other.locator("main").inner_text())
    expect(other.locator("#historique-lignes tr")).to_have_count(1)
    context.close()
