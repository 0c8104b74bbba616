"""One ORUK object's fields as values for our columns: dates parsed, HTML made text, and
lengths checked against the columns they go into."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import String

from mle.oruk.import_result import RecordInvalid
from mle.oruk.text import html_to_text

SERVICE_FIELDS = ("name", "description", "url", "email", "status", "fees", "accreditations",
                  "minimum_age", "maximum_age", "assured_date", "assurer_email", "alert",
                  "last_modified")
ORGANIZATION_FIELDS = ("name", "description", "email", "website", "logo", "uri")
LOCATION_FIELDS = ("location_type", "name", "description", "latitude", "longitude",
                   "external_identifier", "external_identifier_type")
ADDRESS_FIELDS = ("attention", "address_1", "city", "region", "state_province", "postal_code",
                  "country", "address_type")
ACCESSIBILITY_FIELDS = ("description", "details", "url", "accessibility")
SCHEDULE_FIELDS = ("valid_from", "valid_to", "dtstart", "freq", "interval", "byday",
                   "bymonthday", "description", "opens_at", "closes_at", "schedule_link",
                   "attending_type", "notes")
SERVICE_AREA_FIELDS = ("name", "extent", "extent_type", "uri", "service_area")
COST_OPTION_FIELDS = ("valid_from", "valid_to", "option", "amount", "amount_description")
LANGUAGE_FIELDS = ("name", "code", "note")
FUNDING_FIELDS = ("source",)
ORGANIZATION_IDENTIFIER_FIELDS = ("identifier_scheme", "identifier_type", "identifier")
PHONE_FIELDS = ("number", "description")
CONTACT_FIELDS = ("name", "title")
TAXONOMY_TERM_FIELDS = ("name", "description", "taxonomy", "term_uri", "term")
TEXT_FROM_HTML = ("description",)


def _parse_date(value: Any, name: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise RecordInvalid(f"{name} is not a date (YYYY-MM-DD): {str(value)[:40]!r}") from None


def _parse_datetime(value: Any, name: str) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise RecordInvalid(f"{name} is not a date and time: {str(value)[:40]!r}") from None
    # Stored in UTC, so moments compare rightly on databases that keep no offset (SQLite).
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)


def column_values(model, data: dict, names: Iterable[str], where: str) -> dict:
    """Column values for `model` from an ORUK object; `where` prefixes the field's name in a
    reason for refusing it (like "location/addresses/")."""
    columns = model.__table__.columns
    out = {}
    for name in names:
        value = data.get(name)
        column_type = columns[name].type
        if name in TEXT_FROM_HTML and isinstance(value, str):
            value = html_to_text(value)
        if value is None:
            out[name] = None
            continue
        python_type = column_type.python_type
        if python_type is date:
            value = _parse_date(value, f"{where}{name}")
        elif python_type is datetime:
            value = _parse_datetime(value, f"{where}{name}")
        elif python_type is int:
            value = int(value)
        elif python_type is float:
            value = float(value)
        elif isinstance(value, str) and isinstance(column_type, String) and column_type.length:
            value = value.strip()
            if len(value) > column_type.length:
                raise RecordInvalid(f"{where}{name} is longer than {column_type.length} "
                                    "characters")
        out[name] = value
    return out
