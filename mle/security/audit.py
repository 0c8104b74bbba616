"""Record staff actions in the audit trail. Details name records and fields, never values
that could identify a resident."""

from __future__ import annotations

from flask_login import current_user

from mle.database import db
from mle.models import AuditEvent


def audit(action: str, target_type: str | None = None, target_id: object = None,
          actor_id: int | None = None, **details) -> None:
    """Add an event to the current transaction; it is saved with the change it records."""
    if actor_id is None and current_user and current_user.is_authenticated:
        actor_id = current_user.id
    db.session.add(AuditEvent(actor_id=actor_id, action=action, target_type=target_type,
                              target_id=None if target_id is None else str(target_id),
                              details=details))
