"""Local-account secrets in their own DynamoDB table (keys `pk`, `sk`); hashes and digests only.

Items:
- `UAI#{uai}` / `MANAGER`: the management account's argon2id hash, status, current token digest,
  login-attempt window;
- `TOKEN#{sha256}` / `TOKEN`: points a token digest to its UAI (activation only knows the token);
  carries a `ttl` so DynamoDB removes expired ones (expiry is still checked in code).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError

from elea.credentials.manager_credential import ManagerCredential, ManagerStatus
from elea.dal.aws_errors import aws_error_code, storage_error
from elea.dal.dynamodb.table import DynamoDbTable
from elea.errors import ConcurrentChange

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.type_defs import AttributeValueTypeDef, TransactWriteItemTypeDef

MANAGER_SK = "MANAGER"
_NO_UAI = "-"  # never a real UAI: the key read when a token is unknown
TOKEN_SK = "TOKEN"  # noqa: S105 - a sort-key name, not a secret


def manager_key(uai: str) -> dict[str, AttributeValueTypeDef]:
    return {"pk": {"S": f"UAI#{uai}"}, "sk": {"S": MANAGER_SK}}


def token_key(digest: str) -> dict[str, AttributeValueTypeDef]:
    return {"pk": {"S": f"TOKEN#{digest}"}, "sk": {"S": TOKEN_SK}}


def _epoch(moment: datetime) -> AttributeValueTypeDef:
    return {"N": str(int(moment.timestamp()))}


def _moment(item: dict[str, Any], name: str) -> datetime | None:
    value = item.get(name)
    return None if value is None else datetime.fromtimestamp(int(value["N"]), UTC)


class DynamoDbCredentialStore(DynamoDbTable):
    def manager(self, uai: str) -> ManagerCredential | None:
        item = self._get(manager_key(uai))
        return None if item is None else _credential(item)

    def manager_by_token(self, token_digest: str) -> ManagerCredential | None:
        pointer = self._get(token_key(token_digest))
        # Two reads whatever the token: an unknown or used one costs what a live or expired one costs.
        credential = self.manager(pointer["uai"]["S"] if pointer is not None else _NO_UAI)
        if pointer is None:
            return None
        return credential if credential is not None and credential.token_digest == token_digest else None

    def save_issued(self, credential: ManagerCredential, *, replaced_token_digest: str | None) -> None:
        item: dict[str, AttributeValueTypeDef] = {
            **manager_key(credential.uai),
            "uai": {"S": credential.uai},
            "password_hash": {"S": credential.password_hash},
            "status": {"S": credential.status.value},
            "issued_at": _epoch(credential.issued_at),
            "login_attempts": {"N": "0"},
        }
        writes: list[TransactWriteItemTypeDef] = [{"Put": {"TableName": self._table, "Item": item}}]
        if credential.token_digest is not None and credential.token_expires_at is not None:
            item["token_digest"] = {"S": credential.token_digest}
            item["token_expires_at"] = _epoch(credential.token_expires_at)
            pointer = {**token_key(credential.token_digest), "uai": {"S": credential.uai}}
            pointer["ttl"] = _epoch(credential.token_expires_at + timedelta(days=1))
            writes.append({"Put": {"TableName": self._table, "Item": pointer}})
        if replaced_token_digest is not None and replaced_token_digest != credential.token_digest:
            writes.append({"Delete": {"TableName": self._table, "Key": token_key(replaced_token_digest)}})
        try:
            self._db.transact_write_items(TransactItems=writes)
        except (ClientError, BotoCoreError) as error:
            raise storage_error(error, operation="enregistrement des identifiants") from error

    def mark_mail_sent(self, uai: str, *, token_digest: str, at: datetime) -> None:
        try:
            self._db.update_item(
                TableName=self._table,
                Key=manager_key(uai),
                UpdateExpression="SET mail_sent_at = :at",
                # A newer issue replaced this token meanwhile: its own e-mail will be marked.
                ConditionExpression="token_digest = :digest",
                ExpressionAttributeValues={":at": _epoch(at), ":digest": {"S": token_digest}},
            )
        except ClientError as error:
            if aws_error_code(error) != "ConditionalCheckFailedException":
                raise storage_error(error, operation="suivi du courriel d'activation") from error
        except BotoCoreError as error:
            raise storage_error(error, operation="suivi du courriel d'activation") from error

    def activate(self, uai: str, *, token_digest: str, password_hash: str, at: datetime) -> bool:
        try:
            self._db.transact_write_items(
                TransactItems=[
                    {
                        "Update": {
                            "TableName": self._table,
                            "Key": manager_key(uai),
                            "UpdateExpression": "SET #status = :active, password_hash = :hash, activated_at = :at "
                            "REMOVE token_digest, token_expires_at",
                            # Single use even under a double click: only the current, pending token wins.
                            "ConditionExpression": "token_digest = :digest AND #status = :pending",
                            "ExpressionAttributeNames": {"#status": "status"},
                            "ExpressionAttributeValues": {
                                ":active": {"S": ManagerStatus.ACTIVE.value},
                                ":pending": {"S": ManagerStatus.PENDING_ACTIVATION.value},
                                ":hash": {"S": password_hash},
                                ":at": _epoch(at),
                                ":digest": {"S": token_digest},
                            },
                        }
                    },
                    {"Delete": {"TableName": self._table, "Key": token_key(token_digest)}},
                ]
            )
        except ClientError as error:
            if aws_error_code(error) == "TransactionCanceledException":
                return False
            raise storage_error(error, operation="activation du compte") from error
        except BotoCoreError as error:
            raise storage_error(error, operation="activation du compte") from error
        return True

    def reserve_login_attempt(self, uai: str, *, at: datetime, window: timedelta, limit: int) -> bool:
        values: dict[str, AttributeValueTypeDef] = {
            ":floor": _epoch(at - window),
            ":limit": {"N": str(limit)},
            ":one": {"N": "1"},
            ":now": _epoch(at),
        }
        # Two conditional updates, no read-modify-write: parallel attempts can never exceed the limit.
        for _ in range(3):
            if self._conditional_update(
                uai,
                update="SET login_attempts = login_attempts + :one",
                condition="attempts_since > :floor AND login_attempts < :limit",
                values=values,
            ):
                return True
            if self._conditional_update(
                uai,
                update="SET login_attempts = :one, attempts_since = :now",
                condition="attribute_exists(pk) AND (attribute_not_exists(attempts_since) OR attempts_since <= :floor)",
                values=values,
            ):
                return True
            current = self.manager(uai)
            if current is None:
                return False
            window_open = current.attempts_since is not None and current.attempts_since > at - window
            if window_open and current.login_attempts >= limit:
                return False
            # Otherwise another request moved the window between our two updates: try again.
        raise ConcurrentChange("Trop de connexions simultanées sur ce compte.", hint="Réessayez dans un instant.")

    def clear_login_attempts(self, uai: str) -> None:
        self._conditional_update(
            uai,
            update="SET login_attempts = :zero REMOVE attempts_since",
            condition="attribute_exists(pk)",
            values={":zero": {"N": "0"}},
        )

    def _conditional_update(
        self, uai: str, *, update: str, condition: str, values: dict[str, AttributeValueTypeDef]
    ) -> bool:
        used = {name: value for name, value in values.items() if name in update or name in condition}
        try:
            self._db.update_item(
                TableName=self._table,
                Key=manager_key(uai),
                UpdateExpression=update,
                ConditionExpression=condition,
                ExpressionAttributeValues=used,
            )
        except ClientError as error:
            if aws_error_code(error) == "ConditionalCheckFailedException":
                return False
            raise storage_error(error, operation="suivi des connexions") from error
        except BotoCoreError as error:
            raise storage_error(error, operation="suivi des connexions") from error
        return True

    def _get(self, key: dict[str, AttributeValueTypeDef]) -> dict[str, Any] | None:
        try:
            answer = self._db.get_item(TableName=self._table, Key=key, ConsistentRead=True)
        except (ClientError, BotoCoreError) as error:
            raise storage_error(error, operation="lecture des identifiants") from error
        return answer.get("Item")


def _credential(item: dict[str, Any]) -> ManagerCredential:
    issued_at = _moment(item, "issued_at")
    assert issued_at is not None  # always written by save_issued
    return ManagerCredential(
        uai=item["uai"]["S"],
        password_hash=item["password_hash"]["S"],
        status=ManagerStatus(item["status"]["S"]),
        token_digest=item["token_digest"]["S"] if "token_digest" in item else None,
        token_expires_at=_moment(item, "token_expires_at"),
        issued_at=issued_at,
        mail_sent_at=_moment(item, "mail_sent_at"),
        activated_at=_moment(item, "activated_at"),
        login_attempts=int(item.get("login_attempts", {"N": "0"})["N"]),
        attempts_since=_moment(item, "attempts_since"),
    )
