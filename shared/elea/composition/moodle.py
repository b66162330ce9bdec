"""A school's Moodle as a Platform: MoodlePlatform over MoodleWebService, built once per process per platform.

The token is the platform's own secret in Secrets Manager (`{MoodleTokenSecretPrefix}{platform id}`), read
once per process, and once again when Moodle answers `invalidtoken` (rotated meanwhile: the call is retried
once with the new one); for a local `--moodle URL` run, ELEA_MOODLE_TOKEN or the file ELEA_MOODLE_TOKEN_FILE. One
pooled HTTP client per platform serves every call (and every Map iteration sharing the process).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from elea.composition.process_cache import process_cached
from elea.config.platform_settings import PlatformTargetSettings
from elea.dal.aws_clients import secretsmanager_client
from elea.dal.dynamodb.moodle_marks import DynamoDbAccountMarks
from elea.dal.dynamodb.moodle_rosters import DynamoDbRosterMirror
from elea.dal.moodle.mapping import MoodleMapping
from elea.dal.moodle.platform import MoodlePlatform
from elea.dal.moodle.token_source import local_token
from elea.dal.moodle.web_service import MoodleWebService
from elea.dal.secrets.moodle_tokens import MoodleTokenSecrets
from elea.ports.platform import Platform

# The client's back-off between attempts. The local runner makes it instant, as it makes the state
# machine's Retry waits instant (elea_local.moto_seam): a local run never sleeps.
_backoff_sleep: Callable[[float], None] = time.sleep


@dataclass(frozen=True)
class MoodleEndpoint:
    platform_id: str
    url: str


def moodle_platform(endpoint: MoodleEndpoint, settings: PlatformTargetSettings) -> Platform:
    mapping = MoodleMapping(
        ent_auth=settings.moodle_ent_auth, email_placeholder_pattern=settings.moodle_email_placeholder
    )
    token_from_secret = None if settings.local_moodle_url is not None else settings.moodle_token_secret_prefix
    # One adapter per entry point (its own settings type): locally every step shares the process, deployed
    # each is its own Lambda; the HTTP client beneath is shared either way.
    return _platform(
        endpoint,
        mapping,
        token_from_secret,
        settings.moodle_parallel_calls,
        settings.moodle_account_check_every,
        settings.platform_table,
        type(settings).__name__,
    )


@process_cached
def _platform(
    endpoint: MoodleEndpoint,
    mapping: MoodleMapping,
    secret_prefix: str | None,
    parallel_calls: int,
    account_check_every: int,
    platform_table: str,
    entry_point: str,
) -> Platform:
    # What each school's roster lists, mirrored in the platform table (a release then reads no roster).
    rosters = DynamoDbRosterMirror(platform_table, endpoint.platform_id)
    # And the fingerprints of their accounts, so an import reads only those it cannot vouch for.
    marks = DynamoDbAccountMarks(platform_table, endpoint.platform_id)
    return MoodlePlatform(
        _web_service(endpoint, secret_prefix, parallel_calls),
        mapping,
        rosters,
        marks,
        checked_every=account_check_every,
    )


@process_cached
def _web_service(endpoint: MoodleEndpoint, secret_prefix: str | None, parallel_calls: int) -> MoodleWebService:
    reread: Callable[[], str]
    if secret_prefix is None:
        token, reread = local_token(), lambda: local_token()
    else:
        token = _secrets(secret_prefix).token(endpoint.platform_id)
        reread = partial(_reread_secret, _secrets(secret_prefix), endpoint.platform_id)
    return MoodleWebService(
        endpoint.url,
        token,
        sleep=lambda seconds: _backoff_sleep(seconds),
        reread_token=reread,
        parallel_calls=parallel_calls,
    )


def _reread_secret(secrets: MoodleTokenSecrets, platform_id: str) -> str:
    """The token was rotated since this process read it: the platform's secret, read again."""
    secrets.forget(platform_id)
    return secrets.token(platform_id)


@process_cached
def _secrets(secret_prefix: str) -> MoodleTokenSecrets:
    return MoodleTokenSecrets(secretsmanager_client(), secret_prefix + "{platform_id}")


def set_backoff_sleep(sleep: Callable[[float], None]) -> Callable[[float], None]:
    """For local tooling: replaces the client's back-off wait; returns the previous one."""
    global _backoff_sleep
    previous, _backoff_sleep = _backoff_sleep, sleep
    return previous
