"""Read the audit trail: administrators look for who did what to which record, and when.

Looking is itself recorded, with the filters used (ids and action names, never personal
values), so reading the trail leaves a trace in it too.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from math import ceil

from sqlalchemy import func, select

from mle.database import db
from mle.models import AuditEvent, StaffUser
from mle.security.audit import audit

PAGE_SIZE = 50
MAX_PAGE = 10_000


@dataclass(frozen=True)
class AuditFilters:
    """What to narrow the trail to; each empty when not asked for."""

    user_id: int | None = None
    action: str = ""
    record_type: str = ""
    record_id: str = ""


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    user_id: int | None
    user_name: str | None  # None when nobody was signed in, or the account has gone
    action: str
    record_type: str | None
    record_id: str | None
    details: list[tuple[str, str]]  # (name, value as text), by name


@dataclass(frozen=True)
class AuditPage:
    entries: list[AuditEntry]
    total: int
    page: int  # the page shown, after clamping to the pages there are
    pages: int


def _conditions(filters: AuditFilters) -> list:
    conditions = []
    if filters.user_id is not None:
        conditions.append(AuditEvent.actor_id == filters.user_id)
    if filters.action:
        conditions.append(AuditEvent.action == filters.action)
    if filters.record_type:
        conditions.append(AuditEvent.target_type == filters.record_type)
    if filters.record_id:
        conditions.append(AuditEvent.target_id == filters.record_id)
    return conditions


def audit_page(filters: AuditFilters, page: int = 1) -> AuditPage:
    """One page of events matching the filters, newest first."""
    conditions = _conditions(filters)
    total = db.session.scalar(select(func.count(AuditEvent.id)).where(*conditions)) or 0
    pages = max(1, ceil(total / PAGE_SIZE))
    page = min(max(page, 1), pages)
    rows = db.session.execute(
        select(AuditEvent, StaffUser.name)
        .outerjoin(StaffUser, StaffUser.id == AuditEvent.actor_id)
        .where(*conditions)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    entries = [AuditEntry(at=event.at, user_id=event.actor_id, user_name=name,
                          action=event.action, record_type=event.target_type,
                          record_id=event.target_id, details=_described(event.details))
               for event, name in rows]
    return AuditPage(entries=entries, total=total, page=page, pages=pages)


def _as_text(value: object) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{name}: {_as_text(inner)}" for name, inner in sorted(value.items()))
    if isinstance(value, list | tuple):
        return ", ".join(_as_text(inner) for inner in value)
    return str(value)


def _described(details: dict | None) -> list[tuple[str, str]]:
    return [(name, _as_text(value)) for name, value in sorted((details or {}).items())]


def actions_seen() -> list[str]:
    """Every action in the trail, for choosing one to filter by."""
    return list(db.session.scalars(select(AuditEvent.action).distinct()
                                   .order_by(AuditEvent.action)))


def record_types_seen() -> list[str]:
    """Every kind of record the trail names, for choosing one to filter by."""
    return list(db.session.scalars(select(AuditEvent.target_type).distinct()
                                   .where(AuditEvent.target_type.is_not(None))
                                   .order_by(AuditEvent.target_type)))


def staff_to_filter_by() -> list[tuple[int, str]]:
    """Each account as (id, "name (email)"): names alone can be shared by two people."""
    rows = db.session.execute(select(StaffUser.id, StaffUser.name, StaffUser.email)
                              .order_by(StaffUser.name, StaffUser.email))
    return [(user_id, f"{name} ({email})") for user_id, name, email in rows]


def record_viewing(filters: AuditFilters, page: int) -> None:
    """Record that the signed-in administrator read the trail, and how they narrowed it."""
    used = {name: value for name, value in asdict(filters).items()
            if value not in (None, "")}
    audit("audit.viewed", page=page, filters=used)
    db.session.commit()
