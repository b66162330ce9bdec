"""Jinja2 rendering of our e-mail templates: HTML autoescaped, text not, unknown variables are errors."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

_MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip


@cache
def _environment() -> Environment:
    environment = Environment(
        loader=PackageLoader("elea.mail", "templates"),
        # Anything not explicitly plain text is escaped.
        autoescape=select_autoescape(
            enabled_extensions=("html.j2",), disabled_extensions=("txt.j2",), default_for_string=True, default=True
        ),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["date_fr"] = french_date
    environment.filters["nombre"] = french_number
    return environment


def render(template_name: str, **context: Any) -> str:
    """Text templates end in .txt.j2 and are not escaped; HTML ones end in .html.j2 and are."""
    return _environment().get_template(template_name).render(**context)


def _paris(moment: datetime) -> datetime:
    try:
        return moment.astimezone(ZoneInfo("Europe/Paris"))
    except ZoneInfoNotFoundError:  # a runtime without tzdata: UTC is still right, only less friendly
        return moment.astimezone(UTC)


def french_date(moment: datetime) -> str:
    """« 12 mars 2026 à 14 h 05 » in Paris time."""
    local = _paris(moment)
    return f"{local.day} {_MONTHS[local.month - 1]} {local.year} à {local.hour} h {local.minute:02d}"


def french_number(value: int) -> str:
    """« 3 000 » with a narrow no-break space, as French typography writes thousands."""
    return f"{value:,}".replace(",", "\u202f")
