"""The local endpoint's check of a presigned POST, as S3 does it: signature, expiry, every condition."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import boto3
import pytest

from elea_local.post_policy import PostRefused, check_post

BUCKET = "elea-local-importbucket"
KEY = "imports/0771234Y/export.csv"
SECRET = "local-secret"


def _form(max_bytes: int = 100) -> dict[str, str]:
    client = boto3.client("s3", region_name="eu-west-3", aws_access_key_id="local", aws_secret_access_key=SECRET)
    post = client.generate_presigned_post(
        BUCKET,
        KEY,
        Fields={"x-amz-meta-uai": "0771234Y"},
        Conditions=[
            {"bucket": BUCKET},
            {"key": KEY},
            ["content-length-range", 1, max_bytes],
            {"x-amz-meta-uai": "0771234Y"},
        ],
        ExpiresIn=600,
    )
    return {name: str(value) for name, value in post["fields"].items()}


def test_the_signed_form_is_accepted() -> None:
    assert check_post(BUCKET, _form(), 10, secret=SECRET).key == KEY


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"key": "imports/0751234J/export.csv"}, "AccessDenied"),
        ({"x-amz-meta-uai": "0751234J"}, "AccessDenied"),
        ({"x-amz-meta-extra": "1"}, "AccessDenied"),
        ({"x-amz-signature": "0" * 64}, "SignatureDoesNotMatch"),
    ],
)
def test_a_changed_field_is_refused(change: dict[str, str], code: str) -> None:
    with pytest.raises(PostRefused) as refused:
        check_post(BUCKET, {**_form(), **change}, 10, secret=SECRET)
    assert refused.value.code == code
    assert refused.value.status == 403


def test_a_policy_signed_with_another_secret_is_refused() -> None:
    with pytest.raises(PostRefused) as refused:
        check_post(BUCKET, _form(), 10, secret="another")
    assert refused.value.code == "SignatureDoesNotMatch"


def test_a_rewritten_policy_is_refused_even_with_a_wider_range() -> None:
    form = _form()
    policy = json.loads(base64.b64decode(form["policy"]))
    policy["conditions"] = [c for c in policy["conditions"] if not (isinstance(c, dict) and "key" in c)]
    form["policy"] = base64.b64encode(json.dumps(policy).encode()).decode()
    with pytest.raises(PostRefused) as refused:
        check_post(BUCKET, form, 10, secret=SECRET)
    assert refused.value.code == "SignatureDoesNotMatch"


@pytest.mark.parametrize(("size", "code"), [(0, "EntityTooSmall"), (101, "EntityTooLarge")])
def test_sizes_outside_the_range_are_refused(size: int, code: str) -> None:
    with pytest.raises(PostRefused) as refused:
        check_post(BUCKET, _form(100), size, secret=SECRET)
    assert refused.value.code == code
    assert refused.value.status == 400


def test_an_expired_form_is_refused() -> None:
    with pytest.raises(PostRefused) as refused:
        check_post(BUCKET, _form(), 10, secret=SECRET, now=datetime.now(UTC) + timedelta(hours=1))
    assert refused.value.code == "AccessDenied"


def test_another_bucket_is_refused() -> None:
    with pytest.raises(PostRefused):
        check_post("another-bucket", _form(), 10, secret=SECRET)
