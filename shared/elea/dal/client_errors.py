"""Turning botocore ClientError into our own errors, so no adapter leaks AWS types upward."""

from __future__ import annotations

from botocore.exceptions import BotoCoreError, ClientError

from elea.errors import PlatformError


def error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def storage_error(error: ClientError | BotoCoreError, *, what: str) -> PlatformError:
    """A French message without data, the AWS error code for the operators."""
    code = error_code(error) if isinstance(error, ClientError) else type(error).__name__
    return PlatformError(
        f"Le stockage n'a pas répondu ({what} ; {code}).",
        hint="Réessayez dans quelques minutes ; si l'erreur persiste, contactez le support académique.",
    )
