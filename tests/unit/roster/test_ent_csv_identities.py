"""Identities read from an ENT export stay unambiguous: NFC, no hidden characters, no UAI-shaped or
look-alike logins, classes that differ only by case or width are one class, and every field fits
the platform's columns, on every reading path (the fast path for fully quoted lines included)."""

from __future__ import annotations

import io
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from elea.domain.field_limits import CLASS_NAME_MAX, NAME_MAX, USERNAME_MAX
from elea.models.roster import Roster
from elea.roster.ent_csv import read_ent_csv
from tests.fixtures.ent_export import EntAccount, ent_text, render_ent, render_excel


def _read(data: bytes) -> Roster:
    return read_ent_csv(io.BytesIO(data), "export.csv")


def _student(index: int, **changes: object) -> EntAccount:
    values: dict[str, object] = {
        "id": f"id-{index}",
        "profile": "student",
        "last_name": "Lefèvre",
        "first_name": "Hélène",
        "login": f"helene.lefevre{index}",
        "classes": ("3ÈME A",),
    }
    values.update(changes)
    return EntAccount(**values)  # type: ignore[arg-type]


_NAMES = (
    st.text(alphabet=st.sampled_from("abcdeéèêëàâäîïôöùûüçÉÈÊÀÇœ -'"), min_size=1, max_size=20)
    .map(str.strip)
    .filter(bool)
)


@settings(max_examples=40, deadline=None)
@given(last=_NAMES, first=_NAMES, school_class=_NAMES)
def test_an_nfd_export_reads_as_the_same_people_as_the_nfc_one(last: str, first: str, school_class: str) -> None:
    # GIVEN the same person exported in NFC (Windows) and NFD (a Mac)
    person = _student(
        1, last_name=last, first_name=first, login=f"{first}.{last}".replace(" ", ""), classes=(school_class,)
    )
    nfc_text = ent_text([person])
    nfd = ("\ufeff" + unicodedata.normalize("NFD", nfc_text)).encode("utf-8")
    # WHEN both are read
    from_nfc, from_nfd = _read(render_ent([person])), _read(nfd)
    # THEN they are the same people and classes, in NFC
    assert from_nfd.people == from_nfc.people
    assert from_nfd.classes == from_nfc.classes
    assert all(unicodedata.is_normalized("NFC", p.last_name + p.first_name + (p.login or "")) for p in from_nfd.people)


def test_every_text_below_u0100_is_already_nfc() -> None:
    # The reader checks NFC only on lines holding a character from U+0100 on (rows.py): below it, every
    # character is a starter (no combining mark) and no pair composes or decomposes.
    latin1 = [chr(code) for code in range(0x100)]
    assert all(unicodedata.combining(char) == 0 for char in latin1)
    assert all(unicodedata.is_normalized("NFC", first + second) for first in latin1 for second in latin1)


def test_an_nfd_name_beside_a_character_past_latin1_is_read_in_nfc() -> None:
    # GIVEN a row whose last name holds « Œ » (past Latin-1) and whose first name is in NFD (a Mac)
    person = _student(1, last_name="HŒRNER", first_name=unicodedata.normalize("NFD", "Hélène"))
    # WHEN it is read, THEN the first name is the NFC one
    [read] = _read(render_ent([person])).people
    assert (read.last_name, read.first_name) == ("HŒRNER", "Hélène")
    assert unicodedata.is_normalized("NFC", read.first_name)


@pytest.mark.parametrize("hidden", ["\u200b", "\u202e", "\u2066", "\ufeff", "\u00ad", "\u2060", "\u00a0", "\u034f"])
def test_a_login_with_a_hidden_character_is_a_row_error_never_an_account(hidden: str) -> None:
    # GIVEN a login carrying an invisible or bidirectional character, among good rows
    roster = _read(render_ent([_student(1), _student(2, login=f"helene{hidden}.lefevre"), _student(3)]))
    # THEN that row is an error with its line and its Id (so the account is not suspended), the others are read
    assert [p.id for p in roster.people] == ["id-1", "id-3"]
    [issue] = roster.issues
    assert (issue.code, issue.line, issue.person_id) == ("hidden_character", 3, "id-2")


@pytest.mark.parametrize("hidden", ["\u200b", "\u202e", "\x1b"])
def test_a_class_with_a_hidden_character_is_a_row_error_never_a_cohort(hidden: str) -> None:
    roster = _read(render_ent([_student(1), _student(2, classes=(f"6{hidden}A",))]))
    assert [p.id for p in roster.people] == ["id-1"]
    assert roster.classes == ["3ÈME A"]
    assert [(i.code, i.line) for i in roster.issues] == [("hidden_character", 3)]


@given(st.integers(min_value=0, max_value=9_999_999), st.sampled_from(["{}Y", "{}y", "{}-y", "O{}Y"]))
@settings(max_examples=30, deadline=None)
def test_a_uai_shaped_login_is_a_row_error(number: int, shape: str) -> None:
    login = shape.format(f"{number:07d}" if not shape.startswith("O") else f"{number % 1_000_000:06d}")
    roster = _read(render_ent([_student(1, login=login), _student(2)]))
    assert [p.id for p in roster.people] == ["id-2"]
    assert [(i.code, i.person_id) for i in roster.issues] == [("reserved_login", "id-1")]


@pytest.mark.parametrize("variant", ["HELENE.LEFEVRE", "hélène.lefèvre", "ｈｅｌｅｎｅ.ｌｅｆｅｖｒｅ"])
def test_two_logins_equal_but_for_case_accents_or_width_are_one_identity(variant: str) -> None:
    # GIVEN two people whose logins differ only by case, accents or full-width forms
    roster = _read(render_ent([_student(1, login="helene.lefevre"), _student(2, login=variant)]))
    # THEN the second is a reported conflict, never a second account
    assert [p.id for p in roster.people] == ["id-1"]
    [issue] = roster.issues
    assert issue.code in ("duplicate_login", "lookalike_login")
    assert issue.line == 3


def test_classes_equal_but_for_case_or_width_are_one_class_with_a_warning() -> None:
    roster = _read(
        render_ent([_student(1, classes=("6A",)), _student(2, classes=("6a",)), _student(3, classes=("６A",))])
    )
    assert roster.classes == ["6A"]
    assert [p.classes for p in roster.people] == [("6A",), ("6A",), ("6A",)]
    assert [i.code for i in roster.issues] == ["lookalike_classes"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("last_name", "N" * (NAME_MAX + 1)),
        ("first_name", "P" * (NAME_MAX + 1)),
        ("login", "l" * (USERNAME_MAX + 1)),
        ("classes", ("C" * (CLASS_NAME_MAX + 1),)),
        ("email", "e" * 95 + "@example.org"),
    ],
)
@pytest.mark.parametrize("path", ["ent", "excel"])
def test_an_over_long_field_is_a_row_error_with_its_line_on_every_path(field: str, value: object, path: str) -> None:
    # GIVEN a row with one value longer than the platform's column, as the ENT writes it (fast path) or re-saved
    people = [_student(1), _student(2, **{field: value}), _student(3)]
    data = render_ent(people) if path == "ent" else render_excel(people, encoding="utf-8")
    # WHEN read THEN that row alone is an error, with its line and Id; the others are read
    roster = _read(data)
    assert [p.id for p in roster.people] == ["id-1", "id-3"]
    [issue] = roster.issues
    assert (issue.code, issue.line, issue.person_id) == ("field_too_long", 3, "id-2")


def test_a_huge_fully_quoted_row_is_refused_as_a_row_not_sent_to_the_platform() -> None:
    # GIVEN a fully quoted row of 1 MB (the fast path's shape)
    roster = _read(render_ent([_student(1), _student(2, last_name="X" * 1_000_000), _student(3)]))
    # THEN it is one row error, never a person
    assert [p.id for p in roster.people] == ["id-1", "id-3"]
    assert [(i.code, i.line) for i in roster.issues] == [("line_too_long", 3)]
