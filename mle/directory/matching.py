"""Match needs to the published services a person can use, ranked, each with its reasons.

The ranking is: entries whose review is not overdue before stale ones; within each, services
covering the person's locality, then area-wide ones, then national ones; within each of those
tiers, the nearest first when a location is given (services with no location within
NEARBY_KM after), then entries not waiting for an editor, then by name. A service the person is
not eligible for (age range, or a criterion such as 'carers only' they do not meet) is never
returned, nor one residents cannot reach (no phone, email, web address or address to visit:
mle/directory/reachability.py).

The work is done in indexed SQL, never by loading every row into Python. When the needs are
carried by few services (at most FEW_CANDIDATES), one query ranks them all. Otherwise each
(staleness, tier) pair is one query with LIMIT for the places still to fill, in rank order,
stopping as soon as the limit is reached. Those queries read the match keys (match_key and
match_location, kept in step with the services by mle/directory/match_keys.py): without a
location, one index range per need in (needs_editor, name) order up to the limit; with one, a
small box around the point first, widened only when too few services are found. See
docs/matching.md.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, case, exists, func, literal, or_, select, text, union_all
from sqlalchemy.orm import selectinload

from mle.database import db
from mle.directory.taxonomy import CARERS_TERM, ELIGIBILITY_TAXONOMY
from mle.models import (
    Attribute,
    Contact,
    Location,
    MatchKey,
    MatchLocation,
    Service,
    ServiceArea,
    ServiceAtLocation,
    TaxonomyTerm,
)
from mle.vocabulary import AGE_BAND_RANGES

NEARBY_KM = 40  # locations further than this (in latitude or longitude) are not measured
FIRST_BOX_KM = 0.25  # half-width of the first box looked in around a point
# When the needs are carried by at most this many services in all, one query ranks them all:
# cheaper than query by query, and its cost is bounded by this number.
FEW_CANDIDATES = 400
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
                   limit: int = 5, today: date | None = None,
                   with_phones: bool = False) -> list[MatchedService]:
    met = frozenset(criteria) | ({CARERS_TERM} if is_carer else set())
    person = Person(locality, in_area, age_band, met, near)
    return match(needs, person, limit=limit, today=today or date.today(),
                 with_phones=with_phones)


def _attribute_of(term_condition) -> exists:
    return exists().where(Attribute.link_entity == "service", Attribute.link_id == Service.id,
                          term_condition)


def tiers_for(person: Person) -> list[str]:
    """The tiers that can cover the person's place, most specific first."""
    tiers = []
    if person.locality:
        tiers.append("locality")
    if person.in_area:
        tiers.append("area")
    return [*tiers, "national"]


def eligibility_conditions(person: Person, unmet: list[str]) -> list:
    """The person is within the age range, and the service carries none of the eligibility
    terms (unmet) that the person does not meet."""
    conditions = []
    if person.age_band in AGE_BAND_RANGES:
        youngest, oldest = AGE_BAND_RANGES[person.age_band]
        conditions += [or_(Service.minimum_age.is_(None), Service.minimum_age <= oldest),
                       or_(Service.maximum_age.is_(None), Service.maximum_age >= youngest)]
    if unmet:
        conditions.append(~_attribute_of(Attribute.taxonomy_term_id.in_(unmet)))
    return conditions


def unmet_criteria(person: Person) -> list[str]:
    """The eligibility terms in use that the person does not meet."""
    return sorted(set(db.session.scalars(select(TaxonomyTerm.id).where(
        TaxonomyTerm.taxonomy_id == ELIGIBILITY_TAXONOMY))) - person.criteria)


def visible_with_needs(needs: list[str], person: Person, unmet: list[str]) -> list:
    """Published, active services residents can reach that carry one of the needs and that
    the person is eligible for."""
    return [Service.publication_status == "published", Service.status == "active",
            Service.reachable,
            _attribute_of(Attribute.taxonomy_term_id.in_(needs)),
            *eligibility_conditions(person, unmet)]


def _serves_locality(locality: str | None):
    return exists().where(ServiceArea.service_id == Service.id,
                          ServiceArea.locality == literal(locality))


def tier_conditions(person: Person, tier: str, stale: bool, today: date) -> list:
    """Services of one tier (coverage reaching the person's place) and staleness."""
    conditions = [Service.coverage == tier,
                  Service.review_due < today if stale
                  else or_(Service.review_due.is_(None), Service.review_due >= today)]
    if tier == "locality":
        conditions.append(_serves_locality(person.locality))
    return conditions


class _Box:
    """A square around a point, half-width in km, on a flat-earth approximation (good to well
    under 1% at these distances). Plain arithmetic, so SQLite and PostgreSQL agree."""

    def __init__(self, near: tuple[float, float], half_width_km: float):
        self.latitude, self.longitude = near
        self.km_x = KM_PER_DEGREE_LONGITUDE_AT_EQUATOR * math.cos(math.radians(self.latitude))
        self.half_width_km = half_width_km

    def contains(self, latitude=Location.latitude, longitude=Location.longitude):
        """Served by an index on (latitude, longitude)."""
        box_lat = self.half_width_km / KM_PER_DEGREE_LATITUDE
        box_long = self.half_width_km / self.km_x
        return and_(latitude.between(self.latitude - box_lat, self.latitude + box_lat),
                    longitude.between(self.longitude - box_long, self.longitude + box_long))

    def squared_km(self, latitude=Location.latitude, longitude=Location.longitude):
        dx = (longitude - self.longitude) * self.km_x
        dy = (latitude - self.latitude) * KM_PER_DEGREE_LATITUDE
        return dx * dx + dy * dy


Found = tuple[str, str, float | None, bool]  # service id, tier, squared km, stale


def _ranked(conditions: list, person: Person, limit: int, today: date) -> list[Found]:
    """One query ranking every service that meets the conditions and covers the person's
    place, in the full order. Used when there are few candidates, and to finish a tier whose
    services are too thinly spread for the boxes to find enough."""
    tiers = tiers_for(person)
    reach = case((Service.coverage == "locality", literal("locality")),
                 (Service.coverage == "area", literal("area")), else_=literal("national"))
    covers = [Service.coverage == "national"]
    if "area" in tiers:
        covers.append(Service.coverage == "area")
    if "locality" in tiers:
        covers.append(and_(Service.coverage == "locality", _serves_locality(person.locality)))
    stale = case((Service.review_due < today, 1), else_=0)
    specificity = case((Service.coverage == "locality", 0), (Service.coverage == "area", 1),
                       else_=2)
    ranking = [stale, specificity]
    distance = literal(None)
    if person.near:
        box = _Box(person.near, NEARBY_KM)
        distance = (select(func.min(box.squared_km())).select_from(ServiceAtLocation)
                    .join(Location, Location.id == ServiceAtLocation.location_id)
                    .where(ServiceAtLocation.service_id == Service.id, box.contains())
                    .scalar_subquery())
        ranking.append(distance.asc().nulls_last())
    query = (select(Service.id, reach, distance, stale)
             .where(*conditions, or_(*covers))
             .order_by(*ranking, Service.needs_editor, Service.name, Service.id)
             .limit(limit))
    return [(service_id, tier, d2, bool(is_stale))
            for service_id, tier, d2, is_stale in db.session.execute(query)]


def _key_conditions(key, person: Person, unmet: list[str], stale: bool, today: date) -> list:
    """Staleness and eligibility, on a match key table (MatchKey or MatchLocation): its rows
    are already published, active, reachable services carrying the need in the place."""
    conditions = [key.review_due < today if stale
                  else or_(key.review_due.is_(None), key.review_due >= today)]
    if person.age_band in AGE_BAND_RANGES:
        youngest, oldest = AGE_BAND_RANGES[person.age_band]
        conditions += [or_(key.minimum_age.is_(None), key.minimum_age <= oldest),
                       or_(key.maximum_age.is_(None), key.maximum_age >= youngest)]
    if unmet:
        conditions.append(~exists().where(Attribute.link_entity == "service",
                                          Attribute.link_id == key.service_id,
                                          Attribute.taxonomy_term_id.in_(unmet)))
    return conditions


def _place(key, person: Person, tier: str) -> list:
    return [key.coverage == tier,
            key.locality == (person.locality if tier == "locality" else "")]


def _by_name(needs: list[str], person: Person, tier: str, key_conditions: list,
             limit: int) -> list[tuple[str, None]]:
    """One range of the match key index per need, read in rank order (needs_editor, name)
    up to the limit; a service carrying several of the needs is counted once."""
    walks = [select(MatchKey.needs_editor, MatchKey.name, MatchKey.service_id)
             .where(MatchKey.need_term_id == need, *_place(MatchKey, person, tier),
                    *key_conditions)
             .order_by(MatchKey.needs_editor, MatchKey.name, MatchKey.service_id)
             .limit(limit).subquery() for need in needs]
    if len(walks) > 1:  # merged in SQL, so names sort by the database's collation
        walks = [union_all(*(select(*walk.c) for walk in walks)).subquery()]
    found = walks[0].c
    statement = (select(found.needs_editor, found.name, found.service_id).distinct()
                 .order_by(found.needs_editor, found.name, found.service_id).limit(limit))
    return [(service_id, None) for _, _, service_id in db.session.execute(statement)]


def _nearest(needs: list[str], person: Person, tier: str, key_conditions: list,
             limit: int) -> list[tuple[str, float | None]] | None:
    """The services nearest the person, by their nearest location, looked for in boxes that
    start small and widen by how many services the last one held. A box is trusted only for
    services within its inscribed circle: any service not found there is further away. None
    when the services are too thinly spread for a box of under NEARBY_KM / 2 to hold enough:
    the caller then ranks the tier in one query.

    Each box is one read of the match location index: the need, the place and a strip of
    latitude, checked for longitude, staleness and eligibility from the index."""
    half_width = FIRST_BOX_KM
    while half_width < NEARBY_KM / 2:
        box = _Box(person.near, half_width)
        d2 = func.min(box.squared_km(MatchLocation.latitude, MatchLocation.longitude))
        rows = db.session.execute(
            select(MatchLocation.service_id, d2)
            .where(MatchLocation.need_term_id.in_(needs), *_place(MatchLocation, person, tier),
                   box.contains(MatchLocation.latitude, MatchLocation.longitude),
                   *key_conditions)
            .group_by(MatchLocation.service_id, MatchLocation.needs_editor, MatchLocation.name)
            .having(d2 <= half_width * half_width)
            .order_by(d2, MatchLocation.needs_editor, MatchLocation.name,
                      MatchLocation.service_id)
            .limit(limit)).all()
        if len(rows) >= limit:
            return [(service_id, d) for service_id, d in rows]
        # Services found grow with the box's area: aim for the limit, at least doubling.
        half_width *= min(8.0, max(2.0, 1.3 * math.sqrt(limit / max(len(rows), 0.5))))
    return None


def _few_candidates(needs: list[str]) -> bool:
    """Whether at most FEW_CANDIDATES services carry the needs (reading no more rows than
    that from the attribute index)."""
    some = (select(Attribute.link_id)
            .where(Attribute.taxonomy_term_id.in_(needs), Attribute.link_entity == "service")
            .limit(FEW_CANDIDATES + 1).subquery())
    return db.session.scalar(select(func.count()).select_from(some)) <= FEW_CANDIDATES


def _no_parallel_workers() -> None:
    """PostgreSQL may start parallel workers to walk an index with LIMIT; for walks of a few
    thousand index entries at most, starting them costs more than it saves. For the rest of
    this transaction only."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))


def match(needs: list[str], person: Person, limit: int, today: date,
          with_phones: bool = False) -> list[MatchedService]:
    """The ranked matches; with_phones loads each service's phone numbers and addresses with
    it, for a page that shows them (a few statements, not one per service and per contact)."""
    if not needs or limit <= 0:
        return []
    unmet = unmet_criteria(person)
    base = visible_with_needs(needs, person, unmet)
    if _few_candidates(needs):
        ranked = _ranked(base, person, limit, today)
    else:
        _no_parallel_workers()
        ranked = []
        for stale in (False, True):
            for tier in tiers_for(person):
                wanted = limit - len(ranked)
                if wanted <= 0:
                    break
                keys = _key_conditions(MatchKey if not person.near else MatchLocation,
                                       person, unmet, stale, today)
                found = (_nearest(needs, person, tier, keys, wanted) if person.near
                         else _by_name(needs, person, tier, keys, wanted))
                if found is None:
                    conditions = [*base, *tier_conditions(person, tier, stale, today)]
                    ranked += _ranked(conditions, person, wanted, today)
                else:
                    ranked += [(service_id, tier, d2, stale) for service_id, d2 in found]
    options = [selectinload(Service.attributes)]
    if with_phones:
        options += [selectinload(Service.contacts).selectinload(Contact.phones),
                    selectinload(Service.service_at_locations).selectinload(
                        ServiceAtLocation.location).selectinload(Location.addresses)]
    services = {s.id: s for s in db.session.scalars(
        select(Service).where(Service.id.in_([r[0] for r in ranked])).options(*options))}
    return [MatchedService(services[service_id], tier,
                           None if d2 is None else round(math.sqrt(d2), 1),
                           stale, _met(services[service_id], person))
            for service_id, tier, d2, stale in ranked]


def _met(service: Service, person: Person) -> tuple[str, ...]:
    """The eligibility rules this service has and the person meets, to say why it fits."""
    met = []
    if person.age_band and (service.minimum_age is not None or service.maximum_age is not None):
        met.append("age")
    met += [term for term in service.term_ids if term in person.criteria]
    return tuple(met)
