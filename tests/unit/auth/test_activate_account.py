from __future__ import annotations

import re
from datetime import timedelta

import pytest

from elea.auth.activate import activate_account
from elea.auth.services import AuthServices
from elea.credentials.errors import ActivationLinkInvalid, WeakPassword
from elea.credentials.manager_credential import ManagerStatus
from elea.credentials.tokens import new_activation_token
from elea.establishments.establishment import new_establishment
from elea.establishments.register import register_establishment
from elea.establishments.resend import resend_activation
from elea.ports.platform import AccountStatus
from tests.fakes.cheap_hashing import cheap_hashing
from tests.fakes.registry import FakeRegistry

UAI = "0771234Y"
PLATFORM = "idf-77-3"
GOOD_PASSWORD = "Nouveau-Mot2passe"


class CountingHashing:
    """Counts argon2 computations, to show every failing path costs the same."""

    def __init__(self) -> None:
        self.inner = cheap_hashing()
        self.calls: list[str] = []

    def hash(self, password: str) -> str:
        self.calls.append("hash")
        return self.inner.hash(password)

    def verify(self, stored_hash: str | None, password: str) -> bool:
        self.calls.append("verify")
        return self.inner.verify(stored_hash, password)

    def spend_same_work(self, password: str) -> None:
        self.calls.append("hash")
        self.inner.spend_same_work(password)


def _registered() -> tuple[FakeRegistry, str]:
    registry = FakeRegistry()
    register_establishment(
        new_establishment(uai=UAI, name="Collège Jean Moulin", department="77", basin="3"), registry.services()
    )
    token = re.search(r"#token=([A-Za-z0-9_-]+)", registry.mailer.sent[-1].text)
    assert token
    return registry, token.group(1)


def _auth(registry: FakeRegistry, hashing: object | None = None) -> AuthServices:
    return AuthServices(
        credentials=registry.credentials,
        establishments=registry.establishments,
        platforms=registry.platform,
        academy=registry.academy,
        hashing=hashing or cheap_hashing(),  # type: ignore[arg-type]
        clock=registry.clock,
    )


def test_a_valid_token_activates_the_account_with_the_new_password() -> None:
    registry, token = _registered()
    result = activate_account(token, GOOD_PASSWORD, _auth(registry))
    assert result.uai == UAI
    assert result.platform_url == "https://idf-77-3.elea.apps.education.fr/"
    credential = registry.credentials.manager(UAI)
    assert credential is not None
    assert credential.status is ManagerStatus.ACTIVE
    assert cheap_hashing().verify(credential.password_hash, GOOD_PASSWORD)
    # AND the platform account is active too
    assert registry.platform(PLATFORM).accounts(UAI)[0].status is AccountStatus.ACTIVE


def test_the_token_is_single_use() -> None:
    registry, token = _registered()
    activate_account(token, GOOD_PASSWORD, _auth(registry))
    with pytest.raises(ActivationLinkInvalid):
        activate_account(token, "Autre-Mot2passe!", _auth(registry))


def test_the_token_expires_after_seven_days() -> None:
    registry, token = _registered()
    registry.clock.advance(timedelta(days=7))
    with pytest.raises(ActivationLinkInvalid):
        activate_account(token, GOOD_PASSWORD, _auth(registry))


def test_a_token_still_works_just_before_expiry() -> None:
    registry, token = _registered()
    registry.clock.advance(timedelta(days=7) - timedelta(seconds=1))
    assert activate_account(token, GOOD_PASSWORD, _auth(registry)).uai == UAI


def test_a_resent_link_replaces_the_old_one() -> None:
    registry, old = _registered()
    resend_activation(UAI, registry.services())
    with pytest.raises(ActivationLinkInvalid):
        activate_account(old, GOOD_PASSWORD, _auth(registry))


def test_unknown_used_and_expired_tokens_get_the_same_error_after_the_same_work() -> None:
    outcomes = []
    for case in ("unknown", "used", "expired"):
        registry, token = _registered()
        if case == "unknown":
            token = "x" * 43
        elif case == "used":
            activate_account(token, GOOD_PASSWORD, _auth(registry))
        else:
            registry.clock.advance(timedelta(days=8))
        hashing = CountingHashing()
        # WHEN the token is used THEN the same error, the same argon2 work
        with pytest.raises(ActivationLinkInvalid) as caught:
            activate_account(token, GOOD_PASSWORD, _auth(registry, hashing))
        outcomes.append((caught.value.code, caught.value.message, hashing.calls))
    assert outcomes[0] == outcomes[1] == outcomes[2]
    assert outcomes[0][2] == ["hash"]
    assert "expiré" in outcomes[0][1]
    assert "déjà été utilisé" in outcomes[0][1]


def test_a_password_containing_the_uai_does_not_tell_an_expired_token_from_an_unknown_one() -> None:
    # GIVEN an expired token (its pointer still names the UAI) and an unknown one
    outcomes = []
    for case in ("unknown", "expired"):
        registry, token = _registered()
        if case == "unknown":
            token = "y" * 43
        else:
            registry.clock.advance(timedelta(days=8))
        hashing = CountingHashing()
        # WHEN the chosen password contains the UAI
        with pytest.raises(ActivationLinkInvalid) as caught:
            activate_account(token, "Mon0771234yAmoi", _auth(registry, hashing))
        outcomes.append((caught.value.code, hashing.calls))
    # THEN both get the invalid-link answer after the same work, not "contains the username" for one
    assert outcomes[0] == outcomes[1] == ("activation_link_invalid", ["hash"])


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("Court1a", "password_too_short"),
        ("tout-en-minuscules-1", "password_needs_uppercase"),
        ("TOUT-EN-MAJUSCULES-1", "password_needs_lowercase"),
        ("Sans-Chiffre-Aucun", "password_needs_digit"),
        ("Mon0771234yAmoi", "password_contains_username"),
        ("Aa1" + "x" * 200, "password_too_long"),
    ],
)
def test_the_password_policy_is_enforced_with_a_stable_code(password: str, code: str) -> None:
    registry, token = _registered()
    with pytest.raises(WeakPassword) as caught:
        activate_account(token, password, _auth(registry))
    assert caught.value.code == code
    assert caught.value.hint
    # AND the token is still usable once a good password is chosen
    assert activate_account(token, GOOD_PASSWORD, _auth(registry)).uai == UAI


def test_tokens_are_long_random_and_never_read_as_a_command_line_option() -> None:
    tokens = {new_activation_token() for _ in range(2000)}
    assert len(tokens) == 2000
    assert all(len(t) >= 43 and not t.startswith("-") for t in tokens)
