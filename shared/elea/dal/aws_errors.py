"""botocore errors of the storage adapters, as our own errors (no AWS type leaks upward)."""

from __future__ import annotations

from botocore.exceptions import BotoCoreError, ClientError

from elea.errors import ConcurrentChange, PlatformError

MISSING_OBJECT_CODES = frozenset({"404", "NoSuchKey", "NotFound"})


def aws_error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def storage_error(error: ClientError | BotoCoreError, *, operation: str) -> PlatformError:
    """A French message without data; the AWS error code for operators."""
    code = aws_error_code(error) if isinstance(error, ClientError) else type(error).__name__
    if code == "ConditionalCheckFailedException":
        return ConcurrentChange(
            f"Une autre exécution a modifié l'import entre-temps ({operation}).",
            hint="L'étape sera rejouée automatiquement.",
        )
    return PlatformError(
        f"Le stockage n'a pas répondu ({operation} ; {code}).",
        hint="Réessayez dans quelques minutes ; si l'erreur persiste, contactez le support académique.",
    )
