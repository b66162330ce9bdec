"""Where a local command finds the Moodle token: ELEA_MOODLE_TOKEN, or a file named by ELEA_MOODLE_TOKEN_FILE.

Never a command-line argument (it would land in the shell history and in `ps`). Deployed, the token comes
from AWS Secrets Manager instead (elea.dal.secrets.moodle_tokens), one secret per platform.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from elea.dal.moodle.errors import MoodleConfigurationError

TOKEN_VARIABLE = "ELEA_MOODLE_TOKEN"  # noqa: S105 (a variable name, not a secret)
TOKEN_FILE_VARIABLE = "ELEA_MOODLE_TOKEN_FILE"  # noqa: S105
_HINT = (
    f"Définissez {TOKEN_VARIABLE}=JETON, ou {TOKEN_FILE_VARIABLE}=CHEMIN d'un fichier lisible par vous seul "
    "qui contient le jeton (jamais le jeton sur la ligne de commande)."
)


def local_token(environ: Mapping[str, str] | None = None) -> str:
    source = os.environ if environ is None else environ
    value = source.get(TOKEN_VARIABLE, "").strip()
    file_name = source.get(TOKEN_FILE_VARIABLE, "").strip()
    if value and file_name:
        raise MoodleConfigurationError(
            f"{TOKEN_VARIABLE} et {TOKEN_FILE_VARIABLE} sont tous deux définis : lequel utiliser ?",
            hint=f"Gardez-en un seul : {_HINT}",
        )
    if value:
        return value
    if not file_name:
        raise MoodleConfigurationError("Aucun jeton de service web Moodle n'est donné.", hint=_HINT)
    path = Path(file_name).expanduser()
    try:
        token = path.read_text(encoding="utf-8").strip()
    except OSError as error:
        raise MoodleConfigurationError(
            f"Le fichier du jeton « {path} » est illisible ({error.strerror or 'erreur système'}).", hint=_HINT
        ) from None
    if not token or len(token.splitlines()) != 1:
        raise MoodleConfigurationError(
            f"Le fichier du jeton « {path} » doit contenir le jeton, seul sur une ligne.", hint=_HINT
        )
    return token
