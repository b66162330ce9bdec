"""One test per whole-file refusal: a French message, a stable code, no traceback, and fast.

"Fast" is asserted by behaviour, not by a clock: a refused zip bomb is never decompressed,
which the tests check by counting the bytes the guard read from the upload.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass

import pytest

from elea.errors import RosterRefused
from elea.roster import guard
from elea.roster.xml_exports import read_xml_export
from tests.fixtures.siecle_xml import SAMPLE_UAI, eleves_sans_adresses_xml, sample_students, zipped

ONE_MIB = 1024 * 1024
ONE_GIB = 1024 * ONE_MIB


class CountingStream(io.BytesIO):
    """An upload that remembers how many bytes were read from it."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.bytes_read = 0

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        return chunk


@dataclass(frozen=True)
class CraftedMember:
    """A zip member written by hand, so its declared sizes and flags can lie."""

    name: str
    deflated: bytes
    crc: int
    declared_size: int
    flags: int = 0


def craft_zip(members: list[CraftedMember]) -> bytes:
    """Writes local headers, data, central directory and end record as the zip spec lays them out."""
    body = io.BytesIO()
    central = io.BytesIO()
    for member in members:
        name = member.name.encode()
        offset = body.tell()
        body.write(
            struct.pack(
                "<4s5H3L2H",
                b"PK\x03\x04",
                20,
                member.flags,
                zipfile.ZIP_DEFLATED,
                0,
                0x5B22,
                member.crc,
                len(member.deflated),
                member.declared_size,
                len(name),
                0,
            )
        )
        body.write(name + member.deflated)
        central.write(
            struct.pack(
                "<4s4B4HL2L5H2L",
                b"PK\x01\x02",
                20,
                0,
                20,
                0,
                member.flags,
                zipfile.ZIP_DEFLATED,
                0,
                0x5B22,
                member.crc,
                len(member.deflated),
                member.declared_size,
                len(name),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
        )
        central.write(name)
    directory = central.getvalue()
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members), len(directory), body.tell(), 0)
    return body.getvalue() + directory + end


def deflated_zeros(mebibytes: int) -> tuple[bytes, int]:
    """A raw deflate stream of `mebibytes` MiB of zeros and its CRC, built without compressing them all.

    A full flush makes each 1 MiB block independent, so one block repeated is a valid stream.
    """
    one_mib = bytes(ONE_MIB)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(one_mib) + compressor.flush(zlib.Z_FULL_FLUSH)
    final_empty_block = zlib.compressobj(9, zlib.DEFLATED, -15).flush()
    crc = 0
    for _ in range(mebibytes):
        crc = zlib.crc32(one_mib, crc)
    return block * mebibytes + final_empty_block, crc


@pytest.fixture(scope="module")
def gigabyte_of_zeros() -> tuple[bytes, int]:
    return deflated_zeros(1024)


def refusal_of(stream: io.BytesIO, **limits: int) -> RosterRefused:
    with pytest.raises(RosterRefused) as refused:
        guard.read_single_xml_from_zip(stream, "ElevesSansAdresses.zip", **limits)
    return refused.value


def assert_french_refusal(refusal: RosterRefused, code: str, file_name: str) -> None:
    assert refusal.code == code
    assert file_name in refusal.message
    assert refusal.hint
    assert refusal.file == file_name


# --- size -------------------------------------------------------------------------------


def test_a_file_over_the_configured_maximum_is_refused() -> None:
    # GIVEN a 25 MB upload and the default 20 MB maximum WHEN its size is checked THEN it is refused
    with pytest.raises(RosterRefused) as refused:
        guard.check_size(25 * ONE_MIB, 20 * ONE_MIB, "export.csv")
    assert_french_refusal(refused.value, "file_too_large", "export.csv")
    assert "20,0 Mo" in refused.value.message


def test_a_file_at_the_maximum_is_accepted() -> None:
    guard.check_size(20 * ONE_MIB, 20 * ONE_MIB, "export.csv")


# --- zip refusals -----------------------------------------------------------------------


def test_a_zip_with_too_many_members_is_refused_from_its_end_record() -> None:
    # GIVEN a zip of six small files
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for index in range(6):
            archive.writestr(f"part{index}.xml", b"<a/>")
    # WHEN it is opened THEN it is refused before its central directory is parsed
    refusal = refusal_of(io.BytesIO(buffer.getvalue()))
    assert_french_refusal(refusal, "zip_too_many_members", "ElevesSansAdresses.zip")
    assert "6 fichiers" in refusal.message


def test_a_zip_bomb_is_refused_from_its_declared_size_without_decompressing(
    gigabyte_of_zeros: tuple[bytes, int],
) -> None:
    # GIVEN a 1 MB zip that honestly declares 1 GiB of zeros
    deflated, crc = gigabyte_of_zeros
    bomb = CountingStream(craft_zip([CraftedMember("ElevesSansAdresses.xml", deflated, crc, ONE_GIB)]))
    # WHEN the guard opens it
    refusal = refusal_of(bomb)
    # THEN it is refused from the central directory: the compressed data was never even read
    assert_french_refusal(refusal, "zip_too_large", "ElevesSansAdresses.zip")
    assert bomb.bytes_read < 100 * 1024 < len(deflated)


def test_a_zip_bomb_lying_about_its_size_is_refused_after_a_bounded_read(
    gigabyte_of_zeros: tuple[bytes, int],
) -> None:
    # GIVEN the same 1 GiB of zeros, declared as a 1 KiB file
    deflated, crc = gigabyte_of_zeros
    liar = CountingStream(craft_zip([CraftedMember("ElevesSansAdresses.xml", deflated, crc, 1024)]))
    # WHEN the guard extracts it THEN it stops at the declared size, and the mismatch is a refusal
    refusal = refusal_of(liar)
    assert refusal.code in {"zip_corrupt", "zip_too_large"}
    assert liar.bytes_read < 200 * 1024


def test_an_uncompressed_total_over_the_configured_limit_is_refused() -> None:
    # GIVEN a genuine SIECLE zip and a limit smaller than its XML
    xml = eleves_sans_adresses_xml(SAMPLE_UAI, sample_students(10))
    # WHEN it is read with that limit THEN it is refused as too large
    refusal = refusal_of(io.BytesIO(zipped(xml)), max_uncompressed_bytes=len(xml) - 1)
    assert refusal.code == "zip_too_large"


def test_a_zip_without_xml_is_refused() -> None:
    # GIVEN a zip holding a CSV (an ENT export zipped by hand) and a macOS resource fork
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("export.csv", b'"Id";"Type"\r\n')
        archive.writestr("__MACOSX/._export.xml", b"\x00\x05\x16\x07")
    refusal = refusal_of(io.BytesIO(buffer.getvalue()))
    assert_french_refusal(refusal, "zip_no_xml", "ElevesSansAdresses.zip")


def test_a_zip_with_several_xml_files_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("ElevesSansAdresses.xml", b"<BEE_ELEVES/>")
        archive.writestr("sts_emp_0771234Y_2026.xml", b"<STS_EDT/>")
    refusal = refusal_of(io.BytesIO(buffer.getvalue()))
    assert_french_refusal(refusal, "zip_several_xml", "ElevesSansAdresses.zip")


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: b"PK\x03\x04" + b"\x00" * 200, id="no end record"),
        pytest.param(lambda data: data[: len(data) // 2], id="truncated download"),
        pytest.param(lambda data: data.replace(b"ElevesSansAdresses.xml", b"ElevesSansAdresses.xmX", 1), id="names"),
        pytest.param(lambda data: data[:60] + bytes(b ^ 0xFF for b in data[60:200]) + data[200:], id="bit rot"),
    ],
)
def test_a_corrupt_zip_is_refused(damage: object) -> None:
    # GIVEN a genuine SIECLE zip, damaged
    genuine = zipped(eleves_sans_adresses_xml(SAMPLE_UAI, sample_students(10)))
    damaged = damage(genuine)  # type: ignore[operator]
    # WHEN it is read THEN it is refused as corrupt, never with a traceback
    refusal = refusal_of(io.BytesIO(damaged))
    assert_french_refusal(refusal, "zip_corrupt", "ElevesSansAdresses.zip")


def test_a_password_protected_zip_is_refused() -> None:
    deflated, crc = deflated_zeros(1)
    encrypted = craft_zip([CraftedMember("ElevesSansAdresses.xml", deflated, crc, ONE_MIB, flags=0x1)])
    refusal = refusal_of(io.BytesIO(encrypted))
    assert_french_refusal(refusal, "zip_encrypted", "ElevesSansAdresses.zip")


# --- XML refusals -----------------------------------------------------------------------


def xml_refusal(data: bytes, name: str = "ElevesSansAdresses.xml") -> RosterRefused:
    with pytest.raises(RosterRefused) as refused:
        read_xml_export(data, name)
    return refused.value


def test_a_doctype_is_refused() -> None:
    data = b'<?xml version="1.0"?>\n<!DOCTYPE BEE_ELEVES SYSTEM "bee.dtd">\n<BEE_ELEVES/>'
    refusal = xml_refusal(data)
    assert_french_refusal(refusal, "xml_forbidden_construct", "ElevesSansAdresses.xml")
    assert refusal.line == 2


def test_entity_expansion_billion_laughs_is_refused() -> None:
    # GIVEN the classic "billion laughs": a few hundred bytes that expand to gigabytes
    laughs = "\n".join(f'  <!ENTITY lol{level} "{("&lol" + str(level - 1) + ";") * 10}">' for level in range(1, 10))
    data = f'<?xml version="1.0"?>\n<!DOCTYPE BEE_ELEVES [\n  <!ENTITY lol0 "lol">\n{laughs}\n]>\n'
    data += "<BEE_ELEVES>&lol9;</BEE_ELEVES>"
    # WHEN it is read THEN it is refused before any expansion
    refusal = xml_refusal(data.encode())
    assert_french_refusal(refusal, "xml_forbidden_construct", "ElevesSansAdresses.xml")


def test_an_external_entity_xxe_is_refused() -> None:
    data = (
        b'<?xml version="1.0"?>\n<!DOCTYPE BEE_ELEVES [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>\n'
        b"<BEE_ELEVES><PARAMETRES><UAJ>&xxe;</UAJ></PARAMETRES></BEE_ELEVES>"
    )
    refusal = xml_refusal(data)
    assert_french_refusal(refusal, "xml_forbidden_construct", "ElevesSansAdresses.xml")
    assert "passwd" not in refusal.message


def test_malformed_xml_is_refused_with_its_line() -> None:
    # GIVEN an export edited by hand: a bare "&" on line 12
    lines = eleves_sans_adresses_xml(SAMPLE_UAI, sample_students(3)).split(b"\r\n")
    lines[11] = b"        <NOM_DE_FAMILLE>MARTIN & FILS</NOM_DE_FAMILLE>"
    refusal = xml_refusal(b"\r\n".join(lines))
    assert_french_refusal(refusal, "xml_malformed", "ElevesSansAdresses.xml")
    assert refusal.line == 12
    assert "ligne 12" in refusal.message


def test_an_xml_that_is_neither_export_is_refused() -> None:
    refusal = xml_refusal(b'<?xml version="1.0"?>\n<EDT_STS><PARAMETRES/></EDT_STS>', "emp_sts_0771234Y_2026.xml")
    assert_french_refusal(refusal, "xml_unknown_format", "emp_sts_0771234Y_2026.xml")
    assert "emp_sts" in refusal.message


def test_an_invalid_uai_in_the_file_is_refused() -> None:
    refusal = xml_refusal(eleves_sans_adresses_xml("0771234A", sample_students(2)))
    assert_french_refusal(refusal, "invalid_uai_in_file", "ElevesSansAdresses.xml")
    assert refusal.line == 4


# --- what counts as XML ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b'<?xml version="1.0" encoding="ISO-8859-15"?>', True),
        (b"\xef\xbb\xbf<?xml version='1.0'?>", True),
        (b"\r\n  <BEE_ELEVES>", True),
        (b"<!DOCTYPE x>", True),
        (b"\xff\xfe<\x00?\x00x\x00", True),
        (b'\xef\xbb\xbf"Id";"Identifiant SIECLE";"Type"', False),
        (b"Id;Type;Nom", False),
        (b"<", False),
        (b"< 3;4", False),
        (b"", False),
    ],
)
def test_xml_is_recognised_from_its_first_bytes(head: bytes, expected: bool) -> None:
    assert guard.looks_like_xml(head) is expected
