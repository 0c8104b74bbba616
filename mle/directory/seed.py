"""Load the seed directory (directory/seed/services.yaml) into the ORUK tables, by id.

Child records (contacts, phones, schedules, service areas, attributes) get ids derived from
the service id, so loading again updates the same rows rather than adding new ones. Every entry
is loaded published; one with no phone, email, web address or address is not reachable and so
not shown to residents (mle/directory/reachability.py) until an editor completes it. An entry's
`source` says where its contact details come from; it is for people reading the file.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import yaml

from mle.database import db
from mle.directory.reachability import refresh_reachable
from mle.directory.taxonomy import ELIGIBILITY_TERMS, sync_taxonomies
from mle.models import (
    Attribute,
    Contact,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceArea,
)

SEED_NAMESPACE = uuid.UUID("6f1d7a8e-3a52-4c1e-9d57-0f0a3b1c2d4e")
SCHEDULE_FIELDS = ("description", "freq", "byday", "opens_at", "closes_at", "notes")


def child_id(*parts: str) -> str:
    return str(uuid.uuid5(SEED_NAMESPACE, "/".join(parts)))


def organization_id(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def load_seed_services(path: Path, replace_existing: bool = True) -> int:
    """Insert (and, with replace_existing, overwrite) every seed service, published; return
    how many were written. Without replace_existing an entry already in the database is left
    as it is, so editors' changes survive loading the seed again."""
    path = Path(path)
    entries = yaml.safe_load(path.read_text("utf-8"))["services"]
    directory = path.parent.parent
    needs = yaml.safe_load((directory / "needs.yaml").read_text("utf-8"))["needs"]
    area = yaml.safe_load((directory / "area.yaml").read_text("utf-8"))
    locality_names = {x["id"]: x["name"] for x in area["localities"]}
    sync_taxonomies({need["id"]: need["label"] for need in needs})
    written = 0
    for entry in entries:
        if replace_existing or db.session.get(Service, entry["id"]) is None:
            _load(entry, locality_names)
            written += 1
    db.session.commit()
    return written


def _organization(name: str) -> Organization:
    found = db.session.get(Organization, organization_id(name))
    if found is None:
        found = Organization(id=organization_id(name), name=name, description="")
        db.session.add(found)
    return found


def _load(entry: dict, locality_names: dict[str, str]) -> None:
    sid = entry["id"]
    service = db.session.get(Service, sid) or Service(id=sid)
    service.organization = _organization(entry["organization"])
    service.name = entry["name"]
    service.description = entry["description"]
    service.email = entry.get("email") or None
    service.url = entry.get("url") or None
    service.status = "active"
    service.publication_status = "published"
    service.coverage = entry["coverage"]
    service.minimum_age = entry.get("minimum_age")
    service.maximum_age = entry.get("maximum_age")
    service.needs_editor = entry.get("needs_editor", False)
    db.session.add(service)
    # Replace the children in two steps, so ids reused from the last load never clash.
    for children in ("contacts", "schedules", "service_areas", "attributes"):
        getattr(service, children).clear()
    db.session.flush()
    service.contacts = [_contact(sid, n, c) for n, c in enumerate(entry.get("contacts", ()))]
    service.schedules = [
        Schedule(id=child_id(sid, "schedule", str(n)),
                 **{f: s.get(f) for f in SCHEDULE_FIELDS})
        for n, s in enumerate(entry.get("schedules", ()))]
    service.service_areas = [
        ServiceArea(id=child_id(sid, "area", locality), locality=locality,
                    name=locality_names.get(locality, locality))
        for locality in entry.get("localities", ())]
    terms = list(entry["needs"]) + [ELIGIBILITY_TERMS[w][0] for w in entry.get("eligibility", ())]
    service.attributes = [
        Attribute(id=child_id(sid, "attribute", term), link_entity="service",
                  taxonomy_term_id=term)
        for term in terms]
    refresh_reachable(service)


def _contact(service_id: str, number: int, raw: dict) -> Contact:
    contact_id = child_id(service_id, "contact", str(number))
    return Contact(id=contact_id, name=raw.get("name"), title=raw.get("title"), phones=[
        Phone(id=child_id(contact_id, "phone", str(n)), number=str(p["number"]),
              description=p.get("description"))
        for n, p in enumerate(raw.get("phones", ()))])
