"""One ORUK record's parts as our rows: its organisation, contacts and phones, schedules,
areas, costs, languages, places and terms.

Organisations, locations and taxonomy terms may be shared by many services: a run writes a
shared row's fields only from the first record that names it, and a record may name one it
does not describe only when the row is already known.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mle.database import db
from mle.models import (
    Accessibility,
    Address,
    Attribute,
    Contact,
    CostOption,
    Funding,
    Language,
    Location,
    Organization,
    OrganizationIdentifier,
    Phone,
    Schedule,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from mle.oruk.columns import (
    ACCESSIBILITY_FIELDS,
    ADDRESS_FIELDS,
    CONTACT_FIELDS,
    COST_OPTION_FIELDS,
    FUNDING_FIELDS,
    LANGUAGE_FIELDS,
    LOCATION_FIELDS,
    ORGANIZATION_FIELDS,
    ORGANIZATION_IDENTIFIER_FIELDS,
    PHONE_FIELDS,
    SCHEDULE_FIELDS,
    SERVICE_AREA_FIELDS,
    TAXONOMY_TERM_FIELDS,
    column_values,
)
from mle.oruk.feed import blank_to_none
from mle.oruk.ids import local_id
from mle.oruk.import_result import RecordInvalid


@dataclass
class ImportRun:
    """What one import run decided and has done so far."""

    publish: bool
    coverage: str
    seen_services: dict[str, int] = field(default_factory=dict)  # id -> record number
    shared_done: set[tuple[str, str]] = field(default_factory=set)  # (table, id) this run


def _shared(model, table: str, oruk: str, run: ImportRun) -> tuple[Any, bool]:
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


def organization_of(data: dict, run: ImportRun) -> Organization:
    raw = data.get("organization") or {}
    organization, first = _shared(Organization, "organization",
                                  raw.get("id") or data["organization_id"], run)
    if first and raw.get("name"):
        for name, value in column_values(Organization, raw, ORGANIZATION_FIELDS,
                                         "organization/").items():
            setattr(organization, name, value)
        organization.description = organization.description or ""
        organization.parent_organization_id = _parent_id(raw.get("parent_organization_id"))
        _replace_identifiers(organization, raw.get("organization_identifiers", ()))
    elif organization.name is None:
        raise RecordInvalid("organization: not known here, and the record does not describe it")
    return organization


def _parent_id(published: str | None) -> str | None:
    """Ours when the parent is known here; else the feed's id, kept so it is published again."""
    if not published:
        return None
    return local_id(Organization, "organization", published) or published


def _replace_identifiers(organization: Organization, raws) -> None:
    if organization.organization_identifiers:
        organization.organization_identifiers.clear()
        db.session.flush()  # the old rows go first, so ids kept from the last import never clash
    organization.organization_identifiers = [
        OrganizationIdentifier(id=i["id"], **column_values(
            OrganizationIdentifier, i, ORGANIZATION_IDENTIFIER_FIELDS,
            "organization/organization_identifiers/"))
        for i in raws]


def contact_row(raw: dict) -> Contact:
    phones = [Phone(id=p["id"], **column_values(Phone, p, PHONE_FIELDS, "phones/"))
              for p in raw.get("phones", ()) if isinstance(p, dict) and p.get("id")
              and p.get("number")]
    return Contact(id=raw["id"], phones=phones,
                   **column_values(Contact, raw, CONTACT_FIELDS, "contacts/"))


def _two_digit_hours(values: dict) -> dict:
    """'9:00' as '09:00', so opening times compare as text (the API's time filters)."""
    for name in ("opens_at", "closes_at"):
        value = values.get(name)
        if value and 1 < len(value) < 8 and value[0].isdigit() and value[1] == ":":
            values[name] = "0" + value
    return values


def schedule_rows(raws) -> list[Schedule]:
    return [Schedule(id=s["id"], **_two_digit_hours(
        column_values(Schedule, s, SCHEDULE_FIELDS, "schedules/"))) for s in raws]


def service_area_row(raw: dict, locality: str | None) -> ServiceArea:
    """The area as the feed gives it, with our own column (the locality) kept."""
    return ServiceArea(id=raw["id"], locality=locality,
                       **column_values(ServiceArea, raw, SERVICE_AREA_FIELDS, "service_areas/"))


def cost_option_row(raw: dict) -> CostOption:
    return CostOption(id=raw["id"], **column_values(CostOption, raw, COST_OPTION_FIELDS,
                                                    "cost_options/"))


def funding_row(raw: dict) -> Funding:
    return Funding(id=raw["id"], **column_values(Funding, raw, FUNDING_FIELDS, "funding/"))


def language_row(raw: dict) -> Language:
    return Language(id=raw["id"], **column_values(Language, raw, LANGUAGE_FIELDS,
                                                  "languages/"))


def service_at_location_row(raw: dict, run: ImportRun) -> ServiceAtLocation:
    location_raw = raw.get("location") or {}
    location_id = location_raw.get("id") or raw.get("location_id")
    if not location_id:
        raise RecordInvalid("service_at_locations: a service at location names no location")
    location, first = _shared(Location, "location", location_id, run)
    if first and location_raw:
        for name, value in column_values(Location, location_raw, LOCATION_FIELDS,
                                         "location/").items():
            setattr(location, name, value)
        location.addresses.clear()
        location.accessibility.clear()
        db.session.flush()
        location.addresses = [Address(id=a["id"], **column_values(Address, a, ADDRESS_FIELDS,
                                                                    "location/addresses/"))
                              for a in location_raw.get("addresses", ())]
        location.accessibility = [
            Accessibility(id=a["id"], **column_values(Accessibility, a, ACCESSIBILITY_FIELDS,
                                                      "location/accessibility/"))
            for a in location_raw.get("accessibility", ())]
    elif location.location_type is None:
        raise RecordInvalid("service_at_locations: location not known here, and the record "
                            "does not describe it")
    return ServiceAtLocation(id=raw["id"], location=location,
                             schedules=schedule_rows(raw.get("schedules", ())))


def attribute_row(raw: dict, service_id: str, run: ImportRun) -> Attribute:
    term_raw = raw.get("taxonomy_term") or {}
    term_id = term_raw.get("id") or raw.get("taxonomy_term_id")
    if not term_id:
        raise RecordInvalid("attributes: an attribute names no taxonomy term")
    term, first = _shared(TaxonomyTerm, "taxonomy_term", term_id, run)
    if first and term_raw:
        for name, value in column_values(TaxonomyTerm, term_raw, TAXONOMY_TERM_FIELDS,
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
                     taxonomy_term_id=term.id, link_type=blank_to_none(raw.get("link_type")))
