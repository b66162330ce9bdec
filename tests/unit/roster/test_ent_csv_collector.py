"""The ENT reader pauses the garbage collector while it builds people, and leaves it as it found it."""

from __future__ import annotations

import gc
import io
from collections.abc import Iterator

import pytest

from elea.roster.ent_csv import read_ent_csv

_EXPORT = (
    '\ufeff"Id";"Type";"Nom";"Prénom";"Identifiant";"Classes"\n"1";"Élève";"DURAND";"Zoé";"zoe.durand";"6A"\n'
).encode()


@pytest.fixture
def collector_restored() -> Iterator[None]:
    was_enabled = gc.isenabled()
    yield
    gc.unfreeze()
    if was_enabled:
        gc.enable()
    else:
        gc.disable()


def _read() -> None:
    [person] = read_ent_csv(io.BytesIO(_EXPORT), "export.csv").people
    assert person.login == "zoe.durand"


@pytest.mark.usefixtures("collector_restored")
def test_the_collector_is_on_after_a_read_and_what_was_built_is_still_collected() -> None:
    gc.enable()
    _read()
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0  # the people went to the oldest generation, not out of the collector's reach


@pytest.mark.usefixtures("collector_restored")
def test_a_collector_switched_off_by_the_caller_stays_off() -> None:
    gc.disable()
    _read()
    assert not gc.isenabled()


@pytest.mark.usefixtures("collector_restored")
def test_objects_the_caller_froze_stay_frozen() -> None:
    gc.enable()
    gc.freeze()
    frozen = gc.get_freeze_count()
    _read()
    assert gc.get_freeze_count() == frozen
    assert gc.isenabled()
