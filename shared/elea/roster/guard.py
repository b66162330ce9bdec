"""Whole-file refusals, checked before any parsing (owned by the SIECLE/guard work).

Every check here is cheap and runs on sizes and headers only, so that a hostile file
(a zip bomb, a huge upload) is refused in milliseconds, before any decompression.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from typing import BinaryIO

from elea.errors import RosterRefused

# SIECLE zips hold one file; a few more leaves room for a README or a re-zip by hand.
MAX_ZIP_MEMBERS = 5
# A large lycée's ElevesSansAdresses.xml is well under 10 MB; 50 MB is generous and still
# small enough to hold in a Lambda's memory.
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024

_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_EOCD_SIGNATURE = b"PK\x05\x06"
_EOCD_SIZE = 22
_MAX_ZIP_COMMENT = 0xFFFF
# Zip64 archives put 0xFFFF in the classic record and the real count elsewhere.
_ZIP64_COUNT_MARK = 0xFFFF
_SIECLE_HINT = "Exportez à nouveau depuis SIECLE : Exports > Exports standard > Élèves sans adresses."
_READ_CHUNK = 64 * 1024
# Compound file (OLE2) signature: .xls, and also .doc; either way a document, not an export.
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_LOCAL_HEADER_SIZE = 30
# What office tools write first: Excel "[Content_Types].xml", openpyxl (pandas) "docProps/",
# others "_rels/" or "xl/"; OpenDocument (.ods) requires "mimetype" first.
_WORKBOOK_FIRST_MEMBERS = (b"[Content_Types].xml", b"docProps/", b"_rels/", b"xl/", b"mimetype")


def human_size(size: int) -> str:
    """A size in French units, for messages (20 971 520 → "20,0 Mo")."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} Mo".replace(".", ",")
    if size >= 1024:
        return f"{size // 1024} Ko"
    return f"{size} octets"


def check_size(size: int, max_bytes: int, source_name: str) -> None:
    """Refuses a file over the configured maximum, before reading a byte of it."""
    if size > max_bytes:
        raise RosterRefused(
            f"Le fichier « {source_name} » fait {human_size(size)} : "
            f"la taille maximale acceptée est {human_size(max_bytes)}.",
            code="file_too_large",
            file=source_name,
            hint="Vérifiez qu'il s'agit bien de l'export de l'ENT ou de SIECLE de votre établissement, "
            "sans autre contenu ajouté.",
        )


def refuse_spreadsheet(head: bytes, source_name: str) -> None:
    """Refuses an Excel or LibreOffice workbook, told from its first bytes: the manager re-saved the
    export in a spreadsheet's own format, and needs to hear that rather than "zip" or "not text"."""
    if head.startswith(_OLE2_MAGIC):
        kind = "un classeur Excel (.xls)"
    elif head.startswith(b"PK\x03\x04") and len(head) >= _LOCAL_HEADER_SIZE:
        (name_length,) = struct.unpack_from("<H", head, 26)
        first_member = head[_LOCAL_HEADER_SIZE : _LOCAL_HEADER_SIZE + name_length]
        if not first_member.startswith(_WORKBOOK_FIRST_MEMBERS):
            return
        kind = "un classeur de tableur (Excel .xlsx ou LibreOffice .ods)"
    else:
        return
    raise RosterRefused(
        f"Le fichier « {source_name} » est {kind}, pas un export de l'ENT ni de SIECLE.",
        code="spreadsheet_file",
        file=source_name,
        hint="Déposez le fichier export.csv tel que l'ENT l'a téléchargé, sans l'ouvrir dans un tableur. "
        "S'il a été modifié, enregistrez-le au format « CSV (séparateur : point-virgule) ».",
    )


def looks_like_xml(head: bytes) -> bool:
    """True when the first bytes open an XML document (prolog, element, comment or DOCTYPE)."""
    if head.startswith(_UTF16_BOMS):
        return head[2:4] in (b"<\x00", b"\x00<")
    text = head.removeprefix(_UTF8_BOM).lstrip(b" \t\r\n")
    if not text.startswith(b"<") or len(text) < 2:
        return False
    # A CSV never opens with "<"; the second byte tells XML from a stray "<" in a value.
    second = text[1:2]
    return second in (b"?", b"!") or second.isalpha() or second == b"_"


def read_single_xml_from_zip(
    stream: BinaryIO,
    source_name: str,
    *,
    max_members: int = MAX_ZIP_MEMBERS,
    max_uncompressed_bytes: int = MAX_UNCOMPRESSED_BYTES,
) -> bytes:
    """Returns the bytes of the one .xml member of a SIECLE zip, refusing anything else.

    Sizes and member counts are checked from the central directory BEFORE extracting,
    then the extraction itself is bounded: declared sizes are never trusted.
    """
    _refuse_many_members_from_end_record(stream, source_name, max_members)
    stream.seek(0)
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as error:
        raise _corrupt(source_name) from error
    with archive:
        members = [info for info in archive.infolist() if not info.is_dir()]
        if len(members) > max_members:
            raise _too_many_members(source_name, len(members), max_members)
        declared_total = sum(info.file_size for info in members)
        if declared_total > max_uncompressed_bytes:
            raise _too_large(source_name, max_uncompressed_bytes)
        xml_member = _the_xml_member(members, source_name)
        return _bounded_read(archive, xml_member, source_name, max_uncompressed_bytes)


def _refuse_many_members_from_end_record(stream: BinaryIO, source_name: str, max_members: int) -> None:
    """Reads the member count from the end-of-central-directory record alone.

    zipfile parses every central directory entry on open; a 20 MB zip can hold hundreds of
    thousands of them, so the count is checked first from the fixed-size record at the end.
    """
    stream.seek(0, 2)
    size = stream.tell()
    tail_length = min(size, _EOCD_SIZE + _MAX_ZIP_COMMENT)
    stream.seek(size - tail_length)
    tail = stream.read(tail_length)
    position = tail.rfind(_EOCD_SIGNATURE)
    if position < 0 or position + _EOCD_SIZE > len(tail):
        raise _corrupt(source_name)
    (total_entries,) = struct.unpack_from("<H", tail, position + 10)
    if total_entries != _ZIP64_COUNT_MARK and total_entries > max_members:
        raise _too_many_members(source_name, total_entries, max_members)


def _the_xml_member(members: list[zipfile.ZipInfo], source_name: str) -> zipfile.ZipInfo:
    # macOS "Compresser" adds __MACOSX/._name.xml resource forks: they are not exports.
    xml_members = [
        info for info in members if info.filename.lower().endswith(".xml") and not info.filename.startswith("__MACOSX/")
    ]
    if not xml_members:
        raise RosterRefused(
            f"L'archive « {source_name} » ne contient aucun fichier XML.",
            code="zip_no_xml",
            file=source_name,
            hint=f"{_SIECLE_HINT} Un export de l'ENT (fichier .csv) se dépose tel quel, sans le compresser.",
        )
    if len(xml_members) > 1:
        raise RosterRefused(
            f"L'archive « {source_name} » contient {len(xml_members)} fichiers XML ; un seul est attendu.",
            code="zip_several_xml",
            file=source_name,
            hint="Déposez un seul export à la fois : ElevesSansAdresses.xml (SIECLE) ou sts_emp_<UAI>_<année>.xml "
            "(STS-web).",
        )
    return xml_members[0]


def _bounded_read(archive: zipfile.ZipFile, member: zipfile.ZipInfo, source_name: str, limit: int) -> bytes:
    chunks: list[bytes] = []
    total = 0
    try:
        with archive.open(member) as extracted:
            while chunk := extracted.read(_READ_CHUNK):
                total += len(chunk)
                # Never trust the declared size: stop as soon as the real output passes the limit.
                if total > limit:
                    raise _too_large(source_name, limit)
                chunks.append(chunk)
    # NotImplementedError subclasses RuntimeError, so it is caught first.
    except NotImplementedError as error:  # a compression method zipfile cannot read (e.g. deflate64)
        raise _corrupt(source_name) from error
    except RuntimeError as error:  # zipfile's way of saying "encrypted, password required"
        raise RosterRefused(
            f"L'archive « {source_name} » est protégée par un mot de passe.",
            code="zip_encrypted",
            file=source_name,
            hint=f"{_SIECLE_HINT} Déposez l'archive telle que SIECLE la produit, sans mot de passe.",
        ) from error
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError) as error:
        raise _corrupt(source_name) from error
    return b"".join(chunks)


def _too_many_members(source_name: str, count: int, max_members: int) -> RosterRefused:
    return RosterRefused(
        f"L'archive « {source_name} » contient {count} fichiers ; au plus {max_members} sont acceptés.",
        code="zip_too_many_members",
        file=source_name,
        hint=f"{_SIECLE_HINT} Déposez l'archive produite par SIECLE sans y ajouter d'autres fichiers.",
    )


def _too_large(source_name: str, limit: int) -> RosterRefused:
    return RosterRefused(
        f"Le contenu décompressé de l'archive « {source_name} » dépasse {human_size(limit)}.",
        code="zip_too_large",
        file=source_name,
        hint=f"{_SIECLE_HINT} Une archive de cette taille n'est pas un export d'établissement.",
    )


def _corrupt(source_name: str) -> RosterRefused:
    return RosterRefused(
        f"L'archive « {source_name} » est endommagée ou n'est pas une archive zip lisible.",
        code="zip_corrupt",
        file=source_name,
        hint=f"{_SIECLE_HINT} Si le téléchargement a été interrompu, recommencez-le.",
    )
