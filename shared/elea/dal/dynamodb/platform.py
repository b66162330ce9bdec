"""The Platform port on one DynamoDB table (key design in `platform_table`).

Cost per call of the port: `accounts`/`cohorts` one strongly consistent Query page per MB of the school's
items; `find_accounts` one Query page on the username index plus one BatchGetItem per 100 accounts found;
`write_accounts` that lookup for creations, then one TransactWriteItems per 50 accounts (an account item and
the school's link item each, written together); `release_accounts` one BatchWriteItem per 25 links, one index Query per
released account (its other schools) and one BatchGetItem per 100 to suspend the others; `create_cohorts`
one Query plus one BatchWriteItem per 25 new cohorts. Before its first lookup, an instance checks once that
the platform's username keys are in today's folded form (`username_keys`: one GetItem when they are).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from elea.dal.aws_clients import dynamodb_client
from elea.dal.dynamodb.account_ids import new_account_id
from elea.dal.dynamodb.batch import Backoff, Item, batch_delete, batch_get, batch_put, query_all, transact_put
from elea.dal.dynamodb.platform_table import (
    ACCOUNT_PREFIX,
    ACCOUNT_SORT_KEY,
    COHORT_PREFIX,
    PARTITION_KEY,
    SORT_KEY,
    USERNAME_INDEX,
    USERNAME_INDEX_PARTITION_KEY,
    USERNAME_INDEX_SORT_KEY,
    account_partition,
    schools_partition,
    uai_partition,
    usernames_partition,
)
from elea.dal.dynamodb.username_keys import ensure_username_keys
from elea.domain.identity import identity_key
from elea.errors import PlatformError, UaiMismatch
from elea.logic.cohorts import is_import_cohort
from elea.ports.platform import (
    Account,
    AccountChange,
    AccountOrigin,
    AccountRejection,
    AccountStatus,
    Cohort,
    Release,
)

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

MESSAGE_TAKEN = "Identifiant déjà utilisé par un autre compte de la plateforme : compte non créé."


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
        self._username_keys_checked = False

    # --- accounts ---------------------------------------------------------------------------------
    def accounts(self, uai: str) -> list[Account]:
        return [_account_from_item(item) for item in self._query_uai(uai, ACCOUNT_PREFIX)]

    def find_accounts(self, usernames: Sequence[str]) -> list[Account]:
        # Compared by identity key (case, accents, full-width forms folded), as Moodle's collation does.
        wanted = {identity_key(username) for username in usernames}
        if not wanted:
            return []
        if not self._username_keys_checked:
            # Keys written before the identity folding would never be found: moved once per platform.
            ensure_username_keys(self._client, self._table, self._platform, self._backoff)
            self._username_keys_checked = True
        # One range Query between the smallest and the largest username, instead of one read per name.
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
            **self._limit(),
        }
        keys = [
            {PARTITION_KEY: item[PARTITION_KEY], SORT_KEY: item[SORT_KEY]}
            for item in query_all(self._client, **query)
            if item[USERNAME_INDEX_SORT_KEY]["S"] in wanted
        ]
        found = batch_get(self._client, self._table, keys, self._backoff) if keys else []
        return sorted((_account_from_item(item) for item in found), key=lambda account: account.username)

    def write_accounts(
        self,
        uai: str,
        changes: Sequence[AccountChange],
        *,
        looked_up: bool = False,
        known_cohorts: Sequence[Cohort] | None = None,
        finish_at_release: bool = False,
    ) -> list[AccountRejection]:
        # Every change is written here, `finish_at_release` or not: DynamoDB pays per item, not per call.
        creations = [change.after.username for change in changes if change.before is None]
        holders = {identity_key(account.username): account for account in self.find_accounts(creations)}
        rejections: list[AccountRejection] = []
        pairs: dict[str, list[Item]] = {}
        for change in changes:
            account = change.after
            if change.before is None:
                holder = holders.get(identity_key(account.username))
                if holder is not None and holder.ent_id != account.ent_id:
                    rejections.append(
                        AccountRejection(username=account.username, code="username_taken", message=MESSAGE_TAKEN)
                    )
                    continue
                # The holder with the same Id is this person's (a crashed attempt's creation): updated.
                account_id = holder.account_id if holder is not None else None
                account = account.model_copy(
                    update={"account_id": account_id or new_account_id(account.ent_id, account.username)}
                )
            # A transaction refuses two actions on one item: the last state of an account wins.
            pairs[str(account.account_id)] = [self._account_item(account), self._link_item(uai, account)]
        # The account and the school's link together or not at all, 50 accounts per TransactWriteItems.
        transact_put(self._client, self._table, list(pairs.values()), self._backoff)
        return rejections

    def release_accounts(
        self,
        uai: str,
        accounts: Sequence[Account],
        *,
        known_cohorts: Sequence[Cohort] | None = None,
        pending: Sequence[AccountChange] = (),
    ) -> Release:
        # `pending` changes were written whole by `write_accounts`: nothing is left to do for them.
        ids = sorted({account.account_id for account in accounts if account.account_id is not None})
        if not ids:
            return Release()
        links = [
            {PARTITION_KEY: {"S": uai_partition(self._platform, uai)}, SORT_KEY: {"S": ACCOUNT_PREFIX + account_id}}
            for account_id in ids
        ]
        # The school's link goes first, with its memberships: another school then sees it released.
        batch_delete(self._client, self._table, links, self._backoff)
        alone = [account_id for account_id in ids if not self._other_schools(account_id, uai)]
        current = batch_get(self._client, self._table, [self._account_key(i) for i in alone], self._backoff)
        suspended = [
            account.model_copy(update={"status": AccountStatus.SUSPENDED})
            for account in (_account_from_item(item) for item in current)
            if account.status is not AccountStatus.SUSPENDED and not account.is_flagged
        ]
        batch_put(self._client, self._table, [self._account_item(account) for account in suspended], self._backoff)
        return Release(suspended=sorted(suspended, key=lambda account: account.account_id or ""))

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

    # --- the school -------------------------------------------------------------------------------
    def school(self, uai: str, expected: Sequence[Account] = ()) -> tuple[list[Cohort], list[Account]]:
        # Cohorts and accounts' links share the school's partition: one Query reads both (reads here are
        # per item, not per account read: `expected` is not needed).
        cohorts: list[Cohort] = []
        accounts: list[Account] = []
        for item in self._query_uai(uai, None):
            sort_key = item[SORT_KEY]["S"]
            if sort_key.startswith(COHORT_PREFIX):
                cohorts.append(_cohort_from_item(item))
            elif sort_key.startswith(ACCOUNT_PREFIX):
                accounts.append(_account_from_item(item))
        return cohorts, accounts

    # --- items ------------------------------------------------------------------------------------
    def _query_uai(self, uai: str, prefix: str | None) -> Iterable[Item]:
        """The school partition's items under `prefix`, or all of them (strongly consistent)."""
        condition = "#p = :p"
        names = {"#p": PARTITION_KEY}
        values: dict[str, Any] = {":p": {"S": uai_partition(self._platform, uai)}}
        if prefix is not None:
            condition += " AND begins_with(#s, :prefix)"
            names["#s"] = SORT_KEY
            values[":prefix"] = {"S": prefix}
        return query_all(
            self._client,
            TableName=self._table,
            KeyConditionExpression=condition,
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=values,
            ConsistentRead=True,
            **self._limit(),
        )

    def _other_schools(self, account_id: str, uai: str) -> set[str]:
        query = {
            "TableName": self._table,
            "IndexName": USERNAME_INDEX,
            "KeyConditionExpression": "#p = :p",
            "ExpressionAttributeNames": {"#p": USERNAME_INDEX_PARTITION_KEY},
            "ExpressionAttributeValues": {":p": {"S": schools_partition(self._platform, account_id)}},
            **self._limit(),
        }
        # The index lags a little behind: this school's own link, just deleted, may still show.
        return {item[USERNAME_INDEX_SORT_KEY]["S"] for item in query_all(self._client, **query)} - {uai}

    def _limit(self) -> dict[str, Any]:
        return {} if self._page_size is None else {"Limit": self._page_size}

    def _account_key(self, account_id: str) -> Item:
        return {
            PARTITION_KEY: {"S": account_partition(self._platform, account_id)},
            SORT_KEY: {"S": ACCOUNT_SORT_KEY},
        }

    def _account_item(self, account: Account) -> Item:
        """The person's one account item: shared fields, the username in the index, no memberships."""
        account_id = str(account.account_id)
        return {
            **self._account_key(account_id),
            USERNAME_INDEX_PARTITION_KEY: {"S": usernames_partition(self._platform)},
            USERNAME_INDEX_SORT_KEY: {"S": identity_key(account.username)},
            **_fields(account.model_copy(update={"cohorts": frozenset()})),
        }

    def _link_item(self, uai: str, account: Account) -> Item:
        """The school's link: a copy of the fields (one Query reads a school) and its own memberships only."""
        account_id = str(account.account_id)
        mine = frozenset(idnumber for idnumber in account.cohorts if is_import_cohort(uai, idnumber))
        return {
            PARTITION_KEY: {"S": uai_partition(self._platform, uai)},
            SORT_KEY: {"S": ACCOUNT_PREFIX + account_id},
            USERNAME_INDEX_PARTITION_KEY: {"S": schools_partition(self._platform, account_id)},
            USERNAME_INDEX_SORT_KEY: {"S": uai},
            **_fields(account.model_copy(update={"cohorts": mine})),
        }

    def _cohort_item(self, cohort: Cohort) -> Item:
        return {
            PARTITION_KEY: {"S": uai_partition(self._platform, cohort.uai)},
            SORT_KEY: {"S": COHORT_PREFIX + cohort.idnumber},
            "idnumber": {"S": cohort.idnumber},
            "name": {"S": cohort.name},
            "uai": {"S": cohort.uai},
        }


def _fields(account: Account) -> Item:
    item: Item = {
        "username": {"S": account.username},
        "account_id": {"S": str(account.account_id)},
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


def _text(item: Item, name: str) -> str | None:
    value = item.get(name)
    return None if value is None else str(value["S"])


def _account_from_item(item: Item) -> Account:
    try:
        return Account(
            account_id=item["account_id"]["S"],
            username=item["username"]["S"],
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
