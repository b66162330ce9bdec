"""Issue 4 through the whole local chain: registration on first run, the report and failure e-mails,
the management account activated and never touched by imports."""

from __future__ import annotations

import email
import re
from collections.abc import Callable
from email.message import Message
from pathlib import Path

import pytest

from elea.dal.dynamodb.platform import DynamoDbPlatform
from elea.models.import_record import ImportStatus
from elea.ports.platform import AccountOrigin, AccountStatus
from elea_cli.main import main
from elea_local.runner import LocalChain
from tests.e2e.conftest import UAI
from tests.fixtures.chain_rosters import LAST_NAMES, ent_csv, ent_school, siecle_zip

pytestmark = pytest.mark.e2e

SCHOOL = ent_school(30, teachers=4)
MAILBOX = f"{UAI.lower()}@ac-creteil.fr"
NEW_PASSWORD = "Nouveau-Mot2passe"


def _parsed(path: Path) -> tuple[Message, str]:
    parsed = email.message_from_bytes(path.read_bytes())
    text = next(p for p in parsed.walk() if p.get_content_type() == "text/plain")
    return parsed, text.get_payload(decode=True).decode("utf-8")  # type: ignore[union-attr]


def _subject(parsed: Message) -> str:
    return str(email.header.make_header(email.header.decode_header(parsed["Subject"])))


def test_first_run_registers_the_school_then_mails_activation_and_report_to_its_mailbox_only(
    make_chain: Callable[..., LocalChain], write_file: Callable[[str, bytes], Path]
) -> None:
    # GIVEN a school that is not registered yet WHEN its export is imported
    result = make_chain().run_file(write_file("export.csv", ent_csv(SCHOOL)), UAI)
    # THEN it is registered on the way, with a warning, and two e-mails went out
    assert result.status is ImportStatus.COMPLETED
    assert result.registered_establishment
    assert [p.name for p in result.mails] == [f"0001-activation-{UAI}.eml", f"0002-import_report-{UAI}.eml"]
    activation, activation_text = _parsed(result.mails[0])
    report, report_text = _parsed(result.mails[1])
    # AND both go to the school's functional mailbox only
    assert activation["To"] == report["To"] == MAILBOX
    assert "Mot de passe initial" in activation_text
    assert "#token=" in activation_text
    # AND the report has the platform's headline, a short-lived link to the per-row report, no secret
    assert _subject(report).endswith("0 utilisateurs actualisés, 34 utilisateurs créés, 0 utilisateurs protégés")
    assert re.search(rf"https://\S+/reports/{UAI}/{result.import_id}/report\.csv\?\S*X-Amz-Expires=3600", report_text)
    assert "a été supprimé de nos serveurs" in report_text
    assert not re.search(r"mot de passe", report_text, re.IGNORECASE)
    assert not any(name in report_text for name in LAST_NAMES)
    # AND the import record says the report e-mail was sent
    assert result.record is not None
    assert result.record.report_mail is not None
    assert result.record.report_mail.status.value == "sent"


def test_the_management_account_is_activated_and_never_touched_by_imports(
    make_chain: Callable[..., LocalChain],
    write_file: Callable[[str, bytes], Path],
    state_dir: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    chain = make_chain()
    first = chain.run_file(write_file("export.csv", ent_csv(SCHOOL)), UAI)
    token = re.search(r"#token=([\w-]+)", _parsed(first.mails[0])[1])
    assert token
    # WHEN the manager activates the account with the e-mailed link, then logs in
    assert main(["activate", token.group(1), "--password", NEW_PASSWORD, "--state-dir", str(state_dir)]) == 0
    assert main(["login", UAI, "--password", NEW_PASSWORD, "--state-dir", str(state_dir)]) == 0
    capsys.readouterr()
    # AND the school is imported again (the UAI account is not in the file)
    again = chain.run_file(write_file("export.csv", ent_csv(SCHOOL)), UAI)
    # THEN the account is neither suspended nor changed, and no second activation e-mail goes out
    assert not again.registered_establishment
    assert again.record is not None
    assert again.record.counts is not None
    assert again.record.counts.suspended == 0
    assert [p.name for p in again.mails] == [f"0003-import_report-{UAI}.eml"]
    environment = chain.stack.environment()
    with chain.session():
        accounts = DynamoDbPlatform(environment["PLATFORM_TABLE"], environment["PLATFORM_ID"]).accounts(UAI)
    [manager] = [a for a in accounts if a.origin is AccountOrigin.LOCAL_MANAGER]
    assert manager.username == UAI
    assert manager.status is AccountStatus.ACTIVE


def test_a_refused_file_sends_the_failure_email_in_plain_french(
    make_chain: Callable[..., LocalChain], write_file: Callable[[str, bytes], Path]
) -> None:
    result = make_chain().run_file(write_file("export.csv", b""), UAI)
    assert result.status is ImportStatus.REFUSED
    [failure] = [p for p in result.mails if "import_failure" in p.name]
    parsed, text = _parsed(failure)
    assert parsed["To"] == MAILBOX
    assert "n'a pas pu être faite" in _subject(parsed)
    assert "Aucun compte n'a été modifié" in text
    assert "Type d'export « Export classique », Classe « Toutes », Profil « Tous »" in text
    assert "a été supprimé de nos serveurs" in text


def test_siecle_students_get_login_sheets_offered_by_link_and_never_in_the_email(
    make_chain: Callable[..., LocalChain], write_file: Callable[[str, bytes], Path]
) -> None:
    # GIVEN a school without ENT: its SIECLE export
    result = make_chain().run_file(write_file("ElevesSansAdresses.zip", siecle_zip(UAI, 25)), UAI)
    assert result.status is ImportStatus.COMPLETED
    # THEN the per-class sheets and their CSV are beside the report, one card per new student
    [sheets] = [p for p in result.report_files if p.name == "fiches-de-connexion.html"]
    assert sheets.read_text(encoding="utf-8").count('class="card"') == 25
    [csv_sheets] = [p for p in result.report_files if p.name == "fiches-de-connexion.csv"]
    passwords = [line.split(";")[4] for line in csv_sheets.read_text(encoding="utf-8-sig").splitlines()[1:]]
    assert len(passwords) == 25
    assert all(len(p) >= 12 for p in passwords)
    # AND the report e-mail links to them (short-lived) but holds no password
    [report] = [p for p in result.mails if "import_report" in p.name]
    _, text = _parsed(report)
    assert re.search(rf"/login-sheets/{UAI}/{result.import_id}/fiches-de-connexion\.html\?\S*X-Amz-Expires=3600", text)
    assert "réservé au gestionnaire" in text
    assert "Fiches de connexion des 25 nouveaux comptes sans ENT" in text
    assert not any(password in text for password in passwords)
    assert not re.search(r"mot de passe", text, re.IGNORECASE)
    # AND no clear password is left in the staging area
    assert result.leftover_keys == []
