"""Topics and eligibility a source suggests for an entry. They wait for an editor: a source's
category is a hint, not a decision about who a service is right for."""

from __future__ import annotations

from sqlalchemy import select

from mle.database import db
from mle.directory.taxonomy import ELIGIBILITY_TERMS
from mle.imports.records import SourceRecord
from mle.models import Service, TopicSuggestion
from mle.site import site


def _terms(record: SourceRecord) -> list[str]:
    needs = [n for n in record.suggested_needs if n in site().area.needs]
    eligibility = [ELIGIBILITY_TERMS[w][0] for w in record.suggested_eligibility
                   if w in ELIGIBILITY_TERMS]
    return list(dict.fromkeys(needs + eligibility))


def has_suggestions(record: SourceRecord) -> bool:
    return bool(record.suggested_needs or record.suggested_eligibility)


def suggest(service: Service, record: SourceRecord, import_id: int) -> list[str]:
    """Add a suggestion for each term the entry has not got and was never suggested before
    (a dismissed suggestion does not come back); return the terms newly suggested."""
    has = set(service.term_ids) | set(db.session.scalars(select(
        TopicSuggestion.taxonomy_term_id).where(TopicSuggestion.service_id == service.id)))
    new = [term for term in _terms(record) if term not in has]
    db.session.add_all(TopicSuggestion(service_id=service.id, import_id=import_id,
                                       taxonomy_term_id=term, status="pending") for term in new)
    return new
