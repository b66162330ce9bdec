"""An establishment (school) as the académie registers it."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from elea.domain.uai import validate_uai
from elea.errors import InvalidUai
from elea.establishments.errors import InvalidEstablishment

# Metropolitan departments, Corsica (2A, 2B) and overseas (971–976).
_DEPARTMENT = re.compile(r"^(?:[0-9]{2}|2[AB]|97[1-6])$")
_BASIN = re.compile(r"^[0-9]{1,2}$")
NAME_MAX_LENGTH = 200

_FIELD_ERRORS: dict[str, tuple[str, str]] = {
    "uai": (
        "invalid_uai",
        "Le code UAI doit comporter 7 chiffres suivis de la lettre de contrôle (exemple : 0771234Y).",
    ),
    "name": (
        "invalid_establishment_name",
        f"Le nom de l'établissement est vide ou dépasse {NAME_MAX_LENGTH} caractères.",
    ),
    "department": (
        "invalid_department",
        "Le département doit être un numéro à 2 chiffres (exemple : 77), 2A, 2B ou 971 à 976.",
    ),
    "basin": ("invalid_basin", "Le bassin doit être un numéro de 1 ou 2 chiffres (exemple : 3)."),
}


class Establishment(BaseModel):
    model_config = ConfigDict(frozen=True, str_strip_whitespace=True)

    uai: str
    name: str
    department: str
    basin: str
    # « Aperçu » by default (issue 8): the web page's checkbox starts ticked, so each upload is planned
    # and waits for « Lancer l'importation ». Off by default: the procedure's automatic import.
    dry_run_default: bool = False

    @field_validator("uai")
    @classmethod
    def _uai(cls, value: str) -> str:
        try:
            return validate_uai(value)
        except InvalidUai as error:
            raise ValueError(error.message) from None

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        # Several spaces or a tab from a spreadsheet must not make two names differ.
        name = " ".join(value.split())
        if not name or len(name) > NAME_MAX_LENGTH:
            raise ValueError(_FIELD_ERRORS["name"][1])
        return name

    @field_validator("department")
    @classmethod
    def _department(cls, value: str) -> str:
        department = value.strip().upper()
        # Excel turns "01" into "1": put the zero back.
        if department.isdigit() and len(department) == 1:
            department = department.zfill(2)
        if not _DEPARTMENT.match(department):
            raise ValueError(_FIELD_ERRORS["department"][1])
        return department

    @field_validator("basin")
    @classmethod
    def _basin(cls, value: str) -> str:
        basin = value.strip()
        if not _BASIN.match(basin):
            raise ValueError(_FIELD_ERRORS["basin"][1])
        return str(int(basin))


def new_establishment(*, uai: str, name: str, department: str, basin: str) -> Establishment:
    """Builds an establishment or raises InvalidEstablishment naming the first wrong field (stable code)."""
    try:
        return Establishment(uai=uai, name=name, department=department, basin=basin)
    except ValidationError as error:
        first = error.errors()[0]
        field = str(first["loc"][0])
        code, message = _FIELD_ERRORS[field]
        # The UAI check says which part is wrong (shape or check letter): keep its own sentence.
        cause = first.get("ctx", {}).get("error")
        if field == "uai" and cause is not None:
            message = str(cause)
        raise InvalidEstablishment(message, code=code, hint="Corrigez la valeur puis recommencez.") from None
