"""The bundled synthetic sample the demo imports, and the generator that writes it."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from elea.models.person import Person
from elea.models.roster import Roster
from elea.roster.ent_csv import read_ent_csv
from tests.fixtures.generator import SAMPLE_DIR, write_sample


def _read(name: str) -> Roster:
    path = SAMPLE_DIR / name
    with path.open("rb") as stream:
        return read_ent_csv(stream, path.name)


def test_committed_sample_is_what_the_generator_writes(tmp_path: Path) -> None:
    # GIVEN the seeded generator WHEN it writes the sample again THEN the bytes are the committed ones
    first, later = write_sample(tmp_path)
    assert first.read_bytes() == (SAMPLE_DIR / "export.csv").read_bytes()
    assert later.read_bytes() == (SAMPLE_DIR / "export-changed.csv").read_bytes()


def test_sample_is_a_whole_school_read_without_issue() -> None:
    roster = _read("export.csv")
    assert roster.issues == []
    assert roster.encoding == "utf-8-sig"
    assert len(roster.people) == 570
    assert Counter(p.profile.value for p in roster.people) == {
        "student": 440,
        "teacher": 46,
        "personnel": 15,
        "relative": 67,
        "guest": 2,
    }
    assert len(roster.classes) == 20
    assert {"6A", "3B", "2NDE1", "TG2"} <= set(roster.classes)
    # Two teachers are linked to a second structure: two rows each, one person each.
    assert sum(1 for p in roster.people if "FORMATION CONTINUE" in p.functions) == 2
    assert any("'" in p.last_name for p in roster.people)
    assert any("-" in p.first_name for p in roster.people)


def test_changed_sample_is_the_same_school_a_term_later() -> None:
    before = {p.id: p for p in _read("export.csv").people}
    after = {p.id: p for p in _read("export-changed.csv").people}

    def kept(person: Person) -> tuple[object, ...]:
        return (person.login, person.last_name, person.first_name, person.profile)

    common = before.keys() & after.keys()
    assert len(after.keys() - before.keys()) == 15
    assert len(before.keys() - after.keys()) == 10
    assert sum(1 for i in common if before[i].classes != after[i].classes) == 20
    assert sum(1 for i in common if kept(before[i]) != kept(after[i])) == 1
