"""The ORUK API's queries: published services only, filtered, paged and (for service at
location) ordered by distance, all in SQL.

Distance is measured on a flat-earth approximation around the postcode's centroid (good to
well under 1% at a partnership's distances), in plain arithmetic that SQLite and PostgreSQL
both run; a bounding box on the location's latitude/longitude index narrows the rows first.

Opening times are compared as the clock times the schedules give ("HH:MM", their first five
characters), whatever time zone suffix a feed added.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, exists, func, literal, or_, select
from sqlalchemy.orm import aliased, selectinload

from mle.database import db
from mle.directory.search import parse_query, word_conditions
from mle.models import (
    Attribute,
    Location,
    Organization,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from mle.oruk.ids import local_id

KM_PER_DEGREE_LATITUDE = 110.574
KM_PER_DEGREE_LONGITUDE_AT_EQUATOR = 111.320
MAX_SEARCH_WORDS = 8

# The records the API names by id, by the entity name their ORUK ids are derived from.
ENTITIES = {"service": Service, "organization": Organization, "taxonomy": Taxonomy,
            "taxonomy_term": TaxonomyTerm}


@dataclass(frozen=True)
class Filters:
    """The /services and /service_at_locations filters, already checked and turned into our
    ids. None means 'not asked for'."""

    words: tuple[str, ...] = ()
    taxonomy_term_id: str | None = None
    taxonomy_id: str | None = None
    minimum_age: float | None = None
    maximum_age: float | None = None
    organization_id: str | None = None
    modified_after: datetime | None = None  # last_modified at or after this (aware) moment
    day: str | None = None  # a BYDAY code: open on this weekday
    start_time: str | None = None  # "HH:MM": opening at or after this time
    end_time: str | None = None  # "HH:MM": closing at or before this time

    @property
    def by_schedule(self) -> bool:
        return any(x is not None for x in (self.day, self.start_time, self.end_time))


@dataclass(frozen=True)
class Place:
    """Where the person asked from: a postcode's centroid and the locality it is in."""

    latitude: float
    longitude: float
    locality: str | None
    proximity_m: float | None = None  # only locations within this many metres


@dataclass
class Page:
    rows: list = field(default_factory=list)
    total: int = 0


def published():
    """Residents, and so the API, see a service only when it is published and active."""
    return [Service.publication_status == "published", Service.status == "active"]


def _service_conditions(filters: Filters) -> list:
    conditions = published()
    if filters.words:  # residents' search (mle/directory/search.py): every word, or typo
        conditions.append(word_conditions(_search_query(filters))[0])
    if filters.taxonomy_term_id is not None:
        conditions.append(exists().where(
            Attribute.link_entity == "service", Attribute.link_id == Service.id,
            Attribute.taxonomy_term_id == filters.taxonomy_term_id))
    if filters.taxonomy_id is not None:
        conditions.append(exists().where(
            Attribute.link_entity == "service", Attribute.link_id == Service.id,
            Attribute.taxonomy_term_id == TaxonomyTerm.id,
            TaxonomyTerm.taxonomy_id == filters.taxonomy_id))
    # As the ORUK OpenAPI words them: a minimum age of at least the value, a maximum age of
    # at most the value.
    if filters.minimum_age is not None:
        conditions.append(Service.minimum_age >= filters.minimum_age)
    if filters.maximum_age is not None:
        conditions.append(Service.maximum_age <= filters.maximum_age)
    if filters.organization_id is not None:
        conditions.append(Service.organization_id == filters.organization_id)
    if filters.modified_after is not None:
        conditions.append(Service.last_modified >= filters.modified_after)
    if filters.by_schedule:
        conditions.append(_has_schedule(filters))
    return conditions


def _has_schedule(filters: Filters):
    """One of the service's schedules (its own, or at one of its locations) matches the day
    and the times together."""
    at = aliased(ServiceAtLocation)
    matches = [or_(Schedule.service_id == Service.id, at.service_id == Service.id)]
    if filters.day is not None:
        matches.append(or_(func.upper(Schedule.byday).like(f"%{filters.day}%"),
                           and_(func.upper(Schedule.freq) == "DAILY", Schedule.byday.is_(None))))
    if filters.start_time is not None:
        matches.append(func.substr(Schedule.opens_at, 1, 5) >= filters.start_time)
    if filters.end_time is not None:
        matches.append(func.substr(Schedule.closes_at, 1, 5) <= filters.end_time)
    return (select(Schedule.id)
            .outerjoin(at, at.id == Schedule.service_at_location_id)
            .where(*matches).exists())


def services(filters: Filters, page: int, per_page: int, place: Place | None = None,
             in_area: bool = True) -> Page:
    """Services by name; with a postcode, those that serve it, and with a proximity too,
    those with a location that near."""
    conditions = _service_conditions(filters)
    if place is not None or not in_area:
        conditions.append(_covers(place.locality if place else None))
    if place is not None and place.proximity_m is not None:
        at, location = aliased(ServiceAtLocation), aliased(Location)
        conditions.append(exists().where(at.service_id == Service.id,
                                         location.id == at.location_id,
                                         *_within(place, location)))
    base = (select(Service).join(Organization, Organization.id == Service.organization_id)
            .where(*conditions))
    total = db.session.scalar(select(func.count()).select_from(base.subquery()))
    order = [Service.name, Service.id]
    if filters.words:  # best first, as residents' search ranks them
        order = [word_conditions(_search_query(filters))[1].desc(), *order]
    rows = db.session.scalars(base.order_by(*order)
                              .offset((page - 1) * per_page).limit(per_page))
    return Page(list(rows), total)


def _search_query(filters: Filters):
    return parse_query(" ".join(filters.words[:MAX_SEARCH_WORDS]))


def published_service(service_id: str) -> Service | None:
    return db.session.scalar(
        select(Service).where(Service.id == service_id, *published())
        .options(selectinload(Service.contacts), selectinload(Service.schedules),
                 selectinload(Service.service_areas),
                 selectinload(Service.service_at_locations),
                 selectinload(Service.attributes)))


def _covers(locality: str | None):
    """The services that serve someone in this locality of the area (None: outside it)."""
    covers = [Service.coverage == "national"]
    if locality is not None:
        covers.append(Service.coverage == "area")
        covers.append(and_(Service.coverage == "locality", exists().where(
            ServiceArea.service_id == Service.id, ServiceArea.locality == literal(locality))))
    return or_(*covers)


def _squared_km(place: Place, location=Location):
    km_x = KM_PER_DEGREE_LONGITUDE_AT_EQUATOR * math.cos(math.radians(place.latitude))
    dx = (location.longitude - place.longitude) * km_x
    dy = (location.latitude - place.latitude) * KM_PER_DEGREE_LATITUDE
    return dx * dx + dy * dy, km_x


def _within(place: Place, location=Location) -> list:
    """The location is within the place's proximity: a box on the index, then the circle."""
    d2, km_x = _squared_km(place, location)
    km = place.proximity_m / 1000
    return [location.latitude.between(place.latitude - km / KM_PER_DEGREE_LATITUDE,
                                      place.latitude + km / KM_PER_DEGREE_LATITUDE),
            location.longitude.between(place.longitude - km / km_x,
                                       place.longitude + km / km_x),
            d2 <= km * km]


def service_at_locations(filters: Filters, place: Place | None, in_area: bool, page: int,
                         per_page: int) -> Page:
    """Rows of (ServiceAtLocation, Service, distance in metres or None), nearest first when
    a place is given."""
    conditions = _service_conditions(filters)
    query = (select(ServiceAtLocation, Service)
             .join(Service, Service.id == ServiceAtLocation.service_id)
             .join(Organization, Organization.id == Service.organization_id)
             .join(Location, Location.id == ServiceAtLocation.location_id))
    order = [Service.name, ServiceAtLocation.id]
    distance = literal(None)
    if place is not None or not in_area:
        conditions.append(_covers(place.locality if place else None))
    if place is not None:
        d2, _ = _squared_km(place)
        distance = d2
        if place.proximity_m is not None:
            conditions += _within(place)
        order = [d2.is_(None), d2, *order]
    query = query.add_columns(distance.label("d2")).where(*conditions)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db.session.execute(query.order_by(*order)
                              .offset((page - 1) * per_page).limit(per_page)).all()
    return Page([(sal, service, None if d2 is None else round(math.sqrt(d2) * 1000))
                 for sal, service, d2 in rows], total)


def published_service_at_location(sal_id: str) -> ServiceAtLocation | None:
    return db.session.scalar(
        select(ServiceAtLocation).join(Service, Service.id == ServiceAtLocation.service_id)
        .where(ServiceAtLocation.id == sal_id, *published()))


def our_id(entity: str, published_id: str) -> str | None:
    """Our id for a record's published ORUK id, or None when there is no such record."""
    return local_id(ENTITIES[entity], entity, published_id)


def taxonomies(page: int, per_page: int) -> Page:
    return paged(Taxonomy, page, per_page)


def taxonomy_terms(taxonomy_id: str | None, page: int, per_page: int) -> Page:
    """All terms, or one taxonomy's (by our id), by name."""
    conditions = [] if taxonomy_id is None else [TaxonomyTerm.taxonomy_id == taxonomy_id]
    return paged(TaxonomyTerm, page, per_page, *conditions)


def taxonomy(taxonomy_id: str) -> Taxonomy | None:
    return db.session.get(Taxonomy, taxonomy_id)


def taxonomy_term(term_id: str) -> TaxonomyTerm | None:
    return db.session.get(TaxonomyTerm, term_id)


def paged(model, page: int, per_page: int, *conditions) -> Page:
    total = db.session.scalar(select(func.count()).select_from(model).where(*conditions))
    rows = db.session.scalars(select(model).where(*conditions).order_by(model.name, model.id)
                              .offset((page - 1) * per_page).limit(per_page))
    return Page(list(rows), total)
