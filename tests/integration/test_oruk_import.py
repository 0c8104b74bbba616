"""flask mle import-oruk and export-oruk: the real Bristol feed, a second import that changes
nothing, bad files that change nothing, ORUK 3.0 records in full, and a round trip."""

from __future__ import annotations

import copy
import gzip
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo
from sqlalchemy import func, select

from mle.database import db
from mle.models import (
    Attribute,
    Location,
    Organization,
    Service,
    ServiceArea,
    Taxonomy,
    TaxonomyTerm,
)
from mle.oruk.schemas import errors

FIXTURES = Path(__file__).parent.parent / "fixtures" / "oruk"
TAG = re.compile(r"<[a-zA-Z/!]")
COUNTS = re.compile(r"added (\d+), changed (\d+), unchanged (\d+), archived \d+, rejected (\d+)")
REJECTED = re.compile(r"^rejected .*\(([^()\s]+)\): (.+?) - [^-]+$", re.MULTILINE)


@pytest.fixture
def bristol(tmp_path) -> Path:
    path = tmp_path / "bristol.json"
    with gzip.open(FIXTURES / "bristol_council_oruk_v2_services_2024-12-18.json.gz") as feed:
        path.write_bytes(feed.read())
    return path


@pytest.fixture
def cli(app):
    from mle.cli import mle_cli

    def run(*args: str):
        return CliRunner().invoke(mle_cli, list(args), obj=ScriptInfo(create_app=lambda: app))
    return run


def _ids(app) -> dict:
    with app.app_context():
        return {model: set(db.session.scalars(select(model.id)))
                for model in (Service, Organization, Location, TaxonomyTerm, Taxonomy)}


@pytest.fixture
def restore(app):
    """Remove whatever a test imported, so the shared test database stays as seeded."""
    before = _ids(app)
    yield
    with app.app_context():
        for model in (Service, Organization, Location, TaxonomyTerm, Taxonomy):
            new = set(db.session.scalars(select(model.id))) - before[model]
            for row_id in new:
                db.session.delete(db.session.get(model, row_id))
            db.session.flush()
        db.session.commit()


def _counts(output: str) -> tuple[int, int, int, int]:
    return tuple(int(n) for n in COUNTS.search(output).groups())


def _snapshot(app) -> dict:
    with app.app_context():
        rows = db.session.execute(select(Service.id, Service.name, Service.description,
                                         Service.publication_status, Service.needs_editor,
                                         Service.organization_id, Service.last_modified))
        return {row.id: tuple(row) for row in rows}


def test_the_bristol_feed_imports_every_valid_record_and_lists_every_invalid_one(
        app, cli, bristol, restore):
    records = json.loads(bristol.read_text("utf-8"))
    result = cli("import-oruk", str(bristol))
    assert result.exit_code == 0, result.output
    imported, updated, unchanged, rejected = _counts(result.output)
    reasons = dict(REJECTED.findall(result.output))
    assert rejected == len(reasons) > 0 and updated == unchanged == 0
    assert imported + rejected == len(records)
    assert all(reasons.values())
    with app.app_context():
        first_of = {}
        for number, record in enumerate(records):
            first_of.setdefault(record["id"], number)
        for number, record in enumerate(records):
            first = first_of[record["id"]] == number
            service = db.session.get(Service, record["id"])
            if not first:  # the feed repeats one id: the later record is the rejected one
                assert "the same id as record" in reasons[record["id"]]
                continue
            if record["id"] in reasons and "the same id as record" not in reasons[record["id"]]:
                assert service is None, record["id"]
                continue
            assert service is not None and service.name == record["name"].strip()
            assert service.publication_status == "draft" and service.needs_editor
            # A council feed that says nothing about where its services are offered is never
            # assumed to cover this area: an editor must say.
            assert service.status == "active" and service.coverage == "unset"
            assert not TAG.search(service.description) and "&nbsp;" not in service.description
            assert service.organization.name == record["organization"]["name"].strip()
    no_name = next(r["id"] for r in records if not r["name"].strip())
    assert reasons[no_name].startswith("name: the service has no name")
    no_organization = next(r["id"] for r in records if r["name"] and not r.get("organization"))
    assert "no organization is given" in reasons[no_organization]
    bare_url = next(r for r in records if r["url"].startswith("www.")
                    and r["id"] not in reasons)
    with app.app_context():  # repaired with a warning, not rejected
        assert db.session.get(Service, bare_url["id"]).url == "https://" + bare_url["url"]

    before = _snapshot(app)
    again = cli("import-oruk", str(bristol))
    assert again.exit_code == 0
    assert _counts(again.output) == (0, 0, imported, rejected)
    assert _snapshot(app) == before


def test_html_in_descriptions_is_made_safe_plain_text(app, cli, bristol, restore):
    records = json.loads(bristol.read_text("utf-8"))
    record = next(r for r in records if "<h4>" in r["description"] and r.get("organization"))
    record["description"] += ('<script>alert("x")</script><img src=x onerror=alert(1)>'
                              "&lt;script&gt;alert(2)&lt;/script&gt;<p>Last line</p>")
    path = bristol.with_name("one.json")
    path.write_text(json.dumps([record]))
    assert cli("import-oruk", str(path)).exit_code == 0
    with app.app_context():
        text = db.session.get(Service, record["id"]).description
    assert "alert" not in text and "<" not in text and "onerror" not in text
    assert text.endswith("\nLast line") and "1625 Independent People works" in text


@pytest.mark.parametrize(("content", "message"), [
    ("this is not json {", "is not JSON"),
    ('{"total_items": 0}', "is JSON but not a list of services"),
    ("[]", "the file holds no records"),
    ('[{"id": "not-a-uuid", "name": "x", "status": "active"}, {"name": ""}, 7]',
     "all 3 records are invalid"),
])
def test_a_file_that_cannot_be_imported_fails_and_changes_nothing(app, cli, tmp_path, content,
                                                                 message):
    path = tmp_path / "feed.json"
    path.write_text(content)
    before = _snapshot(app)
    result = cli("import-oruk", str(path))
    assert result.exit_code != 0
    assert message in result.output and "The directory was not changed." in result.output
    assert _snapshot(app) == before


def test_an_oruk_3_record_imports_in_full_and_updates_by_id(app, cli, tmp_path, restore):
    record = json.loads((FIXTURES / "oruk3_example_service_full.json").read_text())
    path = tmp_path / "v3.json"
    path.write_text(json.dumps({"total_items": 1, "contents": [record]}))
    result = cli("import-oruk", str(path))
    assert _counts(result.output) == (1, 0, 0, 0), result.output
    with app.app_context():
        service = db.session.get(Service, record["id"])
        assert service.organization.id == record["organization"]["id"]
        assert [s.location.name for s in service.service_at_locations] == ["MyCity Civic Center"]
        assert service.service_at_locations[0].location.addresses
        assert [c.name for c in service.contacts] == ["Ann Persona"]
        assert service.cost_options[0].amount == 35 and service.schedules[0].byday == "TH,FR"
        assert [a.taxonomy_term.name for a in service.attributes] == ["name"]
    assert _counts(cli("import-oruk", str(path)).output) == (0, 0, 1, 0)

    changed = copy.deepcopy(record)
    changed["name"] = "Community Counselling (evenings)"
    path.write_text(json.dumps([changed]))
    assert _counts(cli("import-oruk", "--publish", str(path)).output) == (0, 1, 0, 0)
    with app.app_context():
        service = db.session.get(Service, record["id"])
        assert service.name == "Community Counselling (evenings)"
        # Its service area is "the MyCity area": never published as a local service.
        assert service.coverage == "outside"
        assert service.publication_status == "draft" and service.needs_editor


def test_a_record_may_name_a_known_organization_by_id_alone(app, cli, tmp_path, restore):
    record = json.loads((FIXTURES / "oruk3_example_service_full.json").read_text())
    second = {"id": "7d0c6f1e-2b3a-4c5d-8e9f-0a1b2c3d4e5f", "name": "Drop-in advice",
              "status": "active", "organization_id": record["organization"]["id"]}
    unknown = {**second, "id": "8e1d7a2f-3c4b-4d6e-9fa0-1b2c3d4e5f60",
               "organization_id": "9f2e8b3a-4d5c-4e7f-a0b1-2c3d4e5f6071"}
    path = tmp_path / "by-id.json"
    path.write_text(json.dumps([record, second, unknown]))
    result = cli("import-oruk", str(path))
    assert _counts(result.output) == (2, 0, 0, 1), result.output
    assert f"({unknown['id']}): organization: not known here" in result.output
    with app.app_context():
        assert db.session.get(Service, second["id"]).organization.name == \
            record["organization"]["name"]


def test_a_record_is_never_half_imported(app, cli, tmp_path, restore):
    record = json.loads((FIXTURES / "oruk3_example_service_full.json").read_text())
    broken = copy.deepcopy(record)
    broken["id"] = "5a4b2c1d-0e9f-4a8b-9c7d-6e5f4a3b2c1d"
    broken["schedules"][0]["valid_from"] = "next Tuesday"  # valid for the schema, not a date
    path = tmp_path / "two.json"
    path.write_text(json.dumps([broken, record]))
    result = cli("import-oruk", str(path))
    assert _counts(result.output) == (1, 0, 0, 1)
    assert f"({broken['id']}): schedules/valid_from is not a date" in result.output
    with app.app_context():
        assert db.session.get(Service, broken["id"]) is None
        assert db.session.scalar(select(func.count()).select_from(Attribute).where(
            Attribute.link_id == broken["id"])) == 0


def test_export_validates_and_imports_back_unchanged(app, cli, tmp_path):
    path = tmp_path / "export.json"
    result = cli("export-oruk", str(path))
    assert result.exit_code == 0, result.output
    services = json.loads(path.read_text("utf-8"))
    with app.app_context():
        published = db.session.scalar(select(func.count()).select_from(Service).where(
            Service.publication_status == "published", Service.status == "active"))
        localities = db.session.scalar(select(func.count()).select_from(ServiceArea).where(
            ServiceArea.locality.is_not(None)))
    assert len(services) == published > 0
    for service in services:
        assert errors("service", service) == [], service["name"]
    before = _snapshot(app)
    again = cli("import-oruk", str(path))
    assert _counts(again.output) == (0, 0, published, 0), again.output
    assert _snapshot(app) == before
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ServiceArea).where(
            ServiceArea.locality.is_not(None))) == localities


def test_export_to_standard_output(cli):
    result = cli("export-oruk")
    assert result.exit_code == 0
    assert {s["name"] for s in json.loads(result.output)} >= {"Carers UK Helpline"}
