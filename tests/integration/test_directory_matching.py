"""Matching needs to services in SQL: need terms, coverage, eligibility, distance, staleness.

Each test adds its own services under a need term of its own, so the seed directory does not
get in the way, and removes them afterwards. Every test runs twice: with the few candidates
ranked in one query, and tier by tier (as for a large directory), which must agree.
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta

import pytest

from mle.database import db
from mle.directory import matching
from mle.directory.matching import match_services
from mle.directory.taxonomy import CARERS_TERM, NEEDS_TAXONOMY
from mle.models import (
    Attribute,
    Location,
    Organization,
    Service,
    ServiceArea,
    ServiceAtLocation,
    TaxonomyTerm,
)

NEED = "test-matching-need"
OTHER_NEED = "test-matching-other"
TODAY = date(2026, 11, 22)
MOTHERWELL = (55.7897, -3.9916)


@pytest.fixture(params=["one query", "tier by tier"])
def directory(request, app, monkeypatch):
    if request.param == "tier by tier":
        monkeypatch.setattr(matching, "FEW_CANDIDATES", 0)
    with app.app_context():
        db.session.add(Organization(id="test-matching-org", name="Test organisation"))
        for term in (NEED, OTHER_NEED):
            db.session.add(TaxonomyTerm(id=term, name=term, taxonomy_id=NEEDS_TAXONOMY))
        db.session.commit()
        yield Builder()
        db.session.rollback()
        ids = db.session.scalars(db.select(Service.id).where(
            Service.organization_id == "test-matching-org")).all()
        for service_id in ids:
            db.session.delete(db.session.get(Service, service_id))
        db.session.execute(db.delete(Location).where(Location.id.like("test-loc-%")))
        db.session.execute(db.delete(TaxonomyTerm).where(TaxonomyTerm.id.in_([NEED, OTHER_NEED])))
        db.session.flush()
        db.session.delete(db.session.get(Organization, "test-matching-org"))
        db.session.commit()


class Builder:
    def add(self, service_id: str, coverage: str = "area", needs=(NEED,), localities=(),
            criteria=(), location: tuple[float, float] | None = None, locations=(),
            **fields) -> Service:
        fields.setdefault("url", "https://example.org/")  # a way to reach it, unless told
        service = Service(id=service_id, name=fields.pop("name", service_id),
                          organization_id="test-matching-org", description="",
                          coverage=coverage, publication_status=fields.pop(
                              "publication_status", "published"), **fields)
        service.service_areas = [ServiceArea(id=f"{service_id}-{x}", locality=x)
                                 for x in localities]
        service.attributes = [Attribute(id=f"{service_id}-{t}", link_entity="service",
                                        taxonomy_term_id=t) for t in (*needs, *criteria)]
        places = [location] if location else list(locations)
        service.service_at_locations = [
            ServiceAtLocation(id=f"{service_id}-at{n}", location=Location(
                id=f"test-loc-{service_id}-{n}", latitude=lat, longitude=long))
            for n, (lat, long) in enumerate(places)]
        db.session.add(service)
        db.session.commit()
        return service


def ids(matches) -> list[str]:
    return [m.service.id for m in matches]


def test_services_are_found_through_their_need_terms(directory):
    directory.add("t-need")
    directory.add("t-other", needs=(OTHER_NEED,))
    assert ids(match_services([NEED], None, True, None, today=TODAY)) == ["t-need"]
    assert ids(match_services([NEED, OTHER_NEED], None, True, None, today=TODAY)) == [
        "t-need", "t-other"]
    assert match_services([], None, True, None, today=TODAY) == []


def test_coverage_locality_then_area_then_national_with_the_reason(directory):
    directory.add("t-national", coverage="national")
    directory.add("t-area", coverage="area")
    directory.add("t-wishaw", coverage="locality", localities=["wishaw"])
    directory.add("t-airdrie", coverage="locality", localities=["airdrie"])
    matches = match_services([NEED], "wishaw", True, None, limit=10, today=TODAY)
    assert [(m.service.id, m.reason) for m in matches] == [
        ("t-wishaw", "locality"), ("t-area", "area"), ("t-national", "national")]
    # Outside the area: national services only.
    assert ids(match_services([NEED], None, False, None, today=TODAY)) == ["t-national"]
    # In the area with no locality known: no locality-only services.
    assert ids(match_services([NEED], None, True, None, today=TODAY)) == [
        "t-area", "t-national"]


def test_age_range_excludes_services_the_person_is_too_young_or_old_for(directory):
    directory.add("t-older", minimum_age=65)
    directory.add("t-young", maximum_age=25)
    directory.add("t-anyone")
    assert ids(match_services([NEED], None, True, "25_49", today=TODAY)) == [
        "t-anyone", "t-young"]
    older = match_services([NEED], None, True, "75_84", today=TODAY)
    assert ids(older) == ["t-anyone", "t-older"]
    assert older[1].eligibility == ("age",) and older[0].eligibility == ()


def test_carers_only_services_only_for_carers(directory):
    directory.add("t-carers", criteria=[CARERS_TERM])
    directory.add("t-all")
    assert ids(match_services([NEED], None, True, None, today=TODAY)) == ["t-all"]
    carer = match_services([NEED], None, True, None, is_carer=True, today=TODAY)
    assert ids(carer) == ["t-all", "t-carers"]
    assert carer[1].eligibility == (CARERS_TERM,)


def test_other_eligibility_terms_must_be_met(directory, app):
    from mle.directory.taxonomy import ELIGIBILITY_TAXONOMY

    db.session.add(TaxonomyTerm(id="test-eligibility-veterans", name="Veterans",
                                taxonomy_id=ELIGIBILITY_TAXONOMY))
    db.session.commit()
    try:
        directory.add("t-veterans", criteria=["test-eligibility-veterans"])
        assert match_services([NEED], None, True, None, is_carer=True, today=TODAY) == []
        assert ids(match_services([NEED], None, True, None, today=TODAY,
                                  criteria=["test-eligibility-veterans"])) == ["t-veterans"]
    finally:
        db.session.delete(db.session.get(Service, "t-veterans"))
        db.session.delete(db.session.get(TaxonomyTerm, "test-eligibility-veterans"))
        db.session.commit()


def _km(a, b) -> float:
    """Great-circle distance, to check the flat approximation against."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def test_nearer_services_first_with_the_distance(directory):
    airdrie, cumbernauld, glasgow = (55.8664, -3.9806), (55.9460, -3.9920), (55.8609, -4.2514)
    edinburgh = (55.9533, -3.1883)
    directory.add("t-a-far", location=glasgow)
    directory.add("t-b-near", location=airdrie)
    directory.add("t-c-middle", location=cumbernauld)
    directory.add("t-d-none")
    directory.add("t-e-beyond", location=edinburgh)
    matches = match_services([NEED], None, True, None, near=MOTHERWELL, limit=10, today=TODAY)
    assert ids(matches) == ["t-b-near", "t-c-middle", "t-a-far", "t-d-none", "t-e-beyond"]
    for match, place in zip(matches[:3], (airdrie, cumbernauld, glasgow), strict=True):
        assert match.distance_km == pytest.approx(_km(MOTHERWELL, place), rel=0.01, abs=0.1)
    assert matches[3].distance_km is None and matches[4].distance_km is None
    # Without a location, the order is by name and no distance is given.
    plain = match_services([NEED], None, True, None, limit=10, today=TODAY)
    assert ids(plain)[0] == "t-a-far" and plain[0].distance_km is None


def test_stale_entries_come_last_even_when_local(directory):
    directory.add("t-local-stale", coverage="locality", localities=["wishaw"],
                  review_due=TODAY - timedelta(days=1))
    directory.add("t-national", coverage="national", review_due=TODAY)
    matches = match_services([NEED], "wishaw", True, None, today=TODAY)
    assert [(m.service.id, m.stale) for m in matches] == [
        ("t-national", False), ("t-local-stale", True)]


def test_only_published_active_services_are_matched(directory):
    directory.add("t-draft", publication_status="draft")
    directory.add("t-archived", publication_status="archived")
    directory.add("t-closed", status="temporarily closed")
    directory.add("t-live")
    assert ids(match_services([NEED], None, True, None, today=TODAY)) == ["t-live"]


def test_a_service_residents_cannot_reach_is_never_matched_until_it_has_a_way(directory):
    from mle.models import Contact, Phone

    silent = directory.add("t-silent", coverage="locality", localities=["wishaw"], url=None)
    directory.add("t-bad-link", url="javascript:alert(1)")
    directory.add("t-national", coverage="national")
    assert ids(match_services([NEED], "wishaw", True, None, today=TODAY)) == ["t-national"]
    silent.contacts = [Contact(id="t-silent-contact", phones=[
        Phone(id="t-silent-phone", number="01632 960 001")])]
    db.session.commit()
    assert ids(match_services([NEED], "wishaw", True, None, today=TODAY)) == [
        "t-silent", "t-national"]
    silent.contacts[0].phones = [Phone(id="t-silent-phone-2", number="to be confirmed")]
    db.session.commit()
    assert ids(match_services([NEED], "wishaw", True, None, today=TODAY)) == ["t-national"]


def test_the_limit_applies_after_ranking(directory):
    for n in range(4):
        directory.add(f"t-area-{n}")
    directory.add("t-wishaw", coverage="locality", localities=["wishaw"])
    assert ids(match_services([NEED], "wishaw", True, None, limit=2, today=TODAY)) == [
        "t-wishaw", "t-area-0"]


def test_the_nearest_of_a_services_locations_counts(directory):
    airdrie, glasgow = (55.8664, -3.9806), (55.8609, -4.2514)
    directory.add("t-two-places", locations=[glasgow, airdrie])
    directory.add("t-glasgow", location=(55.8610, -4.2500))
    matches = match_services([NEED], None, True, None, near=MOTHERWELL, limit=10, today=TODAY)
    assert ids(matches) == ["t-two-places", "t-glasgow"]
    assert matches[0].distance_km == pytest.approx(_km(MOTHERWELL, airdrie), rel=0.01, abs=0.1)


def test_a_small_box_is_enough_when_services_are_close(directory, monkeypatch):
    """Tier by tier, the first box around the point holds enough services; one just outside
    its inscribed circle but nearer than others of the box's corner is still ranked right."""
    step = 0.001  # about 110 m of latitude
    for n in range(6):
        directory.add(f"t-close-{n}", location=(MOTHERWELL[0] + step * (n + 1), MOTHERWELL[1]))
    directory.add("t-far", location=(MOTHERWELL[0] + 0.2, MOTHERWELL[1]))
    matches = match_services([NEED], None, True, None, near=MOTHERWELL, limit=3, today=TODAY)
    assert ids(matches) == ["t-close-0", "t-close-1", "t-close-2"]
    everything = match_services([NEED], None, True, None, near=MOTHERWELL, limit=10,
                                today=TODAY)
    assert ids(everything) == [f"t-close-{n}" for n in range(6)] + ["t-far"]
    assert everything[-1].distance_km == pytest.approx(22.1, abs=0.2)


WORDS = ("Advice", "Carers", "Centre", "Community", "Friends", "Health", "Help", "Link")
LOCALITIES = ("wishaw", "motherwell", "airdrie")


def _random_directory(directory, rng) -> None:
    for n in range(45):
        roll = rng.random()
        coverage = "locality" if roll < 0.6 else "area" if roll < 0.85 else "national"
        places = [(MOTHERWELL[0] + rng.uniform(-0.3, 0.3), MOTHERWELL[1] + rng.uniform(-0.5, 0.5))
                  for _ in range(rng.choice((0, 1, 1, 2)))]
        directory.add(
            f"t-random-{n:02d}", coverage=coverage,
            name=f"{rng.choice(WORDS)} {rng.choice(WORDS)} {n}",
            needs=rng.choice(((NEED,), (OTHER_NEED,), (NEED, OTHER_NEED))),
            localities=rng.sample(LOCALITIES, rng.choice((1, 1, 2))) if coverage == "locality"
            else (),
            criteria=[CARERS_TERM] if rng.random() < 0.15 else (),
            locations=places,
            publication_status=rng.choice(("published",) * 9 + ("draft",)),
            status=rng.choice(("active",) * 9 + ("inactive",)),
            minimum_age=rng.choice((None, None, None, 18, 65)),
            maximum_age=rng.choice((None, None, None, 25)),
            needs_editor=rng.random() < 0.15,
            review_due=TODAY + timedelta(days=rng.randint(-60, 300)))


def _expected(needs, locality, in_area, age_band, is_carer, near, limit):
    """The ranking worked out in Python from every test service: what the SQL must give."""
    youngest, oldest = matching.AGE_BAND_RANGES.get(age_band, (None, None))
    rows = []
    for service in db.session.scalars(db.select(Service).where(
            Service.organization_id == "test-matching-org")):
        terms = set(service.term_ids)
        if (service.publication_status != "published" or service.status != "active"
                or not terms & set(needs)
                or (CARERS_TERM in terms and not is_carer)
                or (oldest is not None and service.minimum_age is not None
                    and service.minimum_age > oldest)
                or (youngest is not None and service.maximum_age is not None
                    and service.maximum_age < youngest)):
            continue
        if service.coverage == "locality" and locality in service.localities:
            tier = 0
        elif service.coverage == "area" and in_area:
            tier = 1
        elif service.coverage == "national":
            tier = 2
        else:
            continue
        distance = None
        if near:
            km_x = matching.KM_PER_DEGREE_LONGITUDE_AT_EQUATOR * math.cos(math.radians(near[0]))
            box_lat = matching.NEARBY_KM / matching.KM_PER_DEGREE_LATITUDE
            box_long = matching.NEARBY_KM / km_x
            squares = [((sal.location.longitude - near[1]) * km_x) ** 2
                       + ((sal.location.latitude - near[0]) * matching.KM_PER_DEGREE_LATITUDE) ** 2
                       for sal in service.service_at_locations
                       if abs(sal.location.latitude - near[0]) <= box_lat
                       and abs(sal.location.longitude - near[1]) <= box_long]
            distance = min(squares) if squares else None
        stale = service.is_stale(TODAY)
        rows.append(((stale, tier, distance is None, distance or 0, service.needs_editor,
                      service.name, service.id),
                     (service.id, ("locality", "area", "national")[tier],
                      None if distance is None else round(math.sqrt(distance), 1), stale)))
    return [found for _, found in sorted(rows)[:limit]]


@pytest.mark.parametrize("seed", [1, 2])
def test_the_ranking_agrees_with_a_ranking_worked_out_in_python(directory, seed):
    rng = random.Random(seed)
    _random_directory(directory, rng)
    for _ in range(20):
        person = (rng.choice(([NEED], [OTHER_NEED], [NEED, OTHER_NEED])),
                  rng.choice((*LOCALITIES, None)), rng.random() < 0.85,
                  rng.choice((None, "18_24", "25_49", "75_84")), rng.random() < 0.5,
                  rng.choice((None, MOTHERWELL, (55.85, -4.1))), rng.choice((1, 3, 5, 50)))
        needs, locality, in_area, age_band, is_carer, near, limit = person
        matches = match_services(needs, locality, in_area, age_band, is_carer, near=near,
                                 limit=limit, today=TODAY)
        assert [(m.service.id, m.reason, m.distance_km, m.stale) for m in matches] == (
            _expected(*person)), person
