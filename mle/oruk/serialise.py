"""Our ORUK tables -> ORUK 3.0 JSON objects, field for field (decision 0010).

Empty values are left out (the schemas type fields as strings or numbers, not null). Our own
columns (publication_status, coverage, needs_editor, review dates) are never published. Ids
that are not UUIDs are published as UUIDv5s derived from them (mle.oruk.ids). Web addresses
that are not plain http(s) addresses are left out.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

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
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from mle.oruk.ids import oruk_id
from mle.oruk.text import html_to_text
from mle.security.web_address import is_safe_web_address

# Fields holding web addresses, from editors or imported feeds.
WEB_ADDRESS_FIELDS = frozenset({"url", "website", "logo", "uri", "term_uri", "schedule_link"})


def _value(value: Any) -> Any:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _fields(row: Any, names: tuple[str, ...]) -> dict[str, Any]:
    out = {}
    for name in names:
        value = getattr(row, name)
        if value is None or value == "":
            continue
        if name in WEB_ADDRESS_FIELDS and not is_safe_web_address(value):
            continue  # consumers make links of these: anything but http(s) is left out
        out[name] = _value(value)
    return out


def organization(row: Organization) -> dict:
    out = {"id": oruk_id("organization", row.id), "name": row.name,
           "description": row.description or ""}
    out |= _fields(row, ("email", "website", "logo", "uri"))
    if row.parent_organization_id:
        out["parent_organization_id"] = oruk_id("organization", row.parent_organization_id)
    out["organization_identifiers"] = [organization_identifier(i, out["id"])
                                       for i in row.organization_identifiers]
    return out


def organization_identifier(row: OrganizationIdentifier, organization_id: str) -> dict:
    out = _fields(row, ("id", "identifier_scheme", "identifier_type", "identifier"))
    return {**out, "organization_id": organization_id}


def taxonomy(row: Taxonomy) -> dict:
    out = {"id": oruk_id("taxonomy", row.id), "name": row.name,
           "description": row.description or ""}
    return out | _fields(row, ("uri", "version"))


def taxonomy_term(row: TaxonomyTerm) -> dict:
    out = {"id": oruk_id("taxonomy_term", row.id), "name": row.name,
           "description": row.description or ""}
    out |= _fields(row, ("taxonomy", "term_uri", "term"))
    if row.parent_id:
        out["parent_id"] = oruk_id("taxonomy_term", row.parent_id)
    if row.taxonomy_id:
        out["taxonomy_id"] = oruk_id("taxonomy", row.taxonomy_id)
    return out


def attribute(row: Attribute, link_entity: str) -> dict:
    out = {"id": row.id, "link_id": oruk_id(link_entity, row.link_id),
           "link_entity": row.link_entity,
           "taxonomy_term_id": oruk_id("taxonomy_term", row.taxonomy_term_id),
           "taxonomy_term": taxonomy_term(row.taxonomy_term)}
    return out | _fields(row, ("link_type",))


def address(row: Address) -> dict:
    return _fields(row, ("id", "location_id", "attention", "address_1", "city", "region",
                         "state_province", "postal_code", "country", "address_type"))


def accessibility(row: Accessibility) -> dict:
    return _fields(row, ("id", "location_id", "description", "details", "url",
                         "accessibility"))


def location(row: Location) -> dict:
    out = _fields(row, ("id", "location_type", "name", "description", "latitude", "longitude",
                        "external_identifier", "external_identifier_type"))
    out["addresses"] = [address(a) for a in row.addresses]
    out["accessibility"] = [accessibility(a) for a in row.accessibility]
    return out


def schedule(row: Schedule) -> dict:
    out = _fields(row, ("id", "service_at_location_id", "valid_from", "valid_to", "dtstart",
                        "freq", "interval", "byday", "bymonthday", "description", "opens_at",
                        "closes_at", "schedule_link", "attending_type", "notes"))
    if row.service_id:
        out["service_id"] = oruk_id("service", row.service_id)
    return out


def phone(row: Phone) -> dict:
    return _fields(row, ("id", "contact_id", "number", "description"))


def contact(row: Contact) -> dict:
    out = _fields(row, ("id", "name", "title"))
    if row.service_id:
        out["service_id"] = oruk_id("service", row.service_id)
    # ORUK 3.0 links phones to contacts by phone.contact_id; HSDS 3.0 nests them here.
    out["phones"] = [phone(p) for p in row.phones]
    return out


def service_area(row: ServiceArea) -> dict:
    out = _fields(row, ("id", "name", "extent", "extent_type", "uri", "service_area"))
    if row.service_id:
        out["service_id"] = oruk_id("service", row.service_id)
    return out


def cost_option(row: CostOption) -> dict:
    out = _fields(row, ("id", "valid_from", "valid_to", "option", "amount",
                        "amount_description"))
    out["service_id"] = oruk_id("service", row.service_id)
    return out


def funding(row: Funding) -> dict:
    out = _fields(row, ("id", "source"))
    out["service_id"] = oruk_id("service", row.service_id)
    return out


def language(row: Language) -> dict:
    out = _fields(row, ("id", "phone_id", "name", "code", "note"))
    if row.service_id:
        out["service_id"] = oruk_id("service", row.service_id)
    return out


def service_at_location(row: ServiceAtLocation, with_schedules: bool = True) -> dict:
    out = {"id": row.id, "service_id": oruk_id("service", row.service_id),
           "location_id": row.location_id, "location": location(row.location)}
    if with_schedules:
        out["schedules"] = [schedule(s) for s in row.schedules]
    return out


def service_summary(row: Service) -> dict:
    """The one-to-one fields of a service, with its organisation (the /services list)."""
    out = {"id": oruk_id("service", row.id), "name": row.name}
    out |= _fields(row, ("description", "url", "email", "status", "fees", "accreditations",
                         "minimum_age", "maximum_age", "assured_date", "assurer_email",
                         "alert", "last_modified"))
    if row.description:  # editors keep simple HTML; ORUK consumers get plain text
        out["description"] = html_to_text(row.description)
    out["organization_id"] = oruk_id("organization", row.organization_id)
    out["organization"] = organization(row.organization)
    return out


def service_full(row: Service) -> dict:
    """A service with everything linked to it (/services/{id} and the export)."""
    out = service_summary(row)
    out["contacts"] = [contact(c) for c in row.contacts]
    out["schedules"] = [schedule(s) for s in row.schedules]
    out["service_areas"] = [service_area(a) for a in row.service_areas]
    out["service_at_locations"] = [service_at_location(s) for s in row.service_at_locations]
    out["languages"] = [language(lang) for lang in row.languages]
    out["cost_options"] = [cost_option(c) for c in row.cost_options]
    out["funding"] = [funding(f) for f in row.funding]
    out["attributes"] = [attribute(a, "service") for a in row.attributes]
    return out
