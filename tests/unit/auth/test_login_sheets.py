from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime

from elea.credentials.local_passwords import (
    LocalAccountHolder,
    PasswordRenewal,
    issue_local_passwords,
    new_local_passwords,
)
from elea.credentials.login_sheets import LoginSheetRow, class_sheets, login_sheets_csv, login_sheets_html
from elea.credentials.publish_sheets import publish_login_sheets
from tests.fakes.cheap_hashing import cheap_hashing
from tests.fakes.memory_report_files import InMemoryReportFiles
from tests.fakes.memory_user_passwords import InMemoryUserPasswordStore

UAI = "0771234Y"
URL = "https://idf-77-3.elea.apps.education.fr/"
WHEN = datetime(2026, 9, 2, 8, 0, tzinfo=UTC)


def _row(class_name: str, last: str, first: str, username: str, password: str = "Abcdefgh2345") -> LoginSheetRow:
    return LoginSheetRow(class_name=class_name, last_name=last, first_name=first, username=username, password=password)


ROWS = [
    _row("6B", "Zola", "Émile", "emile.zola"),
    _row("6A", "Émery", "Léa", "lea.emery"),
    _row("6A", "Dupont", "Enzo", "enzo.dupont"),
    _row("", "Martin", "Jules", "jules.martin"),
    _row("6A", "d'Arc", "Jeanne", "jeanne.darc"),
]


def test_one_sheet_per_class_in_reading_order_without_class_last() -> None:
    sheets = class_sheets(ROWS)
    assert [s.class_name for s in sheets] == ["6A", "6B", "Sans classe"]
    # accents and case do not change the alphabetical order
    assert [r.last_name for r in sheets[0].rows] == ["d'Arc", "Dupont", "Émery"]


def test_html_has_a_page_per_class_and_every_credential_escaped() -> None:
    rows = [*ROWS, _row("6B", "<script>", "x", "x.y", "Pass<w>ord12")]
    html = login_sheets_html(rows, school_name="Collège & Lycée", uai=UAI, platform_url=URL, generated_at=WHEN)
    assert html.count('<section class="class-sheet">') == 3
    assert "break-after: page" in html
    assert "break-inside: avoid" in html
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "Pass&lt;w&gt;ord12" in html
    assert "Collège &amp; Lycée" in html
    assert "Classe 6A — fiches de connexion" in html
    assert "enzo.dupont" in html
    assert URL in html
    assert "Un nouveau mot de passe vous sera demandé à la première connexion." in html


def test_csv_opens_in_excel_and_cannot_run_formulas() -> None:
    rows = [*ROWS, _row("6B", '=HYPERLINK("http://x")', "+1", "-x", "@SUM(A1)")]
    data = login_sheets_csv(rows, platform_url=URL)
    assert data.startswith(b"\xef\xbb\xbf")
    records = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert records[0] == ["Classe", "Nom", "Prénom", "Identifiant", "Mot de passe initial", "Plateforme"]
    assert len(records) == len(rows) + 1
    cells = [cell for record in records[1:] for cell in record]
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    assert '\'=HYPERLINK("http://x")' in cells
    assert "'@SUM(A1)" in cells


def _holders(*usernames: str) -> list[LocalAccountHolder]:
    return [LocalAccountHolder(username=u, class_name="6A", last_name="N", first_name="P") for u in usernames]


def test_only_new_accounts_get_a_password_by_default_and_only_hashes_are_stored() -> None:
    store, hashing = InMemoryUserPasswordStore(), cheap_hashing()
    first = issue_local_passwords(UAI, _holders("a.a", "b.b"), store=store, hashing=hashing)
    assert [r.username for r in first] == ["a.a", "b.b"]
    assert all(len(r.password) >= 12 for r in first)
    stored = store.hashes[UAI]
    assert all(h.startswith("$argon2id$") for h in stored.values())
    assert all(hashing.verify(stored[r.username], r.password) for r in first)
    # WHEN the same file comes again with one newcomer THEN only the newcomer gets a password
    again = issue_local_passwords(UAI, _holders("a.a", "b.b", "c.c"), store=store, hashing=hashing)
    assert [r.username for r in again] == ["c.c"]
    assert stored["a.a"] == store.hashes[UAI]["a.a"]


def test_regenerate_gives_everyone_a_new_password() -> None:
    store, hashing = InMemoryUserPasswordStore(), cheap_hashing()
    first = {r.username: r.password for r in issue_local_passwords(UAI, _holders("a.a"), store=store, hashing=hashing)}
    again = issue_local_passwords(
        UAI, _holders("a.a"), store=store, hashing=hashing, renewal=PasswordRenewal.REGENERATE
    )
    assert [r.username for r in again] == ["a.a"]
    assert again[0].password != first["a.a"]
    assert hashing.verify(store.hashes[UAI]["a.a"], again[0].password)


def test_sheets_are_published_beside_the_report() -> None:
    files = InMemoryReportFiles()
    published = publish_login_sheets(
        ROWS, uai=UAI, import_id="imp-1", school_name=None, platform_url=URL, generated_at=WHEN, files=files
    )
    assert published is not None
    assert published.count == 5
    assert set(files.files) == {
        "login-sheets/0771234Y/imp-1/fiches-de-connexion.html",
        "login-sheets/0771234Y/imp-1/fiches-de-connexion.csv",
    }
    body, content_type = files.files[published.html_key]
    assert content_type.startswith("text/html")
    assert re.search(rb"lea\.emery", body)
    assert (
        publish_login_sheets(
            [], uai=UAI, import_id="imp-2", school_name=None, platform_url=URL, generated_at=WHEN, files=files
        )
        is None
    )


class _UnreadableStore(InMemoryUserPasswordStore):
    def usernames_with_password(self, uai: str) -> set[str]:
        raise AssertionError("no local account to give a password to: the store must not be read")


def test_a_chunk_without_local_accounts_does_not_read_the_password_store() -> None:
    # GIVEN a chunk of ENT people only (no local account among them)
    # WHEN its new passwords are asked for THEN there are none, and the store was not read (one call saved)
    assert new_local_passwords(UAI, [], store=_UnreadableStore()) == []
