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


class PasswordChangeRequired(EleaError):
    """The initial password from the activation e-mail was right, but the account is still pending: only
    someone holding that password gets this answer (a wrong one gets LoginFailed, as for any account)."""

    code = "password_change_required"

    def __init__(self) -> None:
        super().__init__(
            "Un nouveau mot de passe est demandé à la première connexion : ouvrez le lien d'activation reçu par "
            "courriel (ou demandez-en un nouveau).",
            hint="Le lien est dans le courriel envoyé à la boîte fonctionnelle de l'établissement ; s'il a expiré "
            "ou servi, votre référent Éléa peut en envoyer un nouveau.",
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
