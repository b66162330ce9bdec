"""The AccountMarks port in memory, merging what was noted as the DynamoDB adapter does."""

from __future__ import annotations

from collections.abc import Mapping

from elea.ports.account_marks import SchoolMarks

_FORGOTTEN = "-"


class InMemoryAccountMarks:
    def __init__(self) -> None:
        self.recorded: dict[str, SchoolMarks] = {}
        self.noted: dict[str, set[tuple[int, str]]] = {}

    def read(self, uai: str) -> SchoolMarks | None:
        if uai not in self.recorded and uai not in self.noted:
            return None
        base = self.recorded.get(uai, SchoolMarks())
        marks = dict(base.marks)
        values: dict[int, set[str]] = {}
        for account_id, mark in self.noted.get(uai, set()):
            values.setdefault(account_id, set()).add(mark)
        for account_id, seen in values.items():
            value = next(iter(seen)) if len(seen) == 1 else _FORGOTTEN
            if value == _FORGOTTEN:
                marks.pop(account_id, None)
            else:
                marks[account_id] = value
        return SchoolMarks(rounds=base.rounds, marks=marks)

    def record(self, uai: str, marks: SchoolMarks) -> None:
        self.recorded[uai] = SchoolMarks(rounds=marks.rounds, marks=dict(marks.marks))
        self.noted.pop(uai, None)

    def note(self, uai: str, marks: Mapping[int, str | None]) -> None:
        if marks:
            self.noted.setdefault(uai, set()).update((int(i), mark or _FORGOTTEN) for i, mark in marks.items())

    def lose(self, uai: str | None = None) -> None:
        """One school's marks lost, or all of them."""
        for kept in (self.recorded, self.noted):
            if uai is None:
                kept.clear()
            else:
                kept.pop(uai, None)
