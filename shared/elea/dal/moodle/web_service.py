"""The client of Moodle's REST web services: one pooled HTTP client, retries, batching, Moodle's quirks.

Measured on Moodle 4.5.6 (see docs/architecture.md): errors are HTTP 200 `{exception, errorcode, message}`;
create_users is all-or-nothing per call; an uppercase username fails a whole lookup; delete_cohort_members
fails (and rolls back) a whole call on one unknown user id; PHP drops form variables past max_input_vars.
The token travels only in the POST body, never in a URL, a log line or an error.

Moodle spends a few milliseconds per user or membership in each call (capability checks, events), one PHP
worker per call: with `parallel_calls` > 1 the bulk reads and writes (users by field, creations, updates,
cohort additions) are spread over that many batches sent at once, so a school's volume uses the site's
workers and cores together. Small volumes (under `_MIN_PARALLEL_ITEMS` per batch) stay in one call.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Literal, TypeVar
from urllib.parse import urlencode

import httpx

from elea.dal.moodle.base_url import checked_base_url
from elea.dal.moodle.create_users import create_isolating, create_whole_batches
from elea.dal.moodle.errors import MoodleCallError, MoodleConfigurationError, MoodleUnavailable, call_error
from elea.dal.moodle.form_encoding import batches, flatten, var_count
from elea.dal.moodle.models import (
    CreateUsersResult,
    MoodleCohort,
    MoodleUser,
    MoodleUserUpdate,
    MoodleWarning,
    NewMoodleCohort,
    NewMoodleUser,
    SiteInfo,
)
from elea.observability import logger

UserField = Literal["id", "idnumber", "username", "email"]

_ENDPOINT = "/webservice/rest/server.php"
_FORM = {"Content-Type": "application/x-www-form-urlencoded"}
_BACKOFF_FIRST_SECONDS = 0.5
_BACKOFF_MAX_SECONDS = 8.0
_UNAVAILABLE_HINT = "Réessayez plus tard ; si l'erreur persiste, prévenez l'administrateur de la plateforme Éléa."
_UNKNOWN_RECORD_CODES = frozenset({"moodle_unknown_user", "moodle_unknown_record"})
_INVALID_TOKEN_CODE = "moodle_invalid_token"  # noqa: S105 (an error code, not a secret)
# Below this many items per batch, a second call costs more than it saves.
_MIN_PARALLEL_ITEMS = 100

T = TypeVar("T")
R = TypeVar("R")


class MoodleWebService:
    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        timeout_seconds: float = 30.0,
        max_attempts: int = 4,
        http: httpx.Client | None = None,
        sleep: Callable[[float], None] = time.sleep,
        reread_token: Callable[[], str] | None = None,
        parallel_calls: int = 1,
    ) -> None:
        """`reread_token`: where the token comes from again (its secret, read afresh) after Moodle answered
        `invalidtoken`: a token rotated while this process kept the old one. Re-read once, the call retried
        once (Moodle checks the token before anything else, so nothing was done), then the refusal stands."""
        self._url = checked_base_url(base_url) + _ENDPOINT
        if not token.strip():
            raise MoodleConfigurationError(
                "Aucun jeton de service web n'est donné pour la plateforme Éléa.",
                hint="Définissez ELEA_MOODLE_TOKEN ou ELEA_MOODLE_TOKEN_FILE (jamais sur la ligne de commande).",
            )
        self._token = token.strip()
        self._reread_token = reread_token
        self._token_lock = threading.Lock()
        self._max_attempts = max(1, max_attempts)
        self._sleep = sleep
        self._http = http or httpx.Client(
            timeout=httpx.Timeout(timeout_seconds),
            limits=httpx.Limits(max_connections=10, max_keepalive_connections=10),
            follow_redirects=False,
        )
        self.base_url = checked_base_url(base_url)
        self._parallel_calls = max(1, parallel_calls)
        # One pool per client, as the HTTP pool: never threads made per call.
        self._pool = ThreadPoolExecutor(self._parallel_calls) if self._parallel_calls > 1 else None

    def __repr__(self) -> str:  # never the token
        return f"MoodleWebService({self.base_url!r})"

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
        self._http.close()

    def spread(self, items: Sequence[T], size_of: Callable[[T], int], *, overhead: int = 0) -> list[list[T]]:
        """Batches under max_input_vars; a large volume in fewer batches than `parallel_calls` is cut evenly
        into that many (each smaller, so still under the limit)."""
        found = list(batches(items, size_of, overhead=overhead))
        parts = min(self._parallel_calls, len(items) // _MIN_PARALLEL_ITEMS)
        if len(found) >= parts:
            return found
        step = -(-len(items) // parts)
        return [list(items[start : start + step]) for start in range(0, len(items), step)]

    def each(self, parts: Iterable[T], action: Callable[[T], R]) -> list[R]:
        """`action` on every part, up to `parallel_calls` at once; results in the parts' order; the first
        error is raised once every call has ended (none is left running)."""
        if self._pool is None:
            return [action(part) for part in parts]
        futures = [self._pool.submit(action, part) for part in parts]
        errors = [future.exception() for future in futures]
        for error in errors:
            if error is not None:
                raise error
        return [future.result() for future in futures]

    # --- the raw call -------------------------------------------------------------------------------------

    def call(self, function: str, params: Mapping[str, Any]) -> Any:
        """One web-service call; Moodle's error answers raise MoodleCallError, no answer MoodleUnavailable."""
        token = self._token
        try:
            return self._call(token, function, params)
        except MoodleCallError as error:
            if error.code != _INVALID_TOKEN_CODE or self._reread_token is None:
                raise
            fresh = self._fresh_token(token)
            if fresh is None:
                raise
            logger.info("moodle token re-read after invalidtoken", extra={"function": function})
            return self._call(fresh, function, params)

    def _fresh_token(self, refused: str) -> str | None:
        """The token after `refused` was refused: another thread's fresh one, else the secret read again; None
        when it is still the refused one (nothing to retry with)."""
        if self._reread_token is None:
            return None
        with self._token_lock:
            if self._token != refused:
                return self._token
            fresh = self._reread_token().strip()
            if not fresh or fresh == refused:
                return None
            self._token = fresh
            return fresh

    def _call(self, token: str, function: str, params: Mapping[str, Any]) -> Any:
        data = [("wstoken", token), ("wsfunction", function), ("moodlewsrestformat", "json"), *flatten(params)]
        response = self._post(function, data)
        body = response.content.strip()
        if not body:
            return None
        try:
            answer = response.json()
        except ValueError:
            logger.warning("moodle answer not json", extra={"function": function, "status": response.status_code})
            raise MoodleUnavailable(
                f"La plateforme Éléa a répondu autre chose que du JSON (fonction {function}).",
                hint="Vérifiez l'adresse de la plateforme et que le protocole REST est activé.",
            ) from None
        if isinstance(answer, dict) and "exception" in answer and "errorcode" in answer:
            error = call_error(str(answer.get("exception", "")), str(answer.get("errorcode", "")), function)
            logger.info("moodle call refused", extra={"function": function, "code": error.code})
            raise error
        return answer

    def _post(self, function: str, data: list[tuple[str, str]]) -> httpx.Response:
        for attempt in range(1, self._max_attempts + 1):
            try:
                response = self._http.post(self._url, content=urlencode(data), headers=_FORM)
            except httpx.TransportError as error:
                failure = type(error).__name__
            else:
                if response.status_code < 500:
                    if response.status_code >= 300:
                        # A redirect or a refusal is the address or the site's setup, not an outage: never retried.
                        raise MoodleConfigurationError(
                            f"La plateforme Éléa a répondu HTTP {response.status_code} au lieu du service web "
                            f"(fonction {function}).",
                            hint="Vérifiez l'adresse exacte de la plateforme (https://, sans chemin) et que les "
                            "services web et le protocole REST y sont activés.",
                        )
                    return response
                failure = f"HTTP {response.status_code}"
            logger.warning("moodle not answering", extra={"function": function, "attempt": attempt, "failure": failure})
            if attempt < self._max_attempts:
                self._sleep(min(_BACKOFF_MAX_SECONDS, _BACKOFF_FIRST_SECONDS * 2 ** (attempt - 1)))
        raise MoodleUnavailable(
            f"La plateforme Éléa n'a pas répondu ({failure}, {self._max_attempts} essais, fonction {function}).",
            hint=_UNAVAILABLE_HINT,
        )

    # --- typed helpers ------------------------------------------------------------------------------------

    def site_info(self) -> SiteInfo:
        return SiteInfo.from_answer(self.call("core_webservice_get_site_info", {}))

    def users_by_field(self, field: UserField, values: Sequence[str | int]) -> list[MoodleUser]:
        """Users whose `field` is one of `values`; unknown values are just absent. Usernames lowercased."""
        wanted = _unique(str(v).lower() if field == "username" else str(v) for v in values)

        def read(batch: list[str]) -> list[MoodleUser]:
            answer = self.call("core_user_get_users_by_field", {"field": field, "values": batch})
            return [MoodleUser.model_validate(user) for user in answer or []]

        return [user for users in self.each(self.spread(wanted, lambda _: 1, overhead=1), read) for user in users]

    def create_users(self, users: Sequence[NewMoodleUser]) -> CreateUsersResult:
        """Creates every user it can: a refused batch is split until each refused person stands alone."""
        return create_isolating(self, users)

    def create_users_at_once(self, users: Sequence[NewMoodleUser]) -> tuple[dict[str, int], list[NewMoodleUser]]:
        """One attempt per batch, never split: the usernames created, and the users of the refused batches."""
        return create_whole_batches(self, users)

    def update_users(self, users: Sequence[MoodleUserUpdate]) -> list[MoodleWarning]:
        params = [user.to_params() for user in users]
        answers = self.each(
            self.spread(params, var_count), lambda batch: self.call("core_user_update_users", {"users": batch})
        )
        return [warning for answer in answers for warning in _warnings(answer)]

    def search_cohorts(self, query: str) -> list[MoodleCohort]:
        """Cohorts of every context whose name, idnumber or description contains `query` (case-insensitive)."""
        # limitnum 0 = no limit (Moodle's limitfrom is a page number, not an offset).
        answer = self.call(
            "core_cohort_search_cohorts",
            {"query": query, "context": {"contextlevel": "system"}, "includes": "all", "limitfrom": 0, "limitnum": 0},
        )
        return [MoodleCohort.model_validate(c) for c in (answer or {}).get("cohorts", [])]

    def cohorts_by_id(self, ids: Sequence[int]) -> list[MoodleCohort]:
        cohorts: list[MoodleCohort] = []
        for batch in batches(_unique(int(i) for i in ids), lambda _: 1):
            answer = self.call("core_cohort_get_cohorts", {"cohortids": batch})
            cohorts += [MoodleCohort.model_validate(c) for c in answer or []]
        return cohorts

    def create_cohorts(self, cohorts: Sequence[NewMoodleCohort]) -> list[MoodleCohort]:
        """Creates the cohorts; those that already exist (a retried call or chunk) are found, not duplicated.

        Moodle fails the whole call on an existing idnumber: then one search tells which exist, and only
        the others are created."""
        created: list[MoodleCohort] = []
        for batch in batches(list(cohorts), lambda c: var_count(c.to_params())):
            try:
                answer = self.call("core_cohort_create_cohorts", {"cohorts": [c.to_params() for c in batch]})
            except MoodleCallError as error:
                if error.code != "moodle_invalid_parameter":
                    raise
                existing = {c.idnumber: c for c in self.search_cohorts("") if c.idnumber}
                found = [existing[c.idnumber] for c in batch if c.idnumber in existing]
                missing = [c.to_params() for c in batch if c.idnumber not in existing]
                if len(found) == 0:
                    raise
                created += found
                answer = self.call("core_cohort_create_cohorts", {"cohorts": missing}) if missing else []
            created += [MoodleCohort.model_validate(c) for c in answer or []]
        return created

    def cohort_members(self, cohort_ids: Sequence[int]) -> dict[int, frozenset[int]]:
        """Members of each cohort; a cohort deleted meanwhile (Moodle fails the call) is left out."""
        members: dict[int, frozenset[int]] = {}

        def read(batch: list[int]) -> None:
            answer = self.call("core_cohort_get_cohort_members", {"cohortids": batch})
            for entry in answer or []:
                members[int(entry["cohortid"])] = frozenset(int(u) for u in entry.get("userids", []))

        for batch in batches(_unique(int(i) for i in cohort_ids), lambda _: 1):
            _isolating(batch, read)
        return members

    def add_cohort_members(self, members: Sequence[tuple[str, str]]) -> list[MoodleWarning]:
        """(cohort idnumber, username) pairs; Moodle adds what it can and warns for the rest."""
        params = [
            {
                "cohorttype": {"type": "idnumber", "value": cohort},
                "usertype": {"type": "username", "value": username.lower()},
            }
            for cohort, username in members
        ]
        answers = self.each(
            self.spread(params, lambda _: 4),
            lambda batch: self.call("core_cohort_add_cohort_members", {"members": batch}),
        )
        return [warning for answer in answers for warning in _warnings(answer)]

    def delete_cohort_members(self, members: Sequence[tuple[int, int]]) -> None:
        """(cohort id, user id) pairs; a non-member is fine, an unknown user or cohort id is dropped."""
        params = [{"cohortid": int(c), "userid": int(u)} for c, u in members]

        def delete(batch: list[dict[str, int]]) -> None:
            self.call("core_cohort_delete_cohort_members", {"members": batch})

        for batch in batches(params, lambda _: 2):
            _isolating(batch, delete)


def _isolating(batch: list[Any], action: Callable[[list[Any]], None]) -> None:
    """Runs `action` on the batch; on an unknown id (the whole call rolled back), splits to drop that id alone."""
    try:
        action(batch)
    except MoodleCallError as error:
        if error.code not in _UNKNOWN_RECORD_CODES:
            raise
        if len(batch) > 1:
            middle = len(batch) // 2
            _isolating(batch[:middle], action)
            _isolating(batch[middle:], action)
        else:
            logger.info("moodle unknown id dropped", extra={"code": error.code})


def _warnings(answer: Any) -> list[MoodleWarning]:
    if not isinstance(answer, dict):
        return []
    return [MoodleWarning.model_validate(w) for w in answer.get("warnings", [])]


def _unique(values: Any) -> list[Any]:
    return list(dict.fromkeys(values))
