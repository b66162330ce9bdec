"""Which profiles a file's format can carry, so that a file is only compared with those.

A SIECLE « Élèves sans adresses » export holds pupils only, an STS-web export (sts_emp) teachers only:
in a school that imports both, a SIECLE file says nothing about its teachers. Deprovisioning and the
checks before suspending look only at the accounts whose profile the file could have listed; an ENT
export carries every profile, so one that lacks all teachers is still a wrong export.
"""

from __future__ import annotations

from elea.models.person import Profile
from elea.models.roster import RosterFormat

_CARRIED: dict[str, frozenset[Profile]] = {
    RosterFormat.ENT_CSV.value: frozenset(Profile),
    RosterFormat.SIECLE_ELEVES.value: frozenset({Profile.STUDENT}),
    RosterFormat.STS_EMP.value: frozenset({Profile.TEACHER}),
}


def carried_profiles(file_format: str | None) -> frozenset[Profile] | None:
    """The profiles a file of this format can list; None when the format is unknown (compare with all)."""
    if file_format is None:
        return None
    return _CARRIED.get(file_format)


def carried_by(file_format: str | None, profile: Profile | None) -> bool:
    """True when a file of this format could list an account of this profile.

    An account without a profile is considered only by a format that carries every profile (ENT): a
    SIECLE or STS file cannot tell whether it is one of its own.
    """
    carried = carried_profiles(file_format)
    if carried is None or carried == frozenset(Profile):
        return True
    return profile is not None and profile in carried
