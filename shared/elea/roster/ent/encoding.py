"""Which text encoding an export is in, decided from its bytes.

The ENT writes UTF-8 with a BOM. An Excel re-save on Windows writes cp1252 ("ANSI"), some tools
ISO-8859-15, Excel for Mac Mac Roman, and Excel's "Unicode text" UTF-16. UTF-8 is tried first
because random 8-bit text is almost never valid UTF-8. Among the 8-bit encodings the bytes decide:
- 0x80–0x9F are C1 control codes in ISO-8859-15 and never appear in its text, while cp1252 puts
  €, ’, œ, Ÿ… there; Mac Roman puts most accented lower-case letters there: é = 0x8E (Ž in
  cp1252, a letter no French name has), and ç, è, ê, ù on bytes cp1252 leaves undefined.
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
# é in Mac Roman (Ž in cp1252), then ç, è, ê, ù, which cp1252 leaves undefined (with 0x81).
_MAC_ROMAN_LETTERS = b"\x8e\x8d\x8f\x90\x9d\x81"
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
    c1_seen = latin9_seen = mac_roman_seen = False
    stream.seek(0)
    while chunk := stream.read(_SCAN_CHUNK):
        if b"\x00" in chunk:
            raise refuse_not_text(source_name, "il contient des octets nuls")
        if len(chunk.translate(None, _C1_BYTES)) < len(chunk):
            c1_seen = True
            mac_roman_seen = mac_roman_seen or any(byte in chunk for byte in _MAC_ROMAN_LETTERS)
        latin9_seen = latin9_seen or len(chunk.translate(None, _LATIN9_ONLY)) < len(chunk)
    stream.seek(0)
    if mac_roman_seen:
        return MAC_ROMAN
    if c1_seen:
        return CP1252
    return ISO_8859_15 if latin9_seen else CP1252


def _check_not_binary(head: bytes, source_name: str) -> None:
    if b"\x00" in head:
        raise refuse_not_text(source_name, "il contient des octets nuls")
    controls = len(head) - len(head.translate(None, _BINARY_CONTROLS))
    if controls > max(8, len(head) // 200):
        raise refuse_not_text(source_name, "il contient des caractères de contrôle")
