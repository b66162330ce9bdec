"""The AccountMarks port in memory, merging what was noted as the DynamoDB adapter does."""

from __future__ import annotations

from collections.abc import Mapping

from elea.ports.account_marks import SchoolMarks, merged


class InMemoryAccountMarks:
    def __init__(self) -> None:
        self.recorded: dict[str, SchoolMarks] = {}
        self.noted: dict[str, set[tuple[int, str | None]]] = {}

    def read(self, uai: str) -> SchoolMarks | None:
        if uai not in self.recorded and uai not in self.noted:
            return None
        base = self.recorded.get(uai, SchoolMarks())
        return SchoolMarks(rounds=base.rounds, marks=merged(base.marks, self.noted.get(uai, set())))

    def record(self, uai: str, marks: SchoolMarks) -> None:
        self.recorded[uai] = SchoolMarks(rounds=marks.rounds, marks=dict(marks.marks))
        self.noted.pop(uai, None)

    def note(self, uai: str, marks: Mapping[int, str | None]) -> None:
        if marks:
            self.noted.setdefault(uai, set()).update((int(account_id), mark) for account_id, mark in marks.items())

    def lose(self, uai: str | None = None) -> None:
        """One school's marks lost, or all of them."""
        for kept in (self.recorded, self.noted):
            if uai is None:
                kept.clear()
            else:
                kept.pop(uai, None)
