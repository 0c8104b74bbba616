"""Residents' reports of wrong directory entries, the editors' queue of them, their deletion
on schedule, and anonymous view counts. Each function that changes something commits it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import delete, func, select

from mle.database import db
from mle.models import DirectoryView, ProblemReport, Service
from mle.models.counting import add_counts
from mle.security.audit import audit
from mle.security.encryption import decrypt_json, encrypt_json

PROBLEM_KINDS = ("wrong_details", "closed", "not_my_area", "other")
# How an editor closes a report: the entry was put right, or nothing was wrong.
OUTCOMES = ("resolved", "dismissed")


def report_problem(service: Service, kind: str, details: str) -> ProblemReport:
    """Store a resident's report; what they wrote is encrypted, as it may be personal."""
    if kind not in PROBLEM_KINDS:
        raise ValueError(f"not a kind of problem: {kind!r}")
    report = ProblemReport(service_id=service.id, kind=kind,
                           details=encrypt_json(details) if details else None)
    db.session.add(report)
    db.session.commit()
    return report


def open_reports(service_id: str | None = None) -> list[tuple[ProblemReport, str]]:
    """Reports not yet closed, oldest first, each with what the resident wrote (or "");
    all of them, or one entry's."""
    query = select(ProblemReport).where(ProblemReport.resolved_at.is_(None))
    if service_id is not None:
        query = query.where(ProblemReport.service_id == service_id)
    reports = db.session.scalars(query.order_by(ProblemReport.created_at))
    return [(r, decrypt_json(r.details) if r.details else "") for r in reports]


def open_report_count() -> int:
    return db.session.scalar(select(func.count()).select_from(ProblemReport).where(
        ProblemReport.resolved_at.is_(None)))


def find_open_report(report_id: int) -> ProblemReport | None:
    report = db.session.get(ProblemReport, report_id)
    return report if report is not None and report.resolved_at is None else None


def resolve(report: ProblemReport, user_id: int, outcome: str = "resolved") -> None:
    """Close a report: `resolved` (the entry was put right) or `dismissed` (nothing wrong)."""
    if outcome not in OUTCOMES:
        raise ValueError(f"not a way to close a report: {outcome!r}")
    report.resolved_at = datetime.now(UTC)
    report.resolved_by_id = user_id
    audit(f"problem_report.{outcome}", "service", report.service_id, report=report.id)
    db.session.commit()


def purge_closed_reports(now: datetime | None = None) -> int:
    """Delete reports closed more than MLE_PROBLEM_REPORT_DAYS ago: what a resident wrote may
    be personal (a name, an email address), and once the entry is dealt with it is not needed.
    Open reports stay until an editor closes them. Return how many were deleted."""
    now = now or datetime.now(UTC)
    cutoff = now - timedelta(days=current_app.config["MLE_PROBLEM_REPORT_DAYS"])
    due = list(db.session.scalars(select(ProblemReport).where(
        ProblemReport.resolved_at.is_not(None), ProblemReport.resolved_at < cutoff)))
    for report in due:
        audit("problem_report.deleted", "service", report.service_id, report=report.id)
    db.session.execute(delete(ProblemReport).where(
        ProblemReport.id.in_([report.id for report in due])))
    db.session.commit()
    return len(due)


def count_view(kind: str, key: str) -> None:
    """Add one to this month's count of views of a topic or a service."""
    period = datetime.now(UTC).strftime("%Y-%m")
    add_counts(DirectoryView, {"kind": kind, "key": key, "period": period}, {"views": 1})
    db.session.commit()
