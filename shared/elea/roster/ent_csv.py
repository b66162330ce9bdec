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
from typing import BinaryIO, Protocol

from elea.errors import RosterRefused
from elea.models.issue import Issue
from elea.models.roster import Roster, RosterFormat
from elea.roster.classes import merge_lookalike_classes
from elea.roster.content_dates import newest_day
from elea.roster.ent import row_issues
from elea.roster.ent.encoding import (
    UTF8,
    UTF8_SIG,
    UTF16,
    eight_bit_encoding,
    refuse_empty,
    refuse_not_text,
    sniff_encoding,
)
from elea.roster.ent.headers import FRENCH_LABELS, HeaderLayout, read_header
from elea.roster.ent.line_text import PerLineDecoder, has_utf8_text
from elea.roster.ent.rows import RowsRead, read_rows
from elea.roster.issue_log import DEFAULT_MAX_ROW_ERRORS, IssueLog

_EXPORT_CLASSIQUE = (
    "Exportez à nouveau depuis la console d'administration de l'ENT : Imports / Exports, "
    "Type d'export « Export classique », Classe « Toutes », Profil « Tous »."
)
# A header is a few hundred characters, whatever its generation or language.
_MAX_HEADER_CHARS = 16 * 1024


def read_ent_csv(stream: BinaryIO, source_name: str, *, max_errors: int = DEFAULT_MAX_ROW_ERRORS) -> Roster:
    """Reads an ENT export. Raises RosterRefused (empty_file, not_text, no_header, no_rows, too_many_errors)."""
    if not stream.seekable():
        stream = io.BytesIO(stream.read())
    encoding = sniff_encoding(stream, source_name)
    if encoding in (UTF8, UTF8_SIG):
        try:
            return _read(stream, source_name, encoding, max_errors)
        except UnicodeDecodeError:
            # UTF-8 at the start but not further on: some lines are in another encoding.
            pass
    if encoding != UTF16 and has_utf8_text(stream):
        # UTF-8 text with a few lines that are not: those lines alone are read as cp1252, with a warning.
        decoder = PerLineDecoder(stream)
        return _parse(decoder, source_name, UTF8_SIG if encoding == UTF8_SIG else UTF8, max_errors, decoder)
    if encoding in (UTF8, UTF8_SIG):
        encoding = eight_bit_encoding(stream, source_name)  # an 8-bit file with a plain-ASCII head
    try:
        return _read(stream, source_name, encoding, max_errors)
    except UnicodeDecodeError:
        raise refuse_not_text(source_name, f"il n'est pas lisible en {encoding}") from None


def _read(stream: BinaryIO, source_name: str, encoding: str, max_errors: int) -> Roster:
    stream.seek(0)
    text = io.TextIOWrapper(stream, encoding=encoding, newline=None)
    try:
        return _parse(text, source_name, encoding, max_errors, None)
    finally:
        text.detach()  # the caller owns the binary stream: do not close it


def _parse(text: TextLines, source_name: str, encoding: str, max_errors: int, decoder: PerLineDecoder | None) -> Roster:
    with _gc_paused():
        header_line_number, layout = _read_header(text, source_name)
        rows = read_rows(text, layout, header_line_number + 1, IssueLog(max_errors))
    if decoder is not None:
        for line in decoder.cp1252_lines:
            rows.issues.append(row_issues.line_in_cp1252(line))
    if not rows.people and not rows.issues:
        raise RosterRefused(
            f"Le fichier « {source_name} » n'a qu'un en-tête (ligne {header_line_number}) et aucune ligne de compte.",
            code="no_rows",
            file=source_name,
            line=header_line_number,
            hint=_EXPORT_CLASSIQUE,
        )
    return _roster(rows, encoding, rows.issues.finish(source_name, _EXPORT_CLASSIQUE))


class TextLines(Protocol):
    """A text file's lines: io.TextIOWrapper, or PerLineDecoder for a file of mixed encodings."""

    def readline(self, size: int = -1, /) -> str: ...

    def __iter__(self) -> Iterator[str]: ...


def _read_header(text: TextLines, source_name: str) -> tuple[int, HeaderLayout]:
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


def _roster(rows: RowsRead, encoding: str, issues: list[Issue]) -> Roster:
    people, classes, merged = merge_lookalike_classes(list(rows.people.values()), rows.class_names)
    # Every part is already typed: skip re-checking 100,000 Person instances.
    return Roster.model_construct(
        format=RosterFormat.ENT_CSV,
        encoding=encoding,
        uai=rows.schools.most_named_uai(),
        people=people,
        classes=sorted(classes, key=_natural_order),
        issues=issues + merged,
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
    """Building 100,000 people triggers full collections that find nothing and double the time.

    Switched back on, the collector would first sweep everything built meanwhile, all of it in its
    youngest generation (a pass over 200,000 objects, a sixth of the parse). What the parse built is
    long-lived: it goes straight to the oldest generation instead (freeze then unfreeze, two list moves),
    which only full collections look at, as they would once it had aged there. Nothing is left out of
    the collector's reach; what someone else froze is never thawed.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if gc.get_freeze_count() == 0:
                gc.freeze()
                gc.unfreeze()
            gc.enable()
