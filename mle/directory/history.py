"""An entry's field-level history: each field that changes is written to service_change (who,
when, before, after) in the same transaction as the change itself."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from mle.database import db
from mle.directory.entry_values import location_of, terms_of
from mle.directory.hours import opening_hours
from mle.directory.taxonomy import ELIGIBILITY_TAXONOMY, NEEDS_TAXONOMY
from mle.models import Service, ServiceChange

# The fields of an entry as the history shows them, in the order of the form.
HISTORY_FIELDS = ("organization", "name", "description", "topics", "coverage", "localities",
                  "minimum_age", "maximum_age", "eligibility", "phones", "email", "url",
                  "opening_hours", "fees", "languages", "location", "accessibility",
                  "needs_editor", "publication_status", "last_reviewed")


def snapshot(service: Service) -> dict[str, str]:
    """Every field the history tracks, as text."""
    location = location_of(service)
    place = ""
    if location is not None:
        parts = [location.name] + [", ".join([a.address_1, a.city, a.postal_code])
                                   for a in location.addresses]
        place = ", ".join(p for p in parts if p)
    return {
        "organization": service.organization.name if service.organization else "",
        "name": service.name or "", "description": service.description or "",
        "topics": ", ".join(sorted(terms_of(service, NEEDS_TAXONOMY))),
        "coverage": service.coverage or "",
        "localities": ", ".join(sorted(service.localities)),
        "minimum_age": "" if service.minimum_age is None else str(service.minimum_age),
        "maximum_age": "" if service.maximum_age is None else str(service.maximum_age),
        "eligibility": ", ".join(sorted(terms_of(service, ELIGIBILITY_TAXONOMY))),
        "phones": "; ".join(p.number + (f" ({p.description})" if p.description else "")
                            for p in service.phones),
        "email": service.email or "", "url": service.url or "",
        # Sorted, so rows saved again in another order are not a change.
        "opening_hours": "\n".join(sorted(opening_hours(s) for s in service.schedules)),
        "fees": "; ".join(t for t in [service.fees or ""] + [
            f"£{c.amount:.2f}" for c in service.cost_options if c.amount is not None] if t),
        "languages": ", ".join(sorted(x.name for x in service.languages if x.name)),
        "location": place,
        "accessibility": ", ".join(sorted(a.accessibility or a.description or ""
                                          for a in location.accessibility)) if location else "",
        "needs_editor": "yes" if service.needs_editor else "",
        "publication_status": service.publication_status or "",
        "last_reviewed": service.last_reviewed.isoformat() if service.last_reviewed else "",
    }


def record_changes(service: Service, before: dict[str, str], user_id: int | None,
                   import_id: int | None = None) -> list[str]:
    """Write a history row for each field that differs from `before`; return their names.
    `import_id` names the import run that made the change, when one did."""
    db.session.flush()
    db.session.refresh(service)
    after = snapshot(service)
    changed = [f for f in HISTORY_FIELDS if before.get(f, "") != after.get(f, "")]
    if changed:
        service.last_modified = datetime.now(UTC)  # ORUK's own field, for feeds and exports
    for field in changed:
        db.session.add(ServiceChange(service_id=service.id, changed_by_id=user_id,
                                     import_id=import_id, field=field,
                                     before=before.get(field) or None,
                                     after=after.get(field) or None))
    return changed


def changes_to(service_id: str) -> list[ServiceChange]:
    """The entry's history, newest first."""
    return list(db.session.scalars(select(ServiceChange).where(
        ServiceChange.service_id == service_id).order_by(ServiceChange.changed_at.desc(),
                                                         ServiceChange.id.desc())))
