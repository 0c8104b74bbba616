"""ORUK ids are UUIDs; ours are too, except seed entries, organisations and our taxonomy terms,
which keep readable slugs (decision 0010). Such an id is published as a UUIDv5 derived from
it, so the same record always has the same ORUK id, and an ORUK id is turned back into ours by
looking among the few records whose id is not a UUID."""

from __future__ import annotations

import re
import uuid

from sqlalchemy import select

from mle.database import db

ORUK_NAMESPACE = uuid.UUID("0b7c3f64-59c4-4b8e-a5a2-6a1f0d0c9e21")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
                   r"[0-9a-fA-F]{12}$")
UUID_SHAPE = "________-____-____-____-____________"  # a LIKE pattern: 36 characters, 4 dashes


def is_uuid(value: object) -> bool:
    return isinstance(value, str) and bool(_UUID.match(value))


def oruk_id(entity: str, local_id: str | None) -> str | None:
    """The id we publish for a row of `entity` ('service', 'organization' ...)."""
    if local_id is None or is_uuid(local_id):
        return local_id
    return str(uuid.uuid5(ORUK_NAMESPACE, f"{entity}/{local_id}"))


def local_id(model, entity: str, published: str) -> str | None:
    """Our id for a published ORUK id, or None when no row of `model` has it."""
    if not is_uuid(published):
        return None
    # The id alone: getting the row would load everything it eagerly loads.
    if db.session.scalar(select(model.id).where(model.id == published)) is not None:
        return published
    slugs = db.session.scalars(select(model.id).where(model.id.not_like(UUID_SHAPE)))
    wanted = published.lower()
    return next((slug for slug in slugs if oruk_id(entity, slug) == wanted), None)
