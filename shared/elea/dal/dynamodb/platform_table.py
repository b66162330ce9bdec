"""Key design of the platform table (accounts and cohorts), shared by the adapter, template.yaml and tests.

One table, `pk` (S) hash key and `sk` (S) range key, on-demand billing:

| item     | pk                                | sk                        |
|----------|-----------------------------------|---------------------------|
| account  | `PLATFORM#{platform}#UAI#{uai}`   | `ACCOUNT#{account_id}`    |
| cohort   | `PLATFORM#{platform}#UAI#{uai}`   | `COHORT#{idnumber}`       |

So one strongly consistent Query reads a UAI's accounts (or cohorts), and an import for one UAI can
never overwrite another UAI's item: the UAI is part of every key it writes.

Usernames are unique per platform, whatever the UAI, and compared as one identity whatever their case,
accents or full-width forms (Moodle's collation): account items also carry `username_pk` =
`PLATFORM#{platform}#USERNAME` and `username_key` (`elea.domain.identity.identity_key` of the
username), the keys of the sparse, KEYS_ONLY global secondary index `username-index`;
`username` itself is stored as written. `taken_usernames` is one range Query on the index (paginated),
never a per-user GetItem. One index partition per platform is "hot" only at a scale (millions of
accounts) no basin platform reaches.

The index is eventually consistent (typically well under a second). The only consequence: two imports
of different schools creating the same new username within that lag would both get it; neither can
overwrite the other's account, since the UAI is in every account key.
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


def uai_partition(platform_id: str, uai: str) -> str:
    return f"PLATFORM#{platform_id}#UAI#{uai}"


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
