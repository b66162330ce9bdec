"""Which text encoding an export is in, decided from its bytes.

The ENT writes UTF-8 with a BOM. An Excel re-save on Windows writes cp1252 ("ANSI"), some tools
ISO-8859-15, Excel for Mac Mac Roman, and Excel's "Unicode text" UTF-16. UTF-8 is tried first
because random 8-bit text is almost never valid UTF-8. Among the 8-bit encodings the bytes decide:
- 0x80–0x9F are C1 control codes in ISO-8859-15 and never appear in its text, while cp1252 puts
  €, ’, œ, Ÿ… there; Mac Roman puts most accented lower-case letters there (é = 0x8E).
- With no byte in 0x80–0x9F, the two Latin encodings differ only on eight bytes that ISO-8859-15
  uses for € Š š Ž ž Œ œ Ÿ and cp1252 for ¤ ¦ ¨ ´ ¸ ¼ ½ ¾, signs no name contains: any of
  them means ISO-8859-15.
The reported name is the Python codec name, so it can be fed back to `open()`.
"""

from __future__ import annotations

import codecs
from typing import BinaryIO

from elea.errors import RosterRefused

UTF8_BOM = codecs.BOM_UTF8
HEAD_BYTES = 64 * 1024
_SCAN_CHUNK = 1024 * 1024

UTF8_SIG = "utf-8-sig"
UTF8 = "utf-8"
UTF16 = "utf-16"
CP1252 = "cp1252"
ISO_8859_15 = "iso-8859-15"
MAC_ROMAN = "mac-roman"

_C1_BYTES = bytes(range(0x80, 0xA0))
_HIGH_LETTERS = bytes(range(0xC0, 0x100))
_LATIN9_ONLY = bytes([0xA4, 0xA6, 0xA8, 0xB4, 0xB8, 0xBC, 0xBD, 0xBE])
# Control codes that text files do not hold (tab, LF, FF, CR, VT, SUB and ESC are tolerated).
_BINARY_CONTROLS = bytes([*range(0x00, 0x09), 0x0E, 0x0F, *range(0x10, 0x1A), 0x1C, 0x1D, 0x1E, 0x1F])
_BLANK = b" \t\r\n\x0c\x0b"

_EXPORT_AGAIN = (
    "Exportez à nouveau depuis la console d'administration de l'ENT (Imports / Exports, "
    "« Export classique ») et déposez le fichier export.csv sans l'ouvrir ni le modifier."
)


def refuse_not_text(source_name: str, detail: str) -> RosterRefused:
    return RosterRefused(
        f"Le fichier « {source_name} » n'est pas un fichier texte CSV ({detail}).",
        code="not_text",
        file=source_name,
        hint=_EXPORT_AGAIN,
    )


def refuse_empty(source_name: str) -> RosterRefused:
    return RosterRefused(
        f"Le fichier « {source_name} » est vide.",
        code="empty_file",
        file=source_name,
        hint=_EXPORT_AGAIN,
    )


def sniff_encoding(stream: BinaryIO, source_name: str) -> str:
    """The encoding to read with, from the start of the file (and all of it for 8-bit files).

    Leaves the stream at its start. Raises RosterRefused (empty_file, not_text).
    """
    head = stream.read(HEAD_BYTES)
    stream.seek(0)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return UTF16
    if head.startswith(UTF8_BOM):
        head = head[len(UTF8_BOM) :]
        if not head.strip(_BLANK):
            raise refuse_empty(source_name)
        _check_not_binary(head, source_name)
        return UTF8_SIG
    if not head.strip(_BLANK):
        raise refuse_empty(source_name)
    _check_not_binary(head, source_name)
    try:
        # Not final: the head may end in the middle of a multi-byte character.
        codecs.getincrementaldecoder(UTF8)().decode(head, final=False)
    except UnicodeDecodeError:
        return eight_bit_encoding(stream, source_name)
    return UTF8


def eight_bit_encoding(stream: BinaryIO, source_name: str) -> str:
    """cp1252, ISO-8859-15 or Mac Roman, from byte counts over the whole file (read in chunks)."""
    c1_count = high_count = latin9_count = 0
    undefined_in_cp1252 = False
    stream.seek(0)
    while chunk := stream.read(_SCAN_CHUNK):
        if b"\x00" in chunk:
            raise refuse_not_text(source_name, "il contient des octets nuls")
        c1 = len(chunk) - len(chunk.translate(None, _C1_BYTES))
        if c1:
            c1_count += c1
            undefined_in_cp1252 = undefined_in_cp1252 or any(byte in chunk for byte in b"\x81\x8d\x8f\x90\x9d")
        high_count += len(chunk) - len(chunk.translate(None, _HIGH_LETTERS))
        latin9_count += len(chunk) - len(chunk.translate(None, _LATIN9_ONLY))
    stream.seek(0)
    if c1_count == 0:
        return ISO_8859_15 if latin9_count else CP1252
    # French names carry many accented letters: in cp1252 they sit in 0xC0–0xFF, in Mac Roman mostly below.
    if undefined_in_cp1252 or c1_count > high_count:
        return MAC_ROMAN
    return CP1252


def _check_not_binary(head: bytes, source_name: str) -> None:
    if b"\x00" in head:
        raise refuse_not_text(source_name, "il contient des octets nuls")
    controls = len(head) - len(head.translate(None, _BINARY_CONTROLS))
    if controls > max(8, len(head) // 200):
        raise refuse_not_text(source_name, "il contient des caractères de contrôle")
