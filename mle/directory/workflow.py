"""What editors do to an entry: create it, change it, publish, archive or return it to draft,
and confirm it is still correct.

Each action writes the changed fields to the entry's history and the action to the audit
trail, and commits them with the change itself. Saving also works out again whether residents
can reach the entry (mle/directory/reachability.py): one with no phone, email, web address or
address is hidden from them, whatever its status.
"""

from __future__ import annotations

from datetime import date

from mle.database import db
from mle.directory.entry_rows import new_id, write_entry
from mle.directory.fields import EntryValues
from mle.directory.history import record_changes, snapshot
from mle.directory.reachability import refresh_reachable
from mle.directory.reviews import add_months, review_period
from mle.models import Service
from mle.security.audit import audit
from mle.vocabulary import PUBLICATION_STATUSES


def create_entry(values: EntryValues, user_id: int) -> Service:
    """A new entry, as a draft."""
    service = Service(id=new_id(), status="active", publication_status="draft",
                      description="")
    write_entry(service, values)
    refresh_reachable(service)
    db.session.flush()
    record_changes(service, {}, user_id)
    audit("directory.service_created", "service", service.id)
    db.session.commit()
    return service


def update_entry(service: Service, values: EntryValues, user_id: int) -> list[str]:
    """Save an editor's values; return the fields that changed."""
    before = snapshot(service)
    write_entry(service, values)
    refresh_reachable(service)
    changed = record_changes(service, before, user_id)
    audit("directory.service_changed", "service", service.id, fields=changed)
    db.session.commit()
    return changed


def set_publication(service: Service, status: str, user_id: int) -> None:
    """Publish, archive or return to draft."""
    if status not in PUBLICATION_STATUSES:
        raise ValueError(f"not a publication status: {status!r}")
    before = snapshot(service)
    service.publication_status = status
    refresh_reachable(service)
    record_changes(service, before, user_id)
    audit(f"directory.service_{status}", "service", service.id)
    db.session.commit()


def mark_reviewed(service: Service, user_id: int, today: date | None = None) -> None:
    """The editor checked the entry and it is still correct: due again in a review period."""
    today = today or date.today()
    before = snapshot(service)
    service.last_reviewed, service.reviewed_by_id = today, user_id
    service.review_due = add_months(today, review_period())
    record_changes(service, before, user_id)
    audit("directory.service_reviewed", "service", service.id,
          review_due=service.review_due.isoformat())
    db.session.commit()
