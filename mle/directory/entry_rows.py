"""An entry's values written onto its ORUK rows: the service, its organisation, terms, areas,
phones, opening hours, cost, languages and place.

Rows the form cannot show (further phone numbers, other contacts, accessibility described in a
feed's own words, language codes) are kept as they are.
"""

from __future__ import annotations

import re
import uuid

from sqlalchemy import select

from mle.database import db
from mle.directory.entry_values import location_of
from mle.directory.fields import ACCESSIBILITY_TEXT, DAYS, PHONES, EntryValues
from mle.directory.geography import find_place
from mle.directory.richtext import sanitise_html
from mle.directory.taxonomy import ELIGIBILITY_TAXONOMY, NEEDS_TAXONOMY
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
)
from mle.site import site


def new_id() -> str:
    return str(uuid.uuid4())


def _is_uuid(value: str) -> bool:
    try:
        return len(value) == 36 and uuid.UUID(value) is not None
    except ValueError:
        return False


def id_after(previous: str | None) -> str:
    """A new UUID that sorts after `previous`: rows are read back in id order (phones, opening
    hours), so a row added last is shown last. Random but for the first eight digits, which
    are raised just past `previous`'s when a random UUID would sort before it."""
    fresh = new_id()
    if previous is None or fresh > previous or not _is_uuid(previous):
        return fresh
    head = int(previous[:8], 16)
    if head == 0xFFFFFFFF:
        return fresh
    return f"{min(head + 1 + uuid.uuid4().int % 0x10000, 0xFFFFFFFF):08x}{fresh[8:]}"


def _organization(name: str) -> Organization:
    """The organisation with exactly this name, or a new one."""
    name = name.strip()
    found = db.session.scalar(select(Organization).where(Organization.name == name).limit(1))
    if found is not None:
        return found
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:80]
    org_id = slug if slug and db.session.get(Organization, slug) is None else new_id()
    found = Organization(id=org_id, name=name, description="")
    db.session.add(found)
    return found


def _schedules(hours: dict[str, tuple[str, str]], note: str) -> list[Schedule]:
    """One weekly row for each set of days with the same hours, and the note as a row."""
    groups: dict[tuple[str, str], list[str]] = {}
    for day in DAYS:
        if day in hours:
            groups.setdefault(hours[day], []).append(day)
    rows = [Schedule(freq="WEEKLY", byday=",".join(days), opens_at=f"{opens}:00",
                     closes_at=f"{closes}:00")
            for (opens, closes), days in groups.items()]
    if note:
        rows.append(Schedule(description=note))
    # UUIDs (ORUK ids must be), sorted, so the rows are read back in this order.
    for row, row_id in zip(rows, sorted(new_id() for _ in rows), strict=True):
        row.id = row_id
    return rows


def _set_terms(service: Service, topics: list[str], criteria: list[str]) -> None:
    ours = {NEEDS_TAXONOMY, ELIGIBILITY_TAXONOMY}
    kept = [a for a in service.attributes
            if a.taxonomy_term is None or a.taxonomy_term.taxonomy_id not in ours]
    service.attributes = kept + [
        Attribute(id=new_id(), link_entity="service", taxonomy_term_id=term)
        for term in list(dict.fromkeys(topics + criteria))]


def _set_areas(service: Service, coverage: str, localities: list[str]) -> None:
    names = site().area.localities
    kept = [a for a in service.service_areas if not a.locality]
    chosen = localities if coverage == "locality" else []
    service.service_areas = kept + [
        ServiceArea(id=new_id(), locality=x, name=names[x].name) for x in chosen]


def _set_phones(service: Service, phones: tuple[tuple[str, str], ...]) -> None:
    """The form edits the first PHONES phone numbers in place; contacts, and any further
    numbers an imported feed gave, are kept as they are."""
    slots = service.phones[:PHONES]
    for n in range(1, PHONES + 1):
        given_number, given_description = phones[n - 1] if n <= len(phones) else ("", "")
        number = (given_number or "").strip()
        description = (given_description or "").strip() or None
        if n <= len(slots):
            phone = slots[n - 1]
            if number:
                phone.number, phone.description = number, description
            else:
                owner = next(c for c in service.contacts if phone in c.phones)
                owner.phones.remove(phone)
        elif number:
            if not service.contacts:
                service.contacts.append(Contact(id=new_id()))
            contact = service.contacts[0]
            last = max((p.id for p in contact.phones), default=None)
            contact.phones.append(Phone(id=id_after(last), number=number,
                                        description=description))


def _set_location(service: Service, values: EntryValues) -> None:
    address_1 = values.address_1.strip()
    location = location_of(service)
    if not address_1:
        service.service_at_locations = []
        return
    if location is None:
        location = Location(id=new_id(), location_type="physical")
        service.service_at_locations = [ServiceAtLocation(id=new_id(), location=location)]
    place = find_place(values.postcode)
    location.name = values.location_name.strip() or None
    location.latitude, location.longitude = place.centroid or (None, None)
    location.addresses = [Address(id=new_id(), address_1=address_1,
                                  city=values.town.strip(), state_province="Scotland",
                                  postal_code=values.postcode, country="GB")]
    # Features described in other words (by an imported feed) are kept as they are.
    kept = [a for a in location.accessibility if a.accessibility not in ACCESSIBILITY_TEXT]
    location.accessibility = kept + [
        Accessibility(id=new_id(), accessibility=key, description=ACCESSIBILITY_TEXT[key])
        for key in values.accessibility]


def write_entry(service: Service, values: EntryValues) -> None:
    """Copy an editor's checked values onto the service and its ORUK child rows."""
    with db.session.no_autoflush:
        service.organization = _organization(values.organization)
    service.name = values.name.strip()
    service.description = sanitise_html(values.description)
    service.coverage = values.coverage
    service.minimum_age, service.maximum_age = values.minimum_age, values.maximum_age
    service.email = values.email.strip().lower() or None
    service.url = values.url.strip() or None
    service.fees = values.fees.strip() or None
    service.needs_editor = bool(values.needs_editor)
    db.session.add(service)
    # Children are replaced: empty the lists and flush first, so no old row lingers.
    for children in ("schedules", "cost_options"):
        getattr(service, children).clear()
    db.session.flush()
    _set_terms(service, list(values.topics), list(values.eligibility))
    _set_areas(service, values.coverage, list(values.localities))
    _set_phones(service, values.phones)
    service.schedules = _schedules(dict(values.hours), values.hours_note.strip())
    if service.fees or values.amount is not None:
        service.cost_options = [CostOption(id=new_id(), amount=values.amount,
                                           amount_description=service.fees)]
    known = {x.name: x for x in service.languages}  # keeps the codes a feed gave
    service.languages = [known.get(name) or Language(id=new_id(), name=name)
                         for name in values.languages]
    _set_location(service, values)
