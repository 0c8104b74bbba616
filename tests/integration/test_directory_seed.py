"""The seed directory lands in the ORUK tables, and loading it again changes nothing."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from mle.database import db
from mle.directory.seed import load_seed_services
from mle.directory.taxonomy import CARERS_TERM
from mle.models import Attribute, Contact, Phone, Schedule, Service, ServiceArea, TaxonomyTerm

SEED = Path(__file__).resolve().parents[2] / "directory" / "seed" / "services.yaml"


def _counts() -> dict[str, int]:
    return {model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
            for model in (Service, Contact, Phone, Schedule, ServiceArea, Attribute,
                          TaxonomyTerm)}


def test_seed_entries_become_oruk_records(app):
    with app.app_context():
        helpline = db.session.get(Service, "carers-uk-helpline")
        assert helpline.organization.name == "Carers UK"
        assert [p.number for p in helpline.phones] == ["0808 808 7777"]
        assert helpline.url == "https://www.carersuk.org"
        assert helpline.publication_status == "published" and helpline.status == "active"
        assert "carer-support" in helpline.term_ids
        dementia = db.session.get(Service, "alzheimer-scotland-helpline")
        assert [s.description for s in dementia.schedules] == ["24 hours a day"]
        carers = db.session.get(Service, "lanarkshire-carers")
        assert CARERS_TERM in carers.term_ids
        local = db.session.scalars(select(Service).where(Service.coverage == "locality")).all()
        assert local and all(s.localities for s in local)
        area = db.session.scalars(select(ServiceArea).where(
            ServiceArea.locality == "coatbridge")).first()
        assert area.name == "Coatbridge"


# The register's row CS2004071322 (Care Inspectorate datastore, 31 May 2026, OGL v3.0), as
# ../shared/data/scotland_services/care_inspectorate/ has it.
REGISTER_ALARM = {"ServiceName": "Community Alarm Service",
                  "ServiceProvider": "North Lanarkshire Council",
                  "Service_Phone_Number": "01236 622 400"}


def test_the_community_alarm_has_the_care_inspectorate_registers_number(app):
    with app.app_context():
        alarm = db.session.get(Service, "nl-community-alarm")
        assert alarm.organization.name == REGISTER_ALARM["ServiceProvider"]
        assert [p.number.replace(" ", "") for p in alarm.phones] == [
            REGISTER_ALARM["Service_Phone_Number"].replace(" ", "")]
        assert alarm.reachable and not alarm.needs_editor


def test_seed_entries_without_a_way_to_reach_them_are_loaded_but_marked_unreachable(app):
    with app.app_context():
        services = db.session.scalars(select(Service)).all()
        seeded = {s.id: s for s in services if s.organization_id != "test-local-org"}
        for service in seeded.values():
            has_way = bool(service.phones or service.url or service.email)
            assert service.reachable == has_way, service.id
            assert service.publication_status == "published"
        assert not seeded["lanarkshire-carers"].reachable
        assert seeded["spt-mybus"].reachable  # a web address is a way to reach it


def test_loading_the_seed_again_updates_in_place(app):
    with app.app_context():
        before = _counts()
        assert load_seed_services(SEED) == 41
        assert _counts() == before


def test_loading_the_seed_again_keeps_an_editors_change_unless_told_to_replace(app):
    with app.app_context():
        service = db.session.get(Service, "carers-uk-helpline")
        original = service.name
        service.name = "Carers UK Adviceline"
        db.session.commit()
        try:
            assert load_seed_services(SEED, replace_existing=False) == 0
            assert db.session.get(Service, "carers-uk-helpline").name == "Carers UK Adviceline"
            assert load_seed_services(SEED, replace_existing=True) == 41
            assert db.session.get(Service, "carers-uk-helpline").name == original
        finally:
            load_seed_services(SEED)
