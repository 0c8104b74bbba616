"""Open Referral UK conformance: what an editor makes exports valid ORUK 3.0 (UUID ids for
opening hours and phones, in the order the editor gave them), and an export imported into a
fresh directory gives back the same records, funding, organisation identifiers and parent
organisation included. Directories edited before ids were UUIDs are mended by migration 0017.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import uuid
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select

from mle.database import db
from mle.directory.entry_rows import id_after
from mle.directory.entry_values import read_entry
from mle.directory.fields import EntryValues
from mle.directory.workflow import create_entry, set_publication, update_entry
from mle.imports.oruk_feed import records_feed
from mle.imports.sync import sync
from mle.models import (
    Attribute,
    Contact,
    Funding,
    Language,
    Location,
    Organization,
    OrganizationIdentifier,
    Phone,
    Schedule,
    Service,
    Taxonomy,
    TaxonomyTerm,
)
from mle.oruk.exporter import export_services
from mle.oruk.ids import is_uuid, oruk_id
from mle.oruk.schemas import errors
from mle.site import site
from tests.staff import make_staff

ROOT = Path(__file__).parent.parent.parent
EXAMPLE = ROOT / "tests" / "fixtures" / "oruk" / "oruk3_example_service_full.json"
MIGRATION = ROOT / "mle" / "migrations" / "versions" / "0017_oruk_conformance.py"
IMPORTED = (Service, Organization, Location, TaxonomyTerm, Taxonomy)
# Numbers in Ofcom's range kept for drama: they can never reach a real person.
PHONES = (("01632 960001", "Office"), ("01632 960002", "Evenings"), ("01632 960003", "Text"))


def _ids() -> dict:
    return {model: set(db.session.scalars(select(model.id))) for model in IMPORTED}


def _delete_new(before: dict) -> None:
    """Delete every service, organisation, place and term that is not in `before`."""
    for model in IMPORTED:
        for row_id in set(db.session.scalars(select(model.id))) - before[model]:
            db.session.delete(db.session.get(model, row_id))
        db.session.flush()
    db.session.commit()


@pytest.fixture
def restore(app):
    with app.app_context():
        before = _ids()
    yield before
    with app.app_context():
        _delete_new(before)


@pytest.fixture
def editor_id(app):
    return make_staff(app, ["editor"])


def _exported(service_id: str) -> dict:
    published = oruk_id("service", service_id)
    return next(s for s in export_services() if s["id"] == published)


def _sorted(value):
    """The record with every list in a fixed order, to compare two exports."""
    if isinstance(value, dict):
        return {k: _sorted(v) for k, v in value.items()}
    if isinstance(value, list):
        return sorted((_sorted(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    return value


@pytest.mark.parametrize("previous", [
    None, "00000000-0000-4000-8000-000000000000", "7f3e2a10-5b6c-4d7e-8f90-a1b2c3d4e5f6",
    "fffffff0-1234-4abc-9def-0123456789ab", "FFFFFF00-1234-4ABC-9DEF-0123456789AB",
])
def test_an_id_made_after_another_is_a_uuid_that_sorts_after_it(previous):
    made = [id_after(previous) for _ in range(50)]
    assert all(is_uuid(x) and uuid.UUID(x).version == 4 for x in made)
    assert previous is None or all(x > previous for x in made)
    assert len(set(made)) == 50


def test_entries_an_editor_makes_export_valid_with_uuid_ids_in_the_editors_order(
        app, editor_id, restore):
    values = EntryValues(
        organization="Example Round Trip Group", name="Example lunch club",
        description="<p>Lunch and company.</p>", topics=("carer-support",), coverage="area",
        phones=PHONES[:2],
        hours={"MO": ("09:00", "17:00"), "TU": ("09:00", "17:00"), "SA": ("10:00", "12:30")},
        hours_note="Closed on public holidays.")
    with app.test_request_context():
        service = create_entry(values, editor_id)
        service_id = service.id
        # An editor adds a third number and changes Saturday's hours.
        update_entry(service, replace(read_entry(service), phones=PHONES, hours={
            **values.hours, "SA": ("10:00", "13:00")}), editor_id)
        set_publication(service, "published", editor_id)

    with app.app_context():
        service = db.session.get(Service, service_id)
        assert [(p.number, p.description) for p in service.phones] == list(PHONES)
        assert read_entry(service).hours == {"MO": ("09:00", "17:00"),
                                             "TU": ("09:00", "17:00"),
                                             "SA": ("10:00", "13:00")}
        record = _exported(service_id)
    assert errors("service", record) == []
    schedules, phones = record["schedules"], record["contacts"][0]["phones"]
    assert [s.get("byday") for s in schedules] == ["MO,TU", "SA", None]
    assert schedules[-1]["description"] == "Closed on public holidays."
    assert [p["number"] for p in phones] == [number for number, _ in PHONES]
    assert all(is_uuid(row["id"]) for row in schedules + phones)


def _example() -> dict:
    """The ORUK example, offered across this area too, so that it is published (its own area,
    "the MyCity area", is outside it)."""
    record = json.loads(EXAMPLE.read_text("utf-8"))
    record["service_areas"].append({"id": "0c7b9a52-1e3d-4f6a-8b9c-2d4e6f8a0b1c",
                                    "name": "North Lanarkshire"})
    return record


def _take_in(record: dict) -> list[str]:
    """Take one record in as an ORUK feed; the outcome of each record."""
    result = sync(records_feed([record], site().area.needs, "round-trip"), publish=True)
    return [entry.outcome for entry in result.entries]


def test_an_export_imports_into_a_fresh_directory_with_funding_and_identifiers(
        app, editor_id, restore):
    record = _example()
    organization = record["organization"]
    # The parent is a record the feed does not describe: its id is kept all the same.
    assert organization["parent_organization_id"] and record["funding"] and \
        organization["organization_identifiers"]
    with app.app_context():
        assert _take_in(copy.deepcopy(record)) == ["added"]
    with app.test_request_context():
        service = db.session.get(Service, record["id"])
        update_entry(service, replace(read_entry(service), phones=PHONES[:2], hours={
            "TH": ("10:00", "16:00")}), editor_id)

    with app.app_context():
        exported = _exported(record["id"])
        assert errors("service", exported) == []
        assert exported["funding"] == [{**f, "service_id": record["id"]}
                                       for f in record["funding"]]
        assert exported["organization"]["organization_identifiers"] == [
            {**i, "organization_id": organization["id"]}
            for i in organization["organization_identifiers"]]
        assert exported["organization"]["parent_organization_id"] == \
            organization["parent_organization_id"]
        assert [p["number"] for c in exported["contacts"] for p in c["phones"]][:2] == \
            [number for number, _ in PHONES[:2]]

        _delete_new(restore)  # a fresh directory: nothing of the record is left
        assert db.session.get(Service, record["id"]) is None
        assert db.session.get(Organization, organization["id"]) is None
        assert db.session.scalars(select(Funding.id)).all() == []
        assert db.session.scalars(select(OrganizationIdentifier.id)).all() == []

        assert _take_in(copy.deepcopy(exported)) == ["added"]
        again = _exported(record["id"])
    assert _sorted(again) == _sorted(exported)


def test_a_parent_known_here_is_linked_and_published_under_the_same_id(app, restore):
    record = _example()
    with app.app_context():
        parent = db.session.scalar(select(Organization).where(
            Organization.id.not_like("%-%-%-%-%")).limit(1))  # a seed organisation's slug
        record["organization"]["parent_organization_id"] = oruk_id("organization", parent.id)
        _take_in(record)
        child = db.session.get(Organization, record["organization"]["id"])
        assert child.parent_organization_id == parent.id
        assert _exported(record["id"])["organization"]["parent_organization_id"] == \
            oruk_id("organization", parent.id)


def _migration():
    spec = importlib.util.spec_from_file_location("oruk_conformance_migration", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_migration_gives_old_editor_ids_uuids_and_keeps_order_and_references(
        app, restore):
    """Ids as the editor made them before: a prefix and a counter for opening hours, the
    last phone's id and "-1" for a phone."""
    base, contact_id = str(uuid.uuid4()), str(uuid.uuid4())
    with app.app_context():
        service = Service(id=str(uuid.uuid4()), name="Example old-style entry",
                          organization=db.session.get(Organization, "carers-uk"),
                          publication_status="published")
        service.schedules = [
            Schedule(id=f"{base}-00", freq="WEEKLY", byday="MO,TU", opens_at="09:00:00",
                     closes_at="17:00:00"),
            Schedule(id=f"{base}-01", freq="WEEKLY", byday="SA", opens_at="10:00:00",
                     closes_at="12:00:00"),
            Schedule(id=f"{base}-99", description="Closed on public holidays.")]
        service.contacts = [Contact(id=contact_id, phones=[
            Phone(id=f"{contact_id}-1", number=PHONES[0][0]),
            Phone(id=f"{contact_id}-1-1", number=PHONES[1][0])])]
        db.session.add(service)
        db.session.flush()  # the phones first: the language refers to one by id alone
        service.languages = [Language(id=str(uuid.uuid4()), name="Polish",
                                      phone_id=f"{contact_id}-1-1")]
        db.session.add(Attribute(id=str(uuid.uuid4()), link_entity="phone",
                                 link_id=f"{contact_id}-1", taxonomy_term_id="carer-support"))
        db.session.commit()
        assert errors("service", _exported(service.id)) != []

        migration = _migration()
        for name, (group_by, references) in migration.REWRITTEN.items():
            migration._rewrite_ids(db.session.connection(), name, group_by, references)
        db.session.commit()
        db.session.expire_all()

        service = db.session.get(Service, service.id)
        assert [s.byday for s in service.schedules] == ["MO,TU", "SA", None]
        assert [p.number for p in service.phones] == [PHONES[0][0], PHONES[1][0]]
        assert all(is_uuid(row.id) for row in service.schedules + service.phones)
        assert service.languages[0].phone_id == service.phones[1].id
        attribute = db.session.scalar(select(Attribute).where(Attribute.link_entity == "phone",
                                                              Attribute.link_id.like(
                                                                  f"{contact_id}%")))
        assert attribute is None
        assert db.session.scalar(select(Attribute).where(
            Attribute.link_id == service.phones[0].id)) is not None
        assert errors("service", _exported(service.id)) == []
        db.session.execute(Attribute.__table__.delete().where(
            Attribute.link_id == service.phones[0].id))
        db.session.commit()
