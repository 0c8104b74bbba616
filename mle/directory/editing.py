"""Editing directory entries: form <-> ORUK rows, sanitised HTML, field-level history, the
editorial workflow (publish, archive, "still correct" review) and the editors' list.

Every change is written to service_change (field, before, after, who, when) and to the audit
trail, in the same transaction as the change itself.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import exists, func, or_, select

from mle.directory.geography import find_place
from mle.directory.hours import opening_hours
from mle.directory.richtext import sanitise_html
from mle.directory.taxonomy import ELIGIBILITY_TAXONOMY, NEEDS_TAXONOMY
from mle.extensions import db
from mle.forms.editor import ACCESSIBILITY, ACCESSIBILITY_TEXT, DAYS, PHONES
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
    ProblemReport,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceChange,
    TaxonomyTerm,
)
from mle.security.audit import audit
from mle.site import site

PAGE_SIZE = 25

# The fields of an entry as the history shows them, in the order of the form.
HISTORY_FIELDS = ("organization", "name", "description", "topics", "coverage", "localities",
                  "minimum_age", "maximum_age", "eligibility", "phones", "email", "url",
                  "opening_hours", "fees", "languages", "location", "accessibility",
                  "needs_editor", "publication_status", "last_reviewed")


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - one of the four always fits


def review_period() -> int:
    return int(current_app.config["MLE_REVIEW_PERIOD_MONTHS"])


def needs_review(today: date):
    """Never reviewed, reviewed longer ago than the review period, or past its review date."""
    cutoff = add_months(today, -review_period())
    return or_(Service.last_reviewed.is_(None), Service.last_reviewed <= cutoff,
               Service.review_due < today)


# Reading an entry --------------------------------------------------------------------------

def _terms(service: Service, taxonomy: str) -> list[str]:
    return [a.taxonomy_term_id for a in service.attributes
            if a.taxonomy_term is not None and a.taxonomy_term.taxonomy_id == taxonomy]


def _location(service: Service) -> Location | None:
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


def form_data(service: Service) -> dict:
    """The entry as the form's data."""
    hours, note = _hours_by_day(service)
    location = _location(service)
    address = location.addresses[0] if location and location.addresses else None
    data = {
        "organization": service.organization.name if service.organization else "",
        "name": service.name, "description": service.description,
        "topics": _terms(service, NEEDS_TAXONOMY),
        "eligibility": _terms(service, ELIGIBILITY_TAXONOMY),
        "coverage": service.coverage, "localities": service.localities,
        "minimum_age": "" if service.minimum_age is None else str(service.minimum_age),
        "maximum_age": "" if service.maximum_age is None else str(service.maximum_age),
        "email": service.email or "", "url": service.url or "",
        "hours_note": note, "fees": service.fees or "",
        "cost_amount": next((f"{c.amount:.2f}" for c in service.cost_options
                             if c.amount is not None), ""),
        "languages": ", ".join(x.name for x in service.languages if x.name),
        "location_name": (location.name or "") if location else "",
        "address_1": address.address_1 if address else "",
        "town": address.city if address else "",
        "postcode": address.postal_code if address else "",
        "accessibility": [a.accessibility for a in location.accessibility
                          if a.accessibility in ACCESSIBILITY] if location else [],
        "needs_editor": bool(service.needs_editor),
    }
    for n, phone in enumerate(service.phones[:PHONES], start=1):
        data[f"phone_{n}"], data[f"phone_{n}_label"] = phone.number, phone.description or ""
    for day, (opens, closes) in hours.items():
        data[f"{day}_opens"], data[f"{day}_closes"] = opens, closes
    return data


def snapshot(service: Service) -> dict[str, str]:
    """Every field the history tracks, as text."""
    location = _location(service)
    place = ""
    if location is not None:
        parts = [location.name] + [", ".join([a.address_1, a.city, a.postal_code])
                                   for a in location.addresses]
        place = ", ".join(p for p in parts if p)
    return {
        "organization": service.organization.name if service.organization else "",
        "name": service.name or "", "description": service.description or "",
        "topics": ", ".join(sorted(_terms(service, NEEDS_TAXONOMY))),
        "coverage": service.coverage or "",
        "localities": ", ".join(sorted(service.localities)),
        "minimum_age": "" if service.minimum_age is None else str(service.minimum_age),
        "maximum_age": "" if service.maximum_age is None else str(service.maximum_age),
        "eligibility": ", ".join(sorted(_terms(service, ELIGIBILITY_TAXONOMY))),
        "phones": "; ".join(p.number + (f" ({p.description})" if p.description else "")
                            for p in service.phones),
        "email": service.email or "", "url": service.url or "",
        # Sorted, so rows saved again in another order are not a change.
        "opening_hours": "\n".join(sorted(opening_hours(s) for s in service.schedules)),
        "fees": "; ".join(t for t in [service.fees or ""] + [
            f"£{c.amount:.2f}" for c in service.cost_options if c.amount is not None] if t),
        "languages": ", ".join(sorted(x.name for x in service.languages if x.name)),
        "location": place,
        "accessibility": ", ".join(sorted(a.accessibility or a.description or ""
                                          for a in location.accessibility)) if location else "",
        "needs_editor": "yes" if service.needs_editor else "",
        "publication_status": service.publication_status or "",
        "last_reviewed": service.last_reviewed.isoformat() if service.last_reviewed else "",
    }


def record_changes(service: Service, before: dict[str, str], user_id: int | None) -> list[str]:
    """Write a history row for each field that differs from `before`; return their names."""
    db.session.flush()
    db.session.refresh(service)
    after = snapshot(service)
    changed = [f for f in HISTORY_FIELDS if before.get(f, "") != after.get(f, "")]
    if changed:
        service.last_modified = datetime.now(UTC)  # ORUK's own field, for feeds and exports
    for field in changed:
        db.session.add(ServiceChange(service_id=service.id, changed_by_id=user_id, field=field,
                                     before=before.get(field) or None,
                                     after=after.get(field) or None))
    return changed


def history(service_id: str) -> list[ServiceChange]:
    return list(db.session.scalars(select(ServiceChange).where(
        ServiceChange.service_id == service_id).order_by(ServiceChange.changed_at.desc(),
                                                         ServiceChange.id.desc())))


# Writing an entry --------------------------------------------------------------------------

def _new_id() -> str:
    return str(uuid.uuid4())


def _organization(name: str) -> Organization:
    name = name.strip()
    found = db.session.scalar(select(Organization).where(Organization.name == name).limit(1))
    if found is not None:
        return found
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:80]
    org_id = slug if slug and db.session.get(Organization, slug) is None else _new_id()
    found = Organization(id=org_id, name=name, description="")
    db.session.add(found)
    return found


def _schedules(hours: dict[str, tuple[str, str]], note: str) -> list[Schedule]:
    """One weekly row for each set of days with the same hours, and the note as a row."""
    base = _new_id()  # one prefix and a counter: the rows keep this order (by id)
    groups: dict[tuple[str, str], list[str]] = {}
    for day in DAYS:
        if day in hours:
            groups.setdefault(hours[day], []).append(day)
    rows = [Schedule(id=f"{base}-{n:02d}", freq="WEEKLY", byday=",".join(days),
                     opens_at=f"{opens}:00", closes_at=f"{closes}:00")
            for n, ((opens, closes), days) in enumerate(groups.items())]
    if note:
        rows.append(Schedule(id=f"{base}-99", description=note))
    return rows


def _set_terms(service: Service, topics: list[str], criteria: list[str]) -> None:
    ours = {NEEDS_TAXONOMY, ELIGIBILITY_TAXONOMY}
    kept = [a for a in service.attributes
            if a.taxonomy_term is None or a.taxonomy_term.taxonomy_id not in ours]
    service.attributes = kept + [
        Attribute(id=_new_id(), link_entity="service", taxonomy_term_id=term)
        for term in list(dict.fromkeys(topics + criteria))]


def _set_areas(service: Service, coverage: str, localities: list[str]) -> None:
    names = site().area.localities
    kept = [a for a in service.service_areas if not a.locality]
    chosen = localities if coverage == "locality" else []
    service.service_areas = kept + [
        ServiceArea(id=_new_id(), locality=x, name=names[x].name) for x in chosen]


def _set_contacts(service: Service, form) -> None:
    """The form edits the first PHONES phone numbers in place; contacts, and any further
    numbers an imported feed gave, are kept as they are."""
    slots = service.phones[:PHONES]
    for n in range(1, PHONES + 1):
        number = (form[f"phone_{n}"].data or "").strip()
        description = (form[f"phone_{n}_label"].data or "").strip() or None
        if n <= len(slots):
            phone = slots[n - 1]
            if number:
                phone.number, phone.description = number, description
            else:
                owner = next(c for c in service.contacts if phone in c.phones)
                owner.phones.remove(phone)
        elif number:
            if not service.contacts:
                service.contacts.append(Contact(id=_new_id()))
            contact = service.contacts[0]
            contact.phones.append(Phone(id=_next_id(contact), number=number,
                                        description=description))


def _next_id(contact: Contact) -> str:
    """An id that sorts after the contact's other phones, so numbers keep their order."""
    last = max([p.id for p in contact.phones] or [contact.id])
    return f"{last}-1" if len(last) <= 78 else _new_id()


def _set_location(service: Service, form) -> None:
    address_1 = (form.address_1.data or "").strip()
    location = _location(service)
    if not address_1:
        service.service_at_locations = []
        return
    if location is None:
        location = Location(id=_new_id(), location_type="physical")
        service.service_at_locations = [ServiceAtLocation(id=_new_id(), location=location)]
    place = find_place(form.postcode.data)
    location.name = (form.location_name.data or "").strip() or None
    location.latitude, location.longitude = place.centroid or (None, None)
    location.addresses = [Address(id=_new_id(), address_1=address_1,
                                  city=form.town.data.strip(), state_province="Scotland",
                                  postal_code=form.postcode.data, country="GB")]
    # Features described in other words (by an imported feed) are kept as they are.
    kept = [a for a in location.accessibility if a.accessibility not in ACCESSIBILITY]
    location.accessibility = kept + [
        Accessibility(id=_new_id(), accessibility=key, description=ACCESSIBILITY_TEXT[key])
        for key in form.accessibility.data or []]


def apply_form(service: Service, form) -> None:
    """Copy a validated EntryForm onto the service and its ORUK child rows."""
    with db.session.no_autoflush:
        service.organization = _organization(form.organization.data)
    service.name = form.name.data.strip()
    service.description = sanitise_html(form.description.data)
    service.coverage = form.coverage.data
    service.minimum_age, service.maximum_age = form.ages
    service.email = (form.email.data or "").strip().lower() or None
    service.url = (form.url.data or "").strip() or None
    service.fees = (form.fees.data or "").strip() or None
    service.needs_editor = bool(form.needs_editor.data)
    db.session.add(service)
    # Children are replaced: empty the lists and flush first, so no old row lingers.
    for children in ("schedules", "cost_options"):
        getattr(service, children).clear()
    db.session.flush()
    _set_terms(service, list(form.topics.data or []), list(form.eligibility.data or []))
    _set_areas(service, form.coverage.data, list(form.localities.data or []))
    _set_contacts(service, form)
    service.schedules = _schedules(form.hours, (form.hours_note.data or "").strip())
    if service.fees or form.amount is not None:
        service.cost_options = [CostOption(id=_new_id(), amount=form.amount,
                                           amount_description=service.fees)]
    known = {x.name: x for x in service.languages}  # keeps the codes a feed gave
    service.languages = [known.get(name) or Language(id=_new_id(), name=name)
                         for name in form.language_names]
    _set_location(service, form)


def create_entry(form, user_id: int) -> Service:
    service = Service(id=_new_id(), status="active", publication_status="draft",
                      description="")
    apply_form(service, form)
    db.session.flush()
    record_changes(service, {}, user_id)
    audit("directory.service_created", "service", service.id)
    return service


def update_entry(service: Service, form, user_id: int) -> list[str]:
    before = snapshot(service)
    apply_form(service, form)
    changed = record_changes(service, before, user_id)
    audit("directory.service_changed", "service", service.id, fields=changed)
    return changed


def set_publication(service: Service, status: str, user_id: int) -> None:
    before = snapshot(service)
    service.publication_status = status
    record_changes(service, before, user_id)
    audit(f"directory.service_{status}", "service", service.id)


def mark_reviewed(service: Service, user_id: int, today: date | None = None) -> None:
    """The editor checked the entry and it is still correct."""
    today = today or date.today()
    before = snapshot(service)
    service.last_reviewed, service.reviewed_by_id = today, user_id
    service.review_due = add_months(today, review_period())
    record_changes(service, before, user_id)
    audit("directory.service_reviewed", "service", service.id,
          review_due=service.review_due.isoformat())


# The editors' list -------------------------------------------------------------------------

@dataclass(frozen=True)
class Filters:
    q: str = ""
    status: str = ""
    review: str = ""
    locality: str = ""
    topic: str = ""


def open_report_counts():
    return (select(ProblemReport.service_id, func.count().label("reports"))
            .where(ProblemReport.resolved_at.is_(None))
            .group_by(ProblemReport.service_id).subquery())


def _conditions(filters: Filters, today: date) -> list:
    conditions = []
    if filters.status:
        conditions.append(Service.publication_status == filters.status)
    if filters.review == "due":
        conditions.append(needs_review(today))
    elif filters.review == "problems":
        conditions.append(exists().where(ProblemReport.service_id == Service.id,
                                         ProblemReport.resolved_at.is_(None)))
    if filters.locality:
        conditions.append(exists().where(ServiceArea.service_id == Service.id,
                                         ServiceArea.locality == filters.locality))
    if filters.topic:
        conditions.append(exists().where(Attribute.link_id == Service.id,
                                         Attribute.link_entity == "service",
                                         Attribute.taxonomy_term_id == filters.topic))
    for word in [w for w in filters.q.lower().split() if len(w) > 1][:8]:
        pattern = f"%{word.replace('%', '').replace('_', '')}%"
        conditions.append(or_(func.lower(Service.name).like(pattern),
                              func.lower(Organization.name).like(pattern),
                              func.lower(Service.description).like(pattern)))
    return conditions


def list_entries(filters: Filters, page: int, today: date | None = None):
    """(rows of (service, open reports), total) for one page of the editors' list."""
    today = today or date.today()
    reports = open_report_counts()
    conditions = _conditions(filters, today)
    base = (select(Service, func.coalesce(reports.c.reports, 0))
            .join(Organization, Organization.id == Service.organization_id)
            .outerjoin(reports, reports.c.service_id == Service.id)
            .where(*conditions))
    total = db.session.scalar(select(func.count()).select_from(
        select(Service.id).join(Organization, Organization.id == Service.organization_id)
        .where(*conditions).subquery()))
    rows = db.session.execute(base.order_by(func.lower(Service.name), Service.id)
                              .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    return rows, total


def eligibility_terms() -> list[TaxonomyTerm]:
    return list(db.session.scalars(select(TaxonomyTerm).where(
        TaxonomyTerm.taxonomy_id == ELIGIBILITY_TAXONOMY).order_by(TaxonomyTerm.name)))


def entries_due_for_review(today: date | None = None) -> list[Service]:
    """Entries residents can see or that are being prepared, not reviewed within the period."""
    today = today or date.today()
    return list(db.session.scalars(
        select(Service).where(Service.publication_status != "archived", needs_review(today))
        .order_by(Service.last_reviewed.is_not(None), Service.last_reviewed,
                  func.lower(Service.name))))
