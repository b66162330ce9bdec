"""Before any write: is this token good enough for an import? Proven by calls that write nothing.

- site info answers (else the token is wrong) and lists every function the import calls;
- the right to read is proven on an account known to exist: without moodle/user:viewdetails and
  viewalldetails, core_user_get_users_by_field answers [] silently, and an import reading that as
  "nobody is there" would re-create the school. The web-service user itself cannot prove it (Moodle always
  shows a user to themselves): a known account of the school does, else the guest account every Moodle has;
- each write capability is probed by a call Moodle refuses AFTER its capability check and before writing
  (an existing username, an unsupported description format, updating user id 0, removing the
  web-service user from a cohort it is not in).
Settings the web services cannot read (allowaccountssameemail...) come back as reminders.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from elea.dal.moodle.errors import MoodleCallError, MoodleTokenInsufficient
from elea.dal.moodle.models import SiteInfo

if TYPE_CHECKING:
    from elea.dal.moodle.web_service import MoodleWebService

REQUIRED_FUNCTIONS = (
    "core_webservice_get_site_info",
    "core_user_get_users_by_field",
    "core_user_create_users",
    "core_user_update_users",
    "core_cohort_search_cohorts",
    "core_cohort_get_cohorts",
    "core_cohort_create_cohorts",
    "core_cohort_get_cohort_members",
    "core_cohort_add_cohort_members",
    "core_cohort_delete_cohort_members",
)
# The role of the web-service account (README: « Préparer la plateforme Moodle »).
REQUIRED_CAPABILITIES = (
    "webservice/rest:use",
    "moodle/user:create",
    "moodle/user:update",
    "moodle/user:viewdetails",
    "moodle/user:viewalldetails",
    "moodle/user:viewhiddendetails",
    "moodle/site:viewuseridentity",
    "moodle/cohort:manage",
    "moodle/cohort:view",
    "moodle/cohort:assign",
)
GUEST_USERNAME = "guest"
_PROBE_QUERY = "elea-import-token-check-matches-nothing"
_NOPERMISSIONS = "moodle_missing_capability"

REMINDERS = (
    "Réglage allowaccountssameemail (Administration du site > Sécurité > Politique du site, « Autoriser les comptes "
    "avec la même adresse de courriel ») : le service web ne permet pas de le lire. À 0 (valeur par défaut), Moodle "
    "refuse deux comptes avec la même adresse ; l'import donne alors une adresse de substitution aux adresses "
    "partagées.",
    "Le plugin d'authentification des comptes ENT (MoodleEntAuth, « cas » par défaut) doit être activé sur la "
    "plateforme (Administration du site > Plugins > Authentification).",
    "La politique de mots de passe de la plateforme s'applique aux mots de passe initiaux des comptes SIECLE et STS.",
)


@dataclass(frozen=True)
class TokenProblem:
    code: str
    message: str  # French, without personal data
    missing: str | None = None  # the function, capability or setting to add


@dataclass(frozen=True)
class TokenCheck:
    site: SiteInfo | None
    problems: tuple[TokenProblem, ...]
    reminders: tuple[str, ...] = field(default=REMINDERS)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def missing(self) -> list[str]:
        return [p.missing for p in self.problems if p.missing]

    def raise_if_insufficient(self) -> None:
        if self.problems:
            raise MoodleTokenInsufficient(
                "Le jeton du service web ne suffit pas pour importer : " + " ; ".join(p.message for p in self.problems),
                missing=self.missing,
                hint="Lancez « elea-import moodle check --moodle URL » et complétez le service ou le rôle.",
            )


def check_token(ws: MoodleWebService, *, known_username: str | None = None) -> TokenCheck:
    """`known_username`: an account known to exist (one of the school's, from its last import), else guest."""
    try:
        site = ws.site_info()
    except MoodleCallError as error:
        return TokenCheck(None, (TokenProblem(error.code, error.message),), ())
    problems: list[TokenProblem] = [
        TokenProblem(
            "moodle_function_missing",
            f"la fonction {name} n'est pas dans le service web du jeton",
            missing=name,
        )
        for name in REQUIRED_FUNCTIONS
        if name not in site.functions
    ]
    if site.userissiteadmin:
        problems.append(
            TokenProblem(
                "moodle_token_of_site_admin",
                "le jeton appartient à un administrateur du site, qui masque les capacités manquantes : "
                "créez un compte de service dédié avec son propre rôle",
            )
        )
    probes = _Probes(ws, site)
    problems += probes.read_right(known_username)
    problems += probes.write_rights()
    return TokenCheck(site, tuple(problems))


def _missing_capability(capability: str, why: str) -> TokenProblem:
    return TokenProblem(_NOPERMISSIONS, f"il manque la capacité {capability} ({why})", missing=capability)


class _Probes:
    def __init__(self, ws: MoodleWebService, site: SiteInfo) -> None:
        self._ws = ws
        self._site = site

    def _has(self, function: str) -> bool:
        return function in self._site.functions

    def _refused_for_capability(self, function: str, params: dict[str, Any]) -> bool | None:
        """True: Moodle refused for a missing capability; False: it got past the check; None: not probed."""
        if not self._has(function):
            return None
        try:
            self._ws.call(function, params)
        except MoodleCallError as error:
            return error.code == _NOPERMISSIONS
        return False

    def read_right(self, known_username: str | None) -> list[TokenProblem]:
        if not self._has("core_user_get_users_by_field"):
            return []
        account = (known_username or GUEST_USERNAME).lower()
        found = self._ws.call("core_user_get_users_by_field", {"field": "username", "values": [account]})
        if found:
            user = found[0]
            problems = []
            if "email" not in user:
                problems.append(
                    _missing_capability(
                        "moodle/site:viewuseridentity", "les adresses de courriel des comptes restent invisibles"
                    )
                )
            if "auth" not in user:
                problems.append(
                    _missing_capability(
                        "moodle/user:viewalldetails", "le mode d'authentification des comptes reste invisible"
                    )
                )
            return problems
        who = "un compte connu de l'établissement" if known_username else "le compte invité que tout Moodle possède"
        # By id, Moodle still shows a user without moodle/user:viewalldetails, only not their username.
        by_id = self._ws.call("core_user_get_users_by_field", {"field": "id", "values": [1]})
        if by_id:
            return [_missing_capability("moodle/user:viewalldetails", f"{who} est introuvable par son identifiant")]
        return [
            _missing_capability("moodle/user:viewdetails", f"{who} est invisible : Moodle répond « personne »"),
            _missing_capability("moodle/user:viewalldetails", "identifiants des comptes invisibles"),
        ]

    def write_rights(self) -> list[TokenProblem]:
        problems: list[TokenProblem] = []
        me = self._site.username
        # An existing username: refused as invalidparameter after the capability check, nothing created.
        existing = {"username": me, "firstname": "x", "lastname": "x", "email": "check@example.invalid", "auth": "cas"}
        if self._refused_for_capability("core_user_create_users", {"users": [existing]}):
            problems.append(_missing_capability("moodle/user:create", "création des comptes"))
        # User id 0 does not exist: a warning after the capability check.
        if self._refused_for_capability("core_user_update_users", {"users": [{"id": 0}]}):
            problems.append(_missing_capability("moodle/user:update", "mise à jour et suspension des comptes"))
        # An unsupported description format: refused after the capability check, the transaction rolled back.
        bad_format = {
            "categorytype": {"type": "system", "value": ""},
            "name": _PROBE_QUERY,
            "idnumber": "",
            "descriptionformat": 99,
        }
        if self._refused_for_capability("core_cohort_create_cohorts", {"cohorts": [bad_format]}):
            problems.append(_missing_capability("moodle/cohort:manage", "création des cohortes"))
        search = {"query": _PROBE_QUERY, "context": {"contextlevel": "system"}, "includes": "all"}
        if self._refused_for_capability("core_cohort_search_cohorts", {**search, "limitfrom": 0, "limitnum": 1}):
            problems.append(_missing_capability("moodle/cohort:view", "lecture des cohortes"))
        else:
            problems += self._assign_right()
        return problems

    def _assign_right(self) -> list[TokenProblem]:
        """Removing the web-service user from a cohort it is not in: a no-op past the capability check."""
        if not (self._has("core_cohort_search_cohorts") and self._has("core_cohort_get_cohort_members")):
            return []
        # The first page of 20 cohorts is enough to find one without the web-service user.
        search = {"query": "", "context": {"contextlevel": "system"}, "includes": "all", "limitfrom": 0, "limitnum": 20}
        cohorts = [int(c["id"]) for c in (self._ws.call("core_cohort_search_cohorts", search) or {}).get("cohorts", [])]
        members = self._ws.cohort_members(cohorts) if cohorts else {}
        free = next((cid for cid, users in members.items() if self._site.userid not in users), None)
        if free is None:
            return []  # no cohort to probe on (a new site): the first import proves it
        pair = {"members": [{"cohortid": free, "userid": self._site.userid}]}
        if self._refused_for_capability("core_cohort_delete_cohort_members", pair):
            return [_missing_capability("moodle/cohort:assign", "inscription des comptes dans les cohortes")]
        return []
