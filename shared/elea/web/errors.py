"""Errors of the web API: a stable English code, a French message and what to do."""

from __future__ import annotations

from elea.errors import EleaError


class SessionExpired(EleaError):
    code = "session_expired"

    def __init__(self) -> None:
        super().__init__(
            "Votre session a expiré ou vous n'êtes pas connecté.",
            hint="Connectez-vous à nouveau avec le code UAI de l'établissement et votre mot de passe.",
        )


class CsrfInvalid(EleaError):
    code = "csrf_invalid"

    def __init__(self) -> None:
        super().__init__(
            "La demande n'a pas pu être vérifiée.",
            hint="Rechargez la page puis recommencez.",
        )


class ImportNotFound(EleaError):
    """The same answer for an unknown import and another school's: nothing leaks."""

    code = "import_not_found"

    def __init__(self) -> None:
        super().__init__(
            "Cette importation est introuvable.",
            hint="Revenez à la page d'accueil : l'historique liste les importations de votre établissement.",
        )


class UploadNotFound(EleaError):
    code = "upload_not_found"

    def __init__(self) -> None:
        super().__init__(
            "Ce dépôt est introuvable.",
            hint="Déposez à nouveau le fichier depuis la page « Importer des utilisateurs ».",
        )


class UploadRefused(EleaError):
    """The file cannot be accepted before it is even sent (name or size)."""

    code = "upload_refused"


class ReportUnavailable(EleaError):
    code = "report_unavailable"

    def __init__(self) -> None:
        super().__init__(
            "Le rapport de cette importation n'est pas disponible.",
            hint="Il est écrit à la fin de l'importation et conservé pendant la durée prévue ; "
            "s'il a été effacé, importez à nouveau le fichier.",
        )


class NothingHeld(EleaError):
    code = "nothing_held"

    def __init__(self) -> None:
        super().__init__(
            "Cette importation n'a aucune suspension en attente.",
            hint="Les suspensions ont déjà été appliquées, ou vous avez choisi de ne pas suspendre.",
        )


class InvalidRequest(EleaError):
    code = "invalid_request"
