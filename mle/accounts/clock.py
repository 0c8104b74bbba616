"""The time now, and times read back from the database, always timezone-aware UTC."""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    return datetime.now(UTC)


def aware(moment: datetime | None) -> datetime | None:
    # SQLite gives back naive datetimes; every time here is UTC.
    return moment.replace(tzinfo=UTC) if moment and moment.tzinfo is None else moment


def still_to_come(moment: datetime | None) -> bool:
    return moment is not None and aware(moment) > now()
