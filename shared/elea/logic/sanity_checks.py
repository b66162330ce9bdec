"""Checks a file must pass before its absences suspend anyone (issue 9, item 2).

A file that fails one is more likely a wrong export than a school that changed: every suspension it
would make is held, whatever their number, and the report says why and what to re-export. The
people of the file are still created and updated (they are real and current); `elea-import approve
IMPORT_ID` applies the held suspensions when the manager confirms the file was the right one.

- `profile_missing`: the platform has at least MIN_PROFILE_ACCOUNTS active accounts of an imported
  profile the file's format can carry, and the file has none of it (ENT export made with one « Profil »
  instead of « Tous »). A SIECLE file is never asked for teachers, nor an STS file for pupils
  (elea.domain.format_profiles).
- `export_much_smaller`: the file has less than half the people of the school's last completed import
  of the same format (a filtered or truncated export, or one class only).
- `export_older`: the newest date the file's content carries (SIECLE/STS: the export's timestamp; ENT:
  the newest « Dernière connexion ») is older than that of the last imported file, by more than a day
  for the ENT. This is the `export(1).csv` case of the procedure: the browser renamed the new download,
  and the old `export.csv` was dropped.
- `export_already_imported`: the file is, byte for byte (its SHA-256, the only thing kept of a file), the
  one of a trusted import of the school earlier than its latest trusted one of the same format: an old
  export re-sent, dates or not. Re-dropping the right file after a held wrong one is a fix, not an old export.

A file identical to the one of the school's latest import is no wrong export (it suspends nobody new), but
the manager should know nothing new was dropped: `same_file_notices` says so in the report and on the page.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from elea.domain.format_profiles import carried_by
from elea.domain.profile_names import PROFILE_NAMES
from elea.models.import_record import ImportRecord, ImportStatus
from elea.models.parse_manifest import ParseManifest
from elea.models.person import Profile
from elea.models.policy import ImportPolicy
from elea.models.roster import RosterFormat
from elea.models.sanity_check import SanityCheck
from elea.ports.platform import Account, AccountStatus

MIN_PROFILE_ACCOUNTS = 5
SMALLER_RATIO = 0.5
MIN_PEOPLE_FOR_SIZE_CHECK = 20
# The ENT's newest connection can go back a little when its owner is deleted from the ENT.
ENT_DATE_TOLERANCE = timedelta(days=1)

PROFILE_MISSING = "profile_missing"
EXPORT_MUCH_SMALLER = "export_much_smaller"
EXPORT_OLDER = "export_older"
EXPORT_ALREADY_IMPORTED = "export_already_imported"
SAME_AS_LATEST_IMPORT = "same_as_latest_import"

_ENT_EXPORT = (
    "Exportez à nouveau depuis la console d'administration de l'ENT : Imports / Exports, Type d'export "
    "« Export classique », Classe « Toutes », Profil « Tous », Filtre « Pas de filtre sur l'activation »"
)
_SIECLE_EXPORT = "Exportez à nouveau depuis SIECLE (Élèves sans adresses) ou STS-web (sts_emp)"
_OLD_FILE = (
    "Si le fichier enregistré se nomme autrement (par exemple export(1).csv), c'est que le fichier d'un "
    "précédent export est toujours sur la machine : supprimez le plus ancien, renommez le plus récent "
    "export.csv et déposez celui-là."
)


def checks_before_suspending(
    manifest: ParseManifest,
    *,
    accounts: Sequence[Account],
    previous: ImportRecord | None,
    policy: ImportPolicy,
    history: Sequence[ImportRecord] = (),
    fingerprint: str | None = None,
) -> list[SanityCheck]:
    """The checks this import fails (the Parse step's own, then these), in a stable order. `history`: the
    school's imports, oldest first; `fingerprint`: this file's SHA-256 (None: not compared)."""
    override = (
        " Si ce fichier est bien le bon, votre référent Éléa peut appliquer les suspensions retenues : "
        f"elea-import approve {manifest.import_id}."
    )
    reexport = _ENT_EXPORT if manifest.format == RosterFormat.ENT_CSV else _SIECLE_EXPORT
    checks = list(manifest.checks)
    checks += _missing_profiles(manifest, accounts, policy, reexport, override)
    if previous is not None:
        checks += _much_smaller(manifest, previous, reexport, override)
        checks += _older(manifest, previous, reexport, override)
    checks += _already_imported(manifest, history, fingerprint, reexport, override)
    return checks


def same_file_notices(
    manifest: ParseManifest, history: Sequence[ImportRecord], fingerprint: str | None
) -> list[SanityCheck]:
    """A notice (not a check: nothing is held for it) when the file is the latest import's, byte for byte."""
    latest = _completed(manifest, history)[-1:]
    if fingerprint is None or not latest or latest[0].content_sha256 != fingerprint:
        return []
    last = latest[0]
    return [
        SanityCheck(
            code=SAME_AS_LATEST_IMPORT,
            message=(
                f"Ce fichier est identique à celui de la dernière importation (« {last.file_name} », import "
                f"{last.import_id} du {_french(last.started_at.date())}) : le même export a été déposé deux fois, "
                "rien de nouveau n'a été importé."
            ),
            hint=(
                "Si vous vouliez importer un export plus récent, exportez à nouveau et vérifiez le nom du fichier "
                "enregistré : s'il se nomme par exemple export(1).csv, c'est lui le plus récent."
            ),
        )
    ]


def _completed(manifest: ParseManifest, history: Sequence[ImportRecord]) -> list[ImportRecord]:
    """The school's other completed imports of the file's format (a plan, a refused or failed file is no
    import; a SIECLE school alternates SIECLE and STS files, each compared with its own), oldest first."""
    return [
        record
        for record in history
        if record.import_id != manifest.import_id
        and record.status is ImportStatus.COMPLETED
        and not record.dry_run
        and record.format == manifest.format
    ]


def _already_imported(
    manifest: ParseManifest,
    history: Sequence[ImportRecord],
    fingerprint: str | None,
    reexport: str,
    override: str,
) -> list[SanityCheck]:
    # Trusted ones only, as for `previous_import`: re-dropping the right file after a held wrong one is a fix.
    done = [record for record in _completed(manifest, history) if not record.checks or record.approved_at is not None]
    if fingerprint is None or not done or done[-1].content_sha256 == fingerprint:
        return []
    same = [record for record in done[:-1] if record.content_sha256 == fingerprint]
    if not same:
        return []
    old, latest = same[-1], done[-1]
    return [
        SanityCheck(
            code=EXPORT_ALREADY_IMPORTED,
            message=(
                f"Le fichier « {manifest.file_name} » est identique, octet pour octet, à celui d'un import plus "
                f"ancien de l'établissement (« {old.file_name} », import {old.import_id} du "
                f"{_french(old.started_at.date())}), alors qu'un autre fichier a été importé depuis (le "
                f"{_french(latest.started_at.date())}) : c'est sans "
                "doute un ancien export resté sur l'ordinateur. Aucun compte n'a été suspendu."
            ),
            hint=f"{_OLD_FILE} {reexport}.{override}",
        )
    ]


def previous_import(history: Sequence[ImportRecord], current: ImportRecord) -> ImportRecord | None:
    """The school's last trusted import before `current` (history oldest first): completed, and either
    passing every check or approved. A held file never becomes the reference by being dropped twice."""
    earlier = [
        record
        for record in history
        if record.import_id != current.import_id
        and record.status is ImportStatus.COMPLETED
        and record.started_at < current.started_at
        and (not record.checks or record.approved_at is not None)
    ]
    return earlier[-1] if earlier else None


def _missing_profiles(
    manifest: ParseManifest, accounts: Sequence[Account], policy: ImportPolicy, reexport: str, override: str
) -> list[SanityCheck]:
    active: dict[Profile, int] = {}
    for account in accounts:
        if account.profile is not None and not account.is_flagged and account.status is not AccountStatus.SUSPENDED:
            active[account.profile] = active.get(account.profile, 0) + 1
    checks: list[SanityCheck] = []
    for profile in Profile:  # enum order: students, teachers, personnel...
        count = active.get(profile, 0)
        if profile not in policy.imported_profiles or count < MIN_PROFILE_ACCOUNTS:
            continue
        if not carried_by(manifest.format, profile):
            continue
        if manifest.profiles.get(profile.value, 0) > 0:
            continue
        label, _ = PROFILE_NAMES[profile]
        hint = f"{reexport}, puis déposez le nouveau fichier.{override}"
        checks.append(
            SanityCheck(
                code=PROFILE_MISSING,
                message=(
                    f"Le fichier « {manifest.file_name} » ne contient aucun compte {label}, alors que la plateforme "
                    f"en a {count} : l'export a sans doute été fait pour un seul profil. Aucun compte {label} n'a "
                    "été suspendu."
                ),
                hint=hint,
            )
        )
    return checks


def _much_smaller(manifest: ParseManifest, previous: ImportRecord, reexport: str, override: str) -> list[SanityCheck]:
    if previous.format != manifest.format or previous.people_count < MIN_PEOPLE_FOR_SIZE_CHECK:
        return []
    if manifest.people_count >= previous.people_count * SMALLER_RATIO:
        return []
    return [
        SanityCheck(
            code=EXPORT_MUCH_SMALLER,
            message=(
                f"Le fichier « {manifest.file_name} » compte {manifest.people_count} personnes, bien moins que les "
                f"{previous.people_count} du dernier import de l'établissement ({previous.file_name}, import "
                f"{previous.import_id}) : l'export est sans doute incomplet (une classe ou un profil seulement, "
                "un filtre). Aucun compte n'a été suspendu."
            ),
            hint=f"{reexport}, puis déposez le nouveau fichier.{override}",
        )
    ]


def _older(manifest: ParseManifest, previous: ImportRecord, reexport: str, override: str) -> list[SanityCheck]:
    before = previous.content_date
    now = manifest.content_date
    if previous.format != manifest.format or before is None or now is None:
        return []
    # A date after the previous import itself is a damaged cell, not a date to compare with.
    if before > previous.started_at.date():
        return []
    tolerance = ENT_DATE_TOLERANCE if manifest.format == RosterFormat.ENT_CSV else timedelta(0)
    if now >= before - tolerance:
        return []
    what = "sa connexion la plus récente date du" if manifest.format == RosterFormat.ENT_CSV else "il a été exporté le"
    return [
        SanityCheck(
            code=EXPORT_OLDER,
            message=(
                f"Le fichier « {manifest.file_name} » est plus ancien que celui du dernier import : {what} "
                f"{_french(now)}, le fichier importé la dernière fois ({previous.file_name}) du {_french(before)}. "
                "C'est sans doute un ancien export resté sur l'ordinateur. Aucun compte n'a été suspendu."
            ),
            hint=f"{_OLD_FILE} {reexport}.{override}",
        )
    ]


def _french(day: date) -> str:
    return day.strftime("%d/%m/%Y")
