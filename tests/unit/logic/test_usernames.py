from __future__ import annotations

import random
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from elea.logic.usernames import fallback_candidates, fallback_username, propose_usernames, username_base
from tests.unit.logic.builders import person

MOODLE_USERNAME = re.compile(r"^[a-z0-9.\-_@]+$")


@pytest.mark.parametrize(
    ("first_name", "last_name", "expected"),
    [
        ("Léa", "Martin", "lea.martin"),
        ("Jean-Noël", "D'Arc", "jean-noel.darc"),
        ("Anne Sophie", "de la  Tour", "anne-sophie.de-la-tour"),
        ("Zoé", "L’Héritier", "zoe.lheritier"),
        ("Œdipe", "Bæk", "oedipe.baek"),
        ("Ana-", "García_López", "ana.garcia-lopez"),
        ("", "Nguyễn", "nguyen"),
        ("Иван", "Петров", "utilisateur"),
    ],
)
def test_base_is_ascii_prenom_nom(first_name: str, last_name: str, expected: str) -> None:
    assert username_base(first_name, last_name) == expected


@settings(max_examples=60, deadline=None)
@given(first_name=st.text(max_size=80), last_name=st.text(max_size=80), person_id=st.text(min_size=1, max_size=20))
def test_usernames_are_always_moodle_valid(first_name: str, last_name: str, person_id: str) -> None:
    # GIVEN any names WHEN a base and its fallback are made THEN both are valid, short Moodle usernames
    base = username_base(first_name, last_name)
    for username in (base, fallback_username(base, person_id)):
        assert MOODLE_USERNAME.match(username)
        assert len(username) <= 100


def test_longest_fallback_fits_moodle() -> None:
    # GIVEN very long names WHEN the longest fallback is made THEN it stays within Moodle's 100 characters
    base = username_base("A" * 200, "B" * 200)
    assert max(len(candidate) for candidate in fallback_candidates(base, "S1")) <= 100


def test_fallback_is_stable_and_personal() -> None:
    assert fallback_username("lea.martin", "S1") == fallback_username("lea.martin", "S1")
    assert fallback_username("lea.martin", "S1") != fallback_username("lea.martin", "S2")
    assert re.fullmatch(r"lea\.martin-[0-9a-f]{6}", fallback_username("lea.martin", "S1"))


def test_homonyms_get_unique_usernames_whatever_the_row_order() -> None:
    # GIVEN three SIECLE homonyms
    people = [person(ent_id, login=None) for ent_id in ("S3", "S1", "S2")]
    # WHEN usernames are proposed for two row orders
    first = {item.id: item.proposed_username for item in propose_usernames(people)}
    shuffled = list(people)
    random.Random(4).shuffle(shuffled)
    second = {item.id: item.proposed_username for item in propose_usernames(shuffled)}
    # THEN the smallest Id keeps the base, the others get their own suffix, and the order did not matter
    assert first == second
    assert first["S1"] == "lea.martin"
    assert first["S2"] == fallback_username("lea.martin", "S2")
    assert len(set(first.values())) == 3


def test_ent_people_keep_their_login_and_are_avoided() -> None:
    # GIVEN an ENT person whose login is what a SIECLE person would get
    ent = person("E1", login="Lea.Martin")
    siecle = person("S1", login=None)
    # WHEN usernames are proposed
    proposed = propose_usernames([ent, siecle])
    # THEN the ENT person is untouched and the SIECLE one takes a fallback; order is kept
    assert proposed[0] == ent
    assert proposed[1].proposed_username == fallback_username("lea.martin", "S1")
