"""The header line of an ENT "Export classique", in every generation and browser language.

Source: entcore `directory/src/main/resources/view-src/text/export.id.txt` and its i18n files.
- before 2019 (literal French): Id;Id Siecle;Type;Nom;Prénom;Login;Code d'activation;Fonction(s);
  Structure(s);Classe(s);Enfant(s);Parent(s)
- 2019–2020 (literal French): the same plus "Alias de login" after "Login".
- since April 2020 the header goes through i18n, so it follows the browser's language. French:
  Id;Identifiant SIECLE;Type;Nom;Prénom;Identifiant;Login personnalisé (Alias);Code d'activation;
  Fonctions;Établissements;Classes;Enfants;Parents;Dernière connexion;Courriel;Téléphone.
  entcore's English bundle lacks some keys and then prints the key itself ("attachmentId",
  "directory.userLoginAlias", "directory.admin.last.login"); the others are "Name", "First name",
  "Login", "Activation code :", "Structures", "Children", "Relatives", "email", "Phone".

Columns are found by name, never by position, so a re-ordered or extended export still reads.
The login column is the ENT's original login ("Identifiant" / "Login"): the alias column holds
the alias when one is set and is not kept (the alias can change, the login is the stable key).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import StrEnum


class Column(StrEnum):
    ID = "id"
    SIECLE_ID = "siecle_id"
    TYPE = "type"
    LAST_NAME = "last_name"
    FIRST_NAME = "first_name"
    LOGIN = "login"
    LOGIN_ALIAS = "login_alias"
    ACTIVATION_CODE = "activation_code"
    FUNCTIONS = "functions"
    STRUCTURES = "structures"
    CLASSES = "classes"
    CHILDREN = "children"
    RELATIVES = "relatives"
    LAST_LOGIN = "last_login"
    EMAIL = "email"
    PHONE = "phone"


REQUIRED_COLUMNS = (Column.ID, Column.TYPE, Column.LAST_NAME, Column.FIRST_NAME, Column.LOGIN)

# What the manager sees in the French export, to name a column in a message.
FRENCH_LABELS: dict[Column, str] = {
    Column.ID: "Id",
    Column.TYPE: "Type",
    Column.LAST_NAME: "Nom",
    Column.FIRST_NAME: "Prénom",
    Column.LOGIN: "Identifiant",
}


def clean_label(label: str) -> str:
    """A header cell without its quotes, surrounding spaces and a BOM left by a wrong decoding."""
    return label.strip().lstrip("\ufeff").removeprefix("ï»¿").strip().strip('"').strip()


def normalise_label(label: str) -> str:
    """Case, accents, quotes, spaces and a stray BOM do not matter in a header cell."""
    text = clean_label(label)
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(text.split())


_LABELS: dict[Column, tuple[str, ...]] = {
    Column.ID: ("Id", "ID ENT", "Identifiant ENT"),
    Column.SIECLE_ID: ("Identifiant SIECLE", "Id Siecle", "attachmentId", "SIECLE Id", "SIECLE identifier"),
    Column.TYPE: ("Type", "Profil", "Profile"),
    Column.LAST_NAME: ("Nom", "Name", "Last name", "Lastname", "Nom de famille"),
    Column.FIRST_NAME: ("Prénom", "First name", "Firstname"),
    Column.LOGIN: ("Identifiant", "Login"),
    Column.LOGIN_ALIAS: (
        "Login personnalisé (Alias)",
        "Alias de login",
        "directory.userLoginAlias",
        "Login alias",
        "Custom login (Alias)",
    ),
    Column.ACTIVATION_CODE: ("Code d'activation", "Activation code :", "Activation code"),
    Column.FUNCTIONS: ("Fonctions", "Fonction(s)", "Functions", "Function(s)"),
    Column.STRUCTURES: ("Établissements", "Structure(s)", "Structures", "Établissement(s)"),
    Column.CLASSES: ("Classes", "Classe(s)", "Class(es)"),
    Column.CHILDREN: ("Enfants", "Enfant(s)", "Children"),
    Column.RELATIVES: ("Parents", "Parent(s)", "Relatives"),
    Column.LAST_LOGIN: ("Dernière connexion", "directory.admin.last.login", "Last login", "Last connection"),
    Column.EMAIL: ("Courriel", "email", "E-mail", "Mail"),
    Column.PHONE: ("Téléphone", "Phone", "Mobile"),
}

_COLUMN_BY_LABEL: dict[str, Column] = {
    normalise_label(label): column for column, labels in _LABELS.items() for label in labels
}

# Excel and LibreOffice re-saves may change the separator; the ENT writes ";".
DELIMITERS = (";", "\t", ",")


class Generation(StrEnum):
    CURRENT = "current"
    FROM_2019_TO_2020 = "2019-2020"
    BEFORE_2019 = "before-2019"


@dataclass(frozen=True, slots=True)
class HeaderLayout:
    """Where each known column sits in a row, and how rows are separated."""

    delimiter: str
    width: int
    positions: dict[Column, int]
    # The header cell as written in the file, to name a column the way the manager sees it.
    labels: dict[Column, str]
    generation: Generation

    def position(self, column: Column) -> int | None:
        return self.positions.get(column)

    def label(self, column: Column) -> str:
        return self.labels.get(column) or FRENCH_LABELS.get(column, column.value)


def read_header(line: str) -> tuple[HeaderLayout | None, tuple[Column, ...]]:
    """The layout of a header line, or None and the required columns the best guess lacks."""
    best_missing: tuple[Column, ...] = REQUIRED_COLUMNS
    for delimiter in DELIMITERS:
        cells = line.split(delimiter)
        positions: dict[Column, int] = {}
        labels: dict[Column, str] = {}
        for index, cell in enumerate(cells):
            column = _COLUMN_BY_LABEL.get(normalise_label(cell))
            if column is not None and column not in positions:
                positions[column] = index
                labels[column] = clean_label(cell)
        missing = tuple(column for column in REQUIRED_COLUMNS if column not in positions)
        if not missing:
            return HeaderLayout(delimiter, len(cells), positions, labels, _generation(positions)), ()
        if len(missing) < len(best_missing):
            best_missing = missing
    return None, best_missing


def _generation(positions: dict[Column, int]) -> Generation:
    if Column.EMAIL in positions or Column.LAST_LOGIN in positions:
        return Generation.CURRENT
    if Column.LOGIN_ALIAS in positions:
        return Generation.FROM_2019_TO_2020
    return Generation.BEFORE_2019
