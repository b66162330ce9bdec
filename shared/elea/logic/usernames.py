"""Usernames for people who have no ENT login (SIECLE, STS): `prenom.nom`, ascii, Moodle-valid.

Moodle accepts lowercase letters, digits and `. - _ @` in a username. Ours are `first.last` with accents
folded, apostrophes dropped and spaces or hyphens turned into `-`. Homonyms get a suffix derived from
their own Id, so a person's username never depends on the order of the rows.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence

from elea.domain.identity import identity_key, looks_like_uai
from elea.models.person import Person

# Letters NFKD does not decompose into ascii.
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "đ": "d", "ł": "l", "ð": "d", "þ": "th"})
_APOSTROPHES = re.compile(r"['’ʼ`´]")
_SEPARATORS = re.compile(r"[\s\-_.]+")
_NOT_ALLOWED = re.compile(r"[^a-z0-9-]")
_DASHES = re.compile(r"-{2,}")
# Each name part is capped so base + suffix stay far below Moodle's 100 characters.
_PART_MAX_LENGTH = 35
# Used when a name has no latin letter at all (e.g. written only in another script).
_NAMELESS_BASE = "utilisateur"
DEFAULT_SUFFIX_LENGTH = 6


def _username_part(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.lower().translate(_LIGATURES))
    ascii_only = "".join(char for char in folded if not unicodedata.combining(char))
    part = _APOSTROPHES.sub("", ascii_only)
    part = _SEPARATORS.sub("-", part)
    part = _DASHES.sub("-", _NOT_ALLOWED.sub("", part))
    return part.strip("-")[:_PART_MAX_LENGTH].strip("-")


def username_base(first_name: str, last_name: str) -> str:
    """`Jean-Noël D'Arc` → `jean-noel.darc`; never empty."""
    parts = [part for part in (_username_part(first_name), _username_part(last_name)) if part]
    return ".".join(parts) or _NAMELESS_BASE


def fallback_username(base: str, person_id: str, *, suffix_length: int = DEFAULT_SUFFIX_LENGTH) -> str:
    """`base-1a2b3c`: stable for a person (the suffix hashes their Id), used when `base` is someone else's."""
    digest = hashlib.sha256(person_id.encode()).hexdigest()[:suffix_length]
    return f"{base}-{digest}"


def fallback_candidates(base: str, person_id: str) -> list[str]:
    """Ever longer hash suffixes: the next one is tried only if the previous is already someone else's."""
    return [fallback_username(base, person_id, suffix_length=length) for length in (DEFAULT_SUFFIX_LENGTH, 12, 24)]


def is_usable(candidate: str, used: set[str]) -> bool:
    """Not someone else's (by identity key) and not a school's management username or a look-alike."""
    return identity_key(candidate) not in used and not looks_like_uai(candidate)


def propose_usernames(people: Sequence[Person]) -> list[Person]:
    """Sets `proposed_username` for people without an ENT login; unique within the file.

    People are taken by Id: the smallest Id keeps the plain base, the others get their hash suffix.
    ENT logins of the same file are avoided too. The order of the returned list is the input order.
    """
    used = {identity_key(person.login) for person in people if person.login is not None}
    proposals: dict[str, str] = {}
    for person in sorted((person for person in people if person.login is None), key=lambda person: person.id):
        if person.id in proposals:
            continue
        base = username_base(person.first_name, person.last_name)
        candidates = [base, *fallback_candidates(base, person.id)]
        choice = next(candidate for candidate in candidates if is_usable(candidate, used))
        used.add(choice)
        proposals[person.id] = choice
    return [
        person if person.login is not None else person.model_copy(update={"proposed_username": proposals[person.id]})
        for person in people
    ]
