"""An entry's values read back from its ORUK rows, as the editors' form shows them."""

from __future__ import annotations

from flask_babel import gettext as _

from mle.directory.fields import ACCESSIBILITY_TEXT, DAYS, PHONES, EntryValues
from mle.directory.hours import opening_hours
from mle.directory.taxonomy import ELIGIBILITY_TAXONOMY, NEEDS_TAXONOMY
from mle.models import Location, Service


def terms_of(service: Service, taxonomy: str) -> list[str]:
    """The ids of the service's terms in one taxonomy (its needs, or its eligibility)."""
    return [a.taxonomy_term_id for a in service.attributes
            if a.taxonomy_term is not None and a.taxonomy_term.taxonomy_id == taxonomy]


def location_of(service: Service) -> Location | None:
    """The one place the form edits: the first of the service's locations."""
    return service.service_at_locations[0].location if service.service_at_locations else None


def _hours_by_day(service: Service) -> tuple[dict[str, tuple[str, str]], str]:
    """Weekly rows with times fill the weekday fields; anything else (a description, a monthly
    pattern, days without times) becomes words in the note, so nothing is lost on saving."""
    hours: dict[str, tuple[str, str]] = {}
    notes: list[str] = []
    for schedule in service.schedules:
        days = [d.strip() for d in (schedule.byday or "").split(",") if d.strip()]
        weekly = (schedule.freq or "WEEKLY") == "WEEKLY" and not schedule.bymonthday \
            and (schedule.interval or 1) == 1
        if weekly and days and all(d in DAYS for d in days) and schedule.opens_at \
                and schedule.closes_at:
            for day in days:
                hours.setdefault(day, (schedule.opens_at[:5], schedule.closes_at[:5]))
            extra = [schedule.description, schedule.notes]
        elif weekly and not days and not schedule.opens_at:
            extra = [schedule.description, schedule.notes]
        else:
            words = opening_hours(schedule)
            if schedule.bymonthday:
                words = _("Day %(days)s of the month: %(hours)s",
                          days=schedule.bymonthday, hours=words)
            extra = [words]
        notes += [t for t in extra if t and t not in notes]
    return hours, "\n".join(notes)


def read_entry(service: Service) -> EntryValues:
    """The entry as the form shows it; what the form cannot show is kept aside on saving."""
    hours, note = _hours_by_day(service)
    location = location_of(service)
    address = location.addresses[0] if location and location.addresses else None
    return EntryValues(
        organization=service.organization.name if service.organization else "",
        name=service.name, description=service.description,
        topics=tuple(terms_of(service, NEEDS_TAXONOMY)),
        eligibility=tuple(terms_of(service, ELIGIBILITY_TAXONOMY)),
        coverage=service.coverage, localities=tuple(service.localities),
        minimum_age=service.minimum_age, maximum_age=service.maximum_age,
        phones=tuple((phone.number, phone.description or "")
                     for phone in service.phones[:PHONES]),
        email=service.email or "", url=service.url or "",
        hours=hours, hours_note=note, fees=service.fees or "",
        amount=next((c.amount for c in service.cost_options if c.amount is not None), None),
        languages=tuple(x.name for x in service.languages if x.name),
        location_name=(location.name or "") if location else "",
        address_1=address.address_1 if address else "",
        town=address.city if address else "",
        postcode=address.postal_code if address else "",
        accessibility=tuple(a.accessibility for a in location.accessibility
                            if a.accessibility in ACCESSIBILITY_TEXT) if location else (),
        needs_editor=bool(service.needs_editor),
    )
