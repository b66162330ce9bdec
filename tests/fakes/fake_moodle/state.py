"""The fake Moodle's data: users, cohorts, memberships, tokens and their capabilities, site settings."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

RELEASE = "4.5.6 (Build: 20250811)"
VERSION = "2024100706"
SYSTEM_CONTEXT_ID = 1

# The functions of the peer's `elea_import` service (ws_setup.php).
SERVICE_FUNCTIONS = (
    "core_user_create_users",
    "core_user_update_users",
    "core_user_get_users_by_field",
    "core_user_get_users",
    "core_user_delete_users",
    "core_cohort_create_cohorts",
    "core_cohort_search_cohorts",
    "core_cohort_get_cohorts",
    "core_cohort_add_cohort_members",
    "core_cohort_delete_cohort_members",
    "core_cohort_get_cohort_members",
    "core_cohort_update_cohorts",
    "core_cohort_delete_cohorts",
    "core_webservice_get_site_info",
)
# The peer's `elea_ws` role: a production-like integration account.
INTEGRATION_CAPABILITIES = frozenset(
    {
        "webservice/rest:use",
        "moodle/user:create",
        "moodle/user:update",
        "moodle/user:delete",
        "moodle/user:viewdetails",
        "moodle/user:viewalldetails",
        "moodle/user:viewhiddendetails",
        "moodle/cohort:manage",
        "moodle/cohort:view",
        "moodle/cohort:assign",
        "moodle/site:viewuseridentity",
    }
)
NO_CAPABILITIES = frozenset({"webservice/rest:use"})
# What Moodle's required_capability_exception names, in English as the peer answers.
CAPABILITY_NAMES = {
    "moodle/user:create": "Create users",
    "moodle/user:update": "Update user profiles",
    "moodle/cohort:manage": "Create, delete and move cohorts",
    "moodle/cohort:view": "View site-wide cohorts",
    "moodle/cohort:assign": "Add and remove cohort members",
}


@dataclass
class FakeUser:
    id: int
    username: str
    firstname: str
    lastname: str
    email: str
    auth: str = "manual"
    idnumber: str = ""
    institution: str = ""
    department: str = ""
    phone1: str = ""
    city: str = ""
    country: str = ""
    suspended: bool = False
    password: str = ""
    lang: str = "en"
    preferences: dict[str, str] = field(default_factory=dict)


@dataclass
class FakeCohort:
    id: int
    idnumber: str
    name: str
    contextid: int = SYSTEM_CONTEXT_ID
    description: str = ""
    visible: bool = True


@dataclass(frozen=True)
class Caller:
    """Who a token belongs to and what their role lets them do."""

    userid: int
    capabilities: frozenset[str]
    site_admin: bool = False

    def can(self, capability: str) -> bool:
        return self.site_admin or capability in self.capabilities


@dataclass
class MoodleState:
    users: dict[int, FakeUser] = field(default_factory=dict)
    cohorts: dict[int, FakeCohort] = field(default_factory=dict)
    members: dict[int, set[int]] = field(default_factory=dict)
    tokens: dict[str, Caller] = field(default_factory=dict)
    functions: set[str] = field(default_factory=lambda: set(SERVICE_FUNCTIONS))
    allowaccountssameemail: bool = False
    # $CFG->country, the site's default country ('' as installed): a user created without one gets it.
    default_country: str = ""
    max_input_vars: int = 5000
    next_user_id: int = 1
    next_cohort_id: int = 1

    def add_user(self, username: str, **fields: object) -> FakeUser:
        fields.setdefault("firstname", "F")
        fields.setdefault("lastname", "L")
        fields.setdefault("email", f"{username}@example.invalid")
        user = FakeUser(id=self.next_user_id, username=username, **fields)  # type: ignore[arg-type]
        self.users[user.id] = user
        self.next_user_id += 1
        return user

    def add_cohort(self, idnumber: str, name: str, **fields: object) -> FakeCohort:
        cohort = FakeCohort(id=self.next_cohort_id, idnumber=idnumber, name=name, **fields)  # type: ignore[arg-type]
        self.cohorts[cohort.id] = cohort
        self.members[cohort.id] = set()
        self.next_cohort_id += 1
        return cohort

    def user_named(self, username: str) -> FakeUser | None:
        return next((u for u in self.users.values() if u.username == username), None)

    def cohort_numbered(self, idnumber: str) -> FakeCohort | None:
        return next((c for c in self.cohorts.values() if c.idnumber == idnumber), None)

    def new_token(self, caller: Caller) -> str:
        token = secrets.token_hex(16)
        self.tokens[token] = caller
        return token


def fresh_install() -> tuple[MoodleState, dict[str, str]]:
    """The peer right after reset.sh: guest 1, admin 2, wsimport 3, wsnocap 4; tokens for the last three."""
    state = MoodleState()
    state.add_user("guest", firstname="Guest user", lastname=" ", email="root@localhost")
    admin = state.add_user("admin", firstname="Admin", lastname="User", email="admin@example.invalid")
    wsimport = state.add_user("wsimport", firstname="WS", lastname="wsimport", password="Peer-pass-1!")
    wsnocap = state.add_user("wsnocap", firstname="WS", lastname="wsnocap", password="Peer-pass-1!")
    tokens = {
        "admin": state.new_token(Caller(admin.id, frozenset(), site_admin=True)),
        "integration": state.new_token(Caller(wsimport.id, INTEGRATION_CAPABILITIES)),
        "nocap": state.new_token(Caller(wsnocap.id, NO_CAPABILITIES)),
    }
    return state, tokens
