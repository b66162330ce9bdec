from __future__ import annotations

from elea.establishments.bulk_load import load_establishments
from elea.establishments.establishment import new_establishment
from elea.establishments.register import RegistrationOutcome, register_establishment
from tests.fakes.registry import FakeRegistry

FILE = (
    "uai;nom;departement;bassin\n"
    "0771234Y;Collège Jean Moulin;77;3\n"
    "0930001W;Lycée Évariste Galois;93;1\n"
    "0750001U;Lycée;75;X\n"
).encode()


def test_loading_registers_every_valid_line_and_reports_the_bad_ones() -> None:
    registry = FakeRegistry()
    result = load_establishments(FILE, file_name="etab.csv", services=registry.services())
    assert result.outcomes[RegistrationOutcome.CREATED] == 2
    assert result.activations_sent == 2
    assert [(i.line, i.code) for i in result.issues] == [(4, "invalid_basin")]
    assert {m.to for m in registry.mailer.sent} == {"0771234y@ac-creteil.fr", "0930001w@ac-creteil.fr"}


def test_loading_the_same_file_again_changes_nothing_and_sends_nothing() -> None:
    registry = FakeRegistry()
    load_establishments(FILE, file_name="etab.csv", services=registry.services())
    again = load_establishments(FILE, file_name="etab.csv", services=registry.services())
    assert again.outcomes[RegistrationOutcome.UNCHANGED] == 2
    assert again.activations_sent == 0
    assert len(registry.mailer.sent) == 2


def test_a_line_that_cannot_be_registered_is_reported_on_its_line_and_the_next_ones_go_on() -> None:
    registry = FakeRegistry()
    # GIVEN an establishment already registered in another basin
    register_establishment(
        new_establishment(uai="0771234Y", name="Collège", department="77", basin="9"), registry.services()
    )
    result = load_establishments(FILE, file_name="etab.csv", services=registry.services())
    assert [(i.line, i.code) for i in result.issues] == [(2, "establishment_platform_changed"), (4, "invalid_basin")]
    assert result.outcomes[RegistrationOutcome.CREATED] == 1


def test_an_activation_mail_that_failed_is_sent_when_the_file_is_loaded_again() -> None:
    registry = FakeRegistry()
    registry.mailer.failures_to_come = 1
    first = load_establishments(FILE, file_name="etab.csv", services=registry.services())
    assert next((i.line, i.code) for i in first.issues) == (2, "mail_delivery_failed")
    again = load_establishments(FILE, file_name="etab.csv", services=registry.services())
    assert again.activations_sent == 1
    assert len(registry.mailer.sent) == 2
