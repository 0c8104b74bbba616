"""Whether the database is there, for the two places that deal with it as a whole rather than
with any record: the health check's ping, and the error pages, which let go of a failed
request's transaction (and know the error a lost database raises) before they are shown."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from mle.database import db

# What a request meets when the database cannot be reached (stopped, restarting, cut off).
DatabaseUnavailable = OperationalError


def database_reachable() -> bool:
    """A trivial query: True when the database answers it."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return False
    return True


def abandon_transaction() -> None:
    """Forget whatever a failed request left unsaved, so its error page starts clean."""
    db.session.rollback()
