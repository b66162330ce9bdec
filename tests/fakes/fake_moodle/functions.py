"""The web-service functions, as Moodle 4.5.6 runs them (checks in Moodle's own order; see user/externallib.php
and cohort/externallib.php). Each takes the state, the caller and the parsed form, and answers JSON or raises."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from tests.fakes.fake_moodle.form import as_list
from tests.fakes.fake_moodle.state import (
    CAPABILITY_NAMES,
    RELEASE,
    SYSTEM_CONTEXT_ID,
    VERSION,
    Caller,
    FakeCohort,
    FakeUser,
    MoodleState,
)

_USERNAME = re.compile(r"^[-.@_a-z0-9]+$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_AUTHS = frozenset({"manual", "nologin", "cas", "email", "ldap", "oauth2", "shibboleth", "db", "lti", "none"})
_PASSWORD_POLICY = (
    (lambda p: len(p) >= 8, "<div>Passwords must be at least 8 characters long.</div>"),
    (lambda p: re.search(r"\d", p) is not None, "<div>Passwords must have at least 1 digit(s).</div>"),
    (lambda p: re.search(r"[a-z]", p) is not None, "<div>Passwords must have at least 1 lower case letter(s).</div>"),
    (lambda p: re.search(r"[A-Z]", p) is not None, "<div>Passwords must have at least 1 upper case letter(s).</div>"),
    (
        lambda p: re.search(r"[^A-Za-z0-9]", p) is not None,
        "<div>The password must have at least 1 special character(s) such as *, -, or #.</div>",
    ),
)


class MoodleException(Exception):
    def __init__(self, exception: str, errorcode: str, message: str) -> None:
        super().__init__(message)
        self.answer = {"exception": exception, "errorcode": errorcode, "message": message}


def invalid_parameter() -> MoodleException:
    return MoodleException(
        "core\\exception\\invalid_parameter_exception", "invalidparameter", "Invalid parameter value detected"
    )


def no_permission(capability: str) -> MoodleException:
    return MoodleException(
        "core\\exception\\required_capability_exception",
        "nopermissions",
        f"Sorry, but you do not currently have permissions to do that ({CAPABILITY_NAMES[capability]}).",
    )


def _require(caller: Caller, *capabilities: str) -> None:
    if not any(caller.can(c) for c in capabilities):
        raise no_permission(capabilities[-1])


def _list(params: dict[str, Any], key: str, *, required: bool = True) -> list[Any]:
    value = params.get(key)
    if value is None and not required:
        return []
    items = as_list(value)
    if items is None or (required and value is None):
        raise invalid_parameter()
    return items


def _text(item: Any, key: str, *, default: str | None = None) -> str:
    if not isinstance(item, dict) or (key not in item and default is None):
        raise invalid_parameter()
    value = item.get(key, default)
    if not isinstance(value, str):
        raise invalid_parameter()
    return value


def _int(value: Any) -> int:
    if not isinstance(value, str) or not re.fullmatch(r"-?\d+", value):
        raise invalid_parameter()
    return int(value)


def _flag(item: dict[str, Any], key: str) -> bool:
    return key in item and _int(item[key]) != 0


# --- users --------------------------------------------------------------------------------------------------


def user_details(state: MoodleState, user: FakeUser, caller: Caller, siteurl: str) -> dict[str, Any] | None:
    """user_get_user_details: what this caller may see of this user (None: nothing, dropped from answers)."""
    current = user.id == caller.userid
    if not current and not caller.can("moodle/user:viewdetails"):
        return None
    alldetails = current or caller.can("moodle/user:viewalldetails")
    details: dict[str, Any] = {"id": user.id}
    if alldetails:
        details["username"] = user.username
    details |= {"firstname": user.firstname, "lastname": user.lastname, "fullname": f"{user.firstname} {user.lastname}"}
    # showuseridentity is "email" by default; identity fields need moodle/site:viewuseridentity.
    if current or caller.can("moodle/site:viewuseridentity"):
        details["email"] = user.email
    if alldetails:
        details["department"] = user.department
    # Answered only when not empty, as user_get_user_details does.
    if user.city and alldetails:
        details["city"] = user.city
    if user.country and alldetails:
        details["country"] = user.country
    if user.idnumber and alldetails:
        details["idnumber"] = user.idnumber
    if user.institution and alldetails:
        details["institution"] = user.institution
    details |= {"firstaccess": 0, "lastaccess": 0}
    if alldetails:
        details |= {"auth": user.auth, "suspended": user.suspended, "confirmed": True, "lang": user.lang, "theme": ""}
    else:
        details["suspended"] = user.suspended
    details |= {"timezone": "99"}
    if alldetails:
        details |= {"mailformat": 1, "trackforums": 0}
    image = f"{siteurl}/theme/image.php/boost/core/1/u/"
    details |= {"profileimageurlsmall": image + "f2", "profileimageurl": image + "f1"}
    return details


def get_site_info(state: MoodleState, caller: Caller, params: dict[str, Any], siteurl: str) -> Any:
    user = state.users[caller.userid]
    return {
        "sitename": "Fake Moodle",
        "username": user.username,
        "firstname": user.firstname,
        "lastname": user.lastname,
        "fullname": f"{user.firstname} {user.lastname}",
        "lang": user.lang,
        "userid": user.id,
        "siteurl": siteurl,
        "functions": [{"name": name, "version": VERSION} for name in sorted(state.functions)],
        "downloadfiles": 0,
        "uploadfiles": 0,
        "release": RELEASE,
        "version": VERSION,
        "userissiteadmin": caller.site_admin,
        "siteid": 1,
        "theme": "boost",
    }


def get_users_by_field(state: MoodleState, caller: Caller, params: dict[str, Any], siteurl: str) -> Any:
    field = _text(params, "field")
    values = _list(params, "values")
    if field not in ("id", "idnumber", "username", "email"):
        raise invalid_parameter()
    for value in values:
        if not isinstance(value, str):
            raise invalid_parameter()
        # clean_param(): a value that cleaning would change fails the whole call (an uppercase username).
        if (
            (field == "username" and not _USERNAME.match(value))
            or (field == "id" and not value.isdigit())
            or (field == "email" and not _EMAIL.match(value))
        ):
            raise invalid_parameter()
    wanted = set(values)
    answer = []
    for user in sorted(state.users.values(), key=lambda u: u.id):
        if str(getattr(user, field)) in wanted:
            details = user_details(state, user, caller, siteurl)
            # "Return the user only if the searched field is returned."
            if details is not None and details.get(field):
                answer.append(details)
    return answer


def create_users(state: MoodleState, caller: Caller, params: dict[str, Any], siteurl: str) -> Any:
    # Moodle validates the parameters (types, PARAM_USERNAME, PARAM_EMAIL) before the function's own checks.
    users = _list(params, "users")
    for item in users:
        if not isinstance(item, dict):
            raise invalid_parameter()
        username, email = _text(item, "username"), _text(item, "email")
        _text(item, "firstname"), _text(item, "lastname")
        if not _USERNAME.match(username) or (email and not _EMAIL.match(email)):
            raise invalid_parameter()
    _require(caller, "moodle/user:create")
    # One delegated transaction: any refusal leaves the site as it was.
    staged = dict(state.users)  # new users only are added: the existing ones are not changed
    usernames = {u.username for u in staged.values()}
    emails = {u.email.lower() for u in staged.values()}
    next_id = state.next_user_id
    created = []
    for item in users:
        username, email = _text(item, "username"), _text(item, "email")
        firstname, lastname = _text(item, "firstname"), _text(item, "lastname")
        auth = _text(item, "auth", default="manual")
        password = _text(item, "password", default="")
        if not username.strip() or not firstname.strip() or not lastname.strip():
            raise invalid_parameter()
        if username in usernames:
            raise invalid_parameter()
        if auth not in _AUTHS:
            raise invalid_parameter()
        internal = auth in ("manual", "email", "nologin", "none")
        createpassword = _flag(item, "createpassword")
        if internal and not password and not createpassword:
            raise invalid_parameter()
        if not _EMAIL.match(email):
            raise invalid_parameter()
        if not state.allowaccountssameemail and email.lower() in emails:
            raise invalid_parameter()
        if internal and not createpassword:
            failed = "".join(message for check, message in _PASSWORD_POLICY if not check(password))
            if failed:
                raise MoodleException("core\\exception\\moodle_exception", failed, "error/" + failed)
        preferences = {_text(p, "type"): _text(p, "value") for p in _list(item, "preferences", required=False)}
        if createpassword:
            preferences["auth_forcepasswordchange"] = "1"
        user = FakeUser(
            id=next_id,
            username=username,
            firstname=firstname,
            lastname=lastname,
            email=email,
            auth=auth,
            idnumber=_text(item, "idnumber", default=""),
            institution=_text(item, "institution", default=""),
            # The peer's user_create_user() (/opt/moodle45/user/lib.php, after insert_record) rewrites, right
            # after the insert, department and phone1 from $user->profile[...] (never set through web
            # services, so always '') and city and country from what was given (or the defaults: '' and
            # $CFG->country). What was sent for department and phone1 is lost; an update sets them.
            department="",
            phone1="",
            city=_text(item, "city", default=""),
            country=_text(item, "country", default="") or state.default_country,
            password="" if not internal else password,
            preferences=preferences,
        )
        staged[user.id] = user
        usernames.add(username)
        emails.add(email.lower())
        next_id += 1
        created.append({"id": user.id, "username": username})
    state.users, state.next_user_id = staged, next_id
    return created


_UPDATABLE = (
    "username",
    "firstname",
    "lastname",
    "email",
    "auth",
    "idnumber",
    "institution",
    "department",
    "phone1",
    "city",
    "country",
)


def update_users(state: MoodleState, caller: Caller, params: dict[str, Any], siteurl: str) -> Any:
    users = _list(params, "users")
    for item in users:  # validate_parameters covers the whole call before anything is written
        if not isinstance(item, dict) or "id" not in item:
            raise invalid_parameter()
        _int(item["id"])
        if "username" in item and not _USERNAME.match(_text(item, "username")):
            raise invalid_parameter()
    _require(caller, "moodle/user:update")
    warnings = []
    for item in users:
        userid = _int(item["id"])

        def warn(code: str, message: str, userid: int = userid) -> None:
            warnings.append({"item": "user", "itemid": userid, "warningcode": code, "message": message})

        user = state.users.get(userid)
        if user is None:
            warn("invaliduserid", "Invalid user ID")
            continue
        if user.username == "admin" and userid != caller.userid and not caller.site_admin:
            warn("usernotupdatedadmin", "Cannot update admin accounts")
            continue
        if user.username == "guest":
            warn("usernotupdatedguest", "Cannot update guest account")
            continue
        email = item.get("email")
        if isinstance(email, str) and email != user.email:
            if not _EMAIL.match(email):
                warn("useremailinvalid", "Invalid email address")
                continue
            others = (u for u in state.users.values() if u.id != userid)
            if not state.allowaccountssameemail and any(u.email.lower() == email.lower() for u in others):
                warn("useremailduplicate", "Duplicate email address")
                continue
        username = item.get("username")
        if isinstance(username, str) and any(u.username == username and u.id != userid for u in state.users.values()):
            warn("dmlwriteexception", "Error writing to database")  # the unique index on username
            continue
        for name in _UPDATABLE:
            if name in item:
                setattr(user, name, _text(item, name))
        if "suspended" in item:
            user.suspended = _flag(item, "suspended")
        if "password" in item:
            user.password = _text(item, "password")
    return {"warnings": warnings}


# --- cohorts ------------------------------------------------------------------------------------------------


def _cohort_answer(cohort: FakeCohort, *, customfields: bool = True) -> dict[str, Any]:
    answer: dict[str, Any] = {
        "id": cohort.id,
        "name": cohort.name,
        "idnumber": cohort.idnumber,
        "description": cohort.description,
        "descriptionformat": 1,
        "visible": cohort.visible,
        "theme": "",
    }
    if customfields:
        answer["customfields"] = []
    return answer


def create_cohorts(state: MoodleState, caller: Caller, params: dict[str, Any], siteurl: str) -> Any:
    cohorts = _list(params, "cohorts")
    staged: list[FakeCohort] = []
    taken = {c.idnumber for c in state.cohorts.values() if c.idnumber}
    for item in cohorts:
        category = item.get("categorytype") if isinstance(item, dict) else None
        if not isinstance(category, dict) or _text(category, "type") not in ("idnumber", "id", "system"):
            raise invalid_parameter()
        if _text(category, "type") != "system":
            raise invalid_parameter()  # the fake has no course categories: "category not exists"
        name, idnumber = _text(item, "name"), _text(item, "idnumber")  # both required
        if idnumber and idnumber in taken:
            raise invalid_parameter()  # "record already exists: idnumber=..."
        _require(caller, "moodle/cohort:manage")
        if _int(item.get("descriptionformat", "1")) not in (0, 1, 2, 4):  # util::validate_format, after the check
            raise MoodleException(
                "core\\exception\\moodle_exception", "formatnotsupported", "webservice/formatnotsupported"
            )
        taken.add(idnumber)
        visible = _int(item["visible"]) != 0 if "visible" in item else True
        description = _text(item, "description", default="")
        staged.append(FakeCohort(0, idnumber, name, SYSTEM_CONTEXT_ID, description, visible))
    created = []
    for cohort in staged:
        made = state.add_cohort(cohort.idnumber, cohort.name, description=cohort.description, visible=cohort.visible)
        created.append(_cohort_answer(made, customfields=False))
    return created


def get_cohorts(state: MoodleState, caller: Caller, params: dict[str, Any], siteurl: str) -> Any:
    ids = [_int(i) for i in _list(params, "cohortids", required=False)]
    chosen = (
        list(state.cohorts.values()) if not ids else [state.cohorts[i] for i in sorted(set(ids)) if i in state.cohorts]
    )
    for _ in chosen:
        _require(caller, "moodle/cohort:manage", "moodle/cohort:view")
    return [_cohort_answer(c) for c in chosen]


def search_cohorts(state: MoodleState, caller: Caller, params: dict[str, Any], siteurl: str) -> Any:
    query = _text(params, "query")
    context = params.get("context")
    if not isinstance(context, dict):
        raise invalid_parameter()
    includes = _text(params, "includes", default="parents")
    page = _int(params.get("limitfrom", "0"))
    limit = _int(params.get("limitnum", "25"))
    _require(caller, "moodle/cohort:manage", "moodle/cohort:view")
    if includes not in ("self", "parents", "all"):
        raise invalid_parameter()
    needle = query.lower()
    found = [
        c
        for c in state.cohorts.values()
        if not needle or any(needle in text.lower() for text in (c.name, c.idnumber, c.description))
    ]
    found.sort(key=lambda c: (c.name, c.idnumber))
    if limit:  # Moodle's limitfrom is a page number: offset = limitfrom * limitnum
        found = found[page * limit : page * limit + limit]
    return {"cohorts": [_cohort_answer(c) for c in found]}


def add_cohort_members(state: MoodleState, caller: Caller, params: dict[str, Any], siteurl: str) -> Any:
    members = _list(params, "members")
    warnings = []
    staged: list[tuple[int, int]] = []
    staged_set: set[tuple[int, int]] = set()
    # Indexes for this call: a call adds hundreds of members on sites of thousands of accounts.
    cohorts_by = {
        "id": {str(c.id): c for c in state.cohorts.values()},
        "idnumber": {c.idnumber: c for c in state.cohorts.values() if c.idnumber},
    }
    users_by = {
        "id": {str(u.id): u for u in state.users.values()},
        "username": {u.username: u for u in state.users.values()},
    }
    for item in members:
        cohorttype, usertype = item.get("cohorttype"), item.get("usertype")
        if not isinstance(cohorttype, dict) or not isinstance(usertype, dict):
            raise invalid_parameter()
        ctype, cvalue = _text(cohorttype, "type"), _text(cohorttype, "value")
        utype, uvalue = _text(usertype, "type"), _text(usertype, "value")
        if ctype not in ("id", "idnumber"):
            warnings.append({"warningcode": "1", "message": f"invalid parameter: cohortype={ctype}"})
            continue
        if utype not in ("id", "username"):
            warnings.append({"warningcode": "1", "message": f"invalid parameter: usertype={utype}"})
            continue
        cohort = cohorts_by[ctype].get(cvalue)
        if cohort is None:
            warnings.append({"warningcode": "2", "message": f"cohort {ctype}={cvalue} not exists"})
            continue
        user = users_by[utype].get(uvalue)
        if user is None:
            warnings.append({"warningcode": "2", "message": f"user {utype}={uvalue} not exists"})
            continue
        if user.id in state.members[cohort.id] or (cohort.id, user.id) in staged_set:
            warnings.append(
                {"warningcode": "3", "message": f"record already exists: cohort({ctype}={cvalue} {utype}={uvalue})"}
            )
            continue
        _require(caller, "moodle/cohort:manage", "moodle/cohort:assign")  # rolls back the whole call
        staged.append((cohort.id, user.id))
        staged_set.add((cohort.id, user.id))
    for cohortid, userid in staged:
        state.members[cohortid].add(userid)
    return {"warnings": warnings}


def delete_cohort_members(state: MoodleState, caller: Caller, params: dict[str, Any], siteurl: str) -> Any:
    members = _list(params, "members")
    pairs = [(_int(_text(m, "cohortid")), _int(_text(m, "userid"))) for m in members]
    for cohortid, userid in pairs:  # one transaction: the first unknown id rolls back every deletion
        if cohortid not in state.cohorts:
            raise MoodleException(
                "dml_missing_record_exception", "invalidrecord", "Can't find data record in database table cohort."
            )
        if userid not in state.users:
            raise MoodleException("dml_missing_record_exception", "invaliduser", "Invalid user")
        _require(caller, "moodle/cohort:manage", "moodle/cohort:assign")
    for cohortid, userid in pairs:
        state.members[cohortid].discard(userid)
    return None


def get_cohort_members(state: MoodleState, caller: Caller, params: dict[str, Any], siteurl: str) -> Any:
    answer = []
    for cohortid in [_int(i) for i in _list(params, "cohortids")]:
        if cohortid not in state.cohorts:
            raise MoodleException(
                "dml_missing_record_exception", "invalidrecord", "Can't find data record in database table cohort."
            )
        _require(caller, "moodle/cohort:manage", "moodle/cohort:view")
        answer.append({"cohortid": cohortid, "userids": sorted(state.members[cohortid])})
    return answer


Function = Callable[[MoodleState, Caller, dict[str, Any], str], Any]
FUNCTIONS: dict[str, Function] = {
    "core_webservice_get_site_info": get_site_info,
    "core_user_get_users_by_field": get_users_by_field,
    "core_user_create_users": create_users,
    "core_user_update_users": update_users,
    "core_cohort_create_cohorts": create_cohorts,
    "core_cohort_get_cohorts": get_cohorts,
    "core_cohort_search_cohorts": search_cohorts,
    "core_cohort_add_cohort_members": add_cohort_members,
    "core_cohort_delete_cohort_members": delete_cohort_members,
    "core_cohort_get_cohort_members": get_cohort_members,
}
