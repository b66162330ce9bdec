"""The local platform between runs: the DynamoDB tables' items as JSON under --state-dir, loaded
into moto at the start of a run and written back at its end. Local tooling only."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from elea.errors import EleaError
from elea_local.saved_platform import FORMAT_VERSION, saved_tables_problem, tables_checksum

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

STATE_FILE = "platform-state.json"
# This local platform's settings, as `sam deploy --parameter-overrides` gives them to a deployed one.
PARAMETERS_FILE = "parameters.json"
DEFAULT_STATE_DIR = Path(".elea-local")
# The state dir holds children's data and clear passwords (login sheets, activation e-mails): what a
# command creates in it is readable by its user only (folders 0700, files 0600).
PRIVATE_UMASK = 0o077
PRIVATE_FOLDER = 0o700
PRIVATE_FILE = 0o600


class StateDirUnusable(EleaError):
    code = "state_dir_unusable"


_HINT = "Indiquez avec --state-dir un dossier où vous pouvez écrire (par défaut : .elea-local/)."


class LocalStateDir:
    def __init__(self, root: Path) -> None:
        self.root = root

    @property
    def state_file(self) -> Path:
        return self.root / STATE_FILE

    @property
    def parameters_file(self) -> Path:
        return self.root / PARAMETERS_FILE

    def parameter_overrides(self, declared: dict[str, Any]) -> dict[str, str]:
        """The template parameters this local platform sets, e.g. {"ImportedProfiles":
        "student,teacher,personnel,relative"} to import parents; none without the file. Checked against
        the template's declarations (`declared`: its Parameters) as CloudFormation would."""
        if not self.parameters_file.is_file():
            return {}
        try:
            saved = json.loads(self.parameters_file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            saved = None
        if not isinstance(saved, dict):
            raise StateDirUnusable(
                f"Les paramètres de la plateforme locale ({self.parameters_file}) ne sont pas un objet JSON.",
                code="invalid_local_parameters",
                hint='Écrivez par exemple {"ImportedProfiles": "student,teacher,personnel,relative"}.',
            )
        values = {name: str(value) for name, value in saved.items()}
        return checked_overrides(values, declared, str(self.parameters_file))

    @property
    def reports_dir(self) -> Path:
        return self.root / "reports"

    @property
    def mail_dir(self) -> Path:
        """Every e-mail sent locally, as .eml (issue 4)."""
        return self.root / "mail"

    @property
    def log_file(self) -> Path:
        return self.root / "logs" / "elea-import.log"

    @contextmanager
    def opened(self) -> Iterator[None]:
        """The one way into the state dir: while a command works in it, every folder and file created
        (by the runner, the handlers' logs, moto's downloads) is private to the user. The umask is the
        process's: it is set for the session only and given back when it closes."""
        previous = os.umask(PRIVATE_UMASK)
        try:
            self._prepare()
            yield
        finally:
            os.umask(previous)

    def _prepare(self) -> None:
        """Creates the folders a command writes to: a --state-dir that is a file or cannot be written is
        a French refusal, before anything runs, not a traceback half-way. What an earlier version left
        readable by others is closed: our folders become 0700 and the saved platform 0600 (the
        --state-dir folder itself is left alone if it existed: it may be the user's own)."""
        try:
            self.root.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
            for folder in (self.log_file.parent, self.mail_dir, self.reports_dir):
                if folder.is_dir():
                    folder.chmod(PRIVATE_FOLDER)
            for file in (self.state_file, self.parameters_file):
                if file.is_file():
                    file.chmod(PRIVATE_FILE)
            self.log_file.parent.mkdir(mode=PRIVATE_FOLDER, exist_ok=True)
            with self.log_file.open("a", encoding="utf-8"):
                pass
        except OSError as error:
            raise StateDirUnusable(
                f"Le dossier d'état « {self.root} » n'est pas utilisable ({error.strerror or error}).",
                hint=_HINT,
            ) from None

    def load_tables(
        self,
        put: Callable[[str, dict[str, Any]], None],
        table_names: dict[str, str],
        key_schemas: dict[str, dict[str, str]] | None = None,
    ) -> int:
        """Puts the saved items into the (empty) moto tables with `put(table, item)`; returns how many.
        `key_schemas` (logical id → key attribute → type) lets a damaged item be refused before any put."""
        if not self.state_file.exists():
            return 0
        saved = self._saved_state(key_schemas or {})
        count = 0
        for logical_id, items in saved.get("tables", {}).items():
            name = table_names.get(logical_id)
            if name is None:
                continue
            for item in items:
                try:
                    put(name, item)
                except Exception as error:  # whatever moto says of an item it cannot take: the file is damaged
                    raise self._corrupt("un élément ne peut pas être rechargé") from error
            count += len(items)
        return count

    def _saved_state(self, key_schemas: dict[str, dict[str, str]] | None = None) -> dict[str, Any]:
        try:
            saved = json.loads(self.state_file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError):
            raise self._corrupt("ce n'est pas du JSON lisible") from None
        problem = saved_tables_problem(saved, key_schemas or {})
        if problem is not None:
            raise self._corrupt(problem)
        result: dict[str, Any] = saved
        return result

    def _corrupt(self, problem: str) -> StateDirUnusable:
        return StateDirUnusable(
            f"L'état de la plateforme locale ({self.state_file}) est illisible ou d'un format inconnu : {problem}. "
            "Rien n'a été modifié.",
            code="state_dir_corrupt",
            hint="Déplacez ou supprimez ce dossier pour repartir d'une plateforme vide.",
        )

    def save_tables(
        self,
        table_names: dict[str, str],
        *,
        read_items: Callable[[str], list[dict[str, Any]]],
        written: set[str] | None = None,
    ) -> None:
        """Writes every table's items, read by `read_items(table)` (the runner's, straight from moto's backend:
        no Scan); with `written` (table names), the others keep their saved items."""
        saved: dict[str, Any] = {}
        if written is not None and self.state_file.exists():
            saved = self._saved_state().get("tables", {})
        tables: dict[str, list[dict[str, Any]]] = {}
        for logical_id, name in sorted(table_names.items()):
            if written is not None and name not in written and logical_id in saved:
                tables[logical_id] = saved[logical_id]
                continue
            items = read_items(name)
            tables[logical_id] = sorted(items, key=lambda item: json.dumps(item, sort_keys=True))
        self.root.mkdir(parents=True, exist_ok=True)
        temporary = self.state_file.with_suffix(".tmp")
        temporary.write_text(
            json.dumps(
                {"format": FORMAT_VERSION, "tables": tables, "checksum": tables_checksum(tables)}, ensure_ascii=False
            ),
            encoding="utf-8",
        )
        os.replace(temporary, self.state_file)

    def copy_reports(self, client: S3Client, bucket: str, prefix: str) -> list[Path]:
        """Copies the run's report files out of the local bucket, for the manager to open."""
        copied: list[Path] = []
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
            for item in page.get("Contents", []):
                key = item["Key"]
                # reports/{UAI}/{id}/… and login-sheets/{UAI}/{id}/… land in the same local folder.
                destination = self.reports_dir / key.partition("/")[2]
                destination.parent.mkdir(parents=True, exist_ok=True)
                client.download_file(bucket, key, str(destination))
                copied.append(destination)
        return sorted(copied)


def checked_overrides(values: dict[str, str], declared: dict[str, Any], origin: str) -> dict[str, str]:
    """Template parameter values checked as CloudFormation would, before anything runs."""
    for name, value in values.items():
        problem = _parameter_problem(declared.get(name), value)
        if problem is not None:
            raise StateDirUnusable(
                f"Paramètre « {name} » ({origin}) : {problem}.",
                code="invalid_local_parameters",
                hint=f"Paramètres possibles : {', '.join(sorted(declared))} (voir template.yaml).",
            )
    return values


def _parameter_problem(declaration: dict[str, Any] | None, value: str) -> str | None:
    """What CloudFormation would refuse in this value, in French; None if it is acceptable."""
    if declaration is None:
        return "ce paramètre n'existe pas"
    allowed = declaration.get("AllowedValues")
    if allowed is not None and value not in {str(item) for item in allowed}:
        return f"valeur « {value} » non permise ({', '.join(str(item) for item in allowed)})"
    pattern = declaration.get("AllowedPattern")
    if pattern is not None and re.fullmatch(pattern, value) is None:
        return f"valeur « {value} » non permise"
    if declaration.get("Type") == "Number":
        try:
            number = float(value)
        except ValueError:
            return f"« {value} » n'est pas un nombre"
        if "MinValue" in declaration and number < float(declaration["MinValue"]):
            return f"{value} est inférieur au minimum {declaration['MinValue']}"
        if "MaxValue" in declaration and number > float(declaration["MaxValue"]):
            return f"{value} est supérieur au maximum {declaration['MaxValue']}"
    return None
