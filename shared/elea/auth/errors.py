"""Login errors: French for people, stable codes for machines, nothing that tells which part was wrong."""

from __future__ import annotations

from elea.errors import EleaError


class LoginFailed(EleaError):
    code = "login_failed"

    def __init__(self) -> None:
        super().__init__(
            "Identifiant ou mot de passe incorrect.",
            hint="L'identifiant est le code UAI de l'établissement. Après plusieurs échecs, patientez avant de "
            "réessayer.",
        )


class AccountNotActivated(EleaError):
    code = "account_not_activated"

    def __init__(self) -> None:
        super().__init__(
            "Le compte de l'établissement n'est pas encore activé.",
            hint="Ouvrez le lien d'activation reçu par courriel sur la boîte fonctionnelle de l'établissement et "
            "choisissez un nouveau mot de passe.",
        )


class TooManyAttempts(EleaError):
    code = "too_many_attempts"

    def __init__(self, *, retry_after_seconds: int) -> None:
        minutes = max(1, -(-retry_after_seconds // 60))
        super().__init__(
            "Trop de tentatives de connexion ont échoué pour ce compte.",
            hint=f"Réessayez dans {minutes} minute{'s' if minutes > 1 else ''}.",
        )
        self.retry_after_seconds = retry_after_seconds


class InvalidRequest(EleaError):
    """The request body is not what the API expects (missing field, not JSON)."""

    code = "invalid_request"
