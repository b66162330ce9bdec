"""Moodle's error answers become stable codes and French messages that never carry Moodle's own text."""

from __future__ import annotations

import pytest

from elea.dal.moodle.errors import call_error


@pytest.mark.parametrize(
    ("exception", "errorcode", "code"),
    [
        ("core\\exception\\moodle_exception", "invalidtoken", "moodle_invalid_token"),
        ("webservice_access_exception", "accessexception", "moodle_function_missing"),
        ("core\\exception\\required_capability_exception", "nopermissions", "moodle_missing_capability"),
        ("core\\exception\\invalid_parameter_exception", "invalidparameter", "moodle_invalid_parameter"),
        ("dml_missing_record_exception", "invaliduser", "moodle_unknown_user"),
        ("dml_missing_record_exception", "invalidrecord", "moodle_unknown_record"),
        ("core\\exception\\moodle_exception", "somethingnew", "moodle_call_failed"),
    ],
)
def test_moodle_errorcodes_map_to_stable_codes(exception: str, errorcode: str, code: str) -> None:
    error = call_error(exception, errorcode, "core_user_create_users")
    assert error.code == code
    assert error.moodle_errorcode == errorcode
    assert "core_user_create_users" in error.message
    assert error.hint


def test_a_password_policy_answer_is_not_kept_as_a_code() -> None:
    # GIVEN Moodle's answer to a weak password: the policy's HTML as errorcode
    html = "<div>Passwords must be at least 8 characters long.</div>"
    error = call_error("core\\exception\\moodle_exception", html, "core_user_create_users")
    assert error.code == "moodle_password_refused"
    assert error.moodle_errorcode is None
    assert "<div>" not in error.message
