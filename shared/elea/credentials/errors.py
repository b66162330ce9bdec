"""Errors about passwords and activation, in French, with stable codes."""

from __future__ import annotations

from elea.errors import EleaError


class WeakPassword(EleaError):
    """The chosen password does not follow the policy; `code` says which rule."""

    code = "weak_password"


class ActivationLinkInvalid(EleaError):
    """Unknown, used, replaced or expired: one error for all, so a caller cannot tell which."""

    code = "activation_link_invalid"

    def __init__(self) -> None:
        super().__init__(
            "Ce lien d'activation n'est pas valide : il a expiré, a déjà été utilisé ou a été remplacé "
            "par un envoi plus récent.",
            hint="Utilisez le lien du dernier courriel reçu, ou demandez un nouvel envoi à votre référent Éléa.",
        )
