"""What editors do with an import run: read it, confirm or dismiss the topics it suggested,
and publish its drafts, many at once. Each change is in the entry's history and the audit
trail, as when an entry is edited by hand."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from mle.database import db
from mle.directory.entry_rows import new_id
from mle.directory.history import record_changes, snapshot
from mle.models import (
    Attribute,
    DirectoryImport,
    DirectoryImportEntry,
    Service,
    TaxonomyTerm,
    TopicSuggestion,
)
from mle.security.audit import audit

PAGE_SIZE = 25
UNSHOWN = ("outside", "unset")


def list_runs(page: int = 1) -> tuple[list[DirectoryImport], int]:
    total = db.session.scalar(select(func.count()).select_from(DirectoryImport)) or 0
    runs = db.session.scalars(select(DirectoryImport).order_by(
        DirectoryImport.started_at.desc(), DirectoryImport.id.desc())
        .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    return list(runs), total


def find_run(import_id: int) -> DirectoryImport | None:
    return db.session.get(DirectoryImport, import_id)


def entries_of(run: DirectoryImport, outcome: str) -> list[DirectoryImportEntry]:
    return list(db.session.scalars(select(DirectoryImportEntry).where(
        DirectoryImportEntry.import_id == run.id, DirectoryImportEntry.outcome == outcome)
        .order_by(DirectoryImportEntry.name, DirectoryImportEntry.id)))


@dataclass(frozen=True)
class PendingEntry:
    service: Service
    suggestions: list[tuple[TopicSuggestion, str]]  # (suggestion, the term's name)


def pending_suggestions(run: DirectoryImport) -> list[PendingEntry]:
    """The run's entries with suggestions still waiting, by entry name."""
    rows = db.session.execute(
        select(TopicSuggestion, TaxonomyTerm.name)
        .join(TaxonomyTerm, TaxonomyTerm.id == TopicSuggestion.taxonomy_term_id)
        .join(Service, Service.id == TopicSuggestion.service_id)
        .where(TopicSuggestion.import_id == run.id, TopicSuggestion.status == "pending")
        .order_by(Service.name, Service.id, TaxonomyTerm.name)).all()
    grouped: dict[str, PendingEntry] = {}
    for suggestion, term_name in rows:
        entry = grouped.setdefault(suggestion.service_id, PendingEntry(
            db.session.get(Service, suggestion.service_id), []))
        entry.suggestions.append((suggestion, term_name))
    return list(grouped.values())


def drafts_of(run: DirectoryImport) -> list[Service]:
    """The run's added or changed entries that are drafts, to publish."""
    ids = select(DirectoryImportEntry.service_id).where(
        DirectoryImportEntry.import_id == run.id,
        DirectoryImportEntry.outcome.in_(("added", "changed")))
    return list(db.session.scalars(select(Service).where(
        Service.id.in_(ids), Service.publication_status == "draft").order_by(Service.name)))


def _pending(run: DirectoryImport, ids: list[int]) -> list[TopicSuggestion]:
    return list(db.session.scalars(select(TopicSuggestion).where(
        TopicSuggestion.id.in_(ids), TopicSuggestion.import_id == run.id,
        TopicSuggestion.status == "pending")))


def confirm_suggestions(run: DirectoryImport, ids: list[int], user_id: int | None) -> int:
    """Give each entry the suggested terms chosen; return how many were confirmed."""
    chosen = _pending(run, ids)
    by_service: dict[str, list[TopicSuggestion]] = {}
    for suggestion in chosen:
        by_service.setdefault(suggestion.service_id, []).append(suggestion)
    for service_id, suggestions in by_service.items():
        service = db.session.get(Service, service_id)
        before = snapshot(service)
        for suggestion in suggestions:
            if suggestion.taxonomy_term_id not in service.term_ids:
                service.attributes.append(Attribute(
                    id=new_id(), link_entity="service",
                    taxonomy_term_id=suggestion.taxonomy_term_id))
            suggestion.status = "confirmed"
        fields = record_changes(service, before, user_id)
        audit("directory.suggestions_confirmed", "service", service_id, import_id=run.id,
              fields=fields, terms=[s.taxonomy_term_id for s in suggestions])
    db.session.commit()
    return len(chosen)


def dismiss_suggestions(run: DirectoryImport, ids: list[int], user_id: int | None) -> int:
    chosen = _pending(run, ids)
    for suggestion in chosen:
        suggestion.status = "dismissed"
        audit("directory.suggestion_dismissed", "service", suggestion.service_id,
              import_id=run.id, term=suggestion.taxonomy_term_id)
    db.session.commit()
    return len(chosen)


def publish_drafts(run: DirectoryImport, service_ids: list[str], user_id: int | None
                   ) -> tuple[list[str], list[tuple[str, str]]]:
    """Publish the chosen drafts of the run: (names published, (name, reason) refused).
    An entry whose coverage is not known or outside the area is not published."""
    wanted = set(service_ids)
    published, refused = [], []
    for service in drafts_of(run):
        if service.id not in wanted:
            continue
        if service.coverage in UNSHOWN:
            refused.append((service.name, "coverage"))
            continue
        before = snapshot(service)
        service.publication_status, service.needs_editor = "published", False
        record_changes(service, before, user_id)
        audit("directory.service_published", "service", service.id, import_id=run.id)
        published.append(service.name)
    db.session.commit()
    return published, refused
