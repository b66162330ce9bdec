"""Classes step: one cohort per class of the UAI; a class that left the file empties its cohort.

Cohort idnumbers are `{UAI}${class}` (see `cohort_idnumber`). That prefix is also how we recognise the
cohorts an import manages: a cohort a manager made by hand on the platform has another idnumber and is
never emptied, and memberships in it are never touched.

Across imports, a class of the file equal to an existing import cohort's class after case folding, accent
folding and NFKC (`elea.domain.identity.identity_key`, as Moodle's collation compares idnumbers) is that
cohort: « 6a » today and the cohort « 6A » (`{UAI}$6A`) of an earlier import are one class, never two
look-alike cohorts. The existing cohort keeps its name and idnumber (the platform's courses are enrolled
with it), the file's people become its members, and the report says so (`ClassSpelling`).
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable, Mapping, Sequence

from elea.domain.field_limits import COHORT_IDNUMBER_MAX
from elea.domain.identity import identity_key
from elea.models.class_spelling import ClassSpelling
from elea.models.cohort_sync import CohortSync
from elea.ports.platform import Account, AccountChange, Cohort, Platform

COHORT_SEPARATOR = "$"
# Moodle's cohort.idnumber is a varchar(100); readers refuse longer classes, this is the safety net.
IDNUMBER_MAX_LENGTH = COHORT_IDNUMBER_MAX
_HASH_LENGTH = 8


def normalise_class_name(class_name: str) -> str:
    """The class as shown to people: NFC (Excel re-saves may decompose accents), single spaces."""
    return " ".join(unicodedata.normalize("NFC", class_name).split())


def cohort_idnumber(uai: str, class_name: str) -> str:
    """Deterministic, readable idnumber of a class's cohort: `0750654D$3EME A`.

    The UAI has a fixed length (8), so the prefix is unambiguous whatever the class contains. Case is
    kept: the cohort name is the class as the file spells it. A class too long for Moodle's 100
    characters is cut and given a hash of its full name, so two long classes never share a cohort.
    """
    name = normalise_class_name(class_name)
    if not name:
        raise ValueError("a class name is required for a cohort idnumber")
    idnumber = f"{uai}{COHORT_SEPARATOR}{name}"
    if len(idnumber) <= IDNUMBER_MAX_LENGTH:
        return idnumber
    digest = hashlib.sha256(name.encode()).hexdigest()[:_HASH_LENGTH]
    keep = IDNUMBER_MAX_LENGTH - len(uai) - len(COHORT_SEPARATOR) - 1 - _HASH_LENGTH
    return f"{uai}{COHORT_SEPARATOR}{name[:keep]}~{digest}"


def is_import_cohort(uai: str, idnumber: str) -> bool:
    """True for the cohorts the imports of this UAI manage (not hand-made ones, not other UAIs')."""
    return idnumber.startswith(f"{uai}{COHORT_SEPARATOR}")


def wanted_cohorts(uai: str, classes: Iterable[str], aliases: Mapping[str, str] | None = None) -> dict[str, Cohort]:
    """The cohorts the file asks for, by idnumber; blank class names are ignored. `aliases`: class (as the
    file spells it, normalised) → the idnumber of the existing cohort it is (`resolve_cohorts`)."""
    wanted: dict[str, Cohort] = {}
    for class_name in classes:
        name = normalise_class_name(class_name)
        if name:
            idnumber = (aliases or {}).get(name) or cohort_idnumber(uai, name)
            wanted.setdefault(idnumber, Cohort(idnumber=idnumber, name=name, uai=uai))
    return wanted


def resolve_cohorts(
    uai: str, classes: Iterable[str], existing: Sequence[Cohort]
) -> tuple[dict[str, Cohort], list[ClassSpelling]]:
    """The cohorts the file asks for, each class being the existing cohort of its exact idnumber, else the
    existing import cohort that looks like it (the first by idnumber if the platform has several), else a
    new one; with one `ClassSpelling` per class kept under another spelling."""
    by_idnumber = {cohort.idnumber: cohort for cohort in existing}
    lookalikes: dict[str, Cohort] = {}
    for cohort in sorted(existing, key=lambda cohort: cohort.idnumber):
        if is_import_cohort(uai, cohort.idnumber):
            lookalikes.setdefault(_class_key(uai, cohort.idnumber), cohort)
    wanted: dict[str, Cohort] = {}
    spellings: list[ClassSpelling] = []
    for class_name in classes:
        name = normalise_class_name(class_name)
        if not name:
            continue
        idnumber = cohort_idnumber(uai, name)
        same = None if idnumber in by_idnumber else lookalikes.get(_class_key(uai, idnumber))
        if same is None:
            wanted.setdefault(idnumber, Cohort(idnumber=idnumber, name=name, uai=uai))
            continue
        wanted.setdefault(same.idnumber, same)
        spellings.append(_spelling(name, same))
    return wanted, spellings


def _class_key(uai: str, idnumber: str) -> str:
    return identity_key(idnumber.removeprefix(f"{uai}{COHORT_SEPARATOR}"))


def _spelling(file_class: str, cohort: Cohort) -> ClassSpelling:
    return ClassSpelling(
        file_class=file_class,
        cohort_name=cohort.name,
        idnumber=cohort.idnumber,
        message=(
            f"La classe « {file_class} » du fichier et la cohorte « {cohort.name} » déjà présente sur la plateforme "
            "ne diffèrent que par les majuscules, les accents ou la largeur des caractères : c'est la même classe. "
            f"La cohorte « {cohort.name} » est conservée, avec son nom et son identifiant ({cohort.idnumber}), et "
            f"les personnes de « {file_class} » en sont membres. Aucune nouvelle cohorte n'a été créée. Pour ne "
            "plus voir ce message, écrivez la classe de la même façon dans l'ENT ou SIECLE."
        ),
    )


def sync_cohorts(platform: Platform, uai: str, classes: Sequence[str]) -> CohortSync:
    """Creates the missing cohorts in one batch, keeps existing ones, empties those whose class is gone.

    Idempotent: a second call with the same classes writes nothing.
    """
    sync, _, _ = sync_cohorts_and_read(platform, uai, classes)
    return sync


def sync_cohorts_and_read(
    platform: Platform, uai: str, classes: Sequence[str], expected: Sequence[Account] = ()
) -> tuple[CohortSync, list[Account], list[Cohort]]:
    """`sync_cohorts`, and the school's accounts as they are once the gone classes are emptied: the ONE read
    of the school an import makes (the Classes step stages each Users chunk's slice of it), with the school's
    cohorts as read before the sync (their platform ids: the later steps remove memberships without reading
    them again; a cohort created here has no member to remove in this import). `expected`: the file's people
    as unchanged accounts, for a platform that need not read those it holds a matching mark of."""
    # Before the missing cohorts are created: creating a cohort gives it no member, so the accounts read
    # now are the accounts as they are after it.
    read, accounts = platform.school(uai, expected)
    wanted, spellings = resolve_cohorts(uai, classes, read)
    existing = {cohort.idnumber for cohort in read}
    missing = [cohort for idnumber, cohort in wanted.items() if idnumber not in existing]
    if missing:
        platform.create_cohorts(uai, missing)
    gone = {idnumber for idnumber in existing if is_import_cohort(uai, idnumber) and idnumber not in wanted}
    emptied, accounts = _empty_cohorts(platform, uai, gone, accounts, read)
    sync = CohortSync(created=len(missing), unchanged=len(wanted) - len(missing), emptied=emptied, spellings=spellings)
    return sync, accounts, read


def _empty_cohorts(
    platform: Platform, uai: str, gone: set[str], accounts: list[Account], read: Sequence[Cohort]
) -> tuple[int, list[Account]]:
    """Removes these cohorts from the non-flagged accounts of the school; returns how many lost members,
    and the accounts after the removal."""
    emptied: set[str] = set()
    changes: list[AccountChange] = []
    after: list[Account] = []
    for account in accounts:
        lost = account.cohorts & gone
        if lost and not account.is_flagged:
            emptied |= lost
            changes.append(
                AccountChange(before=account, after=account.model_copy(update={"cohorts": account.cohorts - lost}))
            )
            after.append(changes[-1].after)
        else:
            after.append(account)
    if changes:
        platform.write_accounts(uai, changes, known_cohorts=read)
    return len(emptied), after
