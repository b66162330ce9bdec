from __future__ import annotations

import pytest

from elea.logic.cohorts import cohort_idnumber, is_import_cohort, sync_cohorts
from elea.ports.platform import AccountOrigin, Cohort
from tests.fakes.memory_platform import InMemoryPlatform
from tests.unit.logic.builders import OTHER_UAI, UAI, account


def test_idnumber_is_readable_and_deterministic() -> None:
    # GIVEN a class WHEN its idnumber is derived twice THEN it is the UAI, a dollar, and the class
    assert cohort_idnumber(UAI, "3EME A") == "0750654D$3EME A" == cohort_idnumber(UAI, "3EME A")


def test_idnumber_normalises_spacing_and_accents() -> None:
    # GIVEN the same class with stray spaces and a decomposed accent (Excel re-save)
    decomposed = "1e\u0300re  G1 "
    # THEN it gives the same cohort as the clean spelling
    assert cohort_idnumber(UAI, decomposed) == cohort_idnumber(UAI, "1ère G1")


def test_long_class_names_fit_moodle_and_stay_distinct() -> None:
    # GIVEN two long class names that differ only at the end
    first, second = "G" * 150 + "1", "G" * 150 + "2"
    # THEN both idnumbers fit in 100 characters and differ
    assert len(cohort_idnumber(UAI, first)) == 100
    assert cohort_idnumber(UAI, first) != cohort_idnumber(UAI, second)
    assert is_import_cohort(UAI, cohort_idnumber(UAI, first))


def test_blank_class_has_no_cohort() -> None:
    with pytest.raises(ValueError, match="class name"):
        cohort_idnumber(UAI, "  ")


def test_first_sync_creates_every_class_in_one_batch() -> None:
    # GIVEN an empty platform
    platform = InMemoryPlatform()
    # WHEN the file's classes are synced (with a duplicate and a blank one)
    result = sync_cohorts(platform, UAI, ["3A", "3B", "3A", " ", "4C"])
    # THEN one cohort per class was created, in a single call, named after the class
    assert (result.created, result.unchanged, result.emptied) == (3, 0, 0)
    assert platform.calls["create_cohorts"] == 1
    assert [cohort.name for cohort in platform.cohorts(UAI)] == ["3A", "3B", "4C"]


def test_second_sync_writes_nothing() -> None:
    # GIVEN a synced platform
    platform = InMemoryPlatform()
    sync_cohorts(platform, UAI, ["3A", "3B"])
    platform.reset_counts()
    # WHEN the same classes are synced again
    result = sync_cohorts(platform, UAI, ["3B", "3A"])
    # THEN nothing is written and everything is unchanged
    assert (result.created, result.unchanged, result.emptied) == (0, 2, 0)
    assert platform.writes == 0


def test_existing_cohort_is_kept_as_it_is() -> None:
    # GIVEN a cohort a manager renamed on the platform
    platform = InMemoryPlatform(cohorts=[Cohort(idnumber=cohort_idnumber(UAI, "3A"), name="3e A (renommée)", uai=UAI)])
    # WHEN the class is synced
    result = sync_cohorts(platform, UAI, ["3A"])
    # THEN the cohort keeps its name
    assert result.unchanged == 1
    assert platform.cohorts(UAI)[0].name == "3e A (renommée)"


def test_gone_class_empties_its_cohort_without_deleting_it() -> None:
    # GIVEN members of 3A: two imported accounts, one manual account; and cohorts that are not the import's
    hand_made = f"{UAI}-club-theatre"
    other_school = cohort_idnumber(OTHER_UAI, "3A")
    platform = InMemoryPlatform(
        accounts=[
            account("a.one", ent_id="1", classes=("3A",), extra_cohorts=(hand_made, other_school)),
            account("a.two", ent_id="2", classes=("3A", "3B")),
            account("a.manual", classes=("3A",), origin=AccountOrigin.MANUAL),
            account("a.three", ent_id="3", classes=("3B",)),
        ]
    )
    sync_cohorts(platform, UAI, ["3A", "3B"])
    platform.reset_counts()
    # WHEN 3A is no longer in the file
    result = sync_cohorts(platform, UAI, ["3B"])
    # THEN the cohort still exists, its non-flagged members left it, in one write of the two changed accounts
    assert (result.created, result.unchanged, result.emptied) == (0, 1, 1)
    assert cohort_idnumber(UAI, "3A") in {cohort.idnumber for cohort in platform.cohorts(UAI)}
    assert platform.calls["write_accounts"] == 1
    assert platform.accounts_written == 2
    by_name = {item.username: item.cohorts for item in platform.all_accounts()}
    assert by_name["a.one"] == {hand_made, other_school}
    assert by_name["a.two"] == {cohort_idnumber(UAI, "3B")}
    assert by_name["a.manual"] == {cohort_idnumber(UAI, "3A")}
    # AND a second sync writes nothing and reports nothing emptied
    platform.reset_counts()
    assert sync_cohorts(platform, UAI, ["3B"]).emptied == 0
    assert platform.writes == 0


def test_hand_made_cohort_of_the_uai_is_never_emptied() -> None:
    # GIVEN a cohort made by hand on the platform, not in the file
    hand_made = Cohort(idnumber="club-theatre", name="Club théâtre", uai=UAI)
    platform = InMemoryPlatform(
        accounts=[account("a.one", ent_id="1", extra_cohorts=("club-theatre",))], cohorts=[hand_made]
    )
    # WHEN the classes are synced
    result = sync_cohorts(platform, UAI, ["3A"])
    # THEN its members are untouched (no account written)
    assert result.emptied == 0
    assert platform.calls["write_accounts"] == 0
    assert "club-theatre" in platform.all_accounts()[0].cohorts
