"""core_user_create_users is all-or-nothing per call: one refused person makes Moodle create nobody.

So a refused batch is split in two, and so on, until each refused person stands alone (about 2·log2(n)
extra calls per bad person) and everyone else is created. A person refused alone may in fact exist already:
a retried call (after a timeout whose first attempt did create them) or a retried chunk. One lookup then tells
an account that is ours (same username and idnumber) from a real refusal, so a retry never reports a failure
for a creation that went through.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from elea.dal.moodle.errors import MoodleCallError
from elea.dal.moodle.form_encoding import var_count
from elea.dal.moodle.models import CreateUsersResult, NewMoodleUser
from elea.observability import logger

if TYPE_CHECKING:
    from elea.dal.moodle.web_service import MoodleWebService

# Refusals of the data itself; any other error (token, capability, function) stops everything.
_DATA_CODES = frozenset({"moodle_invalid_parameter", "moodle_password_refused"})


def duplicate_username_error() -> MoodleCallError:
    return MoodleCallError(
        "Le même identifiant apparaît deux fois dans les comptes à créer sur la plateforme Éléa.",
        code="moodle_duplicate_username",
        moodle_errorcode=None,
        hint="Deux personnes du fichier reçoivent le même identifiant : corrigez l'une des deux lignes.",
    )


def username_taken_error() -> MoodleCallError:
    return MoodleCallError(
        "L'identifiant est déjà pris sur la plateforme Éléa par un autre compte.",
        code="moodle_username_taken",
        moodle_errorcode="invalidparameter",
        hint="Vérifiez sur la plateforme le compte qui porte cet identifiant (créé à la main ?).",
    )


def create_whole_batches(
    ws: MoodleWebService, users: Sequence[NewMoodleUser]
) -> tuple[dict[str, int], list[NewMoodleUser]]:
    """One attempt per batch, never split: the usernames created, and the users of the batches Moodle
    refused (for their data), to be tried again by the caller once it knows why."""
    created: dict[str, int] = {}
    refused: list[list[NewMoodleUser]] = []

    def attempt(batch: list[NewMoodleUser]) -> None:
        try:
            answer = ws.call("core_user_create_users", {"users": [user.to_params() for user in batch]})
        except MoodleCallError as error:
            if error.code not in _DATA_CODES:
                raise
            refused.append(batch)
            return
        for entry in answer or []:
            created[str(entry["username"])] = int(entry["id"])

    ws.each(ws.spread(list(users), lambda user: var_count(user.to_params())), attempt)
    return created, [user for batch in refused for user in batch]


def create_isolating(ws: MoodleWebService, users: Sequence[NewMoodleUser]) -> CreateUsersResult:
    created: dict[str, int] = {}
    rejected: dict[str, MoodleCallError] = {}
    unique: dict[str, NewMoodleUser] = {}
    for user in users:
        username = user.username.lower()
        if username in unique or username in rejected:
            # Moodle would refuse the whole batch; both lines are refused, as neither can be told right.
            rejected[username] = duplicate_username_error()
            unique.pop(username, None)
        else:
            unique[username] = user
    pending = [(username, user.to_params()) for username, user in unique.items()]
    # Each batch writes its own usernames' entries: the batches sent at once never share a key.
    ws.each(ws.spread(pending, lambda item: var_count(item[1])), lambda batch: _create(ws, batch, created, rejected))
    if refused := [u for u in rejected if u in unique]:
        _recover_existing(ws, refused, unique, created, rejected)
    if rejected:
        logger.info("moodle users refused", extra={"refused_count": len(rejected), "created_count": len(created)})
    return CreateUsersResult(created=created, rejected=rejected)


def _create(
    ws: MoodleWebService,
    batch: list[tuple[str, dict[str, object]]],
    created: dict[str, int],
    rejected: dict[str, MoodleCallError],
) -> None:
    try:
        answer = ws.call("core_user_create_users", {"users": [params for _, params in batch]})
    except MoodleCallError as error:
        if error.code not in _DATA_CODES:
            raise
        if len(batch) == 1:
            rejected[batch[0][0]] = error
            return
        middle = len(batch) // 2
        _create(ws, batch[:middle], created, rejected)
        _create(ws, batch[middle:], created, rejected)
        return
    for entry in answer or []:
        created[str(entry["username"])] = int(entry["id"])


def _recover_existing(
    ws: MoodleWebService,
    refused: list[str],
    wanted: dict[str, NewMoodleUser],
    created: dict[str, int],
    rejected: dict[str, MoodleCallError],
) -> None:
    for user in ws.users_by_field("username", refused):
        mine = wanted.get(user.username)
        if mine is None:
            continue
        if mine.idnumber and user.idnumber == mine.idnumber:
            created[user.username] = user.id
            rejected.pop(user.username, None)
        else:
            rejected[user.username] = username_taken_error()
