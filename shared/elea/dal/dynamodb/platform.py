"""The Platform port on one DynamoDB table (key design in `dynamodb_platform_table`).

Cost per call of the port: `accounts`/`cohorts` one strongly consistent Query page per MB of the UAI's
items; `taken_usernames` one Query page on the username index; `write_accounts` one BatchWriteItem per
25 accounts (renames included: the item key is the account id, not the username); `create_cohorts`
one Query plus one BatchWriteItem per 25 new cohorts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from elea.dal.aws_clients import dynamodb_client
from elea.dal.dynamodb.account_ids import new_account_id
from elea.dal.dynamodb.batch import Backoff, Item, batch_put, query_all
from elea.dal.dynamodb.platform_table import (
    ACCOUNT_PREFIX,
    COHORT_PREFIX,
    PARTITION_KEY,
    SORT_KEY,
    USERNAME_INDEX,
    USERNAME_INDEX_PARTITION_KEY,
    USERNAME_INDEX_SORT_KEY,
    uai_partition,
    usernames_partition,
)
from elea.domain.identity import identity_key
from elea.errors import PlatformError, UaiMismatch
from elea.ports.platform import Account, AccountOrigin, AccountStatus, Cohort

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient


class DynamoDbPlatform:
    def __init__(
        self,
        table_name: str,
        platform_id: str,
        client: DynamoDBClient | None = None,
        *,
        backoff: Backoff | None = None,
        page_size: int | None = None,
    ) -> None:
        self._table = table_name
        self._platform = platform_id
        self._client = client if client is not None else dynamodb_client()
        self._backoff = backoff or Backoff()
        # Only tests set it, to exercise pagination without a megabyte of items.
        self._page_size = page_size

    # --- accounts ---------------------------------------------------------------------------------
    def accounts(self, uai: str) -> list[Account]:
        return [_account_from_item(item) for item in self._query_uai(uai, ACCOUNT_PREFIX)]

    def write_accounts(self, uai: str, accounts: Sequence[Account]) -> None:
        _check_uai(uai, (account.uai for account in accounts))
        # BatchWriteItem refuses two requests for one key: the last state of an account wins.
        items = {item[SORT_KEY]["S"]: item for item in (self._account_item(account) for account in accounts)}
        batch_put(self._client, self._table, list(items.values()), self._backoff)

    def taken_usernames(self, candidates: Sequence[str]) -> set[str]:
        # Compared by identity key (case, accents, full-width forms folded), as Moodle's collation does.
        wanted = {identity_key(candidate) for candidate in candidates}
        if not wanted:
            return set()
        # One range Query between the smallest and the largest candidate, instead of one read per name.
        query = {
            "TableName": self._table,
            "IndexName": USERNAME_INDEX,
            "KeyConditionExpression": "#p = :p AND #u BETWEEN :first AND :last",
            "ExpressionAttributeNames": {"#p": USERNAME_INDEX_PARTITION_KEY, "#u": USERNAME_INDEX_SORT_KEY},
            "ExpressionAttributeValues": {
                ":p": {"S": usernames_partition(self._platform)},
                ":first": {"S": min(wanted)},
                ":last": {"S": max(wanted)},
            },
            "ProjectionExpression": "#u",
            **self._limit(),
        }
        existing = {item[USERNAME_INDEX_SORT_KEY]["S"] for item in query_all(self._client, **query)}
        return {candidate for candidate in candidates if identity_key(candidate) in existing}

    # --- cohorts ----------------------------------------------------------------------------------
    def cohorts(self, uai: str) -> list[Cohort]:
        return [_cohort_from_item(item) for item in self._query_uai(uai, COHORT_PREFIX)]

    def create_cohorts(self, uai: str, cohorts: Sequence[Cohort]) -> None:
        _check_uai(uai, (cohort.uai for cohort in cohorts))
        if not cohorts:
            return
        # BatchWriteItem cannot be conditional: read which exist so an existing cohort is kept as it is.
        existing = {cohort.idnumber for cohort in self.cohorts(uai)}
        new = {cohort.idnumber: cohort for cohort in cohorts if cohort.idnumber not in existing}
        batch_put(self._client, self._table, [self._cohort_item(cohort) for cohort in new.values()], self._backoff)

    # --- items ------------------------------------------------------------------------------------
    def _query_uai(self, uai: str, prefix: str) -> Iterable[Item]:
        return query_all(
            self._client,
            TableName=self._table,
            KeyConditionExpression="#p = :p AND begins_with(#s, :prefix)",
            ExpressionAttributeNames={"#p": PARTITION_KEY, "#s": SORT_KEY},
            ExpressionAttributeValues={":p": {"S": uai_partition(self._platform, uai)}, ":prefix": {"S": prefix}},
            ConsistentRead=True,
            **self._limit(),
        )

    def _limit(self) -> dict[str, Any]:
        return {} if self._page_size is None else {"Limit": self._page_size}

    def _account_item(self, account: Account) -> Item:
        account_id = account.account_id or new_account_id(account.uai, account.ent_id, account.username)
        item: Item = {
            PARTITION_KEY: {"S": uai_partition(self._platform, account.uai)},
            SORT_KEY: {"S": ACCOUNT_PREFIX + account_id},
            USERNAME_INDEX_PARTITION_KEY: {"S": usernames_partition(self._platform)},
            USERNAME_INDEX_SORT_KEY: {"S": identity_key(account.username)},
            "username": {"S": account.username},
            "account_id": {"S": account_id},
            "uai": {"S": account.uai},
            "last_name": {"S": account.last_name},
            "first_name": {"S": account.first_name},
            # Sorted so the same account always makes the same item.
            "cohorts": {"L": [{"S": idnumber} for idnumber in sorted(account.cohorts)]},
            "status": {"S": account.status.value},
            "origin": {"S": account.origin.value},
            "protected": {"BOOL": account.protected},
        }
        optional = {"ent_id": account.ent_id, "profile": account.profile, "email": account.email}
        item.update({name: {"S": str(value)} for name, value in optional.items() if value is not None})
        return item

    def _cohort_item(self, cohort: Cohort) -> Item:
        return {
            PARTITION_KEY: {"S": uai_partition(self._platform, cohort.uai)},
            SORT_KEY: {"S": COHORT_PREFIX + cohort.idnumber},
            "idnumber": {"S": cohort.idnumber},
            "name": {"S": cohort.name},
            "uai": {"S": cohort.uai},
        }


def _text(item: Item, name: str) -> str | None:
    value = item.get(name)
    return None if value is None else str(value["S"])


def _account_from_item(item: Item) -> Account:
    try:
        return Account(
            account_id=item["account_id"]["S"],
            username=item["username"]["S"],
            uai=item["uai"]["S"],
            ent_id=_text(item, "ent_id"),
            last_name=item["last_name"]["S"],
            first_name=item["first_name"]["S"],
            profile=_text(item, "profile"),
            cohorts=frozenset(value["S"] for value in item.get("cohorts", {}).get("L", [])),
            status=AccountStatus(item["status"]["S"]),
            origin=AccountOrigin(item["origin"]["S"]),
            protected=item.get("protected", {}).get("BOOL", False),
            email=_text(item, "email"),
        )
    except (KeyError, ValueError) as error:
        # Never echo the item: it holds a person's name.
        raise PlatformError(
            "Un compte enregistré sur la plateforme est illisible : import interrompu, signalez-le.",
            code="corrupt_account",
        ) from error


def _cohort_from_item(item: Item) -> Cohort:
    return Cohort(idnumber=item["idnumber"]["S"], name=item["name"]["S"], uai=item["uai"]["S"])


def _check_uai(uai: str, owners: Iterable[str]) -> None:
    if any(owner != uai for owner in owners):
        raise UaiMismatch("Écriture refusée : un compte ou une cohorte d'un autre établissement.")
