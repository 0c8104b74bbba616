"""Whether a resident can reach a directory entry: one definition, kept on the service.

An entry is reachable when it has at least one of: a phone number, an email address, a web
address the service will link to (mle.security.web_address), or a place with a street address
a person can visit. Residents are shown reachable entries only (mle/directory/browse.py,
matching.py and the match keys); editors and the ORUK API see every entry.

The answer is stored in `service.reachable`, so pages and matching filter on a column. It is
worked out again before every flush that touches an entry's own row, its contacts and phones,
or its locations and addresses (install(), below), so editors' saves, the seed loader and
imports keep it without having to remember. refresh_reachable(service) does it for one entry
on demand.
"""

from __future__ import annotations

import re

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session, object_session

from mle.models import Address, Contact, Location, Phone, Service, ServiceAtLocation
from mle.security.web_address import is_safe_web_address

# Some digits, and nothing a phone keypad or a printed number would not have.
_PHONE = re.compile(r"[0-9 +()\-.]*[0-9][0-9 +()\-.]*")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_NOT_VISITABLE = {"virtual", "postal"}  # ORUK location_type / address_type values


def is_phone_number(number: str | None) -> bool:
    return bool(number) and len(re.sub(r"\D", "", number)) >= 3 \
        and bool(_PHONE.fullmatch(number.strip()))


def is_email_address(email: str | None) -> bool:
    return bool(email) and bool(_EMAIL.fullmatch(email.strip()))


def is_visitable(location_type: str | None, address_type: str | None, address_1: str | None,
                 city: str | None, postal_code: str | None) -> bool:
    """A physical address with a street line and a town or postcode to find it by."""
    return (location_type or "physical") not in _NOT_VISITABLE \
        and (address_type or "physical") not in _NOT_VISITABLE \
        and bool((address_1 or "").strip()) \
        and bool((city or "").strip() or (postal_code or "").strip())


def ways_to_reach(service: Service) -> list[str]:
    """How a resident could reach the entry: "phone", "email", "website", "address". Rows the
    session is about to delete no longer count."""
    session = object_session(service)
    gone = set(session.deleted) if session is not None else set()
    phones = [p for c in service.contacts if c not in gone for p in c.phones if p not in gone]
    places = [(link.location, a) for link in service.service_at_locations
              if link not in gone and link.location is not None and link.location not in gone
              for a in link.location.addresses if a not in gone]
    ways = []
    if any(is_phone_number(p.number) for p in phones):
        ways.append("phone")
    if is_email_address(service.email):
        ways.append("email")
    if is_safe_web_address(service.url):
        ways.append("website")
    if any(is_visitable(place.location_type, a.address_type, a.address_1, a.city,
                        a.postal_code) for place, a in places):
        ways.append("address")
    return ways


def is_reachable(service: Service) -> bool:
    return bool(ways_to_reach(service))


def refresh_reachable(service: Service) -> bool:
    """Work out whether residents can reach the entry, store it on the service and return it.
    The match keys follow at the next flush. It runs before every flush that touches an
    entry's rows (install()); callers that change those rows call it too, to say so."""
    reachable = is_reachable(service)
    if service.reachable is not reachable:
        service.reachable = reachable
    return reachable


def _ids(obj, name: str) -> set:
    """The attribute's value now and any value it had before this flush."""
    history = inspect(obj).attrs[name].history
    return {v for v in (*history.added, *history.unchanged, *history.deleted) if v is not None}


def _changed_rows(session: Session) -> tuple[set[Service], set[str], set[str], set[str]]:
    """(services, service ids, contact ids, location ids) named by the rows being flushed."""
    services: set[Service] = set()
    service_ids: set[str] = set()
    contact_ids: set[str] = set()
    location_ids: set[str] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Service):
            services.add(obj)
        elif isinstance(obj, Contact | ServiceAtLocation):
            service_ids |= _ids(obj, "service_id")
        elif isinstance(obj, Phone):
            contact_ids |= _ids(obj, "contact_id")
        elif isinstance(obj, Location):
            location_ids |= _ids(obj, "id")
        elif isinstance(obj, Address):
            location_ids |= _ids(obj, "location_id")
    return services, service_ids, contact_ids, location_ids


def touched_services(session: Session) -> set[Service]:
    """The services whose reachability the changes about to be flushed may alter."""
    services, service_ids, contact_ids, location_ids = _changed_rows(session)
    with session.no_autoflush:
        contacts = (session.get(Contact, contact_id) for contact_id in contact_ids)
        service_ids |= {c.service_id for c in contacts if c is not None and c.service_id}
        if location_ids:
            service_ids |= set(session.scalars(select(ServiceAtLocation.service_id).where(
                ServiceAtLocation.location_id.in_(sorted(location_ids)))))
        services |= {s for s in (session.get(Service, i) for i in service_ids) if s is not None}
    return {s for s in services if s not in session.deleted}


def _before_flush(session: Session, _flush_context, _instances) -> None:
    with session.no_autoflush:
        for service in touched_services(session):
            refresh_reachable(service)


def install() -> None:
    """Work reachability out again before every flush of any session (once per process)."""
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
