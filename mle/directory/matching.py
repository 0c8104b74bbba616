"""Match needs to the published services a person can use, ranked, each with its reasons.

One indexed query: needs through attribute -> taxonomy term, coverage through service_area,
eligibility (age range, and criteria such as 'carers only' as attributes), the nearest
location inside a bounding box, and stale entries (review overdue) last. A service the person
is not eligible for is never returned.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, case, exists, func, literal, or_, select
from sqlalchemy.orm import selectinload

from mle.directory.taxonomy import CARERS_TERM, ELIGIBILITY_TAXONOMY
from mle.extensions import db
from mle.models import Attribute, Location, Service, ServiceArea, ServiceAtLocation, TaxonomyTerm

# The youngest and oldest age in each age band, for eligibility by age range.
AGE_BAND_RANGES = {
    "under_16": (0, 15), "16_17": (16, 17), "18_24": (18, 24), "25_49": (25, 49),
    "50_64": (50, 64), "65_74": (65, 74), "75_84": (75, 84), "85_plus": (85, 120),
}
NEARBY_KM = 40  # locations further than this are not measured
KM_PER_DEGREE_LATITUDE = 110.574
KM_PER_DEGREE_LONGITUDE_AT_EQUATOR = 111.320


@dataclass(frozen=True)
class MatchedService:
    service: Service
    reason: str  # "locality", "area" or "national": why it covers the person's place
    distance_km: float | None = None  # to its nearest location, when a location was given
    stale: bool = False  # its review is overdue
    eligibility: tuple[str, ...] = field(default=())  # what the person meets: "age", terms


@dataclass(frozen=True)
class Person:
    """What bears on matching, none of it kept."""

    locality: str | None = None
    in_area: bool = True
    age_band: str | None = None
    criteria: frozenset[str] = frozenset()  # eligibility term ids the person meets
    near: tuple[float, float] | None = None  # (latitude, longitude) of their postcode


def match_services(needs: list[str], locality: str | None, in_area: bool,
                   age_band: str | None, is_carer: bool = False, *,
                   near: tuple[float, float] | None = None, criteria: Iterable[str] = (),
                   limit: int = 5, today: date | None = None) -> list[MatchedService]:
    met = frozenset(criteria) | ({CARERS_TERM} if is_carer else set())
    person = Person(locality, in_area, age_band, met, near)
    return match(needs, person, limit=limit, today=today or date.today())


def _attribute_of(term_condition) -> exists:
    return exists().where(Attribute.link_entity == "service", Attribute.link_id == Service.id,
                          term_condition)


def _reach(person: Person):
    serves_locality = exists().where(ServiceArea.service_id == Service.id,
                                     ServiceArea.locality == literal(person.locality))
    reach = case(
        (and_(Service.coverage == "locality", serves_locality), literal("locality")),
        (Service.coverage == "area", literal("area")),
        else_=literal("national"),
    )
    covers = [Service.coverage == "national"]
    if person.in_area:
        covers.append(Service.coverage == "area")
    if person.locality:
        covers.append(and_(Service.coverage == "locality", serves_locality))
    return reach, or_(*covers)


def eligibility_conditions(person: Person) -> list:
    conditions = []
    if person.age_band in AGE_BAND_RANGES:
        youngest, oldest = AGE_BAND_RANGES[person.age_band]
        conditions += [or_(Service.minimum_age.is_(None), Service.minimum_age <= oldest),
                       or_(Service.maximum_age.is_(None), Service.maximum_age >= youngest)]
    unmet = and_(Attribute.taxonomy_term_id == TaxonomyTerm.id,
                 TaxonomyTerm.taxonomy_id == ELIGIBILITY_TAXONOMY,
                 TaxonomyTerm.id.not_in(sorted(person.criteria)))
    conditions.append(~_attribute_of(unmet))
    return conditions


def nearest_squared_km(near: tuple[float, float]):
    """Squared km from the point to the service's nearest location, on a flat-earth
    approximation (good to well under 1% at these distances), inside a bounding box that the
    latitude/longitude index serves. Plain arithmetic, so SQLite and PostgreSQL agree."""
    latitude, longitude = near
    km_x = KM_PER_DEGREE_LONGITUDE_AT_EQUATOR * math.cos(math.radians(latitude))
    box_lat, box_long = NEARBY_KM / KM_PER_DEGREE_LATITUDE, NEARBY_KM / km_x
    dx = (Location.longitude - longitude) * km_x
    dy = (Location.latitude - latitude) * KM_PER_DEGREE_LATITUDE
    return (select(func.min(dx * dx + dy * dy))
            .select_from(ServiceAtLocation)
            .join(Location, Location.id == ServiceAtLocation.location_id)
            .where(ServiceAtLocation.service_id == Service.id,
                   Location.latitude.between(latitude - box_lat, latitude + box_lat),
                   Location.longitude.between(longitude - box_long, longitude + box_long))
            .scalar_subquery())


def match(needs: list[str], person: Person, limit: int, today: date) -> list[MatchedService]:
    if not needs:
        return []
    reach, covers = _reach(person)
    stale = case((Service.review_due < today, 1), else_=0).label("stale")
    specificity = case((reach == "locality", 0), (reach == "area", 1), else_=2)
    distance = nearest_squared_km(person.near).label("d2") if person.near else None
    ranking = [stale, specificity]
    if distance is not None:
        ranking.append(distance.asc().nulls_last())
    query = (
        select(Service, reach.label("reach"), distance if distance is not None else
               literal(0).label("d2"), stale)
        .where(Service.publication_status == "published", Service.status == "active",
               _attribute_of(Attribute.taxonomy_term_id.in_(needs)), covers,
               *eligibility_conditions(person))
        .order_by(*ranking, Service.needs_editor, Service.name)
        .limit(limit)
        .options(selectinload(Service.attributes))
    )
    rows = db.session.execute(query).all()
    if distance is None:
        rows = [(service, reason, None, is_stale) for service, reason, _, is_stale in rows]
    return [MatchedService(service, reason,
                           None if d2 is None else round(math.sqrt(d2), 1),
                           bool(is_stale), _met(service, person))
            for service, reason, d2, is_stale in rows]


def _met(service: Service, person: Person) -> tuple[str, ...]:
    """The eligibility rules this service has and the person meets, to say why it fits."""
    met = []
    if person.age_band and (service.minimum_age is not None or service.maximum_age is not None):
        met.append("age")
    met += [term for term in service.term_ids if term in person.criteria]
    return tuple(met)
