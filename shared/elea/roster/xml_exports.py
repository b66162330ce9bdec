"""SIECLE ElevesSansAdresses and STS-web sts_emp readers (owned by the SIECLE work).

The format is recognised from the root element, never from the file name: managers
rename files, and browsers save a second download as "export(1).csv".
"""

from __future__ import annotations

import re

from elea.errors import RosterRefused
from elea.models.roster import Roster
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


def read_xml_export(data: bytes, source_name: str) -> Roster:
    """Reads a SIECLE "Élèves sans adresses" or STS-web "sts_emp" export into a Roster.

    Raises RosterRefused for forbidden constructs (DOCTYPE, entities), malformed XML,
    an XML that is neither export, or an invalid UAI in the file.
    """
    encoding = declared_encoding(data)

    def choose_reader(root: str, line: int) -> ElementReader:
        if root == eleves.ROOT:
            return eleves.SiecleElevesReader(source_name, encoding)
        if root == sts_emp.ROOT:
            return sts_emp.StsEmpReader(source_name, encoding)
        raise _unknown_format(root, source_name, line)

    return stream_xml(data, source_name, choose_reader).finish()


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
