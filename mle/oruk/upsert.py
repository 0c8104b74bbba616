"""Writing one checked record: its service inserted or updated by id, and everything that
hangs off it replaced. A record that would change nothing (compared as its ORUK 3.0 output)
is reported as unchanged."""

from __future__ import annotations

import json

from mle.database import db
from mle.models import Service
from mle.oruk import serialise
from mle.oruk.columns import SERVICE_FIELDS, column_values
from mle.oruk.ids import local_id
from mle.oruk.record_rows import (
    ImportRun,
    attribute_row,
    contact_row,
    cost_option_row,
    language_row,
    organization_of,
    schedule_rows,
    service_area_row,
    service_at_location_row,
)


def _fingerprint(service: Service) -> str:
    def sort(value):
        if isinstance(value, dict):
            return {k: sort(v) for k, v in value.items()}
        if isinstance(value, list):
            return sorted((sort(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
        return value
    return json.dumps(sort(serialise.service_full(service)), sort_keys=True, default=str)


def upsert_service(data: dict, run: ImportRun) -> str:
    """Insert or update one service and what hangs off it; 'imported', 'updated' or
    'unchanged'."""
    sid = local_id(Service, "service", data["id"]) or data["id"]
    service = db.session.get(Service, sid)
    before = _fingerprint(service) if service is not None else None
    values = column_values(Service, data, SERVICE_FIELDS, "")
    organization = organization_of(data, run)
    if service is None:
        service = Service(id=sid, coverage=run.coverage)
        db.session.add(service)
    for name, value in values.items():
        setattr(service, name, value)
    service.status = values["status"]
    service.description = values["description"] or ""
    service.organization = organization
    _replace_children(service, data, run)
    db.session.flush()
    db.session.expire(service)
    after = _fingerprint(db.session.get(Service, sid))
    if after == before:
        return "unchanged"
    service.publication_status = "published" if run.publish else "draft"
    service.needs_editor = not run.publish
    return "imported" if before is None else "updated"


def _replace_children(service: Service, data: dict, run: ImportRun) -> None:
    # Replace in two steps, so ids kept from the last import never clash.
    # Our own column on service areas (the locality) is kept for the areas the feed keeps.
    localities = {area.id: area.locality for area in service.service_areas}
    for children in ("contacts", "schedules", "service_areas", "service_at_locations",
                     "cost_options", "languages", "attributes"):
        getattr(service, children).clear()
    db.session.flush()
    service.contacts = [contact_row(c) for c in data.get("contacts", ())]
    service.schedules = schedule_rows(data.get("schedules", ()))
    service.service_areas = [service_area_row(a, localities.get(a["id"]))
                             for a in data.get("service_areas", ())]
    service.cost_options = [cost_option_row(c) for c in data.get("cost_options", ())]
    service.languages = [language_row(lang) for lang in data.get("languages", ())]
    service.service_at_locations = [service_at_location_row(s, run)
                                    for s in data.get("service_at_locations", ())]
    service.attributes = [attribute_row(a, service.id, run)
                          for a in data.get("attributes", ())]
