"""Helpers for tests that need staff accounts."""

from __future__ import annotations

import itertools

from sqlalchemy import select

from mle.accounts import service
from mle.database import db
from mle.security.passwords import hash_password

PASSWORD = "correct horse battery staple"
_numbers = itertools.count(1)


def make_staff(app, roles: list[str], team: str | None = None, password: str = PASSWORD,
               **fields) -> int:
    with app.app_context():
        user = service.create_user(f"person{next(_numbers)}@example.org", "Pat Example", roles,
                                   team)
        user.password_hash = hash_password(password)
        for name, value in fields.items():
            setattr(user, name, value)
        db.session.commit()
        return user.id


def email_of(app, user_id: int) -> str:
    from mle.models import StaffUser

    with app.app_context():
        return db.session.get(StaffUser, user_id).email


def sign_in(client, app, user_id: int, password: str = PASSWORD):
    return client.submit("/staff/sign-in", {"email": email_of(app, user_id),
                                            "password": password})


def emailed_link(app, to: str) -> str:
    """The set-password link in the newest outbox message to this address."""
    import re

    from sqlalchemy import select

    from mle.models import OutboxMessage
    from mle.security.encryption import decrypt_json

    with app.app_context():
        for message in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())):
            if decrypt_json(message.to) == to:
                return re.search(r"https?://\S+/staff/set-password/\S+",
                                 decrypt_json(message.body)).group(0)
    raise AssertionError(f"no email to {to}")


def clear_staff(app) -> None:
    """No accounts, links, audit events, queued email or paused addresses: a clean start."""
    from mle.models import AccountLink, AuditEvent, OutboxMessage, SignInThrottle, StaffUser

    with app.app_context():
        for model in (OutboxMessage, AuditEvent, AccountLink, StaffUser, SignInThrottle):
            db.session.query(model).delete()
        db.session.commit()


def audit_actions(app) -> list[str]:
    from mle.models import AuditEvent

    with app.app_context():
        return [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
