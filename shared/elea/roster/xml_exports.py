"""SIECLE ElevesSansAdresses and STS-web sts_emp readers (owned by the SIECLE work).

The format is recognised from the root element, never from the file name: managers
rename files, and browsers save a second download as "export(1).csv".
"""

from __future__ import annotations

import re

from elea.errors import RosterRefused
from elea.models.issue import Issue, Severity
from elea.models.roster import Roster
from elea.roster.issue_log import DEFAULT_MAX_ROW_ERRORS
from elea.roster.siecle import eleves, sts_emp
from elea.roster.siecle.defused_stream import stream_xml
from elea.roster.siecle.element_reader import ElementReader

_ACCEPTED = (
    "Fichiers XML acceptés : ElevesSansAdresses.xml (SIECLE : Exports > Exports standard > Élèves sans adresses), "
    "seul ou dans l'archive zip produite par SIECLE, et sts_emp_<UAI>_<année>.xml (STS-web)."
)
# Other SIECLE/STS exports that managers confuse with the expected ones.
_KNOWN_OTHER_ROOTS = {
    "EDT_STS": "Ce fichier est l'import emploi du temps vers STS-web (emp_sts), pas l'export sts_emp.",
    "BEE_RESPONSABLES": "Ce fichier est l'export des responsables, pas celui des élèves.",
    "BEE_NOMENCLATURES": "Ce fichier est l'export des nomenclatures, pas celui des élèves.",
}
_PROLOG_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_UTF8_BOM = b"\xef\xbb\xbf"
_DEFAULT_XML_ENCODING = "utf-8"
_UTF8 = "utf-8"
_EIGHT_BIT_ENCODINGS = frozenset(
    {"iso-8859-15", "iso8859-15", "latin-9", "latin9", "iso-8859-1", "iso8859-1", "latin-1", "latin1"}
    | {"windows-1252", "cp1252"}
)
# A lead byte then a continuation byte: the start of a UTF-8 accented letter.
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]")


def read_xml_export(data: bytes, source_name: str, *, max_errors: int = DEFAULT_MAX_ROW_ERRORS) -> Roster:
    """Reads a SIECLE "Élèves sans adresses" or STS-web "sts_emp" export into a Roster.

    Raises RosterRefused for forbidden constructs (DOCTYPE, entities), malformed XML,
    an XML that is neither export, or an invalid UAI in the file.
    """
    declared = declared_encoding(data)
    # An editor re-save can leave the ISO-8859-15 prolog on UTF-8 bytes: read as declared, every
    # accented name would be silently garbled ("HÃ©lÃ¨ne"), so the bytes win, with a warning.
    encoding = _UTF8 if declared in _EIGHT_BIT_ENCODINGS and _is_utf8_with_accents(data) else declared

    def choose_reader(root: str, line: int) -> ElementReader:
        if root == eleves.ROOT:
            return eleves.SiecleElevesReader(source_name, encoding, max_errors=max_errors)
        if root == sts_emp.ROOT:
            return sts_emp.StsEmpReader(source_name, encoding, max_errors=max_errors)
        raise _unknown_format(root, source_name, line)

    override = encoding if encoding != declared else None
    roster = stream_xml(data, source_name, choose_reader, encoding_override=override).finish()
    if override is None:
        return roster
    warning = Issue(
        line=1,
        severity=Severity.WARNING,
        code="xml_encoding_mismatch",
        message=(
            f"Le fichier déclare l'encodage {declared.upper()} mais il est écrit en UTF-8 (il a sans doute été "
            "ouvert puis enregistré dans un éditeur) : il a été lu en UTF-8. Vérifiez les noms accentués, ou "
            "déposez l'export tel que SIECLE ou STS-web le produit."
        ),
    )
    return roster.model_copy(update={"issues": [warning, *roster.issues]})


def _is_utf8_with_accents(data: bytes) -> bool:
    """True when the bytes hold UTF-8 multi-byte characters and decode as UTF-8 throughout.

    Real 8-bit text almost never forms a UTF-8 sequence (é is 0xE9 then a plain letter), so the
    scan for one runs in C over the whole file and the full decode only runs for a likely re-save.
    """
    if _UTF8_SEQUENCE.search(data) is None:
        return False
    try:
        data.decode(_UTF8)
    except UnicodeDecodeError:
        return False
    return True


def declared_encoding(data: bytes) -> str:
    """The encoding named in the XML prolog (lower case), else XML's default, UTF-8."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # a BOM decides before any prolog
        return "utf-16"
    match = _PROLOG_ENCODING.match(data.removeprefix(_UTF8_BOM)[:256])
    return match.group(1).decode("ascii").lower() if match else _DEFAULT_XML_ENCODING


def _unknown_format(root: str, source_name: str, line: int) -> RosterRefused:
    known = _KNOWN_OTHER_ROOTS.get(root)
    return RosterRefused(
        f"Le fichier « {source_name} » est un document XML qui n'est ni un export SIECLE « Élèves sans adresses » "
        "ni un export STS-web « sts_emp »." + (f" {known}" if known else ""),
        code="xml_unknown_format",
        file=source_name,
        line=line,
        hint=_ACCEPTED,
    )
