"""The match keys (mle/models/match_keys.py) follow every change to a service, in the same
transaction: publishing, archiving, a change of need, locality, age range, location or status,
deleting, the seed loader and the ORUK importer; and matching ranks a stale entry last once its
review date has passed, with no change to the keys."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from mle.database import db
from mle.directory import matching
from mle.directory.match_keys import refresh_match_keys
from mle.directory.matching import match_services
from mle.directory.taxonomy import NEEDS_TAXONOMY
from mle.models import (
    Attribute,
    Location,
    MatchKey,
    MatchLocation,
    Organization,
    Service,
    ServiceArea,
    ServiceAtLocation,
    TaxonomyTerm,
)
from tests.directory_data import (
    example_record_in_the_area,
    import_oruk_records,
    imports_removed_afterwards,
)

NEED = "test-keys-need"
OTHER_NEED = "test-keys-other"
ORG = "test-keys-org"
TODAY = date(2026, 11, 22)
MOTHERWELL = (55.7897, -3.9916)


@pytest.fixture
def keys_app(app, monkeypatch):
    """Matching tier by tier (as for a large directory), which reads the match keys."""
    monkeypatch.setattr(matching, "FEW_CANDIDATES", 0)
    with app.app_context():
        db.session.add(Organization(id=ORG, name="Test organisation"))
        for term in (NEED, OTHER_NEED):
            db.session.add(TaxonomyTerm(id=term, name=term, taxonomy_id=NEEDS_TAXONOMY))
        db.session.commit()
        yield app
        db.session.rollback()
        for service in db.session.scalars(select(Service).where(Service.organization_id == ORG)):
            db.session.delete(service)
        db.session.execute(db.delete(Location).where(Location.id.like("test-keys-loc-%")))
        db.session.execute(db.delete(TaxonomyTerm).where(TaxonomyTerm.id.in_([NEED, OTHER_NEED])))
        db.session.flush()
        db.session.delete(db.session.get(Organization, ORG))
        db.session.commit()


def add(service_id: str, needs=(NEED,), localities=("wishaw",), location=None, **fields):
    fields.setdefault("url", "https://example.org/")  # a way to reach it, unless told
    service = Service(id=service_id, name=fields.pop("name", service_id), organization_id=ORG,
                      description="", coverage=fields.pop("coverage", "locality"),
                      publication_status=fields.pop("publication_status", "published"),
                      **fields)
    service.service_areas = [ServiceArea(id=f"{service_id}-{x}", locality=x) for x in localities]
    service.attributes = [Attribute(id=f"{service_id}-{t}", link_entity="service",
                                    taxonomy_term_id=t) for t in needs]
    if location:
        service.service_at_locations = [ServiceAtLocation(id=f"{service_id}-at", location=Location(
            id=f"test-keys-loc-{service_id}", latitude=location[0], longitude=location[1]))]
    db.session.add(service)
    db.session.commit()
    return service


def keys(service_id: str) -> set[tuple]:
    return {tuple(row) for row in db.session.execute(select(
        MatchKey.need_term_id, MatchKey.coverage, MatchKey.locality, MatchKey.minimum_age,
        MatchKey.review_due).where(MatchKey.service_id == service_id))}


def located(service_id: str) -> set[tuple]:
    return {tuple(row) for row in db.session.execute(select(
        MatchLocation.need_term_id, MatchLocation.locality, MatchLocation.latitude,
        MatchLocation.longitude).where(MatchLocation.service_id == service_id))}


def assert_same_as_a_rebuild() -> None:
    """Every match key, as kept in step, equals what rebuilding them all from scratch gives."""
    def everything():
        return tuple({tuple(row) for row in db.session.execute(select(*model.__table__.c))}
                     for model in (MatchKey, MatchLocation))
    kept = everything()
    refresh_match_keys(db.session.connection())
    assert everything() == kept
    db.session.rollback()


def ids(needs, locality="wishaw", age_band=None, near=None, today=TODAY) -> list[str]:
    return [m.service.id for m in match_services(needs, locality, True, age_band, near=near,
                                                 limit=10, today=today)]


def test_the_keys_follow_publishing_edits_and_archiving(keys_app):
    service = add("k-one", publication_status="draft", location=MOTHERWELL)
    assert keys("k-one") == set() and ids([NEED]) == []

    service.publication_status = "published"
    db.session.commit()
    assert keys("k-one") == {(NEED, "locality", "wishaw", None, None)}
    assert located("k-one") == {(NEED, "wishaw", *MOTHERWELL)}
    assert ids([NEED]) == ["k-one"] and ids([NEED], near=MOTHERWELL) == ["k-one"]

    service.attributes = [Attribute(id="k-one-other", link_entity="service",
                                    taxonomy_term_id=OTHER_NEED)]
    db.session.commit()
    assert keys("k-one") == {(OTHER_NEED, "locality", "wishaw", None, None)}
    assert ids([NEED]) == [] and ids([OTHER_NEED]) == ["k-one"]

    service.service_areas = [ServiceArea(id="k-one-airdrie", locality="airdrie")]
    db.session.commit()
    assert keys("k-one") == {(OTHER_NEED, "locality", "airdrie", None, None)}
    assert ids([OTHER_NEED]) == [] and ids([OTHER_NEED], "airdrie") == ["k-one"]

    service.minimum_age = 65
    db.session.commit()
    assert keys("k-one") == {(OTHER_NEED, "locality", "airdrie", 65, None)}
    assert ids([OTHER_NEED], "airdrie", "25_49") == []
    assert ids([OTHER_NEED], "airdrie", "75_84") == ["k-one"]

    service.coverage = "area"
    db.session.commit()
    assert keys("k-one") == {(OTHER_NEED, "area", "", 65, None)}
    assert ids([OTHER_NEED], "wishaw", "75_84") == ["k-one"]

    moved = (MOTHERWELL[0] + 0.1, MOTHERWELL[1])
    location = db.session.get(Location, "test-keys-loc-k-one")
    location.latitude = moved[0]
    db.session.commit()
    assert located("k-one") == {(OTHER_NEED, "", *moved)}
    found = match_services([OTHER_NEED], "wishaw", True, None, near=MOTHERWELL, today=TODAY)
    assert found[0].distance_km == pytest.approx(11.1, abs=0.1)
    assert_same_as_a_rebuild()

    service.status = "temporarily closed"
    db.session.commit()
    assert keys("k-one") == set() and ids([OTHER_NEED]) == []
    service.status = "active"
    db.session.commit()
    assert keys("k-one")

    service.publication_status = "archived"
    db.session.commit()
    assert keys("k-one") == set() and located("k-one") == set()
    assert_same_as_a_rebuild()


def test_the_keys_hold_only_entries_residents_can_reach(keys_app):
    from mle.models import Address, Contact, Phone

    service = add("k-silent", url=None, location=MOTHERWELL)
    assert not service.reachable and keys("k-silent") == set() and located("k-silent") == set()
    assert ids([NEED]) == [] and ids([NEED], near=MOTHERWELL) == []

    service.contacts = [Contact(id="k-silent-contact", phones=[
        Phone(id="k-silent-phone", number="01632 960 002")])]
    db.session.commit()
    assert service.reachable and keys("k-silent") == {(NEED, "locality", "wishaw", None, None)}
    assert ids([NEED]) == ["k-silent"] and ids([NEED], near=MOTHERWELL) == ["k-silent"]
    assert_same_as_a_rebuild()

    db.session.delete(db.session.get(Phone, "k-silent-phone"))
    db.session.commit()
    assert not service.reachable and keys("k-silent") == set() and ids([NEED]) == []

    # An address a person can visit is a way to reach it too; a postal-only one is not.
    location = db.session.get(Location, "test-keys-loc-k-silent")
    location.addresses = [Address(id="k-silent-address", address_1="PO Box 1", city="Wishaw",
                                  state_province="Scotland", postal_code="ML2 0AA",
                                  address_type="postal")]
    db.session.commit()
    assert not service.reachable and keys("k-silent") == set()
    location.addresses[0].address_type = "physical"
    db.session.commit()
    assert service.reachable and ids([NEED], near=MOTHERWELL) == ["k-silent"]
    assert_same_as_a_rebuild()


def test_changes_rolled_back_leave_the_keys_as_they_were(keys_app):
    service = add("k-rolled")
    service.minimum_age = 65
    db.session.flush()
    assert keys("k-rolled") == {(NEED, "locality", "wishaw", 65, None)}
    db.session.rollback()
    assert keys("k-rolled") == {(NEED, "locality", "wishaw", None, None)}


def test_deleting_a_service_removes_its_keys(keys_app):
    add("k-gone", location=MOTHERWELL)
    assert keys("k-gone") and located("k-gone")
    db.session.delete(db.session.get(Service, "k-gone"))
    db.session.commit()
    assert keys("k-gone") == set() and located("k-gone") == set()


@pytest.mark.parametrize("near", [None, MOTHERWELL])
def test_a_stale_entry_moves_last_when_its_review_date_passes(keys_app, near):
    due = TODAY + timedelta(days=3)
    add("k-a-reviewed-soon", review_due=due, location=MOTHERWELL)
    add("k-b-never-due", location=(MOTHERWELL[0] + 0.01, MOTHERWELL[1]))
    add("k-c-national", coverage="national", localities=(), review_due=due + timedelta(days=30))
    assert keys("k-a-reviewed-soon") == {(NEED, "locality", "wishaw", None, due)}
    before = match_services([NEED], "wishaw", True, None, near=near, limit=10, today=due)
    assert [(m.service.id, m.stale) for m in before] == [
        ("k-a-reviewed-soon", False), ("k-b-never-due", False), ("k-c-national", False)]
    after = match_services([NEED], "wishaw", True, None, near=near, limit=10,
                           today=due + timedelta(days=1))
    assert [(m.service.id, m.stale) for m in after] == [
        ("k-b-never-due", False), ("k-c-national", False), ("k-a-reviewed-soon", True)]
    assert [m.reason for m in after] == ["locality", "national", "locality"]


def test_the_seeded_directory_has_its_keys(keys_app):
    seeded = db.session.scalar(select(db.func.count()).select_from(MatchKey))
    assert seeded > 0
    assert_same_as_a_rebuild()


def test_an_oruk_import_writes_the_keys_of_what_it_publishes(keys_app):
    def import_records(records, publish=False):
        return import_oruk_records(records, "match-keys", publish)

    record = example_record_in_the_area()
    with imports_removed_afterwards():
        import_records([record])
        assert keys(record["id"]) == set()  # imported as a draft
        import_records([{**record, "name": "Community Counselling (evenings)"}], publish=True)
        terms = {a.taxonomy_term_id for a in db.session.get(Service, record["id"]).attributes}
        assert terms and {k[0] for k in keys(record["id"])} == terms
        assert {k[1] for k in keys(record["id"])} == {"area"}
        assert_same_as_a_rebuild()
    assert keys(record["id"]) == set()


def test_the_rebuild_command_rewrites_the_same_keys(app):
    from click.testing import CliRunner
    from flask.cli import ScriptInfo

    from mle.cli import mle_cli

    with app.app_context():
        kept = {tuple(row) for row in db.session.execute(select(*MatchKey.__table__.c))}
        db.session.execute(db.delete(MatchLocation))
        db.session.execute(db.delete(MatchKey))
        db.session.commit()
    result = CliRunner().invoke(mle_cli, ["rebuild-match-keys"],
                                obj=ScriptInfo(create_app=lambda: app))
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == f"{len(kept)} match keys"
    with app.app_context():
        assert {tuple(row) for row in db.session.execute(select(*MatchKey.__table__.c))} == kept
        assert_same_as_a_rebuild()
