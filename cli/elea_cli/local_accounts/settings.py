"""Names and settings of the local (moto) environment for the accounts and mail commands."""

from __future__ import annotations

from pathlib import Path

DEFAULT_STATE_DIR = Path(".elea-local")
LOCAL_REGION = "eu-west-3"
ESTABLISHMENTS_TABLE = "elea-local-establishments"
CREDENTIALS_TABLE = "elea-local-credentials"
PLATFORM_TABLE = "elea-local-platform"
REPORTS_BUCKET = "elea-local-imports"
MAIL_SENDER = "ne-pas-repondre@elea.ac-creteil.fr"
# Nothing listens there: locally the token is used with `elea-import activate TOKEN`.
ACTIVATION_PAGE_URL = "https://activation.elea-import.localhost/activation"

# Set once per process, before any handler runs (the handlers read them at entry).
ENVIRONMENT = {
    "AWS_DEFAULT_REGION": LOCAL_REGION,
    "AWS_ACCESS_KEY_ID": "local",
    "AWS_SECRET_ACCESS_KEY": "local",
    "AWS_SESSION_TOKEN": "local",
    "POWERTOOLS_SERVICE_NAME": "elea-import",
    "POWERTOOLS_METRICS_NAMESPACE": "EleaImport",
    "POWERTOOLS_TRACE_DISABLED": "true",
    "POWERTOOLS_METRICS_DISABLED": "true",  # no EMF JSON in the terminal
    "POWERTOOLS_LOG_LEVEL": "WARNING",
    "ESTABLISHMENTS_TABLE": ESTABLISHMENTS_TABLE,
    "CREDENTIALS_TABLE": CREDENTIALS_TABLE,
    "PLATFORM_TABLE": PLATFORM_TABLE,
    "PLATFORM_URL_PATTERN": "https://idf-{dept}-{basin}.elea.apps.education.fr/",
    "MAIL_DOMAIN": "ac-creteil.fr",
    "MAIL_SENDER": MAIL_SENDER,
    "ACTIVATION_PAGE_URL": ACTIVATION_PAGE_URL,
    "REPORTS_BUCKET": REPORTS_BUCKET,
    "ARGON2_TIME_COST": "3",
    "ARGON2_MEMORY_KIB": "65536",
    "ARGON2_PARALLELISM": "4",
    "LOGIN_ATTEMPT_LIMIT": "5",
    "LOGIN_WINDOW_MINUTES": "15",
}
