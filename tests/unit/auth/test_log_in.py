from __future__ import annotations

import re
from datetime import timedelta

import pytest

from elea.auth.activate import activate_account
from elea.auth.errors import LoginFailed, PasswordChangeRequired, TooManyAttempts
from elea.auth.login import log_in
from elea.auth.services import AuthServices
from elea.establishments.establishment import new_establishment
from elea.establishments.register import register_establishment
from tests.fakes.cheap_hashing import cheap_hashing
from tests.fakes.registry import FakeRegistry

UAI = "0771234Y"
PASSWORD = "Nouveau-Mot2passe"


def _auth(registry: FakeRegistry) -> AuthServices:
    return AuthServices(
        credentials=registry.credentials,
        establishments=registry.establishments,
        platforms=registry.platform,
        academy=registry.academy,
        hashing=cheap_hashing(),
        clock=registry.clock,
    )


def _registry(*, activated: bool = True) -> tuple[FakeRegistry, str]:
    registry = FakeRegistry()
    school = new_establishment(uai=UAI, name="Collège", department="77", basin="3")
    register_establishment(school, registry.services())
    text = registry.mailer.sent[-1].text
    token = re.search(r"#token=([A-Za-z0-9_-]+)", text)
    initial = re.search(r"Mot de passe initial : (\S+)", text)
    assert token
    assert initial
    if activated:
        activate_account(token.group(1), PASSWORD, _auth(registry))
    return registry, initial.group(1)


def test_an_activated_account_logs_in_with_its_new_password() -> None:
    registry, _ = _registry()
    result = log_in(" 0771234y ", PASSWORD, _auth(registry))
    assert (result.uai, result.platform_url) == (UAI, "https://idf-77-3.elea.apps.education.fr/")


def test_the_initial_password_of_a_pending_account_is_sent_to_the_activation_link() -> None:
    # GIVEN an account pending activation and the initial password from its e-mail
    registry, initial = _registry(activated=False)
    # WHEN the manager logs in with it THEN the answer says a new password is needed, and where to set it
    with pytest.raises(PasswordChangeRequired) as caught:
        log_in(UAI, initial, _auth(registry))
    assert caught.value.code == "password_change_required"
    assert caught.value.message == (
        "Un nouveau mot de passe est demandé à la première connexion : ouvrez le lien d'activation reçu par "
        "courriel (ou demandez-en un nouveau)."
    )


def test_a_wrong_password_on_a_pending_account_is_the_generic_counted_failure() -> None:
    # GIVEN an account pending activation
    registry, initial = _registry(activated=False)
    auth = _auth(registry)
    # WHEN someone guesses THEN each guess gets the answer of any wrong password, and counts
    for _ in range(5):
        with pytest.raises(LoginFailed) as caught:
            log_in(UAI, "Mauvais-Mot2passe", auth)
        assert caught.value.message == "Identifiant ou mot de passe incorrect."
    # AND once the limit is reached even the initial password is refused without saying the account is pending
    with pytest.raises(TooManyAttempts):
        log_in(UAI, initial, auth)


def test_once_activated_the_initial_password_is_a_wrong_password() -> None:
    registry, initial = _registry(activated=False)
    auth = _auth(registry)
    token = re.search(r"#token=([A-Za-z0-9_-]+)", registry.mailer.sent[-1].text)
    assert token
    activate_account(token.group(1), PASSWORD, auth)
    with pytest.raises(LoginFailed):
        log_in(UAI, initial, auth)
    assert log_in(UAI, PASSWORD, auth).uai == UAI


@pytest.mark.parametrize("uai", [UAI, "0930001W", "pas-un-uai"])
def test_a_wrong_password_unknown_account_or_malformed_uai_get_the_same_answer(uai: str) -> None:
    registry, _ = _registry()
    with pytest.raises(LoginFailed) as caught:
        log_in(uai, "Mauvais-Mot2passe", _auth(registry))
    assert caught.value.message == "Identifiant ou mot de passe incorrect."


def test_after_five_failures_in_fifteen_minutes_the_account_is_rate_limited_then_released() -> None:
    registry, _ = _registry()
    auth = _auth(registry)
    for _ in range(5):
        with pytest.raises(LoginFailed):
            log_in(UAI, "Mauvais-Mot2passe", auth)
    # WHEN a sixth attempt comes, even with the right password THEN it is refused without checking
    with pytest.raises(TooManyAttempts) as caught:
        log_in(UAI, PASSWORD, auth)
    assert caught.value.code == "too_many_attempts"
    assert 0 < caught.value.retry_after_seconds <= 15 * 60
    assert "Réessayez dans 15 minutes" in (caught.value.hint or "")
    # WHEN the window has passed THEN the right password works and the counter is cleared
    registry.clock.advance(timedelta(minutes=15, seconds=1))
    assert log_in(UAI, PASSWORD, auth).uai == UAI
    assert registry.credentials.manager(UAI).login_attempts == 0  # type: ignore[union-attr]


def test_a_success_clears_earlier_failures() -> None:
    registry, _ = _registry()
    auth = _auth(registry)
    for _ in range(4):
        with pytest.raises(LoginFailed):
            log_in(UAI, "Mauvais-Mot2passe", auth)
    log_in(UAI, PASSWORD, auth)
    for _ in range(4):
        with pytest.raises(LoginFailed):
            log_in(UAI, "Mauvais-Mot2passe", auth)
    assert log_in(UAI, PASSWORD, auth).uai == UAI
