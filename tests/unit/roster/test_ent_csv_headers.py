"""Every header generation and browser language of the ENT "Export classique" is read by name."""

from __future__ import annotations

import io

import pytest

from elea.models.person import Profile
from elea.models.roster import Roster, RosterFormat
from elea.roster.ent.headers import Generation as ReadGeneration
from elea.roster.ent.headers import read_header
from elea.roster.ent_csv import read_ent_csv
from tests.fixtures.ent_export import HEADERS, EntAccount, Generation, Language, render_ent

STUDENT = EntAccount(
    id="1234567",
    siecle_id="654321",
    profile="student",
    last_name="N'DIAYE",
    first_name="Jean-Baptiste",
    login="jean-baptiste.ndiaye",
    alias="jb.ndiaye",
    structures=("CITE SCOLAIRE JEAN MOULIN",),
    classes=("6A",),
    relatives=("Awa N'DIAYE",),
)
TEACHER = EntAccount(
    id="7654321",
    profile="teacher",
    last_name="LEFÈVRE",
    first_name="Hélène",
    login="helene.lefevre",
    functions=("MATHEMATIQUES",),
    structures=("CITE SCOLAIRE JEAN MOULIN",),
    classes=("6A", "3B", "TG2"),
    email="helene.lefevre@example.org",
)
OTHERS = [
    EntAccount(id="1111111", profile="personnel", last_name="DURAND", first_name="Zoé", login="zoe.durand"),
    EntAccount(id="2222222", profile="relative", last_name="N'DIAYE", first_name="Awa", login="awa.ndiaye"),
    EntAccount(
        id="f4b1c0de-0000-4000-8000-000000000001",
        profile="guest",
        last_name="O'NEILL",
        first_name="Léo",
        login="leo.oneill",
    ),
]
ACCOUNTS = [STUDENT, TEACHER, *OTHERS]


def _read(data: bytes) -> Roster:
    return read_ent_csv(io.BytesIO(data), "export(1).csv")


@pytest.mark.parametrize("generation", list(Generation))
@pytest.mark.parametrize("language", list(Language))
def test_every_generation_and_language_reads_the_same_people(generation: Generation, language: Language) -> None:
    # GIVEN the same five accounts exported by each generation of the template, from each browser language
    data = render_ent(ACCOUNTS, generation, language)
    # WHEN it is read
    roster = _read(data)
    # THEN the people, their profiles and classes are the same, with no issue
    assert roster.format is RosterFormat.ENT_CSV
    assert roster.issues == []
    assert [(p.id, p.login, p.last_name, p.first_name) for p in roster.people] == [
        (a.id, a.login, a.last_name, a.first_name) for a in ACCOUNTS
    ]
    assert [p.profile for p in roster.people] == [
        Profile.STUDENT,
        Profile.TEACHER,
        Profile.PERSONNEL,
        Profile.RELATIVE,
        Profile.GUEST,
    ]
    assert roster.people[1].classes == ("6A", "3B", "TG2")
    assert roster.people[1].functions == ("MATHEMATIQUES",)
    assert roster.people[0].siecle_id == "654321"
    assert roster.classes == ["3B", "6A", "TG2"]


def test_login_is_the_ent_login_not_the_alias() -> None:
    # GIVEN a student whose alias differs from the login, in the current and 2019 formats
    for generation in (Generation.CURRENT, Generation.FROM_2019_TO_2020):
        # WHEN read THEN the stable ENT login is kept, the alias is not
        assert _read(render_ent([STUDENT], generation)).people[0].login == "jean-baptiste.ndiaye"


def test_email_is_read_from_the_current_format_only() -> None:
    # GIVEN a teacher with an e-mail WHEN exported in the current format and the 2019 one
    current = _read(render_ent([TEACHER], Generation.CURRENT)).people[0]
    older = _read(render_ent([TEACHER], Generation.FROM_2019_TO_2020)).people[0]
    # THEN only the current format carries it
    assert current.email == "helene.lefevre@example.org"
    assert older.email is None


def test_the_2015_2018_trailing_separator_leaves_no_empty_value() -> None:
    # GIVEN the old template that ended functions and structures with ", "
    data = render_ent([TEACHER], Generation.BEFORE_2019, trailing_separators=True)
    assert b'"MATHEMATIQUES, "' in data
    # WHEN read THEN the functions hold no empty value
    assert _read(data).people[0].functions == ("MATHEMATIQUES",)


@pytest.mark.parametrize(
    ("header", "generation"),
    [
        (HEADERS[(Generation.CURRENT, Language.FRENCH)], ReadGeneration.CURRENT),
        (HEADERS[(Generation.CURRENT, Language.ENGLISH)], ReadGeneration.CURRENT),
        (HEADERS[(Generation.FROM_2019_TO_2020, Language.FRENCH)], ReadGeneration.FROM_2019_TO_2020),
        (HEADERS[(Generation.BEFORE_2019, Language.FRENCH)], ReadGeneration.BEFORE_2019),
    ],
)
def test_the_generation_is_recognised_from_the_header(header: tuple[str, ...], generation: ReadGeneration) -> None:
    # GIVEN a header line as written by the ENT WHEN it is read THEN its generation is known
    layout, missing = read_header(";".join(f'"{cell}"' for cell in header))
    assert layout is not None
    assert missing == ()
    assert layout.generation is generation
    assert layout.width == len(header)


def test_columns_are_found_by_name_whatever_their_order_case_or_accents() -> None:
    # GIVEN a hand-made header in another order, in capitals and without accents
    text = "\ufeffNOM;TYPE;PRENOM;ID;IDENTIFIANT;CLASSES\nDUPONT;ELEVE;Zoé;42;zoe.dupont;5B\n"
    # WHEN read
    roster = _read(text.encode("utf-8"))
    # THEN each value lands in its column
    person = roster.people[0]
    assert (person.id, person.login, person.last_name, person.first_name) == ("42", "zoe.dupont", "DUPONT", "Zoé")
    assert person.profile is Profile.STUDENT
    assert person.classes == ("5B",)


def test_an_excel_sep_line_before_the_header_is_skipped() -> None:
    # GIVEN an export saved with Excel's "sep=;" first line
    data = b"sep=;\r\n" + render_ent([STUDENT], bom=False).replace(b"\n", b"\r\n")
    # WHEN read THEN the header is found on line 2 and the student on line 3
    roster = _read(data)
    assert roster.people[0].line == 3


@pytest.mark.parametrize(
    ("type_value", "profile"),
    [
        ("Élève", Profile.STUDENT),
        ("Pupil", Profile.STUDENT),
        ("Student", Profile.STUDENT),
        ("ELEVE", Profile.STUDENT),
        ("Enseignant", Profile.TEACHER),
        ("Teacher", Profile.TEACHER),
        ("Personnel", Profile.PERSONNEL),
        ("Parent", Profile.RELATIVE),
        ("Relative", Profile.RELATIVE),
        ("Invité", Profile.GUEST),
        ("Guest", Profile.GUEST),
        ("invite", Profile.GUEST),
    ],
)
def test_type_values_of_both_languages_are_understood(type_value: str, profile: Profile) -> None:
    # GIVEN a row whose Type is written by a French or an English browser (or retyped)
    text = f'"Id";"Type";"Nom";"Prénom";"Login"\n"1";"{type_value}";"DURAND";"Zoé";"zoe.durand"\n'
    # WHEN read THEN the profile is the expected one
    assert _read(text.encode()).people[0].profile is profile
