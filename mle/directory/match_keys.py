"""Keep the match keys (mle/models/match_keys.py) in step with the services they copy.

refresh_match_keys() rewrites the rows of some services (or of all) from the service, its
attributes, service areas and locations, in SQL. It runs after every flush of the session that
added, changed or deleted a service or one of those rows (install(), below), on the flush's own
connection, so the match keys change in the same transaction as the service: editors' saves,
publishing, archiving and reviews, the seed loader and the ORUK importer all go through it.
Anything written around the ORM (such as the benchmark's COPY) rebuilds them all with
refresh_match_keys(connection) or `flask mle rebuild-match-keys`.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import bindparam, event, func, inspect, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from mle.database import db
from mle.directory.reachability import install as install_reachability
from mle.models import (
    Attribute,
    Location,
    MatchKey,
    MatchLocation,
    Service,
    ServiceArea,
    ServiceAtLocation,
)

# One row per need term (any term on the service: matching is asked for needs only) and place
# of a published active service residents can reach (mle/directory/reachability.py). A locality
# service with no locality gets none, as matching never returns it.
INSERT_KEYS = """
INSERT INTO match_key (service_id, need_term_id, coverage, locality, needs_editor, name,
                       review_due, minimum_age, maximum_age)
SELECT DISTINCT s.id, a.taxonomy_term_id, s.coverage, COALESCE(sa.locality, ''),
       s.needs_editor, s.name, s.review_due, s.minimum_age, s.maximum_age
FROM service s
JOIN attribute a ON a.link_entity = 'service' AND a.link_id = s.id
LEFT JOIN service_area sa ON s.coverage = 'locality' AND sa.service_id = s.id
     AND sa.locality IS NOT NULL
WHERE s.publication_status = 'published' AND s.status = 'active' AND s.reachable
  AND (s.coverage <> 'locality' OR sa.locality IS NOT NULL)
"""
INSERT_LOCATIONS = """
INSERT INTO match_location (service_id, need_term_id, coverage, locality, location_id,
                            latitude, longitude, needs_editor, name, review_due, minimum_age,
                            maximum_age)
SELECT DISTINCT k.service_id, k.need_term_id, k.coverage, k.locality, l.id, l.latitude,
       l.longitude, k.needs_editor, k.name, k.review_due, k.minimum_age, k.maximum_age
FROM match_key k
JOIN service_at_location sal ON sal.service_id = k.service_id
JOIN location l ON l.id = sal.location_id
WHERE l.latitude IS NOT NULL AND l.longitude IS NOT NULL
"""
CHUNK = 500  # service ids per statement


def refresh_match_keys(connection: Connection, service_ids: Iterable[str] | None = None
                       ) -> None:
    """Rewrite the match keys of these services (of every service when None)."""
    if service_ids is None:
        connection.execute(MatchLocation.__table__.delete())
        connection.execute(MatchKey.__table__.delete())
        connection.execute(text(INSERT_KEYS))
        connection.execute(text(INSERT_LOCATIONS))
        return
    ids = sorted(set(service_ids))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        connection.execute(MatchLocation.__table__.delete().where(
            MatchLocation.service_id.in_(chunk)))
        connection.execute(MatchKey.__table__.delete().where(MatchKey.service_id.in_(chunk)))
        ids_param = bindparam("ids", expanding=True)
        connection.execute(text(INSERT_KEYS + " AND s.id IN :ids").bindparams(ids_param),
                           {"ids": chunk})
        connection.execute(text(INSERT_LOCATIONS + " AND k.service_id IN :ids")
                           .bindparams(ids_param), {"ids": chunk})


def _values(obj, name: str) -> set:
    """The attribute's value now and any value it had before this flush."""
    history = inspect(obj).attrs[name].history
    return {v for v in (*history.added, *history.unchanged, *history.deleted) if v is not None}


def touched_services(session: Session) -> set[str]:
    """The services whose match keys the changes being flushed may alter."""
    ids: set[str] = set()
    locations: set[str] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Service):
            identity = inspect(obj).identity
            ids |= set(identity) if identity else _values(obj, "id")
        elif isinstance(obj, Attribute):
            if "service" in _values(obj, "link_entity"):
                ids |= _values(obj, "link_id")
        elif isinstance(obj, ServiceArea | ServiceAtLocation):
            ids |= _values(obj, "service_id")
        elif isinstance(obj, Location) and obj not in session.new:
            locations |= _values(obj, "id")
    if locations:
        ids |= set(session.connection().scalars(
            select(ServiceAtLocation.service_id).where(
                ServiceAtLocation.location_id.in_(sorted(locations)))))
    return ids


def _after_flush(session: Session, _flush_context) -> None:
    ids = touched_services(session)
    if ids:
        refresh_match_keys(session.connection(), ids)


def install() -> None:
    """Refresh the match keys after every flush of any session (once per process), after
    working out again before it whether residents can reach each entry touched."""
    install_reachability()
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)


def rebuild_match_keys() -> int:
    """Rewrite the match keys of every service, for data written around the app; returns how
    many keys there are."""
    refresh_match_keys(db.session.connection())
    db.session.commit()
    return db.session.scalar(select(func.count()).select_from(MatchKey))
