"""Key design of the platform table (accounts, their schools, cohorts), shared by the adapter, template.yaml
and tests.

One table, `pk` (S) hash key and `sk` (S) range key, on-demand billing:

| item                  | pk                                    | sk                      |
|-----------------------|---------------------------------------|-------------------------|
| account (one/person)  | `PLATFORM#{platform}#ACCOUNT#{id}`    | `ACCOUNT`               |
| school link           | `PLATFORM#{platform}#UAI#{uai}`       | `ACCOUNT#{account_id}`  |
| cohort                | `PLATFORM#{platform}#UAI#{uai}`       | `COHORT#{idnumber}`     |
| Moodle roster (school)| `PLATFORM#{platform}#MOODLE_ROSTERS`  | `SCHOOL#{uai}`          |
| Moodle census entry   | `PLATFORM#{platform}#MOODLE_ROSTERS`  | `CENSUS#{uai}`          |
| Moodle census, trusted| `PLATFORM#{platform}#MOODLE_ROSTERS`  | `CENSUS`                |
| Moodle account marks  | `PLATFORM#{platform}#MOODLE_MARKS`    | `SCHOOL#{uai}`          |

An account is ONE item whatever the number of schools listing it; each school attached to it has a
link item in its own partition holding its memberships (its cohorts only) and a copy of the account's
fields, so one strongly consistent Query reads a school, and an import for one school never writes
another school's item: two schools sharing a teacher never overwrite each other's memberships.

The sparse, KEYS_ONLY global secondary index `username-index` (`username_pk`, `username_key`) answers
two questions: account items carry `PLATFORM#{platform}#USERNAME` and the username's identity key
(`elea.domain.identity.identity_key`: usernames are unique per platform, compared without case, accents
or full-width forms, as Moodle's collation does); link items carry
`PLATFORM#{platform}#SCHOOLS#{account_id}` and the UAI (which schools are attached to an account,
asked when one school releases it). `username` itself is stored as written. The index is eventually
consistent (typically well under a second): two imports of different schools creating the same new
username within that lag could both get it (neither overwrites the other's item, the account id being
derived from the person's Id), and a school releasing an account at the very moment another attaches it
may suspend it until that other school's next import.

The `MOODLE_ROSTERS` partition is not the embedded platform's: on a Moodle platform it mirrors what each
school's roster cohort lists (`elea.ports.roster_mirror`, adapter `moodle_rosters`), one Query for all.
Nor is `MOODLE_MARKS`: the fingerprints of each school's roster accounts (`elea.ports.account_marks`, adapter
`moodle_marks`), one GetItem a school, in a partition of their own so that the rosters' Query never reads them.
"""

from __future__ import annotations

from typing import Any

PARTITION_KEY = "pk"
SORT_KEY = "sk"
USERNAME_INDEX = "username-index"
USERNAME_INDEX_PARTITION_KEY = "username_pk"
USERNAME_INDEX_SORT_KEY = "username_key"

ACCOUNT_PREFIX = "ACCOUNT#"
COHORT_PREFIX = "COHORT#"


ACCOUNT_SORT_KEY = "ACCOUNT"


def account_partition(platform_id: str, account_id: str) -> str:
    return f"PLATFORM#{platform_id}#ACCOUNT#{account_id}"


def schools_partition(platform_id: str, account_id: str) -> str:
    """The index hash key of an account's school links."""
    return f"PLATFORM#{platform_id}#SCHOOLS#{account_id}"


def uai_partition(platform_id: str, uai: str) -> str:
    return f"PLATFORM#{platform_id}#UAI#{uai}"


def moodle_rosters_partition(platform_id: str) -> str:
    return f"PLATFORM#{platform_id}#MOODLE_ROSTERS"


def moodle_marks_partition(platform_id: str) -> str:
    return f"PLATFORM#{platform_id}#MOODLE_MARKS"


def usernames_partition(platform_id: str) -> str:
    return f"PLATFORM#{platform_id}#USERNAME"


def platform_table_definition(table_name: str) -> dict[str, Any]:
    """`create_table` arguments: what template.yaml declares too (keep both in step)."""
    return {
        "TableName": table_name,
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [
            {"AttributeName": name, "AttributeType": "S"}
            for name in (PARTITION_KEY, SORT_KEY, USERNAME_INDEX_PARTITION_KEY, USERNAME_INDEX_SORT_KEY)
        ],
        "KeySchema": [
            {"AttributeName": PARTITION_KEY, "KeyType": "HASH"},
            {"AttributeName": SORT_KEY, "KeyType": "RANGE"},
        ],
        "GlobalSecondaryIndexes": [
            {
                "IndexName": USERNAME_INDEX,
                "KeySchema": [
                    {"AttributeName": USERNAME_INDEX_PARTITION_KEY, "KeyType": "HASH"},
                    {"AttributeName": USERNAME_INDEX_SORT_KEY, "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "KEYS_ONLY"},
            }
        ],
    }
