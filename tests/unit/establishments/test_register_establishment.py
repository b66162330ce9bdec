from __future__ import annotations

import re
from datetime import timedelta

import pytest

from elea.credentials.manager_credential import ManagerStatus
from elea.credentials.tokens import token_digest
from elea.establishments.errors import EstablishmentNotRegistered, EstablishmentPlatformChanged, ManagerUsernameTaken
from elea.establishments.establishment import new_establishment
from elea.establishments.register import RegistrationOutcome, register_establishment
from elea.establishments.resend import resend_activation
from elea.mail.message import MailKind
from elea.models.person import Profile
from elea.ports.platform import Account, AccountChange, AccountOrigin, AccountStatus
from tests.fakes.registry import FakeRegistry

UAI = "0771234Y"
PLATFORM = "idf-77-3"
SCHOOL = new_establishment(uai=UAI, name="Collège Jean Moulin", department="77", basin="3")

_TOKEN_IN_LINK = re.compile(r"#token=([A-Za-z0-9_-]+)")
_PASSWORD_LINE = re.compile(r"Mot de passe initial : (\S+)")


def _token_and_password(text: str) -> tuple[str, str]:
    token, password = _TOKEN_IN_LINK.search(text), _PASSWORD_LINE.search(text)
    assert token
    assert password
    return token.group(1), password.group(1)


def test_first_registration_creates_the_flagged_manager_account_and_sends_the_activation_mail() -> None:
    registry = FakeRegistry()
    # WHEN a new establishment is registered
    result = register_establishment(SCHOOL, registry.services())
    # THEN it is stored, its management account exists, flagged and pending activation
    assert result.outcome is RegistrationOutcome.CREATED
    assert result.activation_sent
    assert registry.establishments.get(UAI) == SCHOOL
    [account] = registry.platform(PLATFORM).accounts(UAI)
    assert (account.username, account.origin, account.status) == (
        UAI,
        AccountOrigin.LOCAL_MANAGER,
        AccountStatus.PENDING_ACTIVATION,
    )
    assert account.is_flagged
    # AND one activation e-mail went to the school's functional mailbox with everything the procedure needs
    [mail] = registry.mailer.sent
    assert (mail.kind, mail.to, mail.uai) == (MailKind.ACTIVATION, "0771234y@ac-creteil.fr", UAI)
    token, password = _token_and_password(mail.text)
    assert "https://idf-77-3.elea.apps.education.fr/" in mail.text
    assert f"Nom d'utilisateur : {UAI}" in mail.text
    assert "Un nouveau mot de passe vous sera demandé à la première connexion" in mail.text
    assert len(password) >= 12
    assert len(token) >= 22
    assert f"#token={token}" in mail.html
    assert password in mail.html
    # AND the login step asks for the new password: the initial one stops working once the link is used
    step_two = mail.text[mail.text.index("2. CONNECTEZ-VOUS") :]
    assert "votre nouveau mot de passe" in step_two
    assert password not in step_two
    assert "le mot de passe initial ci-dessus ne fonctionne plus" in mail.text
    # AND a first connection with the initial password is sent to the activation link, which can be re-issued
    assert "la connexion vous renvoie alors au lien d'activation" in mail.text
    assert "demandez-en un nouveau" in mail.text


def test_only_hashes_are_stored_never_the_clear_password_or_token() -> None:
    registry = FakeRegistry()
    register_establishment(SCHOOL, registry.services())
    token, password = _token_and_password(registry.mailer.sent[0].text)
    credential = registry.credentials.manager(UAI)
    assert credential is not None
    # THEN the stored secrets are an argon2id hash and a SHA-256 digest
    assert credential.password_hash.startswith("$argon2id$")
    assert password not in credential.password_hash
    assert credential.token_digest == token_digest(token)
    assert token not in repr(credential)
    assert credential.status is ManagerStatus.PENDING_ACTIVATION
    assert credential.token_expires_at == registry.clock.now + timedelta(days=7)
    assert credential.mail_sent_at == registry.clock.now


def test_same_data_twice_changes_nothing_and_sends_no_second_mail() -> None:
    registry = FakeRegistry()
    register_establishment(SCHOOL, registry.services())
    puts, writes = registry.establishments.puts, registry.platform(PLATFORM).writes
    # WHEN the same establishment is registered again
    again = register_establishment(SCHOOL, registry.services())
    # THEN nothing is written and no mail goes
    assert again.outcome is RegistrationOutcome.UNCHANGED
    assert not again.activation_sent
    assert (registry.establishments.puts, registry.platform(PLATFORM).writes) == (puts, writes)
    assert len(registry.mailer.sent) == 1


def test_a_changed_name_updates_the_registry_and_the_account_without_a_new_mail() -> None:
    registry = FakeRegistry()
    register_establishment(SCHOOL, registry.services())
    renamed = SCHOOL.model_copy(update={"name": "Collège Lucie Aubrac"})
    result = register_establishment(renamed, registry.services())
    assert result.outcome is RegistrationOutcome.UPDATED
    assert result.changed_fields == ("name",)
    assert registry.establishments.get(UAI) == renamed
    assert registry.platform(PLATFORM).accounts(UAI)[0].last_name == "Collège Lucie Aubrac"
    assert len(registry.mailer.sent) == 1


def test_moving_to_another_basin_is_refused() -> None:
    registry = FakeRegistry()
    register_establishment(SCHOOL, registry.services())
    with pytest.raises(EstablishmentPlatformChanged) as caught:
        register_establishment(SCHOOL.model_copy(update={"basin": "4"}), registry.services())
    assert caught.value.code == "establishment_platform_changed"
    assert registry.establishments.get(UAI) == SCHOOL


def test_a_mail_that_failed_is_issued_again_on_the_next_registration() -> None:
    registry = FakeRegistry()
    registry.mailer.failures_to_come = 1
    # GIVEN a registration whose e-mail could not be sent
    with pytest.raises(Exception, match="courriel"):
        register_establishment(SCHOOL, registry.services())
    assert registry.credentials.manager(UAI) is not None
    assert registry.credentials.manager(UAI).mail_sent_at is None
    # WHEN it is run again THEN a fresh activation goes out
    result = register_establishment(SCHOOL, registry.services())
    assert result.activation_sent
    assert len(registry.mailer.sent) == 1


def test_resend_issues_a_new_link_and_the_old_one_stops_working() -> None:
    registry = FakeRegistry()
    register_establishment(SCHOOL, registry.services())
    old_token, old_password = _token_and_password(registry.mailer.sent[0].text)
    # WHEN the activation is sent again
    resend_activation(UAI, registry.services())
    new_token, new_password = _token_and_password(registry.mailer.sent[1].text)
    # THEN the old token is unknown and the new one is the account's only token
    assert new_token != old_token
    assert new_password != old_password
    assert registry.credentials.manager_by_token(token_digest(old_token)) is None
    assert registry.credentials.manager_by_token(token_digest(new_token)) is not None


def test_resend_for_an_unknown_establishment_is_a_french_error() -> None:
    with pytest.raises(EstablishmentNotRegistered, match="n'est pas inscrit"):
        resend_activation(UAI, FakeRegistry().services())


def test_registering_a_school_whose_username_a_pupil_already_holds_is_refused_and_writes_nothing() -> None:
    # GIVEN a platform where an account of another school already holds the UAI as username, in another case
    registry = FakeRegistry()
    squatter = Account(username=UAI.lower(), ent_id="x1", last_name="N", first_name="P", profile=Profile.STUDENT)
    registry.platform(PLATFORM).write_accounts("0750001A", [AccountChange(before=None, after=squatter)])
    # WHEN the school registers
    with pytest.raises(ManagerUsernameTaken) as refused:
        register_establishment(SCHOOL, registry.services())
    # THEN it is refused loudly, with a French message and a stable code
    assert refused.value.code == "manager_username_taken"
    assert "déjà utilisé" in refused.value.message
    # AND nothing was written: no registry entry, no second account, no e-mail
    assert registry.establishments.get(UAI) is None
    assert registry.platform(PLATFORM).accounts(UAI) == []
    assert registry.mailer.sent == []
