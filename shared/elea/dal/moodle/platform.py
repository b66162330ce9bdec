"""The Platform port on a real Moodle (Éléa), through its REST web services only (MoodleWebService).

Moodle is the truth. Each import reads the school at once: its cohorts' members always, and by id the accounts
it cannot vouch for (`elea.ports.account_marks`: an account whose kept fingerprint matches what the file wants is
not read, except in its verification turn, every `checked_every` imports), so a hand change is what it
compares with, and repairs. A creation is always preceded by a username lookup, so nothing can ever be
created twice. Beside it, a roster mirror (`elea.ports.roster_mirror`) keeps what each school's roster
lists, so that a release knows who else lists its leavers without reading the basin's rosters; a mirror
lost or without a census falls back to reading them in Moodle.

Calls per port method (N people; the client batches under max_input_vars):
- `cohorts(uai)`: 1 core_cohort_search_cohorts (kept for the `accounts` read that follows it; `school(uai)`
  keeps it for the `create_cohorts` that follows too).
- `accounts(uai)`: that search, 1 core_cohort_get_cohort_members for the roster and every class cohort
  of the school, core_user_get_users_by_field by id for the roster's members (1 per ~1,000); through
  `school(uai, expected)`, only for those the marks cannot vouch for (at least one).
- `find_accounts`: core_user_get_users_by_field by username.
- `write_accounts`: for creations a username lookup (unless the caller made it) and core_user_create_users
  (an e-mail lookup only for a batch Moodle refused);
  core_user_update_users for the changed fields; core_cohort_add_cohort_members for the school's roster
  and class memberships;
  core_cohort_delete_cohort_members only when memberships are removed (the cohorts' ids from
  `known_cohorts`, else one core_cohort_search_cohorts). Nothing at all for an empty list. With
  `finish_at_release` (the Users chunks), the updates and removals of changes without a password are left
  to the release, which gets them again as `pending`.
- `release_accounts`: the roster mirror (no call; the rosters it lacks read in Moodle), ONE
  core_user_update_users for the pending updates and the suspensions together, ONE
  core_cohort_delete_cohort_members for the pending removals and the detachments together, and the mirror
  again, to undo a suspension that raced with another school's import (one more update only then).
- `school(uai)` records the school's roster in the mirror; without a census it searches every cohort
  instead of the school's (the same one call) and makes it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from elea.dal.moodle.errors import MoodleCallError, MoodleTokenInsufficient
from elea.dal.moodle.mapping import MANUAL_AUTH, MOODLE_USERNAME, MoodleMapping
from elea.dal.moodle.models import (
    MoodleCohort,
    MoodleUser,
    MoodleUserUpdate,
    MoodleWarning,
    NewMoodleCohort,
    NewMoodleUser,
)
from elea.dal.moodle.web_service import MoodleWebService
from elea.logic.cohorts import is_import_cohort
from elea.ports.account_marks import ACCOUNTS_CHECKED_EVERY, AccountMarks, SchoolMarks, fingerprint
from elea.ports.platform import (
    Account,
    AccountChange,
    AccountOrigin,
    AccountRejection,
    AccountStatus,
    Cohort,
    Release,
)
from elea.ports.roster_mirror import MirroredRosters, RosterMirror, SchoolRoster

# core_cohort_add_cohort_members' soft warning for an unknown cohort or user.
_UNKNOWN_MEMBER_WARNING = "2"

MESSAGE_LOGIN_TAKEN = (
    "Identifiant déjà utilisé par un autre compte de la plateforme Éléa : compte non créé. "
    "Vérifiez l'Id et l'identifiant de cette ligne dans l'export, ou demandez à l'administrateur de la plateforme."
)
MESSAGE_USERNAME_REFUSED = (
    "Identifiant refusé par la plateforme Éléa (Moodle n'accepte que les minuscules sans accent, les chiffres "
    "et . _ - @) : compte non créé ou non renommé. Corrigez l'identifiant dans l'ENT, puis importez à nouveau."
)
MESSAGE_UPDATE_REFUSED = "La plateforme Éléa a refusé la mise à jour de ce compte ({code}) : il est resté tel quel."
# Refused at the release: the class memberships, written apart, did change.
MESSAGE_LATE_UPDATE_REFUSED = (
    "La plateforme Éléa a refusé la mise à jour de ce compte ({code}) : ses classes sont à jour, mais ses nom, "
    "prénom, identifiant et profil sont restés tels quels. Importez à nouveau ; si le refus persiste, "
    "demandez à l'administrateur de la plateforme."
)


@dataclass(frozen=True)
class _School:
    """The school's cohorts in Moodle: its roster (None until its first import) and its class cohorts."""

    roster: MoodleCohort | None
    classes: dict[str, MoodleCohort]  # by idnumber


@dataclass(frozen=True)
class _Listings:
    """What a release needs to know: this school's roster (its id, its members) and what each other school
    of the basin lists (by UAI), with the rosters read in Moodle because the mirror does not hold them."""

    roster_id: int | None = None
    members: frozenset[int] = frozenset()
    others: dict[str, frozenset[int]] = field(default_factory=dict)
    unmirrored: dict[str, int] = field(default_factory=dict)

    def elsewhere(self) -> frozenset[int]:
        return frozenset().union(*self.others.values())


class MoodlePlatform:
    def __init__(
        self,
        web_service: MoodleWebService,
        mapping: MoodleMapping,
        rosters: RosterMirror,
        marks: AccountMarks | None = None,
        *,
        checked_every: int = ACCOUNTS_CHECKED_EVERY,
    ) -> None:
        self._ws = web_service
        self._mapping = mapping
        self._mirror = rosters
        # Without marks, every account of the school is read at each import.
        self._marks = marks
        self._checked_every = max(1, checked_every)
        # The search made by `cohorts(uai)`, reused once by the `accounts(uai)` read of the same step.
        self._last_search: dict[str, _School] = {}
        # The search made by `school(uai)`, reused once by the `create_cohorts(uai)` that follows it.
        self._before_creation: dict[str, _School] = {}

    # --- reads ------------------------------------------------------------------------------------
    def cohorts(self, uai: str) -> list[Cohort]:
        school = self._search_school(uai)
        self._last_search[uai] = school
        return _cohorts_of(uai, school)

    def school(self, uai: str, expected: Sequence[Account] = ()) -> tuple[list[Cohort], list[Account]]:
        # One search of the school's cohorts: reused by the accounts' read, then by the creation of the
        # missing cohorts (which needs the roster's and the classes' ids), never searched again. Without a
        # census of the basin's rosters to trust, that one search is of every cohort, and makes the census.
        census_missing = not self._mirror.has_census()
        searched = self._search_school(uai, census_too=census_missing)
        cohorts = _cohorts_of(uai, searched)
        kept = self._marks.read(uai) if self._marks is not None else None
        accounts, listed, marks = self._read_accounts(searched, kept=kept, expected=expected)
        if searched.roster is not None:
            # The roster as Moodle has it now (a hand change since the last import is taken in).
            self._mirror.record_school(uai, SchoolRoster(roster_id=searched.roster.id, members=listed))
        if self._marks is not None:
            # Next import's verification turn follows this one's; only the roster's accounts keep a mark.
            self._marks.record(uai, SchoolMarks(rounds=(kept.rounds if kept is not None else 0) + 1, marks=marks))
        self._before_creation[uai] = searched
        return cohorts, accounts

    def accounts(self, uai: str) -> list[Account]:
        school = self._last_search.pop(uai, None) or self._search_school(uai)
        accounts, _, _ = self._read_accounts(school)
        return accounts

    def _read_accounts(
        self, school: _School, *, kept: SchoolMarks | None = None, expected: Sequence[Account] = ()
    ) -> tuple[list[Account], frozenset[int], dict[int, str]]:
        """The school's accounts, the Moodle ids its roster lists, and their marks as of now.

        With `kept` marks, an account whose mark is the fingerprint of one of the `expected` accounts, and
        that is not in this import's verification turn, is not read: that expected account stands for it."""
        if school.roster is None:
            return [], frozenset(), {}
        cohorts = [school.roster, *school.classes.values()]
        members = self._ws.cohort_members([cohort.id for cohort in cohorts])
        listed = members.get(school.roster.id, frozenset())
        if not listed:
            return [], frozenset(), {}
        trusted = self._trusted(listed, kept, expected)
        to_read = sorted(listed - trusted.keys())
        if not to_read:
            # At least one account read at every import: the token's right to read is proven each time.
            first = min(trusted)
            del trusted[first]
            to_read = [first]
        users = self._ws.users_by_field("id", to_read)
        if not users:
            # The roster has members the token cannot see: a token without the view capabilities answers
            # [] silently. Going on would re-create the whole school: refuse instead.
            raise MoodleTokenInsufficient(
                "La plateforme Éléa ne montre aucun des comptes déjà importés pour cet établissement : "
                "import interrompu, rien n'a été modifié.",
                missing=["moodle/user:viewdetails", "moodle/user:viewalldetails"],
                hint="Vérifiez les capacités du rôle du compte de service (« elea-import moodle check »).",
            )
        memberships = {cohort.idnumber: members.get(cohort.id, frozenset()) for cohort in school.classes.values()}

        def cohorts_of(user_id: int) -> frozenset[str]:
            return frozenset(idn for idn, ids in memberships.items() if user_id in ids)

        by_id = {user.id: self._account(user, cohorts_of(user.id)) for user in users}
        by_id |= {
            user_id: account.model_copy(update={"account_id": str(user_id), "cohorts": cohorts_of(user_id)})
            for user_id, account in trusted.items()
        }
        marks = {user_id: fingerprint(account) for user_id, account in by_id.items()}
        return [by_id[user_id] for user_id in sorted(by_id)], listed, marks

    def _trusted(
        self, listed: frozenset[int], kept: SchoolMarks | None, expected: Sequence[Account]
    ) -> dict[int, Account]:
        """The roster's accounts an expected account stands for: marked with its fingerprint, and not in this
        import's verification turn (every account is read once in `checked_every` imports)."""
        if kept is None or not expected:
            return {}
        wanted = {fingerprint(account): account for account in expected}
        trusted: dict[int, Account] = {}
        for user_id in sorted(listed):
            mark = kept.marks.get(user_id)
            if mark is None or kept.is_checked_now(user_id, self._checked_every):
                continue
            account = wanted.pop(mark, None)  # one expected account stands for one account at most
            if account is not None:
                trusted[user_id] = account
        return trusted

    def find_accounts(self, usernames: Sequence[str]) -> list[Account]:
        # Full-width and other compatibility forms are the same username (NFKC); a username Moodle cannot
        # hold is held by nobody (and would fail the whole lookup).
        folded = {unicodedata.normalize("NFKC", name).lower() for name in usernames}
        wanted = sorted(name for name in folded if MOODLE_USERNAME.match(name))
        if not wanted:
            return []
        return [self._account(user, frozenset()) for user in self._ws.users_by_field("username", wanted)]

    # --- writes -----------------------------------------------------------------------------------
    def create_cohorts(self, uai: str, cohorts: Sequence[Cohort]) -> None:
        school = self._before_creation.pop(uai, None) or self._last_search.get(uai) or self._search_school(uai)
        new = [
            NewMoodleCohort(idnumber=cohort.idnumber, name=cohort.name, category_id=self._mapping.cohort_category_id)
            for cohort in {cohort.idnumber: cohort for cohort in cohorts}.values()
            if cohort.idnumber not in school.classes and is_import_cohort(uai, cohort.idnumber)
        ]
        if school.roster is None:
            new.append(self._new_roster(uai))
        # Nothing of this search is kept after: the school is read before its cohorts are created (`school`),
        # and a search kept longer would be stale for the next import a warm process runs.
        if new:
            made = self._ws.create_cohorts(new)
            self._record_new_roster(uai, made)

    def write_accounts(
        self,
        uai: str,
        changes: Sequence[AccountChange],
        *,
        looked_up: bool = False,
        known_cohorts: Sequence[Cohort] | None = None,
        finish_at_release: bool = False,
    ) -> list[AccountRejection]:
        if not changes:
            return []
        creations = [change for change in changes if change.before is None]
        updates = [change for change in changes if change.before is not None]
        # A rename Moodle would refuse fails a whole core_user_update_users: refused alone, the rest written.
        rejections = [_username_refused(c.after.username) for c in updates if not _moodle_username(c.after.username)]
        updates = [change for change in updates if _moodle_username(change.after.username)]
        # Left to the release: the field updates and class removals of the changes it will be handed again
        # (no password: one never travels twice), so that they go with the suspensions, one call of each.
        later = [change for change in updates if finish_at_release and change.password is None]
        deferred = {id(change) for change in later}
        now = [change for change in updates if id(change) not in deferred]
        created: dict[str, int] = {}
        if creations:
            adopted, to_create, refused = self._check_creations(creations, looked_up=looked_up)
            rejections += refused
            now += adopted
            refused, created = self._create(uai, to_create)
            rejections += refused
        joining = [change for change in (*now, *later) if change.joining]
        if joining:
            # The mirror, then the roster pair, before anything else: a school releasing the account meanwhile
            # then sees this one listing it (and if it suspended it just before, this import's update gives it
            # back: see `_user_update`).
            self._mirror.add_members(uai, _ids(joining))
            roster = self._mapping.roster_idnumber(uai)
            self._ws.add_cohort_members([(roster, _current_username(change, deferred)) for change in joining])
        rejections += self._update(now)
        refused_usernames = {rejection.username for rejection in rejections}
        written = [change for change in (*creations, *now, *later) if change.after.username not in refused_usernames]
        # Every account written gets its roster pair below (re-adding one is a soft warning): the mirror too
        # (the joiners are in already).
        written_ids = [*created.values(), *_ids(written)]
        self._mirror.add_members(uai, set(written_ids) - set(_ids(joining)))
        self._add_memberships(uai, written, deferred, written_ids)
        removals = self._removals(uai, [change for change in written if id(change) not in deferred], known_cohorts)
        if removals:
            self._ws.delete_cohort_members(removals)
        # Marked once Moodle took them: what the release writes later is marked by the release.
        self._note_marks(uai, [change for change in written if id(change) not in deferred], created)
        return rejections

    def release_accounts(
        self,
        uai: str,
        accounts: Sequence[Account],
        *,
        known_cohorts: Sequence[Cohort] | None = None,
        pending: Sequence[AccountChange] = (),
    ) -> Release:
        # The pending changes' updates and removals go first in the release's own calls (one of each kind).
        updates = [update for update in (self._user_update(change) for change in pending) if update is not None]
        removals = self._removals(uai, pending, known_cohorts)
        wanted = {int(account.account_id): account for account in accounts if account.account_id is not None}
        listings = self._listings(uai) if wanted else _Listings()
        # Only accounts still in this school's roster: releasing again is a no-op.
        by_id = {user_id: a for user_id, a in wanted.items() if user_id in listings.members}
        elsewhere = set(by_id) & listings.elsewhere()
        if listings.roster_id is not None:
            removals += [(listings.roster_id, user_id) for user_id in sorted(by_id)]
        removals += self._class_removals(uai, [by_id[user_id] for user_id in sorted(elsewhere)], known_cohorts)
        to_suspend = {
            user_id: a
            for user_id, a in sorted(by_id.items())
            if user_id not in elsewhere and a.status is not AccountStatus.SUSPENDED
        }
        updates += [MoodleUserUpdate(id=user_id, suspended=True) for user_id in to_suspend]
        # Suspended while still in this school's roster, detached after, and let go in the mirror last: a
        # step dying between two of them is retried on accounts it still finds (the other way round, the
        # retry would find none and leave them active, attached to no school).
        warnings = self._ws.update_users(updates) if updates else []
        refused = _update_refusals(warnings, pending, MESSAGE_LATE_UPDATE_REFUSED)
        if removals:
            self._ws.delete_cohort_members(removals)
        refused_usernames = {rejection.username for rejection in refused}
        self._note_marks(uai, [change for change in pending if change.after.username not in refused_usernames], {})
        if not by_id:
            return Release(refused=refused)
        # Off the roster: no mark of them is kept (were one put back by hand, it would be read).
        self._forget_marks(uai, by_id)
        self._mirror.remove_members(uai, by_id)
        # Look again, now that this school lists them no more. Another school may have listed one meanwhile
        # (its import puts it in the mirror, then in its roster, before its update): give it its account
        # back. Or it let one go at the very moment this school did, each seeing the other still listing it:
        # whichever looks last sees nobody, and suspends it.
        listed_now = self._listings_again(uai, listings)
        raced = {user_id for user_id in to_suspend if user_id in listed_now}
        orphaned = {
            user_id
            for user_id in elsewhere
            if user_id not in listed_now and by_id[user_id].status is not AccountStatus.SUSPENDED
        }
        if raced or orphaned:
            self._ws.update_users(
                [MoodleUserUpdate(id=user_id, suspended=False) for user_id in sorted(raced)]
                + [MoodleUserUpdate(id=user_id, suspended=True) for user_id in sorted(orphaned)]
            )
            removals = self._class_removals(uai, [by_id[user_id] for user_id in sorted(raced)], known_cohorts)
            if removals:
                self._ws.delete_cohort_members(removals)
        suspended = (set(to_suspend) - raced) | orphaned
        return Release(
            suspended=[
                by_id[user_id].model_copy(update={"status": AccountStatus.SUSPENDED}) for user_id in sorted(suspended)
            ],
            refused=refused,
        )

    def _listings(self, uai: str) -> _Listings:
        """Who lists whom, for a release: from the mirror, which the school's import recorded; the rosters
        the census names but the mirror does not hold (a lost record) are read in Moodle. A school without
        a record, or a platform without a census, is read in Moodle whole (search + members)."""
        mirrored = self._mirror.read()
        mine = mirrored.schools.get(uai)
        if mine is not None and mirrored.census is not None:
            unmirrored = {
                school: roster_id
                for school, roster_id in mirrored.census.items()
                if school != uai and school not in mirrored.schools
            }
            return _Listings(
                roster_id=mine.roster_id,
                members=mine.members,
                others=_mirrored_others(uai, mirrored) | self._read_rosters(unmirrored),
                unmirrored=unmirrored,
            )
        roster, rosters = self._rosters(uai)
        if roster is None:
            return _Listings()
        prefix = self._mapping.roster_prefix
        others = {cohort.idnumber.removeprefix(prefix): cohort.id for cohort in rosters}
        # This school's roster and every other one, in the one members call.
        from_moodle = self._read_rosters({**others, uai: roster.id})
        members = from_moodle.pop(uai)
        mirrored_others = _mirrored_others(uai, mirrored)
        return _Listings(
            roster_id=roster.id,
            members=members,
            others={
                school: from_moodle.get(school, frozenset()) | mirrored_others.get(school, frozenset())
                for school in from_moodle.keys() | mirrored_others.keys()
            },
            unmirrored={school: roster_id for school, roster_id in others.items() if school not in mirrored.schools},
        )

    def _listings_again(self, uai: str, listings: _Listings) -> frozenset[int]:
        """Every account another school lists now: the mirror again, and Moodle for the rosters it lacks."""
        mirrored = self._mirror.read()
        unmirrored = {school: rid for school, rid in listings.unmirrored.items() if school not in mirrored.schools}
        others = _mirrored_others(uai, mirrored) | self._read_rosters(unmirrored)
        return frozenset().union(*others.values())

    def _read_rosters(self, rosters: dict[str, int]) -> dict[str, frozenset[int]]:
        if not rosters:
            return {}
        read = self._ws.cohort_members(sorted(rosters.values()))
        return {school: read.get(roster_id, frozenset()) for school, roster_id in rosters.items()}

    # --- creation ---------------------------------------------------------------------------------
    def _check_creations(
        self, creations: Sequence[AccountChange], *, looked_up: bool
    ) -> tuple[list[AccountChange], list[AccountChange], list[AccountRejection]]:
        """Every creation is preceded by a username lookup: an account already holding the username with
        the same Id is this person's (a crashed attempt's creation, or another school's account) and is
        updated instead; one held by someone else is refused, never overwritten."""
        usernames = [] if looked_up else [change.after.username for change in creations]
        existing = {account.username.lower(): account for account in self.find_accounts(usernames)}
        adopted: list[AccountChange] = []
        to_create: list[AccountChange] = []
        refused: list[AccountRejection] = []
        for change in creations:
            holder = existing.get(change.after.username.lower())
            if not _moodle_username(change.after.username):
                refused.append(_username_refused(change.after.username))
            elif holder is None:
                to_create.append(change)
            elif holder.ent_id is not None and holder.ent_id == change.after.ent_id and not holder.is_flagged:
                adopted.append(
                    change.model_copy(
                        update={
                            "before": holder,
                            "after": change.after.model_copy(update={"account_id": holder.account_id}),
                        }
                    )
                )
            else:
                refused.append(
                    AccountRejection(username=change.after.username, code="username_taken", message=MESSAGE_LOGIN_TAKEN)
                )
        return adopted, to_create, refused

    def _create(self, uai: str, creations: Sequence[AccountChange]) -> tuple[list[AccountRejection], dict[str, int]]:
        """Creates the accounts; returns the refusals, and the new ids by username.

        First with the export's e-mails as they are, one call per batch: no other account holds them in
        the usual case, and an e-mail lookup costs as much as the creation. Only a batch Moodle refuses
        (an e-mail another account holds, while allowaccountssameemail is 0; a username created meanwhile or
        by a first attempt whose answer was lost; a bad person) pays the username and e-mail lookups, then the
        split that isolates whoever is still refused."""
        if not creations:
            return [], {}
        emails = self._emails(uai, [change.after for change in creations], look_up=False)
        created, refused = self._ws.create_users_at_once(
            [self._new_user(change, emails[change.after.username]) for change in creations]
        )
        if not refused:
            return [], created
        rejections, retried = self._already_there(creations, {user.username for user in refused})
        emails = self._emails(uai, [change.after for change in retried], look_up=True)
        result = self._ws.create_users([self._new_user(change, emails[change.after.username]) for change in retried])
        created |= result.created
        rejected = result.rejected
        # Still refused with an e-mail of their own: another account may hold it in another case (the
        # lookup is case-sensitive, the check at creation is not). Once more with the placeholder.
        own_email = [
            change
            for change in retried
            if change.after.username.lower() in rejected
            and emails[change.after.username] != self._mapping.placeholder_email(change.after.username, uai)
        ]
        if own_email:
            placeholders = [
                self._new_user(change, self._mapping.placeholder_email(change.after.username, uai))
                for change in own_email
            ]
            again = self._ws.create_users(placeholders)
            created |= again.created
            second = again.rejected
            rejected = {
                username: error
                for username, error in rejected.items()
                if username not in {user.username for user in placeholders}
            } | second
        return rejections + [
            AccountRejection(username=username, code=error.code, message=_row_message(error))
            for username, error in sorted(rejected.items())
        ], created

    def _already_there(
        self, creations: Sequence[AccountChange], refused: set[str]
    ) -> tuple[list[AccountRejection], list[AccountChange]]:
        """Of the refused batches' people, who holds their username already: a call retried after its answer was
        lost, whose first attempt created them (same Id: done), or someone else (refused alone). One lookup, so
        a whole batch that went through is never split person by person. Returns those refusals and who is
        still to create."""
        wanted = [change for change in creations if change.after.username.lower() in refused]
        holders = {user.username: user for user in self._ws.users_by_field("username", sorted(refused))}
        rejections: list[AccountRejection] = []
        to_create: list[AccountChange] = []
        for change in wanted:
            holder = holders.get(change.after.username.lower())
            if holder is None:
                to_create.append(change)
            elif not (change.after.ent_id and holder.idnumber == change.after.ent_id):
                rejections.append(
                    AccountRejection(username=change.after.username, code="username_taken", message=MESSAGE_LOGIN_TAKEN)
                )
        return rejections, to_create

    def _emails(self, uai: str, accounts: Sequence[Account], *, look_up: bool) -> dict[str, str]:
        """The export's e-mail when valid (and, when `look_up`, used by nobody else: Moodle refuses a second
        account with an e-mail while allowaccountssameemail is 0, its default), else the undeliverable
        placeholder. Two people of the file with one e-mail: the second gets the placeholder."""
        wanted = {a.username: a.email for a in accounts if a.email and self._mapping.is_deliverable(a.email)}
        taken = (
            {user.email.lower() for user in self._ws.users_by_field("email", sorted(set(wanted.values())))}
            if wanted and look_up
            else set()
        )
        emails: dict[str, str] = {}
        for account in accounts:
            email = wanted.get(account.username)
            if email is None or email.lower() in taken:
                emails[account.username] = self._mapping.placeholder_email(account.username, uai)
            else:
                taken.add(email.lower())
                emails[account.username] = email
        return emails

    def _new_user(self, change: AccountChange, email: str) -> NewMoodleUser:
        account = change.after
        local = account.origin is not AccountOrigin.ENT
        return NewMoodleUser(
            username=account.username.lower(),
            firstname=account.first_name,
            lastname=account.last_name,
            email=email,
            auth=MANUAL_AUTH if local else self._mapping.ent_auth,
            idnumber=account.ent_id or "",
            password=change.password if local else None,
            # A local account without a password from us: Moodle makes one (and would mail it).
            createpassword=local and change.password is None,
            institution=self._mapping.institution_of(account.profile),
            country=self._mapping.country,
            force_password_change=local,
        )

    # --- updates ----------------------------------------------------------------------------------
    def _update(self, changes: Sequence[AccountChange]) -> list[AccountRejection]:
        wanted = [update for update in (self._user_update(change) for change in changes) if update is not None]
        if not wanted:
            return []
        return _update_refusals(self._ws.update_users(wanted), changes, MESSAGE_UPDATE_REFUSED)

    def _user_update(self, change: AccountChange) -> MoodleUserUpdate | None:
        before, after = change.before, change.after
        if before is None or after.account_id is None:
            return None
        fields: dict[str, object] = {}
        if after.username.lower() != before.username.lower():
            fields["username"] = after.username.lower()
        if after.first_name != before.first_name:
            fields["firstname"] = after.first_name
        if after.last_name != before.last_name:
            fields["lastname"] = after.last_name
        if after.profile != before.profile:
            fields["institution"] = self._mapping.institution_of(after.profile)
        if after.ent_id != before.ent_id and after.ent_id is not None:
            fields["idnumber"] = after.ent_id
        if (after.status is AccountStatus.SUSPENDED) != (before.status is AccountStatus.SUSPENDED):
            fields["suspended"] = after.status is AccountStatus.SUSPENDED
        elif change.joining and after.status is not AccountStatus.SUSPENDED:
            # Whatever the lookup showed: a release may have suspended it since.
            fields["suspended"] = False
        if change.password is not None and after.origin is not AccountOrigin.ENT:
            fields["password"] = change.password
        if not fields:
            return None
        return MoodleUserUpdate.model_validate({"id": int(after.account_id), **fields})

    # --- marks ------------------------------------------------------------------------------------
    def _note_marks(self, uai: str, written: Sequence[AccountChange], created: dict[str, int]) -> None:
        """The fingerprints of accounts Moodle has just taken as `after` says (by id; a creation's from
        `created`, by username)."""
        if self._marks is None:
            return
        noted: dict[int, str | None] = {}
        for change in written:
            account_id = change.after.account_id
            if change.before is None:
                user_id = created.get(change.after.username.lower())
            else:
                user_id = int(account_id) if account_id is not None and account_id.isdigit() else None
            if user_id is not None:
                noted[user_id] = fingerprint(change.after)
        self._marks.note(uai, noted)

    def _forget_marks(self, uai: str, user_ids: Iterable[int]) -> None:
        if self._marks is not None:
            self._marks.note(uai, dict.fromkeys(user_ids))

    # --- memberships ------------------------------------------------------------------------------
    def _add_memberships(
        self, uai: str, changes: Sequence[AccountChange], deferred: set[int], written_ids: Sequence[int]
    ) -> None:
        """The school's roster pair of every account written (re-adding a member is a soft warning), and the
        class memberships the changes add: by username, the one the account holds now (a rename left to the
        release is not made yet)."""
        roster = self._mapping.roster_idnumber(uai)
        additions: list[tuple[str, str]] = []
        for change in changes:
            username = _current_username(change, deferred)
            additions.append((roster, username))
            additions += [(idn, username) for idn in sorted(_mine(uai, change.after) - _mine(uai, change.before))]
        if not additions:
            return
        warnings = self._ws.add_cohort_members(additions)
        if any(warning.warningcode == _UNKNOWN_MEMBER_WARNING for warning in warnings):
            # A roster deleted by hand (or never made): make it and add again (members already in are
            # soft warnings). A class cohort deleted by hand is re-made by the next Classes step.
            school = self._search_school(uai)
            if school.roster is None:
                self._record_new_roster(uai, self._ws.create_cohorts([self._new_roster(uai)]))
                self._mirror.add_members(uai, written_ids)
                self._ws.add_cohort_members([pair for pair in additions if pair[0] == roster])

    def _removals(
        self, uai: str, changes: Sequence[AccountChange], known_cohorts: Sequence[Cohort] | None
    ) -> list[tuple[int, int]]:
        """(cohort id, user id) of the class memberships in the school's cohorts these changes remove."""
        removals = [
            (idn, change.after)
            for change in changes
            for idn in sorted(_mine(uai, change.before) - _mine(uai, change.after))
        ]
        return self._cohort_pairs(uai, removals, known_cohorts)

    def _class_removals(
        self, uai: str, accounts: Sequence[Account], known_cohorts: Sequence[Cohort] | None
    ) -> list[tuple[int, int]]:
        wanted = [(idn, account) for account in accounts for idn in sorted(_mine(uai, account))]
        return self._cohort_pairs(uai, wanted, known_cohorts)

    def _cohort_pairs(
        self, uai: str, memberships: Sequence[tuple[str, Account]], known_cohorts: Sequence[Cohort] | None
    ) -> list[tuple[int, int]]:
        """(cohort id, user id) of these (class cohort idnumber, account) memberships, to delete."""
        if not memberships:
            return []
        ids = self._class_ids(uai, {idn for idn, _ in memberships}, known_cohorts)
        return [
            (ids[idn], int(account.account_id))
            for idn, account in memberships
            if idn in ids and account.account_id is not None
        ]

    def _class_ids(self, uai: str, idnumbers: set[str], known_cohorts: Sequence[Cohort] | None) -> dict[str, int]:
        """Moodle's ids of these class cohorts: from the cohorts this import already read (the Classes step's
        search, staged), else one search. A membership to remove is always in a cohort that existed when the
        school was read, so the staged ids cover it; a cohort deleted by hand since is an unknown id, dropped
        alone by the client."""
        known = {
            cohort.idnumber: int(cohort.cohort_id)
            for cohort in known_cohorts or ()
            if cohort.cohort_id is not None and cohort.cohort_id.isdigit() and is_import_cohort(uai, cohort.idnumber)
        }
        if idnumbers <= known.keys():
            return known
        return {idnumber: cohort.id for idnumber, cohort in self._search_school(uai).classes.items()}

    # --- rosters ----------------------------------------------------------------------------------
    def _rosters(self, uai: str) -> tuple[MoodleCohort | None, list[MoodleCohort]]:
        """This school's roster and the other schools' of the basin (search by the rosters' prefix)."""
        prefix = self._mapping.roster_prefix
        rosters = [cohort for cohort in self._ws.search_cohorts(prefix) if cohort.idnumber.startswith(prefix)]
        mine = self._mapping.roster_idnumber(uai)
        return (
            next((cohort for cohort in rosters if cohort.idnumber == mine), None),
            [cohort for cohort in rosters if cohort.idnumber != mine],
        )

    def _search_school(self, uai: str, *, census_too: bool = False) -> _School:
        """The school's cohorts: a search by its UAI; with `census_too`, a search of every cohort instead
        (the same one call), whose rosters become the census of the basin's rosters."""
        roster_idnumber = self._mapping.roster_idnumber(uai)
        found = self._ws.search_cohorts("" if census_too else uai)
        if census_too:
            prefix = self._mapping.roster_prefix
            self._mirror.record_census(
                {c.idnumber.removeprefix(prefix): c.id for c in found if c.idnumber.startswith(prefix)}
            )
        return _School(
            roster=next((cohort for cohort in found if cohort.idnumber == roster_idnumber), None),
            classes={cohort.idnumber: cohort for cohort in found if is_import_cohort(uai, cohort.idnumber)},
        )

    def _record_new_roster(self, uai: str, made: Sequence[MoodleCohort]) -> None:
        """A roster just made (first import, or deleted by hand): recorded empty, its members join after."""
        roster = next((c for c in made if c.idnumber == self._mapping.roster_idnumber(uai)), None)
        if roster is not None:
            self._mirror.record_school(uai, SchoolRoster(roster_id=roster.id))

    def _new_roster(self, uai: str) -> NewMoodleCohort:
        return NewMoodleCohort(
            idnumber=self._mapping.roster_idnumber(uai),
            name=self._mapping.roster_name(uai),
            category_id=self._mapping.cohort_category_id,
        )

    # --- translation ------------------------------------------------------------------------------
    def _account(self, user: MoodleUser, cohorts: Iterable[str]) -> Account:
        return Account(
            account_id=str(user.id),
            username=user.username,
            ent_id=user.idnumber or None,
            last_name=user.lastname,
            first_name=user.firstname,
            profile=self._mapping.profile_of(user.institution),
            cohorts=frozenset(cohorts),
            status=AccountStatus.SUSPENDED if user.suspended else AccountStatus.ACTIVE,
            origin=self._origin(user),
            email=self._mapping.email_of(user.email),
        )

    def _origin(self, user: MoodleUser) -> AccountOrigin:
        """Only the accounts an import could have made are managed: ENT auth or manual with an Id. Admins,
        the web-service account and other hand-made accounts (no Id, another auth) are MANUAL: never touched."""
        if not user.idnumber:
            return AccountOrigin.MANUAL
        if user.auth == self._mapping.ent_auth:
            return AccountOrigin.ENT
        if user.auth == MANUAL_AUTH:
            return AccountOrigin.SIECLE
        return AccountOrigin.MANUAL


def _cohorts_of(uai: str, school: _School) -> list[Cohort]:
    return sorted(
        (
            Cohort(idnumber=cohort.idnumber, name=cohort.name, uai=uai, cohort_id=str(cohort.id))
            for cohort in school.classes.values()
        ),
        key=lambda cohort: cohort.idnumber,
    )


def _mirrored_others(uai: str, mirrored: MirroredRosters) -> dict[str, frozenset[int]]:
    return {school: roster.members for school, roster in mirrored.schools.items() if school != uai}


def _mine(uai: str, account: Account | None) -> set[str]:
    """The account's memberships in the school's own import cohorts (none for an account to create)."""
    return set() if account is None else {idn for idn in account.cohorts if is_import_cohort(uai, idn)}


def _ids(changes: Iterable[AccountChange]) -> list[int]:
    """The Moodle ids of these changes' accounts (a creation has none yet)."""
    return [
        int(change.after.account_id)
        for change in changes
        if change.after.account_id is not None and change.after.account_id.isdigit()
    ]


def _current_username(change: AccountChange, deferred: set[int]) -> str:
    """The username the account holds in Moodle once this write is done: a rename left to the release (its
    change's id() in `deferred`) is not made yet."""
    if change.before is not None and id(change) in deferred:
        return change.before.username.lower()
    return change.after.username.lower()


def _update_refusals(
    warnings: Sequence[MoodleWarning], changes: Sequence[AccountChange], message: str
) -> list[AccountRejection]:
    """core_user_update_users' per-user warnings about these changes' accounts, as their refusals."""
    usernames = {
        int(change.after.account_id): change.after.username
        for change in changes
        if change.after.account_id is not None and change.after.account_id.isdigit()
    }
    return [
        AccountRejection(
            username=usernames[warning.itemid],
            code=f"moodle_{warning.warningcode}",
            message=message.format(code=warning.warningcode),
        )
        for warning in warnings
        if warning.itemid in usernames
    ]


def _moodle_username(username: str) -> bool:
    return MOODLE_USERNAME.match(username.lower()) is not None


def _username_refused(username: str) -> AccountRejection:
    return AccountRejection(username=username, code="moodle_username_refused", message=MESSAGE_USERNAME_REFUSED)


def _row_message(error: MoodleCallError) -> str:
    return f"La plateforme Éléa a refusé ce compte : compte non créé. {error.message}"
