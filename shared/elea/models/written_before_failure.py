"""What an import that failed had already written to the platform, so that no message says
« aucun compte n'a été modifié » when some were."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

NOTHING_WRITTEN = "Aucun compte n'a été modifié."


def _plural(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count == 1 else plural}"


class WrittenBeforeFailure(BaseModel):
    """Counts from the steps that had finished (staged chunk outcomes, the deprovisioning file, the
    classes step's answer): each is exact for what it covers. `interrupted` says a writing step
    stopped midway, so some of its writes may be applied without being counted."""

    model_config = ConfigDict(frozen=True)

    created: int = Field(default=0, ge=0)
    updated: int = Field(default=0, ge=0)
    suspended: int = Field(default=0, ge=0)
    cohorts_created: int = Field(default=0, ge=0)
    cohorts_emptied: int = Field(default=0, ge=0)
    interrupted: bool = False

    def in_french(self) -> list[str]:
        """What a head of school reads: one sentence per kind of change, then how to finish."""
        lines = [
            f"{_plural(count, singular, plural)} avant l'erreur."
            for count, singular, plural in (
                (self.created, "compte a été créé", "comptes ont été créés"),
                (self.updated, "compte a été modifié", "comptes ont été modifiés"),
                (self.suspended, "compte a été suspendu", "comptes ont été suspendus"),
                (self.cohorts_created, "cohorte a été créée", "cohortes ont été créées"),
                (self.cohorts_emptied, "cohorte a été vidée", "cohortes ont été vidées"),
            )
            if count
        ]
        if self.interrupted:
            lines.append("L'importation s'est arrêtée en cours d'écriture : d'autres comptes ont pu être modifiés.")
        elif not lines:
            lines.append("Aucun compte n'a été modifié avant l'erreur.")
        lines.append("Déposez à nouveau le même fichier : l'importation se terminera, sans créer de compte en double.")
        return lines


def what_was_written(written: WrittenBeforeFailure | None) -> list[str]:
    """None: the import stopped before any write (a refused file, a failure while reading it)."""
    return [NOTHING_WRITTEN] if written is None else written.in_french()
