"""What an upload says about itself, in the S3 object's user metadata (issue 8, Aperçu).

The web page's presigned POST sets `x-amz-meta-dry-run: true` when « Aperçu » is ticked (ticked by
default for a school whose `dry_run_default` is set); boto3 and the Parse step see it as the user
metadata key `dry-run`. No flag, or any other value: the procedure's automatic import."""

from __future__ import annotations

from collections.abc import Mapping

DRY_RUN_METADATA = "dry-run"
# Set by « Lancer l'importation » on the same object: the import it was planned by.
PLANNED_BY_METADATA = "planned-import-id"


def is_dry_run(metadata: Mapping[str, str] | None) -> bool:
    return (metadata or {}).get(DRY_RUN_METADATA, "").strip().lower() == "true"
