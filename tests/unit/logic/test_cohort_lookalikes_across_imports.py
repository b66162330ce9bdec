"""A class of today's file that looks like a cohort of an earlier import (case, accents, full-width forms)
is that cohort: never a second, look-alike one; its people become its members, and the report says so."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from elea.logic.cohorts import cohort_idnumber, normalise_class_name, resolve_cohorts, sync_cohorts_and_read
from elea.logic.users import plan_upsert
from elea.models.policy import ImportPolicy
from elea.ports.platform import Cohort
from tests.fakes.memory_platform import InMemoryPlatform
from tests.unit.logic.builders import OTHER_UAI, UAI, account, person

CLASS_CHARS = st.sampled_from(list("0123456789ABCDEFGHabcdegh ") + list("ÉÈèéÊêàÀçÇ"))


def lookalike(name: str, how: str) -> str:
    """Another spelling of the same class, as a later export could write it."""
    if how == "lower":
        return name.lower()
    if how == "upper":
        return name.upper()
    if how == "fullwidth":
        return "".join(chr(ord(char) + 0xFEE0) if "!" <= char <= "~" else char for char in name)
    # Accents dropped: « 3ÈME A » written « 3EME A ».
    return "".join(char for char in unicodedata.normalize("NFD", name) if not unicodedata.combining(char))


def cohort(name: str, uai: str = UAI) -> Cohort:
    """A cohort as the Classes step creates it: named after the normalised class."""
    return Cohort(idnumber=cohort_idnumber(uai, name), name=normalise_class_name(name), uai=uai)


@given(
    name=st.text(CLASS_CHARS, min_size=1, max_size=12).filter(lambda text: text.strip()),
    how=st.sampled_from(["lower", "upper", "fullwidth", "accents"]),
)
@settings(max_examples=200)
def test_a_lookalike_of_an_existing_cohort_is_that_cohort(name: str, how: str) -> None:
    # GIVEN the school's cohort of an earlier import, and today's file spelling its class otherwise
    existing = cohort(name)
    spelled = lookalike(name, how)
    # WHEN the file's classes are resolved
    wanted, spellings = resolve_cohorts(UAI, [spelled], [existing])
    # THEN the class is the existing cohort (same idnumber, same name), and a differing spelling is reported
    assert list(wanted.values()) == [existing]
    if cohort_idnumber(UAI, spelled) == existing.idnumber:
        assert spellings == []
    else:
        [spelling] = spellings
        assert (spelling.idnumber, spelling.cohort_name) == (existing.idnumber, existing.name)
        assert "est conservée" in spelling.message


def test_an_exact_cohort_wins_over_a_lookalike_and_other_schools_cohorts_never_count() -> None:
    # GIVEN cohorts « 6A » and « 6a » already there (made before the check), and another school's « 6B »
    existing = [cohort("6A"), cohort("6a"), cohort("6B", OTHER_UAI)]
    # WHEN the file says « 6a » and « 6b »
    wanted, spellings = resolve_cohorts(UAI, ["6a", "6b"], existing)
    # THEN « 6a » is its own cohort, « 6b » is new here (another school's « 6B » is not this school's)
    assert sorted(wanted) == [cohort_idnumber(UAI, "6a"), cohort_idnumber(UAI, "6b")]
    assert spellings == []


def test_a_reimport_spelling_the_class_otherwise_keeps_the_cohort_and_its_members() -> None:
    # GIVEN a school whose pupils are members of the cohort « 6A »
    platform = InMemoryPlatform(
        [account("login.p1", ent_id="p1", classes=("6A",)), account("login.p2", ent_id="p2", classes=("6A",))],
        [cohort("6A")],
    )
    # WHEN a file spelling it « 6ａ » (full-width, lower case) is synced, with a newcomer in it
    sync, accounts, _cohorts = sync_cohorts_and_read(platform, UAI, ["6ａ"])
    # THEN no cohort is created or emptied, and the spelling is reported
    assert (sync.created, sync.unchanged, sync.emptied) == (0, 1, 0)
    assert [spelling.file_class for spelling in sync.spellings] == ["6ａ"]
    assert [c.idnumber for c in platform.cohorts(UAI)] == [cohort_idnumber(UAI, "6A")]
    # AND the users step keeps the members where they are and files the newcomer in the same cohort
    aliases = {spelling.file_class: spelling.idnumber for spelling in sync.spellings}
    people = [person(f"p{n}", classes=("6ａ",)) for n in (1, 2, 3)]
    plan = plan_upsert(platform, UAI, people, ImportPolicy(), school_accounts=accounts, class_cohorts=aliases)
    assert [outcome.outcome.value for outcome in plan.outcomes] == ["unchanged", "unchanged", "created"]
    [created] = plan.writes
    assert created.after.cohorts == frozenset({cohort_idnumber(UAI, "6A")})
