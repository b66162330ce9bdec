"""Moodle's answers as our errors: a stable English code, a French message, never personal data.

Moodle answers errors as HTTP 200 `{exception, errorcode, message}`. Its `message` can name a username or
an e-mail (e.g. "user username=x not exists"), so it is never copied into ours: only Moodle's errorcode,
which is a fixed word, is kept (`moodle_errorcode`), and only when it looks like one (a weak password answers
the policy's HTML as errorcode).
"""

from __future__ import annotations

import re

from elea.errors import PlatformError

_SUPPORT = "Si l'erreur persiste, contactez l'administrateur de la plateforme Éléa."

# Moodle errorcode -> (our stable code, French message, what to do).
_KNOWN: dict[str, tuple[str, str, str]] = {
    "invalidtoken": (
        "moodle_invalid_token",
        "La plateforme Éléa refuse le jeton du service web (jeton inconnu, expiré ou révoqué).",
        "Demandez à l'administrateur de la plateforme un nouveau jeton pour le service elea_import.",
    ),
    "accessexception": (
        "moodle_function_missing",
        "Le service web de la plateforme Éléa n'autorise pas une fonction dont l'import a besoin.",
        "Ajoutez la fonction au service elea_import (voir « elea-import moodle check »).",
    ),
    "nopermissions": (
        "moodle_missing_capability",
        "Le compte du service web n'a pas une capacité dont l'import a besoin sur la plateforme Éléa.",
        "Donnez au rôle du compte de service les capacités listées par « elea-import moodle check ».",
    ),
    "invalidparameter": (
        "moodle_invalid_parameter",
        "La plateforme Éléa a refusé des données (valeur invalide, identifiant déjà pris ou en double).",
        "Vérifiez la ligne signalée dans le fichier ; " + _SUPPORT.lower(),
    ),
    "invaliduser": (
        "moodle_unknown_user",
        "La plateforme Éléa ne connaît pas un des comptes demandés.",
        "Le compte a peut-être été supprimé à la main ; relancez l'import.",
    ),
    "invalidrecord": (
        "moodle_unknown_record",
        "La plateforme Éléa ne trouve pas un enregistrement demandé (cohorte supprimée ?).",
        "Relancez l'import ; " + _SUPPORT.lower(),
    ),
    "servicerequireslogin": (
        "moodle_invalid_token",
        "La plateforme Éléa refuse le jeton du service web.",
        "Demandez à l'administrateur de la plateforme un nouveau jeton pour le service elea_import.",
    ),
    "webservicesnotenabled": (
        "moodle_web_services_disabled",
        "Les services web ne sont pas activés sur la plateforme Éléa.",
        "Activez les services web et le protocole REST (Administration du site > Serveur > Services web).",
    ),
}
_CAPABILITY_CODES = frozenset({"nopermissions", "required_capability_exception"})
_WORD = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


class MoodleError(PlatformError):
    """Base of every Moodle failure."""

    code = "moodle_error"


class MoodleCallError(MoodleError):
    """Moodle answered a call with an error (HTTP 200 and an `exception` object)."""

    code = "moodle_call_error"

    def __init__(self, message: str, *, code: str, moodle_errorcode: str | None, hint: str | None = None) -> None:
        super().__init__(message, code=code, hint=hint)
        self.moodle_errorcode = moodle_errorcode

    def to_dict(self) -> dict[str, str | None]:
        data = super().to_dict()
        data["moodle_errorcode"] = self.moodle_errorcode
        return data


class MoodleUnavailable(MoodleError):
    """Moodle did not answer (network, timeout, HTTP 5xx) after every attempt."""

    code = "moodle_unavailable"


class MoodleConfigurationError(MoodleError):
    """Our side is wrong: a plain-HTTP URL off loopback, no token, a malformed URL."""

    code = "moodle_configuration_error"


class MoodleTokenInsufficient(MoodleError):
    """The token works but lacks functions or capabilities the import needs (`missing`: their names)."""

    code = "moodle_token_insufficient"

    def __init__(self, message: str, *, missing: list[str], hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.missing = list(missing)


def call_error(exception: str, errorcode: str, function: str) -> MoodleCallError:
    """Our error for Moodle's `{exception, errorcode, message}`; Moodle's message is dropped (it may name people)."""
    word = errorcode if _WORD.match(errorcode) else None
    if errorcode in _CAPABILITY_CODES or exception.endswith("required_capability_exception"):
        word = word or "nopermissions"
        code, message, hint = _KNOWN["nopermissions"]
    elif word is None and exception.endswith("moodle_exception"):
        # The password policy answers its HTML as errorcode.
        code = "moodle_password_refused"
        message = "La plateforme Éléa refuse le mot de passe : il ne respecte pas sa politique de mots de passe."
        hint = "Vérifiez la politique de mots de passe de la plateforme (Administration du site > Sécurité)."
    elif word in _KNOWN:
        code, message, hint = _KNOWN[word]
    else:
        code = "moodle_call_failed"
        message = "La plateforme Éléa a refusé une demande de l'import."
        hint = _SUPPORT
    return MoodleCallError(f"{message} (fonction {function})", code=code, moodle_errorcode=word, hint=hint)
