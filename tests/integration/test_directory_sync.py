"""Keeping the directory in step with a source: a re-import never loses an editor's work, a
published entry stays published, entries that leave are archived, an entry outside the area is
never shown as local, and a run that fails, is interrupted or is only a dry run changes nothing.

Phone numbers here are from Ofcom's range for drama (01632 960xxx): no real service has them.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import uuid
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select

from mle.database import db
from mle.directory import workflow
from mle.directory.entry_values import read_entry
from mle.directory.matching import match_services
from mle.imports.readers import read_source
from mle.imports.sync import sync
from mle.models import (
    AuditEvent,
    Contact,
    DirectoryImport,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceChange,
    ServiceSource,
    TopicSuggestion,
)
from mle.oruk.import_result import ImportFailed
from tests.staff import make_staff

FIXTURES = Path(__file__).parent.parent / "fixtures"
ORGANIZATION = "4a0e8a32-6b1c-4d7e-9f21-0c3b5d7e9a11"


def _id(*parts: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "/".join(parts)))


def record(key: str, name: str, *, phone: str = "01632 960001", area: str | None =
           "North Lanarkshire", postcode: str | None = None, term: str = "Falls prevention",
           description: str = "Exercise classes that build strength and balance.") -> dict:
    """A minimal ORUK 3.0 service, with ids that are the same each time for the same key."""
    data = {
        "id": _id(key), "name": name, "status": "active", "description": description,
        "organization": {"id": ORGANIZATION, "name": "Lanarkshire Test Trust",
                         "description": ""},
        "contacts": [{"id": _id(key, "contact"), "phones": [
            {"id": _id(key, "phone"), "number": phone}]}],
        "attributes": [{"id": _id(key, "attribute"), "taxonomy_term": {
            "id": _id("term", term), "name": term, "description": "",
            "taxonomy_id": _id("taxonomy", "test"), "taxonomy": "Test categories"}}],
    }
    if area:
        data["service_areas"] = [{"id": _id(key, "area"), "name": area}]
    if postcode:
        data["service_at_locations"] = [{"id": _id(key, "sal"), "location": {
            "id": _id(key, "location"), "location_type": "physical", "addresses": [{
                "id": _id(key, "address"), "address_1": "1 Main Street", "city": "Town",
                "state_province": "Scotland", "postal_code": postcode, "country": "GB",
                "address_type": "physical"}]}}]
    return data


@pytest.fixture
def feed_file(tmp_path):
    def write(records: list[dict]) -> Path:
        path = tmp_path / "feed.json"
        path.write_text(json.dumps(records))
        return path
    return write


@pytest.fixture
def take_in(app, feed_file):
    """Take records in as the feed "sync-test" and return the run's result."""
    def run(records: list[dict], **options):
        with app.app_context():
            return sync(read_source("oruk", feed_file(records), feed="sync-test"), **options)
    return run


@pytest.fixture
def clean(app):
    """Remove what a test took in, so the shared database stays as seeded."""
    with app.app_context():
        before = set(db.session.scalars(select(Service.id)))
    yield
    with app.app_context():
        new = set(db.session.scalars(select(Service.id))) - before
        linked = set(db.session.scalars(select(ServiceSource.service_id).where(
            ServiceSource.feed.like("oruk:sync-test%"))))
        for service_id in new | linked:
            db.session.execute(delete(TopicSuggestion).where(
                TopicSuggestion.service_id == service_id))
            db.session.execute(delete(ServiceSource).where(
                ServiceSource.service_id == service_id))
            db.session.delete(db.session.get(Service, service_id))
        db.session.flush()
        organization = db.session.get(Organization, ORGANIZATION)
        if organization is not None:
            db.session.delete(organization)
        db.session.commit()


def _service(service_id: str) -> Service:
    return db.session.get(Service, service_id)


def _orphans() -> int:
    """Child rows whose entry is gone."""
    return (db.session.scalar(select(func.count()).select_from(Contact).where(
        Contact.service_id.is_(None))) or 0) + (db.session.scalar(
            select(func.count()).select_from(Phone).where(Phone.contact_id.is_(None))) or 0) + (
        db.session.scalar(select(func.count()).select_from(Schedule).where(
            Schedule.service_id.is_(None), Schedule.service_at_location_id.is_(None))) or 0)


def test_a_re_import_keeps_everything_an_editor_changed_and_takes_what_the_source_changed(
        app, take_in, clean):
    editor = make_staff(app, ["editor"])
    first = take_in([record("falls", "Steady Steps")], publish=True)
    assert [e.outcome for e in first.entries] == ["added"]
    sid = _id("falls")
    with app.app_context():
        service = _service(sid)
        assert service.publication_status == "published" and service.coverage == "area"
        # The editor adds a phone line, a topic, opening hours and an address.
        values = dataclasses.replace(
            read_entry(service), phones=(("01632 960001", ""), ("01632 960099", "Textphone")),
            topics=("falls-prevention",), hours={"MO": ("09:00", "17:00")},
            address_1="2 Hall Street", town="Airdrie", postcode="ML6 6AW")
        workflow.update_entry(service, values, editor)
        orphans_before = _orphans()
    # The source then renames the service and changes its phone and description.
    changed = record("falls", "Steady Steps Falls Prevention", phone="01632 960002",
                     description="Strength and balance classes in community halls.")
    second = take_in([changed], publish=True)
    [entry] = second.entries
    assert entry.outcome == "changed"
    assert "phones" in entry.details["kept"], "the editor's phones outrank the source's change"
    with app.app_context():
        service = _service(sid)
        assert service.name == "Steady Steps Falls Prevention"  # the source's, untouched since
        assert service.description.startswith("Strength and balance")
        assert sorted(p.number for p in service.phones) == ["01632 960001", "01632 960099"]
        assert "falls-prevention" in service.term_ids
        assert any(s.byday == "MO" for s in service.schedules)
        assert any(a.postal_code == "ML6 6AW" for sal in service.service_at_locations
                   for a in sal.location.addresses)
        assert service.publication_status == "published"
        history = db.session.scalars(select(ServiceChange).where(
            ServiceChange.service_id == sid, ServiceChange.import_id == second.import_id)).all()
        assert {h.field for h in history} == {"name", "description"}
        assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "directory.import_changed",
            AuditEvent.target_id == sid)) == 1
        assert _orphans() == orphans_before
    third = take_in([changed], publish=True)
    assert [e.outcome for e in third.entries] == ["unchanged"]


def test_a_published_entry_whose_source_did_not_change_stays_exactly_as_it_was(
        app, take_in, clean):
    take_in([record("club", "Walking Club")], publish=True)
    with app.app_context():
        before = json.dumps(_service(_id("club")).term_ids), _service(_id("club")).last_modified
    again = take_in([record("club", "Walking Club")])
    assert [e.outcome for e in again.entries] == ["unchanged"]
    with app.app_context():
        service = _service(_id("club"))
        assert service.publication_status == "published" and not service.needs_editor
        assert (json.dumps(service.term_ids), service.last_modified) == before


def test_an_entry_that_leaves_the_feed_is_archived_never_deleted_and_comes_back_as_a_draft(
        app, take_in, clean):
    take_in([record("a", "Service A"), record("b", "Service B")], publish=True)
    gone = take_in([record("a", "Service A")])
    assert [(e.outcome, e.name) for e in gone.entries] == [("unchanged", "Service A"),
                                                          ("archived", "Service B")]
    with app.app_context():
        assert _service(_id("b")).publication_status == "archived"
    back = take_in([record("a", "Service A"), record("b", "Service B")])
    assert {e.name: e.outcome for e in back.entries} == {"Service A": "unchanged",
                                                        "Service B": "changed"}
    with app.app_context():
        service = _service(_id("b"))
        assert service.publication_status == "draft" and service.needs_editor


def test_an_entry_outside_the_area_is_never_shown_as_local(app, take_in, clean):
    result = take_in([record("glasgow", "Glasgow Falls Team", area="Glasgow City"),
                      record("bristol", "Bristol Falls Team", area=None, postcode="BS1 5TR")],
                     publish=True)
    assert all(e.outcome == "added" for e in result.entries)
    assert all("outside this partnership's area" in " ".join(e.details["warnings"])
               for e in result.entries)
    editor = make_staff(app, ["editor"])
    with app.app_context():
        for key in ("glasgow", "bristol"):
            service = _service(_id(key))
            assert service.coverage == "outside" and service.publication_status == "draft"
            # Even if an editor publishes it and gives it the topic, no result shows it.
            values = dataclasses.replace(read_entry(service), topics=("falls-prevention",))
            workflow.update_entry(service, values, editor)
            workflow.set_publication(service, "published", editor)
        for locality in ("airdrie", "wishaw", None):
            found = match_services(["falls-prevention"], locality, in_area=locality is not None,
                                   age_band="80+", limit=50)
            assert not {_id("glasgow"), _id("bristol")} & {m.service.id for m in found}


def test_an_entry_without_area_information_waits_for_an_editor(app, take_in, clean):
    result = take_in([record("nowhere", "Somewhere Service", area=None)], publish=True)
    [entry] = result.entries
    assert "says nothing about where the service is offered" in entry.details["warnings"][-1]
    with app.app_context():
        service = _service(_id("nowhere"))
        assert service.coverage == "unset"
        assert service.publication_status == "draft" and service.needs_editor


def test_a_postcode_in_the_area_places_the_entry_in_its_locality(app, take_in, clean):
    take_in([record("hall", "Hall Classes", area=None, postcode="ML6 6AW")], publish=True)
    with app.app_context():
        service = _service(_id("hall"))
        assert service.coverage == "locality" and service.localities == ["airdrie"]


def test_a_bare_web_address_is_repaired_with_a_warning(app, take_in, clean):
    data = record("web", "Web Service")
    data["url"] = "www.example.org/falls"
    [entry] = take_in([data]).entries
    assert entry.outcome == "added"
    assert any("had no \"https://\"" in w for w in entry.details["warnings"])
    with app.app_context():
        assert _service(_id("web")).url == "https://www.example.org/falls"


def test_the_source_suggests_topics_and_an_editor_decides(app, take_in, clean):
    [entry] = take_in([record("sugg", "Steady Feet", term="Falls prevention classes")]).entries
    assert entry.details["suggested"] == ["falls-prevention"]
    with app.app_context():
        service = _service(_id("sugg"))
        assert "falls-prevention" not in service.term_ids, "a suggestion is not a topic"
        assert db.session.scalar(select(TopicSuggestion.status).where(
            TopicSuggestion.service_id == service.id)) == "pending"


def test_a_dry_run_changes_nothing_and_stores_no_run(app, take_in, clean):
    with app.app_context():
        runs = db.session.scalar(select(func.count()).select_from(DirectoryImport))
    result = take_in([record("dry", "Dry Service")], dry_run=True)
    assert result.dry_run and [e.outcome for e in result.entries] == ["added"]
    with app.app_context():
        assert _service(_id("dry")) is None
        assert db.session.scalar(select(func.count()).select_from(DirectoryImport)) == runs


def test_an_interrupted_import_leaves_the_directory_as_it_was(app, feed_file, clean):
    records = [record(f"int{n}", f"Service {n}") for n in range(4)]
    seen = []

    def interrupt(step: int) -> None:
        seen.append(step)
        if len(seen) == 2:
            raise KeyboardInterrupt

    with app.app_context():
        feed = read_source("oruk", feed_file(records), feed="sync-test")
        with pytest.raises(KeyboardInterrupt):
            sync(feed, progress=interrupt)
        assert all(_service(_id(f"int{n}")) is None for n in range(4))


def test_a_file_with_nothing_valid_changes_nothing(app, take_in, clean):
    with pytest.raises(ImportFailed, match="all 1 records are invalid"):
        take_in([{"id": _id("bad"), "name": "", "status": "active"}])
    with app.app_context():
        assert _service(_id("bad")) is None


def test_likely_duplicates_are_listed(app, take_in, clean):
    result = take_in([record("d1", "Carers Centre"), record("d2", "Carers Centre",
                                                              phone="01632 960050"),
                      record("d3", "Another Name", phone="01632 960050")])
    reasons = {(frozenset(d["ids"]), d["reason"]) for d in result.duplicates}
    assert (frozenset({_id("d1"), _id("d2")}), "name") in reasons
    assert (frozenset({_id("d2"), _id("d3")}), "phone") in reasons


def test_another_sources_entry_is_never_taken_over(app, take_in, clean):
    """The seed's register entries are kept in step with the Care Inspectorate register: an
    ORUK file holding the same ids leaves them alone."""
    with app.app_context():
        link = db.session.scalars(select(ServiceSource).where(
            ServiceSource.source == "care-inspectorate")).first()
        service = _service(link.service_id)
        name, feed = service.name, link.feed
    data = record("x", "Taken Over")
    data["id"] = link.service_id
    [entry] = take_in([data]).entries
    assert entry.outcome == "unchanged" and "another source" in entry.details["warnings"][0]
    with app.app_context():
        assert _service(link.service_id).name == name
        assert db.session.get(ServiceSource, link.service_id).feed == feed


def _register(path: Path, rows: list[dict]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_the_care_inspectorate_register_re_syncs_monthly(app, tmp_path):
    """A month later one service's phone changed and another closed: one change, one archive,
    the rest unchanged. (The register's ids are changed here, so the seed's own register
    entries, which have the real ids, are not touched.)"""
    from mle.imports.care_inspectorate import read_register

    with (FIXTURES / "care_inspectorate" / "register_small.csv").open(encoding="utf-8") as file:
        rows = [row for row in csv.DictReader(file) if None not in row]
    for row in rows:
        row["CSNumber"] = "TEST" + row["CSNumber"]

    def month(name: str, rows: list[dict]):
        feed = read_register(_register(tmp_path / name, rows))
        feed.feed = "care-inspectorate:test"
        return feed

    with app.app_context():
        first = sync(month("care_inspectorate_datastore_2026-05-31.csv", rows), publish=True)
        added = [e for e in first.entries if e.outcome == "added"]
        with_phone = [e for e in added if _service(e.service_id).phones]
        changed, closed = with_phone[0], with_phone[1]
        later = [dict(row) for row in rows if row["CSNumber"] != closed.record_key]
        for row in later:
            if row["CSNumber"] == changed.record_key:
                row["Service_Phone_Number"] = "01632 960777"
        second = sync(month("care_inspectorate_datastore_2026-06-30.csv", later))
        outcomes = {e.record_key: e.outcome for e in second.entries}
        assert outcomes[closed.record_key] == "archived"
        assert outcomes[changed.record_key] == "changed"
        assert {o for k, o in outcomes.items() if k not in (closed.record_key,
                                                          changed.record_key)} <= {
            "unchanged", "rejected"}
        assert _service(closed.service_id).publication_status == "archived"
        assert [p.number for p in _service(changed.service_id).phones] == ["01632 960777"]
        for entry in added:  # leave the shared database as seeded
            db.session.execute(delete(TopicSuggestion).where(
                TopicSuggestion.service_id == entry.service_id))
            db.session.execute(delete(ServiceSource).where(
                ServiceSource.service_id == entry.service_id))
            db.session.delete(_service(entry.service_id))
        db.session.commit()


def test_aliss_services_are_placed_by_their_areas_and_carry_the_attribution(app):
    """Young at Heart serves North Lanarkshire (ALISS's 2018 code for it, S12000044, is read as
    today's); a Glasgow counselling service and a food service at a Glasgow postcode are
    outside, and never shown as local."""
    from mle.imports.aliss import read_aliss
    from tests.pages import CheckedClient

    with app.app_context():
        result = sync(read_aliss(FIXTURES / "aliss" / "services_v4.json"), publish=True)
        coverage = {e.name: _service(e.service_id).coverage for e in result.entries}
        ids = [e.service_id for e in result.entries]
        young = next(e.service_id for e in result.entries if e.name == "Young at Heart")
        assert db.session.get(ServiceSource, young).attribution.startswith(
            "Contains information from ALISS")
    try:
        assert coverage == {"Young at Heart": "area", "One-to-one counselling": "outside",
                            "Food Parcels": "outside"}
        page = CheckedClient(app.test_client()).get(f"/local-information/service/{young}")
        assert "Source: ALISS." in page.text and "CC BY 4.0" in page.text
    finally:
        with app.app_context():
            for service_id in ids:
                db.session.execute(delete(TopicSuggestion).where(
                    TopicSuggestion.service_id == service_id))
                db.session.delete(_service(service_id))
            db.session.commit()
