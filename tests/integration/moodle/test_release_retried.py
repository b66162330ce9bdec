"""MoodlePlatform.release_accounts dying part-way (Moodle stops answering between its writes) and retried,
as the state machine retries the Deprovision step: the leavers end suspended and reported, whichever write
was lost."""

from __future__ import annotations

import pytest

from elea.dal.moodle.errors import MoodleUnavailable
from elea.dal.moodle.mapping import MoodleMapping
from elea.dal.moodle.platform import MoodlePlatform
from elea.dal.moodle.web_service import MoodleWebService
from elea.ports.platform import AccountChange, AccountStatus, Cohort
from tests.fakes.fake_moodle import FakeMoodle
from tests.fakes.memory_roster_mirror import InMemoryRosterMirror
from tests.unit.logic.builders import UAI, account


@pytest.mark.parametrize("lost", ["core_user_update_users", "core_cohort_delete_cohort_members"])
def test_a_release_retried_after_a_lost_write_suspends_every_leaver(fake_moodle: FakeMoodle, lost: str) -> None:
    # GIVEN two accounts of the school in Moodle
    platform = MoodlePlatform(
        MoodleWebService(fake_moodle.url, fake_moodle.token, max_attempts=1), MoodleMapping(), InMemoryRosterMirror()
    )
    platform.create_cohorts(UAI, [Cohort(idnumber=f"{UAI}$3A", name="3A", uai=UAI)])
    leavers = [account(f"eleve.{n}", ent_id=f"E{n}", classes=("3A",)) for n in (1, 2)]
    assert platform.write_accounts(UAI, [AccountChange(before=None, after=item) for item in leavers]) == []
    school = platform.accounts(UAI)
    # WHEN the release dies on one of its writes (Moodle not answering), then is retried with the same accounts
    fake_moodle.fail_next(1, kind="http_503", function=lost)
    with pytest.raises(MoodleUnavailable):
        platform.release_accounts(UAI, school)
    suspended = platform.release_accounts(UAI, school).suspended
    # THEN both are suspended, reported as such, and no longer the school's; their class kept for a return
    assert sorted(item.username for item in suspended) == ["eleve.1", "eleve.2"]
    assert all(item.status is AccountStatus.SUSPENDED for item in suspended)
    for username in ("eleve.1", "eleve.2"):
        user = fake_moodle.user(username)
        assert user is not None
        assert user.suspended
    assert platform.accounts(UAI) == []
    assert fake_moodle.member_usernames(f"{UAI}$3A") == {"eleve.1", "eleve.2"}
