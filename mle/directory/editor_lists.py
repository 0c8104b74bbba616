"""What editors look through: the list of entries with its filters, one entry and who last
checked it, and the terms the entry form offers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import exists, func, select

from mle.database import db
from mle.directory.reviews import needs_review
from mle.directory.search import parse_query, stale_last, word_conditions
from mle.directory.taxonomy import ELIGIBILITY_TAXONOMY, NEEDS_TAXONOMY
from mle.models import (
    Attribute,
    Organization,
    ProblemReport,
    Service,
    ServiceArea,
    StaffUser,
    TaxonomyTerm,
)

PAGE_SIZE = 25


@dataclass(frozen=True)
class Filters:
    """The list's filters, each empty when not asked for."""

    q: str = ""  # words, searched as residents' search does
    status: str = ""  # a publication status
    review: str = ""  # "due", "problems" or "hidden" (no way for residents to reach it)
    locality: str = ""
    topic: str = ""  # a need term id


def _open_report_counts():
    return (select(ProblemReport.service_id, func.count().label("reports"))
            .where(ProblemReport.resolved_at.is_(None))
            .group_by(ProblemReport.service_id).subquery())


def _conditions(filters: Filters, today: date) -> list:
    conditions = []
    if filters.status:
        conditions.append(Service.publication_status == filters.status)
    if filters.review == "due":
        conditions.append(needs_review(today))
    elif filters.review == "problems":
        conditions.append(exists().where(ProblemReport.service_id == Service.id,
                                         ProblemReport.resolved_at.is_(None)))
    elif filters.review == "hidden":
        conditions.append(Service.reachable.is_(False))
    if filters.locality:
        conditions.append(exists().where(ServiceArea.service_id == Service.id,
                                         ServiceArea.locality == filters.locality))
    if filters.topic:
        conditions.append(exists().where(Attribute.link_id == Service.id,
                                         Attribute.link_entity == "service",
                                         Attribute.taxonomy_term_id == filters.topic))
    return conditions


def list_entries(filters: Filters, page: int, today: date | None = None):
    """(rows of (service, open reports), total) for one page of the editors' list: by name,
    or with words, by the same ranking as residents' search (mle/directory/search.py)."""
    today = today or date.today()
    reports = _open_report_counts()
    conditions = _conditions(filters, today)
    order = [func.lower(Service.name), Service.id]
    query = parse_query(filters.q)
    if filters.q.strip():
        # Words with nothing to search for (punctuation only) find nothing.
        found, score = word_conditions(query)
        if not query.required or not _count(conditions + [found]):
            found, score = word_conditions(query, any_word=True)
        conditions.append(found)
        order = [score.desc(), stale_last(today), *order]
    base = (select(Service, func.coalesce(reports.c.reports, 0))
            .join(Organization, Organization.id == Service.organization_id)
            .outerjoin(reports, reports.c.service_id == Service.id)
            .where(*conditions))
    rows = db.session.execute(base.order_by(*order)
                              .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    return rows, _count(conditions)


def _count(conditions: list) -> int:
    return db.session.scalar(select(func.count()).select_from(
        select(Service.id).join(Organization, Organization.id == Service.organization_id)
        .where(*conditions).subquery())) or 0


def find_entry(service_id: str) -> Service | None:
    """Any entry, whatever its status (editors see drafts and archived entries too)."""
    return db.session.get(Service, service_id[:80])


def reviewer_of(service: Service) -> StaffUser | None:
    """Who last confirmed the entry is still correct, while their account exists."""
    if service.reviewed_by_id is None:
        return None
    return db.session.get(StaffUser, service.reviewed_by_id)


def need_term_ids() -> set[str]:
    """The needs that are terms in the directory, so entries can be filed under them."""
    return set(db.session.scalars(select(TaxonomyTerm.id).where(
        TaxonomyTerm.taxonomy_id == NEEDS_TAXONOMY)))


def eligibility_terms() -> list[TaxonomyTerm]:
    return list(db.session.scalars(select(TaxonomyTerm).where(
        TaxonomyTerm.taxonomy_id == ELIGIBILITY_TAXONOMY).order_by(TaxonomyTerm.name)))
