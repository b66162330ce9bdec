"""Writing the « fiches de connexion » of an import, for the manager's short-lived link.

They hold clear initial passwords: they live under login-sheets/, which the bucket forgets after a few
days, not beside the per-row report, which is kept for a year."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from elea.credentials.login_sheets import LoginSheetRow, login_sheets_csv, login_sheets_html
from elea.ports.report_files import ReportFiles


@dataclass(frozen=True)
class PublishedSheets:
    html_key: str
    csv_key: str
    count: int


LOGIN_SHEETS_PREFIX = "login-sheets/"


def login_sheets_keys(uai: str, import_id: str) -> tuple[str, str]:
    # Not under reports/ (kept ReportRetentionDays): clear passwords get their own, much shorter,
    # lifecycle rule (LoginSheetsRetentionDays in template.yaml).
    prefix = f"{LOGIN_SHEETS_PREFIX}{uai}/{import_id}/fiches-de-connexion"
    return f"{prefix}.html", f"{prefix}.csv"


def publish_login_sheets(
    rows: Sequence[LoginSheetRow],
    *,
    uai: str,
    import_id: str,
    school_name: str | None,
    platform_url: str | None,
    generated_at: datetime,
    files: ReportFiles,
) -> PublishedSheets | None:
    """None when there is nothing to hand out (no new local account)."""
    if not rows:
        return None
    html_key, csv_key = login_sheets_keys(uai, import_id)
    html = login_sheets_html(
        rows, school_name=school_name, uai=uai, platform_url=platform_url, generated_at=generated_at
    )
    files.put(html_key, html.encode("utf-8"), content_type="text/html; charset=utf-8")
    files.put(csv_key, login_sheets_csv(rows, platform_url=platform_url), content_type="text/csv; charset=utf-8")
    return PublishedSheets(html_key=html_key, csv_key=csv_key, count=len(rows))
