"""Remind editors, by email through the outbox, of entries not reviewed within the review
period (MLE_REVIEW_PERIOD_MONTHS, 12 by default)."""

from __future__ import annotations

from datetime import date

from flask import current_app, url_for
from sqlalchemy import select

from mle.database import db
from mle.directory.reviews import entries_due_for_review, review_period
from mle.mail.outbox import queue_email
from mle.models import StaffUser
from mle.security.audit import audit
from mle.site import site

MAX_LISTED = 200


def editors() -> list[StaffUser]:
    people = db.session.scalars(select(StaffUser).where(StaffUser.active.is_(True))
                                .order_by(StaffUser.id))
    return [person for person in people if person.has_role("editor")]


def reminder_body(name: str, entries, today: date) -> str:
    base = current_app.config["MLE_BASE_URL"].rstrip("/")
    lines = [f"Hello {name},", "",
             f"{len(entries)} directory entries have not been checked in the last "
             f"{review_period()} months, or are past their review date. Check each one and "
             "press \"This entry is still correct\", or correct it:", ""]
    for service in entries[:MAX_LISTED]:
        checked = service.last_reviewed.strftime("%d %B %Y") if service.last_reviewed \
            else "never checked"
        lines.append(f"- {service.name} ({service.organization.name}), last checked: "
                     f"{checked}")
        lines.append(f"  {base}{url_for('editor.entry', service_id=service.id)}")
    if len(entries) > MAX_LISTED:
        lines.append(f"... and {len(entries) - MAX_LISTED} more: {base}"
                     f"{url_for('editor.entries', review='due')}")
    lines += ["", f"Sent on {today:%d %B %Y} by {site().area.service_name}."]
    return "\n".join(lines) + "\n"


def send_review_reminders(today: date | None = None) -> tuple[int, int]:
    """Queue one email to each active editor; return (entries due, emails queued)."""
    today = today or date.today()
    entries = entries_due_for_review(today)
    if not entries:
        return 0, 0
    people = editors()
    subject = f"{len(entries)} directory entries to check - {site().area.service_name}"
    for person in people:
        queue_email(person.email, subject, reminder_body(person.name, entries, today))
    audit("directory.review_reminders_sent", "service", None, entries=len(entries),
          emails=len(people))
    db.session.commit()
    return len(entries), len(people)
