"""Residents' reports of wrong directory entries, and anonymous view counts."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from mle.extensions import db
from mle.models import DirectoryView, ProblemReport, Service
from mle.models.counting import add_counts
from mle.security.audit import audit
from mle.security.encryption import encrypt_json

PROBLEM_KINDS = ("wrong_details", "closed", "not_my_area", "other")


def report_problem(service: Service, kind: str, details: str) -> ProblemReport:
    report = ProblemReport(service_id=service.id, kind=kind,
                           details=encrypt_json(details) if details else None)
    db.session.add(report)
    return report


def open_reports() -> list[ProblemReport]:
    return list(db.session.scalars(select(ProblemReport).where(
        ProblemReport.resolved_at.is_(None)).order_by(ProblemReport.created_at)))


def resolve(report: ProblemReport, user_id: int, outcome: str = "resolved") -> None:
    """Close a report: `resolved` (the entry was put right) or `dismissed` (nothing wrong)."""
    report.resolved_at = datetime.now(UTC)
    report.resolved_by_id = user_id
    audit(f"problem_report.{outcome}", "service", report.service_id, report=report.id)


def count_view(kind: str, key: str) -> None:
    """Add one to this month's count of views of a topic or a service."""
    period = datetime.now(UTC).strftime("%Y-%m")
    add_counts(DirectoryView, {"kind": kind, "key": key, "period": period}, {"views": 1})
    db.session.commit()
