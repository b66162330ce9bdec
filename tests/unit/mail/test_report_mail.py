from __future__ import annotations

import re

from elea.establishments.academy import AcademySettings
from elea.establishments.establishment import new_establishment
from elea.mail.import_summary import (
    CohortCounts,
    ImportSummary,
    ReportCounts,
    ReportedFailure,
    ReportedIssue,
    reported_issues,
)
from elea.mail.message import MailKind
from elea.mail.report_mail import ReportLinks, headline, report_message
from elea.models.issue import Issue, Severity
from elea.models.written_before_failure import WrittenBeforeFailure

UAI = "0771234Y"
ACADEMY = AcademySettings(activation_page_url="https://auth.example/activation")
SCHOOL = new_establishment(uai=UAI, name="Collège Jean Moulin", department="77", basin="3")
LINKS = ReportLinks(report="https://reports.example/r.csv?sig=1")


def _summary(**overrides: object) -> ImportSummary:
    values: dict[str, object] = {
        "import_id": "imp-1",
        "uai": UAI,
        "counts": ReportCounts(created=3, updated=558, unchanged=12, protected=2, suspended=4, skipped=40, errors=2),
        "cohorts": CohortCounts(created=1, unchanged=24, emptied=1),
        "first_issues": (ReportedIssue(line=12, code="missing_login", message="L'identifiant est vide."),),
        "issue_count": 1,
        "report_key": f"reports/{UAI}/imp-1/report.csv",
        "export_deleted": True,
    }
    return ImportSummary.model_validate(values | overrides)


def test_headline_reads_as_the_platform_shows_it() -> None:
    assert headline(_summary()) == "570 utilisateurs actualisés, 3 utilisateurs créés, 2 utilisateurs protégés"
    one = _summary(counts=ReportCounts(updated=1, created=0, protected=1))
    assert headline(one) == "1 utilisateur actualisé, 0 utilisateurs créés, 1 utilisateur protégé"


def test_report_goes_to_the_mailbox_of_the_imports_uai_with_every_count_the_link_and_the_deletion() -> None:
    message = report_message(_summary(), ACADEMY, SCHOOL, LINKS)
    assert (message.kind, message.to, message.uai) == (MailKind.IMPORT_REPORT, "0771234y@ac-creteil.fr", UAI)
    assert "570 utilisateurs actualisés" in message.subject
    for body in (message.text, message.html):
        assert "570 utilisateurs actualisés, 3 utilisateurs créés, 2 utilisateurs protégés" in body
        assert "ligne 12 : L'identifiant est vide. (missing_login)" in body or "ligne 12 : L&#39;identifiant" in body
        assert "https://reports.example/r.csv?sig=1" in body
        assert "a été supprimé de nos serveurs" in body
        assert "https://idf-77-3.elea.apps.education.fr/" in body
    assert "12 utilisateurs inchangés" in message.text
    assert "558 utilisateurs modifiés" in message.text
    assert "4 utilisateurs suspendus" in message.text
    assert "40 utilisateurs ignorés" in message.text
    assert "2 lignes en erreur" in message.text
    assert "1 créée, 24 inchangées, 1 vidée" in message.text
    assert "lien valable 1 heure" in message.text


def test_held_suspensions_are_said_to_wait_for_validation() -> None:
    message = report_message(_summary(held=45), ACADEMY, SCHOOL, LINKS)
    assert "45 suspensions en attente de votre validation" in message.text
    assert "Ces comptes n'ont pas été suspendus" in message.text
    assert "Suspensions en attente de votre validation" in message.html


def test_an_export_not_yet_deleted_is_said_plainly() -> None:
    message = report_message(_summary(export_deleted=False), ACADEMY, SCHOOL, LINKS)
    assert "n'a pas pu être supprimé tout de suite" in message.text


def test_html_is_escaped_and_text_is_not() -> None:
    issue = ReportedIssue(line=3, code="bad_row", message='Valeur « <b>&"x"</b> » refusée.')
    message = report_message(_summary(first_issues=(issue,)), ACADEMY, None, LINKS)
    assert "<b>&" not in message.html
    assert "&lt;b&gt;&amp;" in message.html
    assert '« <b>&"x"</b> »' in message.text


def test_failure_mail_says_what_was_wrong_and_how_to_export_again() -> None:
    failure = ReportedFailure(
        code="no_header", message="Le fichier export.csv n'a pas d'en-tête reconnu.", hint="Vérifiez le fichier."
    )
    summary = _summary(failure=failure, counts=ReportCounts(), report_key=None, first_issues=(), issue_count=0)
    message = report_message(summary, ACADEMY, SCHOOL, ReportLinks())
    assert message.kind is MailKind.IMPORT_FAILURE
    assert message.to == "0771234y@ac-creteil.fr"
    assert "n'a pas pu être faite" in message.subject
    for body in (message.text, message.html.replace("&#39;", "'")):
        assert "Aucun compte n'a été modifié" in body
        assert "no_header" not in body  # codes are for logs: the head of school reads French
        assert "Type d'export « Export classique », Classe « Toutes », Profil « Tous »" in body.replace("&#39;", "'")
        assert "a été supprimé de nos serveurs" in body


def test_a_failure_after_writes_says_what_was_written_and_never_that_nothing_was() -> None:
    # GIVEN a technical failure after 40 accounts were created, 3 updated and 2 suspended
    written = WrittenBeforeFailure(created=40, updated=3, suspended=2, cohorts_created=1, interrupted=True)
    failure = ReportedFailure(
        code="technical_failure",
        message="L'importation n'a pas pu aboutir à cause d'une erreur technique.",
        what_was_written=tuple(written.in_french()),
    )
    summary = _summary(failure=failure, counts=ReportCounts(created=40), report_key=None, first_issues=())
    # WHEN the failure e-mail is rendered
    message = report_message(summary, ACADEMY, SCHOOL, ReportLinks())
    # THEN both bodies say what was written, in French, and how to finish
    for body in (message.text, message.html.replace("&#39;", "'")):
        assert "Aucun compte n'a été modifié" not in body
        assert "40 comptes ont été créés avant l'erreur." in body
        assert "3 comptes ont été modifiés avant l'erreur." in body
        assert "2 comptes ont été suspendus avant l'erreur." in body
        assert "1 cohorte a été créée avant l'erreur." in body
        assert "Déposez à nouveau le même fichier" in body
        assert "technical_failure" not in body


def test_a_3000_row_import_renders_a_short_mail_with_the_first_errors_by_line() -> None:
    # GIVEN a 3,000-row import with 300 row errors
    issues = [
        Issue(line=line, severity=Severity.ERROR, code="missing_login", message="L'identifiant est vide.")
        for line in range(3001, 1, -10)
    ] + [Issue(line=5, severity=Severity.WARNING, code="left_school", message="Élève sorti.")]
    first, total = reported_issues(issues)
    summary = _summary(
        counts=ReportCounts(created=2700, updated=0, unchanged=0, protected=0, errors=300),
        first_issues=first,
        issue_count=total,
    )
    # WHEN the mail is rendered
    message = report_message(summary, ACADEMY, SCHOOL, LINKS)
    # THEN it lists the first 20 errors in line order and points to the full report for the rest
    lines = [int(n) for n in re.findall(r"ligne (\d+) :", message.text)]
    assert lines == sorted(lines)
    assert len(lines) == 20
    assert lines[0] == 11
    assert "… et 280 autres, dans le rapport complet." in message.text
    assert "0 utilisateurs actualisés, 2\u202f700 utilisateurs créés" in message.text
    assert len(message.html) < 20_000


def test_login_sheets_are_offered_by_link_only_never_in_the_body() -> None:
    summary = _summary(
        login_sheets_key=f"login-sheets/{UAI}/imp-1/fiches-de-connexion.html",
        login_sheets_csv_key=f"login-sheets/{UAI}/imp-1/fiches-de-connexion.csv",
        login_sheet_count=42,
    )
    links = ReportLinks(
        report=LINKS.report,
        login_sheets="https://reports.example/fiches.html?sig=2",
        login_sheets_csv="https://reports.example/fiches.csv?sig=3",
    )
    message = report_message(summary, ACADEMY, SCHOOL, links)
    for body in (message.text, message.html):
        assert "https://reports.example/fiches.html?sig=2" in body
        assert "https://reports.example/fiches.csv?sig=3" in body
        assert "42 nouveaux comptes" in body
        assert "réservé au gestionnaire" in body
        assert "Mot de passe" not in body
        assert "mot de passe" not in body


def test_checks_the_file_failed_say_why_nobody_was_suspended_and_what_to_do() -> None:
    # GIVEN an import whose 6 suspensions were held because the teachers were missing from the file
    check = ReportedFailure(
        code="profile_missing",
        message="Le fichier « export.csv » ne contient aucun compte enseignant, alors que la plateforme en a 6.",
        hint="Exportez à nouveau avec Profil « Tous ».",
    )
    message = report_message(_summary(held=6, checks=(check,)), ACADEMY, SCHOOL, LINKS)
    # THEN both parts of the e-mail give the reason, what to do and the code, and say the file failed a check
    for body in (message.text, message.html):
        assert "Contrôles avant suspension non satisfaits" in body
        assert "aucun compte enseignant" in body
        assert "Profil « Tous »" in body
        assert "profile_missing" in body
        assert "le fichier n'a pas passé les contrôles" in body
        assert "trop nombreux" not in body
