"""Add to counters in one statement (insert, or add on conflict), so two requests counting at
the same moment never lose a count. Works on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from mle.database import db


def add_counts(model, key: dict, amounts: dict) -> None:
    """Insert a row with `key` and `amounts`, or add `amounts` to the row that has `key`."""
    insert = (postgresql_insert if db.session.get_bind().dialect.name == "postgresql"
              else sqlite_insert)
    statement = insert(model).values(**key, **amounts)
    statement = statement.on_conflict_do_update(
        index_elements=list(key),
        set_={name: getattr(model, name) + statement.excluded[name] for name in amounts})
    db.session.execute(statement)
