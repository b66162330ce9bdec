"""Contract of Moodle 4.5's web services as the client relies on them, run against the fake (`make test`)
and against a real Moodle (`make test-moodle`, with ELEA_MOODLE_URL and ELEA_MOODLE_TOKEN).

Each test states one behaviour measured on Moodle 4.5.6 (/work/shared/moodle-peer); a difference between the
fake and the real site shows as a test passing on one and failing on the other. Live runs create accounts
and cohorts under a fresh prefix, so they rerun without a reset.
"""

from __future__ import annotations

from typing import Any

import pytest

from elea.dal.moodle.errors import MoodleCallError
from elea.dal.moodle.form_encoding import FIXED_VARS, MAX_INPUT_VARS
from elea.dal.moodle.models import MoodleUserUpdate, NewMoodleCohort, NewMoodleUser
from elea.dal.moodle.token_check import REQUIRED_FUNCTIONS, check_token
from elea.dal.moodle.web_service import MoodleWebService
from tests.contract.conftest import MoodleUnderTest


def person(prefix: str, name: str, **fields: Any) -> NewMoodleUser:
    username = f"{prefix}.{name}"
    values: dict[str, Any] = {
        "username": username,
        "firstname": name.capitalize(),
        "lastname": prefix.upper(),
        "email": f"{username}@example.invalid",
        "auth": "cas",
        "idnumber": f"{prefix}-{name}",
    }
    return NewMoodleUser(**(values | fields))


def created(ws: MoodleWebService, *people: NewMoodleUser) -> dict[str, int]:
    result = ws.create_users(people)
    assert not result.rejected
    return result.created


def error_of(ws: MoodleWebService, function: str, params: dict[str, Any]) -> MoodleCallError:
    with pytest.raises(MoodleCallError) as caught:
        ws.call(function, params)
    return caught.value


# --- site and errors ---------------------------------------------------------------------------------------


def test_site_info_lists_every_function_the_import_calls(ws: MoodleWebService) -> None:
    # WHEN the site describes itself
    site = ws.site_info()
    # THEN the service holds every function, and the release is a Moodle 4
    assert set(REQUIRED_FUNCTIONS) <= site.functions
    assert site.release.startswith("4.")
    assert site.userid > 0
    assert site.username


def test_a_bad_token_is_invalidtoken(moodle: MoodleUnderTest) -> None:
    # GIVEN a token Moodle never issued
    ws = moodle.client("0" * 32)
    # WHEN it asks anything
    error = error_of(ws, "core_webservice_get_site_info", {})
    # THEN the answer is Moodle's invalidtoken, as a stable code and a French message
    assert (error.code, error.moodle_errorcode) == ("moodle_invalid_token", "invalidtoken")
    assert "jeton" in error.message


def test_a_function_outside_the_service_is_accessexception(ws: MoodleWebService) -> None:
    error = error_of(ws, "core_course_get_courses", {})
    assert (error.code, error.moodle_errorcode) == ("moodle_function_missing", "accessexception")


def test_a_missing_parameter_is_invalidparameter(ws: MoodleWebService) -> None:
    error = error_of(ws, "core_user_create_users", {})
    assert (error.code, error.moodle_errorcode) == ("moodle_invalid_parameter", "invalidparameter")


# --- reading users -----------------------------------------------------------------------------------------


def test_lookups_need_lowercase_usernames_and_omit_unknown_ones(ws: MoodleWebService, unique: str) -> None:
    # GIVEN one account
    ids = created(ws, person(unique, "ana"))
    # WHEN a raw lookup holds one uppercase username, THEN the whole call fails
    error = error_of(
        ws, "core_user_get_users_by_field", {"field": "username", "values": [f"{unique}.ana", f"{unique}.ANA"]}
    )
    assert error.code == "moodle_invalid_parameter"
    # WHEN the client looks up mixed-case and unknown usernames, THEN it lowercases them and unknowns are absent
    found = ws.users_by_field("username", [f"{unique}.ANA", f"{unique}.nobody"])
    assert [(u.id, u.username) for u in found] == [(ids[f"{unique}.ana"], f"{unique}.ana")]


def test_a_user_reads_back_as_created_and_empty_fields_are_omitted(ws: MoodleWebService, unique: str) -> None:
    # GIVEN an account with an institution, and one without idnumber nor institution
    created(ws, person(unique, "bea", institution="0771234Y"), person(unique, "cid", idnumber=""))
    # WHEN read by username
    raw = ws.call("core_user_get_users_by_field", {"field": "username", "values": [f"{unique}.bea", f"{unique}.cid"]})
    users = {u["username"]: u for u in raw}
    # THEN every field comes back; an empty idnumber or institution is not in the answer at all
    bea = users[f"{unique}.bea"]
    assert (bea["firstname"], bea["lastname"], bea["idnumber"], bea["auth"]) == (
        "Bea",
        unique.upper(),
        f"{unique}-bea",
        "cas",
    )
    assert (bea["email"], bea["institution"], bea["suspended"]) == (f"{unique}.bea@example.invalid", "0771234Y", False)
    assert "idnumber" not in users[f"{unique}.cid"]
    assert "institution" not in users[f"{unique}.cid"]
    # AND the department, always answered, is set by an update
    ws.update_users([MoodleUserUpdate(id=bea["id"], department="6A")])
    assert ws.users_by_field("id", [bea["id"]])[0].department == "6A"


def test_creation_blanks_the_department_and_keeps_the_institution_and_country(
    ws: MoodleWebService, unique: str
) -> None:
    # GIVEN an account created with a department, an institution and a country (this Moodle's
    # user_create_user() rewrites department and phone1 right after the insert, from profile data web
    # services never send): why the adapter keeps the profile in institution
    ids = created(ws, person(unique, "cyd", department="6A", institution="Enseignant", country="FR"))
    # WHEN read back THEN the department is lost, the institution and the country kept
    [user] = ws.users_by_field("username", [f"{unique}.cyd"])
    assert (user.department, user.institution, user.country) == ("", "Enseignant", "FR")
    # AND an update sets the department for good
    ws.update_users([MoodleUserUpdate(id=ids[f"{unique}.cyd"], department="6A")])
    assert ws.users_by_field("id", [ids[f"{unique}.cyd"]])[0].department == "6A"


def test_lookup_by_idnumber_and_duplicate_idnumbers_are_accepted(ws: MoodleWebService, unique: str) -> None:
    # GIVEN two accounts sharing one idnumber: Moodle does not make it unique
    ids = created(
        ws, person(unique, "dan", idnumber=f"{unique}-same"), person(unique, "eva", idnumber=f"{unique}-same")
    )
    # WHEN looked up by that idnumber, THEN both come back
    found = ws.users_by_field("idnumber", [f"{unique}-same"])
    assert sorted(u.id for u in found) == sorted(ids.values())


# --- creating users ----------------------------------------------------------------------------------------


def test_create_users_is_all_or_nothing_per_call(ws: MoodleWebService, unique: str) -> None:
    # GIVEN an existing account
    created(ws, person(unique, "fay"))
    # WHEN one raw call creates two new people and that existing username
    batch = [person(unique, "gus").to_params(), person(unique, "hal").to_params(), person(unique, "fay").to_params()]
    error = error_of(ws, "core_user_create_users", {"users": batch})
    # THEN the call fails and creates nobody
    assert error.code == "moodle_invalid_parameter"
    assert ws.users_by_field("username", [f"{unique}.gus", f"{unique}.hal"]) == []


def test_the_client_isolates_the_person_moodle_refuses(ws: MoodleWebService, unique: str) -> None:
    # GIVEN an account made by hand with a username the file also gives to someone else
    created(ws, person(unique, "ivy", idnumber="by-hand"))
    people = [person(unique, n) for n in ("jon", "kim", "ivy", "lea", "max")]
    # WHEN the client creates the batch
    result = ws.create_users(people)
    # THEN everyone else is created, and the one refused gets a stable code without personal data
    assert sorted(result.created) == sorted(f"{unique}.{n}" for n in ("jon", "kim", "lea", "max"))
    assert list(result.rejected) == [f"{unique}.ivy"]
    assert result.rejected[f"{unique}.ivy"].code == "moodle_username_taken"
    assert unique not in result.rejected[f"{unique}.ivy"].message


def test_creating_the_same_people_again_finds_them(ws: MoodleWebService, unique: str) -> None:
    # GIVEN people created once (a retried chunk, or a retried call after a timeout, sends them again)
    first = created(ws, person(unique, "ned"), person(unique, "oda"))
    # WHEN created again with the same idnumbers
    again = ws.create_users([person(unique, "ned"), person(unique, "oda"), person(unique, "pia")])
    # THEN they count as created with their existing ids, no duplicate, no error
    assert not again.rejected
    assert {k: again.created[k] for k in first} == first
    assert len(ws.users_by_field("username", [f"{unique}.ned"])) == 1


def test_a_username_twice_in_a_batch_refuses_both_lines_and_creates_the_rest(ws: MoodleWebService, unique: str) -> None:
    result = ws.create_users([person(unique, "quy"), person(unique, "quy", idnumber="other"), person(unique, "rui")])
    assert list(result.created) == [f"{unique}.rui"]
    assert result.rejected[f"{unique}.quy"].code == "moodle_duplicate_username"


def test_a_duplicate_email_is_refused_while_allowaccountssameemail_is_off(ws: MoodleWebService, unique: str) -> None:
    # GIVEN a site with the default allowaccountssameemail = 0 and an account using an address
    created(ws, person(unique, "sam"))
    # WHEN another person comes with the same address (differently cased)
    result = ws.create_users([person(unique, "tom", email=f"{unique}.SAM@example.invalid"), person(unique, "uma")])
    # THEN that person alone is refused
    assert list(result.created) == [f"{unique}.uma"]
    assert result.rejected[f"{unique}.tom"].code == "moodle_invalid_parameter"


def test_manual_accounts_need_a_password_that_meets_the_policy(ws: MoodleWebService, unique: str) -> None:
    no_password = person(unique, "val", auth="manual")
    weak = person(unique, "wes", auth="manual", password="abc")
    strong = person(unique, "xia", auth="manual", password="Elea-2026-ok!", force_password_change=True)
    generated = person(unique, "yan", auth="manual", createpassword=True)
    # WHEN created together
    result = ws.create_users([no_password, weak, strong, generated])
    # THEN no password is invalidparameter, a weak one answers the policy's HTML (never kept as a code)
    assert sorted(result.created) == [f"{unique}.xia", f"{unique}.yan"]
    assert result.rejected[f"{unique}.val"].code == "moodle_invalid_parameter"
    assert result.rejected[f"{unique}.wes"].code == "moodle_password_refused"
    assert result.rejected[f"{unique}.wes"].moodle_errorcode is None
    assert "<div>" not in result.rejected[f"{unique}.wes"].message


def test_uppercase_usernames_are_lowercased_on_creation(ws: MoodleWebService, unique: str) -> None:
    result = ws.create_users([person(unique, "Zoe")])
    assert list(result.created) == [f"{unique}.zoe"]


# --- updating users ----------------------------------------------------------------------------------------


def test_update_users_warns_per_user_and_applies_the_rest(ws: MoodleWebService, unique: str) -> None:
    # GIVEN two accounts
    ids = created(ws, person(unique, "abe"), person(unique, "bob"))
    abe, bob = ids[f"{unique}.abe"], ids[f"{unique}.bob"]
    # WHEN one batch renames abe, suspends bob, touches an unknown id and renames bob onto abe's new name
    warnings = ws.update_users(
        [
            MoodleUserUpdate(id=abe, lastname="Changed", username=f"{unique}.ABE2"),
            MoodleUserUpdate(id=999_999_999, lastname="X"),
            MoodleUserUpdate(id=bob, suspended=True),
            MoodleUserUpdate(id=bob, username=f"{unique}.abe2"),
        ]
    )
    # THEN each failure is a warning on its own id, and the rest is applied
    assert sorted((w.itemid, w.warningcode) for w in warnings) == sorted(
        [(999_999_999, "invaliduserid"), (bob, "dmlwriteexception")]
    )
    users = {u.id: u for u in ws.users_by_field("id", [abe, bob])}
    assert (users[abe].username, users[abe].lastname) == (f"{unique}.abe2", "Changed")
    assert (users[bob].username, users[bob].suspended) == (f"{unique}.bob", True)


def test_update_users_never_touches_the_guest_account(ws: MoodleWebService) -> None:
    (guest,) = ws.users_by_field("username", ["guest"])
    warnings = ws.update_users([MoodleUserUpdate(id=guest.id, suspended=True)])
    assert [(w.itemid, w.warningcode) for w in warnings] == [(guest.id, "usernotupdatedguest")]
    assert ws.users_by_field("id", [guest.id])[0].suspended is False


def test_update_users_warns_on_an_invalid_or_taken_email(ws: MoodleWebService, unique: str) -> None:
    ids = created(ws, person(unique, "cal"), person(unique, "dee"))
    cal, dee = ids[f"{unique}.cal"], ids[f"{unique}.dee"]
    warnings = ws.update_users(
        [
            MoodleUserUpdate(id=cal, email="not an address"),
            MoodleUserUpdate(id=dee, email=f"{unique}.cal@example.invalid"),
        ]
    )
    assert sorted((w.itemid, w.warningcode) for w in warnings) == sorted(
        [(cal, "useremailinvalid"), (dee, "useremailduplicate")]
    )


# --- cohorts -----------------------------------------------------------------------------------------------


def test_cohorts_are_created_found_and_an_existing_idnumber_fails_the_call(ws: MoodleWebService, unique: str) -> None:
    # WHEN two cohorts are created in the system context
    made = ws.create_cohorts(
        [NewMoodleCohort(idnumber=f"{unique}$6A", name="6A"), NewMoodleCohort(idnumber=f"{unique}$6B", name="6B")]
    )
    assert [c.idnumber for c in made] == [f"{unique}$6A", f"{unique}$6B"]
    # THEN a search finds them by idnumber, and get_cohorts by id omits unknown ids
    assert sorted(c.idnumber for c in ws.search_cohorts(unique)) == [f"{unique}$6A", f"{unique}$6B"]
    by_id = ws.cohorts_by_id([made[0].id, 999_999_999])
    assert [(c.id, c.name, c.visible) for c in by_id] == [(made[0].id, "6A", True)]
    # AND creating one of them again fails the whole call, creating nothing
    again = [
        NewMoodleCohort(idnumber=f"{unique}$6C", name="6C").to_params(),
        NewMoodleCohort(idnumber=f"{unique}$6A", name="6A bis").to_params(),
    ]
    assert error_of(ws, "core_cohort_create_cohorts", {"cohorts": again}).code == "moodle_invalid_parameter"
    assert [c.idnumber for c in ws.search_cohorts(f"{unique}$6C")] == []


def test_creating_existing_cohorts_again_finds_them(ws: MoodleWebService, unique: str) -> None:
    # GIVEN a cohort created once (a retried chunk sends it again, with a new one)
    (first,) = ws.create_cohorts([NewMoodleCohort(idnumber=f"{unique}$1A", name="1A")])
    # WHEN both are created
    made = ws.create_cohorts(
        [NewMoodleCohort(idnumber=f"{unique}$1A", name="1A"), NewMoodleCohort(idnumber=f"{unique}$1B", name="1B")]
    )
    # THEN the existing one is found (same id), the new one created, and there is no duplicate
    assert sorted((c.idnumber, c.id == first.id) for c in made) == [(f"{unique}$1A", True), (f"{unique}$1B", False)]
    assert sorted(c.idnumber for c in ws.search_cohorts(unique)) == [f"{unique}$1A", f"{unique}$1B"]


def test_lookup_by_email(ws: MoodleWebService, unique: str) -> None:
    ids = created(ws, person(unique, "kai"))
    found = ws.users_by_field("email", [f"{unique}.kai@example.invalid", f"{unique}.nobody@example.invalid"])
    assert [u.id for u in found] == list(ids.values())


def test_the_lookup_by_email_is_case_sensitive_unlike_the_check_at_creation(ws: MoodleWebService, unique: str) -> None:
    # GIVEN an account whose address has capitals
    created(ws, person(unique, "lou", email=f"{unique}.Lou@Example.invalid"))
    # WHEN it is looked up in lower case THEN nobody is found (the creation check would refuse that address)
    assert ws.users_by_field("email", [f"{unique}.lou@example.invalid"]) == []


def test_add_members_adds_what_it_can_and_warns_for_the_rest(ws: MoodleWebService, unique: str) -> None:
    # GIVEN a cohort and two accounts
    ids = created(ws, person(unique, "eli"), person(unique, "fox"))
    (cohort,) = ws.create_cohorts([NewMoodleCohort(idnumber=f"{unique}$5A", name="5A")])
    # WHEN adding: a new member (uppercase given), the same again, an unknown cohort, an unknown user
    warnings = ws.add_cohort_members(
        [
            (f"{unique}$5A", f"{unique}.ELI"),
            (f"{unique}$5A", f"{unique}.eli"),
            (f"{unique}$NOPE", f"{unique}.fox"),
            (f"{unique}$5A", f"{unique}.nobody"),
            (f"{unique}$5A", f"{unique}.fox"),
        ]
    )
    # THEN soft warnings, code 3 for already a member and 2 for unknown, and the rest is added
    assert [w.warningcode for w in warnings] == ["3", "2", "2"]
    assert ws.cohort_members([cohort.id]) == {cohort.id: frozenset(ids.values())}


def test_a_member_added_under_its_old_username_stays_a_member_once_renamed(ws: MoodleWebService, unique: str) -> None:
    # GIVEN an account and a cohort (a Users chunk adds a class under the username the account holds, its
    # rename being left to the release)
    ids = created(ws, person(unique, "gus"))
    (cohort,) = ws.create_cohorts([NewMoodleCohort(idnumber=f"{unique}$4C", name="4C")])
    assert ws.add_cohort_members([(f"{unique}$4C", f"{unique}.gus")]) == []
    # WHEN the account is renamed afterwards
    assert ws.update_users([MoodleUserUpdate(id=ids[f"{unique}.gus"], username=f"{unique}.gus2")]) == []
    # THEN the membership is the account's, under its new username
    assert ws.cohort_members([cohort.id]) == {cohort.id: frozenset({ids[f"{unique}.gus"]})}
    [renamed] = ws.users_by_field("id", [ids[f"{unique}.gus"]])
    assert renamed.username == f"{unique}.gus2"


def test_delete_members_fails_whole_call_on_an_unknown_user_and_the_client_drops_it(
    ws: MoodleWebService, unique: str
) -> None:
    # GIVEN a cohort with two members
    ids = created(ws, person(unique, "gil"), person(unique, "hana"))
    (cohort,) = ws.create_cohorts([NewMoodleCohort(idnumber=f"{unique}$4A", name="4A")])
    ws.add_cohort_members([(f"{unique}$4A", f"{unique}.gil"), (f"{unique}$4A", f"{unique}.hana")])
    gil, hana = ids[f"{unique}.gil"], ids[f"{unique}.hana"]
    # WHEN a raw call removes gil and an unknown user id, THEN it fails and gil stays (rolled back)
    raw = {"members": [{"cohortid": cohort.id, "userid": gil}, {"cohortid": cohort.id, "userid": 999_999_999}]}
    assert error_of(ws, "core_cohort_delete_cohort_members", raw).code == "moodle_unknown_user"
    assert ws.cohort_members([cohort.id])[cohort.id] == {gil, hana}
    # AND an unknown cohort id fails it too
    unknown_cohort = {"members": [{"cohortid": 999_999_999, "userid": gil}]}
    assert error_of(ws, "core_cohort_delete_cohort_members", unknown_cohort).code == "moodle_unknown_record"
    # WHEN the client removes gil, a non-member (answer null) and the unknown id
    admin_like = ws.site_info().userid
    ws.delete_cohort_members([(cohort.id, gil), (cohort.id, admin_like), (cohort.id, 999_999_999)])
    # THEN gil is out, hana stays
    assert ws.cohort_members([cohort.id])[cohort.id] == {hana}


def test_cohort_members_of_an_unknown_cohort_fails_the_call_and_the_client_drops_it(
    ws: MoodleWebService, unique: str
) -> None:
    (cohort,) = ws.create_cohorts([NewMoodleCohort(idnumber=f"{unique}$3A", name="3A")])
    error = error_of(ws, "core_cohort_get_cohort_members", {"cohortids": [cohort.id, 999_999_999]})
    assert error.code == "moodle_unknown_record"
    assert ws.cohort_members([cohort.id, 999_999_999]) == {cohort.id: frozenset()}


# --- max_input_vars ----------------------------------------------------------------------------------------


def test_a_post_past_max_input_vars_is_silently_cut_and_the_client_batches(ws: MoodleWebService, unique: str) -> None:
    me = ws.site_info().username

    def lookup_with_me_as_variable(position: int) -> list[str]:
        # wstoken, wsfunction, moodlewsrestformat, field, then one variable per value: `me` comes last
        fillers = [f"{unique}.n{i}" for i in range(position - FIXED_VARS - 2)]
        found = ws.call("core_user_get_users_by_field", {"field": "username", "values": [*fillers, me]})
        return [u["username"] for u in found]

    # GIVEN max_input_vars = 5000: PHP registers a variable before counting it, so the 5001st is still read
    assert lookup_with_me_as_variable(MAX_INPUT_VARS) == [me]
    assert lookup_with_me_as_variable(MAX_INPUT_VARS + 1) == [me]
    # WHEN it is the 5002nd, THEN PHP drops it without a word: Moodle answers as if it had not been asked
    assert lookup_with_me_as_variable(MAX_INPUT_VARS + 2) == []
    # AND the client's own lookup of those values, batched under the limit, finds it
    values = [*(f"{unique}.n{i}" for i in range(MAX_INPUT_VARS)), me]
    assert [u.username for u in ws.users_by_field("username", values)] == [me]


# --- a token without the view capabilities -----------------------------------------------------------------


def test_without_view_capabilities_lookups_answer_nothing_silently(
    ws: MoodleWebService, nocap_ws: MoodleWebService, unique: str
) -> None:
    # GIVEN an account that exists
    created(ws, person(unique, "ian"))
    # WHEN a token lacking the view capabilities looks it up, THEN Moodle answers [] without any error
    assert nocap_ws.users_by_field("username", [f"{unique}.ian"]) == []
    # BUT it still sees its own account
    me = nocap_ws.site_info().username
    assert [u.username for u in nocap_ws.users_by_field("username", [me])] == [me]


def test_without_capabilities_writes_are_nopermissions(
    ws: MoodleWebService, nocap_ws: MoodleWebService, unique: str
) -> None:
    # GIVEN a cohort (Moodle checks the capability per cohort it answers)
    ws.create_cohorts([NewMoodleCohort(idnumber=f"{unique}$2A", name="2A")])
    with pytest.raises(MoodleCallError) as caught:
        nocap_ws.create_users([person(unique, "jade")])
    assert caught.value.code == "moodle_missing_capability"
    error = error_of(nocap_ws, "core_cohort_get_cohorts", {})
    assert (error.code, error.moodle_errorcode) == ("moodle_missing_capability", "nopermissions")
    # AND adding a member: the unknown and already-there ones are only warned about, a real addition refused
    created(ws, person(unique, "kit"))
    with pytest.raises(MoodleCallError) as adding:
        nocap_ws.add_cohort_members([(f"{unique}$NOPE", f"{unique}.kit"), (f"{unique}$2A", f"{unique}.kit")])
    assert adding.value.code == "moodle_missing_capability"
    assert nocap_ws.add_cohort_members([(f"{unique}$NOPE", f"{unique}.kit")])[0].warningcode == "2"


def test_the_token_check_names_what_a_token_lacks(nocap_ws: MoodleWebService) -> None:
    result = check_token(nocap_ws)
    assert not result.ok
    assert {
        "moodle/user:viewdetails",
        "moodle/user:viewalldetails",
        "moodle/user:create",
        "moodle/user:update",
        "moodle/cohort:manage",
        "moodle/cohort:view",
    } <= set(result.missing)


def test_the_token_check_passes_for_the_integration_account(ws: MoodleWebService) -> None:
    result = check_token(ws)
    assert result.ok, [p.message for p in result.problems]
