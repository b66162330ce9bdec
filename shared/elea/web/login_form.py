"""The login as a plain HTML form (works without JavaScript): POST /connexion, then a redirect.

A login form has no session yet, so its CSRF token hangs on a pre-session cookie instead: GET /connexion
sets `__Host-elea_login` (random, HttpOnly, Secure, SameSite=Strict) and puts its HMAC in a hidden field,
as the session's CSRF token is derived from the session cookie. A cross-site page never gets the cookie
sent (SameSite=Strict), and cannot read it to compute the field: it cannot log a manager into another
account. After the POST the browser is sent (303) to /accueil, or back to /connexion?erreur=CODE, where the
page says in French what was wrong: only a fixed code travels in the address, never a message."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from elea.auth.errors import LoginFailed, PasswordChangeRequired, TooManyAttempts
from elea.errors import EleaError
from elea.web.errors import CsrfInvalid
from elea.web.sessions import TOKEN_BYTES, TOKEN_MAX_LENGTH, csrf_token

LOGIN_COOKIE_NAME = "__Host-elea_login"
# Long enough to type a password, short enough not to linger.
LOGIN_COOKIE_SECONDS = 60 * 60
LOGIN_TOKEN_FIELD = "login_token"  # noqa: S105 - the hidden field's name, not a secret


class MissingCredentials(EleaError):
    code = "missing_credentials"

    def __init__(self) -> None:
        super().__init__(
            "Saisissez le nom d'utilisateur et le mot de passe.",
            hint="Le nom d'utilisateur est le code UAI (RNE) de l'établissement.",
        )


class LoginFormExpired(EleaError):
    """The form's token does not match its cookie: an old tab, cookies refused, or a cross-site post."""

    code = "login_form_expired"

    def __init__(self) -> None:
        super().__init__(
            "La page de connexion a expiré.",
            hint="Saisissez à nouveau vos identifiants sur cette page (les cookies doivent être acceptés).",
        )


class LoginUnavailable(EleaError):
    code = "login_unavailable"

    def __init__(self) -> None:
        super().__init__(
            "La connexion n'a pas pu aboutir pour le moment.",
            hint="Réessayez dans quelques minutes.",
        )


@dataclass(frozen=True)
class LoginForm:
    cookie: str  # the pre-session cookie's value (set again, or new)
    field: str  # the hidden field's value
    new: bool


def login_form(cookie: str | None) -> LoginForm:
    """The form for this browser: its current pre-session cookie if it has a plausible one (two tabs share
    it), else a new one."""
    if cookie and len(cookie) <= TOKEN_MAX_LENGTH:
        return LoginForm(cookie=cookie, field=csrf_token(cookie), new=False)
    fresh = secrets.token_urlsafe(TOKEN_BYTES)
    return LoginForm(cookie=fresh, field=csrf_token(fresh), new=True)


def check_login_form(cookie: str | None, field: str | None) -> None:
    if not cookie or len(cookie) > TOKEN_MAX_LENGTH or not field:
        raise CsrfInvalid()
    if not hmac.compare_digest(field.encode("utf-8"), csrf_token(cookie).encode("utf-8")):
        raise CsrfInvalid()


@dataclass(frozen=True)
class LoginNotice:
    """What the server-rendered Connexion page says above the form."""

    kind: str  # the DSFR alert: error, info, success
    title: str
    message: str
    hint: str | None = None
    activation_url: str | None = None


def refusal_query(error: EleaError) -> str:
    """The query string of the redirect back to /connexion: a fixed code (and minutes to wait)."""
    if isinstance(error, TooManyAttempts):
        minutes = max(1, -(-error.retry_after_seconds // 60))
        return urlencode({"erreur": error.code, "minutes": minutes})
    if isinstance(error, CsrfInvalid):
        return urlencode({"erreur": LoginFormExpired.code})
    known = error.code in _REFUSALS
    return urlencode({"erreur": error.code if known else LoginUnavailable.code})


def _too_many(query: Mapping[str, str]) -> EleaError:
    minutes = query.get("minutes", "")
    return TooManyAttempts(retry_after_seconds=60 * (int(minutes) if minutes.isdigit() and len(minutes) < 4 else 1))


_REFUSALS: dict[str, Callable[[Mapping[str, str]], EleaError]] = {
    LoginFailed.code: lambda _: LoginFailed(),
    TooManyAttempts.code: _too_many,
    PasswordChangeRequired.code: lambda _: PasswordChangeRequired(),
    MissingCredentials.code: lambda _: MissingCredentials(),
    LoginFormExpired.code: lambda _: LoginFormExpired(),
    LoginUnavailable.code: lambda _: LoginUnavailable(),
}


def login_notice(query: Mapping[str, str], *, activation_url: str) -> LoginNotice | None:
    """The notice for /connexion?erreur=CODE (or ?session=expiree|terminee); None for anything else."""
    refusal = _REFUSALS.get(query.get("erreur", ""))
    if refusal is not None:
        error = refusal(query)
        if isinstance(error, PasswordChangeRequired):
            return LoginNotice("error", "Activez d'abord le compte", error.message, error.hint, activation_url)
        return LoginNotice("error", "Connexion impossible", error.message, error.hint)
    reason = query.get("session")
    if reason == "expiree":
        return LoginNotice(
            "info",
            "Session expirée",
            "Votre session a expiré après un moment d'inactivité : reconnectez-vous pour continuer.",
        )
    if reason == "terminee":
        return LoginNotice("success", "Déconnexion", "Vous êtes déconnecté.")
    return None
