"""Run a command's real work, then take it all back: `--dry-run` on purge and seed.

Within rehearsal() every commit only flushes, so the services run exactly their own queries
and report exactly what they would change, and at the end one rollback leaves the database as
it was. Nothing is ever half-written.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from mle.database import db


@contextmanager
def rehearsal() -> Iterator[None]:
    session = db.session()
    session.commit = session.flush  # type: ignore[method-assign]
    try:
        yield
    finally:
        del session.commit
        session.rollback()
