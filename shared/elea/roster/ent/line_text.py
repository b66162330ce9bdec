"""The text of one line: its encoding decided per line, double-encoded UTF-8 repaired, then NFC.

A file that is UTF-8 except for a few lines (one pasted from a cp1252 tool, one stray byte) is read
line by line: only those lines are decoded as cp1252, each with a warning, and the rest stays UTF-8;
the whole file is never re-decoded silently. « HÃ©lÃ¨ne » (UTF-8 read once as cp1252 and saved
again) is repaired by ftfy, with a warning. Every line ends in NFC: an export made on a Mac (NFD) is
the same people as one made on Windows.
"""

from __future__ import annotations

import codecs
import re
from typing import BinaryIO

from elea.roster.ent.encoding import UTF8_BOM

CP1252 = "cp1252"
_ERROR_HANDLER = "elea-cp1252-bytes"
# A lead letter then what cp1252 makes of a UTF-8 continuation byte (0x80–0xBF): the mark of a
# double encoding (« Ã© », « â€™ »). Real French text has an accented letter followed by a letter.
_MOJIBAKE = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)
# A value of the line: what lies between quotes, separators and the line end.
_VALUE = re.compile('[^";,\t\r\n]+')
# One whole UTF-8 multi-byte character: a file holding none is an 8-bit file, read whole in its encoding.
_UTF8_CHARACTER = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_SCAN_CHUNK = 1024 * 1024


def has_utf8_text(stream: BinaryIO) -> bool:
    """True when some bytes of the file form UTF-8 characters (read in chunks; the stream is rewound).

    A BOM alone does not count: spreadsheets keep it in front of a cp1252 re-save.
    """
    stream.seek(0)
    if stream.read(len(UTF8_BOM)) != UTF8_BOM:
        stream.seek(0)
    tail = b""
    try:
        while chunk := stream.read(_SCAN_CHUNK):
            if _UTF8_CHARACTER.search(tail + chunk):
                return True
            tail = chunk[-3:]
        return False
    finally:
        stream.seek(0)


def repaired_double_encoding(line: str) -> str | None:
    """The line with double-encoded UTF-8 undone, or None when there is nothing to repair.

    Each value (between quotes and separators) is repaired on its own, so ftfy's guesses never reach
    across two fields, and a repair that would leave a control or invisible character is not taken.
    """
    if not _suspicious(line):
        return None
    fixed = _VALUE.sub(_repaired_value, line)
    return fixed if fixed != line else None


def _suspicious(text: str) -> bool:
    # Plain substring tests first (C speed): double-encoded French letters start with « Ã », quotes and
    # « € » with « â€ », « œ » with « Å », a no-break space or « « » with « Â ». Other scripts are left alone.
    if "Ã" not in text and "â€" not in text and "Å" not in text and "Â" not in text:
        return False
    return _MOJIBAKE.search(text) is not None


def _repaired_value(match: re.Match[str]) -> str:
    value = match.group(0)
    if not _suspicious(value):
        return value
    import ftfy  # only for the rare suspicious value: ftfy takes ~80 ms to import

    fixed = ftfy.fix_encoding(value, ftfy.TextFixerConfig(restore_byte_a0=False))
    return fixed if fixed.isprintable() and _MOJIBAKE.search(fixed) is None else value


def _cp1252_bytes(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: the bytes that are not UTF-8 are read as cp1252 (latin-1 for the 5 it lacks)."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    chunk = error.object[error.start : error.end]
    try:
        return chunk.decode(CP1252), error.end
    except UnicodeDecodeError:
        # The five bytes cp1252 leaves undefined become C1 controls: the row checks then refuse the row.
        return chunk.decode("latin-1"), error.end


class PerLineDecoder:
    """The lines of a mostly-UTF-8 file, each decoded on its own: UTF-8, and the bytes of a line that
    are not UTF-8 read as cp1252 (that line noted), so valid UTF-8 on the same line stays right.

    Offers `readline(limit)` and iteration like a text file with universal newlines ("\r\n" → "\n").
    """

    def __init__(self, stream: BinaryIO) -> None:
        codecs.register_error(_ERROR_HANDLER, _cp1252_bytes)  # idempotent: the same function each time
        self._stream = stream
        self._number = 0
        self.cp1252_lines: list[int] = []

    def readline(self, limit: int = -1) -> str:
        raw = self._stream.readline(limit)
        if not raw:
            return ""
        self._number += 1
        if self._number == 1:
            raw = raw.removeprefix(UTF8_BOM)
        if raw.endswith(b"\r\n"):
            raw = raw[:-2] + b"\n"
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            self.cp1252_lines.append(self._number)
        return raw.decode("utf-8", errors=_ERROR_HANDLER)

    def __iter__(self) -> PerLineDecoder:
        return self

    def __next__(self) -> str:
        line = self.readline()
        if not line:
            raise StopIteration
        return line
