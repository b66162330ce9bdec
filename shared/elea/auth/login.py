"""POST /login: the management account signs in with its UAI; rate-limited per UAI."""

from __future__ import annotations

from dataclasses import dataclass

from elea.auth.errors import LoginFailed, PasswordChangeRequired, TooManyAttempts
from elea.auth.services import AuthServices
from elea.credentials.manager_credential import ManagerStatus
from elea.domain.uai import is_valid_uai


@dataclass(frozen=True)
class LoggedIn:
    uai: str
    platform_url: str | None


def log_in(uai: str, password: str, services: AuthServices) -> LoggedIn:
    """The attempt is counted before the password is checked, so parallel guesses cannot pass the limit;
    a locked account is refused without checking the password at all.

    An account pending activation is told apart only after its password matched: the initial password
    from the e-mail then gets PasswordChangeRequired (the way to the activation link), while a wrong
    password gets the same counted LoginFailed as any account, so a guesser learns nothing."""
    username = uai.strip().upper()
    credential = services.credentials.manager(username) if is_valid_uai(username) else None
    if credential is None:
        services.hashing.verify(None, password)  # same cost as a real account
        raise LoginFailed()
    now = services.clock()
    window = services.login_window
    if not services.credentials.reserve_login_attempt(
        username, at=now, window=window, limit=services.login_attempt_limit
    ):
        since = credential.attempts_since or now
        raise TooManyAttempts(retry_after_seconds=max(1, int((since + window - now).total_seconds())))
    if not services.hashing.verify(credential.password_hash, password):
        raise LoginFailed()
    services.credentials.clear_login_attempts(username)
    if credential.status is not ManagerStatus.ACTIVE:
        raise PasswordChangeRequired()
    establishment = services.establishments.get(username)
    platform_url = services.academy.platform_url(establishment) if establishment is not None else None
    return LoggedIn(uai=username, platform_url=platform_url)
