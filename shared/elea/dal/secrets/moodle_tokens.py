"""Each platform's Moodle token, from AWS Secrets Manager: one secret per platform id, read once per process.

The secret's name comes from a pattern setting holding `{platform_id}` (e.g. `elea-import/moodle/{platform_id}`);
its SecretString is the token itself, or a JSON object {"token": "..."}. The token is never logged.
"""

from __future__ import annotations

import json
import threading
from typing import TYPE_CHECKING

from botocore.exceptions import BotoCoreError, ClientError

from elea.dal.aws_errors import aws_error_code
from elea.dal.moodle.errors import MoodleConfigurationError
from elea.errors import PlatformError

if TYPE_CHECKING:
    from mypy_boto3_secretsmanager import SecretsManagerClient

_PLACEHOLDER = "{platform_id}"
_HINT = (
    "Créez le secret de la plateforme (un par plateforme) avec le jeton du service web elea_import, "
    "puis relancez l'import."
)


class MoodleTokenSecrets:
    def __init__(self, client: SecretsManagerClient, name_pattern: str) -> None:
        if _PLACEHOLDER not in name_pattern:
            raise MoodleConfigurationError(
                f"Le modèle de nom des secrets Moodle doit contenir {_PLACEHOLDER}.",
                hint="Par exemple : elea-import/moodle/{platform_id}.",
            )
        self._client = client
        self._pattern = name_pattern
        self._lock = threading.Lock()
        self._tokens: dict[str, str] = {}

    def secret_name(self, platform_id: str) -> str:
        return self._pattern.replace(_PLACEHOLDER, platform_id)

    def token(self, platform_id: str) -> str:
        with self._lock:
            if platform_id not in self._tokens:
                self._tokens[platform_id] = self._read(platform_id)
            return self._tokens[platform_id]

    def forget(self, platform_id: str) -> None:
        """After Moodle refused the token (rotated?), the next call reads the secret again."""
        with self._lock:
            self._tokens.pop(platform_id, None)

    def _read(self, platform_id: str) -> str:
        name = self.secret_name(platform_id)
        try:
            answer = self._client.get_secret_value(SecretId=name)
        except ClientError as error:
            code = aws_error_code(error)
            if code in ("ResourceNotFoundException", "AccessDeniedException", "DecryptionFailure"):
                raise MoodleConfigurationError(
                    f"Le jeton Moodle de la plateforme {platform_id} est introuvable ou illisible "
                    f"(secret « {name} » ; {code}).",
                    hint=_HINT,
                ) from None
            raise PlatformError(
                f"Le gestionnaire de secrets n'a pas répondu ({code}).", hint="Réessayez dans quelques minutes."
            ) from None
        except BotoCoreError as error:
            raise PlatformError(
                f"Le gestionnaire de secrets n'a pas répondu ({type(error).__name__}).",
                hint="Réessayez dans quelques minutes.",
            ) from None
        token = _token_of(answer.get("SecretString", ""))
        if not token:
            raise MoodleConfigurationError(
                f"Le secret « {name} » de la plateforme {platform_id} ne contient pas de jeton.",
                hint='Mettez-y le jeton seul, ou {"token": "JETON"}.',
            )
        return token


def _token_of(secret: str) -> str:
    text = secret.strip()
    if text.startswith("{"):
        try:
            value = json.loads(text).get("token", "")
        except (ValueError, AttributeError):
            return ""
        return str(value).strip() if isinstance(value, str) else ""
    return text
