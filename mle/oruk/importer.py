"""Import services from an Open Referral UK feed: ORUK 3.0 records, or the older v1-style
list records (with Placecube `pc_*` extensions) that many councils still publish.

Each record is put into ORUK 3.0 shape, validated against the ORUK 3.0 service schema and our
own limits, and upserted by id inside its own savepoint, so a record is imported whole or not
at all. A record the import would not change (compared as its ORUK 3.0 output) is counted as
unchanged and left alone, so importing the same file twice changes nothing. New and changed
services land as drafts flagged for an editor unless `publish` is set.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import String

from mle.extensions import db
from mle.models import (
    Accessibility,
    Address,
    Attribute,
    Contact,
    CostOption,
    Language,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from mle.oruk import serialise
from mle.oruk.ids import local_id
from mle.oruk.schemas import errors as schema_errors
from mle.oruk.text import html_to_text
from mle.vocabulary import COVERAGES

# v1-style fields with no ORUK 3.0 home: left out (see docs/open-referral.md).
V1_ONLY = ("deliverable_type", "attending_type", "attending_access",
           "pc_attendingAccess_additionalInfo", "pc_metadata", "pc_targetAudience")
SERVICE_FIELDS = ("name", "description", "url", "email", "status", "fees", "accreditations",
                  "minimum_age", "maximum_age", "assured_date", "assurer_email", "alert",
                  "last_modified")
ORGANIZATION_FIELDS = ("name", "description", "email", "website", "logo", "uri")
LOCATION_FIELDS = ("location_type", "name", "description", "latitude", "longitude",
                   "external_identifier", "external_identifier_type")
ADDRESS_FIELDS = ("attention", "address_1", "city", "region", "state_province", "postal_code",
                  "country", "address_type")
ACCESSIBILITY_FIELDS = ("description", "details", "url", "accessibility")
SCHEDULE_FIELDS = ("valid_from", "valid_to", "dtstart", "freq", "interval", "byday",
                   "bymonthday", "description", "opens_at", "closes_at", "schedule_link",
                   "attending_type", "notes")
TEXT_FROM_HTML = ("description",)


class ImportFailed(Exception):
    """The file cannot be imported at all: nothing was changed."""


class RecordInvalid(Exception):
    pass


@dataclass
class ImportReport:
    imported: int = 0  # new services
    updated: int = 0
    unchanged: int = 0
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (record id, reason)
    feed_format: str = ""

    @property
    def total(self) -> int:
        return self.imported + self.updated + self.unchanged + len(self.rejected)


def read_records(path: Path) -> list:
    """The records of a feed file: a JSON list, an ORUK page ({"contents": [...]}) or one
    service object."""
    try:
        data = json.loads(Path(path).read_text("utf-8"))
    except UnicodeDecodeError:
        raise ImportFailed(f"{path} is not a UTF-8 text file") from None
    except json.JSONDecodeError as error:
        raise ImportFailed(f"{path} is not JSON: {error.msg} at line {error.lineno}, "
                           f"column {error.colno}") from None
    if isinstance(data, dict) and isinstance(data.get("contents"), list):
        return data["contents"]
    if isinstance(data, dict) and "id" in data:
        return [data]
    if isinstance(data, list):
        return data
    raise ImportFailed(f"{path} is JSON but not a list of services, an ORUK page of them, "
                       "or one service")


def is_v1(record: dict) -> bool:
    return any(key in record for key in V1_ONLY)


def _blank_to_none(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _clean(value: Any) -> Any:
    """Drop empty strings and nulls throughout, so they are 'not given', as in ORUK 3.0."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if _blank_to_none(v) is not None}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def from_v1(record: dict) -> dict:
    """A v1-style list record in ORUK 3.0 shape: v1-only fields left out, organization.url
    is ORUK 3.0's organization.website, pc_metadata.date_modified becomes last_modified."""
    out = {k: v for k, v in record.items() if k not in V1_ONLY}
    modified = (record.get("pc_metadata") or {}).get("date_modified")
    if modified and "last_modified" not in out:
        out["last_modified"] = f"{modified}T00:00:00Z"
    organization = out.get("organization")
    if isinstance(organization, dict):
        organization = dict(organization)
        if "url" in organization and "website" not in organization:
            organization["website"] = organization.pop("url")
        else:
            organization.pop("url", None)
        out["organization"] = organization
    return out


def _parse_date(value: Any, name: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise RecordInvalid(f"{name} is not a date (YYYY-MM-DD): {str(value)[:40]!r}") from None


def _parse_datetime(value: Any, name: str) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise RecordInvalid(f"{name} is not a date and time: {str(value)[:40]!r}") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _values(model, data: dict, names: Iterable[str], where: str) -> dict:
    """Column values for `model` from an ORUK object: dates parsed, HTML made text, lengths
    checked against our columns."""
    columns = model.__table__.columns
    out = {}
    for name in names:
        value = data.get(name)
        column_type = columns[name].type
        if name in TEXT_FROM_HTML and isinstance(value, str):
            value = html_to_text(value)
        if value is None:
            out[name] = None
            continue
        python_type = column_type.python_type
        if python_type is date:
            value = _parse_date(value, f"{where}{name}")
        elif python_type is datetime:
            value = _parse_datetime(value, f"{where}{name}")
        elif python_type is int:
            value = int(value)
        elif python_type is float:
            value = float(value)
        elif isinstance(value, str) and isinstance(column_type, String) and column_type.length:
            value = value.strip()
            if len(value) > column_type.length:
                raise RecordInvalid(f"{where}{name} is longer than {column_type.length} "
                                    "characters")
        out[name] = value
    return out


@dataclass
class _Run:
    publish: bool
    coverage: str
    seen_services: dict[str, int] = field(default_factory=dict)  # id -> record number
    shared_done: set[tuple[str, str]] = field(default_factory=set)  # (table, id) this run


def validate(record: Any) -> dict:
    """The record in ORUK 3.0 shape, or RecordInvalid with every reason."""
    if not isinstance(record, dict):
        raise RecordInvalid("not a JSON object")
    shaped = _clean(from_v1(record) if is_v1(record) else record)
    if isinstance(shaped.get("organization"), dict):
        shaped["organization"].setdefault("description", "")  # required, and may be empty
    for attribute in shaped.get("attributes") or ():
        if isinstance(attribute, dict) and isinstance(attribute.get("taxonomy_term"), dict):
            attribute["taxonomy_term"].setdefault("description", "")
    problems = schema_errors("service", shaped)
    if not (shaped.get("name") or "").strip():
        problems = ["name: the service has no name"] + [
            p for p in problems if p != "(record): 'name' is a required property"]
    organization = shaped.get("organization")
    organization = organization if isinstance(organization, dict) else None
    if not ((organization or {}).get("id") or shaped.get("organization_id")):
        problems.append("organization: no organization is given, and every service here "
                        "belongs to one")
    elif organization is not None and not (organization.get("name") or "").strip():
        problems.append("organization/name: the organization has no name")
    if problems:
        raise RecordInvalid("; ".join(problems[:5]))
    return shaped


def _record_id(record: Any, number: int) -> str:
    if isinstance(record, dict) and isinstance(record.get("id"), str) and record["id"]:
        return record["id"][:80]
    return f"record {number}"


def import_records(records: list, *, publish: bool = False, coverage: str = "area"
                   ) -> ImportReport:
    """Validate and upsert every record; commit if any is valid, else change nothing."""
    if coverage not in COVERAGES:
        raise ImportFailed(f"coverage must be one of {', '.join(COVERAGES)}")
    report = ImportReport()
    run = _Run(publish, coverage)
    versions = {"v1": 0, "3.0": 0}
    for number, record in enumerate(records, start=1):
        record_id = _record_id(record, number)
        shared_before = set(run.shared_done)
        versions["v1" if isinstance(record, dict) and is_v1(record) else "3.0"] += 1
        try:
            shaped = validate(record)
            if shaped["id"] in run.seen_services:
                raise RecordInvalid(f"id: the same id as record {run.seen_services[shaped['id']]}"
                                    " in this file, which was imported")
            run.seen_services[shaped["id"]] = number
            savepoint = db.session.begin_nested()
            try:
                outcome = _upsert(shaped, run)
            except BaseException:
                savepoint.rollback()
                raise
            if outcome == "unchanged":
                savepoint.rollback()  # leave even our own columns exactly as they were
            else:
                savepoint.commit()
        except Exception as error:  # noqa: BLE001 - the savepoint has undone the record
            if isinstance(record, dict) and run.seen_services.get(record.get("id")) == number:
                del run.seen_services[record["id"]]
            run.shared_done = shared_before
            reason = (str(error) if isinstance(error, RecordInvalid)
                      else f"could not be stored: {type(error).__name__}")
            report.rejected.append((record_id, reason))
            continue
        setattr(report, outcome, getattr(report, outcome) + 1)
    report.feed_format = " and ".join(f"{n} ORUK {v}" for v, n in versions.items() if n)
    if not records:
        db.session.rollback()
        raise ImportFailed("the file holds no records")
    if report.imported + report.updated + report.unchanged == 0:
        db.session.rollback()
        raise ImportFailed(f"all {len(records)} records are invalid; nothing was imported",
                           ) from None
    db.session.commit()
    return report


def import_file(path: Path, *, publish: bool = False, coverage: str = "area") -> ImportReport:
    return import_records(read_records(path), publish=publish, coverage=coverage)


def _fingerprint(service: Service) -> str:
    def sort(value):
        if isinstance(value, dict):
            return {k: sort(v) for k, v in value.items()}
        if isinstance(value, list):
            return sorted((sort(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
        return value
    return json.dumps(sort(serialise.service_full(service)), sort_keys=True, default=str)


def _upsert(data: dict, run: _Run) -> str:
    """Insert or update one service and what hangs off it; 'imported', 'updated' or
    'unchanged'."""
    sid = local_id(Service, "service", data["id"]) or data["id"]
    service = db.session.get(Service, sid)
    before = _fingerprint(service) if service is not None else None
    values = _values(Service, data, SERVICE_FIELDS, "")
    organization = _organization(data, run)
    if service is None:
        service = Service(id=sid, coverage=run.coverage)
        db.session.add(service)
    for name, value in values.items():
        setattr(service, name, value)
    service.status = values["status"]
    service.description = values["description"] or ""
    service.organization = organization
    _children(service, data, run)
    db.session.flush()
    db.session.expire(service)
    after = _fingerprint(db.session.get(Service, sid))
    if after == before:
        return "unchanged"
    service.publication_status = "published" if run.publish else "draft"
    service.needs_editor = not run.publish
    return "imported" if before is None else "updated"


def _shared(model, table: str, oruk: str, run: _Run) -> tuple[Any, bool]:
    """A row other services may share (organisation, location, taxonomy term): found or new,
    and whether this run may write its fields (only its first record naming it does)."""
    our_id = local_id(model, table, oruk) or oruk
    row = db.session.get(model, our_id)
    if row is None:
        row = model(id=our_id)
        db.session.add(row)
    first = (table, our_id) not in run.shared_done
    run.shared_done.add((table, our_id))
    return row, first


def _organization(data: dict, run: _Run) -> Organization:
    raw = data.get("organization") or {}
    organization, first = _shared(Organization, "organization",
                                  raw.get("id") or data["organization_id"], run)
    if first and raw.get("name"):
        for name, value in _values(Organization, raw, ORGANIZATION_FIELDS,
                                   "organization/").items():
            setattr(organization, name, value)
        organization.description = organization.description or ""
    elif organization.name is None:
        raise RecordInvalid("organization: not known here, and the record does not describe it")
    return organization


def _children(service: Service, data: dict, run: _Run) -> None:
    # Replace in two steps, so ids kept from the last import never clash.
    # Our own column on service areas (the locality) is kept for the areas the feed keeps.
    localities = {area.id: area.locality for area in service.service_areas}
    for children in ("contacts", "schedules", "service_areas", "service_at_locations",
                     "cost_options", "languages", "attributes"):
        getattr(service, children).clear()
    db.session.flush()
    service.contacts = [_contact(c) for c in data.get("contacts", ())]
    service.schedules = [Schedule(id=s["id"], **_values(Schedule, s, SCHEDULE_FIELDS,
                                                        "schedules/"))
                         for s in data.get("schedules", ())]
    service.service_areas = [
        ServiceArea(id=a["id"], locality=localities.get(a["id"]),
                    **_values(ServiceArea, a, ("name", "extent", "extent_type", "uri",
                                               "service_area"), "service_areas/"))
        for a in data.get("service_areas", ())]
    service.cost_options = [
        CostOption(id=c["id"], **_values(CostOption, c, ("valid_from", "valid_to", "option",
                                                         "amount", "amount_description"),
                                         "cost_options/"))
        for c in data.get("cost_options", ())]
    service.languages = [Language(id=lang["id"], **_values(Language, lang,
                                                           ("name", "code", "note"),
                                                           "languages/"))
                         for lang in data.get("languages", ())]
    service.service_at_locations = [_service_at_location(s, run)
                                    for s in data.get("service_at_locations", ())]
    service.attributes = [_attribute(a, service.id, run) for a in data.get("attributes", ())]


def _contact(raw: dict) -> Contact:
    phones = [Phone(id=p["id"], **_values(Phone, p, ("number", "description"), "phones/"))
              for p in raw.get("phones", ()) if isinstance(p, dict) and p.get("id")
              and p.get("number")]
    return Contact(id=raw["id"], phones=phones,
                   **_values(Contact, raw, ("name", "title"), "contacts/"))


def _service_at_location(raw: dict, run: _Run) -> ServiceAtLocation:
    location_raw = raw.get("location") or {}
    location_id = location_raw.get("id") or raw.get("location_id")
    if not location_id:
        raise RecordInvalid("service_at_locations: a service at location names no location")
    location, first = _shared(Location, "location", location_id, run)
    if first and location_raw:
        for name, value in _values(Location, location_raw, LOCATION_FIELDS,
                                   "location/").items():
            setattr(location, name, value)
        location.addresses.clear()
        location.accessibility.clear()
        db.session.flush()
        location.addresses = [Address(id=a["id"], **_values(Address, a, ADDRESS_FIELDS,
                                                              "location/addresses/"))
                              for a in location_raw.get("addresses", ())]
        location.accessibility = [
            Accessibility(id=a["id"], **_values(Accessibility, a, ACCESSIBILITY_FIELDS,
                                                "location/accessibility/"))
            for a in location_raw.get("accessibility", ())]
    elif location.location_type is None:
        raise RecordInvalid("service_at_locations: location not known here, and the record "
                            "does not describe it")
    return ServiceAtLocation(id=raw["id"], location=location, schedules=[
        Schedule(id=s["id"], **_values(Schedule, s, SCHEDULE_FIELDS, "schedules/"))
        for s in raw.get("schedules", ())])


def _attribute(raw: dict, service_id: str, run: _Run) -> Attribute:
    term_raw = raw.get("taxonomy_term") or {}
    term_id = term_raw.get("id") or raw.get("taxonomy_term_id")
    if not term_id:
        raise RecordInvalid("attributes: an attribute names no taxonomy term")
    term, first = _shared(TaxonomyTerm, "taxonomy_term", term_id, run)
    if first and term_raw:
        for name, value in _values(TaxonomyTerm, term_raw,
                                   ("name", "description", "taxonomy", "term_uri", "term"),
                                   "taxonomy_term/").items():
            setattr(term, name, value)
        term.description = term.description or ""
        if term_raw.get("taxonomy_id"):
            taxonomy, _ = _shared(Taxonomy, "taxonomy", term_raw["taxonomy_id"], run)
            if taxonomy.name is None:
                taxonomy.name = term_raw.get("taxonomy") or term_raw["taxonomy_id"]
                taxonomy.description = ""
            term.taxonomy_id = taxonomy.id
    elif term.name is None:
        raise RecordInvalid("attributes: taxonomy term not known here, and the record does "
                            "not describe it")
    return Attribute(id=raw["id"], link_id=service_id, link_entity="service",
                     taxonomy_term_id=term.id, link_type=_blank_to_none(raw.get("link_type")))
