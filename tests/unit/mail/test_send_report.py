from __future__ import annotations

from datetime import timedelta

import pytest

from elea.establishments.academy import AcademySettings
from elea.establishments.establishment import new_establishment
from elea.mail.errors import ReportMailNotFound
from elea.mail.import_summary import ImportSummary, ReportCounts
from elea.mail.send_report import ReportMailOutcome, ReportMailServices, resend_import_report, send_import_report
from elea.models.report_mail_status import MailStatus
from tests.fakes.clocks import ManualClock
from tests.fakes.memory_establishments import InMemoryEstablishmentStore
from tests.fakes.memory_mailer import InMemoryMailer
from tests.fakes.memory_report_files import InMemoryReportFiles
from tests.fakes.memory_report_mail_log import InMemoryImportSummaries, InMemoryReportMailLog

UAI = "0771234Y"
SUMMARY = ImportSummary(
    import_id="imp-7",
    uai=UAI,
    counts=ReportCounts(created=3, updated=10),
    report_key=f"reports/{UAI}/imp-7/report.csv",
    export_deleted=True,
)


class World:
    def __init__(self) -> None:
        self.mailer = InMemoryMailer()
        self.files = InMemoryReportFiles()
        self.log = InMemoryReportMailLog()
        self.summaries = InMemoryImportSummaries()
        self.summaries.summaries[SUMMARY.import_id] = SUMMARY
        self.establishments = InMemoryEstablishmentStore()
        self.establishments.put(new_establishment(uai=UAI, name="Collège", department="77", basin="3"))
        self.clock = ManualClock()

    def services(self) -> ReportMailServices:
        return ReportMailServices(
            mailer=self.mailer,
            files=self.files,
            mail_log=self.log,
            summaries=self.summaries,
            establishments=self.establishments,
            academy=AcademySettings(activation_page_url="https://auth.example/activation"),
            clock=self.clock,
        )


def test_the_report_goes_to_the_uai_mailbox_with_a_one_hour_link_and_is_recorded_as_sent() -> None:
    world = World()
    result = send_import_report(SUMMARY, world.services(), previous=world.log.statuses.get(SUMMARY.import_id))
    assert result.outcome is ReportMailOutcome.SENT
    assert result.recipient == "0771234y@ac-creteil.fr"
    [message] = world.mailer.sent
    assert message.to == "0771234y@ac-creteil.fr"
    assert world.files.links == [(SUMMARY.report_key, timedelta(hours=1))]
    assert "https://reports.example/reports/0771234Y/imp-7/report.csv?expires=3600" in message.text
    entry = world.log.statuses.get("imp-7")
    assert entry is not None
    assert entry.status is MailStatus.SENT
    assert entry.message_id == "message-1"


def test_a_retried_report_step_does_not_send_twice() -> None:
    world = World()
    send_import_report(SUMMARY, world.services(), previous=world.log.statuses.get(SUMMARY.import_id))
    again = send_import_report(SUMMARY, world.services(), previous=world.log.statuses.get(SUMMARY.import_id))
    assert again.outcome is ReportMailOutcome.ALREADY_SENT
    assert len(world.mailer.sent) == 1


def test_a_mail_that_fails_is_recorded_then_resent_with_a_fresh_link() -> None:
    world = World()
    world.mailer.failures_to_come = 1
    # WHEN SES refuses the message
    failed = send_import_report(SUMMARY, world.services(), previous=world.log.statuses.get(SUMMARY.import_id))
    # THEN nothing is lost: the import records the failure and its reason
    assert failed.outcome is ReportMailOutcome.FAILED
    assert failed.reason == "Throttling"
    entry = world.log.statuses.get("imp-7")
    assert entry is not None
    assert (entry.status, entry.attempts, entry.last_error) == (
        MailStatus.FAILED,
        1,
        "Throttling",
    )
    # WHEN it is re-sent an hour later THEN it goes, with a new link
    world.clock.advance(timedelta(hours=2))
    resent = resend_import_report("imp-7", world.services())
    assert resent.outcome is ReportMailOutcome.SENT
    assert len(world.mailer.sent) == 1
    assert len(world.files.links) == 2
    entry = world.log.statuses.get("imp-7")
    assert entry is not None
    assert (entry.status, entry.attempts, entry.last_error) == (MailStatus.SENT, 2, None)


def test_the_recipient_never_comes_from_anywhere_but_the_imports_uai() -> None:
    world = World()
    # GIVEN an import of another, unregistered school
    other = SUMMARY.model_copy(update={"uai": "0930001W", "import_id": "imp-8"})
    result = send_import_report(other, world.services(), previous=None)
    # THEN it goes to that school's own mailbox only
    assert [m.to for m in world.mailer.sent] == ["0930001w@ac-creteil.fr"] == [result.recipient]


def test_resending_an_unknown_import_is_a_french_error() -> None:
    with pytest.raises(ReportMailNotFound, match="nope") as caught:
        resend_import_report("nope", World().services())
    assert caught.value.code == "report_mail_not_found"


def test_the_school_as_the_import_read_it_names_the_e_mail_without_a_registry_read() -> None:
    # GIVEN an import whose Parse step read the school, and a registry that would answer otherwise
    world = World()
    read = new_establishment(uai=UAI, name="Collège Jean Moulin", department="77", basin="3")
    summary = SUMMARY.model_copy(update={"establishment": read})
    world.establishments.put(new_establishment(uai=UAI, name="Autre nom", department="77", basin="3"))
    # WHEN its report is sent
    send_import_report(summary, world.services(), previous=None)
    # THEN the e-mail names the school as the import read it
    [message] = world.mailer.sent
    assert "Collège Jean Moulin" in message.text
    assert "Autre nom" not in message.text
