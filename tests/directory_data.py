"""Directory data that several test files set up the same way: an organisation whose test
services and locations are removed afterwards, the ORUK example record imported as a
source's feed would bring it (and removed afterwards), and two places in the area."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import select

from mle.database import db
from mle.models import Location, Organization, Service, Taxonomy, TaxonomyTerm

ORUK_EXAMPLE = Path(__file__).parent / "fixtures" / "oruk" / "oruk3_example_service_full.json"
KILSYTH = (55.9738, -4.0423)
WISHAW = (55.7777, -3.9212)
IMPORTED = (Service, Organization, Location, TaxonomyTerm, Taxonomy)


@contextmanager
def organisation_for_tests(org_id: str, name: str, location_prefix: str) -> Iterator[None]:
    """An organisation for a test's services; afterwards its services, and the locations
    whose ids start with location_prefix, are deleted with it (inside an app context)."""
    db.session.add(Organization(id=org_id, name=name))
    db.session.commit()
    try:
        yield
    finally:
        db.session.rollback()
        for service in db.session.scalars(select(Service).where(
                Service.organization_id == org_id)):
            db.session.delete(service)
        db.session.flush()
        db.session.execute(db.delete(Location).where(Location.id.like(f"{location_prefix}%")))
        db.session.delete(db.session.get(Organization, org_id))
        db.session.commit()


def example_record_in_the_area() -> dict:
    """The ORUK example service, offered across North Lanarkshire (its own area, "the MyCity
    area", is outside it)."""
    record = json.loads(ORUK_EXAMPLE.read_text())
    record["service_areas"] = [{"id": "5f1d8a3c-2b4e-4c6d-9e8f-0a1b2c3d4e5f",
                                "name": "North Lanarkshire"}]
    return record


def import_oruk_records(records: list[dict], source: str, publish: bool = False):
    """Records synced as an import of an ORUK feed from `source` would be."""
    from mle.imports.oruk_feed import records_feed
    from mle.imports.sync import sync
    from mle.site import site

    return sync(records_feed(records, site().area.needs, source), publish=publish)


@contextmanager
def imports_removed_afterwards() -> Iterator[None]:
    """Services, organisations, locations and taxonomy an import adds during the block are
    deleted after it (inside an app context)."""
    before = {model: set(db.session.scalars(select(model.id))) for model in IMPORTED}
    try:
        yield
    finally:
        db.session.rollback()
        for model in IMPORTED:
            for row_id in set(db.session.scalars(select(model.id))) - before[model]:
                db.session.delete(db.session.get(model, row_id))
            db.session.flush()
        db.session.commit()
