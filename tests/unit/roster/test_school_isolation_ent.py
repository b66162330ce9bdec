"""An ENT export touches its own school only: the "Établissements" cells decide, whatever they hold."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from elea.errors import UaiMismatch
from elea.models.issue import Severity
from elea.models.roster import Roster
from elea.roster.ent.school import _NAMES_COUNTED, uais_in_cell
from elea.roster.ent_csv import read_ent_csv
from elea.roster.uai_check import OTHER_SCHOOL_ROW, ensure_roster_matches_uai

OURS = "0771234Y"
OTHER = "0750654D"
THIRD = "0931234L"
HEADER = '"Id";"Type";"Nom";"Prénom";"Identifiant";"Classes";"Établissements"'


def _row(person_id: str, structures: str, *, classes: str = "6A", profile: str = "Élève") -> str:
    cells = [person_id, profile, "DURAND", "Zoé", f"login.{person_id}", classes, structures]
    return ";".join(f'"{cell}"' for cell in cells)


def _read(*rows: str) -> Roster:
    text = "\ufeff" + "\n".join([HEADER, *rows]) + "\n"
    return read_ent_csv(io.BytesIO(text.encode("utf-8")), "export.csv")


def test_the_third_school_fixture_is_a_valid_uai() -> None:
    assert uais_in_cell(f"X ({THIRD})") == (THIRD,)


@pytest.mark.parametrize(
    ("cell", "uais"),
    [
        (f"LYCEE JEAN MOULIN ({OURS})", (OURS,)),
        (f"{OURS.lower()} - LYCEE", (OURS,)),
        (f"RNE{OURS}", (OURS,)),
        (f"LYCEE A ({OURS}), COLLEGE B ({OTHER})", (OURS, OTHER)),
        (f"{OURS} {OURS}", (OURS,)),
        ("LYCEE (0771234A)", ()),  # wrong check letter: not a school
        ("CITE SCOLAIRE JEAN MOULIN", ()),
        (f"1{OURS}", ()),  # eight digits: not a UAI
    ],
)
def test_every_valid_uai_of_a_cell_is_found(cell: str, uais: tuple[str, ...]) -> None:
    assert uais_in_cell(cell) == uais


def test_a_file_naming_this_school_once_among_another_schools_rows_is_refused() -> None:
    # GIVEN another school's export in which one row also names this school
    rows = [_row(str(n), f"LYCEE B ({OTHER})") for n in range(9)] + [_row("ours", f"COLLEGE A ({OURS})")]
    # WHEN checked for this school THEN refused as another school's file, naming both UAIs, no one in it
    with pytest.raises(UaiMismatch) as refused:
        ensure_roster_matches_uai(_read(*rows), OURS, "export.csv")
    assert refused.value.code == "uai_mismatch"
    assert OTHER in refused.value.message
    assert OURS in refused.value.message
    assert "DURAND" not in refused.value.message


def test_as_many_foreign_as_own_people_is_refused() -> None:
    # GIVEN half this school, half another: nobody can say whose file it is, so fail closed
    roster = _read(_row("1", f"A ({OURS})"), _row("2", f"B ({OTHER})"))
    with pytest.raises(UaiMismatch):
        ensure_roster_matches_uai(roster, OURS, "export.csv")


def test_in_this_schools_file_a_person_of_another_school_only_is_a_row_error() -> None:
    # GIVEN this school's export with one person attached only to another school (in class 3Z alone)
    roster = _read(
        _row("1", f"A ({OURS})"),
        _row("2", f"A ({OURS})"),
        _row("stray", f"B ({OTHER})", classes="3Z"),
        _row("3", f"A ({OURS})"),
    )
    checked = ensure_roster_matches_uai(roster, OURS, "export.csv")
    # THEN that person is no account here, but an error on its own line that keeps its Id (never suspended)
    assert [person.id for person in checked.people] == ["1", "2", "3"]
    [issue] = checked.issues
    assert (issue.line, issue.code, issue.severity, issue.person_id) == (4, OTHER_SCHOOL_ROW, Severity.ERROR, "stray")
    assert OTHER in issue.message
    assert "DURAND" not in issue.message
    # AND the class only that person had is no cohort here
    assert checked.classes == ["6A"]


def test_a_person_naming_this_school_and_another_is_a_shared_member_kept_once() -> None:
    # GIVEN a teacher on one row naming both schools, and a teacher on two rows, one per school
    roster = _read(
        _row("1", f"A ({OURS})"),
        _row("both", f"A ({OURS}), B ({OTHER})", profile="Enseignant"),
        _row("two-rows", f"B ({OTHER})", profile="Enseignant"),
        _row("two-rows", f"A ({OURS})", profile="Enseignant"),
    )
    checked = ensure_roster_matches_uai(roster, OURS, "export.csv")
    # THEN both are this school's, each one account
    assert [person.id for person in checked.people] == ["1", "both", "two-rows"]
    assert checked.issues == []


def test_a_file_naming_this_school_once_among_rows_naming_no_uai_is_refused() -> None:
    # GIVEN one row naming this school's UAI among another school's rows, named without a UAI
    rows = [_row(str(n), "LYCEE VOISIN") for n in range(9)] + [_row("ours", f"COLLEGE A ({OURS})")]
    with pytest.raises(UaiMismatch) as refused:
        ensure_roster_matches_uai(_read(*rows), OURS, "export.csv")
    assert "sans code UAI : 9" in refused.value.message


def test_a_few_people_without_uai_in_this_schools_file_are_kept() -> None:
    rows = [_row(str(n), f"COLLEGE A ({OURS})") for n in range(5)] + [_row("x", "COLLEGE A"), _row("y", "")]
    assert len(ensure_roster_matches_uai(_read(*rows), OURS, "export.csv").people) == 7


def test_a_file_with_more_distinct_structure_cells_than_any_cache_is_still_checked() -> None:
    # GIVEN another school's file whose 3,000 rows each carry a distinct structure cell (the old counter overflow)
    rows = [_row(str(n), f"B ({OTHER}) salle {n}") for n in range(3000)] + [_row("ours", f"A ({OURS})")]
    # THEN it is refused all the same
    with pytest.raises(UaiMismatch):
        ensure_roster_matches_uai(_read(*rows), OURS, "export.csv")


def test_a_file_naming_no_uai_is_left_to_the_name_check() -> None:
    roster = _read(_row("1", "CITE SCOLAIRE JEAN MOULIN"), _row("2", ""))
    assert ensure_roster_matches_uai(roster, OURS, "export.csv").people == roster.people


# Any mix of structure cells: this school, others, both, none, damaged UAIs, free text.
_CELLS = st.sampled_from(
    [
        f"COLLEGE A ({OURS})",
        f"LYCEE B ({OTHER})",
        f"EREA C ({THIRD})",
        f"COLLEGE A ({OURS}), LYCEE B ({OTHER})",
        f"LYCEE B ({OTHER}), EREA C ({THIRD})",
        "COLLEGE A",
        "",
        "LYCEE (0771234A)",
        f"{OURS.lower()}",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(_CELLS, min_size=1, max_size=3), min_size=1, max_size=25))
def test_any_mix_of_structure_cells_touches_this_school_only(people_cells: list[list[str]]) -> None:
    # GIVEN people, each on one to three rows (one per structure)
    rows = [_row(f"p{number}", cell) for number, cells in enumerate(people_cells) for cell in cells]
    named = {
        f"p{number}": {uai for cell in cells for uai in uais_in_cell(cell)} for number, cells in enumerate(people_cells)
    }
    ours = sum(1 for uais in named.values() if OURS in uais)
    foreign = {person for person, uais in named.items() if uais and OURS not in uais}
    unidentified = sum(
        1
        for number, cells in enumerate(people_cells)
        if not named[f"p{number}"] and any(cell.strip() for cell in cells)
    )
    has_uais = any(named.values())
    roster = _read(*rows)
    # WHEN checked for this school
    try:
        checked = ensure_roster_matches_uai(roster, OURS, "export.csv")
    except UaiMismatch:
        # THEN a file naming UAIs is refused exactly when those not naming this school are as many as its own
        assert has_uais
        assert len(foreign) + unidentified >= ours
        return
    assert not has_uais or len(foreign) + unidentified < ours
    # AND no account is ever made for a person naming only other schools; everyone else is kept
    kept = {person.id for person in checked.people}
    assert kept == set(named) - foreign
    assert {issue.person_id for issue in checked.issues if issue.code == OTHER_SCHOOL_ROW} == foreign


def test_structure_names_count_each_new_person_once_under_their_first_rows_cell() -> None:
    # GIVEN runs of rows naming one cell or another, a person's second row, a blank cell and a refused row
    rows = [
        _row("1", "LYCEE A"),
        _row("2", "LYCEE A"),
        _row("3", "COLLEGE B"),
        _row("4", "LYCEE A"),
        _row("1", "COLLEGE B"),  # person 1 again: merged, not counted
        _row("5", "  "),
        _row("6", "COLLEGE B"),
        _row("7", "LYCEE A", profile="Martien"),  # a row error: nobody counted
        _row("8", "LYCEE A"),
    ]
    # THEN each cell counts the people whose first row carries it, in the order cells were first seen
    assert list(_read(*rows).structure_names.items()) == [("LYCEE A", 4), ("COLLEGE B", 2)]


def test_structure_names_past_the_bound_are_not_counted_and_known_ones_still_are() -> None:
    # GIVEN as many distinct cells as are counted, then a new cell twice and a counted one again
    rows = [_row(f"p{n}", f"STRUCTURE {n}") for n in range(_NAMES_COUNTED)]
    rows += [_row("late-1", "LATE"), _row("late-2", "LATE"), _row("again", "STRUCTURE 0")]
    names = _read(*rows).structure_names
    # THEN the new cell is left out, the known one counts its second person
    assert len(names) == _NAMES_COUNTED
    assert "LATE" not in names
    assert names["STRUCTURE 0"] == 2


def test_people_without_uai_are_those_never_named_with_one() -> None:
    # GIVEN people named without a UAI, one of whom names this school on a later row, and others with a UAI
    rows = [_row("a", "CITE SCOLAIRE"), _row("b", "CITE SCOLAIRE"), _row("b", f"COLLEGE ({OURS})")]
    rows += [_row(f"u{n}", f"COLLEGE ({OURS})") for n in range(3)]
    roster = _read(*rows)
    # THEN only the one never named with a UAI is counted
    assert roster.people_without_school_uai == 1
    assert sorted(roster.school_uais) == ["b", "u0", "u1", "u2"]
