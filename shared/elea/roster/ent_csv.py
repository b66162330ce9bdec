"""ENT "Export classique" CSV reader: any header generation, language, encoding or Excel re-save.

The file is read as a stream of lines (never whole), decoded with the encoding sniffed from its
bytes. The first non-blank line must be the header (an Excel "sep=;" line before it is skipped);
each following physical line is one row. See the modules of `elea.roster.ent` for each step.
"""

from __future__ import annotations

import gc
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO

from elea.errors import RosterRefused
from elea.models.roster import Roster, RosterFormat
from elea.roster.content_dates import newest_day
from elea.roster.ent.encoding import (
    UTF8,
    UTF8_SIG,
    eight_bit_encoding,
    refuse_empty,
    refuse_not_text,
    sniff_encoding,
)
from elea.roster.ent.headers import FRENCH_LABELS, HeaderLayout, read_header
from elea.roster.ent.rows import RowsRead, read_rows

_EXPORT_CLASSIQUE = (
    "Exportez à nouveau depuis la console d'administration de l'ENT : Imports / Exports, "
    "Type d'export « Export classique », Classe « Toutes », Profil « Tous »."
)
# A header is a few hundred characters, whatever its generation or language.
_MAX_HEADER_CHARS = 16 * 1024


def read_ent_csv(stream: BinaryIO, source_name: str) -> Roster:
    """Reads an ENT export. Raises RosterRefused (empty_file, not_text, no_header, no_rows)."""
    if not stream.seekable():
        stream = io.BytesIO(stream.read())
    encoding = sniff_encoding(stream, source_name)
    try:
        return _read(stream, source_name, encoding)
    except UnicodeDecodeError:
        # UTF-8 looked right at the start but not further on: an 8-bit file with a plain-ASCII head.
        if encoding not in (UTF8, UTF8_SIG):
            raise refuse_not_text(source_name, f"il n'est pas lisible en {encoding}") from None
    stream.seek(0)
    encoding = eight_bit_encoding(stream, source_name)
    try:
        return _read(stream, source_name, encoding)
    except UnicodeDecodeError:
        raise refuse_not_text(source_name, "son encodage n'est pas reconnu") from None


def _read(stream: BinaryIO, source_name: str, encoding: str) -> Roster:
    stream.seek(0)
    text = io.TextIOWrapper(stream, encoding=encoding, newline=None)
    try:
        with _gc_paused():
            header_line_number, layout = _read_header(text, source_name)
            rows = read_rows(text, layout, header_line_number + 1)
    finally:
        text.detach()  # the caller owns the binary stream: do not close it
    if not rows.people and not rows.issues:
        raise RosterRefused(
            f"Le fichier « {source_name} » n'a qu'un en-tête (ligne {header_line_number}) et aucune ligne de compte.",
            code="no_rows",
            file=source_name,
            line=header_line_number,
            hint=_EXPORT_CLASSIQUE,
        )
    return _roster(rows, encoding)


def _read_header(text: io.TextIOWrapper, source_name: str) -> tuple[int, HeaderLayout]:
    line_number = 0
    # Read with a bound: a file that is one huge line (no header) is refused without holding it all.
    while line := text.readline(_MAX_HEADER_CHARS):
        line_number += 1
        if len(line) == _MAX_HEADER_CHARS and not line.endswith("\n"):
            raise RosterRefused(
                f"Le fichier « {source_name} » n'est pas un export ENT reconnu : la ligne {line_number} est bien "
                "trop longue pour être l'en-tête attendu.",
                code="no_header",
                file=source_name,
                line=line_number,
                hint=_EXPORT_CLASSIQUE,
            )
        if not line.strip() or line.lower().startswith("sep="):
            continue  # blank lines, and the "sep=;" line Excel understands
        layout, missing = read_header(line.rstrip("\r\n"))
        if layout is not None:
            return line_number, layout
        wanted = ", ".join(f"« {FRENCH_LABELS[column]} »" for column in missing)
        raise RosterRefused(
            f"Le fichier « {source_name} » n'est pas un export ENT reconnu : la ligne {line_number} n'est pas "
            f"l'en-tête attendu (colonnes introuvables : {wanted}).",
            code="no_header",
            file=source_name,
            line=line_number,
            hint=_EXPORT_CLASSIQUE,
        )
    raise refuse_empty(source_name)


def _roster(rows: RowsRead, encoding: str) -> Roster:
    # Every part is already typed: skip re-checking 100,000 Person instances.
    return Roster.model_construct(
        format=RosterFormat.ENT_CSV,
        encoding=encoding,
        uai=rows.schools.most_named_uai(),
        people=list(rows.people.values()),
        classes=sorted(rows.class_names, key=_natural_order),
        issues=rows.issues,
        school_uais=rows.schools.by_person,
        people_without_school_uai=rows.schools.people_without_uai(),
        structure_names=dict(rows.schools.names),
        content_date=newest_day(rows.last_login_days),
    )


def _natural_order(name: str) -> list[tuple[int, int | str]]:
    """ "6A" < "6B" < "2NDE10" after "2NDE9": numbers compare as numbers."""
    return [(0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", name) if part]


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Building 100,000 people triggers full collections that find nothing and double the time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
